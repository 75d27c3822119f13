package chart

import (
	"math"
	"testing"
)

func TestSmooth(t *testing.T) {
	t.Parallel()
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name   string
		ys     []float64
		weight float64
		want   []float64
	}{
		{"empty", nil, 0.9, []float64{}},
		{"no smoothing", []float64{3, 1, 2}, 0, []float64{3, 1, 2}},
		// Debiasing makes a constant series come out unchanged rather
		// than rising from zero.
		{"constant", []float64{2, 2, 2, 2}, 0.9, []float64{2, 2, 2, 2}},
		// 0.5·0+0.5·1 = 0.5, over 1-0.5 → 1; then 0.25 over 0.75 → 1/3.
		{"two steps", []float64{1, 0}, 0.5, []float64{1, 1.0 / 3}},
		{"nan passes through", []float64{1, nan, 0}, 0.5, []float64{1, nan, 1.0 / 3}},
		{"inf passes through", []float64{1, inf, 0}, 0.5, []float64{1, inf, 1.0 / 3}},
		{"leading nan", []float64{nan, 4, 4}, 0.9, []float64{nan, 4, 4}},
		// A weight above the limit is clamped to 0.999.
		{"clamped", []float64{1, 3}, 2, []float64{1, (0.999*0.001 + 0.001*3) / (1 - 0.999*0.999)}},
		{"negative weight is none", []float64{5, 1}, -1, []float64{5, 1}},
	} {
		got := Smooth(tc.ys, tc.weight)
		if len(got) != len(tc.want) {
			t.Errorf("%s: Smooth(%v, %g) has %d values, want %d", tc.name, tc.ys, tc.weight, len(got), len(tc.want))
			continue
		}
		for i := range got {
			if !sameFloat(got[i], tc.want[i], 1e-12) {
				t.Errorf("%s: Smooth(%v, %g)[%d] = %g, want %g", tc.name, tc.ys, tc.weight, i, got[i], tc.want[i])
			}
		}
	}
}

func TestSmoothFloat32(t *testing.T) {
	t.Parallel()
	got := Smooth([]float32{1, 0}, 0.5)
	want := []float64{1, 1.0 / 3}
	for i := range want {
		if !sameFloat(got[i], want[i], 1e-12) {
			t.Errorf("Smooth(float32)[%d] = %g, want %g", i, got[i], want[i])
		}
	}
}

func TestAdaptiveSmoothing(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		n, pixels int
		want      float64
	}{
		{0, 800, DefaultSmoothing},
		{100, 800, DefaultSmoothing},
		{2000, 800, DefaultSmoothing}, // memory 10 points: exactly the default
		{6000, 800, 1 - 1.0/30},
		{60000, 800, 1 - 1.0/300},
		{1e9, 800, maxSmoothing},
		{6000, 0, DefaultSmoothing},
		{-5, 800, DefaultSmoothing},
	} {
		if got := AdaptiveSmoothing(tc.n, tc.pixels); !sameFloat(got, tc.want, 1e-12) {
			t.Errorf("AdaptiveSmoothing(%d, %d) = %g, want %g", tc.n, tc.pixels, got, tc.want)
		}
	}
}

// sameFloat reports whether a and b are within tol, or both NaN, or the
// same infinity.
func sameFloat(a, b, tol float64) bool {
	switch {
	case math.IsNaN(a) || math.IsNaN(b):
		return math.IsNaN(a) && math.IsNaN(b)
	case math.IsInf(a, 0) || math.IsInf(b, 0):
		return a == b
	}
	return math.Abs(a-b) <= tol
}
