package chart

import (
	"fmt"
	"image"
	"image/color"
	stddraw "image/draw"
	"math"

	"git.sr.ht/~sbinet/gg"
	xdraw "golang.org/x/image/draw"
	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Liberation Sans ships inside gonum/plot (parsed once, at its init), so the
// charts need no system fonts and look the same everywhere.
var (
	sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}
	boldFont = font.Font{Typeface: "Liberation", Variant: "Sans", Weight: xfont.WeightBold}
)

// frame is one chart being drawn: the area of the canvas it draws in, with
// its size in pixels, and the text styles derived from the Style. The
// drawing code sees only the vg canvas, so the same code draws into an image
// (newRaster) and into an SVG document (newVector).
type frame struct {
	st   Style
	c    draw.Canvas
	k    float64 // canvas units per point of the style
	px   float64 // canvas units per pixel
	w, h int     // the area's size in pixels

	title, label, tick, hint text.Style

	// plots are the plots laid out and waiting to be drawn, shared by the
	// frames of one canvas: drawn once every chart has been laid out, so
	// that stacked charts can align their data areas first.
	plots *[]laidOut

	// pix and texts are the layer of pixels and the text over it of the
	// charts made of cells (see pixels).
	pix   *image.RGBA
	texts []queuedText
}

// laidOut is a plot and the area it is to be drawn in.
type laidOut struct {
	p    *plot.Plot
	area draw.Canvas
	// yLabel, when its text is set, is the y axis's label, drawn by flush
	// in the room of ylRoom left of area (see plot).
	yLabel text.Style
	ylText string
	ylRoom vg.Length
}

// checkSize reports a chart size no back end should draw.
func checkSize(width, height int) error {
	if width < 1 || height < 1 {
		return fmt.Errorf("chart size %d×%d is empty: give a width and height of at least 1 pixel", width, height)
	}
	if width > maxEdge || height > maxEdge {
		return fmt.Errorf("chart size %d×%d is too large: keep both under %d pixels", width, height, maxEdge)
	}
	return nil
}

// newRaster makes a width×height image filled with the style's background
// and a frame that draws into it. st must be resolved.
func newRaster(width, height int, st Style) (*image.RGBA, *frame) {
	// vgimg takes an integer DPI; one point is dpi/72 pixels. The rounding
	// error is made good by scaling every length by k.
	dpi := max(1, int(math.Round(72*st.Scale)))
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	// Drawing straight into img (rather than letting vgimg allocate and copy
	// an image) saves two full-image allocations per chart.
	ctx := gg.NewContextForRGBA(img)
	ctx.SetLineCapRound()
	ctx.SetLineJoinRound()
	// gg composites every glyph through this interpolator. The glyphs are
	// already rasterised at their final size and only moved (or turned a
	// quarter, for the y label), so nearest-neighbour copies them exactly,
	// at a third of bilinear's cost.
	ctx.SetInterpolator(xdraw.NearestNeighbor)
	ctx.InvertY()
	cv := vgimg.NewWith(vgimg.UseImageWithContext(img, ctx), vgimg.UseDPI(dpi))
	// NewWith painted the image white.
	stddraw.Draw(img, img.Bounds(), image.NewUniform(st.Background), image.Point{}, stddraw.Src)
	return img, newFrame(draw.New(cv), width, height, st, 72*st.Scale/float64(dpi), 72/float64(dpi))
}

// svgPointsPerPixel is the size of a CSS pixel in points (96 pixels to the
// inch): vgsvg writes its size in points, so an SVG drawn width pixels wide
// shows at width pixels in a browser or a slide, as the PNG would.
const svgPointsPerPixel = 0.75

