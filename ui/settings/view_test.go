package settings

import (
	"math"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/state"
	"github.com/mnistplayground/mnistplayground/ui/widgets"
)

func TestLearningRateSliderAndFieldAgree(t *testing.T) {
	test.NewTempApp(t)
	c := New(widgets.NewKit(widgets.NoKeys{}), engine.DefaultConfig())
	test.NewTempWindow(t, c.Content())
	for _, tc := range []struct {
		exp  float64
		want string
	}{
		{-1, "0.1"},
		{-3, "0.001"},
		{-2.5, "0.0032"},
		{0.7, "5"},
		{lrMinExp, "1e-07"},
		{lrMaxExp, "100"},
	} {
		c.Slider.SetValue(tc.exp)
		if got := c.LR.Text; got != tc.want {
			t.Errorf("slider at %g shows %q, want %q", tc.exp, got, tc.want)
		}
	}
	for _, tc := range []struct {
		text string
		exp  float64
	}{{"0.01", -2}, {"1e-4", -4}, {"3", math.Log10(3)}} {
		c.LR.SetText(tc.text)
		if got := c.Slider.Value; math.Abs(got-tc.exp) > 0.01 {
			t.Errorf("typing %s puts the slider at %g, want %g", tc.text, got, tc.exp)
		}
		if got := c.LR.Text; got != tc.text {
			t.Errorf("the slider rewrote the typed %q as %q", tc.text, got)
		}
	}
}

func TestScheduleAndSigmaFieldsShowWhenNeeded(t *testing.T) {
	test.NewTempApp(t)
	c := New(widgets.NewKit(widgets.NoKeys{}), engine.DefaultConfig())
	test.NewTempWindow(t, c.Content())
	c.Schedule.SetSelected("step decay")
	if !c.schedRow.Visible() {
		t.Error("the step decay's factor and period are hidden")
	}
	c.Factor.SetText("0.5")
	c.Every.SetText("3")
	cfg, err := c.Config()
	if err != nil {
		t.Fatal(err)
	}
	if want := (engine.Schedule{Kind: engine.StepDecay, Factor: 0.5, Every: 3}); cfg.Schedule != want {
		t.Errorf("schedule = %v, want %v", cfg.Schedule, want)
	}
	c.Schedule.SetSelected("cosine")
	if c.schedRow.Visible() {
		t.Error("the step decay's fields show for cosine")
	}
	if c.sigmaBox.Visible() {
		t.Error("σ shows for He initialisation")
	}
	c.Init.SetSelected("normal σ")
	if !c.sigmaBox.Visible() {
		t.Error("σ is hidden for the normal initialisation")
	}
	c.Sigma.SetText("0.05")
	n, err := c.Net()
	if err != nil {
		t.Fatal(err)
	}
	if want := (engine.Init{Kind: engine.InitNormal, Sigma: 0.05}); n.Init != want {
		t.Errorf("initialisation = %v, want %v", n.Init, want)
	}
}

func TestConfigRoundTrips(t *testing.T) {
	test.NewTempApp(t)
	c := New(widgets.NewKit(widgets.NoKeys{}), engine.DefaultConfig())
	test.NewTempWindow(t, c.Content())
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
	c.SetConfig(want)
	got, err := c.Config()
	if err != nil {
		t.Fatal(err)
	}
	if got.Arch.String() != want.Arch.String() || got.Init != want.Init || got.Opt != want.Opt || got.LR != want.LR ||
		got.Schedule != want.Schedule || got.Batch != want.Batch || got.Epochs != want.Epochs || got.Seed != want.Seed {
		t.Errorf("config after showing it = %+v, want %+v", got, want)
	}
}

func TestOptimiserBringsItsUsualRate(t *testing.T) {
	test.NewTempApp(t)
	c := New(widgets.NewKit(widgets.NoKeys{}), engine.DefaultConfig())
	test.NewTempWindow(t, c.Content())
	for _, s := range []struct {
		do   func()
		want string
	}{
		{func() { c.Opt.SetSelected("Adam") }, "0.001"},
		{func() { c.Opt.SetSelected("Momentum") }, "0.01"},
		{func() { c.Opt.SetSelected("SGD") }, "0.1"},
		// A rate the user typed stays through the next switch...
		{func() { c.LR.SetText("0.05"); c.LR.FocusLost(); c.Opt.SetSelected("Adam") }, "0.05"},
		// ...but not through the one after.
		{func() { c.Opt.SetSelected("Momentum") }, "0.01"},
		// A dragged rate counts as chosen too.
		{func() { c.Slider.SetValue(-2.5); c.Opt.SetSelected("Adam") }, "0.0032"},
	} {
		s.do()
		if got := c.LR.Text; got != s.want {
			t.Errorf("optimiser %s: learning rate %q, want %q", c.Opt.Selected, got, s.want)
		}
		lr, _ := state.ParseLR(c.LR.Text)
		if got := c.Slider.Value; math.Abs(got-state.LRExp(lr)) > 0.01 {
			t.Errorf("optimiser %s: slider at %g, want %g", c.Opt.Selected, got, state.LRExp(lr))
		}
	}
}
