#!/usr/bin/env bash
# setup.sh installs what building MNIST Playground needs and is missing: the
# system packages of a Fyne build (a C compiler, pkg-config, the OpenGL and X11
# headers) and, when there is no Go 1.21 or newer, Go itself. With --test it
# adds what the end-to-end check of the window needs (a virtual X server,
# xdotool, ImageMagick and xwininfo) and what the check of the Linux package
# needs (xz and desktop-file-validate); with --package, what `make package`
# needs (xz). It asks apt only for the packages dpkg reports as not
# installed, runs apt-get update once and only when something is missing,
# and says what it installs; a second run installs nothing.
#
# Usage: scripts/setup.sh [--test] [--package] [--dry-run]
#   --test     also the packages of the end-to-end and package checks
#   --package  also the packages `make package` needs
#   --dry-run  print what would be installed, install nothing
set -euo pipefail

build_pkgs=(gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev
	libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev)
# make package writes a .tar.xz; its check validates the .desktop entry.
package_pkgs=(xz-utils)
test_pkgs=(xvfb xdotool imagemagick x11-utils libgl1-mesa-dri desktop-file-utils "${package_pkgs[@]}")

# Go 1.21 is the first release that fetches the toolchain go.mod names by
# itself (GOTOOLCHAIN=auto), so any go from 1.21 on can build the module.
min_go_minor=21

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")

say() { echo "setup: $*"; }
die() {
	echo "setup: $*" >&2
	exit 1
}

test=false
package=false
dry=false
for arg; do
	case $arg in
	--test) test=true ;;
	--package) package=true ;;
	--dry-run) dry=true ;;
	-h | --help)
		sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
		exit 0
		;;
	*) die "unknown option $arg: use --test, --package, --dry-run or --help" ;;
	esac
done

# The Go release go.mod names.
need=$(awk '$1 == "go" { print $2; exit }' "$root/go.mod")

wanted=("${build_pkgs[@]}")
if $test; then
	wanted+=("${test_pkgs[@]}")
elif $package; then
	wanted+=("${package_pkgs[@]}")
fi

# go_version prints the version of the go command $1 without the "go" prefix
# (1.26.8). It runs from / with GOTOOLCHAIN=local, so that an older go neither
# refuses this module's go.mod nor starts fetching a toolchain to answer.
go_version() {
	local v
	v=$(cd / && GOTOOLCHAIN=local "$1" env GOVERSION 2>/dev/null) || return 0
	echo "${v#go}"
}

# minor prints the minor number of a Go version: 26 for 1.26.8, 19 for 1.19~1.
minor() {
	local v=${1#*.}
	echo "${v%%[!0-9]*}"
}

# candidate prints the version apt would install for package $1, without its
# epoch, or nothing when apt has none.
candidate() {
	local v
	v=$(apt-cache policy "$1" 2>/dev/null | awk '$1 == "Candidate:" { print $2 }')
	[[ -n $v && $v != "(none)" ]] && echo "${v#*:}"
	return 0
}

# go_package prints the apt package that brings a Go of 1.21 or newer:
# golang-go when the release's default is new enough, else the newest
# versioned golang-1.NN-go apt offers (Ubuntu's updates and Debian's
# backports carry newer ones than the default). It fails when there is none;
# setup then bootstraps the release from apt's older Go (bootstrap-go.sh).
go_package() {
	local v pkg
	v=$(candidate golang-go)
	if [[ -n $v ]] && (($(minor "$v") >= min_go_minor)); then
		echo golang-go
		return 0
	fi
	while IFS= read -r pkg; do
		v=${pkg#golang-1.}
		v=${v%-go}
		if ((v >= min_go_minor)) && [[ -n $(candidate "$pkg") ]]; then
			echo "$pkg"
			return 0
		fi
	done < <(apt-cache pkgnames golang-1. 2>/dev/null | grep -E '^golang-1\.[0-9]+-go$' | sort -rV)
	return 1
}

# no_go_package stops with what to do when apt has no Go new enough; $1 is
# the golang-go version apt offers, if any.
no_go_package() {
	local old have="" sudo="sudo " archive="go${need}.linux-ARCH.tar.gz (ARCH as go.dev names this machine)"
	if ((EUID == 0)); then
		sudo=""
	fi
	if old=$(command -v go); then
		have=" (the go on PATH, $old, is $(go_version "$old"))"
	fi
	case $(dpkg --print-architecture 2>/dev/null) in
	amd64 | arm64 | s390x) archive="go${need}.linux-$(dpkg --print-architecture).tar.gz" ;;
	i386) archive="go${need}.linux-386.tar.gz" ;;
	ppc64el) archive="go${need}.linux-ppc64le.tar.gz" ;;
	esac
	die "building needs Go 1.${min_go_minor} or newer${have}, and apt offers none here (golang-go: ${1:-none}).
  Install Go ${need} from go.dev into /usr/local:
    curl -fsSL https://go.dev/dl/${archive} | ${sudo}tar -C /usr/local -xz
  then run make again: /usr/local/go/bin is found even when it is not on PATH.
  Enabling your release's backports works too when they carry a golang-1.NN-go package of 1.${min_go_minor} or newer."
}

