package chart

import (
	"math"
	"math/bits"
)

// LossSeries keeps what the loss chart draws of a growing run: the smoothed
// curve's running average and a min/max summary of the raw and the smoothed
// losses in at most summaryCap buckets. Each Loss call with the same
// LossSeries then costs the steps that are new since the last call plus the
// summary, not the whole run: a chart redrawn five times a second must not
// slow down as a run reaches millions of steps. The smoothing weight is
// chosen for the run's length rounded up to a power of two, so the curve is
// smoothed again from the start only each time the run doubles (and when the
// chart's width changes): over a run that is a constant cost per step.
//
// A LossSeries follows one run, whose losses only grow; given a history that
// is shorter or starts differently, it starts over. The zero value is ready
// to use. It is not safe for concurrent use.
type LossSeries struct {
	n      int     // steps taken in
	first  float32 // the first step's loss, to tell a different run
	points int     // the width in points that the smoothing is for
	weight float64 // the smoothing weight in use
	ema    float64 // the running average, not yet debiased
	decay  float64 // weight^(finite steps averaged)
	raw    summary
	smooth summary
}

// summaryCap bounds the buckets of a summary: the time to decimate it for a
// chart and its size, whatever the length of the run. It keeps at least two
// buckets per pixel of an 8K-wide chart.
const summaryCap = 1 << 14

// update takes in the losses of train that are new, for a chart points
// points wide.
func (ls *LossSeries) update(train []float32, points int) {
	n := len(train)
	restart := n < ls.n || (ls.n > 0 && math.Float32bits(train[0]) != math.Float32bits(ls.first))
	if restart {
		*ls = LossSeries{}
	}
	if n == 0 {
		return
	}
	if ls.n == 0 {
		ls.raw = newSummary()
		ls.first = train[0]
	}
	for i := ls.n; i < n; i++ {
		ls.raw.add(i, float64(train[i]))
	}
	w := AdaptiveSmoothing(1<<bits.Len(uint(n-1)), points)
	if ls.n == 0 || w != ls.weight || points != ls.points {
		// Smooth again from the start with the new weight.
		ls.weight, ls.points = w, points
		ls.ema, ls.decay = 0, 1
		ls.smooth = newSummary()
		ls.smoothFrom(train, 0)
	} else {
		ls.smoothFrom(train, ls.n)
	}
	ls.n = n
}

// smoothFrom runs the moving average of Smooth over train[from:].
func (ls *LossSeries) smoothFrom(train []float32, from int) {
	w := math.Max(0, math.Min(maxSmoothing, ls.weight))
	for i := from; i < len(train); i++ {
		y := float64(train[i])
		if !finite(y) {
			ls.smooth.add(i, y)
			continue
		}
		ls.ema = ls.ema*w + (1-w)*y
		ls.decay *= w
		ls.smooth.add(i, ls.ema/(1-ls.decay))
	}
}

// seriesPoint is one kept point of a series: its index and value.
type seriesPoint struct {
	i int
	y float64
}

// bucket is the extremes of a run of consecutive values: the smallest and
// largest finite ones and the smallest positive one (the largest positive
// is the largest finite when that is positive). An index of -1 means none.
type bucket struct {
	lo, hi, pos    int
	vlo, vhi, vpos float64
}

func emptyBucket() bucket { return bucket{lo: -1, hi: -1, pos: -1} }

func (b *bucket) add(i int, y float64) {
	if !finite(y) {
		return
	}
	if b.lo < 0 || y < b.vlo {
		b.lo, b.vlo = i, y
	}
	if b.hi < 0 || y > b.vhi {
		b.hi, b.vhi = i, y
	}
	if y > 0 && (b.pos < 0 || y < b.vpos) {
		b.pos, b.vpos = i, y
	}
}

func (b *bucket) merge(o bucket) {
	if o.lo >= 0 {
		b.add(o.lo, o.vlo)
	}
	if o.hi >= 0 {
		b.add(o.hi, o.vhi)
	}
	if o.pos >= 0 {
		b.add(o.pos, o.vpos)
	}
}

// summary is a series cut into buckets of size consecutive values; when
// the buckets reach summaryCap, neighbours merge and size doubles. The
// newest finite and positive values are kept too, so that a live curve
// always reaches the newest step.
type summary struct {
	size    int
	n       int
	buckets []bucket
	last    seriesPoint // the newest finite value, i = -1 for none
	lastPos seriesPoint // the newest positive one
}

func newSummary() summary {
	return summary{size: 1, last: seriesPoint{i: -1}, lastPos: seriesPoint{i: -1}}
}

// add takes in value y at index i, the next index.
func (s *summary) add(i int, y float64) {
	k := i / s.size
	if k == len(s.buckets) {
		if len(s.buckets) == summaryCap {
			for j := range summaryCap / 2 {
				b := s.buckets[2*j]
				b.merge(s.buckets[2*j+1])
				s.buckets[j] = b
			}
			s.buckets = s.buckets[:summaryCap/2]
			s.size *= 2
			k = i / s.size
		}
		if k == len(s.buckets) {
			s.buckets = append(s.buckets, emptyBucket())
		}
	}
	s.buckets[k].add(i, y)
	s.n = i + 1
	if finite(y) {
		s.last = seriesPoint{i, y}
		if y > 0 {
			s.lastPos = seriesPoint{i, y}
		}
	}
}

// decimate picks the points to draw across width pixels, as Decimate does:
// from the values of each pixel's share of the indices their smallest and
// largest, in index order, then the newest; only positive values when
// positive is set. A pixel's share is made of whole buckets, so its edges
// may be off by less than a bucket.
func (s *summary) decimate(width int, positive bool) []seriesPoint {
	if s.n == 0 {
		return nil
	}
	width = max(1, width)
	get := func(b bucket) (lo, hi seriesPoint, ok bool) {
		if !positive {
			return seriesPoint{b.lo, b.vlo}, seriesPoint{b.hi, b.vhi}, b.lo >= 0
		}
		if b.pos < 0 {
			return seriesPoint{}, seriesPoint{}, false
		}
		return seriesPoint{b.pos, b.vpos}, seriesPoint{b.hi, b.vhi}, true
	}
	out := make([]seriesPoint, 0, 2*width+1)
	if s.size == 1 && s.n <= 2*width {
		// Nothing to thin: every usable value.
		for _, b := range s.buckets {
			if lo, _, ok := get(b); ok {
				out = append(out, lo)
			}
		}
	} else {
		have := false
		var lo, hi seriesPoint
		flush := func() {
			switch {
			case !have:
			case lo.i == hi.i:
				out = append(out, lo)
			case lo.i < hi.i:
				out = append(out, lo, hi)
			default:
				out = append(out, hi, lo)
			}
			have = false
		}
		// Pixel p takes the indices from p·n/width up to (p+1)·n/width,
		// as in Decimate, here as the buckets that start among them.
		k := 0
		for p := range width {
			end := (p + 1) * s.n / width
			for ; k < len(s.buckets) && k*s.size < end; k++ {
				blo, bhi, ok := get(s.buckets[k])
				if !ok {
					continue
				}
				if !have {
					lo, hi, have = blo, bhi, true
					continue
				}
				if blo.y < lo.y {
					lo = blo
				}
				if bhi.y > hi.y {
					hi = bhi
				}
			}
			flush()
		}
	}
	last := s.last
	if positive {
		last = s.lastPos
	}
	if last.i >= 0 && (len(out) == 0 || out[len(out)-1].i < last.i) {
		out = append(out, last)
	}
	return out
}
