package engine

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

func BenchmarkAxpy100(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	x, y := kernelTestFloats(rng, 100), kernelTestFloats(rng, 100)
	b.Run("gonum", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			blas32.Implementation().Saxpy(len(y), 1e-3, x, 1, y, 1)
		}
	})
	for _, k := range testKernels() {
		b.Run(k.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				k.axpy(1e-3, x, y)
			}
		})
	}
}

// benchSparse runs fn on MNIST batches of training images against a first
// layer of 100 units, with each kernel set and 1 and 2 workers, at the
// default batch of 100 and at 1000, which is big enough to be split.
func benchSparse(b *testing.B, fn func(k *kernelSet, p int, s *sparseImages, idx []int, w, d, out []float32)) {
	data := testMNIST(b)
	s := data.Train.sparseView()
	const nOut = 100
	nIn := data.Train.Size()
	rng := rand.New(rand.NewPCG(2, 2))
	order := rng.Perm(data.Train.Len())
	w := kernelTestFloats(rng, nIn*nOut)
	for _, batch := range []int{100, 1000} {
		d := kernelTestFloats(rng, batch*nOut)
		out := make([]float32, max(batch, nIn)*nOut)
		for _, k := range testKernels() {
			for _, p := range []int{1, 2} {
				b.Run(fmt.Sprintf("%s/batch=%d/%dw", k.name, batch, p), func(b *testing.B) {
					b.ReportAllocs()
					at := 0
					for b.Loop() {
						if at+batch > len(order) {
							at = 0
						}
						fn(k, p, s, order[at:at+batch], w, d, out)
						at += batch
					}
				})
			}
		}
	}
}

func BenchmarkSparseForward(b *testing.B) {
	bias := make([]float32, 100)
	benchSparse(b, func(k *kernelSet, p int, s *sparseImages, idx []int, w, _, out []float32) {
		sparseForwardWith(k, p, s, idx, w, bias, out, 100)
	})
}

func BenchmarkSparseWeightGrad(b *testing.B) {
	benchSparse(b, func(k *kernelSet, p int, s *sparseImages, idx []int, _, d, gw []float32) {
		sparseWeightGradWith(k, p, s, idx, d, gw, 784, 100)
	})
}

// BenchmarkGemm runs the products of a training step past the first layer:
// the forward product, the weight gradient and the gradient passed down,
// for a 100-unit layer feeding the 10 outputs at batch 100, and for wide
// hidden layers at batch 100 and 1000, with one and two workers.
func BenchmarkGemm(b *testing.B) {
	type shape struct {
		name    string
		ta, tb  blas.Transpose
		m, n, k int
	}
	shapes := []shape{
		{"forward/100x10x100", blas.NoTrans, blas.NoTrans, 100, 10, 100},
		{"weightgrad/100x10x100", blas.Trans, blas.NoTrans, 100, 10, 100},
		{"passdown/100x100x10", blas.NoTrans, blas.Trans, 100, 100, 10},
	}
	for _, batch := range []int{100, 1000} {
		for _, width := range []int{128, 256, 512, 1024} {
			shapes = append(shapes,
				shape{fmt.Sprintf("forward/%dx%dx%d", batch, width, width), blas.NoTrans, blas.NoTrans, batch, width, width},
				shape{fmt.Sprintf("weightgrad/%dx%dx%d", width, width, batch), blas.Trans, blas.NoTrans, width, width, batch},
				shape{fmt.Sprintf("passdown/%dx%dx%d", batch, width, width), blas.NoTrans, blas.Trans, batch, width, width},
			)
		}
	}
	rng := rand.New(rand.NewPCG(3, 3))
	for _, sh := range shapes {
		ar, ac := sh.m, sh.k
		if sh.ta == blas.Trans {
			ar, ac = sh.k, sh.m
		}
		br, bc := sh.k, sh.n
		if sh.tb == blas.Trans {
			br, bc = sh.n, sh.k
		}
		a, bm := kernelTestFloats(rng, ar*ac), kernelTestFloats(rng, br*bc)
		c := make([]float32, sh.m*sh.n)
		flops := 2 * float64(sh.m) * float64(sh.n) * float64(sh.k)
		b.Run(sh.name+"/gonum", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				blas32.Implementation().Sgemm(sh.ta, sh.tb, sh.m, sh.n, sh.k, 1, a, ac, bm, bc, 0, c, sh.n)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
		for _, k := range testKernels() {
			for _, p := range []int{1, 2} {
				b.Run(fmt.Sprintf("%s/%s/%dw", sh.name, k.name, p), func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						gemmWith(k, p, sh.ta, sh.tb, sh.m, sh.n, sh.k, 1, a, ac, bm, bc, 0, c, sh.n)
					}
					b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}
