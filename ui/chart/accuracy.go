package chart

import (
	"fmt"
	"image"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/mnistplayground/mnistplayground/engine"
)

// Accuracy draws the test accuracy of each measurement in percent, as markers
// on a line, against the same epoch axis as Loss. The y axis runs from a
// little below the worst measurement to 100, so the last few tenths of a
// percent stay visible; the latest point is labelled with its value and the
// header gives the best one. A nil snapshot or one with no measurement gives
// empty axes with a hint.
func Accuracy(s *engine.Snapshot, width, height int, st Style) (image.Image, error) {
	return Render(AccuracyChart(s), width, height, st)
}

// AccuracyChart is the chart Accuracy draws, for Render and Export.
func AccuracyChart(s *engine.Snapshot) Chart {
	return Chart{name: "accuracy", draw: func(f *frame) { drawAccuracy(f, s) }}
}

// drawAccuracy draws the accuracy chart of s into f.
func drawAccuracy(f *frame, s *engine.Snapshot) {
	width := f.w
	var (
		tests []engine.EpochMetric
		spe   int
	)
	if s != nil {
		tests, spe = s.Tests, s.StepsPerEpoch
	}
	xOf, xLabel := epochAxis(spe)
	var pts plotter.XYs
	best := -1
	for i, m := range tests {
		if !finite(m.Accuracy) {
			continue
		}
		pts = append(pts, plotter.XY{X: xOf(m.Step), Y: 100 * m.Accuracy})
		if best < 0 || m.Accuracy > tests[best].Accuracy {
			best = i
		}
	}

	c := f.st.series(1)
	lineSty := draw.LineStyle{Color: c, Width: f.pt(1.75)}
	dot := draw.GlyphStyle{Color: c, Radius: f.pt(3), Shape: draw.CircleGlyph{}}
	var items []legendItem
	if best >= 0 {
		b := tests[best]
		items = append(items, legendItem{
			label: fmt.Sprintf("best %.2f%% at %s %s", 100*b.Accuracy, xLabel, formatX(xOf(b.Step))),
			short: fmt.Sprintf("best %.2f%%", 100*b.Accuracy),
		})
	}
	area := f.header("Test accuracy", items)
	p := f.newPlot(xLabel, "accuracy (%)")
	p.Add(f.newGrid(true, true))

	xmax := 0.0
	if s != nil {
		xmax = xOf(max(s.Step, len(s.TrainLoss)))
	}
	if len(pts) == 0 {
		h := "press Start to train"
		if s != nil && (s.State == engine.Running || s.Step > 0) {
			h = "measured at the end of each epoch"
		}
		p.Add(hint{text: h, sty: f.hint})
		p.Y.Min, p.Y.Max = 0, 100
		if s != nil && s.Config.Epochs > 0 && spe > 0 && s.Step == 0 {
			xmax = float64(s.Config.Epochs)
		}
	} else {
		if len(pts) > 1 {
			p.Add(polyline{xys: pts, sty: lineSty})
		}
		// Markers while they are at least 15 points apart; beyond that only
		// the latest is marked.
		marked := pts
		if float64(width)/f.st.Scale/float64(len(pts)) < 15 {
			marked = pts[len(pts)-1:]
		}
		p.Add(&plotter.Scatter{XYs: marked, GlyphStyle: dot})
		last := pts[len(pts)-1]
		lbl := pointLabel{at: last, text: fmt.Sprintf("%.2f%%", last.Y), sty: f.tick, gap: f.pt(5)}
		lbl.sty.Color = f.st.Foreground
		if len(pts) > 1 {
			lbl.below = pts[len(pts)-2].Y > last.Y
		}
		p.Add(lbl)
		lo := math.Inf(1)
		for _, pt := range pts {
			xmax = math.Max(xmax, pt.X)
			lo = math.Min(lo, pt.Y)
		}
		p.Y.Min, p.Y.Max = accuracyRange(lo, f.yTarget())
	}
	minSpan := 1.0
	if spe <= 0 {
		minSpan = 50
	}
	p.X.Min, p.X.Max = 0, math.Max(xmax, minSpan)
	f.plot(p, area)
}

// accuracyRange returns the y range for accuracies (in percent) whose lowest
// is lo: from a margin below lo, rounded down to a tick, up to 100 (more when
// a measurement is above 100, which only a broken model could report).
func accuracyRange(lo float64, target int) (float64, float64) {
	hi := 100.0
	if lo > hi {
		hi = lo + 1
	}
	margin := math.Max(0.5, 0.1*(hi-lo))
	want := lo - margin
	lo = want
	// Snapping changes the span and so perhaps the step: snap again with
	// the step of the snapped range, so the bottom lands on a grid line.
	for range 2 {
		step := tickStep(hi-lo, target)
		lo = math.Max(0, math.Floor(want/step+1e-9)*step)
	}
	return lo, hi
}

// formatX writes an x value: whole epochs without decimals, fractions with two.
func formatX(x float64) string {
	if x == math.Trunc(x) {
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.2f", x)
}

// pointLabel writes a value beside a point: left of it, and above unless
// below is set or there is no room above.
type pointLabel struct {
	at    plotter.XY
	text  string
	sty   text.Style
	gap   vg.Length
	below bool
}

// Plot writes the label.
func (l pointLabel) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	x, y := trX(l.at.X), trY(l.at.Y)
	sty := l.sty
	h := sty.Height(l.text)
	below := l.below || y+l.gap+h > c.Max.Y
	if below && y-l.gap-h < c.Min.Y {
		below = false
	}
	sty.XAlign = draw.XRight
	if x-sty.Width(l.text) < c.Min.X {
		sty.XAlign = draw.XLeft
	}
	if below {
		sty.YAlign = draw.YTop
		c.FillText(sty, vg.Point{X: x - l.gap/2, Y: y - l.gap}, l.text)
		return
	}
	sty.YAlign = draw.YBottom
	c.FillText(sty, vg.Point{X: x - l.gap/2, Y: y + l.gap}, l.text)
}
