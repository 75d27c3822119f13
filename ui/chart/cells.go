package chart

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	vgdraw "gonum.org/v1/plot/vg/draw"

	"github.com/mnistplayground/mnistplayground/engine"
)

// Grid is how n cells are laid out in an image: Cols columns and Rows rows
// of cells Cell pixels wide and CellH high, Gap pixels apart, the first at
// (X0, Y0). The charts of cells draw with it, and a view that takes clicks
// on them finds the cell under the pointer with At.
type Grid struct {
	N, Cols, Rows    int
	Cell, CellH, Gap float64
	X0, Y0           float64
}

// LayoutGrid lays out n cells, each extra pixels taller than wide (for a
// caption), as large as they fit in width×height.
func LayoutGrid(n, width, height int, extra float64) Grid {
	g := Grid{N: n}
	if n <= 0 || width <= 0 || height <= 0 {
		return g
	}
	best := 0.0
	for cols := 1; cols <= n; cols++ {
		rows := (n + cols - 1) / cols
		gap := math.Max(1, math.Min(float64(width), float64(height))/200)
		cw := (float64(width) - gap*float64(cols-1)) / float64(cols)
		ch := (float64(height)-gap*float64(rows-1))/float64(rows) - extra
		if side := math.Min(cw, ch); side > best {
			best = side
			g.Cols, g.Rows, g.Gap = cols, rows, gap
		}
	}
	g.Cell = math.Floor(best)
	g.CellH = g.Cell + extra
	w := float64(g.Cols)*g.Cell + float64(g.Cols-1)*g.Gap
	h := float64(g.Rows)*g.CellH + float64(g.Rows-1)*g.Gap
	g.X0, g.Y0 = math.Floor((float64(width)-w)/2), math.Floor((float64(height)-h)/2)
	return g
}

// Rect is cell i's square, without its caption.
func (g Grid) Rect(i int) image.Rectangle {
	r, c := i/max(g.Cols, 1), i%max(g.Cols, 1)
	x := g.X0 + float64(c)*(g.Cell+g.Gap)
	y := g.Y0 + float64(r)*(g.CellH+g.Gap)
	return image.Rect(int(x), int(y), int(x+g.Cell), int(y+g.Cell))
}

// At returns the cell at pixel (x, y), its caption included, if there is
// one.
func (g Grid) At(x, y float64) (int, bool) {
	if g.Cols == 0 || x < g.X0 || y < g.Y0 {
		return 0, false
	}
	c := int((x - g.X0) / (g.Cell + g.Gap))
	r := int((y - g.Y0) / (g.CellH + g.Gap))
	i := r*g.Cols + c
	if c >= g.Cols || i >= g.N {
		return 0, false
	}
	rect := g.Rect(i)
	if x >= float64(rect.Max.X) || y >= float64(rect.Min.Y)+g.CellH {
		return 0, false // in the gap after the cell
	}
	return i, true
}

// diverging maps v in [−1, 1] to blue, through a neutral near the
// background, to red: the usual scale for weights, whose sign matters as
// much as their size.
func diverging(v float64, zero color.Color) color.NRGBA {
	red := color.NRGBA{0xD6, 0x27, 0x28, 0xff}
	blue := color.NRGBA{0x1F, 0x77, 0xB4, 0xff}
	v = math.Max(-1, math.Min(1, v))
	if v >= 0 {
		return mix(zero, red, math.Sqrt(v))
	}
	return mix(zero, blue, math.Sqrt(-v))
}

// divergingScale is the diverging colours of 513 values from −1 to 1, so
// that a grid of a thousand units' weights looks its colours up rather than
// blending each.
func divergingScale(zero color.Color) func(v float64) color.Color {
	var lut [513]color.NRGBA
	for i := range lut {
		lut[i] = diverging(float64(i-256)/256, zero)
	}
	return func(v float64) color.Color {
		i := int(math.Round(math.Max(-1, math.Min(1, v))*256)) + 256
		return lut[i]
	}
}

