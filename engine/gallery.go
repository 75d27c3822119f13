package engine

import "math"

// The range the activation gallery draws, where sigmoid and tanh have
// flattened out and ReLU's kink sits in the middle.
const (
	GalleryMin = -6.0
	GalleryMax = 6.0
)

// ActivationCurve is an activation and its derivative sampled at evenly
// spaced points, by the very functions that train: a layer's forward
// activation and its backward step.
type ActivationCurve struct {
	Act Activation
	X   []float64 // where it was sampled, ascending
	Y   []float64 // f(x)
	DY  []float64 // f'(x), as backpropagation uses it: 0 at ReLU's and step's kinks
}

// SampleActivation samples act and its derivative at n points from lo to hi,
// both included (n ≥ 2). An odd n over a range symmetric about 0 samples 0
// itself, where sigmoid's derivative peaks at 0.25.
func SampleActivation(act Activation, lo, hi float64, n int) ActivationCurve {
	if n < 2 || !(hi > lo) {
		panic("engine: SampleActivation needs n ≥ 2 points over a range with hi > lo")
	}
	c := ActivationCurve{Act: act, X: make([]float64, n), Y: make([]float64, n), DY: make([]float64, n)}
	x := make([]float32, n)
	for i := range n {
		c.X[i] = lo + (hi-lo)*float64(i)/float64(n-1)
		x[i] = float32(c.X[i])
	}
	// Training computes y = act(z) in place, then turns ∂L/∂y into ∂L/∂z
	// from y alone: with ∂L/∂y = 1 that leaves f'(z).
	y := append([]float32(nil), x...)
	activate(act, y)
	d := make([]float32, n)
	for i := range d {
		d[i] = 1
	}
	backActivate(act, y, d)
	for i := range n {
		c.X[i] = float64(x[i])
		c.Y[i] = float64(y[i])
		c.DY[i] = float64(d[i])
	}
	return c
}

// ActivationGallery samples every activation, in the order of Activations,
// at n points over [GalleryMin, GalleryMax].
func ActivationGallery(n int) []ActivationCurve {
	curves := make([]ActivationCurve, len(Activations))
	for i, a := range Activations {
		curves[i] = SampleActivation(a, GalleryMin, GalleryMax, n)
	}
	return curves
}

// MaxSlope returns the sample where the derivative is largest, the first on
// ties: sigmoid's 0.25 at 0, tanh's 1 at 0.
func (c ActivationCurve) MaxSlope() (x, dy float64) {
	best := 0
	for i, v := range c.DY {
		if v > c.DY[best] {
			best = i
		}
	}
	return c.X[best], c.DY[best]
}

// NoGradient reports whether the derivative is zero at every sample: the
// step function, which cannot learn by gradient descent.
func (c ActivationCurve) NoGradient() bool {
	for _, v := range c.DY {
		if v != 0 {
			return false
		}
	}
	return true
}

// WeightImage is one unit's incoming weights laid out as its input image:
// what a first-layer unit looks for in a digit.
type WeightImage struct {
	Rows, Cols int
	// Values holds Rows×Cols weights, row-major: Values[r*Cols+c] is the
	// weight from input pixel (r, c).
	Values []float32
	// Scale is the largest |weight| of the unit, so that a diverging colour
	// scale from −Scale to Scale puts 0 in its middle. It is 0 for a unit
	// whose weights are all zero.
	Scale float32
}

// InputWeights returns unit j's incoming weights in the first layer (column
// j of W1), 28×28 for an MNIST model, or one row when the inputs are not a
// square image.
func (m *Model) InputWeights(j int) WeightImage {
	l := m.Layers[0]
	if j < 0 || j >= l.Out {
		panic("engine: InputWeights of a unit the first layer does not have")
	}
	rows, cols := 1, l.In
	if side := int(math.Sqrt(float64(l.In))); side*side == l.In {
		rows, cols = side, side
	}
	w := WeightImage{Rows: rows, Cols: cols, Values: make([]float32, l.In)}
	for i := range l.In {
		v := l.W[i*l.Out+j]
		w.Values[i] = v
		w.Scale = max(w.Scale, float32(math.Abs(float64(v))))
	}
	return w
}

// InputWeightScale returns the largest |weight| of the first layer: one
// symmetric colour scale for a grid of every unit's InputWeights, so that
// units can be compared.
func (m *Model) InputWeightScale() float32 {
	var s float32
	for _, v := range m.Layers[0].W {
		s = max(s, float32(math.Abs(float64(v))))
	}
	return s
}
