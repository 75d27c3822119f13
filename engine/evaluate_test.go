package engine

import (
	"math"
	"math/rand/v2"
	"testing"
)

// checkMisclassified checks that an evaluation's list of mistakes is its
// confusion matrix's off-diagonal, image by image.
func checkMisclassified(t *testing.T, m *Model, ds *Dataset, ev Evaluation) {
	t.Helper()
	if got, want := len(ev.Misclassified), ev.Total-ev.Correct; got != want {
		t.Fatalf("%d images listed as misclassified, want %d (total %d − correct %d)", got, want, ev.Total, ev.Correct)
	}
	counts := make([][]int, len(ev.Confusion))
	for i := range counts {
		counts[i] = make([]int, len(ev.Confusion))
	}
	prev := -1
	for _, mc := range ev.Misclassified {
		if mc.Index <= prev {
			t.Fatalf("image %d listed after image %d: want the dataset's order", mc.Index, prev)
		}
		prev = mc.Index
		if mc.Label != int(ds.Labels[mc.Index]) || mc.Label == mc.Predicted {
			t.Fatalf("image %d: label %d predicted %d, but its label is %d", mc.Index, mc.Label, mc.Predicted, ds.Labels[mc.Index])
		}
		x := make([]float32, ds.Size())
		for j, p := range ds.Image(mc.Index) {
			x[j] = float32(p) / 255
		}
		probs := m.Predict(x)
		if Argmax(probs) != mc.Predicted || math.Abs(float64(probs[mc.Predicted]-mc.Probability)) > 1e-5 {
			t.Fatalf("image %d: listed as %d with %g, Predict gives %d with %g", mc.Index, mc.Predicted, mc.Probability, Argmax(probs), probs[mc.Predicted])
		}
		counts[mc.Label][mc.Predicted]++
	}
	for l, row := range ev.Confusion {
		for p, c := range row {
			if l != p && counts[l][p] != c {
				t.Errorf("confusion[%d][%d] = %d, but %d such images are listed", l, p, c, counts[l][p])
			}
		}
	}
}

func TestEvaluateListsMisclassified(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(4, 4))
	ds := randomDataset(rng, 1234, 28, 28) // more than two evaluation batches
	m, err := NewModel(MNISTArch([]int{20}, []Activation{Tanh}, CrossEntropy), Init{Kind: InitXavier}, rng)
	if err != nil {
		t.Fatal(err)
	}
	ev := m.Evaluate(ds)
	if ev.Correct == 0 || ev.Correct == ev.Total {
		t.Fatalf("%d of %d right: the check needs both", ev.Correct, ev.Total)
	}
	checkMisclassified(t, m, ds, ev)
}
