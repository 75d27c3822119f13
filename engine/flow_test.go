package engine

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestCountSaturatedIsSaturated(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(8, 8))
	// Values spread over each activation's range, with its edge cases.
	v := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 0.01, 0.99, 0.0101, 0.9899, 0.98, 0.9798, -0.98, 0.5, 1e-30}
	for range 5000 {
		v = append(v, rng.Float32(), 2*rng.Float32()-1, float32(rng.NormFloat64()), float32(math.Max(rng.NormFloat64(), 0)))
	}
	for _, act := range Activations {
		want := 0
		for _, x := range v {
			if saturated(act, x) {
				want++
			}
		}
		if got := countSaturated(act, v); got != want {
			t.Errorf("%v: countSaturated = %d, saturated holds for %d", act, got, want)
		}
	}
}

func TestActivationHistogram(t *testing.T) {
	t.Parallel()
	tests := []struct {
		act      Activation
		output   bool
		v        []float32
		lo, hi   float64
		first    int // counts in the first and last bins
		last     int
		counted  int
		describe string
	}{
		{Sigmoid, false, []float32{0.001, 0.002, 0.999, 0.5, 1}, 0, 1, 2, 2, 5, "piles at 0 and 1"},
		{ReLU, false, []float32{0, 0, 0, 0.5, 2}, 0, 2, 3, 1, 5, "spike at 0, up to the largest"},
		{ReLU, false, []float32{0, 0}, 0, 1, 2, 0, 2, "all off"},
		{Tanh, false, []float32{-1, -0.999, 0, 1, float32(math.NaN())}, -1, 1, 2, 1, 4, "NaN left out"},
		{Identity, true, []float32{0.2, 0.8, 0.1}, 0, 1, 0, 0, 3, "softmax probabilities"},
		{Identity, false, []float32{-3, 5}, -3, 5, 1, 1, 2, "its own range"},
	}
	for _, tt := range tests {
		h := activationHistogram(tt.act, tt.output, tt.v)
		sum := 0
		for _, c := range h.Counts {
			sum += c
		}
		if h.Min != tt.lo || h.Max != tt.hi || sum != tt.counted || h.Counts[0] != tt.first || h.Counts[len(h.Counts)-1] != tt.last {
			t.Errorf("%v (%s): range %g..%g, %d counted, first %d, last %d; want %g..%g, %d, %d, %d",
				tt.act, tt.describe, h.Min, h.Max, sum, h.Counts[0], h.Counts[len(h.Counts)-1], tt.lo, tt.hi, tt.counted, tt.first, tt.last)
		}
	}
}

// TestActivationHistogramCountsEveryOutput compares the binning of a large
// batch with a plain count, one output at a time.
func TestActivationHistogramCountsEveryOutput(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(6, 6))
	for _, act := range []Activation{Sigmoid, Tanh, ReLU} {
		a := make([]float32, 1003)
		for i := range a {
			a[i] = float32(rng.NormFloat64())
		}
		activate(act, a)
		h := activationHistogram(act, false, a)
		want := make([]int, activationBins)
		for _, v := range a {
			b := int((float64(v) - h.Min) / (h.Max - h.Min) * activationBins)
			want[min(max(b, 0), activationBins-1)]++
		}
		if !slices.Equal(h.Counts, want) {
			t.Errorf("%v: counts %v, want %v", act, h.Counts, want)
		}
	}
}

