package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"gonum.org/v1/gonum/blas"
)

// testKernels lists every kernel set this build and CPU can run: the Go
// reference always, the assembly where the CPU has it.
func testKernels() []*kernelSet {
	ks := []*kernelSet{&goKernels}
	if k := archKernels(); k != nil {
		ks = append(ks, k)
	}
	return ks
}

// kernelEps is float32's machine epsilon.
const kernelEps = 1.0 / (1 << 23)

// kernelSentinel fills the memory around a kernel's output, to catch writes
// outside it.
const kernelSentinel = float32(-12345.5)

// checkKernelClose reports values of got that differ from want by more than
// ulps·kernelEps times scale, the sum of the magnitudes that went into each.
func checkKernelClose(t *testing.T, what string, got []float32, want, scale []float64, ulps float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d values, want %d", what, len(got), len(want))
	}
	bad := 0
	for i := range got {
		tol := ulps*kernelEps*scale[i] + 1e-30
		if d := math.Abs(float64(got[i]) - want[i]); !(d <= tol) {
			if bad++; bad <= 5 {
				t.Errorf("%s: [%d] got %v, want %v (off by %.3g, tolerance %.3g)", what, i, got[i], want[i], d, tol)
			}
		}
	}
	if bad > 5 {
		t.Errorf("%s: %d values off in all", what, bad)
	}
}

// checkKernelSentinels reports any value of buf outside [lo, hi) that is not
// kernelSentinel.
func checkKernelSentinels(t *testing.T, what string, buf []float32, lo, hi int) {
	t.Helper()
	for i, v := range buf {
		if (i < lo || i >= hi) && v != kernelSentinel {
			t.Fatalf("%s: wrote %v at %d, outside [%d, %d)", what, v, i, lo, hi)
		}
	}
}

func kernelTestFloats(rng *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = 2*rng.Float32() - 1
	}
	return x
}

func TestKernelAxpy(t *testing.T) {
	t.Parallel()
	for _, k := range testKernels() {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(1, 2))
			for n := range 301 {
				xoff, yoff := rng.IntN(8), rng.IntN(8)
				alpha := float32(rng.NormFloat64() * 3)
				xbuf := kernelTestFloats(rng, xoff+n+8)
				ybuf := make([]float32, yoff+n+8)
				for i := range ybuf {
					ybuf[i] = kernelSentinel
				}
				y := ybuf[yoff : yoff+n]
				copy(y, kernelTestFloats(rng, n))
				// x is longer than y: only len(y) values count.
				x := xbuf[xoff : xoff+n+3]
				want, scale := make([]float64, n), make([]float64, n)
				for i := range y {
					p := float64(alpha) * float64(x[i])
					want[i] = float64(y[i]) + p
					scale[i] = math.Abs(float64(y[i])) + math.Abs(p)
				}
				k.axpy(alpha, x[:n], y)
				what := fmt.Sprintf("n=%d xoff=%d yoff=%d alpha=%v", n, xoff, yoff, alpha)
				checkKernelClose(t, what, y, want, scale, 2)
				checkKernelSentinels(t, what, ybuf, yoff, yoff+n)
			}
		})
	}
}

func TestKernelAxpyMatchesGo(t *testing.T) {
	t.Parallel()
	// The dispatching axpy gives what the Go reference gives, to within the
	// rounding that a fused multiply-add saves.
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 7, 8, 9, 31, 32, 33, 100, 257} {
		x, y := kernelTestFloats(rng, n), kernelTestFloats(rng, n)
		want := slices.Clone(y)
		axpyGo(0.75, x, want)
		axpy(0.75, x, y)
		for i := range y {
			if d := math.Abs(float64(y[i] - want[i])); d > 2*kernelEps {
				t.Errorf("n=%d: [%d] got %v, want %v", n, i, y[i], want[i])
			}
		}
	}
}

func TestKernelGather(t *testing.T) {
	t.Parallel()
	for _, k := range testKernels() {
		for _, add := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/add=%v", k.name, add), func(t *testing.T) {
				t.Parallel()
				rng := rand.New(rand.NewPCG(5, 6))
				for n := range 301 {
					checkGather(t, rng, k, n, add)
				}
			})
		}
	}
}

