package chart

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/mnistplayground/mnistplayground/engine"
)

// layerPalette colours one line per layer, the input layer first: the
// Okabe–Ito palette (Okabe and Ito 2008), whose hues stay apart for readers
// with any common colour vision and read on a dark and a light background.
var layerPalette = []color.Color{
	color.NRGBA{0x56, 0xB4, 0xE9, 0xff}, // sky blue
	color.NRGBA{0xE6, 0x9F, 0x00, 0xff}, // orange
	color.NRGBA{0x00, 0x9E, 0x73, 0xff}, // bluish green
	color.NRGBA{0xCC, 0x79, 0xA7, 0xff}, // reddish purple
	color.NRGBA{0xF0, 0xE4, 0x42, 0xff}, // yellow
	color.NRGBA{0xD5, 0x5E, 0x00, 0xff}, // vermillion
	color.NRGBA{0x00, 0x72, 0xB2, 0xff}, // blue
}

// LayerColor is the colour of layer i (0 is the first hidden layer) in the
// gradient-flow charts, for a legend drawn outside them.
func LayerColor(i int) color.Color { return layerPalette[i%len(layerPalette)] }

// layerName names layer i of n in a legend: "layer 1" … "output".
func layerName(i, n int) string {
	if i == n-1 {
		return "output"
	}
	return fmt.Sprintf("layer %d", i+1)
}

// GradientFlow (and Saturation) have no title: the view they sit in names
// them, and the legend needs the width for up to seven layers.
//
// GradientFlow draws each layer's ‖∂L/∂W‖ over the steps on a log axis,
// one colour per layer: in a deep sigmoid network the lines fan out, the
// input layer's lowest (the vanishing gradient); with ReLU they run
// together. spe is the steps per epoch (0 for an axis of steps).
func GradientFlow(layers []engine.LayerStats, spe int, width, height int, st Style) (image.Image, error) {
	return Render(GradientFlowChart(layers, spe), width, height, st)
}

// GradientFlowChart is the chart GradientFlow draws, for Render and Export.
func GradientFlowChart(layers []engine.LayerStats, spe int) Chart {
	return Chart{name: "gradient flow", draw: func(f *frame) {
		historyChart(f, "", "‖∂L/∂W‖ by layer (log scale)", layers, true, spe, true,
			func(l engine.LayerStats) engine.History { return l.GradNormHistory })
	}}
}

// Saturation draws each hidden layer's share of outputs that pass no
// gradient (dead ReLUs, saturated sigmoid or tanh units) over the steps.
func Saturation(layers []engine.LayerStats, spe int, width, height int, st Style) (image.Image, error) {
	return Render(SaturationChart(layers, spe), width, height, st)
}

// SaturationChart is the chart Saturation draws, for Render and Export.
func SaturationChart(layers []engine.LayerStats, spe int) Chart {
	return saturationChart("", layers, spe)
}

// CurrentSaturationChart is SaturationChart titled as the current run's,
// for a view that compares runs in the chart above it.
func CurrentSaturationChart(layers []engine.LayerStats, spe int) Chart {
	return saturationChart("Current run", layers, spe)
}

func saturationChart(title string, layers []engine.LayerStats, spe int) Chart {
	hidden := layers
	if len(hidden) > 0 {
		hidden = hidden[:len(hidden)-1] // the output's softmax belongs to the loss
	}
	return Chart{name: "saturation", draw: func(f *frame) {
		historyChart(f, title, "dead or saturated outputs (%)", hidden, false, spe, false,
			func(l engine.LayerStats) engine.History {
				h := l.SaturatedHistory
				out := engine.History{Steps: h.Steps, Values: make([]float64, len(h.Values)), Span: h.Span}
				for i, v := range h.Values {
					out.Values[i] = 100 * v
				}
				return out
			})
	}}
}

