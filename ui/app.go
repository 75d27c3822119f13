package ui

import (
	"context"
	"log"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/engine"
)

var _ fyne.Widget = (*Playground)(nil)

// Options configure a playground.
type Options struct {
	// LoadData loads MNIST. It runs on a background goroutine when the
	// playground opens; nil finds the files with engine.FindMNISTDir(DataDir)
	// and reads them with engine.LoadMNIST.
	LoadData func() (*engine.MNIST, error)
	// DataDir is the folder of the MNIST files (the --data flag) for the
	// default LoadData; empty means MNIST_DIR or the Go module cache.
	DataDir string
	// ModelPath, when set, is a model file to load at start-up, so that the
	// pad answers with it and Start trains on from it.
	ModelPath string
	// Config is what the settings show at first; nil means
	// engine.DefaultConfig() trained for windowEpochs.
	Config *engine.TrainConfig
	// PublishEvery is how often a training session sends a snapshot; zero
	// means the session's default of 100 ms.
	PublishEvery time.Duration

	// do runs a function on the UI goroutine and waits for it: fyne.DoAndWait
	// in the app, a test's own loop in the tests.
	do func(func())
	// logf writes the log: log.Printf in the app.
	logf func(format string, args ...any)
}

// Playground is the whole window's content: the settings sidebar, the
// controls of a training session, its live charts, and the pad to draw a
// digit on. Its widgets and its state are used on Fyne's goroutine only;
// the background goroutines (the session's bridge, the chart renderer, the
// predictor, the loaders) share nothing with it but the job queues, and
// hand their results over through Options.do.
type Playground struct {
	widget.BaseWidget

	win  fyne.Window
	opts Options
	do   func(func())

	ctx    context.Context // ends every goroutine of the playground
	cancel context.CancelFunc
	wg     sync.WaitGroup
	closed atomic.Bool // set once nothing may be handed to the UI any more

	renders  *latest[renderJob]
	predicts *latest[predictJob]

	ctl    *controls
	charts *chartSet
	digit  *digitPanel

	startBtn, pauseBtn, stepBtn, resetBtn *widget.Button
	openBtn, saveBtn                      *widget.Button
	logScale                              *widget.Check
	status                                *widget.Label
	stateDot                              *stateDot
	content                               fyne.CanvasObject

	data     *engine.MNIST
	loading  bool
	run      *run             // the live or latest session; nil before the first or after Reset
	last     *engine.Snapshot // the latest snapshot of run
	model    *engine.Model    // the network the pad asks, and Start trains on from when trained
	net      netSettings      // the settings model was made with
	trained  bool             // model has learned something or came from a file
	loaded   string           // the file model came from, if it did
	message  string           // a status line that outlives one snapshot (loaded, saved...)
	savedMsg string           // the message "Saved NAME" while it is the message
	closing  bool
	quitting bool // the question whether to quit is open

	// lineage counts the networks the window has had: a new one starts
	// with every untrained or opened network and every run that does not
	// continue the previous one. savedStep is the step of the current
	// lineage that a file holds (0 for an opened network, -1 for none).
	lineage   int
	savedStep int

	dialogs  []*keyDialog // the open dialogs the app showed, topmost last
	saving   *saveForm    // the open Save dialog
	saveDir  string       // the folder the last save went to
	lastShow shownDialog  // the latest dialog, for tests
}

// run is one training session with the goroutines that serve it.
type run struct {
	s      *engine.Session
	cancel context.CancelFunc
	done   chan struct{} // closed when Run has returned and the bridge has finished
	ended  bool          // Run has returned (as the UI goroutine knows it)
	// paused is the state the latest snapshot reported. asked is a pause or
	// resume not yet confirmed by a snapshot: a snapshot published just
	// before the command took effect still reports the old state, and the
	// button must not flick back to it.
	paused bool
	asked  pauseAsk
	// diverged is set once the divergence has been explained: a run
	// diverges once, and its dialog opens once.
	diverged bool
}

