package state

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/internal/textfmt"
)

// A race trains two or more configurations in turn from the same seed (see
// engine.Race): the first is the current run, shown in the settings, on the
// pad and in the status line; each other is kept among the runs at once,
// shown beside it and updated as it trains, so that every comparison chart
// draws both curves live.

// ActivationRace is the book's comparison of activations on cfg's network:
// every hidden layer sigmoid, against every hidden layer ReLU, with the same
// layer sizes, initialisation and seed, so that both start from the same
// weights and see the same mini-batches.
func ActivationRace(cfg engine.TrainConfig) ([]engine.TrainConfig, error) {
	if len(cfg.Arch.Hidden) == 0 {
		return nil, errors.New("a network without hidden layers has no activation to compare: add a hidden layer (five of 100 show the vanishing gradient best)")
	}
	sig, relu := withActs(cfg, engine.Sigmoid), withActs(cfg, engine.ReLU)
	return []engine.TrainConfig{sig, relu}, nil
}

func withActs(cfg engine.TrainConfig, a engine.Activation) engine.TrainConfig {
	cfg.Arch.Acts = slices.Repeat([]engine.Activation{a}, len(cfg.Arch.Hidden))
	return cfg
}

// Rates a learning-rate race compares, as factors of the settings' rate:
// a hundredth creeps, thirty times overshoots (the usual SGD rate of 0.1
// then gives 0.001, at about 50% after an epoch, against 3, which blows up
// within twenty steps of 784-100-10).
const (
	smallRate = 0.01
	largeRate = 30
)

// RateRace compares too small a learning rate with too large a one on cfg's
// network: a hundredth of cfg's rate against thirty times it, within the
// engine's limits, from the same seed.
func RateRace(cfg engine.TrainConfig) []engine.TrainConfig {
	small, large := cfg, cfg
	small.LR = max(engine.MinLR, cfg.LR*smallRate)
	large.LR = min(engine.MaxLR, cfg.LR*largeRate)
	return []engine.TrainConfig{small, large}
}

// SettingsRace races cfg against the settings of the last run (the current
// one once it has ended, else the newest kept), from cfg's seed: the
// lecture's "and now with this changed", both from the same start. It is
// nil when there is no such run or its settings are cfg's.
func (w *Workspace) SettingsRace(cfg engine.TrainConfig) []engine.TrainConfig {
	var last *engine.Snapshot
	switch {
	case w.Run != nil && w.Run.Ended && w.Last != nil && w.Last.Step > 0:
		last = w.Last
	case len(w.Kept) > 0:
		last = w.Kept[len(w.Kept)-1].Final
	default:
		return nil
	}
	other := last.Config
	other.Seed, other.Epochs = cfg.Seed, cfg.Epochs
	if reflect.DeepEqual(other, cfg) {
		return nil
	}
	return []engine.TrainConfig{cfg, other}
}

// BeginRace makes r the current run of cfg, as Begin does, and keeps each
// rival with its first snapshot as a racing run: shown, and updated by
// ApplyRacing until RacingEnded. names name the current run and then each
// rival; an empty or missing name is made from what the run changes from
// the other (the current run's from the first rival's).
func (w *Workspace) BeginRace(r *Run, cfg engine.TrainConfig, first *engine.Snapshot, rivals []*Run, firsts []*engine.Snapshot, names []string) {
	w.Begin(r, cfg, engine.SessionOptions{}, first)
	name := func(i int, c engine.TrainConfig, other *engine.Snapshot) string {
		if i < len(names) && names[i] != "" {
			return names[i]
		}
		return runName(c, other)
	}
	w.raceIDs = w.raceIDs[:0]
	var rivalNames []string
	for i, rv := range rivals {
		k := KeptRun{Name: name(i+1, firsts[i].Config, first), Final: firsts[i], Shown: true, racing: rv}
		w.add(k) // a racing run is never dropped: it is the newest, with the newest ID
		w.raceIDs = append(w.raceIDs, w.keptID)
		rivalNames = append(rivalNames, k.Name)
	}
	if len(firsts) > 0 {
		w.raceName = name(0, cfg, firsts[0])
	}
	w.Message = fmt.Sprintf("Racing %s against %s, step for step from the same start", w.raceName, andList(rivalNames))
	w.raceMsg = w.Message
}

