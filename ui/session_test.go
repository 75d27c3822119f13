package ui

import (
	"math"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/state"
)

func TestStartTrainsAndFeedsChartsAndStatus(t *testing.T) {
	h := newHarness(t, Options{Config: smallConfig(2)})
	p := h.p
	if p.bar.start.b.Disabled() {
		t.Fatalf("Start is disabled with data loaded and valid settings; status %q", p.bar.text.Text)
	}
	test.Tap(p.bar.start.b)
	h.until("the session to finish", func() bool { return h.state() == engine.Done && p.ws.Run.Ended })

	if got, want := p.ws.Last.Epoch, 2; got != want {
		t.Errorf("epochs trained = %d, want %d", got, want)
	}
	if got := p.bar.text.Text; !strings.HasPrefix(got, "Done · epoch 2/2 done") || !strings.Contains(got, "test accuracy") {
		t.Errorf("status = %q, want it to start with the state and epoch and give the test accuracy", got)
	}
	m, _ := p.ws.Last.LastTest()
	if m.Accuracy < 0.5 {
		t.Errorf("test accuracy on the learnable blobs = %.2f, want above 0.5", m.Accuracy)
	}
	h.until("the charts to be drawn", func() bool {
		return p.views.training.Loss.Image() != nil && p.views.training.Accuracy.Image() != nil
	})
	for i, c := range p.views.layers.Cells {
		if got := c.History(); got < 2 {
			t.Errorf("layer %d histogram history has %d entries, want at least the first and the latest", i+1, got)
		}
		if c.Stats.Text == "no gradient yet" {
			t.Errorf("layer %d statistics were not shown", i+1)
		}
	}
	if !p.ws.Trained() || p.ws.Model != p.ws.Last.Model {
		t.Error("the pad does not answer with the trained network")
	}
	if got, want := p.bar.start.b.Text, "Continue (Space)"; got != want {
		t.Errorf("Start button after training = %q, want %q", got, want)
	}
	if !p.bar.pause.b.Disabled() {
		t.Error("Pause is enabled with no session running")
	}
}

func TestPauseStopsTheStepCount(t *testing.T) {
	h := newHarness(t, Options{Config: smallConfig(0)}) // until stopped
	p := h.p
	p.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	h.until("training to start", func() bool { return h.step() > 3 })
	if got, want := p.bar.pause.b.Text, "Pause (Space)"; got != want {
		t.Fatalf("Pause button while training = %q, want %q", got, want)
	}

	test.Tap(p.bar.pause.b)
	if got, want := p.bar.pause.b.Text, "Resume (Space)"; got != want {
		t.Errorf("Pause button right after the tap = %q, want %q at once", got, want)
	}
	h.until("the session to pause", func() bool { return h.state() == engine.Paused })
	paused := h.step()
	h.loop.pump(100 * time.Millisecond)
	if got := p.ws.Run.Session.Latest().Step; got != paused {
		t.Errorf("steps went on while paused: %d, then %d", paused, got)
	}
	if p.bar.step.b.Disabled() {
		t.Error("Step is disabled while paused")
	}

	test.Tap(p.bar.step.b)
	h.until("one step", func() bool { return h.step() == paused+1 })
	h.loop.pump(50 * time.Millisecond)
	if got := h.step(); got != paused+1 {
		t.Errorf("Step trained %d mini-batches, want 1", got-paused)
	}

	p.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	h.until("training to resume", func() bool { return h.state() == engine.Running && h.step() > paused+3 })
}

func TestStepStartsAPausedSession(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.p
	p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	h.until("one step", func() bool { return h.step() == 1 && h.state() == engine.Paused })
	if got, want := p.bar.pause.b.Text, "Resume (Space)"; got != want {
		t.Errorf("Pause button after a step = %q, want %q", got, want)
	}
	if !p.ws.Trained() {
		t.Error("a network that took a step does not count as trained")
	}
}

