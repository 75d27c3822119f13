package ui

import (
	"image"
	"testing"

	"fyne.io/fyne/v2"
	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/chart"
	"github.com/mnistplayground/mnistplayground/ui/drawpad"
	"github.com/mnistplayground/mnistplayground/ui/state"
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
// layer's weight histogram history, each at 800×400 pixels, as the render
// worker does for a new snapshot.
func BenchmarkRenderCharts(b *testing.B) {
	benchRender(b, [][2]int{{800, 400}}, [][2]int{{800, 400}})
}

// BenchmarkRenderAllCharts draws every chart of a 1920×1080 window for one
// snapshot: loss, accuracy and two layers' histograms, all the render
// worker draws for a new snapshot of the default network.
func BenchmarkRenderAllCharts(b *testing.B) {
	benchRender(b, [][2]int{{820, 560}, {820, 400}}, [][2]int{{620, 380}, {620, 380}})
}

// benchRender draws the training view's charts at the sizes train (loss,
// then accuracy) and the layer view's first charts at the sizes layers, for
// two snapshots in turn, so that every call draws them all anew.
func benchRender(b *testing.B, train, lay [][2]int) {
	h := newHarness(b, Options{Config: func() *engine.TrainConfig { c := engine.DefaultConfig(); return &c }()})
	r := fakeRun(h)
	// Thirty snapshots first, so that the histograms have a run's history
	// of ridges to draw.
	for s := 0; s < 3000; s += 100 {
		h.p.apply(r, fakeSnapshot(b, engine.Running, s))
	}
	snaps := []*engine.Snapshot{fakeSnapshot(b, engine.Running, 3000), fakeSnapshot(b, engine.Running, 3001)}
	jobs := make([]renderJob, 2)
	for i, snap := range snaps {
		h.p.apply(r, snap)
		for _, sp := range h.p.views.training.Charts()[:len(train)] {
			jobs[i].charts = append(jobs[i].charts, sizedSpec{Spec: sp})
		}
		for _, sp := range h.p.views.layers.Charts()[:len(lay)] {
			jobs[i].charts = append(jobs[i].charts, sizedSpec{Spec: sp})
		}
		sizes := append(append([][2]int(nil), train...), lay...)
		for k := range jobs[i].charts {
			jobs[i].charts[k].w, jobs[i].charts[k].h = sizes[k][0], sizes[k][1]
		}
		jobs[i].style, jobs[i].styleGen = chart.DarkStyle(), 1
	}
	var rd renderer
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if out := rd.render(jobs[i%2]); len(out) != len(train)+len(lay) {
			b.Fatalf("drew %d charts, want %d", len(out), len(train)+len(lay))
		}
		i++
	}
}

// BenchmarkDrawPadUpdate is one answer of the pad while a stroke is drawn:
// preprocess the 280×280 drawing into the 28×28 input and run a 784-100-10
// network on it.
func BenchmarkDrawPadUpdate(b *testing.B) {
	m, err := state.NetOf(engine.DefaultConfig()).Untrained()
	if err != nil {
		b.Fatal(err)
	}
	// Two drawings in turn, so that each call preprocesses.
	imgs := []image.Image{sevenImage(), shifted(sevenImage(), 3)}
	var pr drawpad.Predictor
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if out := pr.Predict(drawpad.NewJob(imgs[i%2], m)); !out.HasProbabilities() {
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

// BenchmarkRenderEachView draws every chart of one view of a 1920×1080
// window for a new snapshot of a 784-100-10 network in training: what the
// render worker does for that view at each pass.
func BenchmarkRenderEachView(b *testing.B) {
	cfg := engine.DefaultConfig()
	h := newHarness(b, Options{Config: &cfg})
	h.w.Resize(fyne.NewSize(1920, 1080))
	r := fakeRun(h)
	for s := 0; s < 3000; s += 100 {
		h.p.apply(r, fakeSnapshot(b, engine.Running, s))
	}
	h.p.apply(r, teachingSnapshot(b, h, 3000))
	h.drawSeven()
	h.until("an explanation", func() bool { return h.p.views.draw.Shown().Explanation() != nil })
	for _, v := range []struct {
		name  string
		panel int
	}{
		{"training", panelTraining}, {"layers", panelLayers}, {"flow", panelFlow}, {"weights", panelWeights},
		{"confusion", panelConfusion}, {"activations", panelGallery}, {"inside", panelInside},
	} {
		b.Run(v.name, func(b *testing.B) {
			h.p.panels.choose(v.panel)
			job := h.p.chartJob()
			b.ReportAllocs()
			for b.Loop() {
				var rd renderer // draws everything, as for a new snapshot
				if out := rd.render(job); len(out) == 0 {
					b.Fatal("nothing drawn")
				}
			}
		})
	}
}
