package chart

import (
	"image"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/internal/textfmt"
)

// Histogram draws a layer's weight histograms over time as a ridge plot, as
// TensorBoard's offset mode does: the newest histogram at the bottom, in
// front and strongest, each earlier one drawn behind it, a little higher and
// fainter. Every histogram is put on one common weight axis, however its own
// Min and Max differ, and scaled as a density, so a histogram that spreads out
// over training visibly flattens. hist is usually a HistoryRecorder's
// Entries; entries with no counts or a non-finite range are skipped. With
// nothing to draw, the chart shows empty axes and a hint.
func Histogram(title string, hist []HistEntry, width, height int, st Style) (image.Image, error) {
	return Render(HistogramChart(title, hist), width, height, st)
}

// HistogramChart is the chart Histogram draws, for Render and Export.
func HistogramChart(title string, hist []HistEntry) Chart {
	return Chart{name: "histogram", draw: func(f *frame) { drawHistogram(f, title, hist) }}
}

// drawHistogram draws the ridge plot of hist into f.
func drawHistogram(f *frame, title string, hist []HistEntry) {
	var use []HistEntry
	for _, e := range hist {
		if usable(e.Hist) {
			use = append(use, e)
		}
	}
	slices.SortStableFunc(use, func(a, b HistEntry) int { return a.Step - b.Step })

	seriesC := f.st.series(0)
	var items []legendItem
	if n := len(use); n > 1 {
		items = append(items, legendItem{label: stepLabel(use[0].Step), line: draw.LineStyle{Color: ridgeColors(seriesC, f.st.Background, 1).stroke, Width: f.pt(2)}})
	}
	if n := len(use); n > 0 {
		items = append(items, legendItem{label: stepLabel(use[n-1].Step), line: draw.LineStyle{Color: seriesC, Width: f.pt(2)}})
	}
	area := f.header(title, items)
	p := f.newPlot("weight", "")
	p.Add(f.newGrid(true, false))
	// The y axis only carries the ridges' baselines; its step labels would
	// repeat the legend, so it shows none.
	p.Y.Tick.Marker = plot.ConstantTicks(nil)
	p.Add(xTickRoom{})

	if len(use) == 0 {
		p.Add(hint{text: "no weights yet", sty: f.hint})
		p.X.Min, p.X.Max = -1, 1
		p.Y.Min, p.Y.Max = 0, 1
		f.plot(p, area)
		return
	}
	r := newRidges(use, seriesC, f.st.Background, f.pt(1.25))
	p.Add(r)
	p.X.Min, p.X.Max = r.xlo, r.xhi
	p.Y.Min, p.Y.Max = 0, r.top
	f.plot(p, area)
}

// usable reports whether a histogram has something to draw.
func usable(h engine.Histogram) bool {
	if !finite(h.Min) || !finite(h.Max) || h.Max < h.Min {
		return false
	}
	for _, c := range h.Counts {
		if c > 0 {
			return true
		}
	}
	return false
}

// The newest ridge takes this fraction of the height; the baselines of the
// older ones share the rest.
const ridgeHeight = 0.5

// ridges is the ridge plot's plotter.
type ridges struct {
	curves   []pwl        // each histogram's outline, oldest first, over the whole x range
	spans    [][2]float64 // each histogram's own range, where its outline is drawn
	xlo, xhi float64
	gap      float64 // the distance between baselines
	top      float64
	series   color.Color
	bg       color.Color
	width    vg.Length
}

func newRidges(entries []HistEntry, series, bg color.Color, width vg.Length) *ridges {
	r := &ridges{series: series, bg: bg, width: width, xlo: math.Inf(1), xhi: math.Inf(-1)}
	for _, e := range entries {
		r.xlo, r.xhi = math.Min(r.xlo, e.Hist.Min), math.Max(r.xhi, e.Hist.Max)
	}
	if r.xhi == r.xlo {
		// Every weight equal (all zeros, say): give the spike some room.
		d := math.Max(0.5, math.Abs(r.xlo)*0.1)
		r.xlo, r.xhi = r.xlo-d, r.xhi+d
	} else {
		// A little room so the outermost bins do not touch the edges.
		d := 0.02 * (r.xhi - r.xlo)
		r.xlo, r.xhi = r.xlo-d, r.xhi+d
	}
	// The ridges fill the unit height: the baselines share what the newest
	// ridge leaves; a single histogram takes it all.
	n := len(entries)
	height := 1.0
	if n > 1 {
		height = ridgeHeight
		r.gap = (1 - ridgeHeight) / float64(n-1)
	}
	r.top = 1.03 // headroom so the tallest peak does not touch the header

	// Counts become densities, so histograms with different ranges and bin
	// widths compare fairly; the densest bin of all is drawn height tall.
	// A histogram narrower than a thousandth of the axis is widened to it,
	// so that it does not become an infinitely thin, infinitely tall spike.
	minW := (r.xhi - r.xlo) / 1000
	maxD := 0.0
	dens := make([][]float64, n)
	for i, e := range entries {
		lo, hi := e.Hist.Min, e.Hist.Max
		if hi-lo < minW {
			mid := (lo + hi) / 2
			lo, hi = mid-minW/2, mid+minW/2
		}
		r.spans = append(r.spans, [2]float64{lo, hi})
		binW := (hi - lo) / float64(len(e.Hist.Counts))
		total := 0.0
		for _, c := range e.Hist.Counts {
			total += float64(max(c, 0))
		}
		dens[i] = make([]float64, len(e.Hist.Counts))
		for j, c := range e.Hist.Counts {
			dens[i][j] = float64(max(c, 0)) / (total * binW)
			maxD = max(maxD, dens[i][j])
		}
	}
	for i := range entries {
		base := float64(n-1-i) * r.gap
		lo, hi := r.spans[i][0], r.spans[i][1]
		binW := (hi - lo) / float64(len(dens[i]))
		// Through the bin centres, down to the baseline at both ends and
		// along it to the edges of the axis.
		c := make(pwl, 0, len(dens[i])+4)
		c = append(c, point{r.xlo, base}, point{lo, base})
		for j, d := range dens[i] {
			c = append(c, point{lo + (float64(j)+0.5)*binW, base + height*d/maxD})
		}
		c = append(c, point{hi, base}, point{r.xhi, base})
		r.curves = append(r.curves, c)
	}
	return r
}

