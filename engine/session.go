package engine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// ErrDiverged is wrapped by the error of a session whose loss stopped being
// a finite number.
var ErrDiverged = errors.New("training diverged")

// SessionOptions tune a session. The zero value publishes every 100 ms,
// starts running, and trains a fresh model made from the configuration's
// initialisation and seed.
type SessionOptions struct {
	// PublishEvery bounds how often a snapshot is published while training
	// runs; epoch ends, pauses and single steps always publish.
	PublishEvery time.Duration
	// StartPaused makes Run wait for Resume or Step before training.
	StartPaused bool
	// Model, if set, is the network to train on from (it is copied; its
	// architecture must match the configuration's).
	Model *Model
	// Continue, if set, carries on the session that published it, finished
	// or stopped: training starts from its model, and the new session keeps
	// its step and epoch counts, its training losses, its test measurements
	// and its training time, then trains cfg.Epochs more epochs (or until
	// stopped). The optimiser's memory (momentum, Adam's moments) and the
	// learning-rate schedule start afresh: for step decay and cosine that is
	// a warm restart from cfg.LR; an epoch the earlier session left
	// unfinished starts over; a blow-up is judged on the new losses alone.
	// The batch size must be the earlier session's. It excludes Model.
	Continue *Snapshot
}

// Session trains one network on MNIST in its own goroutine. Run owns the
// network; the other methods only send it commands, so they may be called
// from any goroutine, before, during or after Run.
type Session struct {
	cfg   TrainConfig
	data  *MNIST
	opts  SessionOptions
	cmds  chan command
	snaps chan *Snapshot
	done  chan struct{}
	once  sync.Once
	last  atomic.Pointer[Snapshot]
	ran   atomic.Bool
	// The newest learning rate asked for, and whether Run has yet to take
	// it: a slider dragged while a long step runs sets it many times, and
	// only the last value matters.
	pendingLR atomic.Uint64
	lrDirty   atomic.Bool

	// Owned by Run's goroutine.
	model      *Model
	good       *Model // a copy of model from the latest scan that found it finite
	tr         *trainer
	rng        *rand.Rand
	baseLR     float64
	state      State
	step       int
	epoch      int
	startEpoch int // the epoch count this session began at, above 0 when it continues another
	order      []int
	pos        int // images of the current epoch done
	losses     []float32
	lossRef    float64 // the loss a blow-up is measured against
	// ownLosses is where this session's losses begin in losses: a blow-up
	// is judged on them alone, so that a run continued after one, at a
	// lower learning rate, is not condemned by the old losses.
	ownLosses int
	epochSum  float64 // training loss summed over the current epoch's steps
	epochN    int
	tests     []EpochMetric
	trained   time.Duration // time spent training, pauses excluded
	runStart  time.Time     // when the current running stretch began
	rate      throughput
	warnings  []string
	err       error
	flow      *flowRecorder
	misses    []Misclassification // the latest test measurement's mistakes
}

type commandKind int

const (
	cmdPause commandKind = iota
	cmdResume
	cmdStep
	cmdStop
	cmdEvaluate
	cmdSetLR
)

type command struct {
	kind commandKind
}