// checkGather runs k.gather on n columns of random rows and entries, and
// checks it against float64 arithmetic.
func checkGather(t *testing.T, rng *rand.Rand, k *kernelSet, n int, add bool) {
	t.Helper()
	stride := n + rng.IntN(9)
	rows := 1 + rng.IntN(40)
	baseOff, dstOff := rng.IntN(8), rng.IntN(8)
	base := kernelTestFloats(rng, baseOff+rows*stride)[baseOff:]
	// Any number of entries, odd and even, with repeated rows.
	m := rng.IntN(2 * rows)
	if n%50 == 0 {
		m = 0
	}
	idx := make([]uint16, m)
	val := make([]uint8, m)
	for e := range idx {
		idx[e] = uint16(rng.IntN(rows))
		val[e] = uint8(rng.IntN(256))
	}
	slices.Sort(idx)
	dstBuf := make([]float32, dstOff+n+8)
	for i := range dstBuf {
		dstBuf[i] = kernelSentinel
	}
	dst := dstBuf[dstOff : dstOff+n]
	want, scale := make([]float64, n), make([]float64, n)
	if add {
		copy(dst, kernelTestFloats(rng, n))
		for c, v := range dst {
			want[c], scale[c] = float64(v), math.Abs(float64(v))
		}
	} else {
		// Overwriting must not read dst: NaN would show.
		for c := range dst {
			dst[c] = float32(math.NaN())
		}
	}
	for c := range dst {
		for e, j := range idx {
			p := float64(pixelScale[val[e]]) * float64(base[int(j)*stride+c])
			want[c] += p
			scale[c] += math.Abs(p)
		}
	}
	k.gather(dst, base, stride, idx, val, add)
	what := fmt.Sprintf("n=%d stride=%d entries=%d add=%v", n, stride, m, add)
	// Sums of m terms round up to m times, in any order.
	checkKernelClose(t, what, dst, want, scale, float64(m+2))
	checkKernelSentinels(t, what, dstBuf, dstOff, dstOff+n)
}

func TestKernelGatherRejectsRowOutOfRange(t *testing.T) {
	t.Parallel()
	for _, k := range testKernels() {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				if recover() == nil {
					t.Error("got no panic for a row past the end of base")
				}
			}()
			base := make([]float32, 3*10)
			k.gather(make([]float32, 10), base, 10, []uint16{0, 3}, []uint8{1, 1}, true)
		})
	}
}

func TestKernelParallelFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		n, chunk, p int
	}{
		{"nothing", 0, 4, 2},
		{"one worker", 10, 3, 1},
		{"one chunk", 3, 4, 2},
		{"even chunks", 100, 4, 2},
		{"ragged last chunk", 101, 4, 2},
		{"more workers than chunks", 5, 2, 8},
		{"many workers", 1000, 7, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			done := make(chan []int32, 1)
			go func() {
				seen := make([]int32, tt.n)
				var bad atomic.Int32
				parallelFor(tt.n, tt.chunk, tt.p, func(lo, hi int) {
					if lo < 0 || hi > tt.n || lo >= hi || (tt.p > 1 && hi-lo > tt.chunk) {
						bad.Add(1)
						return
					}
					for i := lo; i < hi; i++ {
						atomic.AddInt32(&seen[i], 1)
					}
				})
				if b := bad.Load(); b != 0 {
					t.Errorf("got %d chunks out of [0, %d) or longer than %d", b, tt.n, tt.chunk)
				}
				done <- seen
			}()
			select {
			case seen := <-done:
				// Read right after the call returns: every chunk must be
				// finished by then, whoever ran it.
				for i, c := range seen {
					if c != 1 {
						t.Errorf("item %d: got %d calls, want 1", i, c)
					}
				}
			case <-time.After(10 * time.Second):
				t.Fatal("parallelFor did not return")
			}
		})
	}
}

// kernelSparseCase is a first layer and a batch to run the sparse kernels on.
type kernelSparseCase struct {
	name             string
	rows, cols, nOut int
	images, batch    int
}

