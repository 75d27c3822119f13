package engine

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// blobs makes a small learnable MNIST stand-in: digit k is a bright 4×4
// square at a place of its own, with some scattered noise pixels.
func blobs(seed uint64, n int) *Dataset {
	rng := rand.New(rand.NewPCG(seed, seed))
	pix := make([]uint8, n*InputSize)
	labels := make([]uint8, n)
	for i := range n {
		k := rng.IntN(NumClasses)
		labels[i] = uint8(k)
		img := pix[i*InputSize : (i+1)*InputSize]
		r0, c0 := 3+(k/5)*12+rng.IntN(3), 1+(k%5)*5+rng.IntN(2)
		for r := r0; r < r0+4; r++ {
			for c := c0; c < c0+4; c++ {
				img[r*28+c] = uint8(180 + rng.IntN(76))
			}
		}
		for range 20 {
			img[rng.IntN(InputSize)] = uint8(rng.IntN(256))
		}
	}
	ds, err := NewDataset(28, 28, pix, labels)
	if err != nil {
		panic(err)
	}
	return ds
}

func fixture() *MNIST { return &MNIST{Train: blobs(1, 1200), Test: blobs(2, 300)} }

func smallConfig() TrainConfig {
	c := DefaultConfig()
	c.Arch = MNISTArch([]int{32}, []Activation{ReLU}, CrossEntropy)
	c.Batch = 50
	c.Epochs = 3
	return c
}

// runSession runs s to its end and fails the test if it takes more than ten
// seconds.
func runSession(t *testing.T, s *Session, ctx context.Context) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	go func() {
		for range s.Snapshots() {
		}
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("the session did not finish within 10 s")
		return nil
	}
}

func TestSessionLearns(t *testing.T) {
	t.Parallel()
	for _, opt := range []string{"sgd", "momentum", "adam"} {
		t.Run(opt, func(t *testing.T) {
			t.Parallel()
			cfg := smallConfig()
			o, err := ParseOptimizer(opt)
			if err != nil {
				t.Fatal(err)
			}
			cfg.Opt = o
			if o.Kind == Adam {
				cfg.LR = 0.001
			}
			s, err := NewSession(cfg, fixture(), SessionOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if err := runSession(t, s, context.Background()); err != nil {
				t.Fatal(err)
			}
			snap := s.Latest()
			if snap.State != Done || snap.Epoch != 3 || len(snap.Tests) != 3 {
				t.Fatalf("state %v after %d epochs with %d tests, want done after 3 with 3", snap.State, snap.Epoch, len(snap.Tests))
			}
			if want := 3 * stepsPerEpoch(1200, 50); snap.Step != want || len(snap.TrainLoss) != want {
				t.Fatalf("%d steps, %d losses; want %d", snap.Step, len(snap.TrainLoss), want)
			}
			first, last := mean32(snap.TrainLoss[:10]), mean32(snap.TrainLoss[len(snap.TrainLoss)-10:])
			if !(last < first/3) {
				t.Errorf("training loss went from %.3f to %.3f; want it to fall at least threefold", first, last)
			}
			if acc := snap.Tests[2].Accuracy; acc < 0.9 {
				t.Errorf("test accuracy %.3f after 3 epochs, want ≥ 0.9", acc)
			}
			if snap.Tests[2].Loss >= snap.Tests[0].Loss && snap.Tests[0].Accuracy < 1 {
				t.Errorf("test loss did not fall: %v", snap.Tests)
			}
		})
	}
}

func mean32(v []float32) float64 {
	var s float64
	for _, x := range v {
		s += float64(x)
	}
	return s / float64(len(v))
}

func TestSessionSameSeedSameRun(t *testing.T) {
	t.Parallel()
	run := func(seed uint64) *Snapshot {
		cfg := smallConfig()
		cfg.Seed = seed
		cfg.Epochs = 1
		s, err := NewSession(cfg, fixture(), SessionOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := runSession(t, s, context.Background()); err != nil {
			t.Fatal(err)
		}
		return s.Latest()
	}
	a, b, c := run(7), run(7), run(8)
	if len(a.TrainLoss) != len(b.TrainLoss) {
		t.Fatal("same seed, different step counts")
	}
	for i := range a.TrainLoss {
		if a.TrainLoss[i] != b.TrainLoss[i] {
			t.Fatalf("same seed: step %d loss %v vs %v", i+1, a.TrainLoss[i], b.TrainLoss[i])
		}
	}
	for li := range a.Model.Layers {
		for k, w := range a.Model.Layers[li].W {
			if b.Model.Layers[li].W[k] != w {
				t.Fatalf("same seed: layer %d weight %d differs", li+1, k)
			}
		}
	}
	if c.TrainLoss[0] == a.TrainLoss[0] && c.TrainLoss[1] == a.TrainLoss[1] {
		t.Error("different seeds gave the same losses")
	}
}

// next waits for a snapshot that satisfies ok.
func next(t *testing.T, s *Session, ok func(*Snapshot) bool) *Snapshot {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case snap, open := <-s.Snapshots():
			if !open {
				t.Fatal("the session ended while waiting for a snapshot")
			}
			if ok(snap) {
				return snap
			}
		case <-deadline:
			t.Fatalf("no wanted snapshot within 10 s; latest: state %v step %d", s.Latest().State, s.Latest().Step)
		}
	}
}

