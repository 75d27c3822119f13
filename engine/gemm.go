package engine

// The packed matrix product of the dense layers, after the design of
// GotoBLAS and BLIS (Goto and van de Geijn, "Anatomy of high-performance
// matrix multiplication", ACM TOMS 34(3), 2008; Van Zee and van de Geijn,
// "BLIS: a framework for rapidly instantiating BLAS functionality", ACM
// TOMS 41(3), 2015). C is computed in tiles of tileRows×tileCols, each
// held in registers for a whole run over k. A is copied once into panels
// of tileRows rows, B into panels of tileCols columns, both laid out in the
// order the tile kernel reads them, so that the kernel streams two
// contiguous arrays whatever the transposes, and the padding of the last
// panels, whose share of the results is thrown away, lets every tile be a
// full one.

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
//   - at most packedCols columns of C make one piece of work for
//     parallelFor; their packed B, 128 KiB, also stays in L2.
const (
	packedDepth = 256
	packedRows  = 16 * tileRows
	packedCols  = 8 * tileCols
)

// usePacked reports whether a product of this shape goes through the packed
// kernel. Packing costs a pass over A and B, and a tile wastes the
// padding of its panels, so the narrow products of the output layer (10
// columns) and those with few terms stay with the row kernel.
func usePacked(m, n, k int) bool {
	return m >= tileRows && n >= tileCols && k >= 16
}

// tileGo is the tile kernel in Go: c[r·ldc+j] += Σ a[6t+r]·b[16t+j] over
// t < k, for r < 6 and j < 16, or c[r·ldc+j] = the sum without add. It is
// the reference tileFMA is tested against.
func tileGo(k int, a, b, c []float32, ldc int, add bool) {
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
		if !add {
			copy(row, acc[r][:])
			continue
		}
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
	full := n / tileCols * tileCols
	if trans {
		for q := 0; q < full; q += tileCols {
			packBTransposed(dst[q*kc:(q+tileCols)*kc], b, ldb, p0, kc, j0+q)
		}
		if full < n {
			panel := dst[full*kc : (full+tileCols)*kc]
			for j := range n - full {
				col := b[(j0+full+j)*ldb+p0:][:kc]
				for t, v := range col {
					panel[t*tileCols+j] = v
				}
			}
		}
		return
	}
	// B is read a row at a time, across every panel: a row's n values
	// are consecutive, where a panel's rows are ldb apart, usually in
	// different pages, which the hardware prefetchers do not cross.
	for t := range kc {
		row := b[(p0+t)*ldb+j0:][:n]
		for q := 0; q < full; q += tileCols {
			src := (*[tileCols]float32)(row[q:])
			out := (*[tileCols]float32)(dst[q*kc+t*tileCols:])
			*out = *src
		}
		if full < n {
			copy(dst[full*kc+t*tileCols:][:n-full], row[full:])
		}
	}
}

// packBTransposed packs one full panel of B = Xᵀ: column j of the panel is
// row j0+j of X. It writes the panel a term at a time, from sixteen rows of
// X read side by side, so that every store goes to consecutive memory and
// every slice is checked once, outside the loop.
func packBTransposed(panel, x []float32, ldx, p0, kc, j0 int) {
	row := func(j int) []float32 { return x[(j0+j)*ldx+p0:][:kc] }
	// Each row resliced to the length of the first, which the loop ranges
	// over: that proves every index in bounds.
	r0 := row(0)
	n := len(r0)
	r1, r2, r3 := row(1)[:n], row(2)[:n], row(3)[:n]
	r4, r5, r6, r7 := row(4)[:n], row(5)[:n], row(6)[:n], row(7)[:n]
	r8, r9, r10, r11 := row(8)[:n], row(9)[:n], row(10)[:n], row(11)[:n]
	r12, r13, r14, r15 := row(12)[:n], row(13)[:n], row(14)[:n], row(15)[:n]
	panel = panel[:n*tileCols]
	for t := range r0 {
		out := (*[tileCols]float32)(panel[t*tileCols:])
		out[0], out[1], out[2], out[3] = r0[t], r1[t], r2[t], r3[t]
		out[4], out[5], out[6], out[7] = r4[t], r5[t], r6[t], r7[t]
		out[8], out[9], out[10], out[11] = r8[t], r9[t], r10[t], r11[t]
		out[12], out[13], out[14], out[15] = r12[t], r13[t], r14[t], r15[t]
	}
}

// packedGemm adds op(A)·op(B) to the m×n matrix c, or without add
// overwrites c with it, whose shapes the caller has checked, with the tile
// kernel of ks and up to p goroutines. k must be at least 1.
func packedGemm(ks *kernelSet, p int, transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, add bool, c []float32, ldc int) {
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
	parallelFor(n, packedChunk(n, p), p, func(j0, j1 int) {
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
						// The first block of terms overwrites c
						// unless c is added to.
						addTile := add || p0 > 0
						if rows == tileRows && cols == tileCols {
							ks.tile(kc, aPanel, bPanel, ct, ldc, addTile)
							continue
						}
						// A tile over the edge of C goes through a
						// full one on the stack.
						ks.tile(kc, aPanel, bPanel, edge[:], tileCols, false)
						for r := range rows {
							dst := ct[r*ldc : r*ldc+cols]
							src := edge[r*tileCols : r*tileCols+cols]
							if !addTile {
								copy(dst, src)
								continue
							}
							for j, v := range src {
								dst[j] += v
							}
						}
					}
				}
			}
		}
	})
}

// packedChunk is how many columns of C a worker takes at a time: a whole
// number of panels, about a quarter of a worker's share, and at most
// packedCols. With a fixed 128, 192 columns would split 128 and 64, and a
// helper that starts late, or whose core is busy, would hold the caller up
// for a whole eighth of the columns; a quarter share lets the caller take
// over most of the work instead.
func packedChunk(n, p int) int {
	if p < 2 {
		return packedCols
	}
	c := (n + 4*p - 1) / (4 * p)
	c = (c + tileCols - 1) / tileCols * tileCols
	return min(max(c, tileCols), packedCols)
}

// grow returns (*buf)[:n], reallocating *buf when it is shorter.
func grow(buf *[]float32, n int) []float32 {
	if cap(*buf) < n {
		*buf = make([]float32, n)
	}
	return (*buf)[:n]
}
