package ui

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/chart"
)

// teachingSnapshot is fakeSnapshot with what the teaching views draw: the
// layers' gradient and saturation histories and output histograms, the
// learning rate's history, and a test measurement's confusion matrix with
// its mistakes, taken from the harness's real test images so that the
// gallery can show them.
func teachingSnapshot(t testing.TB, h *harness, steps int) *engine.Snapshot {
	t.Helper()
	s := fakeSnapshot(t, engine.Running, steps)
	rng := rand.New(rand.NewPCG(3, 3))
	hist := func(at func(i int) float64) engine.History {
		var out engine.History
		out.Span = 4
		for i := range steps / 4 {
			out.Steps = append(out.Steps, 4*(i+1))
			out.Values = append(out.Values, at(i))
		}
		return out
	}
	for i := range s.Layers {
		g := 0.1 / float64(1+9*(len(s.Layers)-1-i))
		s.Layers[i].GradNormHistory = hist(func(int) float64 { return g * (1 + 0.1*rng.Float64()) })
		s.Layers[i].SaturatedHistory = hist(func(int) float64 { return 0.3 })
		s.Layers[i].Activations = engine.Histogram{Min: 0, Max: 1, Counts: []int{40, 10, 5, 10, 40}}
	}
	s.LRHistory = hist(func(int) float64 { return 0.1 })
	test := h.p.data.Test
	conf := make([][]int, 10)
	for i := range conf {
		conf[i] = make([]int, 10)
	}
	for i := range test.Len() {
		label := int(test.Labels[i])
		pred := label
		if i%7 == 0 {
			pred = (label + 1) % 10
			s.Misclassified = append(s.Misclassified, engine.Misclassification{Index: i, Label: label, Predicted: pred, Probability: float32(0.5 + 0.4*rng.Float64())})
		}
		conf[label][pred]++
	}
	s.Tests[len(s.Tests)-1].Confusion = conf
	return s
}

func TestEveryTeachingViewDrawsFromASnapshot(t *testing.T) {
	cfg := engine.DefaultConfig()
	h := newHarness(t, Options{Config: &cfg})
	p := h.p
	h.w.Resize(fyne.NewSize(1920, 1080))
	p.apply(fakeRun(h), teachingSnapshot(t, h, 900))
	v := &p.views
	for _, c := range []struct {
		panel int
		name  string
		drawn func() bool
	}{
		{panelFlow, "gradient flow", func() bool { return v.flow.Gradients.Image() != nil && v.flow.Saturation.Image() != nil }},
		{panelWeights, "first-layer weights", func() bool { return v.weights.Grid.Image() != nil && v.weights.Unit.Image() != nil }},
		{panelConfusion, "confusion matrix", func() bool { return v.confusion.Matrix.Image() != nil }},
		{panelGallery, "activation gallery", func() bool {
			for _, c := range v.gallery.Curves {
				if c.Image() == nil {
					return false
				}
			}
			return true
		}},
		{panelLayers, "output histograms", func() bool { return v.layers.Cells[0].Outputs.Image() != nil }},
		{panelTraining, "learning-rate track", func() bool { return v.training.Rate.Image() != nil }},
	} {
		p.panels.choose(c.panel)
		h.until("the "+c.name, c.drawn)
	}
	if got := len(v.gallery.Curves); got != len(engine.Activations) {
		t.Errorf("%d activation graphs, want one per activation (%d)", got, len(engine.Activations))
	}
}

func TestAConfusionCellShowsItsImagesAndOneGoesOnThePad(t *testing.T) {
	cfg := engine.DefaultConfig()
	h := newHarness(t, Options{Config: &cfg})
	p := h.p
	h.w.Resize(fyne.NewSize(1920, 1080))
	snap := teachingSnapshot(t, h, 900)
	p.apply(fakeRun(h), snap)
	conf := p.views.confusion
	p.panels.choose(panelConfusion)
	h.until("the matrix", func() bool { return conf.Matrix.Image() != nil })

	// A click on cell (3, 4) of the matrix as drawn.
	w, ht := conf.Matrix.Pixels()
	r := chart.ConfusionGrid(10, w, ht).Rect(3*10 + 4)
	scale := p.Scale()
	conf.Matrix.Tapped(&fyne.PointEvent{Position: fyne.NewPos(float32(r.Min.X+r.Max.X)/2/scale, float32(r.Min.Y+r.Max.Y)/2/scale)})
	var want []int
	for _, m := range snap.Misclassified {
		if m.Label == 3 && m.Predicted == 4 {
			want = append(want, m.Index)
		}
	}
	got := conf.Shown()
	if len(want) == 0 || len(got) != len(want) {
		t.Fatalf("the gallery of (3, 4) shows %d images, want %d", len(got), len(want))
	}
	for i, m := range got {
		if m.Label != 3 || m.Predicted != 4 {
			t.Errorf("gallery image %d is a %d read as %d", i, m.Label, m.Predicted)
		}
		if i > 0 && m.Probability > got[i-1].Probability {
			t.Error("the gallery does not put the most confident mistakes first")
		}
	}
	if !strings.Contains(conf.About.Text, "read as 4") {
		t.Errorf("the caption %q does not say what the cell counts", conf.About.Text)
	}
	h.until("the gallery", func() bool { return conf.Gallery.Image() != nil })

	// A click on the first image puts it on the pad.
	gw, gh := conf.Gallery.Pixels()
	st, _ := p.look.current(conf.Gallery)
	gr := chart.LayoutGrid(len(got), gw, gh, chart.DigitCaption(st)).Rect(0)
	conf.Gallery.Tapped(&fyne.PointEvent{Position: fyne.NewPos(float32(gr.Min.X+gr.Max.X)/2/scale, float32(gr.Min.Y+gr.Max.Y)/2/scale)})
	first := got[0]
	h.until("the test image's answer", func() bool {
		e := p.views.draw.Shown().Explanation()
		return e != nil && e.Input[0] == float32(p.data.Test.Image(first.Index)[0])/255 && p.views.draw.HasPrediction()
	})
	e := p.views.draw.Shown().Explanation()
	img := p.data.Test.Image(first.Index)
	for i, px := range img {
		if e.Input[i] != float32(px)/255 {
			t.Fatalf("the pad's input differs from test image %d at pixel %d", first.Index, i)
		}
	}
	if note := p.views.draw.Probs.Note(); !strings.Contains(note, fmt.Sprintf("test image %d", first.Index)) {
		t.Errorf("the pad's note %q does not say which test image it reads", note)
	}
	// The weights view says what the chosen unit makes of it.
	p.views.weights.Select(2)
	if !strings.Contains(p.views.weights.About.Text, "Unit 3 of 100. On the digit on the pad its output is") {
		t.Errorf("weights caption = %q", p.views.weights.About.Text)
	}
}

func TestScaledScoresReachTheExplanation(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.p
	h.drawSeven()
	h.until("an explanation", func() bool { return p.views.draw.Shown().Explanation() != nil })
	p.views.inside.Scale.SetValue(2) // 10² = 100
	h.until("an explanation with scores × 100", func() bool {
		e := p.views.draw.Shown().Explanation()
		return e != nil && e.Scale == 100
	})
	if got := p.views.inside.ScaleText.Text; got != "scores × 100" {
		t.Errorf("scale caption %q", got)
	}
	e := p.views.draw.Shown().Explanation()
	if got := p.views.inside.Table[e.Digit][5].Text; got == "" || got == "NaN" {
		t.Errorf("the stable probability of the winner reads %q", got)
	}
}
