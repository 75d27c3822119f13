package state

import (
	"testing"

	"github.com/mnistplayground/mnistplayground/engine"
)

func TestRememberedSettingsRoundTrip(t *testing.T) {
	t.Parallel()
	cfg := engine.DefaultConfig()
	cfg.Arch = engine.MNISTArch([]int{300, 100}, []engine.Activation{engine.Sigmoid, engine.Tanh}, engine.MeanSquared)
	cfg.Init = engine.Init{Kind: engine.InitNormal, Sigma: 0.02}
	cfg.Opt = engine.NewOptimizer(engine.Adam)
	cfg.LR, cfg.Batch, cfg.Epochs, cfg.Seed = 0.001, 64, 12, 99
	cfg.Schedule = engine.Schedule{Kind: engine.StepDecay, Factor: 0.25, Every: 4}
	for _, want := range []engine.TrainConfig{cfg, engine.DefaultConfig(), func() engine.TrainConfig {
		c := engine.DefaultConfig()
		c.Arch = engine.MNISTArch(nil, nil, engine.CrossEntropy)
		return c
	}()} {
		got, err := DecodeConfig(EncodeConfig(want))
		if err != nil {
			t.Fatal(err)
		}
		if got.Arch.String() != want.Arch.String() || got.Init != want.Init || got.Opt != want.Opt || got.LR != want.LR ||
			got.Schedule != want.Schedule || got.Batch != want.Batch || got.Epochs != want.Epochs || got.Seed != want.Seed {
			t.Errorf("round trip of %+v gave %+v", want, got)
		}
	}
	for _, bad := range []string{"", "{", `{"layers":[10],"act":[]}`, `{"layers":[10],"act":["swish"],"loss":"ce","init":"he","opt":"sgd","lr":0.1,"schedule":"const","batch":100,"epochs":5}`,
		`{"layers":[0],"act":["relu"],"loss":"ce","init":"he","opt":"sgd","lr":0.1,"schedule":"const","batch":100,"epochs":5}`} {
		if _, err := DecodeConfig(bad); err == nil {
			t.Errorf("%q was read as settings", bad)
		}
	}
}
