package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/state"
	"github.com/mnistplayground/mnistplayground/ui/widgets"
)

func TestStartTakesTheKeyboardFromATrainingField(t *testing.T) {
	for _, name := range []string{"batch", "epochs", "factor", "every"} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, Options{Config: smallConfig(0)})
			p := h.p
			p.views.settings.Schedule.SetSelected("step decay")
			f := map[string]*widgets.Field{"batch": p.views.settings.Batch, "epochs": p.views.settings.Epochs, "factor": p.views.settings.Factor, "every": p.views.settings.Every}[name]
			p.win.Canvas().Focus(f)
			test.Tap(p.bar.start.b)
			if !f.Disabled() {
				t.Fatalf("the %s field is editable while training", name)
			}
			if got := p.win.Canvas().Focused(); got != nil {
				t.Fatalf("the disabled %s field kept the focus (%T): the window's keys would be lost", name, got)
			}
			h.until("training", func() bool { return h.step() > 0 })
			p.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
			if got, want := p.bar.pause.b.Text, "Resume (Space)"; got != want {
				t.Errorf("Space after Start: Pause button = %q, want %q", got, want)
			}
		})
	}
}

func TestFocusedFieldLosesTheFocusWhenDisabled(t *testing.T) {
	h := newHarness(t, Options{})
	c := h.p.views.settings
	h.p.win.Canvas().Focus(c.Epochs)
	h.p.apply(fakeRun(h), fakeSnapshot(t, engine.Running, 5))
	if !c.Epochs.Disabled() {
		t.Fatal("the epochs field is editable while training")
	}
	if got := h.p.win.Canvas().Focused(); got != nil {
		t.Errorf("focus after disabling the focused field = %T, want none", got)
	}
}

func TestTypedLearningRateWaitsForCommit(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.p
	var sent []float64
	p.views.settings.OnLR = func(lr float64) { sent = append(sent, lr) }
	p.views.settings.LR.SetText("")
	p.win.Canvas().Focus(p.views.settings.LR)
	test.Type(p.views.settings.LR, "5e-3")
	if len(sent) != 0 {
		t.Errorf("typing 5e-3 sent the rates %v before it was committed, want none", sent)
	}
	if got, want := p.views.settings.Slider.Value, state.LRExp(0.005); got < want-0.01 || got > want+0.01 {
		t.Errorf("slider while typing = %g, want %g: it follows the typed value", got, want)
	}
	p.views.settings.LR.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if want := []float64{0.005}; !slices.Equal(sent, want) {
		t.Errorf("rates sent after Enter = %v, want %v", sent, want)
	}
	if p.win.Canvas().Focused() != nil {
		t.Error("Enter left the focus in the learning-rate field")
	}
}

func TestSliderSendsOneRatePerMove(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.p
	var sent []float64
	p.views.settings.OnLR = func(lr float64) { sent = append(sent, lr) }
	moves := []float64{-1.5, -1.4, -2, -3.25}
	for _, v := range moves {
		p.views.settings.Slider.SetValue(v)
	}
	want := []float64{0.032, 0.04, 0.01, 0.00056}
	if !slices.Equal(sent, want) {
		t.Errorf("rates sent for %d slider moves = %v, want %v", len(moves), sent, want)
	}
}

func TestSliderDragOnAWideNetworkStaysResponsive(t *testing.T) {
	cfg := smallConfig(0)
	acts := slices.Repeat([]engine.Activation{engine.ReLU}, 6)
	cfg.Arch = engine.MNISTArch(slices.Repeat([]int{1024}, 6), acts, engine.CrossEntropy)
	h := newHarness(t, Options{Config: cfg})
	p := h.p
	test.Tap(p.bar.start.b)
	h.until("training", func() bool { return h.step() > 0 })
	// A drag is a stream of moves while a long step runs; none of them may
	// wait for the session.
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 400 {
			h.loop.do(func() { p.views.settings.Slider.SetValue(-3 + float64(i%100)/100) })
		}
	}()
	h.until("400 slider moves", func() bool {
		select {
		case <-done:
			return true
		default:
			return false
		}
	})
	want := state.RoundLR(0.1 * 0.1 * 0.1 * 9.772) // the last move, -3 + 0.99
	h.until("the session to take the last rate", func() bool { return p.ws.Last.BaseLR == want })
}

