package engine

import (
	"errors"
	"math"
	"time"
)

// measure evaluates the network on the test set and records it.
func (s *Session) measure() {
	ev := s.model.Evaluate(s.data.Test)
	train, lr := math.NaN(), s.lr()
	if s.epochN > 0 {
		train, lr = s.epochSum/float64(s.epochN), s.flow.lastLR
	}
	s.tests = append(s.tests, EpochMetric{
		Epoch: s.epoch, Step: s.step, TrainLoss: train,
		Loss: ev.Loss, Accuracy: ev.Accuracy, Seconds: s.elapsed().Seconds(),
		LR: lr, Layers: s.flow.epochMeans(), Confusion: ev.Confusion,
	})
	s.misses = ev.Misclassified[:min(len(ev.Misclassified), maxMisclassified)]
}

// maxMisclassified bounds the mistakes a snapshot lists: all of MNIST's
// 10,000 test images.
const maxMisclassified = 10_000

// finish publishes the final snapshot and returns Run's result.
func (s *Session) finish(st State, err error) error {
	if s.state == Running && s.race == nil {
		s.trained += time.Since(s.runStart)
	}
	s.state = st
	if err != nil && errors.Is(err, ErrDiverged) {
		s.state = Failed
		s.err = err
	}
	s.publish()
	return err
}

// publish freezes the session's state into a snapshot and offers it, the
// newest replacing any the reader has not taken yet.
func (s *Session) publish() {
	snap := s.snapshot()
	s.last.Store(snap)
	select {
	case <-s.snaps:
	default:
	}
	s.snaps <- snap
}

// snapshot copies what the reader may see. The loss history is shared:
// the session only ever appends to it, beyond the snapshot's length.
func (s *Session) snapshot() *Snapshot {
	cfg := s.cfg
	cfg.LR = s.baseLR
	model := s.frozenModel()
	snap := &Snapshot{
		State: s.state, Step: s.step, Epoch: s.epoch, PlannedEpochs: s.plannedEpochs(),
		EpochFrac:     float64(s.pos) / float64(s.data.Train.Len()),
		StepsPerEpoch: stepsPerEpoch(s.data.Train.Len(), s.cfg.Batch),
		LR:            s.lr(), BaseLR: s.baseLR,
		Elapsed:      s.elapsed(),
		ImagesPerSec: s.rate.perSecond(),
		Images:       s.images,
		TrainLoss:    s.losses[:len(s.losses):len(s.losses)],
		Tests:        s.tests[:len(s.tests):len(s.tests)],
		Model:        model,
		Config:       cfg,
		Warnings:     s.warnings,
		Err:          s.err,
	}
	if s.state != Running {
		snap.ImagesPerSec = 0
	}
	// The gradient flow's histories and lists are shared, as the losses are.
	snap.LRHistory = s.flow.lr.view()
	snap.LRChanges = s.flow.changes[:len(s.flow.changes):len(s.flow.changes)]
	snap.Misclassified = s.misses
	snap.Layers = layerStats(model, s.tr)
	for i := range snap.Layers {
		snap.Layers[i].GradNormHistory = s.flow.grad[i].view()
		snap.Layers[i].SaturatedHistory = s.flow.sat[i].view()
	}
	return snap
}

// frozenModel returns a copy of the network for a snapshot: the current one,
// or, when its weights have overflowed since the latest scan, the copy that
// scan kept, so that no snapshot ever holds a model that is not finite. The
// next step's scan then stops training.
func (s *Session) frozenModel() *Model {
	if s.good != nil && !finiteModel(s.model) {
		return s.good.Clone()
	}
	return s.model.Clone()
}

// histogramBins is how finely weight histograms are counted.
const histogramBins = 40

// layerStats describes each layer: its weights, and from the latest step
// (when there is one) its gradient and its outputs.
func layerStats(m *Model, tr *trainer) []LayerStats {
	stats := make([]LayerStats, len(m.Layers))
	for i, l := range m.Layers {
		st := LayerStats{In: l.In, Out: l.Out, Act: l.Act, Weights: histogram(l.W, histogramBins)}
		if tr != nil && tr.n > 0 {
			n := tr.n
			st.GradNorm = gradNorm(tr.ws.gw[i])
			a := tr.ws.a[i][:n*l.Out]
			st.Activations = activationHistogram(l.Act, i == len(m.Layers)-1, a)
			var sum, sq float64
			for _, v := range a {
				sum += float64(v)
				sq += float64(v) * float64(v)
			}
			mean := sum / float64(len(a))
			st.ActMean = mean
			st.ActStd = math.Sqrt(math.Max(0, sq/float64(len(a))-mean*mean))
			if i < len(m.Layers)-1 {
				st.Saturated = float64(countSaturated(l.Act, a)) / float64(len(a))
			}
		}
		stats[i] = st
	}
	return stats
}

// histogram counts the finite values of v in bins equal bins spanning
// their range.
func histogram(v []float32, bins int) Histogram {
	h := Histogram{Counts: make([]int, bins)}
	lo, hi := float32(math.Inf(1)), float32(math.Inf(-1))
	for _, x := range v {
		if x-x == 0 { // finite
			lo, hi = min(lo, x), max(hi, x)
		}
	}
	if lo > hi {
		return h
	}
	h.Min, h.Max = float64(lo), float64(hi)
	width := (h.Max - h.Min) / float64(bins)
	for _, x := range v {
		if x-x != 0 {
			continue
		}
		b := bins - 1
		if width > 0 {
			b = min(int((float64(x)-h.Min)/width), bins-1)
		}
		h.Counts[b]++
	}
	return h
}

// throughput measures images per second over the last few seconds of
// training, so a change of speed shows quickly. It counts against the wall
// clock, or, for a session in a race, against the time of its own steps
// alone, since the wall clock also runs while the others train.
type throughput struct {
	images int
	wall   time.Time     // when the counted images began
	busy   time.Duration // the counted images' own time, in a race
	own    bool          // count a raced session's own time, set when Run begins
}

func (t *throughput) reset() { *t = throughput{own: t.own} }

func (t *throughput) add(images int, d time.Duration) {
	if t.own {
		t.images += images
		t.busy += d
		if t.busy > 3*time.Second {
			t.images /= 2
			t.busy /= 2
		}
		return
	}
	if t.wall.IsZero() {
		t.wall = time.Now().Add(-d)
	}
	t.images += images
	// Halve the history every few seconds, an exponential forgetting.
	if time.Since(t.wall) > 3*time.Second {
		t.images /= 2
		t.wall = t.wall.Add(time.Since(t.wall) / 2)
	}
}

func (t *throughput) perSecond() float64 {
	if t.own {
		if t.busy <= 0 {
			return 0
		}
		return float64(t.images) / t.busy.Seconds()
	}
	if t.wall.IsZero() {
		return 0
	}
	d := time.Since(t.wall).Seconds()
	if d <= 0 {
		return 0
	}
	return float64(t.images) / d
}