func TestSessionPauseStepResume(t *testing.T) {
	t.Parallel()
	cfg := smallConfig()
	cfg.Epochs = 0 // until stopped
	s, err := NewSession(cfg, fixture(), SessionOptions{StartPaused: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()

	next(t, s, func(p *Snapshot) bool { return p.State == Paused })
	for want := 1; want <= 3; want++ {
		s.Step()
		snap := next(t, s, func(p *Snapshot) bool { return p.Step >= want })
		if snap.Step != want || snap.State != Paused {
			t.Fatalf("after %d Step calls: step %d, state %v", want, snap.Step, snap.State)
		}
	}
	// Paused means no step is taken.
	time.Sleep(50 * time.Millisecond)
	if got := s.Latest().Step; got != 3 {
		t.Fatalf("paused session moved on to step %d", got)
	}
	s.Resume()
	next(t, s, func(p *Snapshot) bool { return p.State == Running && p.Step > 10 })
	s.Pause()
	paused := next(t, s, func(p *Snapshot) bool { return p.State == Paused })
	time.Sleep(50 * time.Millisecond)
	if got := s.Latest().Step; got != paused.Step {
		t.Fatalf("pause at step %d, but the session went on to %d", paused.Step, got)
	}
	if err := s.SetLearningRate(0.05); err != nil {
		t.Fatal(err)
	}
	next(t, s, func(p *Snapshot) bool { return p.BaseLR == 0.05 })
	if err := s.SetLearningRate(-1); err == nil {
		t.Error("a negative learning rate was accepted")
	}
	s.Evaluate()
	measured := next(t, s, func(p *Snapshot) bool { return len(p.Tests) == len(paused.Tests)+1 })
	if last, _ := measured.LastTest(); last.Step != paused.Step || measured.Step != paused.Step {
		t.Fatalf("Evaluate while paused at step %d measured at step %d and moved to step %d", paused.Step, last.Step, measured.Step)
	}

	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Run returned %v after cancel, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a cancelled session did not stop")
	}
	if _, open := <-s.Snapshots(); open {
		// the final snapshot may still be buffered; then the channel closes
		if _, open := <-s.Snapshots(); open {
			t.Fatal("the snapshot channel was not closed after Run returned")
		}
	}
	s.Pause() // commands after Run must not block
}

func TestSessionStop(t *testing.T) {
	t.Parallel()
	cfg := smallConfig()
	cfg.Epochs = 0
	s, err := NewSession(cfg, fixture(), SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Run(context.Background()) }()
	next(t, s, func(p *Snapshot) bool { return p.Step > 5 })
	s.Stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run after Stop returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a stopped session did not end")
	}
	if st := s.Latest().State; st != Done {
		t.Errorf("state after Stop %v, want done", st)
	}
}