// paint fills r of img with a rows×cols image of values, each pixel the
// colour of value, scaled with nearest neighbours so that every input
// pixel stays a crisp square.
func paint(img *image.RGBA, r image.Rectangle, rows, cols int, at func(row, col int) color.Color) {
	r = r.Intersect(img.Rect)
	if r.Empty() {
		return
	}
	// One colour per input pixel, written straight into the image's
	// bytes: img.Set would convert (and allocate) once per output pixel.
	cells := make([]color.RGBA, rows*cols)
	for i := range cells {
		cr, cg, cb, ca := at(i/cols, i%cols).RGBA()
		cells[i] = color.RGBA{R: uint8(cr >> 8), G: uint8(cg >> 8), B: uint8(cb >> 8), A: uint8(ca >> 8)}
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := (y - r.Min.Y) * rows / max(r.Dy(), 1)
		o := img.PixOffset(r.Min.X, y)
		for x := r.Min.X; x < r.Max.X; x++ {
			c := cells[row*cols+(x-r.Min.X)*cols/max(r.Dx(), 1)]
			img.Pix[o], img.Pix[o+1], img.Pix[o+2], img.Pix[o+3] = c.R, c.G, c.B, c.A
			o += 4
		}
	}
}

// outline draws a rectangle's border, w pixels wide.
func outline(img *image.RGBA, r image.Rectangle, w int, c color.Color) {
	u := image.NewUniform(c)
	draw.Draw(img, image.Rect(r.Min.X-w, r.Min.Y-w, r.Max.X+w, r.Min.Y), u, image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(r.Min.X-w, r.Max.Y, r.Max.X+w, r.Max.Y+w), u, image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(r.Min.X-w, r.Min.Y, r.Min.X, r.Max.Y), u, image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(r.Max.X, r.Min.Y, r.Max.X+w, r.Max.Y), u, image.Point{}, draw.Src)
}

// at converts a pixel position in the frame's area (from its top left) to
// the vector canvas (from the bottom left).
func (f *frame) at(x, y float64) vg.Point {
	return vg.Point{X: f.c.Min.X + vg.Length(x*f.px), Y: f.c.Max.Y - vg.Length(y*f.px)}
}

// pixels is the frame's layer of pixels, for the charts made of cells: it
// lies over the background, under the text, and is laid on the canvas by
// done. On a vector canvas it becomes one embedded image.
func (f *frame) pixels() *image.RGBA {
	if f.pix == nil {
		f.pix = image.NewRGBA(image.Rect(0, 0, f.w, f.h))
	}
	return f.pix
}

// text queues a line of text to write over the pixels.
func (f *frame) text(sty text.Style, at vg.Point, s string) {
	f.texts = append(f.texts, queuedText{sty, at, s})
}

// queuedText is a line of text waiting for the pixels under it.
type queuedText struct {
	sty text.Style
	at  vg.Point
	s   string
}

// done lays the pixels on the canvas, then the text over them.
func (f *frame) done() {
	if f.pix != nil {
		f.c.DrawImage(vg.Rectangle{Min: f.c.Min, Max: f.c.Max}, f.pix)
	}
	for _, t := range f.texts {
		f.c.FillText(t.sty, t.at, t.s)
	}
	f.pix, f.texts = nil, nil
}

// WeightGrid draws each first-layer unit's incoming weights as a
// rows×cols image (28×28 for MNIST) in a grid, on one diverging scale with
// zero in its middle, so that a student sees stroke detectors grow out of
// noise as the network trains. Unit selected (−1 for none) is outlined.
func WeightGrid(m *engine.Model, selected int, width, height int, st Style) (image.Image, error) {
	return Render(WeightGridChart(m, selected), width, height, st)
}

// WeightGridChart is the chart WeightGrid draws, for Render and Export.
func WeightGridChart(m *engine.Model, selected int) Chart {
	return Chart{name: "first-layer weights", draw: func(f *frame) {
		width, height := f.w, f.h
		if m == nil || len(m.Layers) == 0 {
			f.text(f.hint, f.c.Center(), "no network")
			f.done()
			return
		}
		n := m.Layers[0].Out
		g := LayoutGrid(n, width, height, 0)
		scale := float64(m.InputWeightScale())
		colour := divergingScale(mix(f.st.Background, f.st.Foreground, 0.12))
		for j := range n {
			w := m.InputWeights(j)
			r := g.Rect(j)
			paint(f.pixels(), r, w.Rows, w.Cols, func(row, col int) color.Color {
				return colour(float64(w.Values[row*w.Cols+col]) / scale)
			})
		}
		if selected >= 0 && selected < n {
			outline(f.pixels(), g.Rect(selected), max(2, int(g.Gap)), f.st.Foreground)
		}
		f.done()
		return
	}}
}

// UnitWeights draws one first-layer unit's weights large, with its title.
func UnitWeights(m *engine.Model, unit int, width, height int, st Style) (image.Image, error) {
	return Render(UnitWeightsChart(m, unit), width, height, st)
}