var kernelSparseCases = []kernelSparseCase{
	{"tiny", 3, 3, 5, 4, 3},
	{"one image", 7, 9, 10, 20, 1},
	{"empty batch", 7, 9, 10, 20, 0},
	{"odd widths", 7, 9, 37, 30, 17},
	{"wide", 5, 6, 130, 30, 25},
	{"mnist shape", 28, 28, 100, 300, 100},
	{"mnist narrow", 28, 28, 50, 300, 200},
	// Large enough to be split between workers.
	{"big batch", 28, 28, 100, 500, 400},
}

// checkKernelSplit fails the big batch case if it is too small for parallelFor to
// split, which would leave the parallel path untested.
func checkKernelSplit(t *testing.T, tc kernelSparseCase, s *sparseImages, idx []int) {
	t.Helper()
	entries := 0
	for _, i := range idx {
		entries += int(s.start[i+1] - s.start[i])
	}
	if tc.name == "big batch" && entries*tc.nOut < minParallelWork {
		t.Fatalf("%d multiply-adds are too few to be split: make the case bigger", entries*tc.nOut)
	}
}

// kernelBatchIndex draws batch images of ds, with one of them twice when it can.
func kernelBatchIndex(rng *rand.Rand, ds *Dataset, batch int) []int {
	idx := rng.Perm(ds.Len())[:batch]
	if batch > 2 {
		idx[batch-1] = idx[0]
	}
	return idx
}

func TestKernelSparseForward(t *testing.T) {
	t.Parallel()
	for _, k := range testKernels() {
		for _, p := range []int{1, 2} {
			for ci, tc := range kernelSparseCases {
				t.Run(fmt.Sprintf("%s/%d workers/%s", k.name, p, tc.name), func(t *testing.T) {
					t.Parallel()
					rng := rand.New(rand.NewPCG(7, uint64(ci)))
					ds := randomDataset(rng, tc.images, tc.rows, tc.cols)
					nIn := ds.Size()
					w, b := kernelTestFloats(rng, nIn*tc.nOut), kernelTestFloats(rng, tc.nOut)
					idx := kernelBatchIndex(rng, ds, tc.batch)
					buf := make([]float32, tc.batch*tc.nOut+8)
					for i := range buf {
						buf[i] = kernelSentinel
					}
					out := buf[:tc.batch*tc.nOut]
					checkKernelSplit(t, tc, ds.sparseView(), idx)
					sparseForwardWith(k, p, ds.sparseView(), idx, w, b, out, tc.nOut)

					want := make([]float64, len(out))
					scale := make([]float64, len(out))
					for r, i := range idx {
						for c := range tc.nOut {
							sum, mag := float64(b[c]), math.Abs(float64(b[c]))
							for j, px := range ds.Image(i) {
								v := float64(pixelScale[px]) * float64(w[j*tc.nOut+c])
								sum += v
								mag += math.Abs(v)
							}
							want[r*tc.nOut+c], scale[r*tc.nOut+c] = sum, mag
						}
					}
					checkKernelClose(t, "out", out, want, scale, float64(nIn))
					checkKernelSentinels(t, "out", buf, 0, len(out))
				})
			}
		}
	}
}

func TestKernelSparseWeightGrad(t *testing.T) {
	t.Parallel()
	for _, k := range testKernels() {
		for _, p := range []int{1, 2} {
			for ci, tc := range kernelSparseCases {
				t.Run(fmt.Sprintf("%s/%d workers/%s", k.name, p, tc.name), func(t *testing.T) {
					t.Parallel()
					rng := rand.New(rand.NewPCG(8, uint64(ci)))
					ds := randomDataset(rng, tc.images, tc.rows, tc.cols)
					nIn := ds.Size()
					d := kernelTestFloats(rng, tc.batch*tc.nOut)
					idx := kernelBatchIndex(rng, ds, tc.batch)
					buf := make([]float32, nIn*tc.nOut+8)
					for i := range buf {
						// Whatever the last step left must not leak in.
						buf[i] = kernelSentinel
					}
					gw := buf[:nIn*tc.nOut]
					checkKernelSplit(t, tc, ds.sparseView(), idx)
					sparseWeightGradWith(k, p, ds.sparseView(), idx, d, gw, nIn, tc.nOut)

					want := make([]float64, len(gw))
					scale := make([]float64, len(gw))
					for r, i := range idx {
						for j, px := range ds.Image(i) {
							for c := range tc.nOut {
								v := float64(pixelScale[px]) * float64(d[r*tc.nOut+c])
								want[j*tc.nOut+c] += v
								scale[j*tc.nOut+c] += math.Abs(v)
							}
						}
					}
					checkKernelClose(t, "gw", gw, want, scale, float64(tc.batch+2))
					checkKernelSentinels(t, "gw", buf, 0, len(gw))
				})
			}
		}
	}
}