func TestSessionDivergence(t *testing.T) {
	t.Parallel()
	// Cross-entropy is unbounded, so too large a step blows it up. (Squared
	// error after a softmax is bounded by 1: too large a step saturates the
	// softmax instead and the network stops learning, without overflow.)
	for _, act := range []Activation{ReLU, Identity, Sigmoid} {
		t.Run(act.String(), func(t *testing.T) {
			t.Parallel()
			cfg := smallConfig()
			cfg.Arch.Acts = []Activation{act}
			cfg.LR = 100
			cfg.Epochs = 20
			s, err := NewSession(cfg, fixture(), SessionOptions{})
			if err != nil {
				t.Fatal(err)
			}
			err = runSession(t, s, context.Background())
			if !errors.Is(err, ErrDiverged) {
				t.Fatalf("lr 100: Run returned %v, want divergence", err)
			}
			snap := s.Latest()
			if snap.State != Failed || !errors.Is(snap.Err, ErrDiverged) {
				t.Errorf("final snapshot: state %v, err %v", snap.State, snap.Err)
			}
			if !finiteModel(snap.Model) {
				t.Error("the kept model is not finite")
			}
			for _, l := range snap.TrainLoss {
				if math.IsNaN(float64(l)) || math.IsInf(float64(l), 0) {
					t.Fatal("a non-finite loss was recorded")
				}
			}
			if msg := err.Error(); !contains(msg, "learning rate 100") {
				t.Errorf("the error does not name the learning rate: %q", msg)
			}
		})
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestNewSessionRejects(t *testing.T) {
	t.Parallel()
	data := fixture()
	bad := []struct {
		name string
		edit func(*TrainConfig)
	}{
		{"zero units", func(c *TrainConfig) { c.Arch.Hidden = []int{0} }},
		{"too many units", func(c *TrainConfig) { c.Arch.Hidden = []int{MaxUnits + 1} }},
		{"too many layers", func(c *TrainConfig) {
			c.Arch.Hidden = make([]int, MaxHidden+1)
			c.Arch.Acts = make([]Activation, MaxHidden+1)
			for i := range c.Arch.Hidden {
				c.Arch.Hidden[i] = 4
			}
		}},
		{"missing activation", func(c *TrainConfig) { c.Arch.Acts = nil }},
		{"zero learning rate", func(c *TrainConfig) { c.LR = 0 }},
		{"NaN learning rate", func(c *TrainConfig) { c.LR = math.NaN() }},
		{"zero batch", func(c *TrainConfig) { c.Batch = 0 }},
		{"bad schedule", func(c *TrainConfig) { c.Schedule = Schedule{Kind: StepDecay, Factor: 2, Every: 1} }},
		{"negative sigma", func(c *TrainConfig) { c.Init = Init{Kind: InitNormal, Sigma: -1} }},
	}
	for _, b := range bad {
		cfg := smallConfig()
		b.edit(&cfg)
		if _, err := NewSession(cfg, data, SessionOptions{}); err == nil {
			t.Errorf("%s: accepted", b.name)
		}
	}
	other := smallConfig()
	m, _ := NewModel(MNISTArch([]int{16}, []Activation{ReLU}, CrossEntropy), Init{Kind: InitHe}, rand.New(rand.NewPCG(1, 1)))
	if _, err := NewSession(other, data, SessionOptions{Model: m}); err == nil {
		t.Error("a starting model of another architecture was accepted")
	}
	if _, err := NewSession(other, &MNIST{}, SessionOptions{}); err == nil {
		t.Error("a session without data was accepted")
	}
	five := smallConfig()
	five.Arch.Outputs = 5
	if _, err := NewSession(five, data, SessionOptions{}); err == nil {
		t.Error("a network with 5 outputs for 10 classes was accepted")
	}
}

func TestStepActivationWarns(t *testing.T) {
	t.Parallel()
	cfg := smallConfig()
	cfg.Arch.Acts = []Activation{Step}
	s, err := NewSession(cfg, fixture(), SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if w := s.Latest().Warnings; len(w) != 1 || !contains(w[0], "step") {
		t.Errorf("warnings %q, want one about the step function", w)
	}
}

func TestScheduleRates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s     Schedule
		epoch int
		frac  float64
		total int
		want  float64
	}{
		{Schedule{Kind: Constant}, 5, 0.5, 10, 0.1},
		{Schedule{Kind: StepDecay, Factor: 0.5, Every: 3}, 2, 0.9, 10, 0.1},
		{Schedule{Kind: StepDecay, Factor: 0.5, Every: 3}, 3, 0, 10, 0.05},
		{Schedule{Kind: StepDecay, Factor: 0.5, Every: 3}, 7, 0, 10, 0.025},
		{Schedule{Kind: Cosine}, 0, 0, 10, 0.1},
		{Schedule{Kind: Cosine}, 5, 0, 10, 0.05},
		{Schedule{Kind: Cosine}, 10, 0, 10, 0},
		{Schedule{Kind: Cosine}, 3, 0, 0, 0.1},
	}
	for _, tt := range tests {
		if got := tt.s.Rate(0.1, tt.epoch, tt.frac, tt.total); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%v at epoch %d+%.1f of %d: got %g, want %g", tt.s, tt.epoch, tt.frac, tt.total, got, tt.want)
		}
	}
}

