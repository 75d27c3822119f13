package engine

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"
	"time"
)

// raceOf makes a race of sessions of cfgs on data.
func raceOf(t *testing.T, data *MNIST, opts SessionOptions, cfgs ...TrainConfig) (*Race, []*Session) {
	t.Helper()
	var ss []*Session
	for _, c := range cfgs {
		s, err := NewSession(c, data, opts)
		if err != nil {
			t.Fatal(err)
		}
		ss = append(ss, s)
	}
	r, err := NewRace(ss...)
	if err != nil {
		t.Fatal(err)
	}
	return r, ss
}

// runRace runs r to its end, draining every session's snapshots, and fails
// the test if it takes more than twenty seconds.
func runRace(t *testing.T, r *Race, ctx context.Context) []error {
	t.Helper()
	for _, s := range r.Sessions() {
		go func() {
			for range s.Snapshots() {
			}
		}()
	}
	done := make(chan []error, 1)
	go func() { done <- r.Run(ctx) }()
	select {
	case errs := <-done:
		return errs
	case <-time.After(20 * time.Second):
		t.Fatal("the race did not finish within 20 s")
		return nil
	}
}

func deepConfig(act Activation, init Init) TrainConfig {
	c := smallConfig()
	c.Arch = MNISTArch([]int{24, 24, 24}, []Activation{act, act, act}, CrossEntropy)
	c.Init = init
	c.Epochs = 2
	return c
}

