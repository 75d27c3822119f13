package engine

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGalleryIsWhatTrains runs the gallery's points through a real training
// step (forward and backward through a hidden unit of each activation) and
// checks that the unit's output is the curve's f(x) and the gradient it
// passes back is f'(x) times the gradient it received.
func TestGalleryIsWhatTrains(t *testing.T) {
	t.Parallel()
	const n = 121
	for _, c := range ActivationGallery(n) {
		t.Run(c.Act.String(), func(t *testing.T) {
			t.Parallel()
			if len(c.X) != n || c.X[0] != GalleryMin || c.X[n-1] != GalleryMax {
				t.Fatalf("%d samples from %g to %g, want %d from %g to %g", len(c.X), c.X[0], c.X[len(c.X)-1], n, GalleryMin, GalleryMax)
			}
			// x → z = 1·x + 0 → act → two outputs, 0.7·a and −1.3·a.
			m := &Model{Loss: CrossEntropy, Layers: []Layer{
				{In: 1, Out: 1, Act: c.Act, W: []float32{1}, B: []float32{0}},
				{In: 1, Out: 2, Act: Identity, W: []float32{0.7, -1.3}, B: []float32{0.1, 0}},
			}}
			x := make([]float32, n)
			labels := make([]uint8, n)
			for i, v := range c.X {
				x[i] = float32(v)
				labels[i] = uint8(i % 2)
			}
			ws := newWorkspace(m, n, true)
			forward(m, ws, denseInput(x, n), labels, true)
			backward(m, ws, denseInput(x, n), 0)
			for i := range n {
				if got := float64(ws.a[0][i]); got != c.Y[i] {
					t.Fatalf("f(%g): the gallery says %g, training computes %g", c.X[i], c.Y[i], got)
				}
				dLda := float64(ws.d[1][2*i])*0.7 + float64(ws.d[1][2*i+1])*-1.3
				want := c.DY[i] * dLda
				if got := float64(ws.d[0][i]); math.Abs(got-want) > 1e-6*math.Abs(dLda) {
					t.Fatalf("f'(%g): the gallery says %g, training passes back %g of %g", c.X[i], c.DY[i], got, dLda)
				}
			}
		})
	}
}

func TestGalleryShapes(t *testing.T) {
	t.Parallel()
	for _, c := range ActivationGallery(121) {
		x, slope := c.MaxSlope()
		switch c.Act {
		case Sigmoid:
			if x != 0 || slope != 0.25 {
				t.Errorf("sigmoid's derivative peaks at %g with %g, want 0.25 at 0", x, slope)
			}
		case Tanh:
			if x != 0 || slope != 1 {
				t.Errorf("tanh's derivative peaks at %g with %g, want 1 at 0", x, slope)
			}
		case ReLU:
			for i, v := range c.X {
				if want := float64(b2f(v > 0)); c.DY[i] != want || c.Y[i] != math.Max(v, 0) {
					t.Errorf("relu at %g: %g, slope %g", v, c.Y[i], c.DY[i])
				}
			}
		case Identity:
			if slope != 1 || c.NoGradient() {
				t.Errorf("identity's slope is %g", slope)
			}
		}
		if got, want := c.NoGradient(), c.Act == Step; got != want {
			t.Errorf("%v: NoGradient() = %v, want %v", c.Act, got, want)
		}
		if c.Act == Sigmoid || c.Act == Tanh {
			// The derivative is the slope of the curve itself.
			dx := c.X[1] - c.X[0]
			for i := 1; i < len(c.X)-1; i++ {
				num := (c.Y[i+1] - c.Y[i-1]) / (2 * dx)
				if math.Abs(num-c.DY[i]) > 5e-3 {
					t.Errorf("%v at %g: derivative %g, slope of the curve %g", c.Act, c.X[i], c.DY[i], num)
				}
			}
		}
	}
}

func b2f(b bool) float32 {
	if b {
		return 1
	}
	return 0
}

func TestInputWeights(t *testing.T) {
	t.Parallel()
	m, err := NewModel(MNISTArch([]int{16}, []Activation{ReLU}, CrossEntropy), Init{Kind: InitHe}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	const j = 5
	// The unit's strongest weight is negative: the scale is its size.
	m.Layers[0].W[(3*28+7)*16+j] = -9
	w := m.InputWeights(j)
	if w.Rows != 28 || w.Cols != 28 || len(w.Values) != InputSize {
		t.Fatalf("%d×%d image of %d values, want 28×28", w.Rows, w.Cols, len(w.Values))
	}
	for r := range 28 {
		for c := range 28 {
			if got, want := w.Values[r*28+c], m.Layers[0].W[(r*28+c)*16+j]; got != want {
				t.Fatalf("pixel (%d, %d) = %g, want W1[%d][%d] = %g", r, c, got, r*28+c, j, want)
			}
		}
	}
	if w.Scale != 9 {
		t.Errorf("scale %g, want 9", w.Scale)
	}
	if s := m.InputWeightScale(); s != 9 {
		t.Errorf("layer scale %g, want 9", s)
	}
	if other := m.InputWeights(j + 1); other.Scale >= 9 || other.Scale <= 0 {
		t.Errorf("unit %d's scale %g: want its own, below 9", j+1, other.Scale)
	}
}
