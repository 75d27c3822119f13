package state

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mnistplayground/mnistplayground/engine"
)

// racing begins a fake race of w's settings against rivals' configurations.
func racing(t *testing.T, w *Workspace, rivals ...engine.TrainConfig) (*Run, []*Run) {
	t.Helper()
	cfg := engine.DefaultConfig()
	cur := NewRun(nil, func() {}, false)
	var runs []*Run
	var firsts []*engine.Snapshot
	for _, c := range rivals {
		runs = append(runs, NewRun(nil, func() {}, false))
		s := snapshot(w, engine.Running, 0, nil)
		s.Config = c
		firsts = append(firsts, s)
	}
	w.BeginRace(cur, cfg, snapshot(w, engine.Running, 0, nil), runs, firsts, nil)
	return cur, runs
}

// racingAtLR3 is a new workspace racing its settings against them at a
// learning rate of 3.
func racingAtLR3(t *testing.T) (*Workspace, *Run, []*Run) {
	t.Helper()
	w := newWorkspace(t)
	rival := engine.DefaultConfig()
	rival.LR = 3
	cur, rivals := racing(t, w, rival)
	return w, cur, rivals
}

func TestRacingRunsAreKeptLiveAndNamed(t *testing.T) {
	t.Parallel()
	w, cur, rivals := racingAtLR3(t)
	if len(w.Kept) != 1 || !w.Kept[0].Racing() || !w.Kept[0].Shown || w.Kept[0].Name != "lr 3" || !w.Racing() {
		t.Fatalf("kept %+v, want the rival racing, shown, named by its rate", w.Kept)
	}
	if got := w.CurrentName(); got != "lr 0.1" {
		t.Errorf("the current run is named %q, want what it changes from the rival", got)
	}
	id := w.Kept[0].ID
	if !w.ApplyRacing(rivals[0], snapshot(w, engine.Running, 5, make([]float32, 5))) || w.Kept[0].Final.Step != 5 || w.Kept[0].ID != id {
		t.Error("a racing run's snapshot did not replace its kept one, keeping its ID")
	}
	if w.ApplyRacing(rivals[0], snapshot(w, engine.Running, 4, make([]float32, 4))) || w.ApplyRacing(cur, snapshot(w, engine.Running, 6, nil)) {
		t.Error("an older snapshot, or one of a run that does not race, was applied")
	}
	// A racing run cannot be brought back: its network moves at every step.
	w.Restore(0)
	if w.Run != cur {
		t.Error("Restore took a racing run")
	}
	// Many more runs end: the racing one is never dropped to make room.
	for i := range MaxKept + 3 {
		w.keep(&engine.Snapshot{Step: i + 1, Config: engine.DefaultConfig(), TrainLoss: make([]float32, i+1)})
	}
	if len(w.Kept) != MaxKept || !w.Kept[0].Racing() {
		t.Errorf("%d kept, first racing %v: the racing run was dropped", len(w.Kept), w.Kept[0].Racing())
	}
	w.RacingEnded(rivals[0], fmt.Errorf("step 9: %w", engine.ErrDiverged))
	if w.Racing() || !strings.Contains(w.Message, "lr 3 diverged") {
		t.Errorf("after the rival diverged: racing %v, message %q", w.Racing(), w.Message)
	}
	// A message said since stays when the race ends.
	w.Ended(cur, nil)
	if !strings.Contains(w.Message, "lr 3 diverged") {
		t.Errorf("the race's end replaced the divergence's message: %q", w.Message)
	}
	if w.Race() != nil {
		t.Error("a race with no run training is still offered for Pause")
	}
}