// UnitWeightsChart is the chart UnitWeights draws, for Render and Export.
func UnitWeightsChart(m *engine.Model, unit int) Chart {
	return Chart{name: "unit weights", draw: func(f *frame) {
		width, height := f.w, f.h
		if m == nil || unit < 0 || unit >= m.Layers[0].Out {
			f.text(f.hint, f.c.Center(), "click a unit")
			f.done()
			return
		}
		area := f.header(fmt.Sprintf("Unit %d", unit+1), nil)
		top := float64(f.h) * float64(1-area.Max.Y/f.c.Max.Y)
		w := m.InputWeights(unit)
		side := math.Min(float64(width), float64(height)-top)
		x0 := (float64(width) - side) / 2
		r := image.Rect(int(x0), int(top), int(x0+side), int(top+side))
		scale := float64(w.Scale)
		zero := mix(f.st.Background, f.st.Foreground, 0.12)
		paint(f.pixels(), r, w.Rows, w.Cols, func(row, col int) color.Color {
			return diverging(float64(w.Values[row*w.Cols+col])/scale, zero)
		})
		f.done()
		return
	}}
}

// DigitCell is one image of a gallery of digits with its caption.
type DigitCell struct {
	Pixels  []uint8 // rows·cols bytes, 0 (background) to 255 (ink)
	Caption string
}

// Digits draws a gallery of 28×28 digits, white ink on black as MNIST
// stores them, each with its caption under it, on LayoutGrid(len(cells),
// width, height, DigitCaption(st)); without cells it says empty.
func Digits(cells []DigitCell, selected int, empty string, width, height int, st Style) (image.Image, error) {
	return Render(DigitsChart(cells, selected, empty), width, height, st)
}

// DigitsChart is the chart Digits draws, for Render and Export.
func DigitsChart(cells []DigitCell, selected int, empty string) Chart {
	return Chart{name: "digits", draw: func(f *frame) {
		width, height := f.w, f.h
		st := f.st
		if len(cells) == 0 {
			f.text(f.hint, f.c.Center(), empty)
			f.done()
			return
		}
		g := LayoutGrid(len(cells), width, height, DigitCaption(st))
		caption := f.tick
		caption.XAlign, caption.YAlign = vgdraw.XCenter, vgdraw.YTop
		caption.Color = f.st.Foreground
		for i, c := range cells {
			r := g.Rect(i)
			paint(f.pixels(), r, 28, 28, func(row, col int) color.Color {
				v := c.Pixels[row*28+col]
				return color.Gray{Y: v}
			})
			if i == selected {
				outline(f.pixels(), r, 2, f.st.series(0))
			}
			f.text(caption, f.at(float64(r.Min.X+r.Max.X)/2, float64(r.Max.Y)+2), c.Caption)
		}
		f.done()
		return
	}}
}

// DigitCaption is the height in pixels a digit's caption takes under it.
func DigitCaption(st Style) float64 {
	st, _ = st.resolved()
	return 1.4 * st.TextSize * 0.85 * st.Scale
}

// Saliency draws the network's 28×28 input in grey with the saliency map
// over it: red where more ink would raise the winning score, blue where it
// would lower it, stronger for a larger gradient. Values are the inputs,
// 0..1; saliency has one value per input.
func Saliency(input, saliency []float32, width, height int, st Style) (image.Image, error) {
	return Render(SaliencyChart(input, saliency), width, height, st)
}

// SaliencyChart is the chart Saliency draws, for Render and Export.
func SaliencyChart(input, saliency []float32) Chart {
	return Chart{name: "saliency", draw: func(f *frame) {
		width, height := f.w, f.h
		if len(input) != 28*28 {
			f.text(f.hint, f.c.Center(), "draw a digit")
			f.done()
			return
		}
		top := 0.0
		for _, s := range saliency {
			top = math.Max(top, math.Abs(float64(s)))
		}
		side := math.Min(float64(width), float64(height))
		x0, y0 := (float64(width)-side)/2, (float64(height)-side)/2
		r := image.Rect(int(x0), int(y0), int(x0+side), int(y0+side))
		black := color.NRGBA{A: 0xff}
		paint(f.pixels(), r, 28, 28, func(row, col int) color.Color {
			v := float64(input[row*28+col])
			base := mix(black, color.White, 0.6*v)
			if top == 0 || len(saliency) != len(input) {
				return base
			}
			s := float64(saliency[row*28+col]) / top
			if s >= 0 {
				return mix(base, color.NRGBA{0xff, 0x30, 0x30, 0xff}, math.Sqrt(s))
			}
			return mix(base, color.NRGBA{0x30, 0x90, 0xff, 0xff}, math.Sqrt(-s))
		})
		f.done()
		return
	}}
}
