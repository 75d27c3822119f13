package engine

import "math/rand/v2"

// trainer owns a model while it learns: its workspace, its optimiser state,
// and the order of the current epoch.
type trainer struct {
	m      *Model
	ws     *workspace
	opt    *optState
	ps, gs [][]float32
	decay  float32
	batch  int
	labels []uint8
	n      int // the size of the latest batch, whose buffers ws still holds
}

func newTrainer(m *Model, opt Optimizer, batch int, decay float64) *trainer {
	ws := newWorkspace(m, batch, true)
	return &trainer{
		m: m, ws: ws, opt: newOptState(opt, m),
		ps: params(m), gs: grads(ws),
		decay: float32(decay), batch: batch,
		labels: make([]uint8, batch),
	}
}

// step trains on the images idx of ds (at most the batch size) with
// learning rate lr and returns their mean loss before the update, without
// the weight-decay penalty, so that it compares with the test loss.
func (t *trainer) step(ds *Dataset, idx []int, lr float64) float64 {
	for r, i := range idx {
		t.labels[r] = ds.Labels[i]
	}
	t.n = len(idx)
	in := datasetInput(ds, idx)
	loss := forward(t.m, t.ws, in, t.labels, true) / float64(len(idx))
	backward(t.m, t.ws, in, t.decay)
	t.opt.update(t.ps, t.gs, lr)
	return loss
}

// epochOrder returns a fresh shuffle of n images drawn from rng.
func epochOrder(rng *rand.Rand, n int) []int { return rng.Perm(n) }

// stepsPerEpoch is how many mini-batches one pass over n images takes; the
// last may be smaller.
func stepsPerEpoch(n, batch int) int { return (n + batch - 1) / batch }