func TestPauseButtonKeepsTheAskedState(t *testing.T) {
	cfg := engine.DefaultConfig()
	h := newHarness(t, Options{Config: &cfg})
	p := h.p
	// A session that is never run takes the commands into its queue; the
	// test plays its snapshots.
	s, err := engine.NewSession(cfg, tinyMNIST(), engine.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r := fakeRun(h)
	r.Session = s
	steps := 100
	snap := func(st engine.State) *engine.Snapshot {
		steps++
		return fakeSnapshot(t, st, steps)
	}
	p.apply(r, snap(engine.Running))
	for _, c := range []struct {
		what  string
		do    func()
		label string
	}{
		{"tap Pause", p.togglePause, "Resume (Space)"},
		{"a running snapshot sent before the pause", func() { p.apply(r, snap(engine.Running)) }, "Resume (Space)"},
		{"the paused snapshot", func() { p.apply(r, snap(engine.Paused)) }, "Resume (Space)"},
		{"tap Resume", p.togglePause, "Pause (Space)"},
		{"a paused snapshot sent before the resume", func() { p.apply(r, snap(engine.Paused)) }, "Pause (Space)"},
		{"the running snapshot", func() { p.apply(r, snap(engine.Running)) }, "Pause (Space)"},
		{"a later paused snapshot", func() { p.apply(r, snap(engine.Paused)) }, "Resume (Space)"},
	} {
		c.do()
		if got := p.bar.pause.b.Text; got != c.label {
			t.Errorf("after %s: button = %q, want %q", c.what, got, c.label)
		}
	}
	p.togglePause() // resume asked, then the run ends
	r.Ended = true
	p.runEnded(r, nil)
	if !r.Paused() { // the resume asked is forgotten: the last snapshot said paused
		t.Error("an ended run keeps a pending request")
	}
}

func TestPauseIsOffWhileStopping(t *testing.T) {
	h := newHarness(t, Options{Config: smallConfig(0)})
	p := h.p
	test.Tap(p.bar.start.b)
	h.until("training", func() bool { return h.step() > 0 })
	p.ws.Closing = true // as quit sets it, before the engine has stopped
	p.refresh()
	if !p.bar.pause.b.Disabled() {
		t.Error("Pause is enabled while the window is stopping")
	}
	p.ws.Closing = false
}

func TestContinueKeepsTheRunsHistory(t *testing.T) {
	h := newHarness(t, Options{Config: smallConfig(1)})
	p := h.p
	test.Tap(p.bar.start.b)
	h.until("the first run to end", func() bool { return p.ws.Run.Ended && h.state() == engine.Done })
	first := p.ws.Last
	cell := p.views.layers.Cells[0]
	entries := cell.History()
	if got, want := p.bar.start.b.Text, "Continue (Space)"; got != want {
		t.Fatalf("Start after a run = %q, want %q", got, want)
	}

	p.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	h.until("the second run to end", func() bool { return p.ws.Run.Ended && h.state() == engine.Done && p.ws.Last != first })
	last := p.ws.Last
	if got, want := last.Epoch, 2; got != want {
		t.Errorf("epochs after Continue = %d, want %d", got, want)
	}
	if got, want := last.Step, 2*first.Step; got != want {
		t.Errorf("steps after Continue = %d, want %d", got, want)
	}
	if !slices.Equal(last.TrainLoss[:first.Step], first.TrainLoss) {
		t.Error("the loss history of the first run is not kept")
	}
	if len(last.Tests) != len(first.Tests)+1 {
		t.Errorf("%d test measurements after Continue, want %d", len(last.Tests), len(first.Tests)+1)
	}
	if last.Elapsed < first.Elapsed {
		t.Errorf("training time went back from %v to %v", first.Elapsed, last.Elapsed)
	}
	if p.views.layers.Cells[0] != cell || cell.History() <= entries {
		t.Errorf("the histogram history restarted: %d entries, had %d", cell.History(), entries)
	}
	if got := p.bar.text.Text; !strings.HasPrefix(got, "Done · epoch 2/2 done") {
		t.Errorf("status = %q, want it to count the epochs of both runs", got)
	}
	if got := p.views.draw.Note(); !strings.HasPrefix(got, "trained: 2 epochs") {
		t.Errorf("pad note = %q, want the cumulative epochs", got)
	}

	// Step after a finished run carries it on too.
	test.Tap(p.bar.step.b)
	h.until("one more step", func() bool { return h.step() == last.Step+1 })
	if p.ws.Last.TrainLoss[0] != first.TrainLoss[0] {
		t.Error("Step after a finished run started a new history")
	}
}

func TestDiscardFromStartTrainsTheNewNetwork(t *testing.T) {
	h := newHarness(t, Options{Config: smallConfig(1)})
	p := h.p
	test.Tap(p.bar.start.b)
	h.until("the run to end", func() bool { return p.ws.Run.Ended && h.state() == engine.Done })
	f := p.views.settings.Layers[0].Size
	p.win.Canvas().Focus(f)
	f.SetText("16") // typed, not committed
	test.Tap(p.bar.start.b)
	if p.dialogs.last.confirm == nil {
		t.Fatal("Start with a changed shape did not ask")
	}
	p.dialogs.last.confirm.Confirm() // Discard
	if !p.ws.Live() {
		t.Fatal("answering Discard did not start training the new network")
	}
	if got := p.ws.Run.Session.Latest().Config.Arch.Hidden; !slices.Equal(got, []int{16}) {
		t.Errorf("the new session trains hidden layers %v, want [16]", got)
	}
}

func TestResetAndCloseAskOnlyForUnsavedTraining(t *testing.T) {
	h := newHarness(t, Options{Config: smallConfig(1)})
	p := h.p
	p.reset() // an untrained network: nothing to lose
	if p.dialogs.last.title != "" {
		t.Fatalf("Reset of an untrained network asked %q", p.dialogs.last.title)
	}
	test.Tap(p.bar.start.b)
	h.until("the run to end", func() bool { return p.ws.Run.Ended && h.state() == engine.Done })
	trained := p.ws.Model

	for _, ask := range []struct {
		name, title string
		do          func()
	}{
		{"R", "Discard the trained network?", func() { p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyR}) }},
		{"Ctrl+R", "Discard the trained network?", func() { p.shortcuts()[3].fn() }},
		{"close", "Quit and discard the trained network?", p.closeRequested},
	} {
		p.dialogs.last = shownDialog{}
		ask.do()
		if p.dialogs.last.title != ask.title || p.dialogs.last.confirm == nil {
			t.Fatalf("%s: dialog %q, want the question %q", ask.name, p.dialogs.last.title, ask.title)
		}
		p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) // keep it
		if p.ws.Model != trained || p.ws.Closing || p.dialogOpen() {
			t.Fatalf("%s: answering no changed the network or closed the window", ask.name)
		}
	}

	path := t.TempDir() + "/kept.npz"
	p.saveModel(path, p.ws.StartSave())
	h.until("the save", func() bool { return strings.HasPrefix(p.ws.Message, "Saved") })
	if p.ws.Unsaved() {
		t.Fatal("a saved network still counts as unsaved")
	}
	p.dialogs.last = shownDialog{}
	p.reset()
	if p.dialogs.last.title != "" || p.ws.Trained() {
		t.Errorf("Reset of a saved network asked %q or kept it", p.dialogs.last.title)
	}
	h.loadAndWait(path)
	if p.ws.File != "kept.npz" || p.ws.Unsaved() {
		t.Errorf("an opened network counts as unsaved (loaded %q)", p.ws.File)
	}
}

