package engine

import (
	"runtime"
	"sort"
	"sync"

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
// training: the sparse first layer's row gathers and the optimiser's axpy.
type kernelSet struct {
	name string
	// axpy computes y += alpha·x; x is exactly as long as y.
	axpy func(alpha float32, x, y []float32)
	// gather computes dst[c] += pixelScale[val[e]]·base[idx[e]·stride+c] for
	// every entry e and column c < len(dst), with idx in ascending order.
	gather func(dst, base []float32, stride int, idx []uint16, val []uint8)
}

// goKernels is the portable implementation, and the reference the assembly
// is tested against.
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
func gatherGo(dst, base []float32, stride int, idx []uint16, val []uint8) {
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
	blas32.Implementation().Sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// workers is how many goroutines share one mini-batch's work.
var workers = runtime.GOMAXPROCS(0)

// minParallelWork is the fewest multiply-adds worth splitting between
// goroutines: below it, starting and joining one costs more than it saves.
const minParallelWork = 1 << 17

// parts cuts [0, n) into at most p contiguous parts of about equal work,
// where cum(i) is the work of items [0, i), nondecreasing with cum(0) = 0.
// It appends the parts' boundaries to bounds[:0] and returns them.
func parts(bounds []int, n, p int, cum func(i int) int) []int {
	bounds = append(bounds[:0], 0)
	total := cum(n)
	for w := 1; w < p; w++ {
		target := total * w / p
		lo := bounds[len(bounds)-1]
		cut := lo + sort.Search(n-lo, func(i int) bool { return cum(lo+i) >= target })
		if cut > lo && cut < n {
			bounds = append(bounds, cut)
		}
	}
	return append(bounds, n)
}

// runParts calls fn on every part given by bounds, the first on the calling
// goroutine and each other on its own, and returns when all are done.
func runParts(bounds []int, fn func(lo, hi int)) {
	if len(bounds) <= 2 {
		fn(bounds[0], bounds[len(bounds)-1])
		return
	}
	var wg sync.WaitGroup
	for w := 1; w < len(bounds)-1; w++ {
		lo, hi := bounds[w], bounds[w+1]
		wg.Go(func() { fn(lo, hi) })
	}
	fn(bounds[0], bounds[1])
	wg.Wait()
}

// sparseScratch is the per-call memory of the sparse kernels, pooled so
// that a training step allocates nothing and concurrent calls (a session
// training while another evaluates) never share it.
type sparseScratch struct {
	bounds []int
	cum    []int32 // forward: entries of the batch's images [0, r)
	cols   batchColumns
}

var scratchPool = sync.Pool{New: func() any { return new(sparseScratch) }}

// sparseForward computes out = X·W + b for the rows of a sparse batch: each
// image adds one row of W per inked pixel, scaled by the pixel. W is read
// in place: an image's sum stays in registers across its pixels.
func sparseForward(s *sparseImages, idx []int, w []float32, b []float32, out []float32, nOut int) {
	sparseForwardWith(kernels, workers, s, idx, w, b, out, nOut)
}

func sparseForwardWith(k *kernelSet, p int, s *sparseImages, idx []int, w, b, out []float32, nOut int) {
	sc := scratchPool.Get().(*sparseScratch)
	defer scratchPool.Put(sc)
	// The images differ in ink, so the workers split the batch by entries,
	// not by images.
	cum := append(sc.cum[:0], 0)
	for _, i := range idx {
		cum = append(cum, cum[len(cum)-1]+s.start[i+1]-s.start[i])
	}
	sc.cum = cum
	if int(cum[len(idx)])*nOut < minParallelWork {
		p = 1
	}
	sc.bounds = parts(sc.bounds, len(idx), p, func(r int) int { return int(cum[r]) })
	runParts(sc.bounds, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			row := out[r*nOut : (r+1)*nOut]
			copy(row, b)
			e0, e1 := s.start[idx[r]], s.start[idx[r]+1]
			k.gather(row, w, nOut, s.index[e0:e1], s.value[e0:e1])
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
	start := c.start[:0]
	start = append(start, make([]int32, nIn+2)...)
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
	sparseWeightGradWith(kernels, workers, s, idx, d, gw, nIn, nOut)
}

func sparseWeightGradWith(k *kernelSet, p int, s *sparseImages, idx []int, d, gw []float32, nIn, nOut int) {
	gw = gw[:nIn*nOut]
	clear(gw)
	sc := scratchPool.Get().(*sparseScratch)
	defer scratchPool.Put(sc)
	c := &sc.cols
	for lo := 0; lo < len(idx); lo += maxColumnRows {
		hi := min(lo+maxColumnRows, len(idx))
		c.build(s, idx[lo:hi], nIn)
		dr := d[lo*nOut : hi*nOut]
		total := int(c.start[nIn])
		q := p
		if total*nOut < minParallelWork {
			q = 1
		}
		// Each row of gw costs its entries plus about one entry's worth of
		// call and store, so empty border pixels count a little too.
		sc.bounds = parts(sc.bounds, nIn, q, func(j int) int { return int(c.start[j]) + j })
		runParts(sc.bounds, func(jlo, jhi int) {
			for j := jlo; j < jhi; j++ {
				e0, e1 := c.start[j], c.start[j+1]
				if e0 < e1 {
					k.gather(gw[j*nOut:(j+1)*nOut], dr, nOut, c.row[e0:e1], c.value[e0:e1])
				}
			}
		})
	}
}