// NewSession checks the configuration and the data and prepares a session.
// Nothing trains until Run.
func NewSession(cfg TrainConfig, data *MNIST, opts SessionOptions) (*Session, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if data == nil || data.Train == nil || data.Test == nil || data.Train.Len() == 0 {
		return nil, errors.New("no training data: load MNIST first")
	}
	if data.Train.Size() != cfg.Arch.Inputs || data.Test.Size() != cfg.Arch.Inputs {
		return nil, fmt.Errorf("the network takes %d inputs but the images have %d pixels", cfg.Arch.Inputs, data.Train.Size())
	}
	if cfg.Arch.Outputs != NumClasses {
		return nil, fmt.Errorf("the network has %d outputs but MNIST has %d classes", cfg.Arch.Outputs, NumClasses)
	}
	if opts.PublishEvery <= 0 {
		opts.PublishEvery = 100 * time.Millisecond
	}
	s := &Session{
		cfg: cfg, data: data, opts: opts,
		cmds:   make(chan command, 64),
		snaps:  make(chan *Snapshot, 1),
		done:   make(chan struct{}),
		rng:    shuffleRNG(cfg.Seed),
		baseLR: cfg.LR,
		state:  Idle,
	}
	if c := opts.Continue; c != nil {
		if opts.Model != nil {
			return nil, errors.New("engine: SessionOptions.Model and Continue are exclusive")
		}
		if c.Model == nil || len(c.TrainLoss) != c.Step {
			return nil, errors.New("engine: SessionOptions.Continue needs a session's snapshot")
		}
		if c.Config.Batch != cfg.Batch {
			// The history's steps would stand for another number of images
			// each, and its charts would stretch.
			return nil, fmt.Errorf("a run at batch size %d cannot be continued at batch size %d: keep %d, or start a new run", c.Config.Batch, cfg.Batch, c.Config.Batch)
		}
		opts.Model = c.Model
		s.step, s.epoch, s.startEpoch, s.trained = c.Step, c.Epoch, c.Epoch, c.Elapsed
		s.losses = slices.Clone(c.TrainLoss)
		s.ownLosses = len(s.losses)
		s.tests = slices.Clone(c.Tests)
		s.flow = flowFrom(c, len(cfg.Arch.Hidden)+1)
		s.misses = c.Misclassified
		if c.BaseLR != cfg.LR {
			s.flow.changed(s.step, cfg.LR, s.lr())
		}
	}
	if s.flow == nil {
		s.flow = newFlowRecorder(len(cfg.Arch.Hidden) + 1)
	}
	if opts.Model != nil {
		if err := opts.Model.Validate(); err != nil {
			return nil, fmt.Errorf("the starting model is unusable: %w", err)
		}
		if !sameArch(opts.Model.Arch(), cfg.Arch) {
			return nil, fmt.Errorf("the starting model is %s but the configuration asks for %s", opts.Model.Arch(), cfg.Arch)
		}
		s.model = opts.Model.Clone()
	} else {
		m, err := InitialModel(cfg)
		if err != nil {
			return nil, err
		}
		s.model = m
	}
	s.warnings = cfg.Arch.Warnings()
	if opts.StartPaused {
		s.state = Paused
	}
	s.last.Store(s.snapshot())
	return s, nil
}

// InitialModel returns the untrained network that a session with cfg starts
// from: cfg.Arch with weights drawn by cfg.Init from a random stream seeded by
// cfg.Seed. The window shows its guesses before training starts.
func InitialModel(cfg TrainConfig) (*Model, error) {
	return NewModel(cfg.Arch, cfg.Init, rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)))
}

// shuffleRNG is the random stream of a session's epoch orders: a stream of
// its own, so that the order of the images does not depend on how many
// numbers the initialisation drew.
func shuffleRNG(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed^0x6a09e667f3bcc908, seed))
}

// sameArch reports whether two architectures describe the same network.
func sameArch(a, b Architecture) bool {
	if a.Inputs != b.Inputs || a.Outputs != b.Outputs || a.Loss != b.Loss || len(a.Hidden) != len(b.Hidden) || len(a.Acts) != len(b.Acts) {
		return false
	}
	for i := range a.Hidden {
		if a.Hidden[i] != b.Hidden[i] || a.Acts[i] != b.Acts[i] {
			return false
		}
	}
	return true
}

// Snapshots returns the channel on which snapshots arrive: it holds one, the
// newest wins, so a slow reader never slows training. It is closed when Run
// returns, after the final snapshot.
func (s *Session) Snapshots() <-chan *Snapshot { return s.snaps }

// Latest returns the newest published snapshot.
func (s *Session) Latest() *Snapshot { return s.last.Load() }

// Pause stops training after the current step.
func (s *Session) Pause() { s.send(command{kind: cmdPause}) }

// Resume continues a paused session.
func (s *Session) Resume() { s.send(command{kind: cmdResume}) }

// Step trains exactly one mini-batch and leaves the session paused.
func (s *Session) Step() { s.send(command{kind: cmdStep}) }

// Stop ends Run after the current step; the trained model stays in the
// final snapshot.
func (s *Session) Stop() { s.send(command{kind: cmdStop}) }

// Evaluate measures the network on the whole test set now; the result is
// appended to the snapshot's Tests.
func (s *Session) Evaluate() { s.send(command{kind: cmdEvaluate}) }

// SetLearningRate changes the base learning rate while training runs; the
// schedule applies to the new value from the next step on.
func (s *Session) SetLearningRate(lr float64) error {
	if !(lr >= MinLR && lr <= MaxLR) {
		return fmt.Errorf("learning rate %g is out of range: use %g to %g", lr, MinLR, MaxLR)
	}
	s.pendingLR.Store(math.Float64bits(lr))
	s.lrDirty.Store(true)
	// Wake a paused Run so that the new rate shows; a running one takes it
	// before its next step anyway, so a full queue needs no second nudge.
	select {
	case s.cmds <- command{kind: cmdSetLR}:
	default:
	}
	return nil
}

