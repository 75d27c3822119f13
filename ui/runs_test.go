package ui

import (
	"bytes"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/chart"
	"github.com/mnistplayground/mnistplayground/ui/flow"
	"github.com/mnistplayground/mnistplayground/ui/training"
	"github.com/mnistplayground/mnistplayground/ui/widgets"
)

func TestEndedRunsAreComparedAndBroughtBack(t *testing.T) {
	h := newHarness(t, Options{Config: smallConfig(1)})
	p := h.p
	// A change of the network's shape discards it, after asking: it is kept.
	first := h.keepARun()
	if len(p.ws.Kept) != 1 || p.ws.Kept[0].Final != first {
		t.Fatalf("kept runs %d, want the discarded one", len(p.ws.Kept))
	}
	if len(p.views.runs.Rows) != 1 || !p.views.runs.Rows[0].Shown.Checked {
		t.Fatal("the Runs view does not list the kept run as shown")
	}
	p.start()
	h.until("the second run", func() bool { return p.ws.Run != nil && p.ws.Run.Ended && h.state() == engine.Done })
	specs := p.views.training.Charts()
	if _, ok := specs[0].Key.(training.CompareKey); !ok {
		t.Errorf("the loss chart is %T, want a comparison while a kept run is shown", specs[0].Key)
	}
	// Unticked, the training charts show the current run alone.
	p.views.runs.Rows[0].Shown.SetChecked(false)
	if _, ok := p.views.training.Charts()[0].Key.(training.CompareKey); ok {
		t.Error("the loss chart still compares with no kept run shown")
	}
	// Each run says what it reads on the pad.
	h.drawSeven()
	h.until("the kept run's reading", func() bool { return strings.HasPrefix(p.views.runs.Rows[0].Reads.Text, "reads the pad as ") })
	// Use brings the kept network back (after asking about the current
	// one's unsaved training).
	p.restoreRun(0)
	p.TypedKey(&fyneReturn)
	h.until("the kept network", func() bool { return p.ws.Model == first.Model })
	if p.ws.Net.Hidden[0] != 32 || p.views.settings.Layers[0].Size.Text != "32" {
		t.Errorf("settings after bringing the run back: %v", p.ws.Net.Hidden)
	}
	if got := p.bar.start.b.Text; got != "Continue (Space)" {
		t.Errorf("Start reads %q after bringing a run back, want Continue", got)
	}
}

var (
	fyneReturn = fyne.KeyEvent{Name: fyne.KeyReturn}
	fyneEscape = fyne.KeyEvent{Name: fyne.KeyEscape}
)

// comparedSnapshot is teachingSnapshot with its layers' gradient norms
// times gradScale and every test accuracy at acc.
func comparedSnapshot(t *testing.T, h *harness, steps int, gradScale, acc float64) *engine.Snapshot {
	s := teachingSnapshot(t, h, steps)
	for i := range s.Layers {
		g := &s.Layers[i].GradNormHistory
		g.Values = append([]float64(nil), g.Values...)
		for k := range g.Values {
			g.Values[k] *= gradScale
		}
	}
	for i := range s.Tests {
		s.Tests[i].Accuracy = acc
	}
	return s
}

// countColor counts img's pixels of colour c.
func countColor(img image.Image, c color.Color) int {
	want := color.NRGBAModel.Convert(c).(color.NRGBA)
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA) == want {
				n++
			}
		}
	}
	return n
}

// redrawn waits for chart v to show an image other than before.
func redrawn(h *harness, what string, v *widgets.ChartView, before image.Image) image.Image {
	h.t.Helper()
	h.until(what, func() bool { return v.Image() != nil && v.Image() != before })
	return v.Image()
}