func TestKernelBatchColumnsReuse(t *testing.T) {
	t.Parallel()
	// A big batch then a small one through the same scratch: the second
	// transpose must not see the first one's entries.
	rng := rand.New(rand.NewPCG(9, 9))
	ds := randomDataset(rng, 50, 6, 6)
	s := ds.sparseView()
	var c batchColumns
	c.build(s, rng.Perm(50)[:40], ds.Size())
	small := []int{4, 2}
	c.build(s, small, ds.Size())
	for j := range ds.Size() {
		var want []uint16
		for r, i := range small {
			if ds.Image(i)[j] != 0 {
				want = append(want, uint16(r))
			}
		}
		if got := c.row[c.start[j]:c.start[j+1]]; !slices.Equal(got, want) {
			t.Errorf("pixel %d: got rows %v, want %v", j, got, want)
		}
	}
}

func TestKernelRows(t *testing.T) {
	t.Parallel()
	k := archKernels()
	if k == nil {
		t.Skip("no assembly kernels on this CPU or build")
	}
	rng := rand.New(rand.NewPCG(10, 11))
	for n := range 301 {
		terms := rng.IntN(20)
		if n%40 == 0 {
			terms = 0
		}
		coefStride := 1 + rng.IntN(3)
		ldb := n + rng.IntN(9)
		coefOff, bOff := rng.IntN(8), rng.IntN(8)
		coef := kernelTestFloats(rng, coefOff+terms*coefStride+1)[coefOff:]
		b := kernelTestFloats(rng, bOff+terms*ldb+n)[bOff:]
		dstOff := rng.IntN(8)
		dstBuf := make([]float32, dstOff+n+8)
		for i := range dstBuf {
			dstBuf[i] = kernelSentinel
		}
		dst := dstBuf[dstOff : dstOff+n]
		copy(dst, kernelTestFloats(rng, n))
		want, scale := make([]float64, n), make([]float64, n)
		for c := range dst {
			want[c] = float64(dst[c])
			scale[c] = math.Abs(want[c])
			for s := range terms {
				p := float64(coef[s*coefStride]) * float64(b[s*ldb+c])
				want[c] += p
				scale[c] += math.Abs(p)
			}
		}
		k.rows(dst, coef, coefStride, terms, b, ldb)
		what := fmt.Sprintf("n=%d terms=%d coefStride=%d ldb=%d", n, terms, coefStride, ldb)
		checkKernelClose(t, what, dst, want, scale, float64(terms+2))
		checkKernelSentinels(t, what, dstBuf, dstOff, dstOff+n)
	}
}

// tileKernels lists the tile kernels: the Go reference always, the
// assembly where the CPU has it. Each set has no row kernel, so that its
// gemmWith takes the packed path for every shape, however small.
func tileKernels() []*kernelSet {
	ks := []*kernelSet{{name: "go-tile", tile: tileGo}}
	if k := archKernels(); k != nil && k.tile != nil {
		ks = append(ks, &kernelSet{name: k.name + "-tile", tile: k.tile})
	}
	return ks
}

func TestKernelTile(t *testing.T) {
	t.Parallel()
	for _, ks := range tileKernels() {
		for _, add := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/add=%v", ks.name, add), func(t *testing.T) {
				t.Parallel()
				rng := rand.New(rand.NewPCG(13, 14))
				// Around the 4-term unrolling of the assembly and well past it.
				for _, k := range []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 31, 100, 256, 257} {
					checkTile(t, rng, ks, k, add)
				}
			})
		}
	}
}

