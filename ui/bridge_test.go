package ui

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/mnistplayground/mnistplayground/engine"
)

// fakeSnapshot is a plausible snapshot of a 784-100-10 run at step steps
// with 600 steps an epoch: a falling loss, a test measurement at each epoch
// end, two layers with their histograms and gradients, and a model.
func fakeSnapshot(tb testing.TB, state engine.State, steps int) *engine.Snapshot {
	tb.Helper()
	cfg := engine.DefaultConfig()
	m, err := untrainedModel(netFromConfig(cfg))
	if err != nil {
		tb.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(steps), 7))
	const spe = 600
	s := &engine.Snapshot{
		State: state, Step: steps, Epoch: steps / spe,
		EpochFrac:     float64(steps%spe) / spe,
		StepsPerEpoch: spe,
		LR:            0.1, BaseLR: 0.1,
		Elapsed:      42 * time.Second,
		ImagesPerSec: 12345,
		TrainLoss:    make([]float32, steps),
		Model:        m,
		Config:       cfg,
	}
	for i := range s.TrainLoss {
		s.TrainLoss[i] = float32((0.1 + 2*math.Exp(-float64(i)/200)) * math.Exp(0.3*rng.NormFloat64()))
	}
	for e := 1; e*spe <= steps; e++ {
		s.Tests = append(s.Tests, engine.EpochMetric{Epoch: e, Step: e * spe, Loss: 0.2 / float64(e), Accuracy: 0.9 + 0.01*float64(e)})
	}
	for i, l := range m.Layers {
		h := engine.Histogram{Min: -0.3, Max: 0.3, Counts: make([]int, 40)}
		for range len(l.W) {
			b := int(20 + 6*rng.NormFloat64())
			h.Counts[min(39, max(0, b))]++
		}
		s.Layers = append(s.Layers, engine.LayerStats{
			In: l.In, Out: l.Out, Act: l.Act, Weights: h,
			GradNorm: 0.4 / float64(1+3*i), ActMean: 0.5, ActStd: 0.8, Saturated: 0.3,
		})
	}
	return s
}

// fakeRun makes the playground believe a session is live, so that apply
// takes snapshots from the test.
func fakeRun(h *harness) *run {
	r := &run{cancel: func() {}, done: make(chan struct{})}
	h.p.run = r
	return r
}

func TestApplyShowsTheSnapshot(t *testing.T) {
	cfg := engine.DefaultConfig() // fakeSnapshot's network
	h := newHarness(t, Options{Config: &cfg})
	p := h.p
	r := fakeRun(h)
	snap := fakeSnapshot(t, engine.Running, 900)
	p.apply(r, snap)

	wantStatus := "Training · epoch 2/5, 50% · step 900 · 12,345 images/s · loss "
	if got := p.status.Text; !strings.HasPrefix(got, wantStatus) || !strings.HasSuffix(got, " · test accuracy 91.00% · 0:42 · lr 0.1") {
		t.Errorf("status = %q, want %q…%q", got, wantStatus, " · test accuracy 91.00% · 0:42 · lr 0.1")
	}
	for _, c := range []struct {
		name     string
		disabled bool
		want     bool
	}{
		{"Start", p.startBtn.Disabled(), true},
		{"Pause", p.pauseBtn.Disabled(), false},
		{"Step", p.stepBtn.Disabled(), true},
		{"Reset", p.resetBtn.Disabled(), false},
		{"Save", p.saveBtn.Disabled(), false},
		{"batch size", p.ctl.batch.Disabled(), true},
		{"learning rate", p.ctl.lr.Disabled(), false},
	} {
		if c.disabled != c.want {
			t.Errorf("%s disabled = %v, want %v while training", c.name, c.disabled, c.want)
		}
	}
	if got, want := p.pauseBtn.Text, "Pause (Space)"; got != want {
		t.Errorf("Pause button = %q, want %q", got, want)
	}
	if p.model != snap.Model || p.digit.model != snap.Model {
		t.Error("the pad does not answer with the snapshot's model")
	}
	if got, want := p.digit.note, "training: epoch 2, step 900"; got != want {
		t.Errorf("pad note = %q, want %q", got, want)
	}
	for i, c := range p.charts.cells {
		if got := c.rec.Len(); got != 1 {
			t.Errorf("layer %d history has %d entries, want 1", i+1, got)
		}
		want := fmt.Sprintf("‖∂L/∂W‖ %s", formatSci(snap.Layers[i].GradNorm))
		if !strings.HasPrefix(c.stats.Text, want) {
			t.Errorf("layer %d statistics = %q, want them to start with %q", i+1, c.stats.Text, want)
		}
	}

	paused := fakeSnapshot(t, engine.Paused, 901)
	p.apply(r, paused)
	if got, want := p.pauseBtn.Text, "Resume (Space)"; got != want {
		t.Errorf("Pause button on a paused snapshot = %q, want %q", got, want)
	}
	if p.stepBtn.Disabled() {
		t.Error("Step is disabled on a paused snapshot")
	}
	if !strings.HasPrefix(p.status.Text, "Paused · ") || strings.Contains(p.status.Text, "images/s") {
		t.Errorf("paused status = %q, want it to say paused and give no speed", p.status.Text)
	}

	// A snapshot of a session that has been replaced changes nothing.
	p.apply(&run{}, fakeSnapshot(t, engine.Running, 5))
	if p.last != paused {
		t.Error("a snapshot of a stale session was applied")
	}
}