// takeLR applies a learning rate set since the last step, and reports
// whether there was one.
func (s *Session) takeLR() bool {
	if !s.lrDirty.Swap(false) {
		return false
	}
	lr := math.Float64frombits(s.pendingLR.Load())
	if lr == s.baseLR {
		return false
	}
	s.baseLR = lr
	s.flow.changed(s.step, lr, s.lr())
	return true
}

// send hands a command to Run, or drops it once Run has returned.
func (s *Session) send(c command) {
	select {
	case s.cmds <- c:
	case <-s.done:
	}
}

// Run trains until the planned epochs are done, Stop is called, the loss
// diverges or ctx is cancelled. It returns nil in the first two cases, an
// error wrapping ErrDiverged in the third and ctx.Err() in the last. The
// final snapshot is published before it returns. Run may be called once.
func (s *Session) Run(ctx context.Context) error {
	if !s.ran.CompareAndSwap(false, true) {
		return errors.New("engine: Session.Run called twice")
	}
	defer func() {
		s.once.Do(func() { close(s.done) })
		close(s.snaps)
	}()
	if sparseOK(s.data.Train, s.cfg.Arch.Inputs) {
		s.data.Train.sparseView()
		s.data.Test.sparseView()
	}
	s.tr = newTrainer(s.model, s.cfg.Opt, min(s.cfg.Batch, s.data.Train.Len()), s.cfg.WeightDecay)
	s.good = s.model.Clone()
	if s.state != Paused {
		s.setState(Running)
	}
	s.publish()
	lastPublish, publishCost := time.Now(), time.Duration(0)
	for {
		var c command
		var have bool
		if s.state == Paused {
			select {
			case c = <-s.cmds:
				have = true
			case <-ctx.Done():
				return s.finish(Done, ctx.Err())
			}
		} else {
			select {
			case c = <-s.cmds:
				have = true
			case <-ctx.Done():
				return s.finish(Done, ctx.Err())
			default:
			}
		}
		if have {
			switch c.kind {
			case cmdPause:
				s.setState(Paused)
				s.publish()
			case cmdResume:
				s.setState(Running)
				s.publish()
			case cmdStop:
				return s.finish(Done, nil)
			case cmdEvaluate:
				s.measure()
				s.publish()
			case cmdSetLR:
				if s.takeLR() {
					s.publish()
				}
			case cmdStep:
				s.setState(Paused)
				s.takeLR()
				start := time.Now()
				end, err := s.trainStep(true)
				s.trained += time.Since(start)
				if err != nil || end {
					return s.finish(Done, err)
				}
				s.publish()
			}
			continue
		}
		s.takeLR()
		// A snapshot of a wide network costs milliseconds (a copy of the
		// model and a histogram of each layer), so publish no more often
		// than keeps that under a tenth of the training time.
		due := time.Since(lastPublish) >= max(s.opts.PublishEvery, 9*publishCost)
		end, err := s.trainStep(due)
		if err != nil || end {
			return s.finish(Done, err)
		}
		if due || s.pos == 0 {
			t := time.Now()
			s.publish()
			lastPublish, publishCost = time.Now(), time.Since(t)
		}
	}
}

// setState moves the session between running and paused, keeping the
// training clock right.
func (s *Session) setState(st State) {
	if s.state == Running && st != Running {
		s.trained += time.Since(s.runStart)
	}
	if s.state != Running && st == Running {
		s.runStart = time.Now()
		s.rate.reset()
	}
	s.state = st
}

// elapsed is the time spent training so far.
func (s *Session) elapsed() time.Duration {
	if s.state == Running {
		return s.trained + time.Since(s.runStart)
	}
	return s.trained
}

// lr is the learning rate in force after the schedule.
func (s *Session) lr() float64 {
	return scheduledLR(s.cfg.Schedule, s.baseLR, s.epoch-s.startEpoch, s.pos, s.data.Train.Len(), s.cfg.Epochs)
}

// scanEvery is how many steps may pass between two scans of the weights for
// overflow. A scan every step would cost a few per cent of the epoch; an
// overflow where no image reaches makes no NaN loss to notice it by.
const scanEvery = 16

