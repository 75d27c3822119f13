package engine

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// explainModel is a random MNIST-shaped network with non-zero biases, so that
// every layer's units sit at different points of their activations.
func explainModel(t testing.TB, hidden []int, acts []Activation, init Init, seed uint64) *Model {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 11))
	m, err := NewModel(MNISTArch(hidden, acts, CrossEntropy), init, rng)
	if err != nil {
		t.Fatal(err)
	}
	for li := range m.Layers {
		for k := range m.Layers[li].B {
			m.Layers[li].B[k] = float32(rng.NormFloat64() * 0.2)
		}
	}
	return m
}

// digitLike is an input with MNIST's look: mostly zeros, some ink.
func digitLike(seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 5))
	x := make([]float32, InputSize)
	for i := range x {
		if rng.IntN(4) == 0 {
			x[i] = rng.Float32()
		}
	}
	return x
}

// layers64 is the network in float64, written out plainly as the test's
// own reference: it returns each layer's pre-activations and the output
// scores.
func layers64(m *Model, x []float64) (pre [][]float64, scores []float64) {
	prev := x
	for li, l := range m.Layers {
		z := make([]float64, l.Out)
		for j := range l.Out {
			s := float64(l.B[j])
			for i := range l.In {
				s += prev[i] * float64(l.W[i*l.Out+j])
			}
			z[j] = s
		}
		pre = append(pre, z)
		if li == len(m.Layers)-1 {
			return pre, z
		}
		a := make([]float64, l.Out)
		for j, v := range z {
			switch l.Act {
			case Sigmoid:
				a[j] = 1 / (1 + math.Exp(-v))
			case Tanh:
				a[j] = math.Tanh(v)
			case ReLU:
				a[j] = math.Max(v, 0)
			case Identity:
				a[j] = v
			case Step:
				if v > 0 {
					a[j] = 1
				}
			}
		}
		prev = a
	}
	panic("unreachable")
}

// TestSaliencyMatchesFiniteDifferences compares the saliency map with a
// central difference, in float64, of the winning score with respect to each
// input pixel.
func TestSaliencyMatchesFiniteDifferences(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		hidden []int
		acts   []Activation
		init   Init
	}{
		{"sigmoid-tanh", []int{30, 20}, []Activation{Sigmoid, Tanh}, Init{Kind: InitXavier}},
		{"relu", []int{40, 25}, []Activation{ReLU, ReLU}, Init{Kind: InitHe}},
		{"no-hidden", nil, nil, Init{Kind: InitXavier}},
	}
	const h = 1e-5
	for ci, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			m := explainModel(t, c.hidden, c.acts, c.init, uint64(ci)+1)
			x := digitLike(uint64(ci) + 3)
			e := m.Explain(x, 1)
			x64 := make([]float64, len(x))
			for i, v := range x {
				x64[i] = float64(v)
			}
			pre0, scores := layers64(m, x64)
			for i, s := range scores {
				if math.Abs(float64(e.Scores[i])-s) > 1e-4*(1+math.Abs(s)) {
					t.Fatalf("score %d = %g, the float64 reference gives %g", i, e.Scores[i], s)
				}
			}
			var scale float64
			for _, g := range e.Saliency {
				scale = max(scale, math.Abs(float64(g)))
			}
			if scale == 0 {
				t.Fatal("the saliency map is all zeros")
			}
			checked, kinks := 0, 0
			for i := range x64 {
				old := x64[i]
				x64[i] = old + h
				preUp, up := layers64(m, x64)
				x64[i] = old - h
				preDown, down := layers64(m, x64)
				x64[i] = old
				if crossesZero(preUp, preDown) || crossesZero(pre0, preUp) {
					kinks++ // a ReLU switched: no derivative there
					continue
				}
				num := (up[e.Digit] - down[e.Digit]) / (2 * h)
				if got := float64(e.Saliency[i]); math.Abs(got-num) > 1e-4*scale+1e-3*math.Abs(num) {
					t.Errorf("pixel %d: saliency %.7g, central difference %.7g", i, got, num)
				}
				checked++
			}
			if kinks > checked/20 {
				t.Fatalf("%d pixels checked, %d skipped at kinks: too few to prove anything", checked, kinks)
			}
		})
	}
}

// crossesZero reports whether any hidden pre-activation has another sign in
// a than in b.
func crossesZero(a, b [][]float64) bool {
	for li := range a[:len(a)-1] {
		for j := range a[li] {
			if (a[li][j] > 0) != (b[li][j] > 0) {
				return true
			}
		}
	}
	return false
}

func TestExplainLayersAndSoftmax(t *testing.T) {
	t.Parallel()
	m := explainModel(t, []int{50, 20}, []Activation{Sigmoid, ReLU}, Init{Kind: InitXavier}, 9)
	x := digitLike(9)
	e := m.Explain(x, 1)
	if len(e.Hidden) != 2 || len(e.Hidden[0]) != 50 || len(e.Hidden[1]) != 20 {
		t.Fatalf("hidden layers of %d values, want 50 and 20", lens(e.Hidden))
	}
	for _, v := range e.Hidden[0] {
		if !(v > 0 && v < 1) {
			t.Fatalf("a sigmoid output %g is outside (0, 1)", v)
		}
	}
	if !slices.Equal(e.Probabilities, m.Predict(x)) {
		t.Errorf("probabilities %v, Predict gives %v", e.Probabilities, m.Predict(x))
	}
	if e.Digit != Argmax(e.Probabilities) {
		t.Errorf("digit %d, the most probable is %d", e.Digit, Argmax(e.Probabilities))
	}
	if !slices.Equal(e.Input, x) || &e.Input[0] == &x[0] {
		t.Error("Input is not a copy of the input")
	}
	// Moderate scores: the naive softmax agrees with the stable one.
	for i, p := range e.NaiveProbabilities {
		if math.Abs(float64(p-e.Probabilities[i])) > 1e-6 {
			t.Errorf("class %d: naive %g, stable %g", i, p, e.Probabilities[i])
		}
	}
	if e.ShiftedExp[e.Digit] != 1 {
		t.Errorf("the winner's shifted exponential is %g, want 1", e.ShiftedExp[e.Digit])
	}
}

