package engine

import (
	"slices"
	"testing"
)

// TestHistoryBoundedOverAMillionSteps adds a value a step for 10^6 steps and
// checks that the history stays within its bound, that its points tile the
// steps evenly, and that each holds the mean of its steps.
func TestHistoryBoundedOverAMillionSteps(t *testing.T) {
	t.Parallel()
	const steps = 1_000_000
	s := newSeries(reduceMean)
	most := 0
	for i := 1; i <= steps; i++ {
		s.add(i, float64(i))
		most = max(most, len(s.values), cap(s.values), cap(s.steps))
	}
	if most > historyPoints {
		t.Fatalf("the history held up to %d points, want at most %d", most, historyPoints)
	}
	h := s.view()
	if h.Len() < historyPoints/2 {
		t.Fatalf("%d points after %d steps, want at least %d", h.Len(), steps, historyPoints/2)
	}
	if h.Span&(h.Span-1) != 0 || h.Span < steps/historyPoints {
		t.Fatalf("span %d: want a power of two of at least %d", h.Span, steps/historyPoints)
	}
	for i, st := range h.Steps {
		if want := (i + 1) * h.Span; st != want {
			t.Fatalf("point %d ends at step %d, want %d", i, st, want)
		}
		// The mean of the values first..last, which are the step numbers.
		first := st - h.Span + 1
		if want := float64(first+st) / 2; h.Values[i] != want {
			t.Fatalf("point %d (steps %d..%d) = %g, want their mean %g", i, first, st, h.Values[i], want)
		}
	}
	if last, _, _ := h.Last(); steps-last >= h.Span {
		t.Errorf("the newest point ends at step %d, more than a span (%d) before step %d", last, h.Span, steps)
	}
}

func TestHistoryKeepsLastValueForRates(t *testing.T) {
	t.Parallel()
	s := newSeries(reduceLast)
	rate := func(step int) float64 { return 1 / float64(1+step/700) }
	for i := 1; i <= 5000; i++ {
		s.add(i, rate(i))
	}
	h := s.view()
	if h.Span != 8 {
		t.Fatalf("span %d after 5000 steps, want 8", h.Span)
	}
	for i, st := range h.Steps {
		if h.Values[i] != rate(st) {
			t.Fatalf("point %d at step %d = %g, want the rate in force then, %g", i, st, h.Values[i], rate(st))
		}
	}
}

// TestHistoryViewsNeverChange checks that a published view keeps its values
// while the series appends and merges.
func TestHistoryViewsNeverChange(t *testing.T) {
	t.Parallel()
	s := newSeries(reduceMean)
	var views []History
	var copies []History
	for i := 1; i <= 5000; i++ {
		s.add(i, float64(i%37))
		if i%97 == 0 {
			v := s.view()
			views = append(views, v)
			copies = append(copies, History{Steps: slices.Clone(v.Steps), Values: slices.Clone(v.Values), Span: v.Span})
		}
	}
	for i, v := range views {
		if !slices.Equal(v.Steps, copies[i].Steps) || !slices.Equal(v.Values, copies[i].Values) {
			t.Fatalf("view %d changed after it was taken", i)
		}
		// Appending to a view must not write into the series.
		_ = append(v.Values, -1)
	}
	h := s.view()
	for _, x := range h.Values {
		if x < 0 {
			t.Fatal("appending to a view wrote into the series")
		}
	}
}

func TestHistoryCarriedOn(t *testing.T) {
	t.Parallel()
	a := newSeries(reduceMean)
	for i := 1; i <= 3000; i++ {
		a.add(i, 1)
	}
	old := a.view()
	b := seriesFrom(reduceMean, 1, old)
	for i := 3001; i <= 6000; i++ {
		b.add(i, 3)
	}
	h := b.view()
	if !slices.Equal(old.Values, a.view().Values) {
		t.Fatal("carrying a history on changed the original")
	}
	if h.Span < old.Span || h.Len() > historyPoints {
		t.Fatalf("span %d (was %d), %d points", h.Span, old.Span, h.Len())
	}
	if !slices.IsSorted(h.Steps) || h.Steps[0] != old.Steps[0]*h.Span/old.Span {
		t.Fatalf("steps not in order or not from the start: %v…", h.Steps[:4])
	}
	if _, v, _ := h.Last(); v != 3 {
		t.Errorf("newest value %g, want 3", v)
	}
}

// BenchmarkHistoryAdd is the cost of one step's value, and the length of
// the history after b.N steps.
func BenchmarkHistoryAdd(b *testing.B) {
	s := newSeries(reduceMean)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		s.add(i, float64(i))
	}
	b.ReportMetric(float64(s.view().Len()), "points")
}
