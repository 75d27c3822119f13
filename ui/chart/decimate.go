package chart

import "math"

// Decimate picks the points of ys worth drawing across buckets pixels: it cuts
// the indices into buckets runs of equal length and keeps, from each, the
// index of its smallest and of its largest value, in their original order,
// and then the last usable index, so that a live curve always reaches the
// newest value. The result holds at most 2·buckets+1 indices, ascending, and
// always includes the global minimum and maximum, so spikes survive however
// long the run is (the min/max half of the M4 scheme, Jugel et al., VLDB
// 2014). Values for which keep returns false (NaN, or zero on a log axis) are
// skipped; a nil keep skips only NaN and ±Inf.
func Decimate[T float32 | float64](ys []T, buckets int, keep func(float64) bool) []int {
	if keep == nil {
		keep = finite
	}
	if buckets < 1 {
		buckets = 1
	}
	n := len(ys)
	if n <= 2*buckets {
		// Nothing to thin: keep every usable point.
		out := make([]int, 0, n)
		for i, v := range ys {
			if keep(float64(v)) {
				out = append(out, i)
			}
		}
		return out
	}
	out := make([]int, 0, 2*buckets+1)
	for b := range buckets {
		// Integer bounds so the buckets tile 0..n exactly, without gaps.
		lo, hi := b*n/buckets, (b+1)*n/buckets
		imin, imax := -1, -1
		for i := lo; i < hi; i++ {
			y := float64(ys[i])
			if !keep(y) {
				continue
			}
			if imin < 0 || y < float64(ys[imin]) {
				imin = i
			}
			if imax < 0 || y > float64(ys[imax]) {
				imax = i
			}
		}
		switch {
		case imin < 0:
		case imin == imax:
			out = append(out, imin)
		case imin < imax:
			out = append(out, imin, imax)
		default:
			out = append(out, imax, imin)
		}
	}
	for last := n - 1; last >= 0; last-- {
		if keep(float64(ys[last])) {
			if len(out) == 0 || out[len(out)-1] < last {
				out = append(out, last)
			}
			break
		}
	}
	return out
}

// finite reports whether y is neither NaN nor infinite.
func finite(y float64) bool {
	return !math.IsNaN(y) && !math.IsInf(y, 0)
}

// positive reports whether y can be drawn on a log axis.
func positive(y float64) bool {
	return y > 0 && !math.IsInf(y, 0)
}