// checkTile runs one tile with random offsets and padding of c, and checks
// it against float64 arithmetic and that it writes only the tile.
func checkTile(t *testing.T, rng *rand.Rand, ks *kernelSet, k int, add bool) {
	t.Helper()
	aOff, bOff, cOff := rng.IntN(8), rng.IntN(8), rng.IntN(8)
	ldc := tileCols + rng.IntN(9)
	a := kernelTestFloats(rng, aOff+k*tileRows)[aOff:]
	b := kernelTestFloats(rng, bOff+k*tileCols)[bOff:]
	cBuf := make([]float32, cOff+(tileRows-1)*ldc+tileCols+8)
	for i := range cBuf {
		cBuf[i] = kernelSentinel
	}
	c := cBuf[cOff : cOff+(tileRows-1)*ldc+tileCols]
	want, scale := make([]float64, tileRows*tileCols), make([]float64, tileRows*tileCols)
	for r := range tileRows {
		for j := range tileCols {
			var sum, mag float64
			if add {
				v := 2*rng.Float32() - 1
				c[r*ldc+j] = v
				sum, mag = float64(v), math.Abs(float64(v))
			} else {
				// Without add the tile must not be read.
				c[r*ldc+j] = float32(math.NaN())
			}
			for s := range k {
				p := float64(a[s*tileRows+r]) * float64(b[s*tileCols+j])
				sum += p
				mag += math.Abs(p)
			}
			want[r*tileCols+j], scale[r*tileCols+j] = sum, mag
		}
	}
	ks.tile(k, a, b, c, ldc, add)
	what := fmt.Sprintf("k=%d ldc=%d add=%v", k, ldc, add)
	var got []float32
	for r := range tileRows {
		got = append(got, c[r*ldc:r*ldc+tileCols]...)
		for j := tileCols; j < ldc && r < tileRows-1; j++ {
			if c[r*ldc+j] != kernelSentinel {
				t.Fatalf("%s: wrote c[%d][%d] in the padding", what, r, j)
			}
		}
	}
	checkKernelClose(t, what, got, want, scale, float64(k+2))
	checkKernelSentinels(t, what, cBuf, cOff, cOff+len(c))
}

func TestKernelTileRejectsShortSlices(t *testing.T) {
	t.Parallel()
	k := archKernels()
	if k == nil || k.tile == nil {
		t.Skip("no assembly kernels on this CPU or build")
	}
	const terms = 5
	good := func() (a, b, c []float32, ldc int) {
		return make([]float32, terms*tileRows), make([]float32, terms*tileCols), make([]float32, 6*tileCols), tileCols
	}
	tests := []struct {
		name  string
		spoil func(a, b, c *[]float32, ldc *int)
	}{
		{"a short", func(a, _, _ *[]float32, _ *int) { *a = (*a)[:len(*a)-1] }},
		{"b short", func(_, b, _ *[]float32, _ *int) { *b = (*b)[:len(*b)-1] }},
		{"c short", func(_, _, c *[]float32, _ *int) { *c = (*c)[:len(*c)-1] }},
		{"ldc below 16", func(_, _, _ *[]float32, ldc *int) { *ldc = tileCols - 1 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, b, c, ldc := good()
			tt.spoil(&a, &b, &c, &ldc)
			defer func() {
				if recover() == nil {
					t.Error("got no panic")
				}
			}()
			k.tile(terms, a, b, c, ldc, true)
		})
	}
}

