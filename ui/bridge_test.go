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
	"github.com/mnistplayground/mnistplayground/internal/textfmt"
	"github.com/mnistplayground/mnistplayground/ui/state"
)

// fakeSnapshot is a plausible snapshot of a 784-100-10 run at step steps
// with 600 steps an epoch: a falling loss, a test measurement at each epoch
// end, two layers with their histograms and gradients, and a model.
func fakeSnapshot(tb testing.TB, st engine.State, steps int) *engine.Snapshot {
	tb.Helper()
	cfg := engine.DefaultConfig()
	m, err := state.NetOf(cfg).Untrained()
	if err != nil {
		tb.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(steps), 7))
	const spe = 600
	s := &engine.Snapshot{
		State: st, Step: steps, Epoch: steps / spe,
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
func fakeRun(h *harness) *state.Run {
	r := state.NewRun(nil, func() {}, false)
	h.p.ws.Run = r
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
	if got := p.bar.text.Text; !strings.HasPrefix(got, wantStatus) || !strings.HasSuffix(got, " · test accuracy 91.00% · 0:42 · lr 0.1") {
		t.Errorf("status = %q, want %q…%q", got, wantStatus, " · test accuracy 91.00% · 0:42 · lr 0.1")
	}
	for _, c := range []struct {
		name     string
		disabled bool
		want     bool
	}{
		{"Start", p.bar.start.b.Disabled(), true},
		{"Pause", p.bar.pause.b.Disabled(), false},
		{"Step", p.bar.step.b.Disabled(), true},
		{"Reset", p.bar.reset.b.Disabled(), false},
		{"Save", p.bar.save.b.Disabled(), false},
		{"batch size", p.views.settings.Batch.Disabled(), true},
		{"learning rate", p.views.settings.LR.Disabled(), false},
	} {
		if c.disabled != c.want {
			t.Errorf("%s disabled = %v, want %v while training", c.name, c.disabled, c.want)
		}
	}
	if got, want := p.bar.pause.b.Text, "Pause (Space)"; got != want {
		t.Errorf("Pause button = %q, want %q", got, want)
	}
	if p.ws.Model != snap.Model || p.views.draw.Model() != snap.Model {
		t.Error("the pad does not answer with the snapshot's model")
	}
	if got, want := p.views.draw.Note(), "training: epoch 2, step 900"; got != want {
		t.Errorf("pad note = %q, want %q", got, want)
	}
	for i, c := range p.views.layers.Cells {
		// The untrained network's weights, then the snapshot's.
		if got := c.History(); got != 2 {
			t.Errorf("layer %d history has %d entries, want 2", i+1, got)
		}
		want := fmt.Sprintf("‖∂L/∂W‖ %s", textfmt.Sci(snap.Layers[i].GradNorm))
		if !strings.HasPrefix(c.Stats.Text, want) {
			t.Errorf("layer %d statistics = %q, want them to start with %q", i+1, c.Stats.Text, want)
		}
	}

	paused := fakeSnapshot(t, engine.Paused, 901)
	p.apply(r, paused)
	if got, want := p.bar.pause.b.Text, "Resume (Space)"; got != want {
		t.Errorf("Pause button on a paused snapshot = %q, want %q", got, want)
	}
	if p.bar.step.b.Disabled() {
		t.Error("Step is disabled on a paused snapshot")
	}
	if !strings.HasPrefix(p.bar.text.Text, "Paused · ") || strings.Contains(p.bar.text.Text, "images/s") {
		t.Errorf("paused status = %q, want it to say paused and give no speed", p.bar.text.Text)
	}

	// A snapshot of a session that has been replaced changes nothing.
	p.apply(state.NewRun(nil, func() {}, false), fakeSnapshot(t, engine.Running, 5))
	if p.ws.Last != paused {
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
	r.Ended = true
	p.runEnded(r, failed.Err)

	if got, want := p.dialogs.last.title, "Training diverged"; got != want {
		t.Fatalf("dialog title = %q, want %q", got, want)
	}
	if !strings.Contains(p.dialogs.last.message, "Training diverged at step 301") || !strings.Contains(p.dialogs.last.message, "lower it (try 1)") {
		t.Errorf("dialog message %q does not carry the engine's explanation", p.dialogs.last.message)
	}
	if !strings.Contains(p.dialogs.last.message, "as it was when training stopped") || strings.Contains(p.dialogs.last.message, "just before") {
		t.Errorf("dialog message %q does not say the network stays as it was when training stopped", p.dialogs.last.message)
	}
	if p.win.Canvas().Overlays().Top() == nil {
		t.Error("no dialog is shown")
	}
	if p.ws.Model != failed.Model || !p.ws.Trained() {
		t.Error("the last finite network is not kept")
	}
	if !strings.HasPrefix(p.bar.text.Text, "Diverged") {
		t.Errorf("status = %q, want it to start with Diverged", p.bar.text.Text)
	}
	if p.bar.start.b.Disabled() || p.bar.start.b.Text != "Continue (Space)" {
		t.Errorf("Start = %q (disabled %v), want Continue enabled after a divergence", p.bar.start.b.Text, p.bar.start.b.Disabled())
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
	if !errors.Is(p.ws.Last.Err, engine.ErrDiverged) {
		t.Fatalf("snapshot error = %v, want one wrapping ErrDiverged", p.ws.Last.Err)
	}
	if p.dialogs.last.title != "Training diverged" {
		t.Errorf("dialog title = %q, want %q", p.dialogs.last.title, "Training diverged")
	}
	if err := p.ws.Model.Validate(); err != nil {
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
	status, note := p.bar.text.Text, p.views.draw.Note()
	p.apply(r, fakeSnapshot(t, engine.Running, 600))
	if p.ws.Last != newer || p.ws.Model != newer.Model {
		t.Errorf("applying step 600 after 900 took the window back to step %d", p.ws.Last.Step)
	}
	if p.bar.text.Text != status || p.views.draw.Note() != note {
		t.Errorf("status %q and note %q after an older snapshot, want %q and %q", p.bar.text.Text, p.views.draw.Note(), status, note)
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
	if got, want := len(p.dialogs.open), 1; got != want {
		t.Errorf("%d dialogs after one divergence, want %d", got, want)
	}
}
