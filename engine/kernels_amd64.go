//go:build !purego

package engine

import "golang.org/x/sys/cpu"

// kernels_amd64.s is written by internal/asmgen; change the kernels there.
//
//go:generate go run ./internal/asmgen -out kernels_amd64.s

// The assembly kernels below do not check their indices; call them through
// fmaKernels, whose wrappers check that every row they read or write lies
// inside its slice.

// axpyFMA is axpy in AVX2 and FMA assembly; len(x) must be at least len(y).
//
//go:noescape
func axpyFMA(alpha float32, x, y []float32)

// gatherFMA is gatherGo in AVX2 and FMA assembly: every idx[e]·stride +
// len(dst) must be at most len(base), and val at least as long as idx.
//
//go:noescape
func gatherFMA(dst, base []float32, stride int, idx []uint16, val []uint8, table *[256]float32, add bool)

// rowsFMA is rowsGo in AVX2 and FMA assembly: when k > 0, coef must hold
// (k-1)·coefStride+1 values and b (k-1)·ldb+len(dst).
//
//go:noescape
func rowsFMA(dst, coef []float32, coefStride, k int, b []float32, ldb int)

// tileFMA is tileGo in AVX2 and FMA assembly: a must hold 6k values, b
// 16k, and c 5·ldc+16 with ldc at least 16.
//
//go:noescape
func tileFMA(k int, a, b, c []float32, ldc int, add bool)

// prefetchFMA asks for the cache lines of idx and val.
//
//go:noescape
func prefetchFMA(idx []uint16, val []uint8)

// fmaKernels runs the inner loops on 8-float ymm registers with fused
// multiply-adds.
var fmaKernels = kernelSet{
	name:     "avx2fma",
	axpy:     axpyFMA,
	prefetch: prefetchFMA,
	gather: func(dst, base []float32, stride int, idx []uint16, val []uint8, add bool) {
		if len(idx) == 0 {
			if !add {
				clear(dst)
			}
			return
		}
		// idx ascends, so its last entry is the farthest row: checking it
		// keeps the assembly inside base.
		if stride < len(dst) || int(idx[len(idx)-1])*stride+len(dst) > len(base) {
			panic("engine: gather row out of range")
		}
		gatherFMA(dst, base, stride, idx, val[:len(idx)], &pixelScale, add)
	},
	rows: func(dst, coef []float32, coefStride, k int, b []float32, ldb int) {
		if k <= 0 {
			return
		}
		if coefStride < 1 || ldb < len(dst) || (k-1)*coefStride >= len(coef) || (k-1)*ldb+len(dst) > len(b) {
			panic("engine: matrix row out of range")
		}
		rowsFMA(dst, coef, coefStride, k, b, ldb)
	},
	tile: func(k int, a, b, c []float32, ldc int, add bool) {
		if k < 0 || len(a) < k*tileRows || len(b) < k*tileCols || ldc < tileCols || len(c) < (tileRows-1)*ldc+tileCols {
			panic("engine: tile out of range")
		}
		tileFMA(k, a, b, c, ldc, add)
	},
}

// archKernels returns the assembly kernels when the CPU has AVX2 and FMA
// (x86-64 since Haswell and Zen), nil otherwise.
func archKernels() *kernelSet {
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		return &fmaKernels
	}
	return nil
}
