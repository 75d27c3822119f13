package engine

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
)

// Race trains two or more sessions in turn in one goroutine, one
// mini-batch at a time, so that each has trained on as many images as the
// others whenever the race pauses or a snapshot is compared: the session
// that has seen the fewest images goes next, the first one given on a tie.
// At equal batch sizes the sessions step alternately and stay level to the
// step. Each session keeps its own snapshots, commands and result; a
// session that finishes, diverges or is stopped leaves the race and the
// others go on.
//
// Sessions made from configurations with the same seed train on the same
// mini-batches in the same order, and where their layer sizes agree they
// start from the same random draws (weights differ only by the scale of
// their initialisation), so a race compares what its configurations change
// and nothing else.
type Race struct {
	lanes []*Session
	cmds  chan raceCommand
	wake  chan struct{}
	done  chan struct{}
	ran   atomic.Bool
	// Owned by Run's goroutine: a pause or a step waits until the running
	// sessions are level.
	pausing bool
	stepped []bool // per lane, during a step: whether it has stepped yet
	// until bounds the wait for level: sessions of batch sizes that seldom
	// meet (100 and 128) stop once each has passed it, as level as their
	// sizes allow.
	until int64
}

type raceCommand int

const (
	racePause raceCommand = iota
	raceResume
	raceStep
	raceStop
)

// NewRace makes a race of sessions that have not run. Nothing trains until
// Run. Each session's own Pause, Resume, Step and Stop still act on it
// alone; the race's act on all of them together.
func NewRace(sessions ...*Session) (*Race, error) {
	if len(sessions) < 2 {
		return nil, errors.New("engine: a race needs at least two sessions")
	}
	r := &Race{
		lanes: slices.Clone(sessions),
		cmds:  make(chan raceCommand, 16),
		wake:  make(chan struct{}, 1),
		done:  make(chan struct{}),
	}
	for i, s := range sessions {
		if s == nil || s.ran.Load() || s.race != nil || slices.Index(sessions, s) != i {
			return nil, errors.New("engine: a race needs distinct sessions that have not run")
		}
	}
	for _, s := range sessions {
		s.race = r
		s.ran.Store(true)
	}
	return r, nil
}

// Sessions are the race's sessions, in the order given.
func (r *Race) Sessions() []*Session { return slices.Clone(r.lanes) }

// Pause stops every session once they are level: at equal batch sizes, at
// the same step.
func (r *Race) Pause() { r.send(racePause) }

// Resume continues every paused session.
func (r *Race) Resume() { r.send(raceResume) }

// Step trains each session at least one mini-batch, until they are level
// again, and leaves them paused.
func (r *Race) Step() { r.send(raceStep) }

// Stop ends every session after the current step.
func (r *Race) Stop() { r.send(raceStop) }

func (r *Race) send(c raceCommand) {
	select {
	case r.cmds <- c:
		r.nudge()
	case <-r.done:
	}
}

// nudge wakes Run if it waits for a command.
func (r *Race) nudge() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run trains the sessions in turn until every one has finished, and
// returns what each session's own Run would have: nil when its epochs are
// done or it was stopped, an error wrapping ErrDiverged when its loss
// diverged, ctx.Err() when ctx is cancelled. Each session's result is also
// there for Wait as soon as that session finishes. Run may be called once.
func (r *Race) Run(ctx context.Context) []error {
	errs := make([]error, len(r.lanes))
	if !r.ran.CompareAndSwap(false, true) {
		for i := range errs {
			errs[i] = errors.New("engine: Race.Run called twice")
		}
		return errs
	}
	defer close(r.done)
	leave := func(i int, err error) {
		errs[i] = err
		r.lanes[i].end(err)
	}
	for _, s := range r.lanes {
		s.begin()
	}
	for slices.ContainsFunc(r.lanes, (*Session).live) {
		if ctx.Err() != nil {
			for i, s := range r.lanes {
				if s.live() {
					leave(i, s.finish(Done, ctx.Err()))
				}
			}
			break
		}
		// The sessions' own commands first, then the race's.
		for i, s := range r.lanes {
		drain:
			for s.live() {
				select {
				case c := <-s.cmds:
					if ended, err := s.handle(c); ended {
						leave(i, err)
					}
				default:
					break drain
				}
			}
		}
		select {
		case c := <-r.cmds:
			r.command(c, leave)
			continue
		default:
		}
		i, step := r.next()
		if i < 0 {
			select {
			case <-r.wake:
			case <-ctx.Done():
			}
			continue
		}
		s := r.lanes[i]
		var ended bool
		var err error
		if step {
			ended, err = s.stepOnce()
		} else {
			ended, err = s.advance()
		}
		if ended {
			leave(i, err)
		}
	}
	return errs
}

// command carries out one of the race's commands.
func (r *Race) command(c raceCommand, leave func(int, error)) {
	switch c {
	case racePause:
		r.pausing = true
		r.until = r.bound()
	case raceResume:
		r.pausing, r.stepped = false, nil
		r.setAll(Running)
	case raceStep:
		r.pausing = false
		r.stepped = make([]bool, len(r.lanes))
		r.until = r.bound()
		r.setAll(Paused)
	case raceStop:
		for i, s := range r.lanes {
			if s.live() {
				leave(i, s.finish(Done, nil))
			}
		}
	}
}

// setAll moves every session still in the race to st, publishing each
// that changes.
func (r *Race) setAll(st State) {
	for _, s := range r.lanes {
		if s.live() && s.state != st {
			s.setState(st)
			s.publish()
		}
	}
}

// next picks the session to train now, and whether it takes a single step
// (which leaves it paused) rather than a running one; -1 when none is to
// train until a command comes. A pause asked for takes effect here, once
// the running sessions are level.
func (r *Race) next() (int, bool) {
	if r.stepped != nil {
		all := func(int) bool { return true }
		if i := r.fewest(func(i int) bool { return !r.stepped[i] }); i >= 0 {
			r.stepped[i] = true
			return i, true
		}
		if i := r.behind(all); i >= 0 {
			return i, true
		}
		r.stepped = nil
		return -1, false
	}
	running := func(i int) bool { return r.lanes[i].state == Running }
	if !r.pausing {
		return r.fewest(running), false
	}
	if i := r.behind(running); i >= 0 {
		return i, false
	}
	r.setAll(Paused)
	r.pausing = false
	return -1, false
}

// fewest is the live session, among those ok accepts, that has trained on
// the fewest images, the first on a tie; -1 if there is none.
func (r *Race) fewest(ok func(int) bool) int {
	best := -1
	for i, s := range r.lanes {
		if s.live() && ok(i) && (best < 0 || s.raced < r.lanes[best].raced) {
			best = i
		}
	}
	return best
}

// behind is the session, among the live ones ok accepts, that has trained
// on fewer images than another: the one to train until they are level. It
// is -1 when they are level, or when it has passed r.until.
func (r *Race) behind(ok func(int) bool) int {
	lo := r.fewest(ok)
	if lo < 0 || r.lanes[lo].raced >= r.until {
		return -1
	}
	for i, s := range r.lanes {
		if s.live() && ok(i) && s.raced > r.lanes[lo].raced {
			return lo
		}
	}
	return -1
}

// bound is how far a pause or a step asked for now may go to level the
// live sessions: the images of the one ahead and one of the largest
// mini-batches more.
func (r *Race) bound() int64 {
	var most, batch int64
	for _, s := range r.lanes {
		if s.live() {
			most = max(most, s.raced)
			batch = max(batch, int64(s.cfg.Batch))
		}
	}
	return most + batch
}
