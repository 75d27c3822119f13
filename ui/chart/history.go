package chart

import (
	"sync"

	"github.com/mnistplayground/mnistplayground/engine"
)

// DefaultHistoryLen is how many histograms a zero HistoryRecorder keeps:
// enough for a ridge plot to show the trend, few enough that each ridge
// stays a few pixels tall.
const DefaultHistoryLen = 30

// HistEntry is one layer's weight histogram at one step.
type HistEntry struct {
	Step int
	Hist engine.Histogram
}

// HistoryRecorder keeps a bounded history of one layer's weight histograms
// for Histogram's ridge plot. When full, it drops the entry whose neighbours
// are closest together in steps, so the kept entries stay roughly evenly
// spread over the whole run however long it gets; the first and the newest
// are always kept. Its memory stays flat over long runs. The zero value keeps
// DefaultHistoryLen entries. It is safe for concurrent use.
type HistoryRecorder struct {
	mu      sync.Mutex
	max     int
	entries []HistEntry
}

// NewHistoryRecorder returns a recorder that keeps at most limit entries;
// a limit below 2 means 2, the first and the newest.
func NewHistoryRecorder(limit int) *HistoryRecorder {
	return &HistoryRecorder{max: max(limit, 2)}
}

// Add records hist as the histogram at step. The recorder keeps hist's Counts
// without copying them, as a published snapshot is never written again. A
// step equal to the newest replaces it (a paused session publishes the same
// step again); a step before the newest means a new run has started, and
// the old history is dropped.
func (h *HistoryRecorder) Add(step int, hist engine.Histogram) {
	h.mu.Lock()
	defer h.mu.Unlock()
	limit := h.max
	if limit == 0 {
		limit = DefaultHistoryLen
	}
	if n := len(h.entries); n > 0 {
		switch last := h.entries[n-1].Step; {
		case step == last:
			h.entries[n-1].Hist = hist
			return
		case step < last:
			clear(h.entries) // let the old counts be collected
			h.entries = h.entries[:0]
		}
	}
	h.entries = append(h.entries, HistEntry{Step: step, Hist: hist})
	for len(h.entries) > limit {
		h.thin()
	}
}

// thin removes the interior entry whose removal leaves the smallest gap. Ties
// go to the oldest, so recent history stays finer than old history until
// it is thinned in turn. The recorder holds more than its limit of at least
// 2 here, so there is an interior entry.
func (h *HistoryRecorder) thin() {
	e := h.entries
	best, bestGap := 1, e[2].Step-e[0].Step
	for i := 2; i < len(e)-1; i++ {
		if gap := e[i+1].Step - e[i-1].Step; gap < bestGap {
			best, bestGap = i, gap
		}
	}
	copy(e[best:], e[best+1:])
	e[len(e)-1] = HistEntry{}
	h.entries = e[:len(e)-1]
}

// Entries returns a copy of the kept entries, oldest first.
func (h *HistoryRecorder) Entries() []HistEntry {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]HistEntry(nil), h.entries...)
}

// Len returns how many entries are kept.
func (h *HistoryRecorder) Len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.entries)
}

// Reset forgets every entry, for a new run.
func (h *HistoryRecorder) Reset() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.entries = nil
}