// ridgeStyle is the fill and outline of a ridge.
type ridgeStyle struct{ fill, stroke color.Color }

// ridgeColors fades a ridge towards the background with its age, 0 for the
// newest and 1 for the oldest. The colours are opaque so that each ridge
// hides the parts of older ones behind it, which is what makes the stack
// read as a landscape.
func ridgeColors(series, bg color.Color, age float64) ridgeStyle {
	return ridgeStyle{
		fill:   mix(series, bg, 0.6+0.25*age),
		stroke: mix(series, bg, 0.7*age),
	}
}

// visible is the part of one ridge that no newer ridge hides.
type visible struct {
	fill   [][]vg.Point // the regions between the ridge and what hides it
	stroke [][]vg.Point // the runs of its outline that show
}

// layout works out what shows of each ridge, oldest first, in the
// coordinates toCanvas maps data onto.
//
// Painting every ridge whole and letting newer ones cover older ones would
// paint each pixel about twice, and filling is most of the cost of this
// chart. So each ridge is clipped to what shows above the skyline of the
// newer ridges in front of it, and every pixel is filled once.
func (r *ridges) layout(toCanvas func(x, y float64) vg.Point) []visible {
	n := len(r.curves)
	shown := make([]visible, n)
	eps := 1e-9 * r.top
	var skyline pwl // the outline of the newer ridges so far
	for i := n - 1; i >= 0; i-- {
		base := float64(n-1-i) * r.gap
		// What hides this ridge: the newer ones, or nothing below its own
		// baseline.
		floor := upper(skyline, pwl{{r.xlo, base}, {r.xhi, base}})
		// Both outlines on one grid holding the corners of each, so that
		// between grid points both are straight and the regions meet the
		// newer ridges without gaps.
		top := upper(r.curves[i], floor)
		xs := mergeXs(top, floor)
		topY, bottom := top.sample(xs), floor.sample(xs)

		// Walk the segments between consecutive points; a region is a run
		// of segments where the ridge stands above its floor. The outline
		// shows within the histogram's range along those runs, and also
		// where nothing newer stands in front (its flat tails).
		v := &shown[i]
		lo, hi := r.spans[i][0], r.spans[i][1]
		region, line := -1, -1 // the first point of the current runs
		flush := func(j int) {
			if region >= 0 {
				poly := make([]vg.Point, 0, 2*(j-region+1))
				for k := region; k <= j; k++ {
					poly = append(poly, toCanvas(xs[k], topY[k]))
				}
				for k := j; k >= region; k-- {
					poly = append(poly, toCanvas(xs[k], bottom[k]))
				}
				v.fill = append(v.fill, poly)
				region = -1
			}
		}
		endLine := func(j int) {
			if line >= 0 {
				run := make([]vg.Point, 0, j-line+1)
				for k := line; k <= j; k++ {
					run = append(run, toCanvas(xs[k], topY[k]))
				}
				v.stroke = append(v.stroke, run)
				line = -1
			}
		}
		for j := 1; j < len(xs); j++ {
			mid := (xs[j-1] + xs[j]) / 2
			above := (topY[j-1]+topY[j])/2 > (bottom[j-1]+bottom[j])/2+eps
			open := max(bottom[j-1], bottom[j]) <= base+eps
			if above {
				if region < 0 {
					region = j - 1
				}
			} else {
				flush(j - 1)
			}
			if mid >= lo && mid <= hi && (above || open) {
				if line < 0 {
					line = j - 1
				}
			} else {
				endLine(j - 1)
			}
		}
		flush(len(xs) - 1)
		endLine(len(xs) - 1)
		skyline = upper(skyline, r.curves[i])
	}
	return shown
}

// Plot draws the ridges, each newer one in front of the older ones.
func (r *ridges) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	shown := r.layout(func(x, y float64) vg.Point { return vg.Point{X: trX(x), Y: trY(y)} })
	n := len(shown)
	for i, v := range shown {
		k := n - 1 - i // 0 for the newest
		age := 0.0
		if n > 1 {
			age = float64(k) / float64(n-1)
		}
		sty := ridgeColors(r.series, r.bg, age)
		for _, poly := range v.fill {
			c.FillPolygon(sty.fill, c.ClipPolygonXY(poly))
		}
		w := r.width
		if k == 0 {
			w *= 1.6 // the newest is the one to read
		}
		c.StrokeLines(draw.LineStyle{Color: sty.stroke, Width: w}, c.ClipLinesXY(v.stroke...)...)
	}
}

// stepLabel names a histogram's step in the legend the way the status line
// writes steps: "step 12,000".
func stepLabel(step int) string { return "step " + textfmt.Thousands(step) }
