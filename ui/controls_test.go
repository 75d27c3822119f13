package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/widgets"
)

func TestInvalidSettingsDisableStart(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.p
	for _, c := range []struct {
		name   string
		field  func() *widgets.Field
		bad    string
		good   string
		reason string
	}{
		{"layer size 0", func() *widgets.Field { return p.views.settings.Layers[0].Size }, "0", "32", "layer 1: 0 units is out of range: use 1 to 1024"},
		{"layer size 2000", func() *widgets.Field { return p.views.settings.Layers[0].Size }, "2000", "32", "layer 1: 2000 units is out of range: use 1 to 1024"},
		{"learning rate abc", func() *widgets.Field { return p.views.settings.LR }, "abc", "0.1", `learning rate: "abc" is not a number`},
		{"learning rate 1000", func() *widgets.Field { return p.views.settings.LR }, "1000", "0.1", "learning rate: 1000 is out of range: use 1e-07 to 100"},
		{"batch size 0", func() *widgets.Field { return p.views.settings.Batch }, "0", "50", `batch size: "0": use a whole number of images from 1 to 60,000`},
		{"epochs -1", func() *widgets.Field { return p.views.settings.Epochs }, "-1", "2", "epochs"},
		{"seed x", func() *widgets.Field { return p.views.settings.Seed }, "x", "1", "seed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := c.field()
			f.SetText(c.bad)
			if !p.bar.start.b.Disabled() || !p.bar.step.b.Disabled() {
				t.Errorf("Start or Step is enabled with %s", c.name)
			}
			if f.Err() == nil {
				t.Errorf("the field accepts %q", c.bad)
			}
			if p.views.settings.Problem.Hidden || !strings.Contains(p.views.settings.Problem.Text, c.reason) {
				t.Errorf("problem line = %q (hidden %v), want it to say %q", p.views.settings.Problem.Text, p.views.settings.Problem.Hidden, c.reason)
			}
			if !strings.HasPrefix(p.bar.text.Text, "Fix the settings") {
				t.Errorf("status = %q, want a hint to fix the settings", p.bar.text.Text)
			}
			p.start() // Space must not start a session either
			if p.ws.Run != nil {
				t.Fatal("a session started with invalid settings")
			}
			f.SetText(c.good)
			f.FocusLost()
			if p.bar.start.b.Disabled() {
				t.Errorf("Start stays disabled after fixing %s: %q", c.name, p.views.settings.Problem.Text)
			}
			if !p.views.settings.Problem.Hidden {
				t.Errorf("problem line still shown: %q", p.views.settings.Problem.Text)
			}
		})
	}
}

func TestChangingTheArchitectureOfATrainedNetworkAsksFirst(t *testing.T) {
	h := newHarness(t, Options{Config: smallConfig(1)})
	p := h.p
	test.Tap(p.bar.start.b)
	h.until("the run to end", func() bool { return h.state() == engine.Done && p.ws.Run.Ended })
	trained := p.ws.Model

	for _, c := range []struct {
		name   string
		change func()
		check  func() bool // the settings show the change
	}{
		{"layer size", func() {
			f := p.views.settings.Layers[0].Size
			f.SetText("64")
			f.FocusLost()
		}, func() bool { return p.views.settings.Layers[0].Size.Text == "64" }},
		{"activation", func() { p.views.settings.Layers[0].Act.SetSelected("sigmoid") }, func() bool { return p.views.settings.Layers[0].Act.Selected == "sigmoid" }},
		{"loss", func() { p.views.settings.Loss.SetSelectedIndex(1) }, func() bool { return p.views.settings.Loss.SelectedIndex() == 1 }},
		{"initialisation", func() { p.views.settings.Init.SetSelected("Xavier") }, func() bool { return p.views.settings.Init.Selected == "Xavier" }},
		{"seed", func() {
			p.views.settings.Seed.SetText("7")
			p.views.settings.Seed.FocusLost()
		}, func() bool { return p.views.settings.Seed.Text == "7" }},
		{"added layer", func() { test.Tap(p.views.settings.AddLayer) }, func() bool { return len(p.views.settings.Layers) == 2 }},
		{"removed layer", func() { test.Tap(p.views.settings.Layers[0].Remove) }, func() bool { return len(p.views.settings.Layers) == 0 }},
	} {
		t.Run(c.name, func(t *testing.T) {
			p.dialogs.last = shownDialog{}
			c.change()
			if p.dialogs.last.confirm == nil {
				t.Fatalf("no question asked; dialog %q", p.dialogs.last.title)
			}
			if !c.check() {
				t.Error("the settings do not show the change while the question is open")
			}
			p.dialogs.last.confirm.Dismiss() // keep the trained network
			if c.check() {
				t.Error("the settings still show the change after the user kept the network")
			}
			if n, err := p.views.settings.Net(); err != nil || !n.Equal(p.ws.Net) {
				t.Errorf("settings after keeping = %+v (%v), want the trained network's %+v", n, err, p.ws.Net)
			}
			if p.ws.Model != trained || !p.ws.Trained() {
				t.Error("keeping the network changed it")
			}
		})
	}

	// Saying yes makes the new, untrained network.
	f := p.views.settings.Layers[0].Size
	f.SetText("64")
	f.FocusLost()
	p.dialogs.last.confirm.Confirm()
	if p.ws.Trained() || p.ws.Model == trained || p.ws.Run != nil {
		t.Fatal("the trained network or its session survived a confirmed change")
	}
	if !slices.Equal(p.ws.Net.Hidden, []int{64}) || p.ws.Model.Layers[0].Out != 64 {
		t.Errorf("network after the change has hidden layers %v, want [64]", p.ws.Net.Hidden)
	}
	if got, want := p.views.draw.Note(), "untrained network — random guesses"; got != want {
		t.Errorf("pad note = %q, want %q", got, want)
	}
}

