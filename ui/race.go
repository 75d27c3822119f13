package ui

import (
	"context"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/state"
)

// raceActivations races the settings' network with sigmoid hidden layers
// against the same with ReLU: the book's comparison, one key.
func (s *Shell) raceActivations() {
	cfg, ok := s.raceBase()
	if !ok {
		return
	}
	cfgs, err := state.ActivationRace(cfg)
	if err != nil {
		s.showError("Cannot race the activations", err)
		return
	}
	s.race(cfgs, nil, false, nil)
}

// raceRates races too small a learning rate against too large a one on
// the settings' network.
func (s *Shell) raceRates() {
	if cfg, ok := s.raceBase(); ok {
		s.race(state.RateRace(cfg), nil, false, nil)
	}
}

// raceLastRun races the settings against the newest kept run's.
func (s *Shell) raceLastRun() {
	cfg, ok := s.raceBase()
	if !ok {
		return
	}
	cfgs := s.ws.SettingsRace(cfg)
	if cfgs == nil {
		s.ws.Message = "Nothing to race: change a setting after a run has ended, then race the new settings against it"
		s.refresh()
		return
	}
	s.race(cfgs, nil, false, nil)
}

// raceBase is the settings a race starts from, once a field being typed is
// taken; false, with the reason on show, when they cannot train.
func (s *Shell) raceBase() (engine.TrainConfig, bool) {
	s.Release()
	if s.dialogOpen() || !s.ws.CanTrain(s.views.settings.Valid()) {
		s.refresh()
		return engine.TrainConfig{}, false
	}
	cfg, err := s.views.settings.Config()
	if err != nil {
		s.refresh()
		return engine.TrainConfig{}, false
	}
	return cfg, true
}

// race trains cfgs against each other, in turn at equal steps from their
// seeds (engine.Race). The first becomes the current run: the settings show
// it, the pad reads with it and the status line follows it. The others are
// kept among the runs at once, shown beside it in every comparison chart,
// and update there as they train. The current network is replaced first,
// after asking when it has training to lose. names name the runs (see
// Workspace.BeginRace). Paused, the race waits for
// Space; then, if set, runs once the race has begun.
func (s *Shell) race(cfgs []engine.TrainConfig, names []string, paused bool, then func()) {
	s.useConfig(cfgs[0], func() {
		sessions := make([]*engine.Session, len(cfgs))
		firsts := make([]*engine.Snapshot, len(cfgs))
		for i, c := range cfgs {
			sess, err := engine.NewSession(c, s.data, engine.SessionOptions{PublishEvery: s.opts.PublishEvery, StartPaused: paused})
			if err != nil {
				s.showError("Cannot start the race", err)
				return
			}
			sessions[i], firsts[i] = sess, sess.Latest()
		}
		race, err := engine.NewRace(sessions...)
		if err != nil {
			s.showError("Cannot start the race", err)
			return
		}
		ctx, cancel := context.WithCancel(s.life.ctx)
		// One cancel ends the race and so every run of it.
		runs := []*state.Run{state.NewRun(sessions[0], cancel, paused)}
		for _, sess := range sessions[1:] {
			runs = append(runs, state.NewRun(sess, cancel, paused))
		}
		for _, r := range runs {
			r.Race = race
		}
		s.life.wg.Go(func() { race.Run(ctx) })
		s.bridge(runs[0], func(snap *engine.Snapshot) { s.apply(runs[0], snap) }, func(err error) { s.runEnded(runs[0], err) })
		for _, r := range runs[1:] {
			s.bridge(r, func(snap *engine.Snapshot) {
				if s.ws.ApplyRacing(r, snap) {
					s.refresh()
				}
			}, func(err error) {
				s.ws.RacingEnded(r, err)
				if last := r.Session.Latest(); last != nil && last.Step > 0 && s.data != nil {
					s.opts.logf("raced: %s", state.RunSummary(last, s.data.Train.Len()))
				}
				s.refresh()
			})
		}
		s.ws.BeginRace(runs[0], cfgs[0], firsts[0], runs[1:], firsts[1:], names)
		if !s.panels.shown(panelTraining) {
			s.panels.choose(panelTraining)
		}
		s.refresh()
		if then != nil {
			then()
		}
	})
}

// bridge carries r's snapshots to apply on the UI goroutine, then its
// result to ended. It waits for each apply before it takes the next
// snapshot, so a busy window makes the session replace unread snapshots
// instead of queuing them.
func (s *Shell) bridge(r *state.Run, apply func(*engine.Snapshot), ended func(error)) {
	s.life.wg.Go(func() {
		defer close(r.Done)
		for snap := range r.Session.Snapshots() {
			s.ui(func() { apply(snap) })
		}
		err := r.Session.Wait()
		s.ui(func() { ended(err) })
	})
}

// useConfig puts an untrained network of cfg in place, with the settings
// showing cfg (remembered for the next launch), after asking when the
// current network has training to lose; then runs once it is in place.
func (s *Shell) useConfig(cfg engine.TrainConfig, then func()) {
	n := state.NetOf(cfg)
	s.ask(s.ws.NetQuestion(n), func() {
		s.views.settings.SetConfig(cfg)
		s.rememberSettings()
		s.replaceNet(n)
		then()
	})
}