func TestKeptRunsAreOverlaidOnTheGradientFlowAndTheAxesCanFitTheCurrentRun(t *testing.T) {
	cfg := engine.DefaultConfig() // teachingSnapshot's network
	h := newHarness(t, Options{Config: &cfg})
	p := h.p
	v := &p.views
	if !p.ws.FixedAxes {
		t.Fatal("the axes are not fixed across runs by default")
	}
	// Two runs end and are kept, shown; a third is the current one.
	p.apply(fakeRun(h), comparedSnapshot(t, h, 900, 30, 0.95))
	p.ws.StopRun()
	p.apply(fakeRun(h), comparedSnapshot(t, h, 900, 0.01, 0.5))
	p.ws.StopRun()
	p.apply(fakeRun(h), comparedSnapshot(t, h, 1200, 1, 0.95))
	if got := len(p.ws.ShownRuns()); got != 2 {
		t.Fatalf("%d kept runs shown, want 2", got)
	}
	p.panels.choose(panelFlow)
	key := v.flow.Charts()[0].Key
	if _, ok := key.(flow.CompareKey); !ok {
		t.Fatalf("the gradient flow's key is %T with kept runs shown, want a comparison", key)
	}
	if v.flow.Charts()[0].Key != key {
		t.Error("the same runs give another key: the chart would be drawn again for nothing")
	}
	both := redrawn(h, "the gradient flow with the kept runs", v.flow.Gradients, nil)

	// The same current run with the kept runs hidden: its layers alone.
	for i := range p.ws.Kept {
		p.ws.Kept[i].Shown = false
	}
	p.refresh()
	if _, ok := v.flow.Charts()[0].Key.(flow.CompareKey); ok {
		t.Fatal("the gradient flow compares runs with none shown")
	}
	alone := redrawn(h, "the current run's gradient flow", v.flow.Gradients, both)
	if d := diffPixels(alone, both); d < 2000 {
		t.Errorf("the gradient flow differs in %d pixels with two kept runs shown, want it redrawn with them", d)
	}
	for i := range 2 {
		if n := countColor(both, chart.RunColor(p.ws.Kept[i].ID)); n < 200 {
			t.Errorf("kept run %d's colour has %d pixels in the gradient flow, want its lines (200 or more)", i, n)
		}
	}
	// (The first kept run's sky blue is also the first layer's.)
	if n := countColor(alone, chart.RunColor(p.ws.Kept[1].ID)); n != 0 {
		t.Errorf("the second kept run's colour has %d pixels with no kept run shown", n)
	}
	for i := range p.ws.Kept {
		p.ws.Kept[i].Shown = true
	}
	p.refresh()
	if v.flow.Charts()[0].Key != key {
		t.Error("showing the same runs again gives another key")
	}
	// Unticking a run changes the key: the chart is drawn again.
	p.ws.Kept[1].Shown = false
	p.refresh()
	if v.flow.Charts()[0].Key == key {
		t.Error("hiding a kept run leaves the gradient flow's key as it was")
	}
	p.ws.Kept[1].Shown = true
	p.refresh()

	// What is exported is what is shown.
	for _, e := range p.exportables() {
		if e.name != "Gradient flow" {
			continue
		}
		img, err := chart.Render(e.chart, 640, 400, chart.PrintStyle(640, 400))
		if err != nil {
			t.Fatal(err)
		}
		if n := countColor(img, chart.RunColor(p.ws.Kept[1].ID)); n < 200 {
			t.Errorf("the exported gradient flow has %d pixels of the second kept run's colour: the comparison is not exported", n)
		}
		path := filepath.Join(t.TempDir(), "flow.svg")
		if err := chart.ExportFile(path, e.chart, 640, 400, chart.PrintStyle(640, 400)); err != nil {
			t.Errorf("the compared gradient flow as SVG: %v", err)
		} else if data, _ := os.ReadFile(path); !bytes.Contains(data, []byte("current")) || !bytes.Contains(data, []byte("band: every layer")) {
			t.Error("the SVG of the compared gradient flow lacks its legend")
		}
	}

	// The kept run at 50% is outside the current run's 95%: fitting the
	// current run alone changes the accuracy chart.
	p.panels.choose(panelTraining)
	fixed := redrawn(h, "the compared accuracy", v.training.Accuracy, nil)
	var menuItem *fyne.MenuItem
	for _, it := range h.w.MainMenu().Items[2].Items {
		if it.Label == "Fixed axes across runs" {
			menuItem = it
		}
	}
	if menuItem == nil || !menuItem.Checked {
		t.Fatalf("the View menu's fixed-axes item is %+v, want it there and ticked", menuItem)
	}
	menuItem.Action()
	if p.ws.FixedAxes || p.prefs.fixedAxes() {
		t.Fatal("the menu item did not free the axes, or the choice is not remembered")
	}
	fitted := redrawn(h, "the accuracy fitted to the current run", v.training.Accuracy, fixed)
	if differ := diffPixels(fixed, fitted); differ < 1000 {
		t.Errorf("the accuracy chart changed in %d pixels when its axes were freed, want it redrawn on other axes", differ)
	}
	if menuItem.Checked {
		t.Error("the menu's tick does not follow the choice")
	}
	p.setFixedAxes(true)
	if !p.prefs.fixedAxes() {
		t.Error("fixed axes again are not remembered")
	}
}

// diffPixels counts the pixels where a and b differ, or all of them when
// their sizes do.
func diffPixels(a, b image.Image) int {
	if a.Bounds() != b.Bounds() {
		return a.Bounds().Dx() * a.Bounds().Dy()
	}
	n := 0
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if color.NRGBAModel.Convert(a.At(x, y)) != color.NRGBAModel.Convert(b.At(x, y)) {
				n++
			}
		}
	}
	return n
}
