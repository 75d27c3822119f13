package engine

// The packed matrix product of the dense layers, after the design of
// GotoBLAS and BLIS (Goto and van de Geijn, "Anatomy of high-performance
// matrix multiplication", ACM TOMS 34(3), 2008; Van Zee and van de Geijn,
// "BLIS: a framework for rapidly instantiating BLAS functionality", ACM
// TOMS 41(3), 2015). C is computed in tiles of tileRows×tileCols, each
// held in registers for a whole run over k. A is copied once into panels
// of tileRows rows, B into panels of tileCols columns, both laid out in the
// order the tile kernel reads them, so that the kernel streams two
// contiguous arrays whatever the transposes, and the zero padding of the
// last panels lets every tile be a full one.

// Tile sizes; internal/asmgen writes tileFMA for the same ones.
const (
	tileRows = 6
	tileCols = 16
)

// Blocking of the packed product, for caches of 32 KiB (L1) and 1 MiB
// (L2) or more:
//   - packedDepth terms of k at a time: one panel of B, 16 KiB, stays in
//     L1 while the tile kernel runs it against every panel of A.
//   - packedRows rows of A at a time: their panels, 96 KiB, stay in L2.
//   - packedCols columns of C make one piece of work for parallelFor; their
//     packed B, 128 KiB, also stays in L2.
const (
	packedDepth = 256
	packedRows  = 16 * tileRows
	packedCols  = 8 * tileCols
)

// usePacked reports whether a product of this shape goes through the packed
// kernel. Packing costs a pass over A and B, and a tile wastes the zero
// padding of its panels, so the narrow products of the output layer (10
// columns) and those with few terms stay with the row kernel.
func usePacked(m, n, k int) bool {
	return m >= tileRows && n >= tileCols && k >= 16
}

// tileGo is the tile kernel in Go: c[r·ldc+j] += Σ a[6t+r]·b[16t+j] over
// t < k, for r < 6 and j < 16. It is the reference tileFMA is tested
// against.
func tileGo(k int, a, b, c []float32, ldc int) {
	var acc [tileRows][tileCols]float32
	a, b = a[:k*tileRows], b[:k*tileCols]
	for t := range k {
		bt := (*[tileCols]float32)(b[t*tileCols:])
		for r, av := range a[t*tileRows : (t+1)*tileRows] {
			row := &acc[r]
			for j, bv := range bt {
				row[j] += av * bv
			}
		}
	}
	for r := range tileRows {
		row := c[r*ldc : r*ldc+tileCols]
		for j, v := range acc[r] {
			row[j] += v
		}
	}
}

// packA copies rows i0..i0+m-1 and terms p0..p0+kc-1 of op(A) into dst as
// panels of tileRows rows: panel q holds, for each term t, the values of
// its rows at t, then the next term's. The last panel's rows past m keep
// whatever dst held: they only reach the rows of an edge tile that
// packedGemm throws away.
func packA(dst, a []float32, lda int, trans bool, i0, m, p0, kc int) {
	for q := 0; q < m; q += tileRows {
		rows := min(tileRows, m-q)
		panel := dst[q*kc : (q+tileRows)*kc]
		for r := range rows {
			i := i0 + q + r
			if trans {
				for t := range kc {
					panel[t*tileRows+r] = a[(p0+t)*lda+i]
				}
			} else {
				for t, v := range a[i*lda+p0 : i*lda+p0+kc] {
					panel[t*tileRows+r] = v
				}
			}
		}
	}
}

// packB copies terms p0..p0+kc-1 and columns j0..j0+n-1 of op(B) into dst as
// panels of tileCols columns: panel q holds, for each term t, its 16 values
// at t. As in packA, the last panel's columns past n keep whatever dst
// held.
func packB(dst, b []float32, ldb int, trans bool, p0, kc, j0, n int) {
	for q := 0; q < n; q += tileCols {
		cols := min(tileCols, n-q)
		panel := dst[q*kc : (q+tileCols)*kc]
		if trans {
			for j := range cols {
				col := b[(j0+q+j)*ldb+p0 : (j0+q+j)*ldb+p0+kc]
				for t, v := range col {
					panel[t*tileCols+j] = v
				}
			}
			continue
		}
		for t := range kc {
			row := b[(p0+t)*ldb+j0+q:]
			copy(panel[t*tileCols:t*tileCols+cols], row[:cols])
		}
	}
}

// packedGemm adds op(A)·op(B) to the m×n matrix c, whose shape the caller
// has checked, with the tile kernel of ks and up to p goroutines.
func packedGemm(ks *kernelSet, p int, transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	mPad := (m + tileRows - 1) / tileRows * tileRows
	sc := scratchPool.Get().(*kernelScratch)
	defer scratchPool.Put(sc)
	// All of A, packed once for every worker: for each block of
	// packedDepth terms, its panels of rows.
	ap := grow(&sc.packedA, mPad*k)
	for p0 := 0; p0 < k; p0 += packedDepth {
		kc := min(packedDepth, k-p0)
		packA(ap[p0*mPad:], a, lda, transA, 0, m, p0, kc)
	}
	if m*n*k < minParallelWork {
		p = 1
	}
	parallelFor(n, packedCols, p, func(j0, j1 int) {
		ws := scratchPool.Get().(*kernelScratch)
		defer scratchPool.Put(ws)
		nc := j1 - j0
		ncPad := (nc + tileCols - 1) / tileCols * tileCols
		bp := grow(&ws.packedB, ncPad*min(k, packedDepth))
		var edge [tileRows * tileCols]float32
		for p0 := 0; p0 < k; p0 += packedDepth {
			kc := min(packedDepth, k-p0)
			packB(bp, b, ldb, transB, p0, kc, j0, nc)
			aBlock := ap[p0*mPad:]
			for i0 := 0; i0 < m; i0 += packedRows {
				i1 := min(i0+packedRows, m)
				for q := 0; q < nc; q += tileCols {
					bPanel := bp[q*kc : (q+tileCols)*kc]
					cols := min(tileCols, nc-q)
					for i := i0; i < i1; i += tileRows {
						aPanel := aBlock[i*kc : (i+tileRows)*kc]
						ct := c[i*ldc+j0+q:]
						rows := min(tileRows, m-i)
						if rows == tileRows && cols == tileCols {
							ks.tile(kc, aPanel, bPanel, ct, ldc)
							continue
						}
						// A tile over the edge of C goes through a
						// full one on the stack.
						clear(edge[:])
						ks.tile(kc, aPanel, bPanel, edge[:], tileCols)
						for r := range rows {
							dst := ct[r*ldc : r*ldc+cols]
							for j, v := range edge[r*tileCols : r*tileCols+cols] {
								dst[j] += v
							}
						}
					}
				}
			}
		}
	})
}

// grow returns (*buf)[:n], reallocating *buf when it is shorter.
func grow(buf *[]float32, n int) []float32 {
	if cap(*buf) < n {
		*buf = make([]float32, n)
	}
	return (*buf)[:n]
}