// TestSessionRecordsGradientFlow trains two epochs and checks the
// histories against the snapshot's per-step figures, the planned schedule
// and the epoch measurements.
func TestSessionRecordsGradientFlow(t *testing.T) {
	t.Parallel()
	cfg := smallConfig()
	cfg.Arch = MNISTArch([]int{24, 16}, []Activation{Sigmoid, ReLU}, CrossEntropy)
	cfg.Schedule = Schedule{Kind: StepDecay, Factor: 0.5, Every: 1}
	cfg.Epochs = 2
	data := fixture()
	s, err := NewSession(cfg, data, SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := runSession(t, s, context.Background()); err != nil {
		t.Fatal(err)
	}
	snap := s.Latest()
	per := stepsPerEpoch(data.Train.Len(), cfg.Batch)
	if snap.Step != 2*per {
		t.Fatalf("%d steps, want %d", snap.Step, 2*per)
	}
	for i, st := range snap.Layers {
		for _, h := range []History{st.GradNormHistory, st.SaturatedHistory} {
			// Measured at the first step, every flowEvery steps and at
			// each epoch's last.
			if h.Len() < snap.Step/flowEvery || h.Span != flowEvery || h.Steps[0] != 1 || h.Len() != len(h.Values) {
				t.Fatalf("layer %d: %d points of span %d from step %d, want one every %d steps from step 1", i+1, h.Len(), h.Span, h.Steps[0], flowEvery)
			}
			for k := 1; k < h.Len(); k++ {
				if gap := h.Steps[k] - h.Steps[k-1]; gap < 1 || gap > flowEvery {
					t.Fatalf("layer %d: measured at steps %d and %d", i+1, h.Steps[k-1], h.Steps[k])
				}
			}
			for e := 1; e <= snap.Epoch; e++ {
				if !slices.Contains(h.Steps, e*per) {
					t.Errorf("layer %d: epoch %d's last step, %d, was not measured: %v", i+1, e, e*per, h.Steps)
				}
			}
		}
		if _, g, _ := st.GradNormHistory.Last(); g != st.GradNorm || !(g > 0) {
			t.Errorf("layer %d: the history's latest gradient norm %g, the snapshot's %g", i+1, g, st.GradNorm)
		}
		if _, f, _ := st.SaturatedHistory.Last(); f != st.Saturated {
			t.Errorf("layer %d: the history's latest saturated share %g, the snapshot's %g", i+1, f, st.Saturated)
		}
		sum := 0
		for _, c := range st.Activations.Counts {
			sum += c
		}
		if want := cfg.Batch * st.Out; sum != want {
			t.Errorf("layer %d: the activation histogram counts %d outputs, want %d", i+1, sum, want)
		}
	}
	if st := snap.Layers[0]; st.Activations.Min != 0 || st.Activations.Max != 1 {
		t.Errorf("the sigmoid layer's activations are binned over %g..%g, want 0..1", st.Activations.Min, st.Activations.Max)
	}

	plan := PlannedLR(cfg, data.Train.Len(), snap.Step)
	if plan.Len() != snap.LRHistory.Len() {
		t.Fatalf("%d planned rates, %d recorded", plan.Len(), snap.LRHistory.Len())
	}
	for i := range plan.Steps {
		if plan.Steps[i] != snap.LRHistory.Steps[i] || plan.Values[i] != snap.LRHistory.Values[i] {
			t.Fatalf("step %d: planned %g, in force %g at step %d", plan.Steps[i], plan.Values[i], snap.LRHistory.Values[i], snap.LRHistory.Steps[i])
		}
	}
	if len(snap.LRChanges) != 0 {
		t.Errorf("%d changes by hand recorded, none were made", len(snap.LRChanges))
	}

	for e, m := range snap.Tests {
		if want := snap.LRHistory.Values[m.Step-1]; m.LR != want || m.LR != 0.1*math.Pow(0.5, float64(e)) {
			t.Errorf("epoch %d: LR %g, the last step's %g", e+1, m.LR, want)
		}
		if len(m.Layers) != len(snap.Layers) {
			t.Fatalf("epoch %d: %d layers' means, want %d", e+1, len(m.Layers), len(snap.Layers))
		}
		for i, lm := range m.Layers {
			var g, f float64
			n := 0
			gh, sh := snap.Layers[i].GradNormHistory, snap.Layers[i].SaturatedHistory
			for k, step := range gh.Steps {
				if step > m.Step-per && step <= m.Step {
					g += gh.Values[k]
					f += sh.Values[k]
					n++
				}
			}
			g, f = g/float64(n), f/float64(n)
			if math.Abs(lm.GradNorm-g) > 1e-12*g || math.Abs(lm.Saturated-f) > 1e-12 {
				t.Errorf("epoch %d layer %d: means %g, %g; the histories give %g, %g", e+1, i+1, lm.GradNorm, lm.Saturated, g, f)
			}
		}
		total, right := 0, 0
		for l, row := range m.Confusion {
			for p, c := range row {
				total += c
				if l == p {
					right += c
				}
			}
		}
		if total != data.Test.Len() || float64(right)/float64(total) != m.Accuracy {
			t.Errorf("epoch %d: the confusion matrix counts %d images, %d right; accuracy %g", e+1, total, right, m.Accuracy)
		}
		if e == len(snap.Tests)-1 && len(snap.Misclassified) != total-right {
			t.Errorf("%d misclassified images listed, the confusion matrix has %d", len(snap.Misclassified), total-right)
		}
	}
}

// TestSessionRecordsHandChanges changes the learning rate while paused:
// several changes before one step are one, and the step after trains at it.
func TestSessionRecordsHandChanges(t *testing.T) {
	t.Parallel()
	cfg := smallConfig()
	s, err := NewSession(cfg, fixture(), SessionOptions{StartPaused: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	s.Step()
	next(t, s, func(p *Snapshot) bool { return p.Step == 1 })
	for _, lr := range []float64{0.05, 0.03, 0.02} {
		if err := s.SetLearningRate(lr); err != nil {
			t.Fatal(err)
		}
		next(t, s, func(p *Snapshot) bool { return p.BaseLR == lr })
	}
	s.Step()
	s.Step()
	snap := next(t, s, func(p *Snapshot) bool { return p.Step == 3 })
	if err := s.SetLearningRate(0.07); err != nil {
		t.Fatal(err)
	}
	s.Step()
	snap = next(t, s, func(p *Snapshot) bool { return p.Step == 4 })
	want := []LRChange{{Step: 1, BaseLR: 0.02, LR: 0.02}, {Step: 3, BaseLR: 0.07, LR: 0.07}}
	if len(snap.LRChanges) != len(want) || snap.LRChanges[0] != want[0] || snap.LRChanges[1] != want[1] {
		t.Fatalf("changes %+v, want %+v", snap.LRChanges, want)
	}
	if got := snap.LRHistory.Values; len(got) != 4 || got[0] != 0.1 || got[1] != 0.02 || got[2] != 0.02 || got[3] != 0.07 {
		t.Errorf("rates in force %v, want [0.1 0.02 0.02 0.07]", got)
	}
	cancel()
	<-done
}

func TestSessionContinueCarriesFlow(t *testing.T) {
	t.Parallel()
	cfg := smallConfig()
	cfg.Epochs = 1
	data := fixture()
	first, err := NewSession(cfg, data, SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := runSession(t, first, context.Background()); err != nil {
		t.Fatal(err)
	}
	done := first.Latest()
	cfg.LR = 0.05
	second, err := NewSession(cfg, data, SessionOptions{Continue: done})
	if err != nil {
		t.Fatal(err)
	}
	if err := runSession(t, second, context.Background()); err != nil {
		t.Fatal(err)
	}
	snap := second.Latest()
	per := stepsPerEpoch(data.Train.Len(), cfg.Batch)
	before := done.Layers[0].GradNormHistory
	after := snap.Layers[0].GradNormHistory
	n := before.Len()
	if after.Len() != 2*n || !slices.Equal(after.Values[:n], before.Values) || after.Steps[n-1] != per || after.Steps[n] != per+1 {
		t.Fatalf("the continued history has %d points, want the first run's %d and as many more, from step %d", after.Len(), n, per+1)
	}
	if want := (LRChange{Step: per, BaseLR: 0.05, LR: 0.05}); len(snap.LRChanges) != 1 || snap.LRChanges[0] != want {
		t.Errorf("changes %+v, want the continuation at the new rate, %+v", snap.LRChanges, want)
	}
	if v := snap.LRHistory.Values; v[per-1] != 0.1 || v[per] != 0.05 {
		t.Errorf("rates %g then %g either side of the continuation, want 0.1 then 0.05", v[per-1], v[per])
	}
}

func TestPlannedLR(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	cfg.Epochs = 3
	cfg.Schedule = Schedule{Kind: StepDecay, Factor: 0.1, Every: 1}
	h := PlannedLR(cfg, 60000, 100)
	if h.Steps[0] != 1 || h.Steps[h.Len()-1] != 1800 || h.Len() > 100+2*3 {
		t.Fatalf("%d points over steps %d..%d, want about 100 over 1..1800", h.Len(), h.Steps[0], h.Steps[h.Len()-1])
	}
	at := func(step int) float64 {
		for i, s := range h.Steps {
			if s == step {
				return h.Values[i]
			}
		}
		t.Fatalf("step %d is not in the preview", step)
		return 0
	}
	// The gear shifts exactly at the epoch boundaries.
	if at(600) != 0.1 || math.Abs(at(601)-0.01) > 1e-15 || math.Abs(at(1201)-0.001) > 1e-15 {
		t.Errorf("rates at steps 600, 601, 1201: %g, %g, %g; want 0.1, 0.01, 0.001", at(600), at(601), at(1201))
	}

	cfg.Schedule = Schedule{Kind: Cosine}
	h = PlannedLR(cfg, 60000, 50)
	if h.Values[0] != 0.1 || !(h.Values[h.Len()-1] < 1e-6) {
		t.Errorf("cosine from %g to %g, want from 0.1 to about 0", h.Values[0], h.Values[h.Len()-1])
	}
	for i := 1; i < h.Len(); i++ {
		if h.Values[i] > h.Values[i-1] {
			t.Fatalf("the cosine rises at step %d", h.Steps[i])
		}
	}

	cfg.Epochs = 0
	cfg.Schedule = Schedule{Kind: Constant}
	if h := PlannedLR(cfg, 60000, 10); h.Steps[h.Len()-1] != 6000 || h.Values[0] != 0.1 {
		t.Errorf("until stopped: a preview to step %d, want ten epochs, 6000", h.Steps[h.Len()-1])
	}
}

// flowNets are the networks the flow benchmarks train: the default one,
// where recording costs the most next to a step, and the deep one of the
// vanishing-gradient lesson.
var flowNets = []struct {
	name   string
	hidden []int
	act    Activation
}{
	{"784-100-10", []int{100}, ReLU},
	{"784-100x5-10", []int{100, 100, 100, 100, 100}, Sigmoid},
}

// benchFlowNet makes a trainer for a network of flowNets after one step at
// batch 100.
func benchFlowNet(b *testing.B, hidden []int, act Activation) (*trainer, *Dataset, []int) {
	acts := make([]Activation, len(hidden))
	for i := range acts {
		acts[i] = act
	}
	rng := rand.New(rand.NewPCG(1, 1))
	m, err := NewModel(MNISTArch(hidden, acts, CrossEntropy), Init{Kind: InitXavier}, rng)
	if err != nil {
		b.Fatal(err)
	}
	ds := randomDataset(rng, 1000, 28, 28)
	ds.sparseView()
	tr := newTrainer(m, Optimizer{Kind: SGD}, 100, 0)
	idx := epochOrder(rng, ds.Len())[:100]
	tr.step(ds, idx, 0.1)
	return tr, ds, idx
}

// BenchmarkFlowStep is one training step at batch 100, and
// BenchmarkFlowMeasure one measurement of its gradient flow, which the
// session makes every flowEvery steps: compare the two from one run.
func BenchmarkFlowStep(b *testing.B) {
	for _, n := range flowNets {
		b.Run(n.name, func(b *testing.B) {
			tr, ds, idx := benchFlowNet(b, n.hidden, n.act)
			for b.Loop() {
				tr.step(ds, idx, 0.1)
			}
		})
	}
}

func BenchmarkFlowMeasure(b *testing.B) {
	for _, n := range flowNets {
		b.Run(n.name, func(b *testing.B) {
			tr, _, _ := benchFlowNet(b, n.hidden, n.act)
			f := newFlowRecorder(len(tr.m.Layers))
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				f.measure(i, tr)
			}
		})
	}
}

// BenchmarkSnapshot is the cost of one snapshot of a session of
// 784-100-100-100-100-100-10 whose histories are full, as the session
// publishes about ten a second.
// The histories are shared, not copied: a snapshot after 10^5 steps costs
// what one after the first step does.
func BenchmarkSnapshot(b *testing.B) {
	for _, steps := range []int{1, 100_000} {
		b.Run(fmt.Sprintf("after-%d-steps", steps), func(b *testing.B) {
			deep := flowNets[1]
			tr, _, _ := benchFlowNet(b, deep.hidden, deep.act)
			s := &Session{cfg: DefaultConfig(), data: &MNIST{Train: randomDataset(rand.New(rand.NewPCG(2, 2)), 100, 28, 28)},
				model: tr.m, tr: tr, flow: newFlowRecorder(len(tr.m.Layers))}
			for i := 1; i <= steps; i++ {
				s.flow.record(i, 0.1, tr, false)
			}
			b.ReportAllocs()
			for b.Loop() {
				s.snapshot()
			}
		})
	}
}

// TestSnapshotHistoriesStayPut reads every snapshot's histories while the
// session goes on training (the race detector watches) and checks, once it
// has finished, that none of them changed: past the 1,024 steps at which the
// learning-rate history first merges its points.
func TestSnapshotHistoriesStayPut(t *testing.T) {
	t.Parallel()
	cfg := smallConfig()
	cfg.Batch = 10
	cfg.Epochs = 9 // 1,080 steps
	s, err := NewSession(cfg, fixture(), SessionOptions{PublishEvery: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	type kept struct {
		snap     *Snapshot
		lr, grad []float64
		lrSteps  []int
	}
	var seen []kept
	done := make(chan error, 1)
	go func() { done <- s.Run(context.Background()) }()
	for snap := range s.Snapshots() {
		seen = append(seen, kept{snap: snap, lr: slices.Clone(snap.LRHistory.Values), lrSteps: slices.Clone(snap.LRHistory.Steps),
			grad: slices.Clone(snap.Layers[0].GradNormHistory.Values)})
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the session did not finish within 10 s")
	}
	if last := s.Latest(); last.LRHistory.Span < 2 {
		t.Fatalf("the learning-rate history never merged (span %d after %d steps)", last.LRHistory.Span, last.Step)
	}
	for _, k := range seen {
		if !slices.Equal(k.snap.LRHistory.Values, k.lr) || !slices.Equal(k.snap.LRHistory.Steps, k.lrSteps) ||
			!slices.Equal(k.snap.Layers[0].GradNormHistory.Values, k.grad) {
			t.Fatalf("the histories of the snapshot at step %d changed after it was published", k.snap.Step)
		}
	}
}
