package state

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/mnistplayground/mnistplayground/engine"
)

func newWorkspace(t *testing.T) *Workspace {
	t.Helper()
	w, err := New(NetOf(engine.DefaultConfig()))
	if err != nil {
		t.Fatal(err)
	}
	w.Data = DataReady
	return w
}

// snapshot is a snapshot of w's network at step.
func snapshot(w *Workspace, st engine.State, step int, losses []float32) *engine.Snapshot {
	return &engine.Snapshot{State: st, Step: step, TrainLoss: losses, Model: w.Model, Config: engine.DefaultConfig(),
		Layers: engine.ModelStats(w.Model)}
}

// running makes w train a fake run and apply its snapshot at step.
func running(t *testing.T, w *Workspace, step int) *Run {
	t.Helper()
	r := NewRun(nil, func() {}, false)
	w.Begin(r, engine.DefaultConfig(), engine.SessionOptions{}, snapshot(w, engine.Running, 0, nil))
	if a := w.Apply(r, snapshot(w, engine.Running, step, make([]float32, step))); !a.Shown {
		t.Fatal("a snapshot of the current run was not shown")
	}
	return r
}

func TestAnUntrainedNetworkAsksNothing(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	if w.Trained() || w.Unsaved() {
		t.Fatal("a new workspace counts as trained")
	}
	other := w.Net
	other.Hidden = []int{50}
	other.Acts = []engine.Activation{engine.Sigmoid}
	for name, q := range map[string]*Question{
		"reset": w.ResetQuestion(), "change": w.NetQuestion(other), "open": w.OpenQuestion("m.npz"), "quit": w.QuitQuestion(),
	} {
		if q != nil {
			t.Errorf("%s asks %q of an untrained network", name, q.Title)
		}
	}
	if len(w.Layers()) != 2 || w.Layers()[0].Weights.Max <= 0 {
		t.Error("an untrained network does not describe its layers' weights")
	}
}

func TestTrainingMakesEveryLossAskFirst(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	running(t, w, 30)
	if !w.Trained() || !w.Unsaved() || !w.Live() {
		t.Fatalf("trained %v, unsaved %v, live %v after 30 steps", w.Trained(), w.Unsaved(), w.Live())
	}
	other := w.Net
	other.Seed++
	for name, q := range map[string]*Question{
		"reset": w.ResetQuestion(), "change": w.NetQuestion(other), "open": w.OpenQuestion("dir/m.npz"), "quit": w.QuitQuestion(),
	} {
		if q == nil {
			t.Errorf("%s does not ask before losing 30 steps of training", name)
		}
	}
	if q := w.OpenQuestion("dir/m.npz"); q != nil && !strings.Contains(q.Text, "Opening m.npz") {
		t.Errorf("the open question %q does not name the file", q.Text)
	}
	if q := w.NetQuestion(w.Net); q != nil {
		t.Error("the same settings ask to discard the network")
	}
}

func TestASavedNetworkStillAsksBeforeItsSettingsChange(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	running(t, w, 10)
	sv := w.StartSave()
	if !w.Saved(sv, "/tmp/x.npz") || w.Message != "Saved x.npz" {
		t.Fatalf("after a save: message %q", w.Message)
	}
	if w.Unsaved() || w.ResetQuestion() != nil || w.QuitQuestion() != nil {
		t.Error("a saved network asks before Reset or Quit")
	}
	other := w.Net
	other.Hidden = []int{20}
	if w.NetQuestion(other) == nil {
		t.Error("changing the shape of a trained network does not ask")
	}
	// Training on makes the save stale, and the note goes.
	w.Apply(w.Run, snapshot(w, engine.Running, 11, make([]float32, 11)))
	if !w.Unsaved() || w.Message != "" {
		t.Errorf("after more training: unsaved %v, message %q", w.Unsaved(), w.Message)
	}
	// A save that finishes after the network was replaced is ignored.
	late := w.StartSave()
	if err := w.Replace(w.Net); err != nil {
		t.Fatal(err)
	}
	if w.Saved(late, "/tmp/late.npz") {
		t.Error("a late save of a replaced network was taken")
	}
}

