package chart

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestDecimate(t *testing.T) {
	t.Parallel()
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name    string
		ys      []float64
		buckets int
		keep    func(float64) bool
		want    []int
	}{
		{"empty", nil, 10, nil, []int{}},
		{"short kept whole", []float64{3, 1, 2}, 10, nil, []int{0, 1, 2}},
		{"short skips nan and inf", []float64{3, nan, 2, inf, -inf}, 10, nil, []int{0, 2}},
		{"short on a log axis", []float64{3, 0, -1, 2}, 10, positive, []int{0, 3}},
		// Two buckets of four: (5 1 9 3) keeps 1 then 9; (2 8 7 0) keeps
		// 8 then 0, in index order.
		{"min and max per bucket", []float64{5, 1, 9, 3, 2, 8, 7, 0}, 2, nil, []int{1, 2, 5, 7}},
		{"flat bucket gives one point", []float64{4, 4, 4, 4, 1, 2, 3, 0}, 2, nil, []int{0, 6, 7}},
		{"nan bucket gives none", []float64{nan, nan, nan, nan, 1, 2, 3, 0}, 2, nil, []int{6, 7}},
		// One bucket keeps 5 and 1, then the last value, 4.
		{"zero buckets means one", []float64{2, 5, 1, 3, 4}, 0, nil, []int{1, 2, 4}},
		// The last bucket (4 6 5 nan) keeps 4 and 6, then the last usable
		// value, 5, at index 10.
		{"last usable kept", []float64{5, 1, 9, 3, 2, 8, 7, 0, 4, 6, 5, nan}, 3, nil, []int{1, 2, 5, 7, 8, 9, 10}},
		// (1 0 3 2) keeps 1 then 3, passing over the 0; (5 6 0.5 2) keeps
		// 6 then 0.5, then the last value.
		{"log axis skips zero minimum", []float64{1, 0, 3, 2, 5, 6, 0.5, 2}, 2, positive, []int{0, 2, 5, 6, 7}},
	} {
		got := Decimate(tc.ys, tc.buckets, tc.keep)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: Decimate(%v, %d) = %v, want %v", tc.name, tc.ys, tc.buckets, got, tc.want)
		}
	}
}

// TestDecimateLong checks the promises on runs far longer than the chart is
// wide: bounded size, ascending indices, and the global extremes kept.
func TestDecimateLong(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 7))
	for _, tc := range []struct{ n, buckets int }{
		{60000, 800}, {60001, 799}, {1601, 800}, {100000, 1}, {5000, 3},
	} {
		ys := make([]float32, tc.n)
		for i := range ys {
			ys[i] = float32(1 + rng.NormFloat64())
		}
		// Plant extremes where they would be easy to lose: mid-bucket.
		ys[tc.n/3] = 50
		ys[2*tc.n/3+1] = -50
		ys[tc.n/2] = float32(math.NaN())

		got := Decimate(ys, tc.buckets, nil)
		if len(got) > 2*tc.buckets+1 {
			t.Errorf("Decimate(%d values, %d buckets) kept %d, want at most %d", tc.n, tc.buckets, len(got), 2*tc.buckets+1)
		}
		if got[len(got)-1] != tc.n-1 {
			t.Errorf("Decimate(%d values, %d buckets) ends at %d, want the last index %d", tc.n, tc.buckets, got[len(got)-1], tc.n-1)
		}
		if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
			t.Errorf("Decimate(%d values, %d buckets) indices are not strictly ascending", tc.n, tc.buckets)
		}
		for _, want := range []int{tc.n / 3, 2*tc.n/3 + 1} {
			if !slices.Contains(got, want) {
				t.Errorf("Decimate(%d values, %d buckets) lost the extreme at %d", tc.n, tc.buckets, want)
			}
		}
		if slices.Contains(got, tc.n/2) {
			t.Errorf("Decimate(%d values, %d buckets) kept the NaN at %d", tc.n, tc.buckets, tc.n/2)
		}
	}
}
