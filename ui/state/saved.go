package state

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/mnistplayground/mnistplayground/engine"
)

// savedConfig is a training configuration as the window remembers it
// between launches: every choice by the name the command line reads, so
// that a later version reads what an earlier one wrote.
type savedConfig struct {
	Layers      []int    `json:"layers"`
	Acts        []string `json:"act"`
	Loss        string   `json:"loss"`
	Init        string   `json:"init"`
	Opt         string   `json:"opt"`
	LR          float64  `json:"lr"`
	Schedule    string   `json:"schedule"`
	Batch       int      `json:"batch"`
	Epochs      int      `json:"epochs"`
	Seed        uint64   `json:"seed"`
	WeightDecay float64  `json:"weight_decay,omitempty"`
}

// EncodeConfig writes cfg for the preferences.
func EncodeConfig(cfg engine.TrainConfig) string {
	s := savedConfig{
		Layers: cfg.Arch.Hidden, Loss: cfg.Arch.Loss.String(), Init: cfg.Init.String(), Opt: cfg.Opt.String(),
		LR: cfg.LR, Schedule: cfg.Schedule.String(), Batch: cfg.Batch, Epochs: cfg.Epochs, Seed: cfg.Seed, WeightDecay: cfg.WeightDecay,
	}
	if s.Layers == nil {
		s.Layers = []int{}
	}
	s.Acts = make([]string, len(cfg.Arch.Acts))
	for i, a := range cfg.Arch.Acts {
		s.Acts[i] = a.String()
	}
	b, err := json.Marshal(s)
	if err != nil {
		panic("state: " + err.Error())
	}
	return string(b)
}

// DecodeConfig reads what EncodeConfig wrote. Anything that does not make
// a valid configuration is an error, and the window keeps its defaults:
// preferences may come from another version, or have been edited by hand.
func DecodeConfig(text string) (engine.TrainConfig, error) {
	var s savedConfig
	if err := json.Unmarshal([]byte(text), &s); err != nil {
		return engine.TrainConfig{}, fmt.Errorf("remembered settings: %w", err)
	}
	if len(s.Acts) != len(s.Layers) {
		return engine.TrainConfig{}, errors.New("remembered settings: one activation per hidden layer is needed")
	}
	var errs []error
	acts := make([]engine.Activation, len(s.Acts))
	for i, a := range s.Acts {
		var err error
		acts[i], err = engine.ParseActivation(a)
		errs = append(errs, err)
	}
	cfg := engine.DefaultConfig()
	loss, err := engine.ParseLoss(s.Loss)
	errs = append(errs, err)
	cfg.Arch = engine.MNISTArch(s.Layers, acts, loss)
	cfg.Init, err = engine.ParseInit(s.Init)
	errs = append(errs, err)
	cfg.Opt, err = engine.ParseOptimizer(s.Opt)
	errs = append(errs, err)
	cfg.Schedule, err = engine.ParseSchedule(s.Schedule)
	errs = append(errs, err)
	cfg.LR, cfg.Batch, cfg.Epochs, cfg.Seed, cfg.WeightDecay = s.LR, s.Batch, s.Epochs, s.Seed, s.WeightDecay
	if err := errors.Join(errs...); err != nil {
		return engine.TrainConfig{}, fmt.Errorf("remembered settings: %w", err)
	}
	if err := cfg.Validate(); err != nil {
		return engine.TrainConfig{}, fmt.Errorf("remembered settings: %w", err)
	}
	return cfg, nil
}
