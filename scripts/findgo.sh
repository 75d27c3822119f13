#!/usr/bin/env bash
# findgo.sh prints the path of the go command to build with: the first one of
# version 1.21 or newer among the go on PATH, /usr/local/go/bin/go (where the
# go.dev archive unpacks, often missing from PATH in a fresh or non-login
# shell) and /usr/lib/go-1.NN/bin/go (Debian's and Ubuntu's versioned
# packages, which put nothing on PATH), newest first. Go 1.21 is the first
# release that fetches the newer toolchain go.mod names by itself.
#
# It prints nothing and exits 1 when there is no such go.
set -euo pipefail

# go_minor prints the minor version of the go command $1 (26 for go1.26.8),
# or nothing when it does not run. It runs from / with GOTOOLCHAIN=local so
# that an older go neither refuses this module's go.mod nor starts fetching
# the toolchain just to answer.
go_minor() {
	local v
	v=$(cd / && GOTOOLCHAIN=local "$1" env GOVERSION 2>/dev/null) || return 0
	case $v in
	devel*) echo 999 ;; # built from source: newer than any release
	go1.*)
		v=${v#go1.}
		echo "${v%%[!0-9]*}"
		;;
	esac
}

candidates=()
if on_path=$(command -v go); then
	candidates+=("$on_path")
fi
candidates+=(/usr/local/go/bin/go)
# Versioned packages, newest first: sort -V orders go-1.9 before go-1.23.
while IFS= read -r dir; do
	candidates+=("$dir/bin/go")
done < <(compgen -G '/usr/lib/go-1.*' | sort -rV)

for go in "${candidates[@]}"; do
	[[ -x $go ]] || continue
	minor=$(go_minor "$go")
	if [[ -n $minor ]] && ((minor >= 21)); then
		echo "$go"
		exit 0
	fi
done
exit 1
