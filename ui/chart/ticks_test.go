package chart

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/plot"
)

// labelled returns the labels of the ticks that have one.
func labelled(ticks []plot.Tick) []string {
	var out []string
	for _, tk := range ticks {
		if !tk.IsMinor() {
			out = append(out, tk.Label)
		}
	}
	return out
}

func TestLinearTicks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		lo, hi float64
		target int
		want   []string
	}{
		{0, 10, 5, []string{"0", "2", "4", "6", "8", "10"}},
		{0, 10.4, 2, []string{"0", "5", "10"}},
		{0, 10.4, 1, []string{"0", "10"}},
		{0, 1, 5, []string{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}},
		{-1, 1, 4, []string{"−1.0", "−0.5", "0.0", "0.5", "1.0"}},
		{88, 100, 6, []string{"88", "90", "92", "94", "96", "98", "100"}},
		{0, 0.0833, 4, []string{"0.00", "0.02", "0.04", "0.06", "0.08"}},
		{0.13, 0.97, 4, []string{"0.2", "0.4", "0.6", "0.8"}},
		{0, 3e7, 3, []string{"0", "1e+07", "2e+07", "3e+07"}},
		// A narrow chart of weights in ±0.04: one label, "0.00", gives no
		// scale, so the step gets finer until two fit.
		{-0.04, 0.04, 2, []string{"−0.04", "−0.02", "0.00", "0.02", "0.04"}},
		{-0.3, 0.4, 1, []string{"−0.2", "0.0", "0.2", "0.4"}},
		{1, 1, 5, nil},
		{2, 1, 5, nil},
		{0, math.Inf(1), 5, nil},
		{math.NaN(), 1, 5, nil},
	} {
		got := labelled(linearTicks{target: tc.target}.Ticks(tc.lo, tc.hi))
		if !slices.Equal(got, tc.want) {
			t.Errorf("linearTicks{%d}.Ticks(%g, %g) = %q, want %q", tc.target, tc.lo, tc.hi, got, tc.want)
		}
	}
}

func TestLogTicks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		lo, hi float64
		target int
		want   []string
	}{
		// A loss falling from 2.5 to 0.05 gets 1-2-5 labels.
		{0.05, 2.5, 6, []string{"0.05", "0.1", "0.2", "0.5", "1", "2"}},
		{0.05, 2.5, 4, []string{"0.1", "0.3", "1"}},
		{0.05, 2.5, 2, []string{"0.1", "1"}},
		// Many decades: every second one.
		{1e-4, 10, 3, []string{"0.0001", "0.01", "1"}},
		{0, 1, 5, nil},
		{-1, 1, 5, nil},
		{1, 1, 5, nil},
		{1, math.Inf(1), 5, nil},
	} {
		got := labelled(logTicks{target: tc.target}.Ticks(tc.lo, tc.hi))
		if !slices.Equal(got, tc.want) {
			t.Errorf("logTicks{%d}.Ticks(%g, %g) = %q, want %q", tc.target, tc.lo, tc.hi, got, tc.want)
		}
	}
}

func TestLogTicksMinorInRange(t *testing.T) {
	t.Parallel()
	ticks := logTicks{target: 5}.Ticks(0.03, 0.7)
	if len(ticks) == 0 {
		t.Fatal("logTicks{5}.Ticks(0.03, 0.7) returned no ticks")
	}
	for _, tk := range ticks {
		if tk.Value < 0.03*(1-1e-9) || tk.Value > 0.7*(1+1e-9) {
			t.Errorf("logTicks{5}.Ticks(0.03, 0.7) has a tick at %g, outside the range", tk.Value)
		}
	}
}

func TestAccuracyRange(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		lo         float64
		target     int
		wantLo, wH float64
	}{
		{97.8, 5, 97, 100},  // half a percent of margin, down to a whole tick
		{89.5, 6, 88, 100},  // ten percent of the distance to 100
		{10, 5, 0, 100},     // an untrained network: the whole range
		{100, 5, 99.5, 100}, // perfect: still a visible band
		{100.5, 5, 100, 101.5},
	} {
		gotLo, gotHi := accuracyRange(tc.lo, tc.target)
		if !sameFloat(gotLo, tc.wantLo, 1e-9) || !sameFloat(gotHi, tc.wH, 1e-9) {
			t.Errorf("accuracyRange(%g, %d) = %g, %g, want %g, %g", tc.lo, tc.target, gotLo, gotHi, tc.wantLo, tc.wH)
		}
	}
}