// TestSessionOverflowIsCaught drives weights to ±∞ while the loss, bounded
// by the squared error, stays finite: every snapshot must still hold a finite
// model and the session must stop with a divergence, not crash.
func TestSessionOverflowIsCaught(t *testing.T) {
	t.Parallel()
	for _, batch := range []int{50, 1200} { // 1200: every step ends an epoch
		cfg := smallConfig()
		cfg.Arch = MNISTArch(nil, nil, MeanSquared)
		cfg.WeightDecay = 1
		cfg.LR = 100
		cfg.Batch = batch
		cfg.Epochs = 0
		s, err := NewSession(cfg, fixture(), SessionOptions{StartPaused: true})
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- s.Run(context.Background()) }()
		var runErr error
	steps:
		for range 200 {
			s.Step()
			select {
			case runErr = <-done:
				break steps
			case snap := <-s.Snapshots():
				if snap != nil && !finiteModel(snap.Model) {
					t.Fatalf("batch %d: a snapshot holds a model that is not finite", batch)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("no snapshot within 10 s")
			}
		}
		if !errors.Is(runErr, ErrDiverged) || !contains(runErr.Error(), "overflowed") {
			t.Fatalf("batch %d: Run returned %v, want an overflow divergence", batch, runErr)
		}
		if snap := s.Latest(); snap.State != Failed || !finiteModel(snap.Model) {
			t.Errorf("batch %d: final state %v, finite model %v", batch, snap.State, finiteModel(snap.Model))
		}
	}
}

