package chart

import (
	"image"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"

	"github.com/mnistplayground/mnistplayground/engine"
)

// Loss draws the training loss of every step, raw (thin and faint) and
// smoothed (see Smooth and AdaptiveSmoothing), with the test loss of each
// measurement as markers on a line, against epochs (steps when the snapshot
// does not know the epoch length), on a log y axis when logY is set. The
// legend in the header gives the latest smoothed and test values.
//
// A nil snapshot or one with no steps gives empty axes with a hint. NaN and
// infinite losses are skipped, and so are zero and negative ones on a log
// axis. Runs of any length draw at most two points per pixel of width.
//
// Loss goes over the whole history; a chart redrawn as a run grows should
// keep a LossSeries and call LossWith.
func Loss(s *engine.Snapshot, width, height int, st Style, logY bool) (image.Image, error) {
	return LossWith(new(LossSeries), s, width, height, st, logY)
}

// LossWith is Loss drawn from ls, which is brought up to date with the
// snapshot's losses first: a later call with the same run's newer snapshot
// only goes over the steps that are new.
func LossWith(ls *LossSeries, s *engine.Snapshot, width, height int, st Style, logY bool) (image.Image, error) {
	return Render(lossChart(ls, s, logY), width, height, st)
}

// LossChart is the chart Loss draws, for Render and Export.
func LossChart(s *engine.Snapshot, logY bool) Chart {
	return Chart{name: "loss", draw: func(f *frame) { drawLoss(f, new(LossSeries), s, logY) }}
}

func lossChart(ls *LossSeries, s *engine.Snapshot, logY bool) Chart {
	return Chart{name: "loss", draw: func(f *frame) { drawLoss(f, ls, s, logY) }}
}

// drawLoss draws the loss chart into f from ls, brought up to date with s.
func drawLoss(f *frame, ls *LossSeries, s *engine.Snapshot, logY bool) {
	width := f.w
	var (
		train []float32
		tests []engine.EpochMetric
		spe   int
	)
	if s != nil {
		train, tests, spe = s.TrainLoss, s.Tests, s.StepsPerEpoch
	}
	xOf, xLabel := epochAxis(spe)
	keep := finite
	if logY {
		keep = positive
	}

	// Smoothing follows the width in points, not pixels, so the curve looks
	// the same on a HiDPI screen.
	ls.update(train, int(float64(width)/f.st.Scale))
	// One bucket per pixel of width: the data area is a little narrower, so
	// this stays within two points per drawn pixel.
	xys := func(pts []seriesPoint) plotter.XYs {
		out := make(plotter.XYs, len(pts))
		for i, pt := range pts {
			out[i] = plotter.XY{X: xOf(pt.i + 1), Y: pt.y}
		}
		return out
	}
	raw := xys(ls.raw.decimate(width, logY))
	sm := xys(ls.smooth.decimate(width, logY))
	var test plotter.XYs
	for _, m := range tests {
		if keep(m.Loss) {
			test = append(test, plotter.XY{X: xOf(m.Step), Y: m.Loss})
		}
	}

	// On a linear axis the first steps' losses and a lone spike would
	// flatten the rest of the curve: the axis stops at the 99th percentile
	// of the losses (of the points drawn, which keep each pixel's extremes),
	// the points above it are drawn at the top, and the chart says so.
	clipAt := math.Inf(1)
	if !logY && len(raw) > 50 {
		clipAt = robustTop(raw, sm, test)
		for _, xys := range []plotter.XYs{raw, sm, test} {
			for i := range xys {
				xys[i].Y = math.Min(xys[i].Y, clipAt)
			}
		}
	}

	trainC, testC := f.st.series(0), f.st.series(1)
	rawSty := draw.LineStyle{Color: mix(trainC, f.st.Background, rawFade), Width: f.pt(0.75)}
	smSty := draw.LineStyle{Color: trainC, Width: f.pt(2.25)}
	testSty := draw.LineStyle{Color: testC, Width: f.pt(1.5)}
	dot := draw.GlyphStyle{Color: testC, Radius: f.pt(3), Shape: draw.CircleGlyph{}}

	// Markers while they are at least 15 points apart; a hundred epochs
	// read better as a plain line.
	if len(test) > 1 && float64(width)/f.st.Scale/float64(len(test)) < 15 {
		dot = draw.GlyphStyle{}
	}
	var items []legendItem
	if len(raw) > 1 {
		// The raw line is too thin to show its colour in a swatch.
		items = append(items, legendItem{label: "train", line: draw.LineStyle{Color: rawSty.Color, Width: f.pt(2)}})
	}
	if len(sm) > 0 {
		// Decimate keeps the last usable point, so this is the newest value.
		items = append(items, legendItem{label: "smoothed " + formatLoss(sm[len(sm)-1].Y), short: "smoothed", line: smSty})
	}
	if len(test) > 0 {
		items = append(items, legendItem{label: "test " + formatLoss(test[len(test)-1].Y), short: "test", line: testSty, glyph: dot})
	}
	area := f.header("Loss", items)

	yLabel := "loss"
	if logY {
		yLabel = "loss (log scale)"
	}
	p := f.newPlot(xLabel, yLabel)
	p.Add(f.newGrid(true, true))
	if len(raw) > 1 {
		p.Add(polyline{xys: raw, sty: rawSty})
	}
	switch len(sm) {
	case 0:
	case 1:
		p.Add(&plotter.Scatter{XYs: sm, GlyphStyle: draw.GlyphStyle{Color: trainC, Radius: f.pt(2.5), Shape: draw.CircleGlyph{}}})
	default:
		p.Add(polyline{xys: sm, sty: smSty})
	}
	if len(test) > 1 {
		p.Add(polyline{xys: test, sty: testSty})
	}
	if len(test) > 0 && dot.Radius > 0 {
		p.Add(&plotter.Scatter{XYs: test, GlyphStyle: dot})
	}
	if s != nil && len(s.LRChanges) > 0 {
		// Each learning rate changed by hand, as the rate track under
		// this chart marks it.
		var marks []float64
		for _, c := range s.LRChanges {
			marks = append(marks, xOf(c.Step))
		}
		p.Add(vlines{xs: marks, sty: f.markStyle()})
	}
	if !math.IsInf(clipAt, 1) {
		p.Add(cornerNote{text: "clipped above " + formatLoss(clipAt) + " (99th percentile): Ctrl+L for all", sty: f.noteStyle()})
	}

	xmax, ylo, yhi := 0.0, math.Inf(1), math.Inf(-1)
	for _, xys := range []plotter.XYs{raw, sm, test} {
		for _, pt := range xys {
			xmax = math.Max(xmax, pt.X)
			ylo, yhi = math.Min(ylo, pt.Y), math.Max(yhi, pt.Y)
		}
	}
	empty := len(raw) == 0 && len(test) == 0
	if empty {
		p.Add(hint{text: emptyHint(s, logY), sty: f.hint})
		if s != nil && s.Config.Epochs > 0 && spe > 0 {
			xmax = float64(s.Config.Epochs)
		}
		ylo, yhi = 0, 1
		if logY {
			ylo, yhi = 0.1, 10
		}
	}
	// Early on, keep a minimum span so the first steps are not stretched
	// over the whole width with ticks at 0.0005 epochs.
	minSpan := 50.0
	if spe > 0 {
		minSpan = math.Min(1, 50/float64(spe))
	}
	p.X.Min, p.X.Max = 0, math.Max(xmax, minSpan)
	if logY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = logTicks{target: f.yTarget()}
		if yhi/ylo < 1.5 {
			// A nearly flat curve: centre it in half a decade.
			mid := math.Sqrt(ylo * yhi)
			ylo, yhi = mid/1.5, mid*1.5
		}
		p.Y.Min, p.Y.Max = ylo/1.08, yhi*1.08
	} else {
		if ylo >= 0 {
			ylo = 0 // a loss chart reads best from zero
		}
		if yhi <= ylo {
			yhi = ylo + 1
		}
		p.Y.Min, p.Y.Max = ylo, yhi+0.04*(yhi-ylo)
	}
	f.plot(p, area)
}