func TestKernelPackedGemm(t *testing.T) {
	t.Parallel()
	// Sizes below, at and past a tile (6×16), a block of rows (96), a piece
	// of columns (128) and a block of terms (256), and one of 1 everywhere.
	shapes := []struct{ m, n, k int }{
		{1, 1, 1}, {1, 17, 3}, {7, 1, 2}, {5, 15, 300}, {6, 16, 256},
		{7, 17, 257}, {13, 33, 9}, {97, 129, 31}, {100, 100, 100},
		{12, 160, 513}, {200, 40, 20},
		// Big enough for two workers.
		{100, 300, 150},
	}
	if last := shapes[len(shapes)-1]; last.m*last.n*last.k < minParallelWork {
		t.Fatal("the last shape is too small to be split: make it bigger")
	}
	for si, sh := range shapes {
		for _, ta := range []blas.Transpose{blas.NoTrans, blas.Trans} {
			for _, tb := range []blas.Transpose{blas.NoTrans, blas.Trans} {
				t.Run(fmt.Sprintf("%dx%dx%d/%c%c", sh.m, sh.n, sh.k, ta, tb), func(t *testing.T) {
					t.Parallel()
					g := newGemmCase(rand.New(rand.NewPCG(15, uint64(si))), ta, tb, sh.m, sh.n, sh.k)
					for _, ks := range tileKernels() {
						for _, p := range []int{1, 2} {
							for _, beta := range []float32{0, 1, 0.5} {
								g.check(t, ks, p, 1, beta)
							}
						}
					}
				})
			}
		}
	}
}

func TestKernelGemm(t *testing.T) {
	t.Parallel()
	shapes := []struct{ m, n, k int }{
		{0, 3, 4}, {3, 0, 4}, {3, 4, 0}, {1, 1, 1}, {5, 7, 3},
		{100, 10, 100}, {10, 100, 10}, {17, 99, 33}, {9, 50, 21}, {6, 63, 12},
		// Wider than one panel of b.
		{64, 300, 200}, {40, 1030, 20},
		// Big enough for two workers.
		{100, 300, 150},
	}
	if last := shapes[len(shapes)-1]; last.m*last.n*last.k < minParallelWork {
		t.Fatal("the last shape is too small to be split: make it bigger")
	}
	for si, sh := range shapes {
		for _, ta := range []blas.Transpose{blas.NoTrans, blas.Trans} {
			for _, tb := range []blas.Transpose{blas.NoTrans, blas.Trans} {
				t.Run(fmt.Sprintf("%dx%dx%d/%c%c", sh.m, sh.n, sh.k, ta, tb), func(t *testing.T) {
					t.Parallel()
					g := newGemmCase(rand.New(rand.NewPCG(12, uint64(si))), ta, tb, sh.m, sh.n, sh.k)
					for _, ks := range testKernels() {
						for _, p := range []int{1, 2} {
							for _, ab := range [][2]float32{{1, 0}, {1, 1}, {1, 0.5}, {2, 1}} {
								g.check(t, ks, p, ab[0], ab[1])
							}
						}
					}
				})
			}
		}
	}
}

// gemmCase is one product's operands, with padded leading dimensions and
// each matrix at an offset into its slice, and its product in float64.
type gemmCase struct {
	ta, tb        blas.Transpose
	m, n, k       int
	lda, ldb, ldc int
	a, b, c       []float32
	ab, mag       []float64 // op(A)·op(B), m×n, and the sums of its terms' magnitudes
}

func newGemmCase(rng *rand.Rand, ta, tb blas.Transpose, m, n, k int) *gemmCase {
	ar, ac := m, k
	if ta == blas.Trans {
		ar, ac = k, m
	}
	br, bc := k, n
	if tb == blas.Trans {
		br, bc = n, k
	}
	g := &gemmCase{ta: ta, tb: tb, m: m, n: n, k: k}
	g.lda, g.ldb, g.ldc = max(1, ac)+rng.IntN(3), max(1, bc)+rng.IntN(3), max(1, n)+rng.IntN(3)
	// Each matrix starts at an offset into its slice, so that its rows
	// fall anywhere in a cache line.
	g.a = kernelTestFloats(rng, 7+ar*g.lda)[rng.IntN(8):]
	g.b = kernelTestFloats(rng, 7+br*g.ldb)[rng.IntN(8):]
	g.c = kernelTestFloats(rng, 7+m*g.ldc)[rng.IntN(8):]
	at := func(i, j int) float64 {
		if ta == blas.Trans {
			return float64(g.a[j*g.lda+i])
		}
		return float64(g.a[i*g.lda+j])
	}
	bt := func(i, j int) float64 {
		if tb == blas.Trans {
			return float64(g.b[j*g.ldb+i])
		}
		return float64(g.b[i*g.ldb+j])
	}
	g.ab, g.mag = make([]float64, m*n), make([]float64, m*n)
	for i := range m {
		for j := range n {
			var sum, mag float64
			for s := range k {
				v := at(i, s) * bt(s, j)
				sum += v
				mag += math.Abs(v)
			}
			g.ab[i*n+j], g.mag[i*n+j] = sum, mag
		}
	}
	return g
}

