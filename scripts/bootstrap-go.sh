#!/usr/bin/env bash
# bootstrap-go.sh installs Go VERSION into DEST with an older go command, for
# systems whose packages stop at a Go too old to fetch a newer toolchain by
# itself (Debian 12 ships 1.19; Go learned that in 1.21). Every Go release is
# also published as the module golang.org/toolchain, so even Go 1.19 can
# download it through the module proxy it is configured with, like any other
# module; this script copies the release out of the module cache into DEST
# and makes its programs executable, which the module cache does not keep.
#
# Usage: scripts/bootstrap-go.sh OLD_GO VERSION DEST
#   OLD_GO   a go command of any version, e.g. /usr/bin/go
#   VERSION  the release to install, as go.mod names it, e.g. 1.26.0
#   DEST     where to put it, e.g. /usr/local/go; it must not exist yet
set -euo pipefail

die() {
	echo "bootstrap-go: $*" >&2
	exit 1
}

[[ $# -eq 3 ]] || die "usage: bootstrap-go.sh OLD_GO VERSION DEST"
old=$1 version=$2 dest=$3
[[ -x $old ]] || die "$old is not a go command"
[[ $version =~ ^1\.[0-9]+(\.[0-9]+)?$ ]] || die "$version is not a Go release such as 1.26.0"
[[ ! -e $dest ]] || die "$dest exists already: remove it or choose another place"

goos=$(cd / && GOTOOLCHAIN=local "$old" env GOOS)
goarch=$(cd / && GOTOOLCHAIN=local "$old" env GOARCH)
module="golang.org/toolchain@v0.0.1-go${version}.${goos}-${goarch}"

# A module cache of its own, removed afterwards, so that nothing of the old
# go's settings or of the user's cache is touched; -modcacherw lets it go.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "bootstrap-go: fetching Go ${version} (${goos}/${goarch}) as the module ${module%@*} with $("$old" version | cut -d' ' -f3)"
json=$(cd "$work" && env HOME="$work" GOPATH="$work/gopath" GOMODCACHE="$work/cache" GOFLAGS=-modcacherw GO111MODULE=on GOTOOLCHAIN=local \
	"$old" mod download -json "$module") || true
dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")
if [[ -z $dir || ! -f $dir/bin/go ]]; then
	why=$(sed -n 's/^[[:space:]]*"Error": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")
	die "could not fetch $module: ${why:-no answer from the module proxy}"
fi

mkdir -p "$(dirname "$dest")"
cp -R "$dir" "$dest.partial"
chmod -R u+w "$dest.partial"
find "$dest.partial/bin" "$dest.partial/pkg/tool" -type f -exec chmod a+x {} +
mv "$dest.partial" "$dest"
echo "bootstrap-go: installed $("$dest/bin/go" version | cut -d' ' -f3) in $dest"