// newVector makes an SVG canvas of width×height CSS pixels filled with the
// style's background, and a frame that draws onto it. st must be resolved.
func newVector(width, height int, st Style) (*vgsvg.Canvas, *frame) {
	px := svgPointsPerPixel
	cv := vgsvg.NewWith(vgsvg.UseWH(vg.Length(float64(width)*px), vg.Length(float64(height)*px)))
	c := draw.New(cv)
	// An SVG starts transparent; the image starts with the background.
	c.FillPolygon(st.Background, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
	return cv, newFrame(c, width, height, st, px*st.Scale, px)
}

// newFrame returns a frame drawing on c, which is width×height pixels of k
// canvas units per point and px per pixel.
func newFrame(c draw.Canvas, width, height int, st Style, k, px float64) *frame {
	f := &frame{st: st, c: c, k: k, px: px, w: width, h: height, plots: new([]laidOut)}
	hdlr := plot.DefaultTextHandler
	f.title = text.Style{Color: st.Foreground, Font: font.From(boldFont, f.pt(st.TextSize)), XAlign: draw.XLeft, YAlign: draw.YCenter, Handler: hdlr}
	f.label = text.Style{Color: st.muted(), Font: font.From(sansFont, f.pt(0.9*st.TextSize)), XAlign: draw.XCenter, YAlign: draw.YBottom, Handler: hdlr}
	f.tick = text.Style{Color: st.muted(), Font: font.From(sansFont, f.pt(0.85*st.TextSize)), Handler: hdlr}
	f.hint = text.Style{Color: st.muted(), Font: font.From(sansFont, f.pt(st.TextSize)), XAlign: draw.XCenter, YAlign: draw.YCenter, Handler: hdlr}
	return f
}

// rows splits the frame's area into n frames, top to bottom, of whole
// pixels whose heights share the area's in proportion to weights.
func (f *frame) rows(weights []float64) []*frame {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	out := make([]*frame, len(weights))
	top, acc := 0, 0.0
	for i, w := range weights {
		acc += w
		bottom := int(math.Round(float64(f.h) * acc / total))
		if i == len(weights)-1 {
			bottom = f.h
		}
		sub := *f
		sub.h = bottom - top
		sub.c = draw.Crop(f.c, 0, 0, vg.Length(float64(f.h-bottom)*f.px), -vg.Length(float64(top)*f.px))
		out[i] = &sub
		top = bottom
	}
	return out
}

// pt converts a length in points to the canvas's units.
func (f *frame) pt(v float64) vg.Length { return vg.Length(v * f.k) }

// em is the body text size in pixels, the unit the layout is planned in.
func (f *frame) em() float64 { return f.st.TextSize * f.st.Scale }

// newPlot returns a plot styled for the frame, with axes labelled xl and yl
// and tick targets fitted to the chart's size.
func (f *frame) newPlot(xl, yl string) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil // the frame is already filled
	f.styleAxis(&p.X, xl)
	f.styleAxis(&p.Y, yl)
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XCenter, draw.YTop
	p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
	p.X.Tick.Marker = linearTicks{target: f.xTarget()}
	p.Y.Tick.Marker = linearTicks{target: f.yTarget()}
	return p
}

// xTarget is how many x tick labels fit: one per seven text heights of the
// estimated data width.
func (f *frame) xTarget() int {
	return clampInt(int((float64(f.w)-6*f.em())/(7*f.em())), 2, 10)
}

// yTarget is how many y tick labels fit: one per three text heights of the
// estimated data height.
func (f *frame) yTarget() int {
	return clampInt(int((float64(f.h)-5*f.em())/(3*f.em())), 2, 10)
}

func clampInt(v, lo, hi int) int { return max(lo, min(hi, v)) }

// styleAxis gives an axis the style's fonts and colours. It draws no axis
// line and no tick marks: the grid lines already carry the ticks, and an axis
// line a pixel or two off the first grid line looks like a smudge.
func (f *frame) styleAxis(a *plot.Axis, label string) {
	a.Label.Text = label
	a.Label.TextStyle = f.label
	a.Label.Padding = f.pt(3)
	a.LineStyle = draw.LineStyle{}
	a.Padding = f.pt(4)
	a.Tick.Label = f.tick
	a.Tick.LineStyle = draw.LineStyle{}
	a.Tick.Length = 0
}

// grid is horizontal and vertical lines at the labelled ticks.
type grid struct {
	sty                  draw.LineStyle
	vertical, horizontal bool
}

// Plot draws the grid lines inside the data area.
func (g grid) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	if g.vertical {
		for _, tk := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
			if x := trX(tk.Value); !tk.IsMinor() && x >= c.Min.X && x <= c.Max.X {
				c.StrokeLine2(g.sty, x, c.Min.Y, x, c.Max.Y)
			}
		}
	}
	if g.horizontal {
		for _, tk := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
			if y := trY(tk.Value); !tk.IsMinor() && y >= c.Min.Y && y <= c.Max.Y {
				c.StrokeLine2(g.sty, c.Min.X, y, c.Max.X, y)
			}
		}
	}
}

