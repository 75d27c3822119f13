package chart

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/mnistplayground/mnistplayground/engine"
)

// steps returns the steps of the entries.
func steps(es []HistEntry) []int {
	out := make([]int, len(es))
	for i, e := range es {
		out[i] = e.Step
	}
	return out
}

func TestHistoryRecorderBounded(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		limit, adds, every int
		wantLen            int
	}{
		{0, 10, 1, 10}, // the zero value's default, not yet full
		{0, 1000, 7, DefaultHistoryLen},
		{30, 60000, 1, 30},
		{30, 8571, 7, 30},
		{5, 100, 3, 5},
		{1, 50, 1, 2}, // never fewer than the first and the newest
	} {
		h := &HistoryRecorder{}
		if tc.limit != 0 {
			h = NewHistoryRecorder(tc.limit)
		}
		last := 0
		for i := range tc.adds {
			last = i * tc.every
			h.Add(last, engine.Histogram{Min: float64(i), Max: float64(i + 1), Counts: []int{i}})
		}
		got := h.Entries()
		if len(got) != tc.wantLen || h.Len() != tc.wantLen {
			t.Errorf("limit %d after %d adds: %d entries (Len %d), want %d", tc.limit, tc.adds, len(got), h.Len(), tc.wantLen)
			continue
		}
		if got[0].Step != 0 {
			t.Errorf("limit %d after %d adds: oldest step %d, want the first, 0", tc.limit, tc.adds, got[0].Step)
		}
		if n := got[len(got)-1]; n.Step != last || n.Hist.Counts[0] != tc.adds-1 {
			t.Errorf("limit %d after %d adds: newest is step %d, want %d", tc.limit, tc.adds, n.Step, last)
		}
		if !slices.IsSorted(steps(got)) {
			t.Errorf("limit %d after %d adds: steps %v are not ascending", tc.limit, tc.adds, steps(got))
		}
	}
}

// TestHistoryRecorderEven checks that thinning spreads the kept entries over
// the whole run rather than keeping only the start or only the end.
func TestHistoryRecorderEven(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1000, 10000, 60000} {
		var h HistoryRecorder
		for s := 0; s <= n; s += 7 {
			h.Add(s, engine.Histogram{})
		}
		st := steps(h.Entries())
		// The newest was just added, so its gap is whatever it is; the
		// others should be within a small factor of each other.
		lo, hi := n, 0
		for i := 1; i < len(st)-1; i++ {
			g := st[i] - st[i-1]
			lo, hi = min(lo, g), max(hi, g)
		}
		if hi > 3*lo {
			t.Errorf("after %d steps the gaps between kept entries run from %d to %d, want within a factor of 3: %v", n, lo, hi, st)
		}
	}
}

func TestHistoryRecorderSameAndEarlierStep(t *testing.T) {
	t.Parallel()
	h := NewHistoryRecorder(10)
	h.Add(0, engine.Histogram{Counts: []int{1}})
	h.Add(10, engine.Histogram{Counts: []int{2}})
	h.Add(10, engine.Histogram{Counts: []int{3}}) // a paused session republishes step 10
	if got, want := steps(h.Entries()), []int{0, 10}; !slices.Equal(got, want) {
		t.Fatalf("after a repeated step: steps %v, want %v", got, want)
	}
	if got := h.Entries()[1].Hist.Counts[0]; got != 3 {
		t.Errorf("a repeated step kept count %d, want the newer histogram's 3", got)
	}
	h.Add(5, engine.Histogram{Counts: []int{4}}) // a new run started
	if got, want := steps(h.Entries()), []int{5}; !slices.Equal(got, want) {
		t.Errorf("after an earlier step: steps %v, want %v", got, want)
	}
	h.Reset()
	if got := h.Len(); got != 0 {
		t.Errorf("after Reset: %d entries, want 0", got)
	}
}

func TestHistoryRecorderEntriesIsACopy(t *testing.T) {
	t.Parallel()
	var h HistoryRecorder
	h.Add(1, engine.Histogram{})
	es := h.Entries()
	es[0].Step = 99
	if got := h.Entries()[0].Step; got != 1 {
		t.Errorf("changing Entries' result changed the recorder: step %d, want 1", got)
	}
}

func TestHistoryRecorderConcurrent(t *testing.T) {
	t.Parallel()
	h := NewHistoryRecorder(8)
	done := make(chan struct{})
	go func() {
		defer close(done)
		var wg sync.WaitGroup
		wg.Go(func() {
			for s := range 2000 {
				h.Add(s, engine.Histogram{})
			}
		})
		wg.Go(func() {
			for range 2000 {
				if n := len(h.Entries()); n > 8 {
					t.Errorf("a reader saw %d entries, want at most 8", n)
					return
				}
			}
		})
		wg.Wait()
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("concurrent Add and Entries did not finish within 10 s")
	}
	if got := h.Entries(); got[len(got)-1].Step != 1999 {
		t.Errorf("newest step %d, want 1999", got[len(got)-1].Step)
	}
}