func TestOpenedModelsTakeTheirShapeAndAreMeasured(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	m, err := Net{Hidden: []int{5, 7}, Acts: []engine.Activation{engine.Sigmoid, engine.Tanh}, Init: engine.Init{Kind: engine.InitXavier}}.Untrained()
	if err != nil {
		t.Fatal(err)
	}
	gen := w.Gen()
	w.Open("models/book.npz", m)
	if w.Origin != Opened || w.File != "book.npz" || w.Model != m || w.Gen() == gen {
		t.Fatalf("origin %v, file %q, gen %d after opening", w.Origin, w.File, w.Gen())
	}
	if got := w.Net.Arch().String(); got != m.Arch().String() {
		t.Errorf("settings %s after opening, want the model's %s", got, m.Arch())
	}
	if w.Unsaved() {
		t.Error("an opened model counts as unsaved")
	}
	if len(w.Layers()) != 3 {
		t.Errorf("an opened 3-layer model describes %d layers", len(w.Layers()))
	}
	if q := w.NetQuestion(NetOf(engine.DefaultConfig())); q == nil || !strings.Contains(q.Text, "loaded from book.npz") {
		t.Errorf("changing the settings of an opened model asks %v", q)
	}
	if !w.Measured(m, engine.Evaluation{Accuracy: 0.9352}) || w.ModelNote() != "model (93.52% right): book.npz" {
		t.Errorf("note after measuring = %q", w.ModelNote())
	}
	other, _ := w.Net.Untrained()
	if w.Measured(other, engine.Evaluation{Accuracy: 0.5}) {
		t.Error("a score of another model was taken")
	}
}

func TestSnapshotsOfOtherRunsOrOlderStepsAreIgnored(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	r := running(t, w, 50)
	last := w.Last
	if w.Apply(NewRun(nil, func() {}, false), snapshot(w, engine.Running, 60, nil)).Shown {
		t.Error("a snapshot of another run was shown")
	}
	if w.Apply(r, snapshot(w, engine.Running, 40, nil)).Shown || w.Last != last {
		t.Error("an older snapshot was shown")
	}
	failed := snapshot(w, engine.Failed, 51, nil)
	if a := w.Apply(r, failed); !a.Diverged {
		t.Error("a divergence was not reported")
	}
	if a := w.Apply(r, failed); a.Diverged {
		t.Error("a divergence was reported twice")
	}
	show, current := w.Ended(r, engine.ErrDiverged)
	if show != nil || !current {
		t.Errorf("a diverged run's end shows %v (current %v), want nothing more", show, current)
	}
	if show, _ := w.Ended(r, errors.New("disk full")); show == nil {
		t.Error("an unexpected error is not shown")
	}
	if show, _ := w.Ended(r, context.Canceled); show != nil {
		t.Error("a cancelled run is reported as an error")
	}
}

func TestPauseAskedStaysUntilConfirmed(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	r := running(t, w, 5)
	r.AskPause()
	w.Apply(r, snapshot(w, engine.Running, 6, nil))
	if !r.Paused() || !strings.HasPrefix(w.Status(true).Text, "Pausing… · ") {
		t.Errorf("a running snapshot sent before the pause took the asked pause back: %q", w.Status(true).Text)
	}
	w.Apply(r, snapshot(w, engine.Paused, 7, nil))
	if b := w.Buttons(true); !b.Resume || !b.Step || b.Start || b.TrainingEditable {
		t.Errorf("buttons while paused = %+v", b)
	}
}

func TestContinuingNeedsTheSameNetworkAndBatch(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	r := running(t, w, 20)
	cfg := engine.DefaultConfig()
	if w.Continuable(cfg) != nil {
		t.Fatal("a live run can be continued")
	}
	done := snapshot(w, engine.Done, 21, make([]float32, 21))
	w.Apply(r, done)
	w.Ended(r, nil)
	if w.Continuable(cfg) != done {
		t.Error("a finished run of the same network and batch cannot be continued")
	}
	if opts := w.SessionOptions(cfg, engine.SessionOptions{}); opts.Continue != done {
		t.Error("Start does not continue the finished run")
	}
	cfg.Batch = 50
	if w.Continuable(cfg) != nil {
		t.Error("a run can be continued at another batch size")
	}
	if opts := w.SessionOptions(cfg, engine.SessionOptions{}); opts.Model != w.Model {
		t.Error("another batch size does not start from the trained network")
	}
}

