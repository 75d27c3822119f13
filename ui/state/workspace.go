package state

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/internal/textfmt"
)

// Origin is where the window's network came from.
type Origin int

// The origins of a network.
const (
	Untrained Origin = iota // made from the settings, not trained yet
	Trained                 // trained in the window
	Opened                  // read from a model file
)

// Data is where the MNIST files stand.
type Data int

// The states of the data.
const (
	DataLoading Data = iota
	DataReady
	DataMissing
)

// Workspace is the window's state: the network the pad asks and Start
// trains on from, where it came from, the run training it and the runs kept
// so far. It is used on one goroutine only.
type Workspace struct {
	// Net is the settings Model was made with.
	Net Net
	// Model is the network the pad asks; never nil once New has returned
	// (a network of no valid settings falls back to the default's).
	Model  *engine.Model
	Origin Origin
	// File is the name of the file Model came from, when Origin is Opened.
	File string
	Data Data
	// Run is the live or latest session; nil before the first or after
	// Reset. Last is its latest snapshot.
	Run  *Run
	Last *engine.Snapshot
	// Kept are the runs that have ended, oldest first, at most MaxKept.
	Kept []KeptRun
	// FixedAxes makes the charts that compare runs span every run they
	// draw, rather than fit the current one (see Compared). New sets it.
	FixedAxes bool
	// Message is a status note that outlives one snapshot (opened,
	// saved...).
	Message string
	// Closing is set once the window has begun to close.
	Closing bool

	savedMsg string // Message while it is "Saved NAME"
	// lineage counts the networks the window has had: a new one starts with
	// every untrained or opened network and every run that does not
	// continue the previous one. savedStep is the step of the current
	// lineage that a file holds (0 for an opened network, -1 for none).
	lineage, savedStep int
	// gen counts the networks and runs whose curves the charts show: a new
	// one means the charts start afresh.
	gen int
	// keptID numbers the kept runs, so that a run is told apart as its
	// snapshot changes.
	keptID int
	// raceName names the current run while it is a race's; raceIDs are the
	// kept runs that race it, and raceMsg the message that says so.
	raceName, raceMsg string
	raceIDs           []int
	// stats describes Model's layers when no snapshot does.
	stats []engine.LayerStats
	// eval is the opened model measured on the test set, once measured.
	eval *engine.Evaluation
}

// New returns the workspace of an untrained network made from net.
func New(net Net) (*Workspace, error) {
	w := &Workspace{Net: net, FixedAxes: true}
	if err := w.fresh(); err != nil {
		return nil, err
	}
	return w, nil
}

// fresh makes the untrained network of the settings, the very network a
// session started from them begins with.
func (w *Workspace) fresh() error {
	m, err := w.Net.Untrained()
	if err != nil {
		return err
	}
	w.setModel(m, Untrained, "")
	w.newLineage(0)
	w.gen++
	return nil
}

func (w *Workspace) setModel(m *engine.Model, o Origin, file string) {
	w.Model, w.Origin, w.File = m, o, file
	w.stats = engine.ModelStats(m)
	w.eval = nil
}

// Gen changes whenever the charts must start afresh: a new network, or a run
// that does not continue the previous one.
func (w *Workspace) Gen() int { return w.gen }

// Layers describes the network's layers: from the latest snapshot while a
// run has one, else from the weights alone, so that an opened or untrained
// network shows its weights at once.
func (w *Workspace) Layers() []engine.LayerStats {
	if w.Last != nil && len(w.Last.Layers) > 0 {
		return w.Last.Layers
	}
	return w.stats
}

// Step is the step count of the network the pad answers with: that of the
// latest snapshot, 0 for an untrained or opened network.
func (w *Workspace) Step() int {
	if w.Last == nil {
		return 0
	}
	return w.Last.Step
}

// Trained reports whether the network has learned something or came from a
// file: then it is worth keeping, and Start continues it.
func (w *Workspace) Trained() bool { return w.Origin != Untrained }

