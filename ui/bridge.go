package ui

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/engine"
)

// live reports whether a session is training or paused, as opposed to none,
// or one that has finished.
func (p *Playground) live() bool {
	return p.run != nil && !p.run.ended
}

// canTrain reports whether a session could start now.
func (p *Playground) canTrain() bool {
	return p.data != nil && !p.closing && p.ctl.valid()
}

// start begins training (from the trained or loaded network if there is
// one, else from the settings' untrained network), or, when a session is
// live, toggles pause as Space does.
func (p *Playground) start() {
	if p.live() {
		p.togglePause()
		return
	}
	p.begin(false)
}

// step trains one mini-batch: on the paused session, or on a new session
// that starts paused.
func (p *Playground) step() {
	p.unfocus()
	if p.live() {
		p.run.asked = askPause // a step leaves the session paused
		p.run.s.Step()
		p.refreshState()
		return
	}
	if r := p.begin(true); r != nil {
		r.s.Step()
	}
}

// togglePause pauses a training session or resumes a paused one. The button
// changes at once and keeps the asked state until a snapshot confirms it,
// a step later, or the run ends.
func (p *Playground) togglePause() {
	p.unfocus()
	if !p.live() || p.closing {
		return
	}
	if p.run.isPaused() {
		p.run.s.Resume()
		p.run.asked = askResume
	} else {
		p.run.s.Pause()
		p.run.asked = askPause
	}
	p.refreshState()
}

// begin makes a session from the settings and starts it running or paused.
// A network trained in the window carries on its run: the counts, the
// curves and the training time go on from where they stopped.
func (p *Playground) begin(paused bool) *run {
	if !p.canTrain() {
		p.refreshState()
		return nil
	}
	// An edit that was typed but not committed yet (the focus is still in
	// the field) is committed first. A trained network is only replaced
	// when the user agrees, and the answer Discard then goes on to train
	// the new one.
	if n, err := p.ctl.net(); err == nil && !n.equal(p.net) {
		if p.trained {
			p.netEditedThen(func() {
				if r := p.begin(paused); r != nil && paused {
					r.s.Step()
				}
			})
			return nil
		}
		p.netEdited()
	}
	// The focus leaves the settings: a field that training disables must
	// not keep the keyboard, or Space, S and R would stop working.
	p.unfocus()
	cfg, err := p.ctl.config()
	if err != nil {
		p.refreshState()
		return nil
	}
	opts := engine.SessionOptions{PublishEvery: p.opts.PublishEvery, StartPaused: paused}
	if c := p.continuable(cfg); c != nil {
		opts.Continue = c
	} else if p.trained {
		opts.Model = p.model
	}
	s, err := engine.NewSession(cfg, p.data, opts)
	if err != nil {
		p.showError("Cannot start training", err)
		return nil
	}
	if opts.Continue == nil {
		// A run of its own counts its steps from 0, where it holds the
		// network it starts from, saved or not.
		saved := -1
		if !p.unsaved() {
			saved = 0
		}
		p.newLineage(saved)
	}
	p.message = ""
	if w := cfg.Arch.Warnings(); len(w) > 0 {
		p.message = w[0]
	}
	if opts.Continue == nil {
		p.charts.setLayers(cfg.Arch)
	}
	// The session's first snapshot is read before Run starts: read after,
	// it could be newer than ones the bridge has yet to deliver.
	first := s.Latest()
	r := p.launch(s, paused)
	p.apply(r, first)
	return r
}

// continuable returns the final snapshot of the window's latest run when
// a session of cfg can carry it on: the run has ended, the pad's network is
// its network and the batch size is the run's. A network opened from a
// file, one whose settings were changed, or one trained on at another batch
// size starts a run of its own from the current weights: a step of the
// history stands for one batch, so another size would stretch its curves.
func (p *Playground) continuable(cfg engine.TrainConfig) *engine.Snapshot {
	s := p.last
	if p.run == nil || !p.run.ended || s == nil || s.Step == 0 || s.Model == nil || s.Model != p.model || len(s.TrainLoss) != s.Step {
		return nil
	}
	if !netFromConfig(s.Config).sameShape(p.net) || s.Config.Batch != cfg.Batch {
		return nil
	}
	return s
}

// launch runs s with its bridge: one goroutine trains, another carries its
// snapshots to apply on the UI goroutine. The bridge waits for each apply
// before it takes the next snapshot, so a busy window makes the session
// replace unread snapshots instead of queuing them.
func (p *Playground) launch(s *engine.Session, paused bool) *run {
	ctx, cancel := context.WithCancel(p.ctx)
	r := &run{s: s, cancel: cancel, done: make(chan struct{}), paused: paused}
	p.run, p.last = r, nil
	errc := make(chan error, 1)
	p.wg.Go(func() { errc <- s.Run(ctx) })
	p.wg.Go(func() {
		defer close(r.done)
		for snap := range s.Snapshots() {
			p.ui(func() { p.apply(r, snap) })
		}
		err := <-errc
		p.ui(func() { p.runEnded(r, err) })
	})
	return r
}