func TestEndedRunsAreKeptAndBounded(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	for i := range MaxKept + 3 {
		running(t, w, 10+i)
		w.StopRun()
	}
	if got := len(w.Kept); got != MaxKept {
		t.Fatalf("%d runs kept, want %d", got, MaxKept)
	}
	if got := w.Kept[0].Final.Step; got != 13 {
		t.Errorf("the oldest kept run has %d steps, want the fourth run's 13", got)
	}
	if got := w.Kept[0].Name; got != "lr 0.1" {
		t.Errorf("a run like the one before is named %q, want %q", got, "lr 0.1")
	}
}

func TestRunNames(t *testing.T) {
	t.Parallel()
	base := engine.DefaultConfig()
	sig := base
	sig.Arch = engine.MNISTArch([]int{100, 100, 100, 100, 100}, []engine.Activation{engine.Sigmoid, engine.Sigmoid, engine.Sigmoid, engine.Sigmoid, engine.Sigmoid}, engine.CrossEntropy)
	for _, c := range []struct {
		cfg  engine.TrainConfig
		prev *engine.Snapshot
		want string
	}{
		{base, nil, "relu 100, lr 0.1"},
		{sig, &engine.Snapshot{Config: base}, "sigmoid 100 ×5"},
		{func() engine.TrainConfig { c := base; c.LR = 0.5; return c }(), &engine.Snapshot{Config: base}, "lr 0.5"},
	} {
		if got := runName(c.cfg, c.prev); got != c.want {
			t.Errorf("runName = %q, want %q", got, c.want)
		}
	}
}

func TestStatusBeforeAnyRun(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	for _, c := range []struct {
		data  Data
		valid bool
		want  string
	}{
		{DataLoading, true, "Loading MNIST…"},
		{DataMissing, true, "No MNIST data"},
		{DataReady, false, "Fix the settings"},
		{DataReady, true, "Ready · 784 → 100 → 10 · 79,510 parameters · press Space to train"},
	} {
		w.Data = c.data
		if got := w.Status(c.valid).Text; !strings.HasPrefix(got, c.want) {
			t.Errorf("data %v, valid %v: status %q, want it to start %q", c.data, c.valid, got, c.want)
		}
		if b := w.Buttons(c.valid); b.Start != (c.data == DataReady && c.valid) {
			t.Errorf("data %v, valid %v: Start enabled %v", c.data, c.valid, b.Start)
		}
	}
}

func TestKeptRunsArePinnedRenamedAndRestored(t *testing.T) {
	t.Parallel()
	w := newWorkspace(t)
	running(t, w, 10)
	w.StopRun()
	w.Kept[0].Pinned = true
	for i := range MaxKept + 2 {
		running(t, w, 20+i)
		w.StopRun()
	}
	if len(w.Kept) != MaxKept || w.Kept[0].Final.Step != 10 {
		t.Fatalf("%d kept, the first of %d steps; want %d with the pinned run of 10 first", len(w.Kept), w.Kept[0].Final.Step, MaxKept)
	}
	if got := len(w.ShownRuns()); got != MaxKept {
		t.Errorf("%d runs shown, want every new one", got)
	}
	w.Kept[1].Shown = false
	if got := len(w.ShownRuns()); got != MaxKept-1 {
		t.Errorf("%d runs shown after untick, want %d", got, MaxKept-1)
	}
	w.Rename(0, "  baseline ")
	w.Rename(0, "   ")
	if w.Kept[0].Name != "baseline" {
		t.Errorf("name %q", w.Kept[0].Name)
	}
	final := w.Kept[0].Final
	w.Restore(0)
	if w.Model != final.Model || w.Last != final || !w.Trained() || !w.Unsaved() {
		t.Error("a restored run is not the window's network, trained and unsaved")
	}
	if w.Continuable(final.Config) != final {
		t.Error("a restored run cannot be continued")
	}
}
