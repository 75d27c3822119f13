package engine

import (
	"errors"
	"fmt"
	"strings"
)

// Activation is a layer's element-wise non-linearity.
type Activation int

// The activations of chapter 3. Step is kept because it is where the book
// starts, although its derivative is zero almost everywhere, so a network with
// a step layer cannot learn through it by gradient descent.
const (
	Sigmoid Activation = iota
	ReLU
	Tanh
	Identity
	Step
)

// Activations lists every activation in the order a menu should show them.
var Activations = []Activation{ReLU, Sigmoid, Tanh, Identity, Step}

var activationNames = map[Activation]string{
	Sigmoid: "sigmoid", ReLU: "relu", Tanh: "tanh", Identity: "identity", Step: "step",
}

// String returns the activation's lowercase name, as the command line and the
// model file spell it.
func (a Activation) String() string {
	if s, ok := activationNames[a]; ok {
		return s
	}
	return fmt.Sprintf("activation(%d)", int(a))
}

// ParseActivation reads an activation name, case-insensitively.
func ParseActivation(s string) (Activation, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	for a, name := range activationNames {
		if name == t {
			return a, nil
		}
	}
	return 0, fmt.Errorf("unknown activation %q: use relu, sigmoid, tanh, identity or step", s)
}

// Loss is the output layer's loss. Both put a softmax on the output layer.
type Loss int

const (
	// CrossEntropy is softmax followed by cross-entropy against the label.
	CrossEntropy Loss = iota
	// MeanSquared is half the squared error between the softmax output and the
	// one-hot label, the book's mean_squared_error.
	MeanSquared
)

// String returns "ce" or "mse".
func (l Loss) String() string {
	switch l {
	case CrossEntropy:
		return "ce"
	case MeanSquared:
		return "mse"
	}
	return fmt.Sprintf("loss(%d)", int(l))
}

// ParseLoss reads "ce" (or "cross-entropy") or "mse".
func ParseLoss(s string) (Loss, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "ce", "cross-entropy", "crossentropy", "cross_entropy":
		return CrossEntropy, nil
	case "mse", "squared", "mean-squared":
		return MeanSquared, nil
	}
	return 0, fmt.Errorf("unknown loss %q: use ce or mse", s)
}

// Limits on what a playground network may be.
const (
	MaxHidden  = 6    // hidden layers
	MaxUnits   = 1024 // units in one hidden layer
	InputSize  = 28 * 28
	NumClasses = 10
	MaxBatch   = 60000
	MinLR      = 1e-7
	MaxLR      = 100.0
)

// Architecture is the shape of a network: how many inputs, the hidden layers
// with their activations, and the output layer's loss. The output layer has
// Outputs units and always ends in a softmax.
type Architecture struct {
	Inputs  int
	Hidden  []int
	Acts    []Activation // one per hidden layer
	Outputs int
	Loss    Loss
}

// MNISTArch returns the architecture of a network on MNIST with the given
// hidden layers.
func MNISTArch(hidden []int, acts []Activation, loss Loss) Architecture {
	return Architecture{Inputs: InputSize, Hidden: hidden, Acts: acts, Outputs: NumClasses, Loss: loss}
}

// Validate reports what is wrong with the architecture, or nil.
func (a Architecture) Validate() error {
	var errs []error
	if a.Inputs < 1 {
		errs = append(errs, fmt.Errorf("the network needs at least one input, not %d", a.Inputs))
	}
	if a.Outputs < 2 {
		errs = append(errs, fmt.Errorf("the network needs at least two outputs for a softmax, not %d", a.Outputs))
	}
	if len(a.Hidden) > MaxHidden {
		errs = append(errs, fmt.Errorf("%d hidden layers is too many: use 0 to %d", len(a.Hidden), MaxHidden))
	}
	if len(a.Acts) != len(a.Hidden) {
		errs = append(errs, fmt.Errorf("%d hidden layers but %d activations: give one activation per hidden layer", len(a.Hidden), len(a.Acts)))
	}
	for i, n := range a.Hidden {
		if n < 1 || n > MaxUnits {
			errs = append(errs, fmt.Errorf("hidden layer %d has %d units: use 1 to %d", i+1, n, MaxUnits))
		}
	}
	for i, act := range a.Acts {
		if _, ok := activationNames[act]; !ok {
			errs = append(errs, fmt.Errorf("hidden layer %d has an unknown activation", i+1))
		}
	}
	if a.Loss != CrossEntropy && a.Loss != MeanSquared {
		errs = append(errs, errors.New("unknown loss"))
	}
	return errors.Join(errs...)
}

// Warnings returns advice about an architecture that is valid but will not
// learn well, for the user to read: a step layer passes no gradient back.
func (a Architecture) Warnings() []string {
	var w []string
	for i, act := range a.Acts {
		if act == Step {
			w = append(w, fmt.Sprintf("hidden layer %d uses the step function, whose derivative is zero almost everywhere: no gradient reaches the layers before it, so they will not learn", i+1))
		}
	}
	return w
}

// units counts the units of the hidden and output layers, whose outputs a
// training step keeps for every image of its batch.
func (a Architecture) units() int {
	n := a.Outputs
	for _, h := range a.Hidden {
		n += h
	}
	return n
}

// Parameters counts the network's weights and biases.
func (a Architecture) Parameters() int {
	sizes := a.Sizes()
	n := 0
	for i := 1; i < len(sizes); i++ {
		n += sizes[i-1]*sizes[i] + sizes[i]
	}
	return n
}

// Sizes returns the width of every layer from the input to the output.
func (a Architecture) Sizes() []int {
	s := make([]int, 0, len(a.Hidden)+2)
	s = append(s, a.Inputs)
	s = append(s, a.Hidden...)
	return append(s, a.Outputs)
}

// String describes the architecture as "784-100(relu)-10 ce".
func (a Architecture) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d", a.Inputs)
	for i, n := range a.Hidden {
		act := "?"
		if i < len(a.Acts) {
			act = a.Acts[i].String()
		}
		fmt.Fprintf(&b, "-%d(%s)", n, act)
	}
	fmt.Fprintf(&b, "-%d %s", a.Outputs, a.Loss)
	return b.String()
}
