package chart

import (
	"math"

	"gonum.org/v1/plot/plotter"
)

// Range is the span of the values along one axis, Lo to Hi; Lo > Hi when
// there is none.
type Range struct{ Lo, Hi float64 }

// noRange is the Range of no value.
func noRange() Range { return Range{Lo: math.Inf(1), Hi: math.Inf(-1)} }

// Empty reports whether the range holds no value.
func (r Range) Empty() bool { return !(r.Lo <= r.Hi) }

// Covers reports whether r spans every value of o.
func (r Range) Covers(o Range) bool { return o.Empty() || (r.Lo <= o.Lo && o.Hi <= r.Hi) }

func (r *Range) add(v float64) {
	r.Lo, r.Hi = math.Min(r.Lo, v), math.Max(r.Hi, v)
}

func (r *Range) union(o Range) {
	if !o.Empty() {
		r.add(o.Lo)
		r.add(o.Hi)
	}
}

// Axes are the spans of the data that the axes of the comparison charts
// show, before any margin or rounding to ticks.
type Axes struct {
	// Epochs is the length of the longest run, in epochs: every x axis runs
	// from 0 to it.
	Epochs float64
	// Loss is the smoothed training loss (its positive values on a log
	// axis), Accuracy the test accuracy in percent and Grad the smoothed
	// ‖∂L/∂W‖ of every layer.
	Loss, Accuracy, Grad Range
}

// AxesOf is what the axes of the comparison charts span for runs drawn
// points points wide (the width smooths the curves, see AdaptiveSmoothing):
// the data of the runs marked Fit, or of every run when none is. A run
// outside them is clipped to the axes.
func AxesOf(runs []Run, points int, logY bool) Axes {
	var a Axes
	a.Epochs, a.Loss = span(prepare(runs, lossMeasure, points, logY))
	_, a.Accuracy = span(prepare(runs, accuracyMeasure, points, logY))
	_, a.Grad = span(prepare(runs, gradMeasure, points, logY))
	return a
}

// measure is what a comparison chart shows of each run.
type measure int

const (
	lossMeasure measure = iota
	accuracyMeasure
	gradMeasure
)

// runSeries is what a comparison chart draws of one run, on the epoch axis.
type runSeries struct {
	run    Run
	epochs float64 // the run's length
	spe    float64 // its steps per epoch, 1 when it is not known
	// values spans what is drawn: the smoothed loss, the accuracies or the
	// band of the gradient norms.
	values Range
	// loss is the smoothed training loss of every step (index = step-1),
	// unusable values included: it is decimated to be drawn.
	loss []float64
	// acc is the test accuracy in percent at each measurement.
	acc plotter.XYs
	// band is the smallest and largest layer's smoothed gradient norm at
	// each measurement; first and last are the first and the last layer's.
	band        []bandPoint
	first, last plotter.XYs
}

// bandPoint is one step of a band: from Lo up to Hi at X.
type bandPoint struct{ X, Lo, Hi float64 }

// prepare works out what a chart of m draws of each run with a snapshot.
func prepare(runs []Run, m measure, points int, logY bool) []runSeries {
	keep := finite
	if logY {
		keep = positive
	}
	var out []runSeries
	for _, r := range runs {
		s := r.Snap
		if s == nil {
			continue
		}
		rs := runSeries{run: r, spe: float64(max(s.StepsPerEpoch, 1)), values: noRange()}
		rs.epochs = float64(max(s.Step, len(s.TrainLoss))) / rs.spe
		switch m {
		case lossMeasure:
			rs.loss = Smooth(s.TrainLoss, AdaptiveSmoothing(len(s.TrainLoss), points))
			for _, v := range rs.loss {
				if keep(v) {
					rs.values.add(v)
				}
			}
		case accuracyMeasure:
			for _, t := range s.Tests {
				if finite(t.Accuracy) {
					rs.acc = append(rs.acc, plotter.XY{X: float64(t.Step) / rs.spe, Y: 100 * t.Accuracy})
					rs.values.add(100 * t.Accuracy)
				}
			}
		case gradMeasure:
			rs.gradients(points)
		}
		out = append(out, rs)
	}
	return out
}

// gradients smooths each layer's gradient norms as GradientFlow does (on
// their logarithms, so that a fan of orders of magnitude keeps its shape)
// and takes the band they make, the first layer and the last.
func (rs *runSeries) gradients(points int) {
	layers := rs.run.Snap.Layers
	if len(layers) == 0 {
		return
	}
	// The layers are measured at the same steps; a layer that was not (a
	// history of another length) leaves the band where it differs.
	ref := layers[0].GradNormHistory.Steps
	smoothed := make([][]float64, len(layers))
	for i, l := range layers {
		h := l.GradNormHistory
		logs := make([]float64, len(h.Values))
		for k, v := range h.Values {
			logs[k] = math.NaN()
			if positive(v) {
				logs[k] = math.Log(v)
			}
		}
		smoothed[i] = Smooth(logs, AdaptiveSmoothing(len(logs), points))
	}
	line := func(i int) plotter.XYs {
		var xys plotter.XYs
		steps := layers[i].GradNormHistory.Steps
		for k, v := range smoothed[i] {
			if v := math.Exp(v); positive(v) && k < len(steps) {
				xys = append(xys, plotter.XY{X: float64(steps[k]) / rs.spe, Y: v})
			}
		}
		return xys
	}
	rs.first = line(0)
	if len(layers) > 1 {
		rs.last = line(len(layers) - 1)
	}
	for k, step := range ref {
		b := noRange()
		for i, l := range layers {
			st := l.GradNormHistory.Steps
			if k >= len(smoothed[i]) || k >= len(st) || st[k] != step {
				continue
			}
			if v := math.Exp(smoothed[i][k]); positive(v) {
				b.add(v)
			}
		}
		if !b.Empty() {
			rs.band = append(rs.band, bandPoint{X: float64(step) / rs.spe, Lo: b.Lo, Hi: b.Hi})
			rs.values.union(b)
		}
	}
}

// span is the length in epochs and the range of values that the axes must
// show: those of the runs marked Fit, or of every run when none is.
func span(ss []runSeries) (float64, Range) {
	fit := false
	for _, s := range ss {
		fit = fit || s.run.Fit
	}
	epochs, r := 0.0, noRange()
	for _, s := range ss {
		if fit && !s.run.Fit {
			continue
		}
		epochs = math.Max(epochs, s.epochs)
		r.union(s.values)
	}
	return epochs, r
}

// minEpochs is the shortest x axis of a chart whose front run takes spe
// steps an epoch: an epoch, or 50 steps when that is less, so that the first
// steps are not stretched over the whole width.
func minEpochs(ss []runSeries) float64 {
	if len(ss) == 0 {
		return 1
	}
	return math.Min(1, 50/ss[len(ss)-1].spe)
}

// logRange is a log axis's extent for values from lo to hi: a margin of
// pad times each way, and at least span times from end to end, centred.
func logRange(r Range, minSpan, pad float64) (float64, float64) {
	lo, hi := r.Lo, r.Hi
	if hi/lo < minSpan {
		mid := math.Sqrt(lo * hi)
		lo, hi = mid/math.Sqrt(minSpan), mid*math.Sqrt(minSpan)
	}
	return lo / pad, hi * pad
}
