package ui

import (
	"math"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/mnistplayground/mnistplayground/engine"
)

func TestInvalidSettingsDisableStart(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.p
	for _, c := range []struct {
		name   string
		field  func() *field
		bad    string
		good   string
		reason string
	}{
		{"layer size 0", func() *field { return p.ctl.layers[0].size }, "0", "32", "layer 1: 0 units is out of range: use 1 to 1024"},
		{"layer size 2000", func() *field { return p.ctl.layers[0].size }, "2000", "32", "layer 1: 2000 units is out of range: use 1 to 1024"},
		{"learning rate abc", func() *field { return p.ctl.lr }, "abc", "0.1", `learning rate: "abc" is not a number`},
		{"learning rate 100", func() *field { return p.ctl.lr }, "100", "0.1", "learning rate: 100 is out of range: use 1e-5 to 10"},
		{"batch size 0", func() *field { return p.ctl.batch }, "0", "50", `batch size: "0": use a whole number of images from 1 to 60000`},
		{"epochs -1", func() *field { return p.ctl.epochs }, "-1", "2", "epochs"},
		{"seed x", func() *field { return p.ctl.seed }, "x", "1", "seed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := c.field()
			f.SetText(c.bad)
			if !p.startBtn.Disabled() || !p.stepBtn.Disabled() {
				t.Errorf("Start or Step is enabled with %s", c.name)
			}
			if f.err() == nil {
				t.Errorf("the field accepts %q", c.bad)
			}
			if p.ctl.problem.Hidden || !strings.Contains(p.ctl.problem.Text, c.reason) {
				t.Errorf("problem line = %q (hidden %v), want it to say %q", p.ctl.problem.Text, p.ctl.problem.Hidden, c.reason)
			}
			if !strings.HasPrefix(p.status.Text, "Fix the settings") {
				t.Errorf("status = %q, want a hint to fix the settings", p.status.Text)
			}
			p.start() // Space must not start a session either
			if p.run != nil {
				t.Fatal("a session started with invalid settings")
			}
			f.SetText(c.good)
			f.FocusLost()
			if p.startBtn.Disabled() {
				t.Errorf("Start stays disabled after fixing %s: %q", c.name, p.ctl.problem.Text)
			}
			if !p.ctl.problem.Hidden {
				t.Errorf("problem line still shown: %q", p.ctl.problem.Text)
			}
		})
	}
}

func TestChangingTheArchitectureOfATrainedNetworkAsksFirst(t *testing.T) {
	h := newHarness(t, Options{Config: smallConfig(1)})
	p := h.p
	test.Tap(p.startBtn)
	h.until("the run to end", func() bool { return h.state() == engine.Done && p.run.ended })
	trained := p.model

	for _, c := range []struct {
		name   string
		change func()
		check  func() bool // the settings show the change
	}{
		{"layer size", func() {
			f := p.ctl.layers[0].size
			f.SetText("64")
			f.FocusLost()
		}, func() bool { return p.ctl.layers[0].size.Text == "64" }},
		{"activation", func() { p.ctl.layers[0].act.SetSelected("sigmoid") }, func() bool { return p.ctl.layers[0].act.Selected == "sigmoid" }},
		{"loss", func() { p.ctl.loss.SetSelectedIndex(1) }, func() bool { return p.ctl.loss.SelectedIndex() == 1 }},
		{"initialisation", func() { p.ctl.init.SetSelected("Xavier") }, func() bool { return p.ctl.init.Selected == "Xavier" }},
		{"seed", func() {
			p.ctl.seed.SetText("7")
			p.ctl.seed.FocusLost()
		}, func() bool { return p.ctl.seed.Text == "7" }},
		{"added layer", func() { test.Tap(p.ctl.addLayer) }, func() bool { return len(p.ctl.layers) == 2 }},
		{"removed layer", func() { test.Tap(p.ctl.layers[0].remove) }, func() bool { return len(p.ctl.layers) == 0 }},
	} {
		t.Run(c.name, func(t *testing.T) {
			p.lastShow = shownDialog{}
			c.change()
			if p.lastShow.confirm == nil {
				t.Fatalf("no question asked; dialog %q", p.lastShow.title)
			}
			if !c.check() {
				t.Error("the settings do not show the change while the question is open")
			}
			p.lastShow.confirm.Dismiss() // keep the trained network
			if c.check() {
				t.Error("the settings still show the change after the user kept the network")
			}
			if n, err := p.ctl.net(); err != nil || !n.equal(p.net) {
				t.Errorf("settings after keeping = %+v (%v), want the trained network's %+v", n, err, p.net)
			}
			if p.model != trained || !p.trained {
				t.Error("keeping the network changed it")
			}
		})
	}

	// Saying yes makes the new, untrained network.
	f := p.ctl.layers[0].size
	f.SetText("64")
	f.FocusLost()
	p.lastShow.confirm.Confirm()
	if p.trained || p.model == trained || p.run != nil {
		t.Fatal("the trained network or its session survived a confirmed change")
	}
	if !slices.Equal(p.net.Hidden, []int{64}) || p.model.Layers[0].Out != 64 {
		t.Errorf("network after the change has hidden layers %v, want [64]", p.net.Hidden)
	}
	if got, want := p.digit.note, "untrained network — random guesses"; got != want {
		t.Errorf("pad note = %q, want %q", got, want)
	}
}

