package engine

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/blas/blas32"
)

// LRChange is a moment the learning rate was changed by hand.
type LRChange struct {
	// Step is how many steps were done when it took effect: step Step+1 is
	// the first trained at the new rate.
	Step   int
	BaseLR float64 // the rate chosen
	LR     float64 // the rate then in force, after the schedule
}

// LayerMeans is one layer's gradient flow averaged over an epoch: over
// every fourth of its steps and its last, where the session measures it.
type LayerMeans struct {
	GradNorm float64 // mean ‖∂L/∂W‖
	// Saturated is the mean share of the layer's outputs that passed no
	// gradient (dead ReLUs, saturated sigmoid or tanh units); 0 for the
	// output layer, whose softmax belongs to the loss.
	Saturated float64
}

// flowEvery is how many steps apart the gradient flow is measured. A
// measurement is a pass over every weight gradient and hidden output, about
// 5% of a step of 784-100-10 at batch 100 (BenchmarkFlowMeasure against
// BenchmarkFlowStep); every fourth step makes that about 1%, and an epoch
// of MNIST at batch 100 still gets about 150 measurements.
const flowEvery = 4

// flowRecorder keeps the gradient flow: each layer's gradient norm and
// saturated share, measured every flowEvery steps and at each epoch's last
// step, and the learning rate in force at every step, as bounded histories
// and as sums over the current epoch.
type flowRecorder struct {
	grad, sat []*series // one per layer
	lr        *series
	changes   []LRChange
	lastLR    float64 // the rate of the latest step
	wait      int     // steps to skip before the next measurement
	// Sums over the current epoch's measurements.
	gradSum, satSum []float64
	n               int
}

func newFlowRecorder(layers int) *flowRecorder {
	f := &flowRecorder{lr: newSeries(reduceLast), gradSum: make([]float64, layers), satSum: make([]float64, layers)}
	for range layers {
		f.grad = append(f.grad, newSampledSeries(reduceMean, flowEvery))
		f.sat = append(f.sat, newSampledSeries(reduceMean, flowEvery))
	}
	return f
}

// flowFrom carries on the gradient flow of a published snapshot.
func flowFrom(s *Snapshot, layers int) *flowRecorder {
	f := newFlowRecorder(layers)
	if len(s.Layers) != layers {
		return f
	}
	f.lr = seriesFrom(reduceLast, 1, s.LRHistory)
	for i, st := range s.Layers {
		f.grad[i] = seriesFrom(reduceMean, flowEvery, st.GradNormHistory)
		f.sat[i] = seriesFrom(reduceMean, flowEvery, st.SaturatedHistory)
	}
	f.changes = slices.Clone(s.LRChanges)
	return f
}

// record adds the step just trained to the histories: its learning rate, and
// when a measurement is due or the step ends an epoch (endsEpoch), the
// gradient flow of its batch, which the trainer's buffers still hold.
func (f *flowRecorder) record(step int, lr float64, tr *trainer, endsEpoch bool) {
	f.lastLR = lr
	f.lr.add(step, lr)
	if f.wait > 0 && !endsEpoch {
		f.wait--
		return
	}
	f.wait = flowEvery - 1
	f.measure(step, tr)
}

// measure adds the gradient flow of the trainer's latest batch.
func (f *flowRecorder) measure(step int, tr *trainer) {
	last := len(tr.m.Layers) - 1
	for i, l := range tr.m.Layers {
		g := gradNorm(tr.ws.gw[i])
		var sat float64
		if i < last {
			a := tr.ws.a[i][:tr.n*l.Out]
			sat = float64(countSaturated(l.Act, a)) / float64(len(a))
		}
		f.grad[i].add(step, g)
		f.sat[i].add(step, sat)
		f.gradSum[i] += g
		f.satSum[i] += sat
	}
	f.n++
}

// epochMeans returns the means over the current epoch's measurements, nil
// when none has been made.
func (f *flowRecorder) epochMeans() []LayerMeans {
	if f.n == 0 {
		return nil
	}
	m := make([]LayerMeans, len(f.gradSum))
	for i := range m {
		m[i] = LayerMeans{GradNorm: f.gradSum[i] / float64(f.n), Saturated: f.satSum[i] / float64(f.n)}
	}
	return m
}

// newEpoch starts the sums of the next epoch.
func (f *flowRecorder) newEpoch() {
	clear(f.gradSum)
	clear(f.satSum)
	f.n = 0
}

// changed records a change of the learning rate by hand after step steps.
// Changes made before the same step (a slider dragged while paused) are one
// change, to the last value; the list is copied rather than written, as
// snapshots share it.
func (f *flowRecorder) changed(step int, base, lr float64) {
	c := LRChange{Step: step, BaseLR: base, LR: lr}
	if n := len(f.changes); n > 0 && f.changes[n-1].Step == step {
		f.changes = append(slices.Clone(f.changes[:n-1]), c)
		return
	}
	f.changes = append(f.changes, c)
}

// gradNorm is the Frobenius norm of a gradient, ‖∂L/∂W‖.
func gradNorm(g []float32) float64 {
	sq := blas32.Implementation().Sdot(len(g), g, 1, g, 1)
	return math.Sqrt(float64(sq))
}

