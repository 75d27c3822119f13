package engine

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Layer is one dense layer, y = act(x·W + b).
type Layer struct {
	In, Out int
	// W is In×Out in row-major order: W[i*Out+j] is the weight from input i
	// to output j, the (fan-in, fan-out) shape of the book and of NumPy.
	W []float32
	// B has Out entries.
	B []float32
	// Act is the layer's activation. The output layer's is Identity: its
	// softmax belongs to the loss.
	Act Activation
}

// Model is a trained or untrained network. A Model that has been handed out in
// a Snapshot is frozen: nobody writes to it again, so any goroutine may read
// it.
type Model struct {
	Layers []Layer
	Loss   Loss
}

// Arch returns the model's architecture.
func (m *Model) Arch() Architecture {
	a := Architecture{Loss: m.Loss}
	if len(m.Layers) == 0 {
		return a
	}
	a.Inputs = m.Layers[0].In
	a.Outputs = m.Layers[len(m.Layers)-1].Out
	for _, l := range m.Layers[:len(m.Layers)-1] {
		a.Hidden = append(a.Hidden, l.Out)
		a.Acts = append(a.Acts, l.Act)
	}
	return a
}

// Clone returns a deep copy of m.
func (m *Model) Clone() *Model {
	c := &Model{Loss: m.Loss, Layers: make([]Layer, len(m.Layers))}
	for i, l := range m.Layers {
		c.Layers[i] = Layer{In: l.In, Out: l.Out, Act: l.Act,
			W: append([]float32(nil), l.W...), B: append([]float32(nil), l.B...)}
	}
	return c
}

// Validate reports whether the model's layers chain and hold finite numbers.
func (m *Model) Validate() error {
	if len(m.Layers) == 0 {
		return errors.New("the model has no layers")
	}
	for i, l := range m.Layers {
		if l.In < 1 || l.Out < 1 {
			return fmt.Errorf("layer %d is %d×%d: both sizes must be at least 1", i+1, l.In, l.Out)
		}
		if len(l.W) != l.In*l.Out {
			return fmt.Errorf("layer %d: W has %d numbers, want %d×%d", i+1, len(l.W), l.In, l.Out)
		}
		if len(l.B) != l.Out {
			return fmt.Errorf("layer %d: b has %d numbers, want %d", i+1, len(l.B), l.Out)
		}
		if i > 0 && m.Layers[i-1].Out != l.In {
			return fmt.Errorf("layers %d and %d do not chain: %d outputs feed %d inputs", i, i+1, m.Layers[i-1].Out, l.In)
		}
		for _, v := range l.W {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return fmt.Errorf("layer %d: W holds a NaN or infinite weight", i+1)
			}
		}
		for _, v := range l.B {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return fmt.Errorf("layer %d: b holds a NaN or infinite bias", i+1)
			}
		}
	}
	return m.Arch().Validate()
}

// InitKind names a weight initialisation.
type InitKind int

const (
	// InitNormal draws weights from N(0, Sigma²): the book's 0.01 by default.
	InitNormal InitKind = iota
	// InitXavier draws from N(0, 1/n) with n the fan-in (Glorot and Bengio
	// 2010, in the book's section 6.2 form), suited to sigmoid and tanh.
	InitXavier
	// InitHe draws from N(0, 2/n) (He et al. 2015), suited to ReLU.
	InitHe
)

// Init is a weight initialisation. Biases always start at zero.
type Init struct {
	Kind  InitKind
	Sigma float64 // for InitNormal
}

// String returns "he", "xavier" or "normal:0.01".
func (in Init) String() string {
	switch in.Kind {
	case InitXavier:
		return "xavier"
	case InitHe:
		return "he"
	}
	return fmt.Sprintf("normal:%g", in.Sigma)
}

// std returns the standard deviation for a layer with the given fan-in.
func (in Init) std(fanIn int) float64 {
	switch in.Kind {
	case InitXavier:
		return math.Sqrt(1 / float64(fanIn))
	case InitHe:
		return math.Sqrt(2 / float64(fanIn))
	}
	return in.Sigma
}

// Validate reports a standard deviation that is not a positive finite number.
func (in Init) Validate() error {
	switch in.Kind {
	case InitXavier, InitHe:
		return nil
	case InitNormal:
		if !(in.Sigma > 0) || math.IsInf(in.Sigma, 0) || in.Sigma > MaxSigma {
			return fmt.Errorf("the initial weights' standard deviation must be above 0 and at most %g, not %g", MaxSigma, in.Sigma)
		}
		return nil
	}
	return errors.New("unknown initialisation")
}

// NewModel makes a network of the given architecture with weights drawn by
// init from rng and biases at zero.
func NewModel(a Architecture, init Init, rng *rand.Rand) (*Model, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if err := init.Validate(); err != nil {
		return nil, err
	}
	sizes := a.Sizes()
	m := &Model{Loss: a.Loss, Layers: make([]Layer, len(sizes)-1)}
	for i := range m.Layers {
		in, out := sizes[i], sizes[i+1]
		act := Identity
		if i < len(a.Acts) {
			act = a.Acts[i]
		}
		l := Layer{In: in, Out: out, Act: act, W: make([]float32, in*out), B: make([]float32, out)}
		std := init.std(in)
		for k := range l.W {
			l.W[k] = float32(rng.NormFloat64() * std)
		}
		m.Layers[i] = l
	}
	return m, nil
}
