package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/training"
)

func TestEndedRunsAreComparedAndBroughtBack(t *testing.T) {
	h := newHarness(t, Options{Config: smallConfig(1)})
	p := h.p
	p.start()
	h.until("the first run", func() bool { return p.ws.Run != nil && p.ws.Run.Ended && h.state() == engine.Done })
	first := p.ws.Last
	// A change of the network's shape discards it, after asking: it is kept.
	p.views.settings.Layers[0].Size.SetText("16")
	p.views.settings.Layers[0].Size.FocusLost()
	p.TypedKey(&fyneReturn)
	h.until("the new network", func() bool { return p.ws.Net.Hidden[0] == 16 })
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