// TestRaceTrainsBothToTheSameStep races sigmoid against ReLU: both end at
// the same step, each exactly as it would have trained alone, and a second
// race from the same seed repeats the first to the bit.
func TestRaceTrainsBothToTheSameStep(t *testing.T) {
	t.Parallel()
	data := fixture()
	sig, relu := deepConfig(Sigmoid, Init{Kind: InitXavier}), deepConfig(ReLU, Init{Kind: InitHe})
	var first [][]float32
	for round := range 2 {
		r, ss := raceOf(t, data, SessionOptions{}, sig, relu)
		for i, err := range runRace(t, r, context.Background()) {
			if err != nil {
				t.Fatalf("lane %d: %v", i, err)
			}
		}
		want := 2 * stepsPerEpoch(data.Train.Len(), sig.Batch)
		var losses [][]float32
		for i, s := range ss {
			snap := s.Latest()
			if snap.Step != want || snap.State != Done || snap.Epoch != 2 {
				t.Errorf("lane %d ended at step %d, epoch %d, %v; want step %d, epoch 2, done", i, snap.Step, snap.Epoch, snap.State, want)
			}
			if err := s.Wait(); err != nil {
				t.Errorf("lane %d: Wait = %v", i, err)
			}
			losses = append(losses, snap.TrainLoss)
		}
		if slices.Equal(losses[0], losses[1]) {
			t.Error("sigmoid and ReLU trained identically")
		}
		if round == 0 {
			first = losses
			continue
		}
		for i := range losses {
			if !slices.Equal(losses[i], first[i]) {
				t.Errorf("lane %d: a second race from the same seed trained differently", i)
			}
		}
	}
	// Raced or alone, a configuration trains the same.
	alone, err := NewSession(relu, data, SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := runSession(t, alone, context.Background()); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(alone.Latest().TrainLoss, first[1]) {
		t.Error("ReLU trained alone differs from ReLU raced")
	}
}

// TestRaceStartsFromTheSameDraws: at the same seed and layer sizes, two
// initialisations give weights that differ by their scale alone.
func TestRaceStartsFromTheSameDraws(t *testing.T) {
	t.Parallel()
	_, ss := raceOf(t, fixture(), SessionOptions{StartPaused: true}, deepConfig(Sigmoid, Init{Kind: InitXavier}), deepConfig(ReLU, Init{Kind: InitHe}))
	a, b := ss[0].Latest().Model, ss[1].Latest().Model
	for l := range a.Layers {
		want := math.Sqrt(2) // He's σ over Xavier's: √(2/n) against √(1/n)
		for k, w := range a.Layers[l].W {
			if w == 0 {
				continue
			}
			if got := float64(b.Layers[l].W[k] / w); math.Abs(got-want) > 1e-5 {
				t.Fatalf("layer %d weight %d: He/Xavier = %g, want %g", l, k, got, want)
			}
		}
	}
}

// waitState waits until every session's latest snapshot is in state st.
func waitState(t *testing.T, ss []*Session, st State) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok := true
		for _, s := range ss {
			ok = ok && s.Latest().State == st
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the sessions did not all become %v", st)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestRacePausesLevel pauses a running race again and again: each time the
// sessions stop at the same step; a step then moves each by one.
func TestRacePausesLevel(t *testing.T) {
	t.Parallel()
	sig, relu := deepConfig(Sigmoid, Init{Kind: InitXavier}), deepConfig(ReLU, Init{Kind: InitHe})
	sig.Epochs, relu.Epochs = 0, 0 // until stopped
	r, ss := raceOf(t, fixture(), SessionOptions{PublishEvery: time.Millisecond}, sig, relu)
	for _, s := range ss {
		go func() {
			for range s.Snapshots() {
			}
		}()
	}
	done := make(chan []error, 1)
	go func() { done <- r.Run(context.Background()) }()
	last := 0
	for range 5 {
		time.Sleep(20 * time.Millisecond)
		r.Pause()
		waitState(t, ss, Paused)
		a, b := ss[0].Latest().Step, ss[1].Latest().Step
		if a != b || a < last {
			t.Fatalf("paused at steps %d and %d (last %d), want equal", a, b, last)
		}
		last = a
		r.Step()
		deadline := time.Now().Add(10 * time.Second)
		for ss[0].Latest().Step != a+1 || ss[1].Latest().Step != a+1 {
			if time.Now().After(deadline) {
				t.Fatalf("after a step: steps %d and %d, want %d", ss[0].Latest().Step, ss[1].Latest().Step, a+1)
			}
			time.Sleep(time.Millisecond)
		}
		r.Resume()
		waitState(t, ss, Running)
	}
	r.Stop()
	var errs []error
	select {
	case errs = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("a stopped race did not end")
	}
	for i, err := range errs {
		if err != nil || ss[i].Latest().State != Done {
			t.Errorf("lane %d after Stop: %v, %v", i, err, ss[i].Latest().State)
		}
	}
}

// TestRaceLevelsByImages races batch 50 against batch 200: paused, they
// have trained on the same number of images, four steps to one; a step
// trains each at least once and levels them again.
func TestRaceLevelsByImages(t *testing.T) {
	t.Parallel()
	small, big := smallConfig(), smallConfig()
	small.Epochs, big.Epochs = 0, 0
	big.Batch = 200
	r, ss := raceOf(t, fixture(), SessionOptions{PublishEvery: time.Millisecond, StartPaused: true}, small, big)
	for _, s := range ss {
		go func() {
			for range s.Snapshots() {
			}
		}()
	}
	done := make(chan []error, 1)
	go func() { done <- r.Run(context.Background()) }()
	r.Step()
	deadline := time.Now().Add(10 * time.Second)
	for ss[0].Latest().Step != 4 || ss[1].Latest().Step != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("after a step: steps %d and %d, want 4 and 1", ss[0].Latest().Step, ss[1].Latest().Step)
		}
		time.Sleep(time.Millisecond)
	}
	r.Resume()
	time.Sleep(30 * time.Millisecond)
	r.Pause()
	waitState(t, ss, Paused)
	if a, b := ss[0].Latest().Step, ss[1].Latest().Step; a != 4*b {
		t.Errorf("paused at steps %d (batch 50) and %d (batch 200), want four to one", a, b)
	}
	r.Stop()
	<-done
}

