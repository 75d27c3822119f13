package chart

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"

	"github.com/mnistplayground/mnistplayground/engine"
)

// Run is one run of a comparison: its name in the legend and its latest
// snapshot.
type Run struct {
	Name string
	Snap *engine.Snapshot
	// Color is the run's colour; nil gives the theme's training colour.
	Color color.Color
	// Fit says that the axes span this run; a run that does not fit is
	// clipped to the axes of those that do (see AxesOf).
	Fit bool
}

// runPalette colours the kept runs of a comparison: the Okabe–Ito hues
// (see layerPalette) without its orange, vermillion and yellow, which could
// be taken for the current run's colour (the theme's training orange), and
// a neutral grey.
var runPalette = []color.Color{
	color.NRGBA{0x56, 0xB4, 0xE9, 0xff}, // sky blue
	color.NRGBA{0x00, 0x9E, 0x73, 0xff}, // bluish green
	color.NRGBA{0xCC, 0x79, 0xA7, 0xff}, // reddish purple
	color.NRGBA{0x00, 0x72, 0xB2, 0xff}, // blue
	color.NRGBA{0x99, 0x99, 0x99, 0xff}, // grey
}

// RunColor is the colour of the kept run of ID id in every comparison
// chart and in the Runs view's swatch, the same for as long as it is kept;
// the current run keeps the theme's training colour.
func RunColor(id int) color.Color { return runPalette[id%len(runPalette)] }

// runColor is a run's colour in a comparison: its own, else the theme's
// training colour (the current run's).
func runColor(r Run, st Style) color.Color {
	if r.Color != nil {
		return r.Color
	}
	return st.series(0)
}

// RunsKey identifies what a comparison of runs draws, for a chart's key: a
// chart whose runs, names, colours and axes are the same need not be drawn
// again (the snapshots' pointers stand for their data, which never changes).
func RunsKey(runs []Run) string {
	var key strings.Builder
	for _, r := range runs {
		fmt.Fprintf(&key, "%p %q %v %v|", r.Snap, r.Name, r.Color, r.Fit)
	}
	return key.String()
}

// LossRunsChart draws the smoothed training loss of several runs (the last
// in front: the current one) on axes that span the runs marked Fit (see
// AxesOf), so that two runs compare honestly.
func LossRunsChart(runs []Run, logY bool) Chart {
	return Chart{name: "loss comparison", draw: func(f *frame) { drawRuns(f, runs, logY, false) }}
}

// AccuracyRunsChart draws the test accuracy of several runs on one axis,
// from a tick below the lowest measurement of the runs marked Fit up to
// 100%: the top does not follow the best run, so a run that improves
// between two screenshots does not seem to reach the top of both.
func AccuracyRunsChart(runs []Run) Chart {
	return Chart{name: "accuracy comparison", draw: func(f *frame) { drawRuns(f, runs, false, true) }}
}

// points is the frame's width in points, which the curves are smoothed
// for, so that they look the same on a HiDPI screen.
func (f *frame) points() int { return int(float64(f.w) / f.st.Scale) }

// drawRuns draws the runs' losses, or their accuracies.
func drawRuns(f *frame, runs []Run, logY, accuracy bool) {
	keep := finite
	if logY {
		keep = positive
	}
	yLabel, title := "loss", "Loss"
	if logY {
		yLabel = "loss (log scale)"
	}
	m := lossMeasure
	if accuracy {
		yLabel, title, m = "accuracy (%)", "Test accuracy", accuracyMeasure
	}
	ss := prepare(runs, m, f.points(), logY)
	epochs, yr := span(ss)
	p := f.newPlot("epoch", yLabel)
	p.Add(f.newGrid(true, true))
	var items []legendItem
	var dots []plotter.XY
	var dotStyles []draw.GlyphStyle
	drawn := false
	for i, s := range ss {
		sty := draw.LineStyle{Color: runColor(s.run, f.st), Width: f.pt(2)}
		if i == len(ss)-1 {
			sty.Width = f.pt(2.75)
		}
		items = append(items, legendItem{label: s.run.Name, short: ShortName(s.run.Name), line: sty})
		xys := s.acc
		if !accuracy {
			xys = nil
			for _, k := range Decimate(s.loss, max(f.w/2, 1), keep) {
				xys = append(xys, plotter.XY{X: float64(k+1) / s.spe, Y: s.loss[k]})
			}
		}
		drawn = drawn || len(xys) > 0
		switch len(xys) {
		case 0:
		case 1:
			// Placed once the axes are known: a marker is not clipped.
			dots = append(dots, xys[0])
			dotStyles = append(dotStyles, draw.GlyphStyle{Color: sty.Color, Radius: f.pt(3), Shape: draw.CircleGlyph{}})
		default:
			p.Add(polyline{xys: xys, sty: sty})
		}
	}
	area := f.header(title, items)
	if !drawn {
		p.Add(hint{text: "no measurement yet", sty: f.hint})
	}
	if yr.Empty() {
		// No run the axes fit has data yet: the chart's empty axes.
		yr = Range{Lo: 0, Hi: 1}
		switch {
		case logY:
			yr = Range{Lo: 0.1, Hi: 10}
		case accuracy:
			yr = Range{Lo: 0, Hi: 100}
		}
	}
	p.X.Min, p.X.Max = 0, math.Max(epochs, minEpochs(ss))
	switch {
	case logY:
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = logTicks{target: f.yTarget()}
		p.Y.Min, p.Y.Max = logRange(yr, 1.5*1.5, 1.08)
	case accuracy:
		p.Y.Min, p.Y.Max = accuracyRange(yr.Lo, f.yTarget())
	default:
		p.Y.Min, p.Y.Max = 0, yr.Hi*1.05
		if !(p.Y.Max > 0) {
			p.Y.Max = 1
		}
	}
	for i, d := range dots {
		if d.X >= p.X.Min && d.X <= p.X.Max && d.Y >= p.Y.Min && d.Y <= p.Y.Max {
			p.Add(&plotter.Scatter{XYs: plotter.XYs{d}, GlyphStyle: dotStyles[i]})
		}
	}
	f.plot(p, area)
}

// ShortName is a run's name cut for a crowded legend: its first part, up
// to a comma.
func ShortName(name string) string {
	if i := strings.IndexByte(name, ','); i > 0 {
		return name[:i]
	}
	return name
}
