package engine

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// gradCase is a small network whose analytic gradients are compared with
// central differences of its loss.
type gradCase struct {
	name   string
	hidden []int
	acts   []Activation
	loss   Loss
	decay  float64
	// in and batch default to 6 inputs and 3 images.
	in, batch int
}

func gradCases() []gradCase {
	var cs []gradCase
	for _, act := range Activations {
		for _, loss := range []Loss{CrossEntropy, MeanSquared} {
			cs = append(cs, gradCase{name: fmt.Sprintf("%s-%s", act, loss), hidden: []int{7}, acts: []Activation{act}, loss: loss})
		}
	}
	cs = append(cs,
		gradCase{name: "no-hidden-ce", loss: CrossEntropy},
		gradCase{name: "no-hidden-mse", loss: MeanSquared},
		gradCase{name: "three-layers-sigmoid-relu", hidden: []int{8, 6}, acts: []Activation{Sigmoid, ReLU}, loss: CrossEntropy},
		gradCase{name: "three-layers-tanh-identity-mse", hidden: []int{8, 6}, acts: []Activation{Tanh, Identity}, loss: MeanSquared},
		gradCase{name: "weight-decay", hidden: []int{5}, acts: []Activation{Tanh}, loss: CrossEntropy, decay: 0.05},
		// Wide enough for the packed matrix product in every product but
		// those of the 4 outputs.
		gradCase{name: "wide-tanh-relu-packed", in: 20, batch: 16, hidden: []int{24, 18}, acts: []Activation{Tanh, ReLU}, loss: CrossEntropy},
	)
	return cs
}

// meanLoss is the loss that backward differentiates: the mean over the batch
// plus decay/2·ΣW².
func meanLoss(m *Model, x []float32, labels []uint8, decay float64) float64 {
	ws := newWorkspace(m, len(labels), false)
	l := forward(m, ws, denseInput(x, len(labels)), labels, false) / float64(len(labels))
	for _, layer := range m.Layers {
		for _, w := range layer.W {
			l += decay / 2 * float64(w) * float64(w)
		}
	}
	return l
}

func TestGradientsMatchCentralDifferences(t *testing.T) {
	t.Parallel()
	const (
		out = 4
		h   = 1e-2
	)
	for ci, c := range gradCases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			in, n := cmp.Or(c.in, 6), cmp.Or(c.batch, 3)
			if c.in != 0 && !usePacked(n, c.hidden[1], c.hidden[0]) {
				t.Fatalf("a batch of %d through %d-%d is too small for the packed product: make it bigger", n, c.hidden[0], c.hidden[1])
			}
			rng := rand.New(rand.NewPCG(uint64(ci)+1, 7))
			a := Architecture{Inputs: in, Hidden: c.hidden, Acts: c.acts, Outputs: out, Loss: c.loss}
			m, err := NewModel(a, Init{Kind: InitNormal, Sigma: 0.8}, rng)
			if err != nil {
				t.Fatal(err)
			}
			for li := range m.Layers {
				for k := range m.Layers[li].B {
					m.Layers[li].B[k] = float32(rng.NormFloat64() * 0.3)
				}
			}
			x := make([]float32, n*in)
			for i := range x {
				x[i] = rng.Float32()
			}
			labels := make([]uint8, n)
			for r := range labels {
				labels[r] = []uint8{0, 3, 1}[r%3]
			}
			ws := newWorkspace(m, n, true)
			batch := denseInput(x, n)
			forward(m, ws, batch, labels, true)
			backward(m, ws, batch, float32(c.decay))

			checked, kinks := 0, 0
			for li, l := range m.Layers {
				for _, p := range []struct {
					name string
					v    []float32
					g    []float32
				}{{"W", l.W, ws.gw[li]}, {"b", l.B, ws.gb[li]}} {
					for k := range p.v {
						old := p.v[k]
						p.v[k] = old + h
						up := meanLoss(m, x, labels, c.decay)
						p.v[k] = old - h
						down := meanLoss(m, x, labels, c.decay)
						p.v[k] = old
						num := (up - down) / (2 * h)
						got := float64(p.g[k])
						if math.Abs(got-num) <= 2e-3+2e-2*math.Abs(num) {
							checked++
							continue
						}
						// ReLU and step have kinks: a difference that
						// straddles one is no derivative at all.
						if hasKink(c.acts) && crossesKink(m, x, n, li, p.name, k, h) {
							kinks++
							continue
						}
						t.Errorf("layer %d %s[%d]: analytic %.6g, numerical %.6g", li+1, p.name, k, got, num)
					}
				}
			}
			if checked == 0 || kinks > checked/10 {
				t.Fatalf("checked %d parameters, %d skipped at kinks: the check proves nothing", checked, kinks)
			}
		})
	}
}

