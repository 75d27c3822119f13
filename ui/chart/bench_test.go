package chart

import (
	"io"
	"math"
	"testing"

	"github.com/mnistplayground/mnistplayground/engine"
)

// The window redraws its charts for every snapshot, about ten times a
// second; all of them together should take well under 30 ms.

func BenchmarkLoss800x400(b *testing.B) {
	s := fakeSnapshot(6000, 600, 1)
	st := DarkStyle()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Loss(s, 800, 400, st, false); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLossLog800x400(b *testing.B) {
	s := fakeSnapshot(6000, 600, 1)
	st := DarkStyle()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Loss(s, 800, 400, st, true); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoss60000Steps800x400(b *testing.B) {
	s := fakeSnapshot(60000, 600, 1)
	st := DarkStyle()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Loss(s, 800, 400, st, false); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAccuracy800x400(b *testing.B) {
	s := fakeSnapshot(6000, 600, 1)
	st := DarkStyle()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Accuracy(s, 800, 400, st); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHistogram800x400(b *testing.B) {
	hist := fakeHistory(30, 6000, 2)
	st := DarkStyle()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Histogram("Layer 1 weights", hist, 800, 400, st); err != nil {
			b.Fatal(err)
		}
	}
}

// An exported figure is drawn once, when asked for: these say what a slide's
// worth costs.

func BenchmarkExportPNG1600x1000(b *testing.B) {
	c := LossAndAccuracy(fakeSnapshot(6000, 600, 1), false)
	st := PrintStyle(1600, 1000)
	b.ReportAllocs()
	for b.Loop() {
		if err := Export(io.Discard, PNG, c, 1600, 1000, st); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExportSVG1600x1000(b *testing.B) {
	c := LossAndAccuracy(fakeSnapshot(6000, 600, 1), false)
	st := PrintStyle(1600, 1000)
	b.ReportAllocs()
	for b.Loop() {
		if err := Export(io.Discard, SVG, c, 1600, 1000, st); err != nil {
			b.Fatal(err)
		}
	}
}

// noisyFlowRun is flowRun with histories of 1024 points, as a long run's
// fill, each point within a factor of two of grads.
func noisyFlowRun(grads []float64, seed int) *engine.Snapshot {
	s := flowRun(4096, 600, grads, func(int) float64 { return 0.9 })
	for i := range s.Layers {
		h := &s.Layers[i].GradNormHistory
		for k := range h.Values {
			h.Values[k] *= 1 + 0.5*math.Sin(float64(k*(i+seed)))
		}
	}
	return s
}

func BenchmarkGradientFlow800x400(b *testing.B) {
	s := noisyFlowRun(sigmoidGrads, 1)
	st := DarkStyle()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := GradientFlow(s.Layers, 600, 800, 400, st); err != nil {
			b.Fatal(err)
		}
	}
}

// Three kept runs and the current one, six layers each.
func BenchmarkGradientFlowFourRuns800x400(b *testing.B) {
	var runs []Run
	for i, g := range [][]float64{sigmoidGrads, reluGrads, sigmoidGrads, reluGrads} {
		runs = append(runs, Run{Name: "run", Snap: noisyFlowRun(g, i+1), Color: RunColor(i), Fit: true})
	}
	runs[3].Color = nil
	st := DarkStyle()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(GradientFlowRunsChart(runs), 800, 400, st); err != nil {
			b.Fatal(err)
		}
	}
}
