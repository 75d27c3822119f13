package chart

import (
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
)

// linearTicks labels about target evenly spaced round values (steps of 1, 2
// or 5 times a power of ten). gonum/plot's DefaultTicks always aims at three
// labels, which is too few on a large chart; the target here follows the
// chart's size in text heights.
type linearTicks struct{ target int }

// Ticks returns the labelled ticks between lo and hi.
func (t linearTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || !finite(lo) || !finite(hi) {
		return nil
	}
	step := tickStep(hi-lo, t.target)
	// A lone label gives no scale: a narrow chart of a range that happens
	// to straddle one round value (weights in ±0.04 labelled only "0.00")
	// gets the next finer step until two values fall inside.
	for range 3 {
		if math.Floor(hi/step+1e-9)-math.Ceil(lo/step-1e-9) >= 1 {
			break
		}
		step = finerStep(step)
	}
	decimals := max0(-int(math.Floor(math.Log10(step) + 1e-9)))
	first := math.Ceil(lo/step - 1e-9)
	var ticks []plot.Tick
	for k := first; k*step <= hi+step*1e-9 && len(ticks) < 50; k++ {
		v := k * step
		if math.Abs(v) < step*1e-9 {
			v = 0 // never label "-0"
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: formatTick(v, decimals)})
	}
	return ticks
}

// tickStep returns the step, 1, 2 or 5 times a power of ten, that cuts span
// into the number of intervals nearest to target (the larger step on a tie).
func tickStep(span float64, target int) float64 {
	if !(span > 0) || !finite(span) || target < 1 {
		return 1
	}
	raw := span / float64(target)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	best, bestMiss := 0.0, math.Inf(1)
	for _, m := range []float64{1, 2, 5, 10} {
		step := m * mag
		if miss := math.Abs(span/step - float64(target)); miss <= bestMiss {
			best, bestMiss = step, miss
		}
	}
	return best
}

// finerStep returns the round step below step: 5 → 2 → 1 → 0.5 times a
// power of ten.
func finerStep(step float64) float64 {
	mag := math.Pow(10, math.Floor(math.Log10(step)+1e-9))
	switch m := step / mag; {
	case m > 3:
		return 2 * mag
	case m > 1.5:
		return mag
	}
	return mag / 2
}

// formatTick writes v with the given number of decimals, switching to
// exponent notation where fixed notation would be long. Negative values get a
// true minus sign, which is as wide as a digit and lines up in a column.
func formatTick(v float64, decimals int) string {
	var s string
	if decimals > 5 || math.Abs(v) >= 1e6 {
		s = strconv.FormatFloat(v, 'g', 3, 64)
	} else {
		s = strconv.FormatFloat(v, 'f', decimals, 64)
	}
	return strings.Replace(s, "-", "−", 1)
}

func max0(n int) int { return max(n, 0) }

// logTicks labels powers of ten on a log axis, and 2 and 5 times them (or 3
// times them) when the range spans few decades, so that a loss falling from
// 2.3 to 0.05 still gets several labels. Unlabelled minor ticks mark the
// other integer multiples. gonum/plot's LogTicks labels only decades.
type logTicks struct{ target int }

// Ticks returns the ticks between lo and hi; both must be positive.
func (t logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi > lo) || math.IsInf(hi, 0) {
		return nil
	}
	span := math.Log10(hi / lo)
	perDecade := float64(t.target) / math.Max(span, 1e-9)
	labelled := map[int]bool{1: true}
	switch {
	case perDecade >= 3:
		labelled[2], labelled[5] = true, true
	case perDecade >= 2:
		labelled[3] = true
	}
	// With more decades than labels, label every stride-th decade only.
	stride := max(1, int(math.Ceil(span/float64(t.target))))
	var ticks []plot.Tick
	for e := int(math.Floor(math.Log10(lo))); e <= int(math.Ceil(math.Log10(hi))); e++ {
		for m := 1; m <= 9; m++ {
			v := float64(m) * math.Pow10(e)
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			tk := plot.Tick{Value: v}
			if labelled[m] && (e%stride == 0) {
				tk.Label = strconv.FormatFloat(v, 'g', 3, 64)
			}
			ticks = append(ticks, tk)
		}
	}
	return ticks
}