// apply shows a snapshot of run r: the status line, the buttons, the charts
// and the pad's network. A snapshot of a session that has been reset or
// replaced since is ignored, and so is one older than the latest shown,
// which would take the status and the pad's network back in time.
func (p *Playground) apply(r *run, snap *engine.Snapshot) {
	if r != p.run || p.closing || snap == nil || (p.last != nil && snap.Step < p.last.Step) {
		return
	}
	p.last = snap
	if snap.Step != p.savedStep {
		p.dropSavedNote()
	}
	r.report(snap.State)
	if snap.Step > 0 || p.loaded != "" {
		p.trained = true
	}
	if snap.Model != nil {
		p.model = snap.Model
		p.digit.setModel(snap.Model, p.modelNote(snap))
	}
	p.charts.show(snap)
	if snap.State == engine.Failed && !r.diverged {
		r.diverged = true
		p.showDiverged(snap)
	}
	p.refreshState()
}

// modelNote says which network the pad's answers come from.
func (p *Playground) modelNote(snap *engine.Snapshot) string {
	if snap.Step == 0 && p.loaded != "" {
		return "model: " + p.loaded
	}
	return noteText(snap)
}

// runEnded learns that r's Run has returned.
func (p *Playground) runEnded(r *run, err error) {
	r.ended, r.asked = true, askNone
	if r != p.run || p.closing {
		return
	}
	if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, engine.ErrDiverged) {
		p.showError("Training stopped", err)
	}
	if p.last != nil && p.last.Step > 0 && p.data != nil {
		p.opts.logf("%s", runSummary(p.last, p.data.Train.Len()))
	}
	p.refreshState()
}

// runSummary is the line the log gets when a session ends: what trained,
// for how long, and how fast, the number to compare with the headless
// train command's.
func runSummary(s *engine.Snapshot, trainLen int) string {
	images := (float64(s.Epoch) + s.EpochFrac) * float64(trainLen)
	rate := 0.0
	if sec := s.Elapsed.Seconds(); sec > 0 {
		rate = images / sec
	}
	return fmt.Sprintf("trained %s for %s (%s steps) in %.1f s: %s images/s, %s",
		s.Config.Arch, epochCount(s), groupThousands(s.Step),
		s.Elapsed.Seconds(), groupThousands(int(math.Round(rate))), strings.ToLower(stateName(s.State)))
}

// stopRun cancels the session, if any, and forgets it. Its goroutines end on
// their own; nothing they send is applied any more.
func (p *Playground) stopRun() {
	if p.run != nil {
		p.run.cancel()
	}
	p.run, p.last = nil, nil
}

// reset throws the network away: training stops, the charts empty, and the
// pad answers with a new untrained network made from the settings. A network
// with training that no file holds is only thrown away when the user agrees.
func (p *Playground) reset() {
	// A network setting typed but not committed is committed first; when
	// that alone asks whether to discard the trained network, its answer
	// is the reset's too.
	p.unfocus()
	if p.closing || p.dialogOpen() {
		return
	}
	if !p.unsaved() {
		p.resetNow()
		return
	}
	p.confirm("Discard the trained network?",
		"Reset starts over with a new, untrained network, and the trained weights are lost unless you save them first (Ctrl+S).",
		"Discard", "Keep it",
		func(ok bool) {
			if ok {
				p.resetNow()
			}
		})
}

// resetNow is reset without asking.
func (p *Playground) resetNow() {
	p.stopRun()
	p.message = ""
	if n, err := p.ctl.net(); err == nil {
		p.net = n
	}
	p.charts.setLayers(p.net.arch())
	p.freshModel()
	p.refreshState()
}

// netEdited is a committed change of the network's settings. An untrained
// network is simply made again; a trained or loaded one is only discarded
// when the user agrees, and otherwise the settings go back to it.
func (p *Playground) netEdited() { p.netEditedThen(nil) }

// netEditedThen is netEdited, calling then once the new network is in
// place, whether at once or after the user agreed to discard the old one.
func (p *Playground) netEditedThen(then func()) {
	n, err := p.ctl.net()
	if err != nil || n.equal(p.net) {
		p.refreshState()
		return
	}
	if !p.trained {
		p.stopRun()
		p.net = n
		p.charts.setLayers(n.arch())
		p.freshModel()
		p.refreshState()
		if then != nil {
			then()
		}
		return
	}
	what := "The trained network"
	if p.loaded != "" {
		what = "The network loaded from " + p.loaded
	}
	p.confirm("Discard the trained network?",
		what+" has a different shape or starting point than these settings. Changing them starts a new, untrained network, and the trained weights are lost unless you save them first (Ctrl+S).",
		"Discard", "Keep it",
		func(ok bool) {
			if !ok {
				p.ctl.setNet(p.net)
				p.refreshState()
				return
			}
			p.stopRun()
			p.message = ""
			if n, err := p.ctl.net(); err == nil {
				p.net = n
			}
			p.charts.setLayers(p.net.arch())
			p.freshModel()
			p.refreshState()
			if then != nil {
				then()
			}
		})
}