// newGrid returns the frame's grid.
func (f *frame) newGrid(vertical, horizontal bool) grid {
	return grid{sty: draw.LineStyle{Color: f.st.Grid, Width: f.pt(0.75)}, vertical: vertical, horizontal: horizontal}
}

// hint is a line of text in the middle of the data area, for charts that have
// nothing to show yet.
type hint struct {
	text string
	sty  text.Style
}

// Plot writes the hint.
func (h hint) Plot(c draw.Canvas, _ *plot.Plot) {
	c.FillText(h.sty, c.Center(), h.text)
}

// legendItem is one entry of the header's legend: a swatch and a label.
type legendItem struct {
	label, short string          // short replaces label when space is tight
	line         draw.LineStyle  // the swatch's line; none when Width is 0
	glyph        draw.GlyphStyle // the swatch's marker; none when Radius is 0
	fill         color.Color     // the swatch's box; none when nil
}

// hasSwatch reports whether the item draws a swatch before its label.
func (it legendItem) hasSwatch() bool {
	return it.line.Width > 0 || it.glyph.Radius > 0 || it.fill != nil
}

// header writes the title at the top left and the legend at the top right,
// and returns the rest of the image for the plot. Putting the legend in the
// header rather than over the data means it never hides a curve. When both
// do not fit on one line, the legend moves to a line of its own under the
// title; when it does not fit there either it gives way, first to its short
// labels, then by dropping its leading items. The title, which says what
// the chart is, stays.
func (f *frame) header(title string, items []legendItem) draw.Canvas {
	return f.headerRows(title, items)
}

// headerRows is header with a legend of several rows, one under another,
// each right-aligned; the title shares the first.
func (f *frame) headerRows(title string, rows ...[]legendItem) draw.Canvas {
	pad := f.pt(0.5 * f.st.TextSize)
	c := draw.Crop(f.c, pad, -pad, pad*0.6, -pad*0.6)
	lineH := f.title.Height("Ag")
	rowGap := f.pt(0.25 * f.st.TextSize)
	swatch := f.pt(1.6 * f.st.TextSize)
	gap := f.pt(0.4 * f.st.TextSize)
	itemGap := f.pt(1.1 * f.st.TextSize)

	legend := f.tick
	legend.XAlign, legend.YAlign = draw.XLeft, draw.YCenter
	legend.Color = f.st.Foreground
	width := func(items []legendItem, short bool) vg.Length {
		var w vg.Length
		for i, it := range items {
			if i > 0 {
				w += itemGap
			}
			if it.hasSwatch() {
				w += swatch + gap
			}
			w += legend.Width(pick(it, short))
		}
		return w
	}
	if len(rows) == 0 {
		rows = [][]legendItem{nil}
	}
	if beside := c.Max.X - c.Min.X - f.title.Width(title) - 2*itemGap; title != "" && len(rows[0]) > 0 && width(rows[0], true) > beside {
		// The legend takes a row of its own under the title rather than
		// lose an item: a comparison must name every run it draws.
		rows = append([][]legendItem{nil}, rows...)
	}
	y := c.Max.Y - lineH/2
	if title != "" {
		c.FillText(f.title, vg.Point{X: c.Min.X, Y: y}, title)
	}
	for r, items := range rows {
		avail := c.Max.X - c.Min.X
		if r == 0 && title != "" {
			avail -= f.title.Width(title) + 2*itemGap
		}
		short := false
		if width(items, false) > avail {
			short = true
			for len(items) > 0 && width(items, true) > avail {
				items = items[1:]
			}
		}
		x := c.Max.X - width(items, short)
		for _, it := range items {
			if it.fill != nil {
				h := lineH * 0.6
				c.FillPolygon(it.fill, []vg.Point{{X: x, Y: y - h/2}, {X: x + swatch, Y: y - h/2}, {X: x + swatch, Y: y + h/2}, {X: x, Y: y + h/2}})
			}
			if it.line.Width > 0 {
				c.StrokeLine2(it.line, x, y, x+swatch, y)
			}
			if it.glyph.Radius > 0 {
				c.DrawGlyph(it.glyph, vg.Point{X: x + swatch/2, Y: y})
			}
			if it.hasSwatch() {
				x += swatch + gap
			}
			lbl := pick(it, short)
			c.FillText(legend, vg.Point{X: x, Y: y}, lbl)
			x += legend.Width(lbl) + itemGap
		}
		if r < len(rows)-1 {
			y -= lineH + rowGap
		}
	}
	used := vg.Length(len(rows))*lineH + vg.Length(len(rows)-1)*rowGap
	return draw.Crop(c, 0, 0, 0, -(used + pad))
}

