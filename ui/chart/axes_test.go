package chart

import (
	"image"
	"math"
	"testing"

	"github.com/mnistplayground/mnistplayground/engine"
	"gonum.org/v1/plot/vg"
)

// flowRun is a run of steps mini-batches at spe an epoch whose layers'
// gradient norms stay at grads (the input layer first), measured every
// fourth step, and whose test accuracy at the end of epoch e is acc(e).
func flowRun(steps, spe int, grads []float64, acc func(e int) float64) *engine.Snapshot {
	s := &engine.Snapshot{Step: steps, StepsPerEpoch: spe, TrainLoss: make([]float32, steps)}
	for i := range s.TrainLoss {
		s.TrainLoss[i] = 0.5
	}
	for e := 1; e*spe <= steps; e++ {
		s.Tests = append(s.Tests, engine.EpochMetric{Epoch: e, Step: e * spe, Accuracy: acc(e)})
	}
	for _, g := range grads {
		s.Layers = append(s.Layers, engine.LayerStats{GradNormHistory: history(steps/4, func(int) float64 { return g })})
	}
	return s
}

// sigmoidGrads and reluGrads are the gradient norms of five hidden layers
// and the output: the book's vanishing gradient, and its cure.
var (
	sigmoidGrads = []float64{0.001, 0.003, 0.01, 0.03, 0.1, 0.3}
	reluGrads    = []float64{1.3, 1.1, 0.9, 0.8, 0.6, 0.5}
)

func TestAxesSpanTheRunsThatFit(t *testing.T) {
	t.Parallel()
	// A sigmoid run of two epochs of 600 steps (batch 100) at chance, and a
	// ReLU run of half an epoch of 1200 steps (batch 50) that learns.
	sig := flowRun(1200, 600, sigmoidGrads, func(int) float64 { return 0.1135 })
	relu := flowRun(600, 1200, reluGrads, func(e int) float64 { return 0.9 + 0.01*float64(e) })
	relu.Tests = []engine.EpochMetric{{Step: 300, Accuracy: 0.95}, {Step: 600, Accuracy: 0.97}}
	both := []Run{{Name: "sigmoid", Snap: sig, Fit: true}, {Name: "current", Snap: relu, Fit: true}}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9*math.Max(1, math.Abs(b)) }
	for _, c := range []struct {
		name   string
		runs   []Run
		epochs float64
		acc    Range
		grad   Range
	}{
		{"both fit", both, 2, Range{11.35, 97}, Range{0.001, 1.3}},
		{"the current alone", []Run{{Name: "sigmoid", Snap: sig}, {Name: "current", Snap: relu, Fit: true}}, 0.5, Range{95, 97}, Range{0.5, 1.3}},
		{"none marked: every run", []Run{{Name: "sigmoid", Snap: sig}, {Name: "current", Snap: relu}}, 2, Range{11.35, 97}, Range{0.001, 1.3}},
		{"a run without a snapshot", []Run{{Name: "none", Fit: true}, {Name: "current", Snap: relu, Fit: true}}, 0.5, Range{95, 97}, Range{0.5, 1.3}},
	} {
		a := AxesOf(c.runs, 600, true)
		if !near(a.Epochs, c.epochs) {
			t.Errorf("%s: x axis to %g epochs, want %g", c.name, a.Epochs, c.epochs)
		}
		if !near(a.Accuracy.Lo, c.acc.Lo) || !near(a.Accuracy.Hi, c.acc.Hi) {
			t.Errorf("%s: accuracy %v, want %v", c.name, a.Accuracy, c.acc)
		}
		if !near(a.Grad.Lo, c.grad.Lo) || !near(a.Grad.Hi, c.grad.Hi) {
			t.Errorf("%s: gradient norms %v, want %v", c.name, a.Grad, c.grad)
		}
		if !near(a.Loss.Lo, 0.5) || !near(a.Loss.Hi, 0.5) {
			t.Errorf("%s: loss %v, want 0.5 to 0.5", c.name, a.Loss)
		}
	}
	if a := AxesOf(nil, 600, false); !a.Accuracy.Empty() || !a.Grad.Empty() || a.Epochs != 0 {
		t.Errorf("no run: %+v, want empty axes", a)
	}
	if !(Range{0, 100}).Covers(Range{10, 20}) || (Range{15, 100}).Covers(Range{10, 20}) || !(Range{1, 2}).Covers(noRange()) {
		t.Error("Range.Covers is wrong")
	}
}

