package engine

import (
	"gonum.org/v1/gonum/blas"
)

// input is a mini-batch of images: either rows of a dataset, read through
// its sparse form, or dense rows of values already scaled to 0..1.
type input struct {
	ds    *Dataset
	idx   []int     // the dataset's rows in the batch
	dense []float32 // or n rows of In values
	n     int
}

// datasetInput is a batch of a dataset's images.
func datasetInput(ds *Dataset, idx []int) input { return input{ds: ds, idx: idx, n: len(idx)} }

// denseInput is a batch of n dense rows.
func denseInput(x []float32, n int) input { return input{dense: x, n: n} }

// workspace holds the buffers of one forward (and backward) pass, allocated
// once for the largest batch and reused every step.
type workspace struct {
	rows int         // the largest batch it holds
	a    [][]float32 // each layer's outputs, rows×Out; the last holds the softmax
	d    [][]float32 // ∂L/∂z of each layer, for training
	gw   [][]float32 // ∂L/∂W
	gb   [][]float32 // ∂L/∂b
	x    []float32   // a dense copy of the input, when the first layer must be dense
}

// newWorkspace allocates buffers for batches of up to rows images; with
// train it also allocates the gradients.
func newWorkspace(m *Model, rows int, train bool) *workspace {
	ws := &workspace{rows: rows}
	for _, l := range m.Layers {
		ws.a = append(ws.a, make([]float32, rows*l.Out))
		if train {
			ws.d = append(ws.d, make([]float32, rows*l.Out))
			ws.gw = append(ws.gw, make([]float32, len(l.W)))
			ws.gb = append(ws.gb, make([]float32, l.Out))
		}
	}
	return ws
}

// sparseOK reports whether the first layer can read ds through its sparse
// form, whose pixel index is 16 bits.
func sparseOK(ds *Dataset, in int) bool {
	return ds != nil && ds.Size() == in && in <= 1<<16
}

// denseRows returns the batch as dense rows scaled to 0..1, converting a
// dataset batch into ws.x when needed.
func (ws *workspace) denseRows(in input, nIn int) []float32 {
	if in.ds == nil {
		return in.dense[:in.n*nIn]
	}
	if len(ws.x) < ws.rows*nIn {
		ws.x = make([]float32, ws.rows*nIn)
	}
	x := ws.x[:in.n*nIn]
	for r, i := range in.idx {
		for j, p := range in.ds.Image(i) {
			x[r*nIn+j] = pixelScale[p]
		}
	}
	return x
}

// forward computes every layer's outputs for the batch: y = act(x·W + b),
// the batch a matrix with one image a row, ending in the softmax. It returns
// the summed loss over the batch against labels, and with grad it leaves the
// output layer's ∂L/∂z (for the mean loss) in ws.d.
func forward(m *Model, ws *workspace, in input, labels []uint8, grad bool) float64 {
	forwardScores(m, ws, in)
	n, last := in.n, len(m.Layers)-1
	var g []float32
	if grad {
		g = ws.d[last][:n*m.Layers[last].Out]
	}
	return softmaxLoss(m.Loss, ws.a[last][:n*m.Layers[last].Out], m.Layers[last].Out, labels[:n], g)
}

// forwardScores computes every layer's outputs for the batch up to the output
// layer's scores, before the softmax, which it leaves in ws.a's last buffer.
func forwardScores(m *Model, ws *workspace, in input) {
	n := in.n
	if n > ws.rows {
		panic("engine: batch larger than its workspace")
	}
	last := len(m.Layers) - 1
	for li, l := range m.Layers {
		out := ws.a[li][:n*l.Out]
		if li == 0 && sparseOK(in.ds, l.In) {
			sparseForward(in.ds.sparseView(), in.idx, l.W, l.B, out, l.Out)
		} else {
			var prev []float32
			if li == 0 {
				prev = ws.denseRows(in, l.In)
			} else {
				prev = ws.a[li-1][:n*l.In]
			}
			for r := range n {
				copy(out[r*l.Out:(r+1)*l.Out], l.B)
			}
			gemm(blas.NoTrans, blas.NoTrans, n, l.Out, l.In, 1, prev, l.In, l.W, l.Out, 1, out, l.Out)
		}
		if li < last {
			activate(l.Act, out)
		}
	}
}

// backward fills ws.gw and ws.gb with the gradients of the mean loss (plus
// the L2 penalty decay/2·ΣW²) after forward(…, grad=true) on the same batch.
// The first layer's input gradient is never computed: nothing uses it.
func backward(m *Model, ws *workspace, in input, decay float32) {
	n := in.n
	for li := len(m.Layers) - 1; li >= 0; li-- {
		l := m.Layers[li]
		d := ws.d[li][:n*l.Out]
		gw, gb := ws.gw[li], ws.gb[li]
		clear(gb)
		for r := range n {
			for j, v := range d[r*l.Out : (r+1)*l.Out] {
				gb[j] += v
			}
		}
		if li == 0 && sparseOK(in.ds, l.In) {
			sparseWeightGrad(in.ds.sparseView(), in.idx, d, gw, l.In, l.Out)
		} else {
			var prev []float32
			if li == 0 {
				prev = ws.denseRows(in, l.In)
			} else {
				prev = ws.a[li-1][:n*l.In]
			}
			gemm(blas.Trans, blas.NoTrans, l.In, l.Out, n, 1, prev, l.In, d, l.Out, 0, gw, l.Out)
		}
		if decay != 0 {
			axpy(decay, l.W, gw)
		}
		if li == 0 {
			break
		}
		// ∂L/∂a of the layer below is d·Wᵀ; its activation turns it into ∂L/∂z.
		below := m.Layers[li-1]
		db := ws.d[li-1][:n*l.In]
		gemm(blas.NoTrans, blas.Trans, n, l.In, l.Out, 1, d, l.Out, l.W, l.Out, 0, db, l.In)
		backActivate(below.Act, ws.a[li-1][:n*l.In], db)
	}
}