func TestANewRunEndsTheRace(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	cancelled := 0
	cur := NewRun(nil, func() {}, false)
	rv := NewRun(nil, func() { cancelled++ }, false)
	first := snapshot(w, engine.Running, 0, nil)
	w.BeginRace(cur, engine.DefaultConfig(), first, []*Run{rv}, []*engine.Snapshot{first}, []string{"A", "B"})
	if w.CurrentName() != "A" || w.Kept[0].Name != "B" {
		t.Errorf("names %q and %q, want the given A and B", w.CurrentName(), w.Kept[0].Name)
	}
	w.Apply(cur, snapshot(w, engine.Done, 4, make([]float32, 4)))
	running(t, w, 3)
	if k := w.Kept[len(w.Kept)-1]; k.Name != "A" || k.Final.Step != 4 {
		t.Errorf("the race's current run was kept as %q at step %d, want A at 4", k.Name, k.Final.Step)
	}
	if cancelled == 0 {
		t.Error("a new run left the rival training")
	}
	if w.CurrentName() != "current" {
		t.Errorf("a run of its own is named %q", w.CurrentName())
	}
	// Its last snapshots still arrive until it ends, and are kept.
	if !w.ApplyRacing(rv, snapshot(w, engine.Done, 7, make([]float32, 7))) || w.Kept[0].Final.Step != 7 {
		t.Error("the stopped rival's final snapshot was not kept")
	}
	w.RacingEnded(rv, errors.New("context canceled"))
	if w.Racing() {
		t.Error("an ended rival still races")
	}
}

func TestTheRaceSaysHowItEnded(t *testing.T) {
	t.Parallel()
	w, cur, rivals := racingAtLR3(t)
	done := snapshot(w, engine.Done, 10, make([]float32, 10))
	done.Tests = []engine.EpochMetric{{Accuracy: 0.9712}}
	done.Images, done.Elapsed = 300_000, 2*time.Second
	w.Apply(cur, done)
	w.Ended(cur, nil)
	if !strings.HasPrefix(w.Message, "Racing") {
		t.Errorf("with the rival still training the message is %q", w.Message)
	}
	failed := snapshot(w, engine.Failed, 10, make([]float32, 10))
	failed.Config = w.Kept[0].Final.Config
	w.ApplyRacing(rivals[0], failed)
	w.RacingEnded(rivals[0], errors.New("stopped"))
	if want := "Race over: lr 0.1 97.12% at 150,000 images/s, lr 3 diverged"; w.Message != want {
		t.Errorf("at the race's end the message is %q, want %q", w.Message, want)
	}
}

func TestRacePresets(t *testing.T) {
	t.Parallel()
	cfg := engine.DefaultConfig()
	cfg.Arch = engine.MNISTArch([]int{100, 50}, []engine.Activation{engine.Tanh, engine.ReLU}, engine.CrossEntropy)
	got, err := ActivationRace(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []engine.Activation{engine.Sigmoid, engine.ReLU} {
		c := got[i]
		if len(c.Arch.Acts) != 2 || c.Arch.Acts[0] != want || c.Arch.Acts[1] != want || c.Seed != cfg.Seed || c.Init != cfg.Init || c.LR != cfg.LR {
			t.Errorf("run %d: %v, want every layer %v and the rest unchanged", i, c.Arch, want)
		}
	}
	if cfg.Arch.Acts[0] != engine.Tanh {
		t.Error("ActivationRace changed its argument")
	}
	cfg.Arch = engine.MNISTArch(nil, nil, engine.CrossEntropy)
	if _, err := ActivationRace(cfg); err == nil || !strings.Contains(err.Error(), "add a hidden layer") {
		t.Errorf("no hidden layer: %v", err)
	}
	cfg.LR = 0.1
	if r := RateRace(cfg); r[0].LR != 0.001 || r[1].LR != 3 {
		t.Errorf("rates %g and %g, want 0.001 and 3", r[0].LR, r[1].LR)
	}
	cfg.LR = 50
	if r := RateRace(cfg); r[1].LR != engine.MaxLR {
		t.Errorf("a large rate is raced at %g, beyond the engine's %g", r[1].LR, engine.MaxLR)
	}
	w := newWorkspace(t)
	if w.SettingsRace(engine.DefaultConfig()) != nil {
		t.Error("a race against no run")
	}
	running(t, w, 3)
	w.Ended(w.Run, nil)
	if w.SettingsRace(engine.DefaultConfig()) != nil {
		t.Error("a race against the same settings")
	}
	other := engine.DefaultConfig()
	other.LR, other.Seed = 0.5, 9
	if r := w.SettingsRace(other); len(r) != 2 || r[1].LR != 0.1 || r[1].Seed != 9 || r[0].LR != 0.5 {
		t.Errorf("SettingsRace: %v", r)
	}
}
