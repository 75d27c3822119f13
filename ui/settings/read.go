package settings

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/internal/textfmt"
	"github.com/mnistplayground/mnistplayground/ui/state"
)

// refresh reads the settings once and updates the summary line and the
// list of problems.
func (v *View) refresh() {
	v.cfg, v.err = v.read()
	if n, err := v.Net(); err == nil {
		v.Summary.SetText(textfmt.Thousands(n.Arch().Parameters()) + " parameters")
	} else {
		v.Summary.SetText("")
	}
	probs := problems(v.err)
	v.Problem.SetText(strings.Join(probs, "\n"))
	v.Problem.Hidden = len(probs) == 0
	v.Problem.Refresh()
}

// Net reads the network's settings.
func (v *View) Net() (state.Net, error) {
	var n state.Net
	var errs []error
	for i, r := range v.Layers {
		size, err := state.ParseUnits(r.Size.Text)
		if err != nil {
			errs = append(errs, fmt.Errorf("layer %d: %w", i+1, err))
		}
		act, err := engine.ParseActivation(r.Act.Selected)
		if err != nil {
			errs = append(errs, fmt.Errorf("layer %d: %w", i+1, err))
		}
		n.Hidden = append(n.Hidden, size)
		n.Acts = append(n.Acts, act)
	}
	if i := v.Loss.SelectedIndex(); i >= 0 {
		n.Loss = engine.LossOptions[i].Value
	}
	if i := v.Init.SelectedIndex(); i >= 0 {
		n.Init.Kind = engine.InitOptions[i].Value
	}
	if n.Init.Kind == engine.InitNormal {
		sigma, err := state.ParseSigma(v.Sigma.Text)
		if err != nil {
			errs = append(errs, fmt.Errorf("weights: %w", err))
		}
		n.Init.Sigma = sigma
	}
	seed, err := state.ParseSeed(v.Seed.Text)
	if err != nil {
		errs = append(errs, fmt.Errorf("seed: %w", err))
	}
	n.Seed = seed
	return n, errors.Join(errs...)
}

// Config is every setting as a training configuration, as last read.
func (v *View) Config() (engine.TrainConfig, error) { return v.cfg, v.err }

// Valid reports whether every setting can be trained.
func (v *View) Valid() bool { return v.err == nil }

// read reads every setting into a training configuration.
func (v *View) read() (engine.TrainConfig, error) {
	n, err := v.Net()
	errs := []error{err}
	cfg := engine.DefaultConfig()
	cfg.Arch, cfg.Init, cfg.Seed = n.Arch(), n.Init, n.Seed
	if i := v.Opt.SelectedIndex(); i >= 0 {
		cfg.Opt = engine.NewOptimizer(engine.OptimizerOptions[i].Value)
	}
	lr, err := state.ParseLR(v.LR.Text)
	if err != nil {
		errs = append(errs, fmt.Errorf("learning rate: %w", err))
	}
	cfg.LR = lr
	cfg.Schedule = engine.Schedule{Kind: engine.Constant}
	if i := v.Schedule.SelectedIndex(); i >= 0 {
		cfg.Schedule.Kind = engine.ScheduleOptions[i].Value
	}
	if cfg.Schedule.Kind == engine.StepDecay {
		f, err := state.ParseFactor(v.Factor.Text)
		if err != nil {
			errs = append(errs, fmt.Errorf("schedule: %w", err))
		}
		e, err := state.ParseEvery(v.Every.Text)
		if err != nil {
			errs = append(errs, fmt.Errorf("schedule: %w", err))
		}
		cfg.Schedule.Factor, cfg.Schedule.Every = f, e
	}
	b, err := state.ParseBatch(v.Batch.Text)
	if err != nil {
		errs = append(errs, fmt.Errorf("batch size: %w", err))
	}
	cfg.Batch = b
	e, err := state.ParseEpochs(v.Epochs.Text)
	if err != nil {
		errs = append(errs, fmt.Errorf("epochs: %w", err))
	}
	cfg.Epochs = e
	if err := errors.Join(errs...); err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

// problems lists what stops the settings from being trained, one line each.
func problems(err error) []string {
	if err == nil {
		return nil
	}
	var lines []string
	for l := range strings.SplitSeq(err.Error(), "\n") {
		if l = strings.TrimSpace(l); l != "" && !slices.Contains(lines, l) {
			lines = append(lines, l)
		}
	}
	return lines
}
