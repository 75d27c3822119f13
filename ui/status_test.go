package ui

import (
	"math"
	"testing"
	"time"

	"github.com/mnistplayground/mnistplayground/engine"
)

func TestStatusText(t *testing.T) {
	t.Parallel()
	cfg := engine.DefaultConfig()
	for _, c := range []struct {
		name string
		snap engine.Snapshot
		want string
	}{
		{"fresh", engine.Snapshot{State: engine.Idle, LR: 0.1, Config: cfg},
			"Ready · epoch 1/5 · step 0 · 0:00 · lr 0.1"},
		{"running", engine.Snapshot{State: engine.Running, Step: 1340, Epoch: 2, EpochFrac: 0.234, ImagesPerSec: 12345.6,
			TrainLoss: []float32{0.25, 0.25}, Tests: []engine.EpochMetric{{Accuracy: 0.9612}}, Elapsed: 72 * time.Second, LR: 0.05, Config: cfg},
			"Training · epoch 3/5, 23% · step 1,340 · 12,346 images/s · loss 0.25 · test accuracy 96.12% · 1:12 · lr 0.05"},
		{"paused, no speed", engine.Snapshot{State: engine.Paused, Step: 7, EpochFrac: 0.01, ImagesPerSec: 999, TrainLoss: []float32{2.3}, LR: 1e-3, Config: cfg},
			"Paused · epoch 1/5, 1% · step 7 · loss 2.3 · 0:00 · lr 0.001"},
		{"done", engine.Snapshot{State: engine.Done, Step: 3000, Epoch: 5, Elapsed: 3725 * time.Second, LR: 0.1, Config: cfg},
			"Done · epoch 5/5 done · step 3,000 · 1:02:05 · lr 0.1"},
		{"until stopped", engine.Snapshot{State: engine.Running, Step: 10, EpochFrac: 0.5, LR: 0.1, Config: engine.TrainConfig{}},
			"Training · epoch 1, 50% · step 10 · 0 images/s · 0:00 · lr 0.1"},
	} {
		if got := statusText(&c.snap); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}

func TestNoteText(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		snap engine.Snapshot
		want string
	}{
		{engine.Snapshot{State: engine.Idle}, "untrained network — random guesses"},
		{engine.Snapshot{State: engine.Running, Step: 340, Epoch: 1, EpochFrac: 0.5}, "training: epoch 2, step 340"},
		{engine.Snapshot{State: engine.Paused, Step: 1200, Epoch: 2}, "paused: epoch 2, step 1,200"},
		{engine.Snapshot{State: engine.Done, Step: 3000, Epoch: 5, Tests: []engine.EpochMetric{{Accuracy: 0.97}}}, "trained: 5 epochs, 97.00% right"},
		{engine.Snapshot{State: engine.Done, Step: 700, Epoch: 1, EpochFrac: 0.2}, "trained: epoch 2, step 700"},
		{engine.Snapshot{State: engine.Failed, Step: 12}, "diverged: the network of step 12"},
	} {
		if got := noteText(&c.snap); got != c.want {
			t.Errorf("noteText(%v at step %d) = %q, want %q", c.snap.State, c.snap.Step, got, c.want)
		}
	}
}

func TestFormatting(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ got, want string }{
		{groupThousands(0), "0"},
		{groupThousands(999), "999"},
		{groupThousands(1000), "1,000"},
		{groupThousands(1234567), "1,234,567"},
		{groupThousands(-45000), "-45,000"},
		{formatElapsed(0), "0:00"},
		{formatElapsed(59499 * time.Millisecond), "0:59"},
		{formatElapsed(61 * time.Minute), "1:01:00"},
		{formatSci(0), "0"},
		{formatSci(0.389), "0.389"},
		{formatSci(4.56e-5), "4.56e-05"},
		{formatSci(12345), "1.23e+04"},
		{formatLR(0.1), "0.1"},
		{formatLR(1e-5), "1e-05"},
		{formatLoss(2.302585), "2.3"},
		{layerText(engine.LayerStats{GradNorm: 3e-4, Saturated: 0.42, ActMean: 0.5, ActStd: 0.25, Act: engine.Sigmoid}, false), "‖∂L/∂W‖ 3.00e-04 · saturated 42% · outputs 0.50 ± 0.25"},
		{layerText(engine.LayerStats{GradNorm: 3e-4, Saturated: 0.42, ActMean: 0.5, ActStd: 0.25, Act: engine.Tanh}, false), "‖∂L/∂W‖ 3.00e-04 · saturated 42% · outputs 0.50 ± 0.25"},
		{layerText(engine.LayerStats{GradNorm: 3e-4, Saturated: 0.55, ActMean: 0.5, ActStd: 0.25, Act: engine.ReLU}, false), "‖∂L/∂W‖ 3.00e-04 · off 55% · outputs 0.50 ± 0.25"},
		{layerText(engine.LayerStats{GradNorm: 3e-4, Saturated: 0.95, ActMean: 0.5, ActStd: 0.25, Act: engine.ReLU}, false), "‖∂L/∂W‖ 3.00e-04 · nearly all off 95% · outputs 0.50 ± 0.25"},
		{layerText(engine.LayerStats{GradNorm: 0.2, ActMean: 0.1, ActStd: 0.3}, true), "‖∂L/∂W‖ 0.2 · outputs 0.10 ± 0.30"},
		{layerTitle(0, engine.LayerStats{In: 784, Out: 100, Act: engine.Sigmoid}, false), "Layer 1 · 784→100 sigmoid"},
		{layerTitle(2, engine.LayerStats{In: 50, Out: 10}, true), "Output · 50→10 softmax"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if l, ok := recentLoss([]float32{9, float32(math.NaN()), 1, 3}); !ok || l != 13.0/3 {
		t.Errorf("recentLoss = %g, %v; want the mean of the finite values, 13/3", l, ok)
	}
	if _, ok := recentLoss(nil); ok {
		t.Error("recentLoss of no steps reports a loss")
	}
	if got := roundLR(0.031622776); got != 0.032 {
		t.Errorf("roundLR = %g, want 0.032", got)
	}
}

func TestRunSummary(t *testing.T) {
	t.Parallel()
	cfg := engine.DefaultConfig()
	for _, c := range []struct {
		snap engine.Snapshot
		want string
	}{
		{engine.Snapshot{State: engine.Done, Step: 3000, Epoch: 5, Elapsed: 2 * time.Second, Config: cfg},
			"trained 784-100(relu)-10 ce for 5 epochs (3,000 steps) in 2.0 s: 150,000 images/s, done"},
		{engine.Snapshot{State: engine.Failed, Step: 300, EpochFrac: 0.5, Elapsed: 500 * time.Millisecond, Config: cfg},
			"trained 784-100(relu)-10 ce for 0.5 epochs (300 steps) in 0.5 s: 60,000 images/s, diverged"},
		{engine.Snapshot{State: engine.Done, Step: 600, Epoch: 1, Config: cfg},
			"trained 784-100(relu)-10 ce for 1 epoch (600 steps) in 0.0 s: 0 images/s, done"},
	} {
		if got := runSummary(&c.snap, 60000); got != c.want {
			t.Errorf("runSummary:\n got %q\nwant %q", got, c.want)
		}
	}
}
