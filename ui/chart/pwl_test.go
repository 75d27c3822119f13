package chart

import (
	"slices"
	"testing"
)

func TestPWLSample(t *testing.T) {
	t.Parallel()
	f := pwl{{0, 0}, {1, 2}, {3, 2}, {4, 0}}
	for _, tc := range []struct {
		f    pwl
		xs   []float64
		want []float64
	}{
		{f, []float64{-1, 0, 0.5, 1, 2, 3.5, 4, 9}, []float64{0, 0, 1, 2, 2, 1, 0, 0}},
		{f, nil, []float64{}},
		{nil, []float64{1, 2}, []float64{0, 0}},
		{pwl{{1, 5}}, []float64{0, 1, 2}, []float64{5, 5, 5}},
	} {
		if got := tc.f.sample(tc.xs); !slices.Equal(got, tc.want) {
			t.Errorf("%v.sample(%v) = %v, want %v", tc.f, tc.xs, got, tc.want)
		}
	}
}

func TestSimplify(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		f, want pwl
	}{
		{nil, nil},
		{pwl{{0, 0}, {1, 1}}, pwl{{0, 0}, {1, 1}}},
		{pwl{{0, 0}, {1, 1}, {2, 2}, {3, 3}}, pwl{{0, 0}, {3, 3}}},
		{pwl{{0, 0}, {1, 1}, {2, 0}}, pwl{{0, 0}, {1, 1}, {2, 0}}},
		{pwl{{0, 1}, {1, 1}, {1, 1}, {2, 1}, {3, 2}}, pwl{{0, 1}, {2, 1}, {3, 2}}},
	} {
		if got := slices.Clone(tc.f).simplify(); !slices.Equal(got, tc.want) {
			t.Errorf("%v.simplify() = %v, want %v", tc.f, got, tc.want)
		}
	}
}

func TestUpper(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		f, g pwl
		want pwl
	}{
		{"empty f", nil, pwl{{0, 1}}, pwl{{0, 1}}},
		{"empty g", pwl{{0, 1}}, nil, pwl{{0, 1}}},
		{"f above", pwl{{0, 2}, {2, 2}}, pwl{{0, 1}, {2, 1}}, pwl{{0, 2}, {2, 2}}},
		// A peak over a flat line: the crossings are added.
		{"peak over flat", pwl{{0, 0}, {2, 4}, {4, 0}}, pwl{{0, 1}, {4, 1}},
			pwl{{0, 1}, {0.5, 1}, {2, 4}, {3.5, 1}, {4, 1}}},
		{"hidden points dropped", pwl{{0, 5}, {4, 5}}, pwl{{0, 0}, {1, 2}, {2, 0}, {3, 2}, {4, 0}},
			pwl{{0, 5}, {4, 5}}},
		// Two lines that cross once, with no shared interior point.
		{"crossing", pwl{{0, 0}, {4, 4}}, pwl{{0, 3}, {4, 1}},
			pwl{{0, 3}, {2, 2}, {4, 4}}},
		// Touching without crossing adds nothing, and the points on
		// straight stretches go.
		{"touching", pwl{{0, 0}, {1, 1}, {2, 0}}, pwl{{0, 1}, {2, 1}},
			pwl{{0, 1}, {2, 1}}},
		// Beyond its ends a function is constant.
		{"different spans", pwl{{1, 3}, {2, 3}}, pwl{{0, 0}, {3, 6}},
			pwl{{0, 3}, {1.5, 3}, {3, 6}}},
	} {
		if got := upper(tc.f, tc.g); !slices.Equal(got, tc.want) {
			t.Errorf("%s: upper(%v, %v) = %v, want %v", tc.name, tc.f, tc.g, got, tc.want)
		}
	}
}