// lrChanged applies a new learning rate to a live session at once.
func (p *Playground) lrChanged(lr float64) {
	if p.live() {
		if err := p.run.s.SetLearningRate(lr); err != nil {
			p.message = err.Error()
		}
	}
}

// refreshState brings the buttons and the status line up to date.
func (p *Playground) refreshState() {
	live := p.live()
	valid := p.ctl.valid()
	canTrain := p.canTrain()
	enable(p.startBtn, !live && canTrain)
	enable(p.pauseBtn, live && !p.closing)
	enable(p.stepBtn, canTrain && (!live || p.run.isPaused()))
	enable(p.resetBtn, p.run != nil || p.trained)
	enable(p.saveBtn, p.model != nil && !p.closing)
	p.ctl.setTrainingEditable(!live)

	start := "Start (Space)"
	if p.trained && !live {
		start = "Continue (Space)"
	}
	setButton(p.startBtn, start, theme.MediaPlayIcon())
	if live && p.run.isPaused() {
		setButton(p.pauseBtn, "Resume (Space)", theme.MediaPlayIcon())
	} else {
		setButton(p.pauseBtn, "Pause (Space)", theme.MediaPauseIcon())
	}

	switch {
	case p.closing:
		return
	case p.last != nil:
		st := p.last.State
		text := statusText(p.last)
		switch {
		case live && p.run.asked == askPause && st == engine.Running:
			text = "Pausing… · " + text
		case live && p.run.asked == askResume && st == engine.Paused:
			text = "Resuming… · " + text
		}
		if p.message != "" {
			text += " · " + p.message
		}
		p.setStatus(text, stateColor(st))
	case p.loading:
		p.setStatus("Loading MNIST…", stateColor(engine.Idle))
	case p.data == nil:
		p.setStatus("No MNIST data: training is off, the pad still answers. Open a model with Ctrl+O to try one.", stateColor(engine.Failed))
	case !valid:
		p.setStatus("Fix the settings marked in red to start training.", stateColor(engine.Failed))
	case p.message != "":
		p.setStatus(p.message, stateColor(engine.Idle))
	case p.trained:
		p.setStatus("Ready · Space continues training, R starts over", stateColor(engine.Idle))
	default:
		p.setStatus(fmt.Sprintf("Ready · %s · press Space to train", describeNet(p.net.arch())), stateColor(engine.Idle))
	}
}

// setStatus shows the status line with a coloured state dot.
func (p *Playground) setStatus(text string, c fyne.ThemeColorName) {
	if p.status.Text != text {
		p.status.SetText(text)
	}
	p.stateDot.setColor(c)
}

var _ fyne.Widget = (*stateDot)(nil)

// stateDot is the coloured dot before the status line. It keeps the name of
// its theme colour rather than the colour, so that it follows a switch
// between the light and the dark theme.
type stateDot struct {
	widget.BaseWidget
	name fyne.ThemeColorName
}

func newStateDot() *stateDot {
	d := &stateDot{name: theme.ColorNamePlaceHolder}
	d.ExtendBaseWidget(d)
	return d
}

// setColor shows the theme colour n.
func (d *stateDot) setColor(n fyne.ThemeColorName) {
	if d.name != n {
		d.name = n
		d.Refresh()
	}
}

// CreateRenderer draws the dot as a circle.
func (d *stateDot) CreateRenderer() fyne.WidgetRenderer {
	r := &stateDotRenderer{dot: d, circle: &canvas.Circle{}}
	r.Refresh()
	return r
}

type stateDotRenderer struct {
	dot    *stateDot
	circle *canvas.Circle
}

func (r *stateDotRenderer) Destroy() {}

func (r *stateDotRenderer) Layout(size fyne.Size) { r.circle.Resize(size) }

func (r *stateDotRenderer) MinSize() fyne.Size { return fyne.NewSquareSize(theme.Padding()) }

func (r *stateDotRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.circle} }

// Refresh comes with a new colour name and with a theme change.
func (r *stateDotRenderer) Refresh() {
	th := r.dot.Theme()
	r.circle.FillColor = th.Color(r.dot.name, fyne.CurrentApp().Settings().ThemeVariant())
	r.circle.Refresh()
}

// stateColor is the dot's theme colour for a state.
func stateColor(st engine.State) fyne.ThemeColorName {
	switch st {
	case engine.Running:
		return theme.ColorNameSuccess
	case engine.Paused:
		return theme.ColorNameWarning
	case engine.Done:
		return theme.ColorNamePrimary
	case engine.Failed:
		return theme.ColorNameError
	}
	return theme.ColorNamePlaceHolder
}

func enable(w fyne.Disableable, on bool) {
	if on && w.Disabled() {
		w.Enable()
	} else if !on && !w.Disabled() {
		w.Disable()
	}
}

// setButton changes a button's text and icon, refreshing it only when they
// differ: refreshState runs at every snapshot.
func setButton(b *widget.Button, text string, icon fyne.Resource) {
	if b.Text == text && b.Icon == icon {
		return
	}
	b.Text, b.Icon = text, icon
	b.Refresh()
}
