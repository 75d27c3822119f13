package ui

import (
	"image"
	"testing"
	"time"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/chart"
)

// BenchmarkApplySnapshot measures what the UI goroutine does with each
// snapshot: status line, buttons, histories, layer statistics, and handing
// the charts and the pad their jobs. The drawing itself happens elsewhere
// (BenchmarkRenderCharts).
func BenchmarkApplySnapshot(b *testing.B) {
	cfg := engine.DefaultConfig()
	h := newHarness(b, Options{Config: &cfg})
	r := fakeRun(h)
	// Two snapshots taken in turn, so that every apply sees a new step.
	snaps := []*engine.Snapshot{fakeSnapshot(b, engine.Running, 3000), fakeSnapshot(b, engine.Running, 3001)}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		h.p.apply(r, snaps[i%2])
		i++
	}
}

// BenchmarkRenderCharts draws the loss chart of a five-epoch run and one
// layer's weight histogram history, each at 800×400 pixels, as the chart
// renderer does for a new snapshot.
func BenchmarkRenderCharts(b *testing.B) {
	snaps := []*engine.Snapshot{fakeSnapshot(b, engine.Running, 3000), fakeSnapshot(b, engine.Running, 3001)}
	rec := chart.NewHistoryRecorder(chart.DefaultHistoryLen)
	for s := 0; s <= 3000; s += 100 {
		rec.Add(s, snaps[0].Layers[0].Weights)
	}
	r := advancingRenderer()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		job := renderJob{
			snap: snaps[i%2], style: chart.DarkStyle(), styleGen: 1,
			loss:   [2]int{800, 400},
			layers: []layerJob{{title: "Layer 1 · 784→100 relu", rec: rec, size: [2]int{800, 400}}},
		}
		out := r.render(job)
		if out.loss == nil || out.layers[0] == nil {
			b.Fatal("nothing drawn")
		}
		i++
	}
}

// BenchmarkRenderAllCharts draws every chart of a 1920×1080 window for one
// snapshot: loss, accuracy and two layers' histograms, the most the renderer
// does for one snapshot (the histograms are redrawn once a second).
func BenchmarkRenderAllCharts(b *testing.B) {
	snaps := []*engine.Snapshot{fakeSnapshot(b, engine.Running, 3000), fakeSnapshot(b, engine.Running, 3001)}
	recs := []*chart.HistoryRecorder{chart.NewHistoryRecorder(chart.DefaultHistoryLen), chart.NewHistoryRecorder(chart.DefaultHistoryLen)}
	for s := 0; s <= 3000; s += 100 {
		recs[0].Add(s, snaps[0].Layers[0].Weights)
		recs[1].Add(s, snaps[0].Layers[1].Weights)
	}
	r := advancingRenderer()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r.render(renderJob{
			snap: snaps[i%2], style: chart.DarkStyle(), styleGen: 1,
			loss: [2]int{820, 560}, acc: [2]int{820, 400},
			layers: []layerJob{
				{title: "Layer 1", rec: recs[0], size: [2]int{620, 380}},
				{title: "Output", rec: recs[1], size: [2]int{620, 380}},
			},
		})
		i++
	}
}

// advancingRenderer is a chart renderer whose clock moves on by histEvery
// at every call, so that each new snapshot redraws the histograms too, as
// it does once a second in the window.
func advancingRenderer() *chartRenderer {
	clock := time.Unix(0, 0)
	return &chartRenderer{now: func() time.Time {
		clock = clock.Add(histEvery)
		return clock
	}}
}

// BenchmarkDrawPadUpdate is one answer of the pad while a stroke is drawn:
// preprocess the 280×280 drawing into the 28×28 input and run a 784-100-10
// network on it.
func BenchmarkDrawPadUpdate(b *testing.B) {
	m, err := untrainedModel(netFromConfig(engine.DefaultConfig()))
	if err != nil {
		b.Fatal(err)
	}
	// Two drawings in turn, so that each call preprocesses.
	imgs := []image.Image{sevenImage(), shifted(sevenImage(), 3)}
	var pr predictor
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if out := pr.predict(predictJob{img: imgs[i%2], model: m}); out.probs == nil {
			b.Fatal("no prediction")
		}
		i++
	}
}

// shifted moves a drawing right by dx pixels.
func shifted(g *image.Gray, dx int) *image.Gray {
	out := image.NewGray(g.Rect)
	for y := range g.Rect.Dy() {
		copy(out.Pix[y*out.Stride+dx:(y+1)*out.Stride], g.Pix[y*g.Stride:(y+1)*g.Stride-dx])
	}
	return out
}