// TestRaceGoesOnWithoutADivergedSession: a learning rate that blows up
// ends its own session, and the other trains its epochs to the end.
func TestRaceGoesOnWithoutADivergedSession(t *testing.T) {
	t.Parallel()
	good, bad := smallConfig(), smallConfig()
	bad.LR = 100
	bad.Epochs = 20
	r, ss := raceOf(t, fixture(), SessionOptions{}, good, bad)
	start := time.Now()
	errs := runRace(t, r, context.Background())
	wall := time.Since(start)
	if errs[0] != nil || ss[0].Latest().Epoch != good.Epochs {
		t.Errorf("the sane session: %v at epoch %d, want nil at %d", errs[0], ss[0].Latest().Epoch, good.Epochs)
	}
	if !errors.Is(errs[1], ErrDiverged) || !errors.Is(ss[1].Wait(), ErrDiverged) || ss[1].Latest().State != Failed {
		t.Errorf("lr 100: %v, Wait %v, state %v; want divergence", errs[1], ss[1].Wait(), ss[1].Latest().State)
	}
	// Each session's clock counts its own steps: together they took no
	// longer than the race.
	if a, b := ss[0].Latest().Elapsed, ss[1].Latest().Elapsed; a <= 0 || b <= 0 || a+b > wall {
		t.Errorf("training times %v and %v in a race of %v, want both above zero and together no more", a, b, wall)
	}
}

// TestRaceCancel: cancelling the context ends every session with its error.
func TestRaceCancel(t *testing.T) {
	t.Parallel()
	a, b := smallConfig(), smallConfig()
	a.Epochs, b.Epochs = 0, 0
	b.LR = 0.01
	ctx, cancel := context.WithCancel(context.Background())
	r, ss := raceOf(t, fixture(), SessionOptions{}, a, b)
	time.AfterFunc(20*time.Millisecond, cancel)
	for i, err := range runRace(t, r, ctx) {
		if !errors.Is(err, context.Canceled) || !errors.Is(ss[i].Wait(), context.Canceled) {
			t.Errorf("lane %d: %v, want cancelled", i, err)
		}
	}
	// Commands to ended sessions and races are dropped, not blocked on.
	r.Pause()
	ss[0].Pause()
}

func TestNewRaceRefuses(t *testing.T) {
	t.Parallel()
	data := fixture()
	mk := func() *Session {
		s, err := NewSession(smallConfig(), data, SessionOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	one, ran := mk(), mk()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_ = runSession(t, ran, ctx)
	for name, ss := range map[string][]*Session{
		"one session":       {one},
		"the same twice":    {one, one},
		"one that has run":  {mk(), ran},
		"a missing session": {mk(), nil},
	} {
		if _, err := NewRace(ss...); err == nil {
			t.Errorf("%s: NewRace accepted it", name)
		}
	}
	a, b := mk(), mk()
	if _, err := NewRace(a, b); err != nil {
		t.Fatal(err)
	}
	if _, err := NewRace(a, mk()); err == nil {
		t.Error("a session already in a race was accepted in another")
	}
	if err := a.Run(context.Background()); err == nil || !contains(err.Error(), "Race.Run") {
		t.Errorf("Run on a raced session: %v", err)
	}
}

// BenchmarkRace trains two 784-100-10 networks for an epoch of 6,000
// images each: one after the other alone, and raced in turn. The ratio is
// what taking turns costs.
func BenchmarkRace(b *testing.B) {
	data := &MNIST{Train: blobs(1, 6000), Test: blobs(2, 500)}
	cfg := DefaultConfig()
	cfg.Epochs = 1
	other := cfg
	other.Arch.Acts = []Activation{Sigmoid}
	drain := func(s *Session) {
		go func() {
			for range s.Snapshots() {
			}
		}()
	}
	b.Run("alone", func(b *testing.B) {
		for b.Loop() {
			for _, c := range []TrainConfig{cfg, other} {
				s, err := NewSession(c, data, SessionOptions{})
				if err != nil {
					b.Fatal(err)
				}
				drain(s)
				if err := s.Run(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("raced", func(b *testing.B) {
		for b.Loop() {
			var ss []*Session
			for _, c := range []TrainConfig{cfg, other} {
				s, err := NewSession(c, data, SessionOptions{})
				if err != nil {
					b.Fatal(err)
				}
				drain(s)
				ss = append(ss, s)
			}
			r, err := NewRace(ss...)
			if err != nil {
				b.Fatal(err)
			}
			for _, err := range r.Run(context.Background()) {
				if err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
