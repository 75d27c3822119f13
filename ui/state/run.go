package state

import (
	"context"

	"github.com/mnistplayground/mnistplayground/engine"
)

// Run is one training session as the window knows it.
type Run struct {
	Session *engine.Session
	// Race is the race the session trains in, if it does; the runs of a
	// race share it.
	Race *engine.Race
	// Cancel stops the session's goroutines; Done is closed when Run has
	// returned and the bridge has handed over its last snapshot.
	Cancel context.CancelFunc
	Done   chan struct{}
	// Ended is set once the session's Run has returned.
	Ended bool
	// paused is the state the latest snapshot reported. asked is a pause
	// or resume not yet confirmed by a snapshot: a snapshot published just
	// before the command took effect still reports the old state, and the
	// button must not flick back to it.
	paused bool
	asked  pauseAsk
	// diverged is set once the divergence has been explained: a run
	// diverges once, and its dialog opens once.
	diverged bool
}

// NewRun wraps a session that starts running, or paused.
func NewRun(s *engine.Session, cancel context.CancelFunc, paused bool) *Run {
	return &Run{Session: s, Cancel: cancel, Done: make(chan struct{}), paused: paused}
}

// pauseAsk is a pause or resume asked of a session and not yet confirmed.
type pauseAsk int

const (
	askNone pauseAsk = iota
	askPause
	askResume
)

// Paused is the state to show: the one asked for until a snapshot confirms
// it, else the one reported.
func (r *Run) Paused() bool {
	switch r.asked {
	case askPause:
		return true
	case askResume:
		return false
	}
	return r.paused
}

// AskPause records a pause (or a single step, which leaves the session
// paused) asked of the session.
func (r *Run) AskPause() { r.asked = askPause }

// AskResume records a resume asked of the session.
func (r *Run) AskResume() { r.asked = askResume }

// report takes the state of a snapshot, which confirms what was asked when
// it matches.
func (r *Run) report(st engine.State) {
	switch st {
	case engine.Paused:
		r.paused = true
		if r.asked == askPause {
			r.asked = askNone
		}
	case engine.Running:
		r.paused = false
		if r.asked == askResume {
			r.asked = askNone
		}
	}
}
