package chart

import (
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

// LossRunsChart draws the smoothed training loss of several runs (the last
// in front: the current one) and their test losses, on axes that span them
// all, so that two runs compare honestly.
func LossRunsChart(runs []Run, logY bool) Chart {
	return Chart{name: "loss comparison", draw: func(f *frame) { drawRuns(f, runs, logY, false) }}
}

// AccuracyRunsChart draws the test accuracy of several runs on one axis.
func AccuracyRunsChart(runs []Run) Chart {
	return Chart{name: "accuracy comparison", draw: func(f *frame) { drawRuns(f, runs, false, true) }}
}

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
	if accuracy {
		yLabel, title = "accuracy (%)", "Test accuracy"
	}
	p := f.newPlot("epoch", yLabel)
	p.Add(f.newGrid(true, true))
	var items []legendItem
	xmax, ylo, yhi := 0.0, math.Inf(1), math.Inf(-1)
	for i, r := range runs {
		s := r.Snap
		if s == nil {
			continue
		}
		spe := float64(max(s.StepsPerEpoch, 1))
		sty := draw.LineStyle{Color: runColor(r, f.st), Width: f.pt(2)}
		if i == len(runs)-1 {
			sty.Width = f.pt(2.75)
		}
		items = append(items, legendItem{label: r.Name, short: ShortName(r.Name), line: sty})
		var xys plotter.XYs
		if accuracy {
			for _, m := range s.Tests {
				if finite(m.Accuracy) {
					xys = append(xys, plotter.XY{X: float64(m.Step) / spe, Y: 100 * m.Accuracy})
				}
			}
		} else {
			sm := Smooth(s.TrainLoss, AdaptiveSmoothing(len(s.TrainLoss), f.w))
			for _, k := range Decimate(sm, max(f.w/2, 1), keep) {
				xys = append(xys, plotter.XY{X: float64(k+1) / spe, Y: sm[k]})
			}
		}
		for _, pt := range xys {
			xmax = math.Max(xmax, pt.X)
			ylo, yhi = math.Min(ylo, pt.Y), math.Max(yhi, pt.Y)
		}
		switch len(xys) {
		case 0:
		case 1:
			p.Add(&plotter.Scatter{XYs: xys, GlyphStyle: draw.GlyphStyle{Color: sty.Color, Radius: f.pt(3), Shape: draw.CircleGlyph{}}})
		default:
			p.Add(polyline{xys: xys, sty: sty})
		}
	}
	area := f.header(title, items)
	if math.IsInf(ylo, 1) {
		p.Add(hint{text: "no measurement yet", sty: f.hint})
		ylo, yhi, xmax = 0, 1, 1
		if logY {
			ylo, yhi = 0.1, 10
		}
	}
	p.X.Min, p.X.Max = 0, math.Max(xmax, 1e-9)
	switch {
	case logY:
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = logTicks{target: f.yTarget()}
		if yhi/ylo < 1.5 {
			mid := math.Sqrt(ylo * yhi)
			ylo, yhi = mid/1.5, mid*1.5
		}
		p.Y.Min, p.Y.Max = ylo/1.08, yhi*1.08
	case accuracy:
		p.Y.Min, p.Y.Max = math.Max(0, math.Floor(ylo)-1), math.Min(100, math.Ceil(yhi)+1)
		if p.Y.Max <= p.Y.Min {
			p.Y.Min, p.Y.Max = 0, 100
		}
	default:
		p.Y.Min, p.Y.Max = 0, yhi*1.05
		if !(p.Y.Max > 0) {
			p.Y.Max = 1
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