debian=true
if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
	debian=false
fi

missing=()
if $debian; then
	for p in "${wanted[@]}"; do
		# "ii": wanted and installed; anything else (absent, removed, half
		# configured) needs apt.
		if [[ $(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null) != ii* ]]; then
			missing+=("$p")
		fi
	done
else
	say "no dpkg-query or apt-get, so the system packages are not checked; this system needs its equivalents of: ${wanted[*]}"
fi

go=$(bash "$here/findgo.sh") || go=""
if [[ -z $go ]] && ! $debian; then
	die "building needs Go 1.${min_go_minor} or newer: install it from https://go.dev/dl/ or your system's packages, then run make again"
fi

if ((${#missing[@]} == 0)) && [[ -n $go ]]; then
	if $debian; then
		say "nothing to install: the ${#wanted[@]} system packages are present; go $(go_version "$go") is $go"
	else
		say "go $(go_version "$go") is $go"
	fi
else
	if ((EUID == 0)); then
		as_root=()
	elif command -v sudo >/dev/null; then
		as_root=(sudo)
	elif $dry; then
		as_root=()
	else
		die "installing ${missing[*]:-Go} needs root, and there is no sudo: run this as root, or install them with apt-get, then run make again"
	fi
	# A fresh machine's unattended upgrades may hold dpkg's lock for a few
	# minutes after boot: wait for it rather than fail.
	apt_get() { "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"; }

	if $dry; then
		if [[ -z $go ]] && old=$(command -v go); then
			say "the go on PATH, $old, is $(go_version "$old"): older than 1.${min_go_minor}"
		fi
		if [[ -z $go ]]; then
			# Without apt-get update the lists may be empty or old, so this
			# is apt's choice today, not necessarily after the update.
			if pkg=$(go_package); then
				missing+=("$pkg")
			elif [[ -n $(candidate golang-go) ]]; then
				missing+=(golang-go)
				say "would then install Go $need into /usr/local/go with it (scripts/bootstrap-go.sh): apt's golang-go $(candidate golang-go) is older than 1.${min_go_minor}"
			else
				missing+=("golang-go or a golang-1.NN-go")
			fi
		fi
		say "would run: ${as_root[*]:+${as_root[*]} }apt-get update"
		say "would install: ${missing[*]}"
		exit 0
	fi

	say "updating apt's package lists${as_root[*]:+ (through sudo)}"
	apt_get update -q
	bootstrap=false
	if [[ -z $go ]]; then
		if pkg=$(go_package); then
			missing+=("$pkg")
		elif [[ -n $(candidate golang-go) && ! -e /usr/local/go ]]; then
			# apt's Go is older than 1.21, too old to fetch the release go.mod
			# names by itself, but it can download that release as a module.
			missing+=(golang-go)
			bootstrap=true
		else
			no_go_package "$(candidate golang-go)"
		fi
	fi
	say "installing ${missing[*]}"
	apt_get install -y -q "${missing[@]}"
	if $bootstrap; then
		say "apt's go is $(go_version /usr/bin/go), older than 1.${min_go_minor}: installing Go $need into /usr/local/go with it"
		"${as_root[@]}" bash "$here/bootstrap-go.sh" /usr/bin/go "$need" /usr/local/go
	fi

	if [[ -z $go ]]; then
		go=$(bash "$here/findgo.sh") || die "apt installed ${missing[*]}, yet there is still no go of 1.${min_go_minor} or newer; install Go from https://go.dev/dl/"
	fi
	say "done; go $(go_version "$go") is $go"
fi

# go.mod may name a newer Go than the one installed: Go fetches that release
# through the module proxy on first use, unless GOTOOLCHAIN=local forbids it.
have=$(go_version "$go")
if [[ -n $need && -n $have && $(printf '%s\n' "$need" "$have" | sort -V | head -n 1) != "$need" ]]; then
	if [[ ${GOTOOLCHAIN:-} == local ]]; then
		die "go.mod needs go $need, go $have is installed, and GOTOOLCHAIN=local in the environment forbids fetching it: unset GOTOOLCHAIN, or install Go $need from https://go.dev/dl/"
	fi
	say "go.mod needs go $need: the go command fetches it through the module proxy on first use (go $have is installed)"
fi