// historyChart draws one history of each layer under title (none when
// empty); withOutput says whether the last of them is the output layer.
func historyChart(f *frame, title, yLabel string, layers []engine.LayerStats, withOutput bool, spe int, logY bool,
	of func(engine.LayerStats) engine.History) {
	width := f.w
	xOf, xLabel := epochAxis(spe)
	n := len(layers)
	var items []legendItem
	p := f.newPlot(xLabel, yLabel)
	p.Add(f.newGrid(true, true))
	xmax, ylo, yhi := 0.0, math.Inf(1), math.Inf(-1)
	for i, l := range layers {
		h := of(l)
		// A batch's gradient is noisy: the lines are smoothed as the loss
		// is (on the log of the values for a log axis, so that a fan of
		// orders of magnitude keeps its shape), or they would braid.
		vals := h.Values
		if logY {
			vals = make([]float64, len(h.Values))
			for k, v := range h.Values {
				vals[k] = math.Log(v)
			}
		}
		sm := Smooth(vals, AdaptiveSmoothing(len(vals), int(float64(width)/f.st.Scale)))
		var xys plotter.XYs
		for k, v := range sm {
			if logY {
				v = math.Exp(v)
			}
			if !finite(v) || (logY && v <= 0) {
				continue
			}
			xys = append(xys, plotter.XY{X: xOf(h.Steps[k]), Y: v})
			xmax = math.Max(xmax, xOf(h.Steps[k]))
			ylo, yhi = math.Min(ylo, v), math.Max(yhi, v)
		}
		name := layerName(i, n)
		if !withOutput {
			name = layerName(i, n+1)
		}
		sty := draw.LineStyle{Color: LayerColor(i), Width: f.pt(2)}
		items = append(items, legendItem{label: name, short: shortLayerName(i, name), line: sty})
		switch len(xys) {
		case 0:
		case 1:
			p.Add(&plotter.Scatter{XYs: xys, GlyphStyle: draw.GlyphStyle{Color: sty.Color, Radius: f.pt(2.5), Shape: draw.CircleGlyph{}}})
		default:
			p.Add(polyline{xys: xys, sty: sty})
		}
	}
	area := f.header(title, items)
	if math.IsInf(ylo, 1) {
		p.Add(hint{text: "press Start to train", sty: f.hint})
		ylo, yhi = 0, 1
		if logY {
			ylo, yhi = 1e-3, 1
		}
	}
	p.X.Min, p.X.Max = 0, math.Max(xmax, 1e-9)
	if xmax == 0 {
		p.X.Max = 1
	}
	if logY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = logTicks{target: f.yTarget()}
		p.Y.Min, p.Y.Max = logRange(Range{Lo: ylo, Hi: yhi}, 10, 1.1)
	} else {
		p.Y.Min, p.Y.Max = 0, 100
	}
	f.plot(p, area)
}

// GradientFlowRunsChart draws the gradient flow of several runs, the last
// (the current one) in front, against epochs so that runs of other batch
// sizes line up, on a log axis that spans the runs marked Fit (see AxesOf).
// Each run has its colour: a translucent band from its smallest to its
// largest layer's ‖∂L/∂W‖ at each measurement (smoothed as GradientFlow
// smooths them), its first layer as a solid line and its output layer as a
// dashed one. Five sigmoid layers make a wide band with the first layer at
// its bottom, a hundred times below the output: the vanishing gradient.
// Five ReLU layers make a narrow one.
func GradientFlowRunsChart(runs []Run) Chart {
	return Chart{name: "gradient flow comparison", draw: func(f *frame) { drawFlowRuns(f, runs) }}
}

// bandAlpha is how opaque a run's band is: enough to see where it lies, and
// little enough that another run's band and lines show through it.
const bandAlpha = 0.3

// drawFlowRuns draws GradientFlowRunsChart into f.
func drawFlowRuns(f *frame, runs []Run) {
	ss := prepare(runs, gradMeasure, f.points(), true)
	epochs, yr := span(ss)
	p := f.newPlot("epoch", "‖∂L/∂W‖ (log scale)")
	p.Add(f.newGrid(true, true))
	// The bands first, then every line, so that no band tints a line; the
	// current run's in front of each.
	for _, s := range ss {
		p.Add(band{pts: s.band, fill: translucent(runColor(s.run, f.st), bandAlpha), px: vg.Length(f.px)})
	}
	solid := func(c color.Color, front bool) draw.LineStyle {
		w := 2.0
		if front {
			w = 2.75
		}
		return draw.LineStyle{Color: c, Width: f.pt(w)}
	}
	dashed := func(c color.Color, front bool) draw.LineStyle {
		sty := solid(c, front)
		sty.Width = sty.Width * 3 / 4
		sty.Dashes = []vg.Length{f.pt(6), f.pt(4)}
		return sty
	}
	var items []legendItem
	var dots []plotter.XY
	var dotStyles []draw.GlyphStyle
	for i, s := range ss {
		c, front := runColor(s.run, f.st), i == len(ss)-1
		items = append(items, legendItem{label: s.run.Name, short: ShortName(s.run.Name), line: solid(c, front)})
		for _, l := range []struct {
			xys plotter.XYs
			sty draw.LineStyle
		}{{s.last, dashed(c, front)}, {s.first, solid(c, front)}} {
			switch len(l.xys) {
			case 0:
			case 1:
				dots = append(dots, l.xys[0])
				dotStyles = append(dotStyles, draw.GlyphStyle{Color: c, Radius: f.pt(2.5), Shape: draw.CircleGlyph{}})
			default:
				p.Add(polyline{xys: l.xys, sty: l.sty})
			}
		}
	}
	key := []legendItem{
		{label: "band: every layer", short: "all layers", fill: translucent(f.st.Foreground, bandAlpha)},
		{label: "layer 1", line: solid(f.st.muted(), false)},
		{label: "output", line: dashed(f.st.muted(), false)},
	}
	area := f.headerRows("", items, key)
	if yr.Empty() {
		if len(dots) == 0 {
			p.Add(hint{text: "press Start to train", sty: f.hint})
		}
		yr = Range{Lo: 1e-3, Hi: 1}
	}
	p.X.Min, p.X.Max = 0, math.Max(epochs, minEpochs(ss))
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = logTicks{target: f.yTarget()}
	p.Y.Min, p.Y.Max = logRange(yr, 10, 1.1)
	for i, d := range dots {
		if d.X >= p.X.Min && d.X <= p.X.Max && d.Y >= p.Y.Min && d.Y <= p.Y.Max {
			p.Add(&plotter.Scatter{XYs: plotter.XYs{d}, GlyphStyle: dotStyles[i]})
		}
	}
	f.plot(p, area)
}