func TestContinueAtAnotherBatchSizeStartsANewRun(t *testing.T) {
	h := newHarness(t, Options{Config: smallConfig(1)})
	p := h.p
	test.Tap(p.bar.start.b)
	h.until("the first run to end", func() bool { return p.ws.Run.Ended && h.state() == engine.Done })
	trained, old := p.ws.Model, p.ws.Last

	p.win.Canvas().Focus(p.views.settings.Batch)
	p.views.settings.Batch.SetText("40") // typed, not committed
	test.Tap(p.bar.step.b)               // a new session that starts paused and takes one step
	if p.dialogs.last.title != "" {
		t.Fatalf("a step at another batch size showed %q: %q", p.dialogs.last.title, p.dialogs.last.message)
	}
	if !p.ws.Live() {
		t.Fatal("a step at another batch size did not start a session")
	}
	if got := p.ws.Last; got == nil || got.Step != 0 || !sameWeights(got.Model, trained) {
		t.Error("the new run does not start at step 0 from the trained network")
	}
	h.until("one step", func() bool { return h.step() == 1 })
	if got, want := p.ws.Last.Config.Batch, 40; got != want {
		t.Errorf("the new run's batch size = %d, want %d", got, want)
	}
	if got, want := len(p.ws.Last.TrainLoss), 1; got != want || p.ws.Last.TrainLoss[0] == old.TrainLoss[0] {
		t.Errorf("the new run has %d losses, want %d of its own", got, want)
	}
	if got := p.views.layers.Cells[0].History(); got > 2 {
		t.Errorf("the histogram history kept the old run's entries: %d", got)
	}
}