func TestChangingAnUntrainedNetworkDoesNotAsk(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.p
	before := p.model
	test.Tap(p.ctl.addLayer)
	if p.lastShow.confirm != nil {
		t.Fatal("changing an untrained network asked a question")
	}
	if p.model == before || len(p.model.Layers) != 3 {
		t.Errorf("the untrained network has %d layers after adding one, want 3", len(p.model.Layers))
	}
	if got := len(p.charts.cells); got != 3 {
		t.Errorf("%d histograms, want 3", got)
	}
	for range engine.MaxHidden {
		test.Tap(p.ctl.addLayer)
	}
	if got := len(p.ctl.layers); got != engine.MaxHidden {
		t.Errorf("%d hidden layers after adding many, want at most %d", got, engine.MaxHidden)
	}
	if !p.ctl.addLayer.Disabled() {
		t.Error("Add hidden layer is enabled at the limit")
	}
	for len(p.ctl.layers) > 0 {
		test.Tap(p.ctl.layers[0].remove)
	}
	if len(p.model.Layers) != 1 || p.startBtn.Disabled() {
		t.Errorf("a network without hidden layers (%d layers) should train", len(p.model.Layers))
	}
}

func TestLearningRateSliderAndFieldAgree(t *testing.T) {
	h := newHarness(t, Options{})
	c := h.p.ctl
	for _, tc := range []struct {
		exp  float64
		want string
	}{
		{-1, "0.1"},
		{-3, "0.001"},
		{-2.5, "0.0032"},
		{0.7, "5"},
		{lrMinExp, "1e-05"},
		{lrMaxExp, "10"},
	} {
		c.lrSlider.SetValue(tc.exp)
		if got := c.lr.Text; got != tc.want {
			t.Errorf("slider at %g shows %q, want %q", tc.exp, got, tc.want)
		}
	}
	for _, tc := range []struct {
		text string
		exp  float64
	}{{"0.01", -2}, {"1e-4", -4}, {"3", math.Log10(3)}} {
		c.lr.SetText(tc.text)
		if got := c.lrSlider.Value; math.Abs(got-tc.exp) > 0.01 {
			t.Errorf("typing %s puts the slider at %g, want %g", tc.text, got, tc.exp)
		}
		if got := c.lr.Text; got != tc.text {
			t.Errorf("the slider rewrote the typed %q as %q", tc.text, got)
		}
	}
}

func TestScheduleAndSigmaFieldsShowWhenNeeded(t *testing.T) {
	h := newHarness(t, Options{})
	c := h.p.ctl
	c.schedule.SetSelected("step decay")
	if !c.schedRow.Visible() {
		t.Error("the step decay's factor and period are hidden")
	}
	c.factor.SetText("0.5")
	c.every.SetText("3")
	cfg, err := c.config()
	if err != nil {
		t.Fatal(err)
	}
	if want := (engine.Schedule{Kind: engine.StepDecay, Factor: 0.5, Every: 3}); cfg.Schedule != want {
		t.Errorf("schedule = %v, want %v", cfg.Schedule, want)
	}
	c.schedule.SetSelected("cosine")
	if c.schedRow.Visible() {
		t.Error("the step decay's fields show for cosine")
	}
	if c.sigmaBox.Visible() {
		t.Error("σ shows for He initialisation")
	}
	c.init.SetSelected("normal σ")
	if !c.sigmaBox.Visible() {
		t.Error("σ is hidden for the normal initialisation")
	}
	c.sigma.SetText("0.05")
	n, err := c.net()
	if err != nil {
		t.Fatal(err)
	}
	if want := (engine.Init{Kind: engine.InitNormal, Sigma: 0.05}); n.Init != want {
		t.Errorf("initialisation = %v, want %v", n.Init, want)
	}
}

func TestConfigRoundTrips(t *testing.T) {
	h := newHarness(t, Options{})
	c := h.p.ctl
	want := engine.TrainConfig{
		Arch:     engine.MNISTArch([]int{300, 100, 50}, []engine.Activation{engine.Sigmoid, engine.Tanh, engine.Identity}, engine.MeanSquared),
		Init:     engine.Init{Kind: engine.InitNormal, Sigma: 0.02},
		Opt:      engine.Optimizer{Kind: engine.Adam, Beta1: 0.9, Beta2: 0.999, Eps: 1e-7},
		LR:       0.001,
		Schedule: engine.Schedule{Kind: engine.StepDecay, Factor: 0.25, Every: 4},
		Batch:    64,
		Epochs:   12,
		Seed:     99,
	}
	c.setConfig(want)
	got, err := c.config()
	if err != nil {
		t.Fatal(err)
	}
	if got.Arch.String() != want.Arch.String() || got.Init != want.Init || got.Opt != want.Opt || got.LR != want.LR ||
		got.Schedule != want.Schedule || got.Batch != want.Batch || got.Epochs != want.Epochs || got.Seed != want.Seed {
		t.Errorf("config after showing it = %+v, want %+v", got, want)
	}
}