func hasKink(acts []Activation) bool {
	for _, a := range acts {
		if a == ReLU || a == Step {
			return true
		}
	}
	return false
}

// crossesKink reports whether moving parameter k of layer li by ±h moves
// some hidden pre-activation across zero.
func crossesKink(m *Model, x []float32, n, li int, name string, k int, h float32) bool {
	pre := func() [][]float32 {
		c := m.Clone()
		for i := range c.Layers {
			c.Layers[i].Act = Identity
		}
		var zs [][]float32
		prev := x
		for i, l := range m.Layers {
			z := make([]float32, n*l.Out)
			for r := range n {
				for j := range l.Out {
					s := l.B[j]
					for q := range l.In {
						s += prev[r*l.In+q] * l.W[q*l.Out+j]
					}
					z[r*l.Out+j] = s
				}
			}
			zs = append(zs, z)
			a := append([]float32(nil), z...)
			if i < len(m.Layers)-1 {
				activate(l.Act, a)
			}
			prev = a
		}
		return zs
	}
	v := m.Layers[li].W
	if name == "b" {
		v = m.Layers[li].B
	}
	old := v[k]
	v[k] = old + h
	up := pre()
	v[k] = old - h
	down := pre()
	v[k] = old
	for i := range up[:len(up)-1] {
		for j := range up[i] {
			if (up[i][j] > 0) != (down[i][j] > 0) {
				return true
			}
		}
	}
	return false
}

// TestSparseInputMatchesDense checks that reading a batch through the
// dataset's sparse form gives the same outputs and gradients as dense rows.
func TestSparseInputMatchesDense(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 3))
	ds := randomDataset(rng, 64, 28, 28)
	m, err := NewModel(MNISTArch([]int{33}, []Activation{Tanh}, CrossEntropy), Init{Kind: InitXavier}, rng)
	if err != nil {
		t.Fatal(err)
	}
	idx := []int{5, 0, 63, 17, 17, 40, 2}
	labels := make([]uint8, len(idx))
	x := make([]float32, len(idx)*ds.Size())
	for r, i := range idx {
		labels[r] = ds.Labels[i]
		for j, p := range ds.Image(i) {
			x[r*ds.Size()+j] = float32(p) / 255
		}
	}
	sparse, dense := newWorkspace(m, len(idx), true), newWorkspace(m, len(idx), true)
	ls := forward(m, sparse, datasetInput(ds, idx), labels, true)
	backward(m, sparse, datasetInput(ds, idx), 0)
	ld := forward(m, dense, denseInput(x, len(idx)), labels, true)
	backward(m, dense, denseInput(x, len(idx)), 0)
	if math.Abs(ls-ld) > 1e-4*math.Abs(ld) {
		t.Errorf("loss: sparse %g, dense %g", ls, ld)
	}
	for li := range m.Layers {
		assertClose(t, fmt.Sprintf("layer %d outputs", li+1), sparse.a[li], dense.a[li], 1e-5)
		assertClose(t, fmt.Sprintf("layer %d ∂W", li+1), sparse.gw[li], dense.gw[li], 1e-5)
		assertClose(t, fmt.Sprintf("layer %d ∂b", li+1), sparse.gb[li], dense.gb[li], 1e-5)
	}
}

func assertClose(t *testing.T, what string, got, want []float32, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if d := math.Abs(float64(got[i] - want[i])); d > tol*(1+math.Abs(float64(want[i]))) {
			t.Fatalf("%s[%d] = %g, want %g", what, i, got[i], want[i])
		}
	}
}

// randomDataset makes n random images, about 80% of their pixels zero, as
// in MNIST.
func randomDataset(rng *rand.Rand, n, rows, cols int) *Dataset {
	pix := make([]uint8, n*rows*cols)
	for i := range pix {
		if rng.IntN(5) == 0 {
			pix[i] = uint8(1 + rng.IntN(255))
		}
	}
	labels := make([]uint8, n)
	for i := range labels {
		labels[i] = uint8(rng.IntN(NumClasses))
	}
	ds, err := NewDataset(rows, cols, pix, labels)
	if err != nil {
		panic(err)
	}
	return ds
}