// robustTop is where a linear loss axis stops: the 99th percentile of the
// drawn losses, unless nothing lies much above it, when the whole range
// shows.
func robustTop(series ...plotter.XYs) float64 {
	var ys []float64
	top := math.Inf(-1)
	for _, xys := range series {
		for _, pt := range xys {
			ys = append(ys, pt.Y)
			top = math.Max(top, pt.Y)
		}
	}
	if len(ys) == 0 {
		return math.Inf(1)
	}
	slices.Sort(ys)
	p99 := ys[min(len(ys)-1, int(0.99*float64(len(ys))))]
	if top <= 1.15*p99 || p99 <= 0 {
		return math.Inf(1)
	}
	return p99
}

// rawFade is how far the raw loss curve is faded towards the background: far
// enough that the smoothed curve reads first, not so far that the noise
// disappears (TensorBoard draws it at about a third of full strength).
const rawFade = 0.72

// epochAxis returns how a step maps onto the x axis and the axis's label:
// epochs when the epoch length is known, steps otherwise.
func epochAxis(stepsPerEpoch int) (func(step int) float64, string) {
	if stepsPerEpoch <= 0 {
		return func(step int) float64 { return float64(step) }, "step"
	}
	spe := float64(stepsPerEpoch)
	return func(step int) float64 { return float64(step) / spe }, "epoch"
}

// emptyHint is what an empty loss chart says, depending on the session.
func emptyHint(s *engine.Snapshot, logY bool) string {
	switch {
	case s != nil && len(s.TrainLoss) > 0 && logY:
		return "no positive loss to show on a log scale"
	case s != nil && len(s.TrainLoss) > 0:
		return "no finite loss to show"
	case s != nil && s.State == engine.Running:
		return "waiting for the first step…"
	}
	return "press Start to train"
}

// formatLoss writes a loss with three significant digits.
func formatLoss(v float64) string {
	return strconv.FormatFloat(v, 'g', 3, 64)
}