func TestKeysAndFields(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.p
	for _, c := range []struct {
		name string
		f    *field
		text string
	}{
		{"epochs", p.ctl.epochs, "20"},
		{"learning rate", p.ctl.lr, "0.05"},
		{"layer size", p.ctl.layers[0].size, "64"},
		{"seed", p.ctl.seed, "42"},
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
		p.unfocus()
	}
	f := p.ctl.epochs
	p.win.Canvas().Focus(f)
	// A window shortcut typed into a field reaches the window.
	f.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: ctrl})
	if !p.logScale.Checked || !p.charts.logY {
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
	act := p.ctl.layers[0].act
	p.win.Canvas().Focus(act)
	act.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	if act.Selected != "relu" {
		t.Errorf("→ on a focused list changed it to %q", act.Selected)
	}
	if p.win.Canvas().Focused() != nil {
		t.Error("a key for the window left the focus on the list")
	}
	if p.run == nil {
		t.Error("→ on a focused list did not reach the window, which steps")
	}
	p.resetNow()
	p.win.Canvas().Focus(p.ctl.lrSlider)
	p.ctl.lrSlider.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	if got := p.ctl.lr.Text; got == "0.1" {
		t.Error("→ on the focused slider did not move it")
	}
	p.ctl.lrSlider.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	if p.run == nil {
		t.Error("Space on the focused slider did not start training")
	}
	p.resetNow()

	// The window's single keys do nothing while a dialog is open.
	p.showMessage("A question", "Anything.")
	p.typedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	if p.run != nil {
		t.Error("Space started training behind a dialog")
	}
}

func TestFieldParsers(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		check func(string) error
		ok    []string
		bad   []string
	}{
		{"units", validateUnits, []string{"1", "1024", " 100 "}, []string{"0", "1025", "-3", "1.5", "", "x"}},
		{"learning rate", validateLR, []string{"1e-5", "10", "0.1", "3E-2"}, []string{"0", "1e-6", "10.5", "NaN", "inf", "abc"}},
		{"sigma", validateSigma, []string{"0.01", "100"}, []string{"0", "-1", "101", "NaN"}},
		{"factor", validateFactor, []string{"0.5", "1"}, []string{"0", "1.5", "-0.5"}},
		{"every", validateEvery, []string{"1", "10"}, []string{"0", "-1", "2.5"}},
		{"batch", validateBatch, []string{"1", "60000"}, []string{"0", "60001"}},
		{"epochs", validateEpochs, []string{"0", "5", "1000"}, []string{"-1", "1001", "two"}},
		{"seed", validateSeed, []string{"0", "18446744073709551615"}, []string{"-1", "18446744073709551616", "s"}},
	} {
		for _, s := range c.ok {
			if err := c.check(s); err != nil {
				t.Errorf("%s %q: %v, want it accepted", c.name, s, err)
			}
		}
		for _, s := range c.bad {
			if err := c.check(s); err == nil {
				t.Errorf("%s %q accepted, want an error", c.name, s)
			}
		}
	}
}

func TestDescribeNet(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		hidden []int
		want   string
	}{
		{nil, "784 → 10 · 7,850 parameters"},
		{[]int{100}, "784 → 100 → 10 · 79,510 parameters"},
		{[]int{50, 100}, "784 → 50 → 100 → 10 · 45,360 parameters"},
	} {
		acts := make([]engine.Activation, len(c.hidden))
		if got := describeNet(engine.MNISTArch(c.hidden, acts, engine.CrossEntropy)); got != c.want {
			t.Errorf("describeNet(%v) = %q, want %q", c.hidden, got, c.want)
		}
	}
}

func TestOptimiserBringsItsUsualRate(t *testing.T) {
	h := newHarness(t, Options{})
	c := h.p.ctl
	for _, s := range []struct {
		do   func()
		want string
	}{
		{func() { c.opt.SetSelected("Adam") }, "0.001"},
		{func() { c.opt.SetSelected("Momentum") }, "0.01"},
		{func() { c.opt.SetSelected("SGD") }, "0.1"},
		// A rate the user typed stays through the next switch...
		{func() { c.lr.SetText("0.05"); c.lr.FocusLost(); c.opt.SetSelected("Adam") }, "0.05"},
		// ...but not through the one after.
		{func() { c.opt.SetSelected("Momentum") }, "0.01"},
		// A dragged rate counts as chosen too.
		{func() { c.lrSlider.SetValue(-2.5); c.opt.SetSelected("Adam") }, "0.0032"},
	} {
		s.do()
		if got := c.lr.Text; got != s.want {
			t.Errorf("optimiser %s: learning rate %q, want %q", c.opt.Selected, got, s.want)
		}
		lr, _ := parseLR(c.lr.Text)
		if got := c.lrSlider.Value; math.Abs(got-lrExp(lr)) > 0.01 {
			t.Errorf("optimiser %s: slider at %g, want %g", c.opt.Selected, got, lrExp(lr))
		}
	}
}
