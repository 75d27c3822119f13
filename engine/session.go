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
	// When the latest snapshot was published while running, and what it
	// cost.
	lastPublish time.Time
	publishCost time.Duration
	// The race that trains this session, if one does, and the images this
	// session has trained on in it.
	race  *Race
	raced int64
	// images counts the images trained on, by this session and any it
	// continues.
	images int64
	result error // what Run would have returned, for a session in a race
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
		s.step, s.epoch, s.startEpoch, s.trained, s.images = c.Step, c.Epoch, c.Epoch, c.Elapsed, c.Images
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

// Run trains until the planned epochs are done, Stop is called, the loss
// diverges or ctx is cancelled. It returns nil in the first two cases, an
// error wrapping ErrDiverged in the third and ctx.Err() in the last. The
// final snapshot is published before it returns. Run may be called once,
// and not on a session that a Race trains.
func (s *Session) Run(ctx context.Context) error {
	if s.race != nil {
		return errors.New("engine: Session.Run called on a session in a race: call Race.Run")
	}
	if !s.ran.CompareAndSwap(false, true) {
		return errors.New("engine: Session.Run called twice")
	}
	err := s.run(ctx)
	s.end(err)
	return err
}

// Wait waits until the session has finished, trained by Run or by a
// race, and returns the result Run gave or would have given.
func (s *Session) Wait() error {
	<-s.done
	return s.result
}

func (s *Session) run(ctx context.Context) error {
	s.begin()
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
			if ended, err := s.handle(c); ended {
				return err
			}
			continue
		}
		if ended, err := s.advance(); ended {
			return err
		}
	}
}

// begin prepares the trainer and publishes the first snapshot of Run.
func (s *Session) begin() {
	if sparseOK(s.data.Train, s.cfg.Arch.Inputs) {
		s.data.Train.sparseView()
		s.data.Test.sparseView()
	}
	s.tr = newTrainer(s.model, s.cfg.Opt, min(s.cfg.Batch, s.data.Train.Len()), s.cfg.WeightDecay)
	s.good = s.model.Clone()
	s.rate.own = s.race != nil
	if s.state != Paused {
		s.setState(Running)
	}
	s.publish()
	s.lastPublish, s.publishCost = time.Now(), 0
}

// end records the result of a session that has finished and closes its
// channels: commands are dropped from then on, and the reader of snapshots
// sees the last one.
func (s *Session) end(result error) {
	s.result = result
	s.once.Do(func() { close(s.done) })
	close(s.snaps)
}

// live reports whether a session that has begun is still training: not
// finished, nor failed.
func (s *Session) live() bool { return s.state != Done && s.state != Failed }

// handle carries out one command. It reports whether the session has
// finished, and then Run's result.
func (s *Session) handle(c command) (bool, error) {
	switch c.kind {
	case cmdPause:
		s.setState(Paused)
		s.publish()
	case cmdResume:
		s.setState(Running)
		s.publish()
	case cmdStop:
		return true, s.finish(Done, nil)
	case cmdEvaluate:
		s.measure()
		s.publish()
	case cmdSetLR:
		if s.takeLR() {
			s.publish()
		}
	case cmdStep:
		return s.stepOnce()
	}
	return false, nil
}

// stepOnce trains one mini-batch, leaves the session paused and publishes.
func (s *Session) stepOnce() (bool, error) {
	s.setState(Paused)
	s.takeLR()
	start := time.Now()
	end, err := s.trainStep(true)
	s.trained += time.Since(start)
	if err != nil || end {
		return true, s.finish(Done, err)
	}
	s.publish()
	return false, nil
}

// advance trains one mini-batch of a running session, publishing when a
// snapshot is due. It reports whether the session has finished, and then
// Run's result.
func (s *Session) advance() (bool, error) {
	s.takeLR()
	// A snapshot of a wide network costs milliseconds (a copy of the
	// model and a histogram of each layer), so publish no more often
	// than keeps that under a tenth of the training time.
	due := time.Since(s.lastPublish) >= max(s.opts.PublishEvery, 9*s.publishCost)
	start := time.Now()
	end, err := s.trainStep(due)
	if s.race != nil {
		// In a race the clock counts this session's own steps alone: the
		// wall clock also runs while the others train.
		s.trained += time.Since(start)
	}
	if err != nil || end {
		return true, s.finish(Done, err)
	}
	if due || s.pos == 0 {
		t := time.Now()
		s.publish()
		s.lastPublish, s.publishCost = time.Now(), time.Since(t)
	}
	return false, nil
}

// setState moves the session between running and paused, keeping the
// training clock right.
func (s *Session) setState(st State) {
	if s.state == Running && st != Running && s.race == nil {
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
	if s.state == Running && s.race == nil {
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
	s.raced += int64(len(idx))
	s.images += int64(len(idx))
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

func finite(v []float32) bool {
	for _, x := range v {
		if x-x != 0 { // NaN or ±Inf
			return false
		}
	}
	return true
}
