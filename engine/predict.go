package engine

import (
	"fmt"
	"math"
)

// Predict returns the softmax probabilities for one input: x has
// m.Layers[0].In values, pixels scaled to 0..1. It is safe to call from any
// goroutine on a frozen model.
func (m *Model) Predict(x []float32) []float32 {
	if len(x) != m.Layers[0].In {
		panic("engine: Predict input has the wrong size")
	}
	ws := newWorkspace(m, 1, false)
	// The label only feeds the loss, which is discarded.
	forward(m, ws, denseInput(x, 1), []uint8{0}, false)
	return append([]float32(nil), ws.a[len(ws.a)-1]...)
}

// Evaluation is a model measured on a dataset.
type Evaluation struct {
	Loss     float64 // mean loss per image
	Accuracy float64 // Correct / Total
	Correct  int
	Total    int
	// Confusion[label][predicted] counts images.
	Confusion [][]int
	// PerClass[label] is the accuracy on the images of that label.
	PerClass []float64
	// Misclassified lists every image the model got wrong, in the order of
	// the dataset.
	Misclassified []Misclassification
}

// Misclassification is one image a model got wrong.
type Misclassification struct {
	Index       int     // the image's index in the dataset
	Label       int     // its true digit
	Predicted   int     // the model's answer
	Probability float32 // the probability the model gave its answer
}

// evalBatch is how many images one forward pass of Evaluate takes: large
// enough to amortise the work split, small enough to stay in cache.
const evalBatch = 500

// Evaluate runs the model forward over the whole dataset and measures it.
//
// The dataset's images must have as many pixels as the model has inputs and
// its labels must be below the model's number of outputs: a caller checks
// both (OpenMNIST and Model.CheckMNIST do) before it asks.
func (m *Model) Evaluate(ds *Dataset) Evaluation {
	k := m.Layers[len(m.Layers)-1].Out
	if ds.Size() != m.Layers[0].In || k < NumClasses {
		panic(fmt.Sprintf("engine: Evaluate of a %d-input, %d-output model on images of %d pixels", m.Layers[0].In, k, ds.Size()))
	}
	ev := Evaluation{Total: ds.Len(), Confusion: make([][]int, k), PerClass: make([]float64, k)}
	for i := range ev.Confusion {
		ev.Confusion[i] = make([]int, k)
	}
	ws := newWorkspace(m, min(evalBatch, max(ds.Len(), 1)), false)
	idx := make([]int, 0, ws.rows)
	var total float64
	for lo := 0; lo < ds.Len(); lo += ws.rows {
		hi := min(lo+ws.rows, ds.Len())
		idx = idx[:0]
		for i := lo; i < hi; i++ {
			idx = append(idx, i)
		}
		labels := ds.Labels[lo:hi]
		total += forward(m, ws, datasetInput(ds, idx), labels, false)
		probs := ws.a[len(ws.a)-1]
		for r, t := range labels {
			row := probs[r*k : (r+1)*k]
			p := Argmax(row)
			ev.Confusion[t][p]++
			if p == int(t) {
				ev.Correct++
			} else {
				ev.Misclassified = append(ev.Misclassified, Misclassification{Index: lo + r, Label: int(t), Predicted: p, Probability: row[p]})
			}
		}
	}
	if ev.Total > 0 {
		ev.Loss = total / float64(ev.Total)
		ev.Accuracy = float64(ev.Correct) / float64(ev.Total)
	} else {
		ev.Loss = math.NaN()
	}
	for t, row := range ev.Confusion {
		n := 0
		for _, c := range row {
			n += c
		}
		if n > 0 {
			ev.PerClass[t] = float64(row[t]) / float64(n)
		}
	}
	return ev
}

// Argmax returns the index of the largest value, the first on ties: the
// predicted digit of a probability vector.
func Argmax(v []float32) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}