func pick(it legendItem, short bool) string {
	if short && it.short != "" {
		return it.short
	}
	return it.label
}

// plot queues p to be drawn in area; an area too small for a plot keeps
// just the background and the header.
//
// On a log y axis, gonum/plot pads the top of the data area for the y label
// as if the label were centred at the linear midpoint of the axis's range,
// which a log axis puts near its top (it draws the label at the middle): a
// band of empty space above the data, as tall as half the label is long.
// There the label is taken out of the plot and drawn by flush, at the same
// place, in the same room.
func (f *frame) plot(p *plot.Plot, area draw.Canvas) {
	if area.Max.X <= area.Min.X || area.Max.Y <= area.Min.Y {
		return
	}
	l := laidOut{p: p, area: area}
	if _, log := p.Y.Scale.(plot.LogScale); log && p.Y.Label.Text != "" {
		lbl := p.Y.Label
		l.yLabel, l.ylText = lbl.TextStyle, lbl.Text
		l.ylRoom = lbl.TextStyle.Height(lbl.Text) + lbl.TextStyle.FontExtents().Descent + lbl.Padding
		p.Y.Label.Text = ""
		l.area.Min.X += l.ylRoom
		if l.area.Max.X <= l.area.Min.X {
			return
		}
	}
	*f.plots = append(*f.plots, l)
}

// flush draws the queued plots, in the order they were laid out.
func (f *frame) flush() {
	for _, l := range *f.plots {
		l.p.Draw(l.area)
		if l.ylText != "" {
			// As gonum/plot's vertical axis draws its label, in the middle
			// of the data's height.
			sty := l.yLabel
			sty.Rotation += math.Pi / 2
			dc := l.p.DataCanvas(l.area)
			x := l.area.Min.X - l.ylRoom + sty.Height(l.ylText)
			l.area.FillText(sty, vg.Point{X: x - sty.FontExtents().Descent, Y: dc.Center().Y}, l.ylText)
		}
	}
	*f.plots = (*f.plots)[:0]
}

// alignPlots narrows the areas of plots so that their data areas share
// their left and right edges, as the charts of a figure one above the other
// should: the y axis labels of one are wider than the other's. The padding
// gonum/plot leaves for glyphs depends a little on the area's width, so a
// second pass makes good what the first left.
func alignPlots(plots []laidOut) {
	if len(plots) < 2 {
		return
	}
	for range 2 {
		left, right := plots[0].p.DataCanvas(plots[0].area).Min.X, plots[0].p.DataCanvas(plots[0].area).Max.X
		for _, l := range plots[1:] {
			dc := l.p.DataCanvas(l.area)
			left, right = max(left, dc.Min.X), min(right, dc.Max.X)
		}
		for i := range plots {
			dc := plots[i].p.DataCanvas(plots[i].area)
			plots[i].area.Min.X += left - dc.Min.X
			plots[i].area.Max.X -= dc.Max.X - right
		}
	}
}

// guard turns a panic while drawing into an error. gonum/plot panics on some
// degenerate inputs (an axis range it cannot tick, a canvas too small for
// its labels); a chart that cannot be drawn must not take the window down
// with it.
func guard(err *error, chart string) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("could not draw the %s chart: %v", chart, r)
	}
}

// xTickRoom makes room at the left for the x axis's first tick label.
// gonum/plot pads the left of the data area only for the plotters' glyphs,
// counting on the y axis's labels to leave room there; a chart without y
// labels would clip the first x label. Its boxes have no height, so they
// pad nothing vertically.
type xTickRoom struct{}

// Plot draws nothing.
func (xTickRoom) Plot(draw.Canvas, *plot.Plot) {}

// GlyphBoxes returns a box as wide as each x tick label, centred on its tick.
func (xTickRoom) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	var boxes []plot.GlyphBox
	for _, tk := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
		if tk.IsMinor() {
			continue
		}
		w := p.X.Tick.Label.Width(tk.Label)
		boxes = append(boxes, plot.GlyphBox{
			X:         p.X.Norm(tk.Value),
			Rectangle: vg.Rectangle{Min: vg.Point{X: -w / 2}, Max: vg.Point{X: w / 2}},
		})
	}
	return boxes
}