func TestChangingAnUntrainedNetworkDoesNotAsk(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.p
	before := p.ws.Model
	test.Tap(p.views.settings.AddLayer)
	if p.dialogs.last.confirm != nil {
		t.Fatal("changing an untrained network asked a question")
	}
	if p.ws.Model == before || len(p.ws.Model.Layers) != 3 {
		t.Errorf("the untrained network has %d layers after adding one, want 3", len(p.ws.Model.Layers))
	}
	if got := len(p.views.layers.Cells); got != 3 {
		t.Errorf("%d histograms, want 3", got)
	}
	for range engine.MaxHidden {
		test.Tap(p.views.settings.AddLayer)
	}
	if got := len(p.views.settings.Layers); got != engine.MaxHidden {
		t.Errorf("%d hidden layers after adding many, want at most %d", got, engine.MaxHidden)
	}
	if !p.views.settings.AddLayer.Disabled() {
		t.Error("Add hidden layer is enabled at the limit")
	}
	for len(p.views.settings.Layers) > 0 {
		test.Tap(p.views.settings.Layers[0].Remove)
	}
	if len(p.ws.Model.Layers) != 1 || p.bar.start.b.Disabled() {
		t.Errorf("a network without hidden layers (%d layers) should train", len(p.ws.Model.Layers))
	}
}

func TestKeysAndFields(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.p
	for _, c := range []struct {
		name string
		f    *widgets.Field
		text string
	}{
		{"epochs", p.views.settings.Epochs, "20"},
		{"learning rate", p.views.settings.LR, "0.05"},
		{"layer size", p.views.settings.Layers[0].Size, "64"},
		{"seed", p.views.settings.Seed, "42"},
	} {
		c.f.SetText("")
		p.win.Canvas().Focus(c.f)
		test.Type(c.f, c.text)
		if got := c.f.Text; got != c.text {
			t.Errorf("typing %q into the %s field gave %q", c.text, c.name, got)
		}
		if p.win.Canvas().Focused() != c.f {
			t.Errorf("the %s field lost the focus while typing", c.name)
		}
		p.Release()
	}
	f := p.views.settings.Epochs
	p.win.Canvas().Focus(f)
	// A window shortcut typed into a field reaches the window.
	f.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: ctrl})
	if !p.views.training.LogScale.Checked {
		t.Error("Ctrl+L in a field did not switch the loss chart to a log scale")
	}
	// Enter commits and gives the keyboard back to the window.
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if p.win.Canvas().Focused() != nil {
		t.Error("Enter left the focus in the field")
	}
	p.win.Canvas().Focus(f)
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if p.win.Canvas().Focused() != nil {
		t.Error("Escape left the focus in the field")
	}
	// A list or the slider keeps the focus after a click; the window's
	// keys still reach the window, and → does not change the value.
	act := p.views.settings.Layers[0].Act
	p.win.Canvas().Focus(act)
	act.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	if act.Selected != "relu" {
		t.Errorf("→ on a focused list changed it to %q", act.Selected)
	}
	if p.win.Canvas().Focused() != nil {
		t.Error("a key for the window left the focus on the list")
	}
	if p.ws.Run == nil {
		t.Error("→ on a focused list did not reach the window, which steps")
	}
	p.resetNow()
	p.win.Canvas().Focus(p.views.settings.Slider)
	p.views.settings.Slider.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	if got := p.views.settings.LR.Text; got == "0.1" {
		t.Error("→ on the focused slider did not move it")
	}
	p.views.settings.Slider.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	if p.ws.Run == nil {
		t.Error("Space on the focused slider did not start training")
	}
	p.resetNow()

	// The window's single keys do nothing while a dialog is open.
	p.showMessage("A question", "Anything.")
	p.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	if p.ws.Run != nil {
		t.Error("Space started training behind a dialog")
	}
}
