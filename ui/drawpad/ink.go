package drawpad

import (
	"image"
	"math"
	"slices"
)

// InkSize is the side, in pixels, of the square buffer a Pad draws into. The
// buffer does not depend on the widget's size on screen, so the same gesture
// gives the same image in a small window and on a projector. Ten times
// MNIST's 28 pixels leaves room for a smooth anti-aliased pen.
const InkSize = 280

// Pen geometry in buffer pixels. MNIST strokes are 2 to 3 pixels wide in a
// 20-pixel digit box, about a tenth of the digit's height; a digit drawn to
// fill most of the pad gets the same proportion from a stroke a tenth of the
// pad wide. The soft edge imitates the anti-aliasing MNIST got from being
// scaled down from larger scans, so preprocessing sees familiar grey edges.
// A thinner pen (MinPen) suits a small digit drawn in a corner, which a
// pen a tenth of the pad wide would turn into a blob; a thicker one
// (MaxPen) a lecturer's quick stroke on a projector.
const (
	// DefaultPen is the pen's width at half intensity, as a share of
	// the pad's side.
	DefaultPen = 0.1
	MinPen     = 0.03
	MaxPen     = 0.16
)

// pen is the geometry of one pen width, in buffer pixels.
type pen struct {
	inner, outer, falloff float32
}

// newPen returns the geometry of a pen width times the pad's side wide.
func newPen(width float64) pen {
	// Whole pixels, as the pen always had: the pen a tenth of the pad wide
	// draws the very strokes of testdata/digits.
	w := float32(math.Round(math.Max(MinPen, math.Min(MaxPen, width)) * InkSize))
	soft := float32(math.Floor(float64(w) / 5)) // the soft edge, centred on the half-intensity line
	p := pen{inner: (w - soft) / 2, outer: (w + soft) / 2}
	p.falloff = p.outer - p.inner
	return p
}

// ink is the drawing: coverage from 0 (paper) to 255 (full ink) in a fixed
// InkSize×InkSize buffer. It knows nothing of Fyne so its geometry can be
// tested and benchmarked alone.
type ink struct {
	pen     pen
	pix     []uint8 // InkSize×InkSize, row-major
	inked   bool    // any pixel is above zero
	version uint64  // bumped on every change, so renderers redraw only when needed
}

func newInk() *ink {
	return &ink{pix: make([]uint8, InkSize*InkSize), pen: newPen(DefaultPen)}
}

// coverage is the pen's intensity at distance d from the centre of its path:
// 1 in the core, 0 outside, and a smoothstep in between so the edge has no
// visible ring.
func (p pen) coverage(d float32) float32 {
	switch {
	case d <= p.inner:
		return 1
	case d >= p.outer:
		return 0
	}
	t := (p.outer - d) / p.falloff
	return t * t * (3 - 2*t)
}

// segment inks the capsule around the segment from (x0, y0) to (x1, y1), in
// buffer pixels. Each pixel keeps the darker of its ink and the pen's, so a
// stroke made of many short segments is exactly as dark as one long one and
// the round caps join consecutive segments without gaps or blobs. It reports
// whether any pixel changed.
func (k *ink) segment(x0, y0, x1, y1 float32) bool {
	outer := k.pen.outer
	minX := clampInt(int(math.Floor(float64(min(x0, x1)-outer))), 0, InkSize)
	maxX := clampInt(int(math.Ceil(float64(max(x0, x1)+outer))), 0, InkSize)
	minY := clampInt(int(math.Floor(float64(min(y0, y1)-outer))), 0, InkSize)
	maxY := clampInt(int(math.Ceil(float64(max(y0, y1)+outer))), 0, InkSize)
	if minX >= maxX || minY >= maxY {
		return false
	}
	dx, dy := x1-x0, y1-y0
	length2 := dx*dx + dy*dy
	outer2 := outer * outer
	changed := false
	for y := minY; y < maxY; y++ {
		py := float32(y) + 0.5 - y0
		row := k.pix[y*InkSize : (y+1)*InkSize]
		for x := minX; x < maxX; x++ {
			px := float32(x) + 0.5 - x0
			// Distance from the pixel's centre to the nearest point of the segment.
			t := float32(0)
			if length2 > 0 {
				t = min(max((px*dx+py*dy)/length2, 0), 1)
			}
			ex, ey := px-t*dx, py-t*dy
			d2 := ex*ex + ey*ey
			if d2 >= outer2 {
				continue
			}
			v := uint8(k.pen.coverage(float32(math.Sqrt(float64(d2))))*255 + 0.5)
			if v > row[x] {
				row[x] = v
				changed = true
			}
		}
	}
	if changed {
		k.inked = true
		k.version++
	}
	return changed
}

// clear erases everything and reports whether there was anything to erase.
func (k *ink) clear() bool {
	if !k.inked {
		return false
	}
	clear(k.pix)
	k.inked = false
	k.version++
	return true
}

// gray returns a copy of the buffer as an image that the caller owns.
func (k *ink) gray() *image.Gray {
	return &image.Gray{Pix: slices.Clone(k.pix), Stride: InkSize, Rect: image.Rect(0, 0, InkSize, InkSize)}
}

func clampInt(v, lo, hi int) int {
	return min(max(v, lo), hi)
}
