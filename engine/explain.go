package engine

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
)

// Explanation is one input's way through a network (forward propagation, the
// book's chapter 3): what each hidden layer made of it, the output scores,
// the softmax computed naively and stably, and which inputs raise or lower
// the winning score.
type Explanation struct {
	// Input is a copy of the values the network read: pixels scaled to 0..1.
	Input []float32
	// Hidden holds each hidden layer's outputs, after its activation.
	Hidden [][]float32
	// Scale is what the output scores were multiplied by before the softmax.
	Scale float64
	// Scores are the output layer's values before the softmax, times Scale.
	Scores []float32
	// Exp is e^score for each score in 32-bit floats, as a naive softmax
	// computes it: +Inf once a score passes about 88.7, 0 below about −103.
	Exp []float32
	// NaiveProbabilities is Exp divided by its sum: NaN where an
	// exponential overflowed (∞/∞), and NaN everywhere when all of them
	// underflowed (0/0).
	NaiveProbabilities []float32
	// ShiftedExp is e^(score − max score), the stable softmax's numerators:
	// the largest is 1 and none overflows.
	ShiftedExp []float32
	// Probabilities is the softmax of Scores computed stably, by the code
	// that training and Predict use.
	Probabilities []float32
	// Digit is the winning class, the largest score.
	Digit int
	// Saliency[i] is ∂score[Digit]/∂Input[i], the gradient of the winning
	// class's score before the softmax (unscaled) with respect to each input,
	// computed by the network's own backward pass: a positive value means
	// more ink at pixel i raises the winning score.
	Saliency []float32
}

// Explain propagates one input through the model: x has m.Layers[0].In
// values, pixels scaled to 0..1, and scale multiplies the output scores
// before the softmax (1 leaves them as they are; larger values show the
// naive softmax overflowing). It only reads the model, so it may be called
// on a frozen model from any goroutine, while another trains.
func (m *Model) Explain(x []float32, scale float64) Explanation {
	return NewExplainer(m).Explain(x, scale)
}

// Explainer explains inputs to one model again and again, reusing the
// working memory of the passes (about 4 bytes a weight): a view that
// follows a pen stroke keeps one per model. An Explainer may be used by one
// goroutine at a time; the model it reads may be read by others meanwhile.
type Explainer struct {
	m  *Model
	ws *workspace
}

// NewExplainer returns an Explainer of m, which must not change while the
// Explainer is used (a frozen model).
func NewExplainer(m *Model) *Explainer {
	return &Explainer{m: m, ws: newWorkspace(m, 1, true)}
}

// Explain is Model.Explain of the Explainer's model. Nothing it returns
// shares memory with the Explainer.
func (ex *Explainer) Explain(x []float32, scale float64) Explanation {
	m, ws := ex.m, ex.ws
	if len(x) != m.Layers[0].In {
		panic("engine: Explain input has the wrong size")
	}
	if !(scale > 0) || math.IsInf(scale, 0) {
		panic(fmt.Sprintf("engine: Explain score scale %g is not a positive number", scale))
	}
	in := denseInput(x, 1)
	forwardScores(m, ws, in)
	last := len(m.Layers) - 1
	k := m.Layers[last].Out
	e := Explanation{Input: append([]float32(nil), x...), Scale: scale}
	for i := range last {
		e.Hidden = append(e.Hidden, append([]float32(nil), ws.a[i]...))
	}
	raw := ws.a[last][:k]
	e.Digit = Argmax(raw)

	e.Scores = make([]float32, k)
	for i, v := range raw {
		e.Scores[i] = float32(float64(v) * scale)
	}
	e.Exp, e.NaiveProbabilities = naiveSoftmax(e.Scores)
	mx := e.Scores[e.Digit]
	e.ShiftedExp = make([]float32, k)
	for i, v := range e.Scores {
		e.ShiftedExp[i] = float32(math.Exp(float64(v - mx)))
	}
	e.Probabilities = append([]float32(nil), e.Scores...)
	// The label only feeds the loss, which is discarded.
	softmaxLoss(m.Loss, e.Probabilities, k, []uint8{0}, nil)

	// Backward from ∂score[Digit]/∂scores, a one-hot row, down to the first
	// layer's pre-activations; the input's gradient is then one product
	// with the first layer's weights, the step backward stops short of.
	d := ws.d[last][:k]
	clear(d)
	d[e.Digit] = 1
	backward(m, ws, in, 0)
	l := m.Layers[0]
	e.Saliency = make([]float32, l.In)
	gemm(blas.NoTrans, blas.Trans, 1, l.In, l.Out, 1, ws.d[0][:l.Out], l.Out, l.W, l.Out, 0, e.Saliency, l.In)
	return e
}

// naiveSoftmax is the softmax of the book's first attempt: e^score over the
// sum of them, with nothing subtracted, in 32-bit floats as the network
// computes. It returns the exponentials and the probabilities.
func naiveSoftmax(scores []float32) (exp, probs []float32) {
	exp = make([]float32, len(scores))
	var sum float32
	for i, v := range scores {
		exp[i] = float32(math.Exp(float64(v))) // +Inf beyond float32's range
		sum += exp[i]
	}
	probs = make([]float32, len(scores))
	for i, v := range exp {
		probs[i] = v / sum
	}
	return exp, probs
}