// pauseAsk is a pause or resume asked of a session and not yet confirmed.
type pauseAsk int

const (
	askNone pauseAsk = iota
	askPause
	askResume
)

// isPaused is the state to show: the one asked for until a snapshot
// confirms it, else the one reported.
func (r *run) isPaused() bool {
	switch r.asked {
	case askPause:
		return true
	case askResume:
		return false
	}
	return r.paused
}

// report takes the state of a snapshot, which confirms what was asked when
// it matches.
func (r *run) report(st engine.State) {
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

// New returns the playground for window w: its content (pass it to
// w.SetContent), its keyboard shortcuts, and a close hook that stops
// training cleanly. MNIST and the model of opts.ModelPath load in the
// background; the window is usable at once.
func New(w fyne.Window, opts Options) *Playground {
	p := &Playground{win: w, opts: opts, do: opts.do}
	if p.do == nil {
		p.do = fyne.DoAndWait
	}
	if p.opts.logf == nil {
		p.opts.logf = log.Printf
	}
	if p.opts.LoadData == nil {
		dir := opts.DataDir
		p.opts.LoadData = func() (*engine.MNIST, error) {
			data, _, err := engine.OpenMNIST(dir)
			return data, err
		}
	}
	cfg := engine.DefaultConfig()
	cfg.Epochs = windowEpochs
	if opts.Config != nil {
		cfg = *opts.Config
	}
	p.ctx, p.cancel = context.WithCancel(context.Background())
	p.renders = newLatest[renderJob]()
	p.predicts = newLatest[predictJob]()

	p.ctl = newControls(cfg)
	p.ctl.onNetEdited = p.netEdited
	p.ctl.onChanged = p.refreshState
	p.ctl.onLR = p.lrChanged
	p.ctl.onShortcut = p.shortcut
	p.ctl.unfocus = p.unfocus
	p.ctl.onKey = p.typedKey
	p.charts = newChartSet(p.renders.submit)
	p.charts.panel.unfocus = p.unfocus
	p.digit = newDigitPanel(p.predicts.submit)
	p.digit.onDraw = p.unfocus
	p.buildToolbar()
	p.buildLayout()

	p.net = netFromConfig(cfg)
	p.charts.setLayers(p.net.arch())
	p.freshModel()

	p.ExtendBaseWidget(p)
	p.installKeys()
	w.SetCloseIntercept(p.closeRequested)
	p.startWorkers()
	p.loadData()
	if opts.ModelPath != "" {
		p.loadModel(opts.ModelPath)
	}
	p.refreshState()
	return p
}

// CreateRenderer shows the playground's content.
func (p *Playground) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(p.content)
}

func (p *Playground) buildToolbar() {
	p.startBtn = widget.NewButtonWithIcon("Start (Space)", theme.MediaPlayIcon(), p.start)
	p.startBtn.Importance = widget.HighImportance
	p.pauseBtn = widget.NewButtonWithIcon("Pause (Space)", theme.MediaPauseIcon(), p.togglePause)
	p.stepBtn = widget.NewButtonWithIcon("Step (S)", theme.MediaSkipNextIcon(), p.step)
	p.resetBtn = widget.NewButtonWithIcon("Reset (R)", theme.MediaReplayIcon(), p.reset)
	p.openBtn = widget.NewButtonWithIcon("Open… (Ctrl+O)", theme.FolderOpenIcon(), p.openModelDialog)
	p.saveBtn = widget.NewButtonWithIcon("Save… (Ctrl+S)", theme.DocumentSaveIcon(), p.saveModelDialog)
	p.logScale = widget.NewCheck("Log scale (Ctrl+L)", func(on bool) {
		p.unfocus()
		p.charts.setLogY(on)
	})
	p.status = widget.NewLabel("")
	p.status.SizeName = theme.SizeNameSubHeadingText
	p.status.Truncation = fyne.TextTruncateEllipsis
	p.stateDot = newStateDot()
}