func TestSessionStepCountsTime(t *testing.T) {
	t.Parallel()
	s, err := NewSession(smallConfig(), fixture(), SessionOptions{StartPaused: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx)
	for want := 1; want <= 5; want++ {
		s.Step()
		next(t, s, func(p *Snapshot) bool { return p.Step == want })
	}
	if e := s.Latest().Elapsed; e <= 0 {
		t.Errorf("five single steps took %v of training time", e)
	}
}

// TestSetLearningRateNeverBlocks sets the rate far more often than the
// command queue holds, as a dragged slider does; the last value wins.
func TestSetLearningRateNeverBlocks(t *testing.T) {
	t.Parallel()
	s, err := NewSession(smallConfig(), fixture(), SessionOptions{StartPaused: true})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		for i := range 1000 {
			if err := s.SetLearningRate(0.001 * float64(i+1)); err != nil {
				t.Error(err)
			}
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("SetLearningRate blocked before Run started")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx)
	next(t, s, func(p *Snapshot) bool { return p.BaseLR == 1 })
}

func TestHistogramSkipsNonFinite(t *testing.T) {
	t.Parallel()
	inf := float32(math.Inf(1))
	h := histogram([]float32{-1, 0, 1, inf, -inf, float32(math.NaN())}, 4)
	if h.Min != -1 || h.Max != 1 {
		t.Errorf("range %g..%g, want -1..1", h.Min, h.Max)
	}
	total := 0
	for _, c := range h.Counts {
		total += c
	}
	if total != 3 {
		t.Errorf("counted %d values, want the 3 finite ones", total)
	}
	if h := histogram([]float32{inf}, 4); h.Min != 0 || h.Max != 0 {
		t.Errorf("no finite values: range %g..%g", h.Min, h.Max)
	}
}

func TestValidateBoundsBatchMemory(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	cfg.Arch = MNISTArch([]int{1024, 1024, 1024, 1024, 1024, 1024}, []Activation{ReLU, ReLU, ReLU, ReLU, ReLU, ReLU}, CrossEntropy)
	cfg.Batch = 60000
	if err := cfg.Validate(); err == nil || !contains(err.Error(), "at most 5452") {
		t.Errorf("batch 60000 through six 1024-unit layers: %v", err)
	}
	cfg.Batch = 5452
	if err := cfg.Validate(); err != nil {
		t.Errorf("batch 5452: %v", err)
	}
	cfg = DefaultConfig()
	cfg.Batch = 60000
	if err := cfg.Validate(); err != nil {
		t.Errorf("the default network at batch 60000: %v", err)
	}
	cfg.Schedule, cfg.Epochs = Schedule{Kind: Cosine}, 0
	if err := cfg.Validate(); err == nil {
		t.Error("cosine over no planned epochs was accepted")
	}
}

func TestSessionContinue(t *testing.T) {
	t.Parallel()
	cfg := smallConfig()
	cfg.Epochs = 2
	data := fixture()
	first, err := NewSession(cfg, data, SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := runSession(t, first, context.Background()); err != nil {
		t.Fatal(err)
	}
	done := first.Latest()
	cfg.Epochs = 1
	second, err := NewSession(cfg, data, SessionOptions{Continue: done})
	if err != nil {
		t.Fatal(err)
	}
	if snap := second.Latest(); snap.Step != done.Step || snap.Epoch != 2 || snap.PlannedEpochs != 3 || len(snap.Tests) != 2 {
		t.Fatalf("before training on: step %d epoch %d of %d, %d tests; want %d, 2 of 3, 2", snap.Step, snap.Epoch, snap.PlannedEpochs, len(snap.Tests), done.Step)
	}
	if err := runSession(t, second, context.Background()); err != nil {
		t.Fatal(err)
	}
	snap := second.Latest()
	per := stepsPerEpoch(data.Train.Len(), cfg.Batch)
	if snap.State != Done || snap.Epoch != 3 || snap.Step != 3*per || len(snap.TrainLoss) != 3*per || len(snap.Tests) != 3 {
		t.Fatalf("after: %v, epoch %d, step %d, %d losses, %d tests", snap.State, snap.Epoch, snap.Step, len(snap.TrainLoss), len(snap.Tests))
	}
	for i, l := range done.TrainLoss {
		if snap.TrainLoss[i] != l {
			t.Fatalf("the earlier loss history changed at step %d", i+1)
		}
	}
	if snap.Elapsed < done.Elapsed {
		t.Errorf("training time went back from %v to %v", done.Elapsed, snap.Elapsed)
	}
	// The image count goes on too: three epochs of the training set.
	if n := int64(data.Train.Len()); done.Images != 2*n || snap.Images != 3*n {
		t.Errorf("images trained on: %d after two epochs and %d after three, want %d and %d", done.Images, snap.Images, 2*n, 3*n)
	}
	if r := snap.MeanImagesPerSec(); !(r > 0) || math.Abs(r-float64(snap.Images)/snap.Elapsed.Seconds()) > 1e-6*r {
		t.Errorf("mean speed %g images/s", r)
	}
	if _, err := NewSession(cfg, data, SessionOptions{Continue: done, Model: done.Model}); err == nil {
		t.Error("Model and Continue together were accepted")
	}
}

// TestContinueAfterDivergence continues a diverged run at a sane learning
// rate: the old, blown-up losses must not condemn the new ones.
func TestContinueAfterDivergence(t *testing.T) {
	t.Parallel()
	cfg := smallConfig()
	cfg.LR, cfg.Epochs = 100, 5
	data := fixture()
	s, err := NewSession(cfg, data, SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := runSession(t, s, context.Background()); !errors.Is(err, ErrDiverged) {
		t.Fatalf("lr 100: %v, want a divergence", err)
	}
	failed := s.Latest()
	cfg.LR, cfg.Epochs = 0.05, 1
	again, err := NewSession(cfg, data, SessionOptions{Continue: failed})
	if err != nil {
		t.Fatal(err)
	}
	if err := runSession(t, again, context.Background()); err != nil {
		t.Fatalf("continuing at lr 0.05 after a divergence: %v", err)
	}
	cfg.Batch = 40
	if _, err := NewSession(cfg, data, SessionOptions{Continue: again.Latest()}); err == nil {
		t.Error("continuing at another batch size was accepted")
	}
}