func TestToolbarButtonsCommitTheTypedLearningRate(t *testing.T) {
	// Tapped is called directly: the desktop driver leaves the focus where
	// it is when a button is clicked (test.Tap unfocuses first, which would
	// hide the fault).
	for _, c := range []struct {
		name string
		obj  func(p *Shell) fyne.Tappable
	}{
		{"Pause", func(p *Shell) fyne.Tappable { return p.bar.pause.b }},
		{"Step", func(p *Shell) fyne.Tappable { return p.bar.step.b }},
		{"Reset", func(p *Shell) fyne.Tappable { return p.bar.reset.b }},
		{"Open", func(p *Shell) fyne.Tappable { return p.bar.open.b }},
		{"Save", func(p *Shell) fyne.Tappable { return p.bar.save.b }},
		{"Training tab", func(p *Shell) fyne.Tappable { return tabButton(p, panelTraining) }},
		{"Layers tab", func(p *Shell) fyne.Tappable { return tabButton(p, panelLayers) }},
		{"Log scale", func(p *Shell) fyne.Tappable { return p.views.training.LogScale }},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, Options{Config: smallConfig(0)})
			p := h.p
			test.Tap(p.bar.step.b) // a paused session, which takes a new rate live
			h.until("one step", func() bool { return h.step() == 1 })
			var sent []float64
			p.views.settings.OnLR = func(lr float64) { sent = append(sent, lr) }
			p.views.settings.LR.SetText("")
			p.win.Canvas().Focus(p.views.settings.LR)
			test.Type(p.views.settings.LR, "0.005")
			obj := c.obj(p)
			// Inside a check's box, which is all of a button.
			obj.Tapped(&fyne.PointEvent{Position: fyne.NewPos(2, obj.(fyne.CanvasObject).Size().Height/2)})
			if want := []float64{0.005}; !slices.Equal(sent, want) {
				t.Errorf("rates sent after tapping %s = %v, want %v", c.name, sent, want)
			}
			if got := p.win.Canvas().Focused(); got == p.views.settings.LR {
				t.Errorf("tapping %s left the keyboard in the learning-rate field", c.name)
			}
		})
	}
}

// tabButton is the tab of panel in the arrangement on show.
func tabButton(p *Shell, panel int) *widget.Button {
	for _, g := range p.panels.arrangement(p.panels.current) {
		if i := slices.Index(g, panel); i >= 0 && len(g) > 1 {
			return p.panels.tabs[groupKey(g)].buttons[i].b
		}
	}
	panic("the panel has no tab")
}
