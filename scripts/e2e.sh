#!/usr/bin/env bash
# e2e.sh: the end-to-end check of the real window. It builds the app, opens
# it in a virtual X server (Xvfb, with Mesa's software OpenGL), presses Space
# to train the default network on MNIST, draws a digit on the pad with the
# mouse, and takes screenshots. It fails when the app dies, logs a Fyne
# threading error, does not finish training, does not take the drawing, or
# shows a blank window. It then opens the window again as a projector shows
# it, 1024×768 at FYNE_SCALE=1.5, and checks that it fits and trains there.
#
# Run it from the repository root (make e2e does, and make test before the
# unit tests). It needs xvfb, xdotool, imagemagick and x11-utils, which
# `make setup SETUP_FLAGS=--test` (run by make test) installs, and MNIST in the
# Go module cache (make fetches it). Screenshots and the app's log go to
# e2e-out/.
set -euo pipefail

out=e2e-out
mkdir -p "$out"
rm -f "$out"/*.png "$out"/app.log

missing=()
for pair in Xvfb:xvfb xdotool:xdotool import:imagemagick convert:imagemagick xdpyinfo:x11-utils; do
	command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "e2e: missing $(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' '); run: bash scripts/setup.sh --test" >&2
	exit 1
fi

echo "e2e: building the app"
go build -tags migrated_fynedo -o "$out/mnist-playground" .


xvfb_pid='' app_pid=''
cleanup() {
	if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
		kill "$app_pid" 2>/dev/null || true
		wait "$app_pid" 2>/dev/null || true
	fi
	stop_x
}
stop_x() {
	if [ -n "$xvfb_pid" ]; then
		kill "$xvfb_pid" 2>/dev/null || true
		wait "$xvfb_pid" 2>/dev/null || true
	fi
	xvfb_pid=''
}
trap cleanup EXIT

fail() {
	echo "e2e: FAIL: $*" >&2
	if [ -s "$out/app.log" ]; then
		echo "e2e: the app's log ($out/app.log) ends with:" >&2
		tail -n 20 "$out/app.log" >&2
	fi
	exit 1
}

# alive fails the check when the app has exited.
alive() {
	kill -0 "$app_pid" 2>/dev/null || fail "the app exited $1"
}

# shot saves a screenshot of the whole screen as $out/$1.png.
shot() {
	import -window root "$out/$1.png"
	echo "e2e: screenshot $out/$1.png"
}

# stddev prints the standard deviation of an image's pixels (0 to 1), of
# the region WxH+X+Y when one is given.
stddev() {
	local crop=()
	[ $# -gt 1 ] && crop=(-crop "$2" +repage)
	convert "$1" "${crop[@]}" -colorspace Gray -format '%[fx:standard_deviation]' info:
}

# start_x starts a virtual screen of size $1. Xvfb picks a free display
# itself and writes its number to -displayfd once it accepts connections, so
# another X server started at the same moment (a second check, a screenshot
# tool) cannot take the same one. -noreset keeps it from resetting when its
# last client disconnects: a probe such as xdpyinfo would otherwise leave
# the app facing a server in mid-reset, which on a cold machine is slow.
start_x() {
	rm -f "$out/display"
	Xvfb -displayfd 3 -noreset -screen 0 "${1}x24" -nolisten tcp 3>"$out/display" >"$out/xvfb.log" 2>&1 &
	xvfb_pid=$!
	for _ in $(seq 100); do
		[ -s "$out/display" ] && break
		kill -0 "$xvfb_pid" 2>/dev/null || fail "Xvfb did not start (see $out/xvfb.log)"
		sleep 0.1
	done
	[ -s "$out/display" ] || fail "Xvfb did not start within 10 s (see $out/xvfb.log)"
	export DISPLAY=":$(head -n 1 "$out/display")"
	xdpyinfo >/dev/null 2>&1 || fail "Xvfb on $DISPLAY does not answer (see $out/xvfb.log)"
}

# open_app starts the app and waits for its window, which it resizes to
# $1 (in pixels; there is no window manager to do it). An app that could not
# open the display is started again, up to five times: the display is
# waited for rather than assumed. Fyne keeps its preferences under
# XDG_CONFIG_HOME: a fresh folder keeps the check independent of earlier
# runs and of the user's settings.
open_app() {
	window=''
	for attempt in 1 2 3 4 5; do
		XDG_CONFIG_HOME="$PWD/$out/config" "$out/mnist-playground" >"$out/app.log" 2>&1 &
		app_pid=$!
		for _ in $(seq 300); do
			kill -0 "$app_pid" 2>/dev/null || break
			window=$(xdotool search --onlyvisible --name '^MNIST Playground$' 2>/dev/null | head -n 1 || true)
			[ -n "$window" ] && break
			sleep 0.1
		done
		[ -n "$window" ] && break
		if ! kill -0 "$app_pid" 2>/dev/null && grep -q 'Failed to open display' "$out/app.log"; then
			echo "e2e: the display was not ready (attempt $attempt); trying again"
			sleep 1
			continue
		fi
		alive "before its window appeared"
		break
	done
	[ -n "$window" ] || fail "no window appeared within 30 s"
	xdotool windowsize "$window" "${1%x*}" "${1#*x}"
	sleep 1
	echo "e2e: window $window: $(xdotool getwindowgeometry "$window" | sed -n 's/.*Geometry: //p')"
}

# train presses Space, which needs no coordinates, and waits for the log
# line the app writes when a run ends: the default network trains its
# twenty epochs in a few seconds.
train() {
	xdotool key --clearmodifiers space
	trained=''
	for _ in $(seq 900); do
		alive "while training"
		if trained=$(grep -m 1 -E ' trained 784-100\(relu\)-10 ce for [0-9]+ epochs' "$out/app.log"); then
			break
		fi
		sleep 0.1
	done
	[ -n "$trained" ] || fail "training did not finish within 90 s of pressing Space"
	echo "e2e: ${trained#* * }"
}

no_threading_errors() {
	if grep -n -E 'Error in Fyne call thread|fyne\.Do' "$out/app.log"; then
		fail "the app logged a Fyne threading error"
	fi
}

# A laptop's 1280×800 screen at scale 1: the settings, the charts under
# tabs and the drawing column side by side.
start_x 1280x800
open_app 1280x760
# Wait for MNIST to load (about a second).
sleep 3
alive "while loading MNIST"
shot e2e-start
train

# Draw a 7 on the pad, the square at the top left of the drawing column,
# about (772, 173) to (1055, 456) in a 1280×760 window under the menu bar;
# the stroke keeps well inside it. The preview of the network's input is
# under the pad, about (834, 501) to (993, 660).
pad_region=250x250+788+190
preview_region=140x140+843+510
shot e2e-trained
xdotool mousemove --window "$window" 820 215 mousedown 1
for point in "870 213" "921 212" "967 215" "941 271" "916 327" "896 379" "883 425"; do
	# shellcheck disable=SC2086 # two coordinates
	xdotool mousemove --window "$window" $point
	sleep 0.03
done
xdotool mouseup 1
sleep 1
alive "after the drawing"
shot e2e-1280

before=$(stddev "$out/e2e-trained.png" "$pad_region")
after=$(stddev "$out/e2e-1280.png" "$pad_region")
preview=$(stddev "$out/e2e-1280.png" "$preview_region")
whole=$(stddev "$out/e2e-1280.png")
echo "e2e: pixel deviation: window $whole, pad $before before drawing and $after after, preview $preview"
awk -v w="$whole" 'BEGIN { exit !(w > 0.05) }' || fail "the window looks blank (deviation $whole)"
awk -v a="$after" -v b="$before" 'BEGIN { exit !(a > b + 0.05) }' || fail "the stroke did not show on the pad"
awk -v p="$preview" 'BEGIN { exit !(p > 0.1) }' || fail "the preview does not show the network's input"
no_threading_errors
alive "at the end"
kill "$app_pid" 2>/dev/null || true
wait "$app_pid" 2>/dev/null || true
app_pid=''
stop_x

# A projector: 1024×768 at FYNE_SCALE=1.5, where the window is 683×512
# points and the views share a column under tabs. It must open, fit the
# screen, keep its buttons and status line on it, and train.
export FYNE_SCALE=1.5
start_x 1024x768
open_app 1024x768
sleep 3
alive "while loading MNIST at scale 1.5"
geometry=$(xdotool getwindowgeometry "$window" | sed -n 's/.*Geometry: //p')
[ "$geometry" = 1024x768 ] || fail "at scale 1.5 the window is $geometry, not the 1024x768 screen"
train
shot e2e-projector
# A race: Ctrl+Shift+A trains the network with sigmoid against ReLU hidden
# layers, in turn from the same seed (Return discards the trained network,
# which the Runs view keeps). Both must end, at the same step.
xdotool key --clearmodifiers ctrl+shift+a
sleep 0.5
xdotool key --clearmodifiers Return
sigmoid='' relu=''
for _ in $(seq 900); do
	alive "while racing"
	sigmoid=$(grep -m 1 -E ' trained 784-100\(sigmoid\)-10 ce for [0-9]+ epochs' "$out/app.log" || true)
	relu=$(grep -m 1 -E ' raced: trained 784-100\(relu\)-10 ce for [0-9]+ epochs' "$out/app.log" || true)
	[ -n "$sigmoid" ] && [ -n "$relu" ] && break
	sleep 0.1
done
[ -n "$sigmoid" ] && [ -n "$relu" ] || fail "the race of sigmoid against ReLU did not end within 90 s of Ctrl+Shift+A"
steps() { sed -n 's/.*(\([0-9,]*\) steps).*/\1/p' <<<"$1"; }
echo "e2e: race: ${sigmoid#* * }; ${relu#* * }"
[ "$(steps "$sigmoid")" = "$(steps "$relu")" ] || fail "the race's runs ended at different steps"
shot e2e-race
whole=$(stddev "$out/e2e-projector.png")
status=$(stddev "$out/e2e-projector.png" 1024x50+0+712)
toolbar=$(stddev "$out/e2e-projector.png" 1024x60+0+0)
echo "e2e: pixel deviation at scale 1.5: window $whole, toolbar $toolbar, status line $status"
awk -v w="$whole" 'BEGIN { exit !(w > 0.05) }' || fail "the projector window looks blank (deviation $whole)"
awk -v t="$toolbar" -v s="$status" 'BEGIN { exit !(t > 0.05 && s > 0.03) }' || fail "the toolbar or the status line is missing at scale 1.5"
no_threading_errors
alive "at the end"
echo "e2e: log $out/app.log"
echo "e2e: ok"
