package chart

import (
	"image/color"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/plot/vg"

	"github.com/mnistplayground/mnistplayground/engine"
)

// inside reports whether (x, y) is inside the polygon, by the even-odd rule.
func inside(poly []vg.Point, x, y float64) bool {
	in := false
	for i, j := 0, len(poly)-1; i < len(poly); j, i = i, i+1 {
		xi, yi := float64(poly[i].X), float64(poly[i].Y)
		xj, yj := float64(poly[j].X), float64(poly[j].Y)
		if (yi > y) != (yj > y) && x < xi+(y-yi)*(xj-xi)/(yj-yi) {
			in = !in
		}
	}
	return in
}

// TestRidgeLayoutMatchesPainter checks the clipped ridges against the
// painter's algorithm they replace: every point belongs to the newest ridge
// standing over it, and to no other.
func TestRidgeLayoutMatchesPainter(t *testing.T) {
	t.Parallel()
	wide := engine.Histogram{Min: -1, Max: 1, Counts: []int{1, 5, 20, 5, 1}}
	for _, tc := range []struct {
		name    string
		entries []HistEntry
	}{
		{"one", fakeHistory(1, 0, 3)},
		{"thirty", fakeHistory(30, 6000, 3)},
		{"different ranges", []HistEntry{
			{0, engine.Histogram{Min: -0.1, Max: 0.1, Counts: []int{10, 50, 10}}},
			{5, wide},
			{9, engine.Histogram{Min: 0.2, Max: 1.5, Counts: []int{3, 0, 0, 9, 1}}},
		}},
		{"disjoint ranges", []HistEntry{
			{0, engine.Histogram{Min: -2, Max: -1, Counts: []int{4, 4}}},
			{1, engine.Histogram{Min: 1, Max: 2, Counts: []int{1, 9}}},
			{2, wide},
		}},
	} {
		r := newRidges(tc.entries, color.Black, color.White, 1)
		shown := r.layout(func(x, y float64) vg.Point { return vg.Point{X: vg.Length(x), Y: vg.Length(y)} })
		if len(shown) != len(tc.entries) {
			t.Fatalf("%s: %d ridges laid out, want %d", tc.name, len(shown), len(tc.entries))
		}
		n := len(r.curves)
		rng := rand.New(rand.NewPCG(11, 11))
		bad := 0
		for range 20000 {
			x := r.xlo + rng.Float64()*(r.xhi-r.xlo)
			y := rng.Float64() * r.top
			want, margin := -1, math.Inf(1)
			for i := n - 1; i >= 0; i-- {
				base := float64(n-1-i) * r.gap
				c := r.curves[i].sample([]float64{x})[0]
				margin = min(margin, math.Abs(y-c), math.Abs(y-base))
				if want < 0 && y > base && y < c {
					want = i
				}
			}
			if margin < 1e-6 {
				continue // on an edge, where either answer is right
			}
			var got []int
			for i, v := range shown {
				for _, poly := range v.fill {
					if inside(poly, x, y) {
						got = append(got, i)
					}
				}
			}
			if want < 0 && len(got) == 0 || len(got) == 1 && got[0] == want {
				continue
			}
			if bad++; bad <= 5 {
				t.Errorf("%s: point (%.4f, %.4f) is filled by ridges %v, want only %d (-1: none)", tc.name, x, y, got, want)
			}
		}
	}
}

func TestStepLabel(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		step int
		want string
	}{
		{0, "step 0"},
		{999, "step 999"},
		{12000, "step 12,000"},
		{1234567, "step 1,234,567"},
	} {
		if got := stepLabel(c.step); got != c.want {
			t.Errorf("stepLabel(%d) = %q, want %q", c.step, got, c.want)
		}
	}
}