// trainStep trains one mini-batch. It reports whether the planned epochs
// are done, or the divergence that ends training. With scan, or when a
// scan is due, it checks the weights are finite, as every snapshot needs.
func (s *Session) trainStep(scan bool) (bool, error) {
	start := time.Now()
	n := s.data.Train.Len()
	if s.pos == 0 {
		s.order = epochOrder(s.rng, n)
	}
	hi := min(s.pos+s.cfg.Batch, n)
	idx := s.order[s.pos:hi]
	lr := s.lr()
	loss := s.tr.step(s.data.Train, idx, lr)
	switch {
	case math.IsNaN(loss):
		return false, s.diverged(s.step+1, lr, "the loss became not a number")
	case math.IsInf(loss, 0):
		return false, s.diverged(s.step+1, lr, "the loss became infinite")
	}
	s.step++
	s.losses = append(s.losses, float32(loss))
	s.flow.record(s.step, lr, s.tr, hi == n)
	if mean, blown := s.blownUp(); blown {
		return false, s.diverged(s.step, lr, fmt.Sprintf("the loss blew up to %.3g over the last %d steps, from %.3g", mean, blowUpWindow, s.lossRef))
	}
	s.epochSum += loss
	s.epochN++
	s.pos = hi
	s.rate.add(len(idx), time.Since(start))
	if scan || s.pos == n || s.step%scanEvery == 0 {
		if !finiteModel(s.model) {
			return false, s.diverged(s.step, lr, "the weights overflowed")
		}
		copyModel(s.good, s.model)
	}
	if s.pos < n {
		return false, nil
	}
	s.pos = 0
	s.epoch++
	s.measure()
	s.epochSum, s.epochN = 0, 0
	s.flow.newEpoch()
	return s.cfg.Epochs > 0 && s.epoch >= s.plannedEpochs(), nil
}

// plannedEpochs is the epoch count at which the session will be done, 0
// when it trains until stopped.
func (s *Session) plannedEpochs() int {
	if s.cfg.Epochs == 0 {
		return 0
	}
	return s.startEpoch + s.cfg.Epochs
}

// blowUpWindow and blowUpFactor define a loss that has blown up: over the
// last blowUpWindow steps its mean is blowUpFactor times what it started
// at, or times chance level if it started lower. Cross-entropy is unbounded:
// too large a learning rate throws it to tens or thousands, where it can stay
// finite for a long time (dead ReLUs, saturated sigmoids) without ever
// becoming NaN. Squared error after a softmax is at most 1 and cannot blow up.
const (
	blowUpWindow = 20
	blowUpFactor = 4
)

// blownUp reports whether the cross-entropy loss has blown up, with the
// mean that says so.
func (s *Session) blownUp() (float64, bool) {
	own := s.losses[s.ownLosses:]
	if s.cfg.Arch.Loss != CrossEntropy || len(own) < blowUpWindow {
		return 0, false
	}
	if s.lossRef == 0 {
		s.lossRef = max(float64(own[0]), math.Log(float64(s.cfg.Arch.Outputs)))
	}
	var sum float64
	for _, l := range own[len(own)-blowUpWindow:] {
		sum += float64(l)
	}
	mean := sum / blowUpWindow
	return mean, mean > blowUpFactor*s.lossRef
}

// diverged explains what went wrong at step, and puts back the model of
// the latest scan that found it finite when it no longer is.
func (s *Session) diverged(step int, lr float64, what string) error {
	if !finiteModel(s.model) {
		copyModel(s.model, s.good)
	}
	return fmt.Errorf("%w at step %d: %s with learning rate %g, which is most likely too high; lower it (try %g) and start again",
		ErrDiverged, step, what, lr, lr/10)
}

// copyModel copies src's parameters into dst, which has the same shape.
func copyModel(dst, src *Model) {
	for i, l := range src.Layers {
		copy(dst.Layers[i].W, l.W)
		copy(dst.Layers[i].B, l.B)
	}
}

// finiteModel reports whether every weight and bias is a finite number.
func finiteModel(m *Model) bool {
	for _, l := range m.Layers {
		if !finite(l.W) || !finite(l.B) {
			return false
		}
	}
	return true
}

func finite(v []float32) bool {
	for _, x := range v {
		if x-x != 0 { // NaN or ±Inf
			return false
		}
	}
	return true
}

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
	if s.state == Running {
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
			sat := 0
			for _, v := range a {
				sum += float64(v)
				sq += float64(v) * float64(v)
				if i < len(m.Layers)-1 && saturated(l.Act, v) {
					sat++
				}
			}
			mean := sum / float64(len(a))
			st.ActMean = mean
			st.ActStd = math.Sqrt(math.Max(0, sq/float64(len(a))-mean*mean))
			st.Saturated = float64(sat) / float64(len(a))
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
// training, so a change of speed shows quickly.
type throughput struct {
	images int
	wall   time.Time // when the counted images began
}

func (t *throughput) reset() { *t = throughput{} }

func (t *throughput) add(images int, d time.Duration) {
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
	if t.wall.IsZero() {
		return 0
	}
	d := time.Since(t.wall).Seconds()
	if d <= 0 {
		return 0
	}
	return float64(t.images) / d
}