func (p *Playground) buildLayout() {
	toolbar := container.NewHBox(p.startBtn, p.pauseBtn, p.stepBtn, p.resetBtn,
		widget.NewSeparator(), p.openBtn, p.saveBtn, layout.NewSpacer(), p.logScale)
	dot := container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(14), p.stateDot))
	statusBar := container.NewBorder(widget.NewSeparator(), nil, dot, nil, p.status)
	sidebar := container.NewVScroll(container.NewPadded(p.ctl.content))
	sidebar.SetMinSize(fyne.NewSize(max(sidebarWidth, p.ctl.content.MinSize().Width+2*theme.Padding()), 0))
	main := container.New(&columns{},
		sidebar, widget.NewSeparator(), container.NewPadded(p.charts.content), widget.NewSeparator(), container.NewPadded(p.digit.content))
	p.content = container.NewBorder(container.NewPadded(toolbar), container.NewPadded(statusBar), nil, nil, main)
}

// sidebarWidth is the settings column's width: enough for a layer's row and
// a one-line caption, and no more, since at 1280 pixels every point of width
// the sidebar takes is a point the charts lose.
const sidebarWidth = 280

// columns lays out the sidebar, the charts and the drawing column with
// separators between them. The sidebar keeps its minimum width; the drawing
// column grows with the window (drawPart of it) so that the pad gets larger
// on a large screen; the charts take the rest.
type columns struct{}

// drawPart is the share of the window's width the drawing column takes
// when that is more than it needs.
const drawPart = 0.36

// Layout places the five objects: sidebar, separator, charts, separator,
// drawing column.
func (columns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	side := objs[0].MinSize().Width
	sep := objs[1].MinSize().Width
	draw := max(objs[4].MinSize().Width, float32(math.Round(float64(size.Width*drawPart))))
	draw = min(draw, max(objs[4].MinSize().Width, size.Width-side-2*sep-objs[2].MinSize().Width))
	mid := max(0, size.Width-side-draw-2*sep)
	x := float32(0)
	for i, w := range []float32{side, sep, mid, sep, draw} {
		objs[i].Move(fyne.NewPos(x, 0))
		objs[i].Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}

// MinSize adds up the minimum widths.
func (columns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		m := o.MinSize()
		s.Width += m.Width
		s.Height = max(s.Height, m.Height)
	}
	return s
}

// startWorkers starts the chart renderer and the predictor.
func (p *Playground) startWorkers() {
	var cr chartRenderer
	p.wg.Go(func() {
		// Charts at most about five times a second: enough to watch a curve
		// fall, and little enough to leave training its cores.
		p.renders.run(p.ctx, 200*time.Millisecond, func(job renderJob, seq uint64) {
			out := cr.render(job)
			p.ui(func() { p.charts.put(out) })
			if out.deferred {
				// The histograms left out come back with the same job
				// unless a newer one arrives first, so that the last
				// snapshot of a run is drawn too.
				time.AfterFunc(histEvery, func() { p.renders.resubmit(job, seq) })
			}
		})
	})
	var pr predictor
	p.wg.Go(func() {
		p.predicts.run(p.ctx, 0, func(job predictJob, _ uint64) {
			out := pr.predict(job)
			p.ui(func() { p.digit.show(out) })
		})
	})
}

// ui runs f on the UI goroutine, unless the window is gone.
func (p *Playground) ui(f func()) {
	if p.closed.Load() {
		return
	}
	p.do(f)
}

// loadData reads MNIST in the background: it takes about a second, which
// the window must not freeze for.
func (p *Playground) loadData() {
	p.loading = true
	p.wg.Go(func() {
		m, err := p.opts.LoadData()
		p.ui(func() { p.dataLoaded(m, err) })
	})
}