func TestLogRangeKeepsAMinimumSpan(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		r              Range
		minSpan, pad   float64
		wantLo, wantHi float64
	}{
		{Range{0.001, 0.3}, 10, 1.1, 0.001 / 1.1, 0.3 * 1.1}, // wide enough already
		{Range{0.5, 1.3}, 10, 1.1, math.Sqrt(0.65/10) / 1.1, math.Sqrt(0.65*10) * 1.1},
		{Range{1, 1}, 4, 1, 0.5, 2},
	} {
		lo, hi := logRange(c.r, c.minSpan, c.pad)
		if !sameFloat(lo, c.wantLo, 1e-12) || !sameFloat(hi, c.wantHi, 1e-12) {
			t.Errorf("logRange(%v, %g, %g) = %g, %g, want %g, %g", c.r, c.minSpan, c.pad, lo, hi, c.wantLo, c.wantHi)
		}
	}
}

func TestGradientFlowOverlaysTheRuns(t *testing.T) {
	t.Parallel()
	sig := flowRun(1200, 600, sigmoidGrads, func(int) float64 { return 0.1135 })
	relu := flowRun(2400, 1200, reluGrads, func(e int) float64 { return 0.97 })
	runs := []Run{{Name: "sigmoid 100 ×5, lr 0.1", Snap: sig, Color: RunColor(0), Fit: true}, {Name: "current", Snap: relu, Fit: true}}
	for look, st := range map[string]Style{"dark": DarkStyle(), "light": LightStyle()} {
		img, err := Render(GradientFlowRunsChart(runs), 800, 400, st)
		if err != nil {
			t.Fatal(err)
		}
		save(t, "flow-runs-"+look, img)
		for i, r := range runs {
			if n := count(img, runColor(r, st)); n < 400 {
				t.Errorf("run %d's colour has %d pixels, want its lines (at least 400)", i, n)
			}
		}
		// A layer's colour would say that the chart draws the current run
		// alone.
		if count(img, LayerColor(1)) > 0 {
			t.Error("the comparison uses the layers' colours")
		}
		// Only the current run fits: the sigmoid run's band and first layer
		// fall below the axis, and less of its colour is left.
		runs[0].Fit = false
		clipped, err := Render(GradientFlowRunsChart(runs), 800, 400, st)
		runs[0].Fit = true
		if err != nil {
			t.Fatal(err)
		}
		save(t, "flow-runs-clipped-"+look, clipped)
		if a, b := count(clipped, runColor(runs[0], st)), count(img, runColor(runs[0], st)); a >= b {
			t.Errorf("the kept run has %d pixels of its colour clipped, %d on shared axes: want fewer clipped", a, b)
		}
	}
	if _, err := Render(GradientFlowRunsChart(nil), 300, 200, DarkStyle()); err != nil {
		t.Errorf("no runs: %v", err)
	}
	if _, err := Render(GradientFlowRunsChart([]Run{{Name: "current", Snap: &engine.Snapshot{}}}), 300, 200, DarkStyle()); err != nil {
		t.Errorf("a run without data: %v", err)
	}
}

func TestALogAxisLabelLeavesNoGapAboveTheData(t *testing.T) {
	t.Parallel()
	sig := flowRun(1200, 600, sigmoidGrads, func(int) float64 { return 0.1135 })
	st, err := DarkStyle().resolved()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []Chart{GradientFlowChart(sig.Layers, 600), GradientFlowRunsChart([]Run{{Name: "current", Snap: sig}}), LossChart(fakeSnapshot(3000, 600, 1), true)} {
		_, f := newRaster(800, 300, st)
		c.draw(f)
		for _, l := range *f.plots {
			// gonum/plot would pad the top by half the label's length,
			// some 60 pixels here; a tick label needs half its height.
			if gap := l.area.Max.Y - l.p.DataCanvas(l.area).Max.Y; gap > f.pt(st.TextSize) {
				t.Errorf("%s: %.0f points of empty space above the data", c.name, gap.Points())
			}
			if l.ylText == "" {
				t.Errorf("%s: the log axis's label is not drawn", c.name)
			}
		}
		f.flush()
	}
}

func TestABandDrawnInPiecesShowsNoSeams(t *testing.T) {
	t.Parallel()
	var pts []bandPoint
	for i := range 1000 {
		pts = append(pts, bandPoint{X: float64(i) / 7, Lo: 1, Hi: 2 + float64(i%3)})
	}
	for _, scale := range []float64{1, 1.5} {
		st := LightStyle()
		st.Scale = scale
		img, err := Render(Chart{name: "band", draw: func(f *frame) {
			p := f.newPlot("", "")
			p.Add(band{pts: pts, fill: translucent(RunColor(0), bandAlpha), px: vg.Length(f.px)})
			p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 999.0/7, 0, 5
			f.plot(p, f.c)
		}}, 700, 200, st)
		if err != nil {
			t.Fatal(err)
		}
		// A row through the band's lower part, which every point covers.
		rgba := img.(*image.RGBA)
		y := 200 - 200*3/10
		want := rgba.At(350, y)
		for x := 100; x < 600; x++ {
			if got := rgba.At(x, y); got != want {
				t.Fatalf("scale %g: the band is %v at x=%d and %v at x=350: a seam between its pieces", scale, got, x, want)
			}
		}
	}
}