// TestExplainNaiveSoftmaxOverflows scales the scores until e^score leaves
// float32's range: the naive softmax gives +Inf and NaN, the stable one the
// softmax of the scaled scores.
func TestExplainNaiveSoftmaxOverflows(t *testing.T) {
	t.Parallel()
	m := explainModel(t, []int{20}, []Activation{ReLU}, Init{Kind: InitHe}, 4)
	x := digitLike(4)
	plain := m.Explain(x, 1)
	top := float64(plain.Scores[plain.Digit])
	if top <= 1 {
		t.Fatalf("the top score %g is too small to scale past e^88", top)
	}
	scale := math.Ceil(100 / top)
	e := m.Explain(x, scale)
	if e.Digit != plain.Digit {
		t.Errorf("scaling the scores changed the winner from %d to %d", plain.Digit, e.Digit)
	}
	if !math.IsInf(float64(e.Exp[e.Digit]), 1) {
		t.Errorf("e^%g = %g, want +Inf in float32", e.Scores[e.Digit], e.Exp[e.Digit])
	}
	if p := e.NaiveProbabilities[e.Digit]; !math.IsNaN(float64(p)) {
		t.Errorf("the naive probability of the winner is %g, want NaN (∞/∞)", p)
	}
	var sum float64
	for i, p := range e.Probabilities {
		want := math.Exp(float64(e.Scores[i])-float64(e.Scores[e.Digit])) / sumShifted(e.Scores, e.Digit)
		if math.IsNaN(float64(p)) || math.Abs(float64(p)-want) > 1e-6 {
			t.Errorf("stable probability %d = %g, want %g", i, p, want)
		}
		sum += float64(p)
	}
	if math.Abs(sum-1) > 1e-5 {
		t.Errorf("stable probabilities sum to %g", sum)
	}
	if !slices.Equal(e.Saliency, plain.Saliency) {
		t.Error("the saliency map depends on the scale: it is of the unscaled score")
	}
}

func sumShifted(s []float32, top int) float64 {
	var sum float64
	for _, v := range s {
		sum += math.Exp(float64(v) - float64(s[top]))
	}
	return sum
}

// TestExplainLeavesTheModelAlone calls Explain from several goroutines at
// once (the race detector watches) and checks the model did not change.
func TestExplainLeavesTheModelAlone(t *testing.T) {
	t.Parallel()
	m := explainModel(t, []int{30}, []Activation{Tanh}, Init{Kind: InitXavier}, 2)
	before := m.Clone()
	want := m.Explain(digitLike(1), 1)
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for range 4 {
		wg.Go(func() {
			for range 5 {
				if got := m.Explain(digitLike(1), 1); !slices.Equal(got.Saliency, want.Saliency) {
					errs <- "a concurrent Explain gave another saliency map"
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	for i, l := range m.Layers {
		if !slices.Equal(l.W, before.Layers[i].W) || !slices.Equal(l.B, before.Layers[i].B) {
			t.Fatalf("Explain changed layer %d", i+1)
		}
	}
}

// TestExplainerReusesNothingItReturns explains two inputs with one
// Explainer and checks that the first explanation is still what a fresh one
// gives.
func TestExplainerReusesNothingItReturns(t *testing.T) {
	t.Parallel()
	m := explainModel(t, []int{30, 12}, []Activation{ReLU, Sigmoid}, Init{Kind: InitHe}, 6)
	ex := NewExplainer(m)
	first := ex.Explain(digitLike(1), 1)
	second := ex.Explain(digitLike(2), 3)
	for i, e := range []Explanation{first, second} {
		want := m.Explain(digitLike(uint64(i+1)), float64(1+2*i))
		if !slices.Equal(e.Saliency, want.Saliency) || !slices.Equal(e.Scores, want.Scores) ||
			!slices.Equal(e.Hidden[0], want.Hidden[0]) || !slices.Equal(e.Hidden[1], want.Hidden[1]) {
			t.Errorf("explanation %d of a reused Explainer differs from a fresh one's", i+1)
		}
	}
}

func lens(v [][]float32) []int {
	var n []int
	for _, x := range v {
		n = append(n, len(x))
	}
	return n
}

// BenchmarkExplain is one image forward and back through
// 784-100-100-100-100-100-10, what the window computes for a stroke: with a
// new workspace each time, and with an Explainer's.
func BenchmarkExplain(b *testing.B) {
	hidden := []int{100, 100, 100, 100, 100}
	acts := []Activation{Sigmoid, Sigmoid, Sigmoid, Sigmoid, Sigmoid}
	m := explainModel(b, hidden, acts, Init{Kind: InitXavier}, 1)
	x := digitLike(1)
	b.Run("model", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m.Explain(x, 1)
		}
	})
	b.Run("explainer", func(b *testing.B) {
		ex := NewExplainer(m)
		b.ReportAllocs()
		for b.Loop() {
			ex.Explain(x, 1)
		}
	})
}
