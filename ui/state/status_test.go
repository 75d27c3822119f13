package state

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
		if got := StatusText(&c.snap); got != c.want {
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
		if got := NoteText(&c.snap); got != c.want {
			t.Errorf("NoteText(%v at step %d) = %q, want %q", c.snap.State, c.snap.Step, got, c.want)
		}
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
		if got := RunSummary(&c.snap, 60000); got != c.want {
			t.Errorf("runSummary:\n got %q\nwant %q", got, c.want)
		}
	}
}

func TestRecentLossAndRounding(t *testing.T) {
	t.Parallel()
	if l, ok := engine.RecentLoss([]float32{9, float32(math.NaN()), 1, 3}, 20); !ok || l != 13.0/3 {
		t.Errorf("RecentLoss = %g, %v; want the mean of the finite values, 13/3", l, ok)
	}
	if _, ok := engine.RecentLoss(nil, 20); ok {
		t.Error("RecentLoss of no steps reports a loss")
	}
	if got := RoundLR(0.031622776); got != 0.032 {
		t.Errorf("RoundLR = %g, want 0.032", got)
	}
}
