package engine

import (
	"runtime"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// pixelScale maps a stored byte to the network's input, 0..255 to 0..1.
var pixelScale = func() (t [256]float32) {
	for i := range t {
		t[i] = float32(i) / 255
	}
	return t
}()

// kernelSet is one implementation of the inner loops that dominate
// training: the sparse first layer's row gathers, the matrix products of
// the other layers (rows for the narrow ones, tiles of the packed product
// for the wide ones), and the optimiser's axpy.
type kernelSet struct {
	name string
	// axpy computes y += alpha·x; x is exactly as long as y.
	axpy func(alpha float32, x, y []float32)
	// gather computes dst[c] += pixelScale[val[e]]·base[idx[e]·stride+c] for
	// every entry e and column c < len(dst), with idx in ascending order;
	// without add, dst is overwritten with the sum instead of added to.
	gather func(dst, base []float32, stride int, idx []uint16, val []uint8, add bool)
	// rows computes dst[c] += Σ coef[t·coefStride]·b[t·ldb+c] over t < k for
	// every column c < len(dst); with tile nil too, matrix products are
	// left to gonum.
	rows func(dst, coef []float32, coefStride, k int, b []float32, ldb int)
	// tile adds to a tileRows×tileCols tile of c (rows ldc apart) the
	// product of a packed panel of A and one of B, k terms long, or
	// without add overwrites the tile with it; see packedGemm.
	tile func(k int, a, b, c []float32, ldc int, add bool)
	// prefetch asks the CPU to start loading idx and val into its caches;
	// nil where Go offers no way to.
	prefetch func(idx []uint16, val []uint8)
}

// goKernels is the portable implementation, and the reference the assembly
// is tested against. Its matrix products are gonum's: with tileGo, the
// packed product runs at about half of gonum's speed (gonum's inner loops
// are assembly even in a purego build), so tileGo serves only as the
// reference of tileFMA and of the packing.
var goKernels = kernelSet{name: "go", axpy: axpyGo, gather: gatherGo}

// kernels is the fastest implementation this CPU runs.
var kernels = func() *kernelSet {
	if k := archKernels(); k != nil {
		return k
	}
	return &goKernels
}()

// axpyGo computes y += alpha·x over len(y) values.
func axpyGo(alpha float32, x, y []float32) {
	x = x[:len(y)]
	for i, v := range x {
		y[i] += alpha * v
	}
}

// gatherGo adds every entry's scaled row segment of base into dst, one
// entry at a time.
func gatherGo(dst, base []float32, stride int, idx []uint16, val []uint8, add bool) {
	if !add {
		clear(dst)
	}
	val = val[:len(idx)]
	for e, j := range idx {
		axpyGo(pixelScale[val[e]], base[int(j)*stride:int(j)*stride+len(dst)], dst)
	}
}

// axpy computes y += alpha·x over len(y) values.
func axpy(alpha float32, x, y []float32) {
	kernels.axpy(alpha, x[:len(y)], y)
}

// gemm computes c = alpha·op(a)·op(b) + beta·c for row-major matrices.
func gemm(ta, tb blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmWith(kernels, workers(), ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// gemmPanel is how many floats of b one pass over the rows of c streams
// through: 64 KiB, which stays in any L2 cache while every row reads it.
const gemmPanel = 1 << 14

func gemmWith(ks *kernelSet, p int, ta, tb blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	// Products with alpha ≠ 1 (none in training) stay with gonum.
	if (ks.rows == nil && ks.tile == nil) || alpha != 1 {
		blas32.Implementation().Sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	transA, transB := isTrans(ta), isTrans(tb)
	checkGemm(transA, transB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	if m == 0 || n == 0 {
		return
	}
	packed := k > 0 && ks.tile != nil && (ks.rows == nil || usePacked(m, n, k))
	// The packed product overwrites c itself when beta is 0, which saves
	// a pass over c: for a weight gradient, all of it.
	if beta != 1 && !(packed && beta == 0) {
		for i := range m {
			row := c[i*ldc : i*ldc+n]
			if beta == 0 {
				clear(row)
			} else {
				for j := range row {
					row[j] *= beta
				}
			}
		}
	}
	if k == 0 {
		return
	}
	if packed {
		packedGemm(ks, p, transA, transB, m, n, k, a, lda, b, ldb, beta != 0, c, ldc)
		return
	}
	// The row kernel reads b by rows of n, so a transposed b is copied into
	// k×n first.
	var sc *kernelScratch
	if transB {
		sc = scratchPool.Get().(*kernelScratch)
		defer scratchPool.Put(sc)
		bt := append(sc.bt[:0], make([]float32, k*n)...)
		transposeTiled(bt, b, ldb, n, k)
		sc.bt, b, ldb = bt, bt, n
	}
	coefStride := 1
	if transA {
		coefStride = lda
	}
	kc := max(8, gemmPanel/n)
	work := func(lo, hi int) {
		for t0 := 0; t0 < k; t0 += kc {
			kk := min(kc, k-t0)
			panel := b[t0*ldb : (t0+kk-1)*ldb+n]
			for i := lo; i < hi; i++ {
				var coef []float32
				if transA {
					coef = a[t0*lda+i:]
				} else {
					coef = a[i*lda+t0:]
				}
				ks.rows(c[i*ldc:i*ldc+n], coef, coefStride, kk, panel, ldb)
			}
		}
	}
	if m*n*k < minParallelWork {
		p = 1
	}
	parallelFor(m, max(1, m/16), p, work)
}

// transposeTiled writes the rows×cols matrix src (leading dimension lds)
// into dst as cols×rows. It goes in square tiles, whose rows of src and
// of dst all stay in the L1 cache while the tile is copied.
func transposeTiled(dst, src []float32, lds, rows, cols int) {
	const tile = 16
	for i0 := 0; i0 < rows; i0 += tile {
		i1 := min(i0+tile, rows)
		for j0 := 0; j0 < cols; j0 += tile {
			j1 := min(j0+tile, cols)
			for i := i0; i < i1; i++ {
				for j, v := range src[i*lds+j0 : i*lds+j1] {
					dst[(j0+j)*rows+i] = v
				}
			}
		}
	}
}

// isTrans reports whether t asks for a transposed matrix.
func isTrans(t blas.Transpose) bool {
	switch t {
	case blas.NoTrans:
		return false
	case blas.Trans, blas.ConjTrans:
		return true
	}
	panic("engine: bad transpose")
}

// checkGemm panics, as BLAS does, when a matrix's leading dimension is too
// small for its rows or its slice too short for its shape.
func checkGemm(transA, transB bool, m, n, k, la, lda, lb, ldb, lc, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic("engine: negative matrix dimension")
	}
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	for _, mat := range [...]struct{ rows, cols, ld, len int }{
		{ar, ac, lda, la}, {br, bc, ldb, lb}, {m, n, ldc, lc},
	} {
		if mat.ld < max(1, mat.cols) {
			panic("engine: bad leading dimension")
		}
		if mat.rows > 0 && mat.cols > 0 && mat.len < (mat.rows-1)*mat.ld+mat.cols {
			panic("engine: matrix slice too short")
		}
	}
}

// workers is how many goroutines share one mini-batch's work: one per
// processor Go runs on, which can change while the program runs.
func workers() int { return runtime.GOMAXPROCS(0) }

// minParallelWork is the fewest multiply-adds worth sharing with another
// goroutine, about a quarter of a millisecond of work. A goroutine handed
// work starts only once the scheduler has woken a thread for it, and on a
// virtual machine with idle processors that often takes longer than the
// whole of a batch of 100 takes on one core: measured, two workers made an
// epoch at batch 100 slower, not faster. Batches of a few hundred and up
// gain from them.
const minParallelWork = 1 << 22

// parallelFor calls fn on consecutive chunks of [0, n), of chunk items
// each, from the calling goroutine and from up to p-1 helpers. Chunks are
// handed out one at a time, so a helper that starts late (its thread was
// asleep, or its core busy with another program) takes fewer of them
// instead of holding everyone up: the caller never waits for a helper to
// start, only for the chunk it is working on to end.
func parallelFor(n, chunk, p int, fn func(lo, hi int)) {
	if n <= 0 {
		return
	}
	chunk = max(chunk, 1)
	chunks := (n + chunk - 1) / chunk
	if p < 2 || chunks < 2 {
		fn(0, n)
		return
	}
	j := &parallelJob{n: n, chunk: chunk, chunks: int64(chunks), fn: fn, finished: make(chan struct{})}
	for range min(p, chunks) - 1 {
		go j.run()
	}
	j.run()
	<-j.finished
}

// parallelJob is one parallelFor call, shared by its goroutines. A helper
// may still hold it after the call returns, when it finds no chunk left.
type parallelJob struct {
	n, chunk   int
	chunks     int64
	next, done atomic.Int64
	fn         func(lo, hi int)
	finished   chan struct{} // closed by whoever ends the last chunk
}

func (j *parallelJob) run() {
	for {
		c := j.next.Add(1) - 1
		if c >= j.chunks {
			return
		}
		lo := int(c) * j.chunk
		j.fn(lo, min(lo+j.chunk, j.n))
		if j.done.Add(1) == j.chunks {
			close(j.finished)
		}
	}
}

// kernelScratch is the per-call memory of the kernels, pooled so that a
// training step allocates no buffers and concurrent calls (a session
// training while another evaluates) never share one.
type kernelScratch struct {
	bt               []float32 // gemm: b transposed
	packedA, packedB []float32
	cols             batchColumns
}

var scratchPool = sync.Pool{New: func() any { return new(kernelScratch) }}

// prefetchAhead is how many images ahead sparseForward prefetches.
const prefetchAhead = 3

// forwardChunk and gradChunk are how many images, and how many pixels, a
// worker takes at a time: a few microseconds of work.
const (
	forwardChunk = 4
	gradChunk    = 28
)

// sparseForward computes out = X·W + b for the rows of a sparse batch: each
// image adds one row of W per inked pixel, scaled by the pixel. An image's
// sums stay in registers across its pixels.
func sparseForward(s *sparseImages, idx []int, w []float32, b []float32, out []float32, nOut int) {
	sparseForwardWith(kernels, workers(), s, idx, w, b, out, nOut)
}

func sparseForwardWith(k *kernelSet, p int, s *sparseImages, idx []int, w, b, out []float32, nOut int) {
	entries := 0
	for _, i := range idx {
		entries += int(s.start[i+1] - s.start[i])
	}
	if entries*nOut < minParallelWork {
		p = 1
	}
	parallelFor(len(idx), forwardChunk, p, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			// An epoch visits the images in random order, so the next
			// one's entries are far from this one's, in main memory: ask
			// for them a few images ahead.
			if k.prefetch != nil && r+prefetchAhead < len(idx) {
				i := idx[r+prefetchAhead]
				e0, e1 := s.start[i], s.start[i+1]
				k.prefetch(s.index[e0:e1], s.value[e0:e1])
			}
			row := out[r*nOut : (r+1)*nOut]
			copy(row, b)
			e0, e1 := s.start[idx[r]], s.start[idx[r]+1]
			k.gather(row, w, nOut, s.index[e0:e1], s.value[e0:e1], true)
		}
	})
}

// batchColumns is a mini-batch's pixels transposed, compressed sparse
// column: the images (as batch rows) that ink pixel j, with their values,
// are entries start[j]..start[j+1]-1, in ascending row order.
type batchColumns struct {
	start []int32
	row   []uint16
	value []uint8
}

// maxColumnRows is the most batch rows batchColumns indexes at once, since
// its rows are 16 bits.
const maxColumnRows = 1 << 16

// build transposes the images idx (at most maxColumnRows) of s, whose pixel
// indices are below nIn, by a counting sort on the pixel.
func (c *batchColumns) build(s *sparseImages, idx []int, nIn int) {
	start := append(c.start[:0], make([]int32, nIn+2)...)
	for _, i := range idx {
		for _, j := range s.index[s.start[i]:s.start[i+1]] {
			start[int(j)+2]++
		}
	}
	for j := 2; j < len(start); j++ {
		start[j] += start[j-1]
	}
	// Now start[j+1] is where column j begins; filling column j moves it to
	// where column j ends, which is where column j+1 begins.
	total := int(start[nIn+1])
	row := append(c.row[:0], make([]uint16, total)...)
	value := append(c.value[:0], make([]uint8, total)...)
	for r, i := range idx {
		e0, e1 := s.start[i], s.start[i+1]
		vals := s.value[e0:e1]
		for e, j := range s.index[e0:e1] {
			at := start[int(j)+1]
			row[at] = uint16(r)
			value[at] = vals[e]
			start[int(j)+1] = at + 1
		}
	}
	c.start, c.row, c.value = start[:nIn+1], row, value
}

// sparseWeightGrad computes gw = Xᵀ·d for a sparse batch. Row j of gw is
// Σ x_rj·d_r over the images r that ink pixel j, so the batch is transposed
// first and each row of gw is summed in registers and stored once. The
// workers split the pixels, so no two of them write the same row of gw.
func sparseWeightGrad(s *sparseImages, idx []int, d []float32, gw []float32, nIn, nOut int) {
	sparseWeightGradWith(kernels, workers(), s, idx, d, gw, nIn, nOut)
}

func sparseWeightGradWith(k *kernelSet, p int, s *sparseImages, idx []int, d, gw []float32, nIn, nOut int) {
	gw = gw[:nIn*nOut]
	if len(idx) == 0 {
		clear(gw)
		return
	}
	sc := scratchPool.Get().(*kernelScratch)
	defer scratchPool.Put(sc)
	c := &sc.cols
	for lo := 0; lo < len(idx); lo += maxColumnRows {
		hi := min(lo+maxColumnRows, len(idx))
		c.build(s, idx[lo:hi], nIn)
		dr := d[lo*nOut : hi*nOut]
		q := p
		if int(c.start[nIn])*nOut < minParallelWork {
			q = 1
		}
		// The first rows of the batch overwrite gw, which needs no
		// clearing then but for the pixels that no image inks.
		add := lo > 0
		parallelFor(nIn, gradChunk, q, func(jlo, jhi int) {
			for j := jlo; j < jhi; j++ {
				row := gw[j*nOut : (j+1)*nOut]
				if e0, e1 := c.start[j], c.start[j+1]; e0 < e1 {
					k.gather(row, dr, nOut, c.row[e0:e1], c.value[e0:e1], add)
				} else if !add {
					clear(row)
				}
			}
		})
	}
}