// andList joins names as a sentence does: "a", "a and b", "a, b and c".
func andList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// raceOver says how the race ended once none of its runs trains any more,
// each run's name, last test accuracy and speed in place of the racing
// message (a message said since, a divergence's say, stays).
func (w *Workspace) raceOver() {
	if w.raceMsg == "" || w.Message != w.raceMsg || w.Live() || w.Racing() || w.Last == nil {
		return
	}
	parts := []string{w.raceName + " " + outcome(w.Last)}
	for _, k := range w.Kept {
		if slices.Contains(w.raceIDs, k.ID) {
			parts = append(parts, k.Name+" "+outcome(k.Final))
		}
	}
	w.Message = "Race over: " + strings.Join(parts, ", ")
	w.raceMsg = ""
}

// outcome is how a run ended: diverged, or its last test accuracy, and
// its speed over the run.
func outcome(s *engine.Snapshot) string {
	out := "untested"
	if m, ok := s.LastTest(); ok {
		out = fmt.Sprintf("%.2f%%", 100*m.Accuracy)
	}
	if s.State == engine.Failed {
		out = "diverged"
	}
	if r := s.MeanImagesPerSec(); r > 0 {
		out += " at " + textfmt.Thousands(int(r)) + " images/s"
	}
	return out
}

// CurrentName is the current run's name in a comparison's legend: its
// name in a race, else "current".
func (w *Workspace) CurrentName() string {
	if w.raceName != "" {
		return w.raceName
	}
	return "current"
}

// racingIndex is the kept run that r trains, or -1.
func (w *Workspace) racingIndex(r *Run) int {
	return slices.IndexFunc(w.Kept, func(k KeptRun) bool { return k.racing == r && r != nil })
}

// Racing reports whether a run still races the current one.
func (w *Workspace) Racing() bool {
	return slices.ContainsFunc(w.Kept, KeptRun.Racing)
}

// Race is the race of the current run while any of its runs still trains,
// else nil: Pause, Step and Resume then act on all of them together.
func (w *Workspace) Race() *engine.Race {
	if w.Run == nil || w.Run.Race == nil || !(w.Live() || w.Racing()) {
		return nil
	}
	return w.Run.Race
}

// ApplyRacing takes a snapshot of the racing run r, reporting whether it
// changed a kept run: a snapshot older than the one kept, or of a run that
// no longer races, changes nothing.
func (w *Workspace) ApplyRacing(r *Run, snap *engine.Snapshot) bool {
	i := w.racingIndex(r)
	if i < 0 || w.Closing || snap == nil || snap.Step < w.Kept[i].Final.Step {
		return false
	}
	w.Kept[i].Final = snap
	r.report(snap.State)
	return true
}

// RacingEnded learns that the racing run r has returned err. The run stays
// kept with its final snapshot; a divergence is said in the status line,
// since the race goes on without it.
func (w *Workspace) RacingEnded(r *Run, err error) {
	r.Ended = true
	i := w.racingIndex(r)
	if i < 0 {
		return
	}
	w.Kept[i].racing = nil
	if err != nil && errors.Is(err, engine.ErrDiverged) && !w.Closing {
		w.Message = fmt.Sprintf("%s diverged at step %d; its curves are kept in Runs", w.Kept[i].Name, w.Kept[i].Final.Step)
	}
	w.raceOver()
}

// stopRacing cancels every racing run; each stays kept, and its last
// snapshots still arrive until it has ended.
func (w *Workspace) stopRacing() {
	for _, k := range w.Kept {
		if k.racing != nil {
			k.racing.Cancel()
		}
	}
}