// dataLoaded takes the result of loadData.
func (p *Playground) dataLoaded(m *engine.MNIST, err error) {
	p.loading = false
	if err != nil {
		p.showMissingData(err)
	} else {
		p.data = m
		// A model opened before the data arrived gets its score now.
		if p.loaded != "" && p.run == nil {
			p.measureLoaded(p.model)
		}
	}
	p.refreshState()
}

// freshModel makes the untrained network of the current settings, for the
// pad to answer with before any training. It is the very network a session
// started from these settings begins with.
func (p *Playground) freshModel() {
	m, err := untrainedModel(p.net)
	if err != nil {
		return
	}
	p.model, p.trained, p.loaded = m, false, ""
	p.newLineage(0)
	p.digit.setModel(m, "untrained network — random guesses")
}

// newLineage starts counting the steps of a new network, which a file
// holds at step savedAt (-1 for none).
func (p *Playground) newLineage(savedAt int) {
	p.lineage++
	p.savedStep = savedAt
	p.dropSavedNote()
}

// dropSavedNote takes "Saved NAME" off the status line once the network is
// no longer the one the file holds: it would claim a save that the
// training since has outrun.
func (p *Playground) dropSavedNote() {
	if p.savedMsg != "" && p.message == p.savedMsg {
		p.message = ""
	}
	p.savedMsg = ""
}

// stepNow is the step count of the network the pad answers with: that of
// the latest snapshot, 0 for an untrained or opened network.
func (p *Playground) stepNow() int {
	if p.last == nil {
		return 0
	}
	return p.last.Step
}

// unsaved reports whether the network has training that no file holds, which
// Reset, opening a model and closing the window would lose.
func (p *Playground) unsaved() bool {
	return p.trained && p.stepNow() != p.savedStep
}

// windowEpochs is how many epochs the window plans by default, more than
// the command line's: an epoch of the default network takes a fraction of a
// second, and a lecture wants the time to draw digits while it learns.
const windowEpochs = 20

// untrainedModel is the network a session started from n begins with, so
// that the pad shows the network Start will train.
func untrainedModel(n netSettings) (*engine.Model, error) {
	return engine.InitialModel(engine.TrainConfig{Arch: n.arch(), Init: n.Init, Seed: n.Seed})
}

// unfocus gives the keyboard back to the window's shortcuts.
func (p *Playground) unfocus() {
	if c := p.win.Canvas(); c.Focused() != nil {
		c.Unfocus()
	}
}

// closeRequested stops training before the window goes: the session's
// context is cancelled, and the window closes once every goroutine has
// returned, or after closeTimeout if one does not.
func (p *Playground) closeRequested() {
	if p.closing || p.quitting {
		return
	}
	if !p.unsaved() {
		p.quit()
		return
	}
	p.quitting = true
	p.confirm("Quit and discard the trained network?",
		"The network has trained since it was last saved, and closing the window loses it. Save it first with Ctrl+S to keep it.",
		"Quit", "Cancel",
		func(ok bool) {
			p.quitting = false
			if ok {
				p.quit()
			}
		})
}

// quit stops training and closes the window.
func (p *Playground) quit() {
	if p.closing {
		return
	}
	p.closing = true
	p.refreshState()
	p.setStatus("Stopping…", stateColor(engine.Done))
	done := p.stop()
	go func() {
		select {
		case <-done:
		case <-time.After(closeTimeout):
		}
		p.do(func() {
			p.closed.Store(true)
			p.win.Close()
		})
	}()
}

// closeTimeout bounds how long closing waits for training to stop: one
// mini-batch of the largest network takes well under a second.
const closeTimeout = 3 * time.Second

// stop cancels every goroutine of the playground and returns a channel that
// is closed when they have all returned. The UI goroutine must keep running
// meanwhile: the goroutines hand their last results to it.
func (p *Playground) stop() <-chan struct{} {
	p.cancel()
	done := make(chan struct{})
	go func() {
		p.wg.Wait()
		close(done)
	}()
	return done
}
