package state

import (
	"math"
	"testing"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/chart"
)

// measuredRun trains a fake run on w to step steps of spe an epoch, whose
// test accuracy at each epoch's end is acc and whose layers' gradient norms
// stay at grads, and applies its snapshot.
func measuredRun(t *testing.T, w *Workspace, steps, spe int, acc float64, grads []float64) *engine.Snapshot {
	t.Helper()
	r := NewRun(nil, func() {}, false)
	w.Begin(r, engine.DefaultConfig(), engine.SessionOptions{}, snapshot(w, engine.Running, 0, nil))
	s := snapshot(w, engine.Running, steps, make([]float32, steps))
	s.StepsPerEpoch = spe
	for i := range s.TrainLoss {
		s.TrainLoss[i] = float32(acc) // a loss as distinct as the accuracy
	}
	for e := 1; e*spe <= steps; e++ {
		s.Tests = append(s.Tests, engine.EpochMetric{Epoch: e, Step: e * spe, Accuracy: acc + 0.01*float64(e)})
	}
	s.Layers = nil
	for _, g := range grads {
		var h engine.History
		for k := 4; k <= steps; k += 4 {
			h.Steps, h.Values = append(h.Steps, k), append(h.Values, g)
		}
		s.Layers = append(s.Layers, engine.LayerStats{GradNormHistory: h})
	}
	if a := w.Apply(r, s); !a.Shown {
		t.Fatal("the run's snapshot was not shown")
	}
	return s
}

// axesOf is what the charts' axes span for w's comparison.
func axesOf(w *Workspace) chart.Axes {
	var runs []chart.Run
	for _, c := range w.Compared() {
		runs = append(runs, chart.Run{Name: c.Name, Snap: c.Snap, Fit: c.Fit})
	}
	return chart.AxesOf(runs, 600, true)
}

// ranges are one run's own: its length in epochs, its accuracies in percent
// and its gradient norms.
func ranges(s *engine.Snapshot) (float64, chart.Range, chart.Range) {
	acc := chart.Range{Lo: math.Inf(1), Hi: math.Inf(-1)}
	for _, m := range s.Tests {
		acc.Lo, acc.Hi = math.Min(acc.Lo, 100*m.Accuracy), math.Max(acc.Hi, 100*m.Accuracy)
	}
	grad := chart.Range{Lo: math.Inf(1), Hi: math.Inf(-1)}
	for _, l := range s.Layers {
		for _, v := range l.GradNormHistory.Values {
			grad.Lo, grad.Hi = math.Min(grad.Lo, v), math.Max(grad.Hi, v)
		}
	}
	return float64(s.Step) / float64(s.StepsPerEpoch), acc, grad
}

func TestFixedAxesSpanEveryShownRun(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	if !w.FixedAxes {
		t.Fatal("a new workspace does not fix the axes")
	}
	if w.Compared() != nil {
		t.Fatal("a comparison with no kept run")
	}
	// Five sigmoid layers at chance for three epochs of 600 steps, a
	// hidden run, then five ReLU layers for two epochs of 1200 steps.
	sigmoid := measuredRun(t, w, 1800, 600, 0.11, []float64{0.001, 0.01, 0.3})
	w.StopRun()
	hidden := measuredRun(t, w, 6000, 600, 0.5, []float64{50})
	w.StopRun()
	w.Kept[1].Shown = false
	relu := measuredRun(t, w, 2400, 1200, 0.9, []float64{1.3, 0.9, 0.5})
	w.StopRun()
	// The current run: one epoch of 300 steps, learning.
	current := measuredRun(t, w, 300, 300, 0.95, []float64{0.6, 0.4})

	runs := w.Compared()
	if len(runs) != 3 || runs[0].Snap != sigmoid || runs[1].Snap != relu || runs[2].Snap != current || runs[2].Kept != -1 {
		t.Fatalf("compared runs %+v, want the shown kept runs, then the current one", runs)
	}
	a := axesOf(w)
	longest := 0.0
	for _, s := range []*engine.Snapshot{sigmoid, relu, current} {
		epochs, acc, grad := ranges(s)
		longest = math.Max(longest, epochs)
		if a.Epochs < epochs {
			t.Errorf("x axis to %g epochs, short of a shown run of %g", a.Epochs, epochs)
		}
		if !a.Accuracy.Covers(acc) || !a.Grad.Covers(grad) {
			t.Errorf("axes %v and %v do not cover a shown run's accuracy %v and gradients %v", a.Accuracy, a.Grad, acc, grad)
		}
	}
	if a.Epochs != longest {
		t.Errorf("x axis to %g epochs, want the longest shown run's %g", a.Epochs, longest)
	}
	if _, _, g := ranges(hidden); a.Grad.Covers(g) {
		t.Errorf("the gradient axis %v spans a hidden run's %v", a.Grad, g)
	}

	// Off: the axes fit the current run, the kept ones are clipped.
	w.FixedAxes = false
	for _, c := range w.Compared() {
		if c.Fit != (c.Kept < 0) {
			t.Errorf("without fixed axes run %q fits: %v", c.Name, c.Fit)
		}
	}
	epochs, acc, grad := ranges(current)
	// (The gradients are smoothed on their logarithms: equal to rounding.)
	same := func(a, b chart.Range) bool { return math.Abs(a.Lo-b.Lo) < 1e-9 && math.Abs(a.Hi-b.Hi) < 1e-9 }
	if b := axesOf(w); b.Epochs != epochs || !same(b.Accuracy, acc) || !same(b.Grad, grad) {
		t.Errorf("without fixed axes: %g epochs, %v, %v; want the current run's %g, %v, %v", b.Epochs, b.Accuracy, b.Grad, epochs, acc, grad)
	}

	// With no current run (it is kept) the kept runs are all there is to
	// fit.
	w.StopRun()
	for _, c := range w.Compared() {
		if !c.Fit || c.Kept < 0 {
			t.Errorf("after Reset: %+v, want every shown kept run to fit", c)
		}
	}
}

// TestABroughtBackRunIsDrawnOnce: Use makes a kept run the current one; the
// comparison draws it once, in front, not also as a kept run behind.
func TestABroughtBackRunIsDrawnOnce(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	for _, step := range []int{3, 5} {
		running(t, w, step)
		w.Ended(w.Run, nil)
		w.StopRun()
	}
	if len(w.Kept) != 2 {
		t.Fatalf("%d kept, want 2", len(w.Kept))
	}
	w.Kept[0].Shown, w.Kept[1].Shown = true, false
	w.Restore(0)
	if c := w.Compared(); c != nil {
		t.Errorf("with only the brought-back run shown the charts compare %d runs, want none", len(c))
	}
	w.Kept[1].Shown = true
	c := w.Compared()
	if len(c) != 2 || c[0].ID != w.Kept[1].ID || c[1].Kept != -1 || c[1].Snap != w.Kept[0].Final {
		t.Errorf("compared %+v, want the other kept run and the brought-back one as the current", c)
	}
}
