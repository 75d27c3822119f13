package ui

import (
	"context"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/state"
)

// start begins training (from the trained or opened network if there is
// one, else from the settings' untrained network), or, when a session is
// live, toggles pause as Space does.
func (s *Shell) start() {
	if s.ws.Live() || s.ws.Race() != nil {
		s.togglePause()
		return
	}
	s.begin(false)
}

// step trains one mini-batch: on the paused session, or on a new session
// that starts paused.
func (s *Shell) step() {
	s.Release()
	if race := s.ws.Race(); race != nil {
		s.ws.Run.AskPause()
		race.Step() // every run of the race, until they are level
		s.refresh()
		return
	}
	if s.ws.Live() {
		s.ws.Run.AskPause() // a step leaves the session paused
		s.ws.Run.Session.Step()
		s.refresh()
		return
	}
	if r := s.begin(true); r != nil {
		r.Session.Step()
	}
}

// togglePause pauses a training session or resumes a paused one. The button
// changes at once and keeps the asked state until a snapshot confirms it, a
// step later, or the run ends.
func (s *Shell) togglePause() {
	s.Release()
	race := s.ws.Race()
	if !(s.ws.Live() || race != nil) || s.ws.Closing {
		return
	}
	r := s.ws.Run
	switch {
	case race != nil && r.Paused():
		race.Resume()
		r.AskResume()
	case race != nil:
		race.Pause() // every run of the race, once they are level
		r.AskPause()
	case r.Paused():
		r.Session.Resume()
		r.AskResume()
	default:
		r.Session.Pause()
		r.AskPause()
	}
	s.refresh()
}

// begin makes a session from the settings and starts it running or paused.
// A network trained in the window carries on its run: the counts, the
// curves and the training time go on from where they stopped.
func (s *Shell) begin(paused bool) *state.Run {
	// The focus leaves the settings first, committing a field being typed
	// in; a field that training disables must not keep the keyboard.
	s.Release()
	if !s.ws.CanTrain(s.views.settings.Valid()) {
		s.refresh()
		return nil
	}
	// A trained network is only replaced when the user agrees, and the
	// answer Discard then goes on to train the new one.
	if n, err := s.views.settings.Net(); err == nil && !n.Equal(s.ws.Net) {
		if q := s.ws.NetQuestion(n); q != nil {
			s.netEditedThen(func() {
				if r := s.begin(paused); r != nil && paused {
					r.Session.Step()
				}
			})
			return nil
		}
		s.netEdited()
	}
	cfg, err := s.views.settings.Config()
	if err != nil {
		s.refresh()
		return nil
	}
	opts := s.ws.SessionOptions(cfg, engine.SessionOptions{PublishEvery: s.opts.PublishEvery, StartPaused: paused})
	sess, err := engine.NewSession(cfg, s.data, opts)
	if err != nil {
		s.showError("Cannot start training", err)
		return nil
	}
	// The session's first snapshot is read before Run starts: read after,
	// it could be newer than ones the bridge has yet to deliver.
	first := sess.Latest()
	r := s.launch(sess, paused)
	s.ws.Begin(r, cfg, opts, first)
	// Where the views share a column, training brings its curves to the
	// front: the audience has come to watch them.
	if !s.panels.shown(panelTraining) {
		s.panels.choose(panelTraining)
	}
	s.refresh()
	return r
}

// launch runs sess with its bridge: one goroutine trains, another carries
// its snapshots to apply on the UI goroutine (see bridge).
func (s *Shell) launch(sess *engine.Session, paused bool) *state.Run {
	ctx, cancel := context.WithCancel(s.life.ctx)
	r := state.NewRun(sess, cancel, paused)
	s.life.wg.Go(func() { _ = sess.Run(ctx) })
	s.bridge(r, func(snap *engine.Snapshot) { s.apply(r, snap) }, func(err error) { s.runEnded(r, err) })
	return r
}

// apply shows a snapshot of run r.
func (s *Shell) apply(r *state.Run, snap *engine.Snapshot) {
	a := s.ws.Apply(r, snap)
	if !a.Shown {
		return
	}
	s.refresh()
	if a.Diverged {
		s.showDiverged(snap)
	}
}

// runEnded learns that r's session has returned.
func (s *Shell) runEnded(r *state.Run, err error) {
	show, current := s.ws.Ended(r, err)
	if !current {
		return
	}
	if show != nil {
		s.showError("Training stopped", show)
	}
	if last := s.ws.Last; last != nil && last.Step > 0 && s.data != nil {
		s.opts.logf("%s", state.RunSummary(last, s.data.Train.Len()))
	}
	s.refresh()
}

// reset throws the network away: training stops, the charts empty, and the
// pad answers with a new untrained network made from the settings. A
// network with training that no file holds is only thrown away when the
// user agrees.
func (s *Shell) reset() {
	// A network setting typed but not committed is committed first; when
	// that alone asks whether to discard the trained network, its answer is
	// the reset's too.
	s.Release()
	if s.ws.Closing || s.dialogOpen() {
		return
	}
	s.ask(s.ws.ResetQuestion(), s.resetNow)
}

// resetNow is reset without asking.
func (s *Shell) resetNow() {
	n := s.ws.Net
	if cur, err := s.views.settings.Net(); err == nil {
		n = cur
	}
	s.replaceNet(n)
}

// replaceNet puts an untrained network of n in place of the current one.
func (s *Shell) replaceNet(n state.Net) {
	if err := s.ws.Replace(n); err != nil {
		s.showError("Cannot make the network", err)
	}
	s.refresh()
}

// netEdited is a committed change of the network's settings. An untrained
// network is simply made again; a trained or opened one is only discarded
// when the user agrees, and otherwise the settings go back to it.
func (s *Shell) netEdited() { s.netEditedThen(nil) }

// netEditedThen is netEdited, calling then once the new network is in
// place, whether at once or after the user agreed to discard the old one.
func (s *Shell) netEditedThen(then func()) {
	n, err := s.views.settings.Net()
	if err != nil || n.Equal(s.ws.Net) {
		s.refresh()
		return
	}
	q := s.ws.NetQuestion(n)
	if q == nil {
		s.replaceNet(n)
		if then != nil {
			then()
		}
		return
	}
	s.confirm(q, func(ok bool) {
		if !ok {
			s.views.settings.SetNet(s.ws.Net)
			s.refresh()
			return
		}
		s.resetNow()
		if then != nil {
			then()
		}
	})
}

// lrChanged applies a new learning rate to a live session at once.
func (s *Shell) lrChanged(lr float64) {
	if s.ws.Live() {
		if err := s.ws.Run.Session.SetLearningRate(lr); err != nil {
			s.ws.Message = err.Error()
		}
	}
}