func TestResetStartsOver(t *testing.T) {
	h := newHarness(t, Options{Config: smallConfig(0)})
	p := h.p
	test.Tap(p.bar.start.b)
	h.until("a few steps", func() bool { return h.step() > 2 })
	first := p.ws.Run
	untrained, err := p.ws.Net.Untrained()
	if err != nil {
		t.Fatal(err)
	}

	p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyR})
	if got, want := p.dialogs.last.title, "Discard the trained network?"; got != want {
		t.Fatalf("R on an unsaved network: dialog %q, want %q", got, want)
	}
	p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Discard
	if p.ws.Run != nil || p.ws.Last != nil || p.ws.Trained() {
		t.Fatal("Reset kept the session or the trained network")
	}
	h.until("the old session to stop", func() bool {
		select {
		case <-first.Done:
			return true
		default:
			return false
		}
	})
	if !sameWeights(p.ws.Model, untrained) {
		t.Error("after Reset the pad does not answer with the untrained network of the settings")
	}
	if got := p.views.layers.Cells[0].History(); got != 1 {
		t.Errorf("histogram history after Reset has %d entries, want the new network's 1", got)
	}
	if got, want := p.bar.start.b.Text, "Start (Space)"; got != want {
		t.Errorf("Start button after Reset = %q, want %q", got, want)
	}
}

func TestLearningRateAppliesLive(t *testing.T) {
	h := newHarness(t, Options{Config: smallConfig(0)})
	p := h.p
	test.Tap(p.bar.start.b)
	h.until("training", func() bool { return h.step() > 0 })
	p.views.settings.LR.SetText("0.05")
	p.views.settings.LR.FocusLost() // commits, as Enter does
	// The slider moves in hundredths of a decade.
	if got, want := p.views.settings.Slider.Value, state.LRExp(0.05); math.Abs(got-want) > 0.01 {
		t.Errorf("slider after typing 0.05 = %g, want %g", got, want)
	}
	h.until("the session to take the new rate", func() bool { return p.ws.Last.BaseLR == 0.05 })
	if !strings.Contains(p.bar.text.Text, "lr 0.05") {
		t.Errorf("status %q does not give the new learning rate", p.bar.text.Text)
	}
	if p.views.settings.LR.Disabled() || !p.views.settings.Batch.Disabled() {
		t.Error("while training, the learning rate must stay editable and the batch size must not")
	}
}

func TestCloseStopsTraining(t *testing.T) {
	h := newHarness(t, Options{Config: smallConfig(0)})
	p := h.p
	test.Tap(p.bar.start.b)
	h.until("training", func() bool { return h.step() > 0 })
	r := p.ws.Run
	p.closeRequested()
	if got, want := p.dialogs.last.title, "Quit and discard the trained network?"; got != want {
		t.Fatalf("closing with an unsaved network: dialog %q, want %q", got, want)
	}
	p.dialogs.last.confirm.Confirm() // Quit
	h.until("the window to close", p.life.closed.Load)
	select {
	case <-r.Done:
	default:
		t.Error("the window closed before the session's Run returned")
	}
}

func TestUntrainedModelIsTheSessionsFirst(t *testing.T) {
	t.Parallel()
	cfg := *smallConfig(1)
	for _, seed := range []uint64{0, 1, 42} {
		cfg.Seed = seed
		s, err := engine.NewSession(cfg, tinyMNIST(), engine.SessionOptions{StartPaused: true})
		if err != nil {
			t.Fatal(err)
		}
		m, err := state.NetOf(cfg).Untrained()
		if err != nil {
			t.Fatal(err)
		}
		if !sameWeights(m, s.Latest().Model) {
			t.Errorf("seed %d: the pad's untrained network differs from the one a session starts with", seed)
		}
	}
}

// sameWeights reports whether two models hold the same numbers.
func sameWeights(a, b *engine.Model) bool {
	if a == nil || b == nil || len(a.Layers) != len(b.Layers) {
		return false
	}
	for i := range a.Layers {
		la, lb := a.Layers[i], b.Layers[i]
		if len(la.W) != len(lb.W) || len(la.B) != len(lb.B) {
			return false
		}
		for k := range la.W {
			if la.W[k] != lb.W[k] {
				return false
			}
		}
		for k := range la.B {
			if la.B[k] != lb.B[k] {
				return false
			}
		}
	}
	return true
}