func TestDivergedSnapshotShowsDialogAndKeepsModel(t *testing.T) {
	cfg := engine.DefaultConfig()
	h := newHarness(t, Options{Config: &cfg})
	p := h.p
	r := fakeRun(h)
	p.apply(r, fakeSnapshot(t, engine.Running, 300))
	failed := fakeSnapshot(t, engine.Failed, 301)
	failed.Err = fmt.Errorf("%w at step 301: the loss became not a number with learning rate 10, which is most likely too high; lower it (try 1) and start again", engine.ErrDiverged)
	p.apply(r, failed)
	r.ended = true
	p.runEnded(r, failed.Err)

	if got, want := p.lastShow.title, "Training diverged"; got != want {
		t.Fatalf("dialog title = %q, want %q", got, want)
	}
	if !strings.Contains(p.lastShow.message, "Training diverged at step 301") || !strings.Contains(p.lastShow.message, "lower it (try 1)") {
		t.Errorf("dialog message %q does not carry the engine's explanation", p.lastShow.message)
	}
	if !strings.Contains(p.lastShow.message, "as it was when training stopped") || strings.Contains(p.lastShow.message, "just before") {
		t.Errorf("dialog message %q does not say the network stays as it was when training stopped", p.lastShow.message)
	}
	if p.win.Canvas().Overlays().Top() == nil {
		t.Error("no dialog is shown")
	}
	if p.model != failed.Model || !p.trained {
		t.Error("the last finite network is not kept")
	}
	if !strings.HasPrefix(p.status.Text, "Diverged") {
		t.Errorf("status = %q, want it to start with Diverged", p.status.Text)
	}
	if p.startBtn.Disabled() || p.startBtn.Text != "Continue (Space)" {
		t.Errorf("Start = %q (disabled %v), want Continue enabled after a divergence", p.startBtn.Text, p.startBtn.Disabled())
	}

	// The same failure again, as a repeated snapshot would bring, does not
	// stack a second dialog.
	overlays := len(p.win.Canvas().Overlays().List())
	p.apply(r, failed)
	if got := len(p.win.Canvas().Overlays().List()); got != overlays {
		t.Errorf("%d overlays after a repeated failed snapshot, want %d", got, overlays)
	}
}

func TestRealDivergenceIsReported(t *testing.T) {
	cfg := smallConfig(0)
	cfg.LR = 10
	cfg.Arch = engine.MNISTArch([]int{64, 64}, []engine.Activation{engine.ReLU, engine.ReLU}, engine.CrossEntropy)
	cfg.Init = engine.Init{Kind: engine.InitNormal, Sigma: 1}
	h := newHarness(t, Options{Config: cfg})
	p := h.p
	p.start()
	h.until("the session to diverge", func() bool { return h.state() == engine.Failed })
	if !errors.Is(p.last.Err, engine.ErrDiverged) {
		t.Fatalf("snapshot error = %v, want one wrapping ErrDiverged", p.last.Err)
	}
	if p.lastShow.title != "Training diverged" {
		t.Errorf("dialog title = %q, want %q", p.lastShow.title, "Training diverged")
	}
	if err := p.model.Validate(); err != nil {
		t.Errorf("the network kept after divergence is not usable: %v", err)
	}
}

func TestOlderSnapshotsAreDropped(t *testing.T) {
	cfg := engine.DefaultConfig()
	h := newHarness(t, Options{Config: &cfg})
	p := h.p
	r := fakeRun(h)
	newer := fakeSnapshot(t, engine.Running, 900)
	p.apply(r, newer)
	status, note := p.status.Text, p.digit.note
	p.apply(r, fakeSnapshot(t, engine.Running, 600))
	if p.last != newer || p.model != newer.Model {
		t.Errorf("applying step 600 after 900 took the window back to step %d", p.last.Step)
	}
	if p.status.Text != status || p.digit.note != note {
		t.Errorf("status %q and note %q after an older snapshot, want %q and %q", p.status.Text, p.digit.note, status, note)
	}
}

func TestDivergenceDialogOpensOncePerRun(t *testing.T) {
	cfg := engine.DefaultConfig()
	h := newHarness(t, Options{Config: &cfg})
	p := h.p
	r := fakeRun(h)
	failed := fakeSnapshot(t, engine.Failed, 30)
	// A fast divergence: the final snapshot, then (late) the run's first,
	// then the final one again.
	for _, s := range []*engine.Snapshot{failed, fakeSnapshot(t, engine.Running, 0), fakeSnapshot(t, engine.Failed, 30)} {
		p.apply(r, s)
	}
	if got, want := len(p.dialogs), 1; got != want {
		t.Errorf("%d dialogs after one divergence, want %d", got, want)
	}
}
