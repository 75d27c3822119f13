package engine

import (
	"fmt"
	"math"
)

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
	if s.race != nil {
		s.race.nudge()
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
		if s.race != nil {
			s.race.nudge()
		}
	case <-s.done:
	}
}
