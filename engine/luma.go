package engine

import (
	"encoding/binary"
	"image"
	"math"
	"sync"
)

// preprocessScratch holds the buffers of one Preprocess call. The draw pad
// preprocesses at every mouse move, so they are pooled rather than allocated
// each time.
type preprocessScratch struct {
	lum, alpha     []uint8 // the image's luminance and alpha, when it must be converted
	hist           [256]int
	part           [4][256]int32 // hist in four parts, see scanRow
	rowMin, rowMax []uint8       // each row's darkest and lightest luminance
	levels         preInk
	rows           []float32 // the box's rows filtered horizontally, digitSide values each
	wx, wy         axisWeights
}

var preprocessPool = sync.Pool{New: func() any { return new(preprocessScratch) }}

// lumaPlane is an 8-bit luminance image: pixel (x, y) is pix[y*stride+x].
type lumaPlane struct {
	pix    []uint8
	stride int
	w, h   int
}

// resized returns s with length n, reusing its memory when it can.
func resized[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// luma8 is the luminance of 8-bit R, G, B with the weights of
// image/color.GrayModel (ITU-R BT.601), so that every path below agrees with
// the standard library's conversion.
func luma8(r, g, b uint8) uint32 {
	return (19595*uint32(r) + 38470*uint32(g) + 7471*uint32(b) + 1<<15) >> 16
}

// luminance returns img as a luminance plane with transparency resolved to
// paper, and fills sc's histogram and row extremes. Gray and YCbCr (JPEG)
// images are read in place; NRGBA and RGBA, what a canvas is drawn into, are
// converted without going through color.Color; anything else goes through
// At. Each converted row is scanned while it is still in the cache.
func (sc *preprocessScratch) luminance(img image.Image) (lumaPlane, error) {
	r := img.Bounds()
	w, h := r.Dx(), r.Dy()
	if w <= 0 || h <= 0 {
		return lumaPlane{}, ErrNothingDrawn
	}
	sc.rowMin, sc.rowMax = resized(sc.rowMin, h), resized(sc.rowMax, h)
	sc.part = [4][256]int32{}
	var p lumaPlane
	switch m := img.(type) {
	case *image.Gray:
		p = lumaPlane{pix: m.Pix[m.PixOffset(r.Min.X, r.Min.Y):], stride: m.Stride, w: w, h: h}
	case *image.YCbCr:
		p = lumaPlane{pix: m.Y[m.YOffset(r.Min.X, r.Min.Y):], stride: m.YStride, w: w, h: h}
	}
	if p.pix != nil {
		for y := range h {
			sc.scanRow(y, p.pix[y*p.stride:][:w])
		}
		sc.sumHist()
		return p, nil
	}

	sc.lum = resized(sc.lum, w*h)
	// lum holds luminance premultiplied by alpha, so that compositing onto
	// the paper later is one addition. Alpha itself is only read again when
	// some pixel is not opaque.
	lum := sc.lum
	opaque := true
	switch m := img.(type) {
	case *image.NRGBA:
		// A canvas is long runs of one colour (paper, or the pen's core):
		// converting only when the colour changes saves a tenth of the time.
		last, l := uint32(0), uint32(0) // transparent black has luminance 0
		for y := range h {
			src := m.Pix[m.PixOffset(r.Min.X, r.Min.Y+y):][:4*w]
			lr := lum[y*w:][:w]
			for x := range lr {
				if c := binary.LittleEndian.Uint32(src[4*x:]); c != last {
					last, l = c, luma8(uint8(c), uint8(c>>8), uint8(c>>16))
					if c < 0xff000000 { // alpha below 255
						opaque = false
						l = (l*(c>>24) + 127) / 255
					}
				}
				lr[x] = uint8(l)
			}
			sc.scanRow(y, lr)
		}
	case *image.RGBA:
		last, l := uint32(0), uint32(0)
		for y := range h {
			src := m.Pix[m.PixOffset(r.Min.X, r.Min.Y+y):][:4*w]
			lr := lum[y*w:][:w]
			for x := range lr {
				if c := binary.LittleEndian.Uint32(src[4*x:]); c != last {
					last, l = c, min(luma8(uint8(c), uint8(c>>8), uint8(c>>16)), c>>24)
					opaque = opaque && c >= 0xff000000
				}
				lr[x] = uint8(l)
			}
			sc.scanRow(y, lr)
		}
	default:
		for y := range h {
			lr := lum[y*w:][:w]
			for x := range lr {
				cr, cg, cb, ca := img.At(r.Min.X+x, r.Min.Y+y).RGBA()
				opaque = opaque && ca == 0xffff
				lr[x] = uint8(min((19595*cr+38470*cg+7471*cb+1<<15)>>24, ca>>8))
			}
			sc.scanRow(y, lr)
		}
	}
	p = lumaPlane{pix: lum, stride: w, w: w, h: h}
	if !opaque {
		sc.alpha = resized(sc.alpha, w*h)
		alphaPlane(img, sc.alpha)
		if err := p.composite(sc.alpha); err != nil {
			return lumaPlane{}, err
		}
		sc.part = [4][256]int32{}
		for y := range h {
			sc.scanRow(y, lum[y*w:][:w])
		}
	}
	sc.sumHist()
	return p, nil
}

// alphaPlane writes img's 8-bit alpha into dst, row-major.
func alphaPlane(img image.Image, dst []uint8) {
	r := img.Bounds()
	w := r.Dx()
	var pix []uint8
	var stride int
	switch m := img.(type) {
	case *image.NRGBA:
		pix, stride = m.Pix[m.PixOffset(r.Min.X, r.Min.Y):], m.Stride
	case *image.RGBA:
		pix, stride = m.Pix[m.PixOffset(r.Min.X, r.Min.Y):], m.Stride
	}
	for y := range r.Dy() {
		ar := dst[y*w:][:w]
		for x := range ar {
			if pix != nil {
				ar[x] = pix[y*stride+4*x+3]
			} else {
				_, _, _, a := img.At(r.Min.X+x, r.Min.Y+y).RGBA()
				ar[x] = uint8(a >> 8)
			}
		}
	}
}

// scanRow adds row y to the histogram and records its extremes, which let
// inkBox skip the rows without ink. Four partial histograms take turns so
// that a run of equal pixels, which is most of a canvas, does not make each
// count wait for the previous one.
func (sc *preprocessScratch) scanRow(y int, row []uint8) {
	lo, hi := uint8(255), uint8(0)
	h0, h1, h2, h3 := &sc.part[0], &sc.part[1], &sc.part[2], &sc.part[3]
	for len(row) >= 4 {
		a, b, c, d := row[0], row[1], row[2], row[3]
		h0[a]++
		h1[b]++
		h2[c]++
		h3[d]++
		lo, hi = min(lo, a, b, c, d), max(hi, a, b, c, d)
		row = row[4:]
	}
	for _, a := range row {
		h0[a]++
		lo, hi = min(lo, a), max(hi, a)
	}
	sc.rowMin[y], sc.rowMax[y] = lo, hi
}

// sumHist adds up the partial histograms.
func (sc *preprocessScratch) sumHist() {
	for l := range sc.hist {
		sc.hist[l] = int(sc.part[0][l]) + int(sc.part[1][l]) + int(sc.part[2][l]) + int(sc.part[3][l])
	}
}

// border calls f with the index in pix of each pixel on the image's edge.
func (p lumaPlane) border(f func(i int)) {
	last := (p.h - 1) * p.stride
	for x := range p.w {
		f(x)
		if p.h > 1 {
			f(last + x)
		}
	}
	for y := 1; y < p.h-1; y++ {
		f(y * p.stride)
		if p.w > 1 {
			f(y*p.stride + p.w - 1)
		}
	}
}

// composite lays the premultiplied luminance in p over paper, in place. When
// most of the border is opaque the paper is the border's colour (a photo or a
// painted canvas with a few transparent pixels). Otherwise the transparent
// background is the paper, and its colour is the opposite of the ink's, so
// that black strokes on a transparent PNG and white strokes on a transparent
// canvas both read as ink.
func (p lumaPlane) composite(alpha []uint8) error {
	var hist [256]int
	edge, opaque := 0, 0
	p.border(func(i int) {
		edge++
		if a := uint32(alpha[i]); a >= 128 {
			opaque++
			hist[min((uint32(p.pix[i])*255+a/2)/a, 255)]++
		}
	})
	var paper uint32
	if 2*opaque >= edge {
		paper = uint32(histQuantile(&hist, 0.5))
	} else {
		var lum, cover uint64
		for i, a := range alpha {
			lum += uint64(p.pix[i])
			cover += uint64(a)
		}
		if cover == 0 {
			return ErrNothingDrawn
		}
		if 2*lum < cover { // the ink's mean luminance is below one half
			paper = 255
		}
	}
	for i, a := range alpha {
		p.pix[i] = uint8(min(uint32(p.pix[i])+((255-uint32(a))*paper+127)/255, 255))
	}
	return nil
}

// histQuantile returns the smallest level at or below which a fraction q of
// the histogram's counts lie.
func histQuantile(hist *[256]int, q float64) int {
	total := 0
	for _, c := range hist {
		total += c
	}
	want := max(int(math.Ceil(q*float64(total))), 1)
	sum := 0
	for l, c := range hist {
		sum += c
		if sum >= want {
			return l
		}
	}
	return 255
}