// check runs the product on a copy of c with the kernels ks and p workers,
// and checks it against float64 arithmetic and that it leaves the padding
// of c alone.
func (g *gemmCase) check(t *testing.T, ks *kernelSet, p int, alpha, beta float32) {
	t.Helper()
	m, n := g.m, g.n
	c := slices.Clone(g.c)
	if beta == 0 {
		// BLAS never reads c when beta is 0.
		for i := range c {
			c[i] = float32(math.NaN())
		}
	}
	want, scale := make([]float64, m*n), make([]float64, m*n)
	for i := range m {
		for j := range n {
			v := float64(alpha) * g.ab[i*n+j]
			mag := math.Abs(float64(alpha)) * g.mag[i*n+j]
			if beta != 0 {
				cb := float64(beta) * float64(c[i*g.ldc+j])
				v += cb
				mag += math.Abs(cb)
			}
			want[i*n+j], scale[i*n+j] = v, mag
		}
	}
	padding := slices.Clone(c)
	gemmWith(ks, p, g.ta, g.tb, m, n, g.k, alpha, g.a, g.lda, g.b, g.ldb, beta, c, g.ldc)
	what := fmt.Sprintf("%s/%dw/alpha=%v,beta=%v", ks.name, p, alpha, beta)
	var got []float32
	for i := range m {
		got = append(got, c[i*g.ldc:i*g.ldc+n]...)
		for j := n; j < g.ldc; j++ {
			if c[i*g.ldc+j] != padding[i*g.ldc+j] && !math.IsNaN(float64(padding[i*g.ldc+j])) {
				t.Fatalf("%s: wrote c[%d][%d] in the padding", what, i, j)
			}
		}
	}
	checkKernelClose(t, what, got, want, scale, float64(g.k+3))
}

func TestKernelGemmRejectsBadShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		m, n, k int
		la, lda int
		lb, ldb int
		lc, ldc int
		transA  bool
	}{
		{name: "lda below k", m: 2, n: 2, k: 3, la: 6, lda: 2, lb: 6, ldb: 2, lc: 4, ldc: 2},
		{name: "a too short", m: 2, n: 2, k: 3, la: 5, lda: 3, lb: 6, ldb: 2, lc: 4, ldc: 2},
		{name: "b too short", m: 2, n: 2, k: 3, la: 6, lda: 3, lb: 5, ldb: 2, lc: 4, ldc: 2},
		{name: "ldc below n", m: 2, n: 2, k: 3, la: 6, lda: 3, lb: 6, ldb: 2, lc: 4, ldc: 1},
		{name: "c too short", m: 2, n: 2, k: 3, la: 6, lda: 3, lb: 6, ldb: 2, lc: 3, ldc: 2},
		{name: "transposed a too short", m: 2, n: 2, k: 3, la: 5, lda: 2, lb: 6, ldb: 2, lc: 4, ldc: 2, transA: true},
	}
	for _, ks := range testKernels() {
		for _, tt := range tests {
			t.Run(ks.name+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				defer func() {
					if recover() == nil {
						t.Error("got no panic")
					}
				}()
				ta := blas.NoTrans
				if tt.transA {
					ta = blas.Trans
				}
				gemmWith(ks, 1, ta, blas.NoTrans, tt.m, tt.n, tt.k, 1,
					make([]float32, tt.la), tt.lda, make([]float32, tt.lb), tt.ldb, 0, make([]float32, tt.lc), tt.ldc)
			})
		}
	}
}
