package chart

import "math"

// DefaultSmoothing is TensorBoard's default smoothing weight: an exponential
// moving average whose memory is about ten points.
const DefaultSmoothing = 0.9

// maxSmoothing keeps the moving average from freezing on very long runs.
const maxSmoothing = 0.999

// Smooth returns the exponential moving average of ys with the given weight
// (0 returns the values, closer to 1 smooths more; weights outside 0..0.999
// are clamped), debiased as TensorBoard does
// (tensorboard/components/vz_line_chart2/line-chart.ts): the average starts
// at zero and is divided by 1-weight^n, so the first points are not dragged
// towards zero. NaN and ±Inf values come out unchanged and do not disturb the
// average, so a single bad step does not poison the rest of the curve.
func Smooth[T float32 | float64](ys []T, weight float64) []float64 {
	if math.IsNaN(weight) {
		weight = DefaultSmoothing
	}
	weight = math.Max(0, math.Min(maxSmoothing, weight))
	out := make([]float64, len(ys))
	last, decay := 0.0, 1.0
	for i, v := range ys {
		y := float64(v)
		if !finite(y) {
			out[i] = y
			continue
		}
		last = last*weight + (1-weight)*y
		decay *= weight
		out[i] = last / (1 - decay)
	}
	return out
}

// AdaptiveSmoothing returns the smoothing weight for n points drawn across
// pixels pixels. It is DefaultSmoothing on short runs; on long runs it grows
// so that the average remembers about four pixels' worth of points, otherwise
// a 60,000-step curve squeezed into 800 pixels would still look like noise.
// Four pixels of lag is too little to see.
func AdaptiveSmoothing(n, pixels int) float64 {
	if n <= 0 || pixels <= 0 {
		return DefaultSmoothing
	}
	// An EMA with weight w averages over about 1/(1-w) points.
	memory := 4 * float64(n) / float64(pixels)
	w := 1 - 1/memory
	return math.Max(DefaultSmoothing, math.Min(maxSmoothing, w))
}
