#!/usr/bin/env bash
# package.sh builds the Linux archive of the app,
# dist/mnist-playground-VERSION-linux-ARCH.tar.xz, with `fyne package`: a
# release build of the binary (-trimpath, stripped, with the build tags in
# TAGS), the icon and a .desktop entry made from FyneApp.toml, under
# usr/local/ (usr/ on a system without /usr/local), and a Makefile whose
# `sudo make install` puts them in place.
#
# `make package` runs it with these set:
#   GO    the go command to build with (default go)
#   FYNE  the fyne command as a versioned package for `go run`, such as
#         fyne.io/tools/cmd/fyne@v1.7.4
#   TAGS  comma-separated build tags (default migrated_fynedo)
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
go=${GO:-go}
fyne=${FYNE:?set FYNE to the fyne command as PATH@VERSION, as make package does}
tags=${TAGS:-migrated_fynedo}

die() {
	echo "package: $*" >&2
	exit 1
}

command -v xz >/dev/null || die "tar needs xz to write the archive: install xz-utils (bash scripts/setup.sh --package)"

version=$(sed -n 's/^Version *= *"\([^"]*\)".*/\1/p' FyneApp.toml | head -n 1)
[[ -n $version ]] || die "FyneApp.toml has no Version = \"X.Y.Z\" under [Details]"
arch=$("$go" env GOARCH)
out=dist/mnist-playground-$version-linux-$arch.tar.xz

work=$(mktemp -d)
# fyne package counts its builds by rewriting FyneApp.toml (Build = N+1, and
# its sections reordered). The archive is made from the committed metadata,
# and the file is put back as it was, so that packaging changes nothing in
# the tree and two runs make the same package.
cp -p FyneApp.toml "$work/FyneApp.toml"
finish() {
	cmp -s "$work/FyneApp.toml" FyneApp.toml || cp -p "$work/FyneApp.toml" FyneApp.toml
	rm -rf "$work"
}
trap finish EXIT
trap 'exit 130' INT TERM

# fyne runs in the scratch folder, where it writes its staging tree and the
# archive (named after the app, "MNIST Playground.tar.xz"). --exe names the
# binary to build there rather than the module's last path element
# ("mnistplayground"), so that the command and the archive's folder are
# mnist-playground, as `make build` names it, and ./mnist-playground, if
# any, is neither used nor removed. GO makes fyne build with the same go.
echo "package: fyne package ($fyne) for linux/$arch, tags $tags"
(cd "$work" && GO="$go" "$go" run "$fyne" package --os linux --release \
	--tags "$tags" --src "$root" --exe "$work/mnist-playground")

archives=("$work"/*.tar.xz)
[[ ${#archives[@]} -eq 1 && -f ${archives[0]} ]] || die "fyne package left no single .tar.xz in $work"
mkdir -p dist
mv -f "${archives[0]}" "$out"
echo "package: wrote $out ($(du -h "$out" | cut -f 1))"