// countSaturated counts the outputs a of act for which saturated holds,
// without a branch per value: whether a unit is off is a coin toss the
// branch predictor loses, as in activate.
func countSaturated(act Activation, a []float32) int {
	n := 0
	switch act {
	case ReLU:
		// An output at zero, +0 or −0, has no bits but the sign's; a
		// negative one (which ReLU never gives) has the sign's.
		for _, y := range a {
			b := math.Float32bits(y)
			m := b << 1
			n += int(b>>31 | (1 - (m|-m)>>31))
		}
	case Sigmoid:
		// x < t exactly when x−t is negative (Sterbenz: the difference of
		// nearby floats is exact); the conversions keep each product
		// rounded on its own, as saturated computes it.
		for _, y := range a {
			n += int(math.Float32bits(float32(y*(1-y))-0.01) >> 31)
		}
	case Tanh:
		for _, y := range a {
			n += int(math.Float32bits(float32(1-float32(y*y))-0.04) >> 31)
		}
	case Step:
		n = len(a)
	}
	return n
}

// PlannedLR previews the learning rate a run of cfg will put in force at each
// of its steps, before it starts: epochs of trainImages images in batches of
// cfg.Batch, the schedule moving as it will in the session (the same
// function computes both). It returns about points samples evenly spaced over
// the run, Span apart, and for a step decay the steps either side of each
// shift, so that the gears show sharp. A run until stopped (cfg.Epochs 0)
// is previewed over ten epochs, or three shifts of a step decay when those
// take longer. Steps count from the run's first; a run that continues
// another starts its schedule afresh, so its preview is this one shifted by
// the steps already done.
func PlannedLR(cfg TrainConfig, trainImages, points int) History {
	if cfg.Batch < 1 || trainImages < 1 {
		return History{Span: 1}
	}
	spe := stepsPerEpoch(trainImages, cfg.Batch)
	epochs := cfg.Epochs
	if epochs < 1 {
		epochs = 10
		if cfg.Schedule.Kind == StepDecay {
			epochs = max(epochs, 3*cfg.Schedule.Every)
		}
	}
	total := spe * epochs
	stride := max(1, (total+max(points, 1)-1)/max(points, 1))
	var steps []int
	for k := 1; k <= total; k += stride {
		steps = append(steps, k)
	}
	if steps[len(steps)-1] != total {
		steps = append(steps, total)
	}
	if cfg.Schedule.Kind == StepDecay {
		for e := 1; e < epochs; e++ {
			steps = append(steps, e*spe, e*spe+1)
		}
		slices.Sort(steps)
		steps = slices.Compact(steps)
	}
	h := History{Steps: steps, Values: make([]float64, len(steps)), Span: stride}
	for i, k := range steps {
		epoch, pos := (k-1)/spe, (k-1)%spe*cfg.Batch
		h.Values[i] = scheduledLR(cfg.Schedule, cfg.LR, epoch, pos, trainImages, cfg.Epochs)
	}
	return h
}

// scheduledLR is the rate the schedule puts in force for the step that
// starts pos images into epoch (counted from the run's start), from the base
// rate chosen, over a run of epochs planned epochs.
func scheduledLR(s Schedule, base float64, epoch, pos, trainImages, epochs int) float64 {
	return s.Rate(base, epoch, float64(pos)/float64(trainImages), epochs)
}

// activationBins is how finely a layer's outputs are counted.
const activationBins = 40

// activationHistogram counts a layer's outputs on a batch over the range its
// activation gives: 0 to 1 for sigmoid, step and the output layer's softmax,
// −1 to 1 for tanh, 0 to the largest output for ReLU, and the outputs' own
// range for the identity. Sigmoid outputs piling up at 0 and 1 and ReLU's
// spike at 0 (the book's figures 6-10 to 6-14) show in the first and last
// bins.
func activationHistogram(act Activation, output bool, a []float32) Histogram {
	lo, hi := 0.0, 1.0
	switch {
	case output:
	case act == Tanh:
		lo = -1
	case act == ReLU:
		top := float32(0)
		for _, v := range a {
			top = max(top, v) // a NaN stays out
		}
		if top > 0 && !math.IsInf(float64(top), 0) {
			hi = float64(top)
		}
	case act == Identity:
		return histogram(a, activationBins)
	}
	h := Histogram{Min: lo, Max: hi, Counts: make([]int, activationBins)}
	lo32, scale := float32(lo), float32(activationBins/(hi-lo))
	bin := func(v float32) int {
		if v-v != 0 {
			return activationBins // not finite: not counted
		}
		if f := (v - lo32) * scale; f >= activationBins {
			return activationBins - 1
		} else if f > 0 {
			return int(f)
		}
		return 0
	}
	// Outputs crowd into a few bins (a fresh sigmoid layer's all sit near
	// 0.5), and one count array would make each increment wait for the one
	// before: four arrays, each taking every fourth output, do not.
	var c [4][activationBins + 1]int
	i := 0
	for ; i+4 <= len(a); i += 4 {
		c[0][bin(a[i])]++
		c[1][bin(a[i+1])]++
		c[2][bin(a[i+2])]++
		c[3][bin(a[i+3])]++
	}
	for ; i < len(a); i++ {
		c[0][bin(a[i])]++
	}
	for b := range h.Counts {
		h.Counts[b] = c[0][b] + c[1][b] + c[2][b] + c[3][b]
	}
	return h
}