// band fills the area between a band's lower and upper edges.
type band struct {
	pts  []bandPoint
	fill color.Color
	px   vg.Length // the size of a pixel on the canvas
}

// Plot fills the band, clipped to the data area, in pieces of about
// strokeChunk steps: a polygon's cost in the rasteriser grows with the
// square of the edges that cross a pixel row (see strokeChunk), and a
// band's two edges cross every row the band spans. The pieces meet on pixel
// boundaries, so that no column is covered twice and no seam shows through
// the translucent fill.
func (b band) Plot(c draw.Canvas, p *plot.Plot) {
	n := len(b.pts)
	if n < 2 {
		return
	}
	trX, trY := p.Transforms(&c)
	type edge struct{ x, hi, lo vg.Length }
	pts := make([]edge, n)
	for i, pt := range b.pts {
		pts[i] = edge{trX(pt.X), trY(pt.Hi), trY(pt.Lo)}
	}
	px := b.px
	if px <= 0 {
		px = 1
	}
	// at is the band's edges at x, between points j-1 and j.
	at := func(j int, x vg.Length) edge {
		a, z := pts[j-1], pts[j]
		if z.x == a.x {
			return z
		}
		t := (x - a.x) / (z.x - a.x)
		return edge{x, a.hi + t*(z.hi-a.hi), a.lo + t*(z.lo-a.lo)}
	}
	fill := func(piece []edge) {
		if len(piece) < 2 {
			return
		}
		poly := make([]vg.Point, 0, 2*len(piece))
		for _, e := range piece {
			poly = append(poly, vg.Point{X: e.x, Y: e.hi})
		}
		for i := len(piece) - 1; i >= 0; i-- {
			poly = append(poly, vg.Point{X: piece[i].x, Y: piece[i].lo})
		}
		if clipped := c.ClipPolygonXY(poly); len(clipped) > 2 {
			c.FillPolygon(b.fill, clipped)
		}
	}
	piece := []edge{pts[0]}
	for j := 1; j < n; j++ {
		if len(piece) >= strokeChunk && j < n-1 {
			cut := vg.Length(math.Round(float64(pts[j].x/px))) * px
			if cut > piece[len(piece)-1].x && cut <= pts[j].x {
				e := at(j, cut)
				fill(append(piece, e))
				piece = append(piece[:0], e)
			}
		}
		piece = append(piece, pts[j])
	}
	fill(piece)
}

// translucent is c at opacity a.
func translucent(c color.Color, a float64) color.NRGBA {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = uint8(math.Round(255 * a))
	return n
}

// shortLayerName is a legend label for a crowded header: "1", "out"; the
// title says they are layers.
func shortLayerName(i int, name string) string {
	if name == "output" {
		return "out"
	}
	return fmt.Sprint(i + 1)
}

// Activations draws a histogram of one layer's outputs on the latest batch
// (the book's chapter-6 figure): sigmoid outputs piling up at 0 and 1 when
// the weights are too large, at 0.5 when too small; ReLU's spike at 0.
func Activations(title string, h engine.Histogram, width, height int, st Style) (image.Image, error) {
	return Render(ActivationsChart(title, h), width, height, st)
}

// ActivationsChart is the chart Activations draws, for Render and Export.
func ActivationsChart(title string, h engine.Histogram) Chart {
	return Chart{name: "activations", draw: func(f *frame) {
		area := f.header(title, nil)
		p := f.newPlot("output", "")
		p.Add(f.newGrid(true, false))
		p.Y.Tick.Marker = plot.ConstantTicks(nil)
		p.Add(xTickRoom{})
		if !usable(h) {
			p.Add(hint{text: "no batch yet", sty: f.hint})
			p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
			f.plot(p, area)
			return
		}
		top := 0
		for _, c := range h.Counts {
			top = max(top, c)
		}
		w := (h.Max - h.Min) / float64(len(h.Counts))
		if w == 0 {
			w = 1
		}
		p.Add(bars{h: h, width: w, fill: f.st.series(1)})
		p.X.Min, p.X.Max = h.Min, h.Min+w*float64(len(h.Counts))
		p.Y.Min, p.Y.Max = 0, float64(max(top, 1))*1.05
		f.plot(p, area)
		return
	}}
}

// bars fills one rectangle per bin of a histogram.
type bars struct {
	h     engine.Histogram
	width float64
	fill  color.Color
}

// Plot fills the bins.
func (b bars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i, n := range b.h.Counts {
		if n == 0 {
			continue
		}
		x0 := trX(b.h.Min + float64(i)*b.width)
		x1 := trX(b.h.Min + float64(i+1)*b.width)
		y0, y1 := trY(0), trY(float64(n))
		c.FillPolygon(b.fill, c.ClipPolygonXY([]vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}))
	}
}