// Unsaved reports whether the network has training that no file holds, which
// Reset, opening a model and closing the window would lose.
func (w *Workspace) Unsaved() bool {
	return w.Trained() && w.Step() != w.savedStep
}

// Live reports whether a session is training or paused, as opposed to none,
// or one that has finished.
func (w *Workspace) Live() bool { return w.Run != nil && !w.Run.Ended }

// CanTrain reports whether a session could start now, given whether the
// settings are valid.
func (w *Workspace) CanTrain(valid bool) bool {
	return w.Data == DataReady && !w.Closing && valid
}

// newLineage starts counting the steps of a new network, which a file holds
// at step savedAt (-1 for none).
func (w *Workspace) newLineage(savedAt int) {
	w.lineage++
	w.savedStep = savedAt
	w.dropSavedNote()
}

// dropSavedNote takes "Saved NAME" off the status line once the network is
// no longer the one the file holds: it would claim a save that the training
// since has outrun.
func (w *Workspace) dropSavedNote() {
	if w.savedMsg != "" && w.Message == w.savedMsg {
		w.Message = ""
	}
	w.savedMsg = ""
}

// Continuable returns the final snapshot of the latest run when a session of
// cfg can carry it on: the run has ended, the pad's network is its network
// and the batch size is the run's. A network opened from a file, one whose
// settings were changed, or one trained on at another batch size starts a
// run of its own from the current weights: a step of the history stands for
// one batch, so another size would stretch its curves.
func (w *Workspace) Continuable(cfg engine.TrainConfig) *engine.Snapshot {
	s := w.Last
	if w.Run == nil || !w.Run.Ended || s == nil || s.Step == 0 || s.Model == nil || s.Model != w.Model || len(s.TrainLoss) != s.Step {
		return nil
	}
	if !NetOf(s.Config).SameShape(w.Net) || s.Config.Batch != cfg.Batch {
		return nil
	}
	return s
}

// SessionOptions completes opts for a session of cfg: it continues the
// latest run when it can, else starts from the trained network, if any.
func (w *Workspace) SessionOptions(cfg engine.TrainConfig, opts engine.SessionOptions) engine.SessionOptions {
	if c := w.Continuable(cfg); c != nil {
		opts.Continue = c
	} else if w.Trained() {
		opts.Model = w.Model
	}
	return opts
}

// Begin makes r the current run of a session of cfg made with opts, and
// shows its first snapshot. A run of its own counts its steps from 0, where
// it holds the network it starts from, saved or not; a continued run goes
// on counting.
func (w *Workspace) Begin(r *Run, cfg engine.TrainConfig, opts engine.SessionOptions, first *engine.Snapshot) {
	// A run that raced the last one and is still training ends now: the
	// machine trains one thing at a time.
	w.stopRacing()
	if opts.Continue == nil {
		saved := -1
		if !w.Unsaved() {
			saved = 0
		}
		w.keepLast()
		w.raceName = ""
		w.newLineage(saved)
		w.gen++
	}
	w.Message = ""
	if warn := cfg.Arch.Warnings(); len(warn) > 0 {
		w.Message = warn[0]
	}
	w.Run, w.Last = r, nil
	w.Apply(r, first)
}

// Applied says what a snapshot changed.
type Applied struct {
	// Shown is false for a snapshot that was ignored: of a run that has
	// been replaced, or older than the latest shown.
	Shown bool
	// Diverged is set the first time a run reports its divergence.
	Diverged bool
}

// Apply shows a snapshot of run r. A snapshot of a session that has been
// reset or replaced since is ignored, and so is one older than the latest
// shown, which would take the status and the pad's network back in time.
func (w *Workspace) Apply(r *Run, snap *engine.Snapshot) Applied {
	if r != w.Run || w.Closing || snap == nil || (w.Last != nil && snap.Step < w.Last.Step) {
		return Applied{}
	}
	w.Last = snap
	if snap.Step != w.savedStep {
		w.dropSavedNote()
	}
	r.report(snap.State)
	if snap.Step > 0 && w.Origin == Untrained {
		w.Origin = Trained
	}
	if snap.Model != nil && snap.Model != w.Model {
		w.Model = snap.Model
		w.stats = nil // the snapshots describe the layers now
	}
	out := Applied{Shown: true}
	if snap.State == engine.Failed && !r.diverged {
		r.diverged = true
		out.Diverged = true
	}
	return out
}

// Ended learns that r's session has returned err. It returns the error worth
// a dialog (not a cancellation, nor a divergence, which its snapshot has
// explained already), and whether the run was the current one.
func (w *Workspace) Ended(r *Run, err error) (show error, current bool) {
	r.Ended, r.asked = true, askNone
	if r != w.Run || w.Closing {
		return nil, false
	}
	if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, engine.ErrDiverged) {
		show = err
	}
	w.raceOver()
	return show, true
}

// StopRun cancels the session, if any, and forgets it; its final state is
// kept among the runs. Its goroutines end on their own; nothing they send is
// applied any more.
func (w *Workspace) StopRun() {
	if w.Run != nil {
		w.Run.Cancel()
	}
	w.stopRacing()
	w.keepLast()
	w.Run, w.Last, w.raceName = nil, nil, ""
}

// keepLast keeps the latest run's final snapshot among the runs, once.
func (w *Workspace) keepLast() {
	if w.Last != nil {
		w.keep(w.Last)
	}
}

// Replace throws the network away for an untrained one of net: training
// stops and the charts start afresh. The caller has asked the user first
// when Unsaved (or, for a change of settings, Trained) said so.
func (w *Workspace) Replace(net Net) error {
	old := w.Net
	w.StopRun()
	w.Message = ""
	w.Net = net
	if err := w.fresh(); err != nil {
		w.Net = old
		return err
	}
	return nil
}

// Open makes m, read from path, the window's network: the settings take its
// layers, activations and loss, so that Continue trains on from it.
func (w *Workspace) Open(path string, m *engine.Model) {
	w.StopRun()
	w.Net = w.Net.WithArch(m.Arch())
	w.setModel(m, Opened, filepath.Base(path))
	w.newLineage(0) // the file holds this network
	w.gen++
	w.Message = fmt.Sprintf("Opened %s: %s", w.File, DescribeNet(m.Arch()))
}

// Measured takes an opened model's measurement on the test set, made in
// the background; it is dropped when the window has moved on to another
// network or started training.
func (w *Workspace) Measured(m *engine.Model, ev engine.Evaluation) bool {
	if w.Model != m || w.Run != nil {
		return false
	}
	w.eval = &ev
	w.Message = fmt.Sprintf("Opened %s: %s · %.2f%% of the test images right", w.File, DescribeNet(m.Arch()), 100*ev.Accuracy)
	return true
}

// Confusion is where the network is wrong on the test set: the confusion
// matrix of the latest test measurement and the images it got wrong, or
// those of an opened model once measured; nil before any. what says which
// measurement it is.
func (w *Workspace) Confusion() (conf [][]int, wrong []engine.Misclassification, what string) {
	if s := w.Last; s != nil {
		if m, ok := s.LastTest(); ok && m.Confusion != nil {
			return m.Confusion, s.Misclassified, fmt.Sprintf("test set at epoch %d, step %s", m.Epoch, textfmt.Thousands(m.Step))
		}
	}
	if w.eval != nil {
		return w.eval.Confusion, w.eval.Misclassified, "test set, " + w.File
	}
	return nil, nil, ""
}

// Save is what a save needs to know of the network when it starts.
type Save struct {
	Model   *engine.Model
	step    int
	lineage int
}

// StartSave records the network being saved.
func (w *Workspace) StartSave() Save {
	return Save{Model: w.Model, step: w.Step(), lineage: w.lineage}
}

// Saved takes a save of s to path that has succeeded. It reports false when
// the window has a new network since, which the note would misdescribe.
func (w *Workspace) Saved(s Save, path string) bool {
	if s.lineage != w.lineage {
		return false
	}
	w.savedStep = s.step
	if s.step == w.Step() {
		w.Message = "Saved " + filepath.Base(path)
		w.savedMsg = w.Message
	}
	return true
}
