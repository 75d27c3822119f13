package ui

import (
	"context"
	"log"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/confusion"
	"github.com/mnistplayground/mnistplayground/ui/drawpad"
	"github.com/mnistplayground/mnistplayground/ui/flow"
	"github.com/mnistplayground/mnistplayground/ui/gallery"
	"github.com/mnistplayground/mnistplayground/ui/inside"
	"github.com/mnistplayground/mnistplayground/ui/layers"
	"github.com/mnistplayground/mnistplayground/ui/lessons"
	"github.com/mnistplayground/mnistplayground/ui/runs"
	"github.com/mnistplayground/mnistplayground/ui/settings"
	"github.com/mnistplayground/mnistplayground/ui/state"
	"github.com/mnistplayground/mnistplayground/ui/training"
	"github.com/mnistplayground/mnistplayground/ui/weights"
	"github.com/mnistplayground/mnistplayground/ui/widgets"
)

var (
	_ fyne.Widget  = (*Shell)(nil)
	_ widgets.Keys = (*Shell)(nil)
)

// Options configure the window.
type Options struct {
	// LoadData loads MNIST. It runs on a background goroutine when the
	// window opens; nil finds the files with engine.FindMNISTDir(DataDir)
	// and reads them with engine.LoadMNIST.
	LoadData func() (*engine.MNIST, error)
	// DataDir is the folder of the MNIST files (the --data flag) for the
	// default LoadData; empty means MNIST_DIR or the Go module cache.
	DataDir string
	// ModelPath, when set, is a model file to load at start-up, so that the
	// pad answers with it and Start trains on from it.
	ModelPath string
	// Config is what the settings show at first; nil means
	// engine.DefaultConfig() trained for WindowEpochs.
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

// WindowEpochs is how many epochs the window plans by default, more than
// the command line's: an epoch of the default network takes a fraction of a
// second, and a lecture wants the time to draw digits while it learns.
const WindowEpochs = 20

// Shell is the window's content and its conductor: it owns the workspace,
// the views, the toolbar and status line, the keys, the dialogs and the
// background goroutines. Its widgets and its state are used on Fyne's
// goroutine only; the goroutines (the session's bridge, the render worker,
// the predictor, the kept runs' reader, the loaders) share nothing with it but the job queues,
// and hand their results over through Options.do.
type Shell struct {
	widget.BaseWidget

	win  fyne.Window
	opts Options
	life lifetime

	ws   *state.Workspace
	data *engine.MNIST
	kit  *widgets.Kit

	views   views
	panels  *panels
	bar     *toolbar
	content fyne.CanvasObject

	renders  *latest[renderJob]
	predicts *latest[drawpad.Job]
	reads    *latest[runs.ReadJob] // what the kept runs read on the pad
	look     chartLook
	axesItem *fyne.MenuItem // the View menu's fixed-axes item, ticked to match
	dialogs  dialogs
	show     display
	prefs    prefs
	lessons  []lessons.Lesson
	// chartViews are the views that draw charts, with their panels.
	chartViews []chartView
}

// chartView is a view's charts and the panel it is in.
type chartView struct {
	panel  int
	charts func() []widgets.Spec
}

// views are the window's views, one field each.
type views struct {
	settings  *settings.View
	training  *training.View
	layers    *layers.View
	flow      *flow.View
	weights   *weights.View
	confusion *confusion.View
	gallery   *gallery.View
	draw      *drawpad.View
	inside    *inside.View
	runs      *runs.View
}

// lifetime is what ends the shell's goroutines.
type lifetime struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	closed atomic.Bool // set once nothing may be handed to the UI any more
}

// The panels' indices, in the order of their tabs and Ctrl+digit keys.
const (
	panelSettings = iota
	panelTraining
	panelLayers
	panelFlow
	panelWeights
	panelConfusion
	panelGallery
	panelDraw
	panelInside
	panelRuns
)

// New returns the shell for window w: its content (pass it to
// w.SetContent), its keyboard shortcuts, and a close hook that stops
// training cleanly. MNIST and the model of opts.ModelPath load in the
// background; the window is usable at once.
func New(w fyne.Window, opts Options) *Shell {
	s := &Shell{win: w, opts: opts}
	if s.opts.do == nil {
		s.opts.do = fyne.DoAndWait
	}
	if s.opts.logf == nil {
		s.opts.logf = log.Printf
	}
	if s.opts.LoadData == nil {
		dir := opts.DataDir
		s.opts.LoadData = func() (*engine.MNIST, error) {
			data, _, err := engine.OpenMNIST(dir)
			return data, err
		}
	}
	s.prefs = prefs{fyne.CurrentApp().Preferences()}
	cfg := engine.DefaultConfig()
	cfg.Epochs = WindowEpochs
	if remembered, ok := s.prefs.config(); ok {
		cfg = remembered
	}
	if opts.Config != nil {
		cfg = *opts.Config
	}
	s.life.ctx, s.life.cancel = context.WithCancel(context.Background())
	s.renders = newLatest[renderJob]()
	s.predicts = newLatest[drawpad.Job]()
	s.reads = newLatest[runs.ReadJob]()
	s.kit = widgets.NewKit(s)

	var err error
	if s.ws, err = state.New(state.NetOf(cfg)); err != nil {
		// Settings that make no network (a test's odd configuration) fall
		// back to the default's, and the fields still show what was asked.
		s.ws, _ = state.New(state.NetOf(engine.DefaultConfig()))
	}
	s.ws.Data = state.DataLoading
	s.ws.FixedAxes = s.prefs.fixedAxes()

	s.buildViews(cfg)
	s.content = container.NewBorder(container.NewPadded(s.bar.row), container.NewPadded(s.bar.status), nil, nil, s.panels.content)

	s.ExtendBaseWidget(s)
	s.show.theme = s.prefs.string(prefTheme)
	if s.show.theme != "" {
		s.applyTheme()
	}
	s.views.draw.SetPen(s.prefs.pen())
	s.views.draw.OnPen = func(w float64) { s.prefs.setFloat(prefPen, w) }
	s.lessons = loadLessons()
	s.win.SetMainMenu(s.mainMenu())
	s.win.SetOnDropped(s.dropped)
	s.installKeys()
	w.SetCloseIntercept(s.closeRequested)
	s.startWorkers()
	s.loadData()
	if opts.ModelPath != "" {
		s.loadModel(opts.ModelPath)
	}
	s.refresh()
	return s
}

// buildViews makes the views, wires their callbacks, and lays them out.
func (s *Shell) buildViews(cfg engine.TrainConfig) {
	v := &s.views
	v.settings = settings.New(s.kit, cfg)
	v.settings.OnNetEdited = func() { s.rememberSettings(); s.netEdited() }
	v.settings.OnEdited = func() { s.rememberSettings(); s.refresh() }
	v.settings.OnLR = s.lrChanged
	v.training = training.New(s.kit, s.ChartsChanged)
	v.layers = layers.New(s.kit)
	v.flow = flow.New(s.kit)
	v.weights = weights.New(s.kit, s.ChartsChanged)
	v.confusion = confusion.New(s.kit, s.ChartsChanged)
	v.confusion.OnPick = s.examine
	v.gallery = gallery.New(s.kit)
	v.draw = drawpad.NewView(s.kit, s.predicts.submit)
	v.draw.OnDraw = s.Release
	v.draw.OnShown = func(p drawpad.Prediction) {
		e := p.Explanation()
		v.inside.Show(e)
		v.weights.Show(e)
		v.runs.Show(e)
		s.ChartsChanged()
	}
	v.runs = runs.New(s.kit, s.raceActivations, s.raceRates, s.reads.submit)
	v.runs.OnChanged = s.refresh
	v.runs.OnRestore = s.restoreRun
	v.runs.OnSave = s.saveKeptRun
	v.runs.OnCompare = func(i int) { v.draw.CompareWith(i); s.panels.choose(panelDraw) }
	v.inside = inside.New(s.kit)
	v.inside.OnScale = v.draw.SetScale
	s.bar = newToolbar(s)
	scroll := func(o fyne.CanvasObject) fyne.CanvasObject { return container.NewVScroll(container.NewPadded(o)) }
	padded := func(o fyne.CanvasObject) fyne.CanvasObject { return container.NewPadded(o) }
	// (The layers and the activations scroll inside their views.)
	s.panels = newPanels(s.kit, []*panel{
		{name: "Settings", content: scroll(v.settings.Content()), width: 0},
		// Each view scrolls rather than squeeze its charts below their
		// minimum height: on a projector at 1.5 times the scale a view has
		// about 350 points of height.
		{name: "Training", content: scroll(v.training.Content()), width: 26},
		{name: "Layers", content: padded(v.layers.Content()), width: 22},
		{name: "Flow", content: scroll(v.flow.Content()), width: 22},
		{name: "Weights", content: scroll(v.weights.Content()), width: 22},
		{name: "Confusion", content: scroll(v.confusion.Content()), width: 22},
		{name: "Activations", content: padded(v.gallery.Content()), width: 22},
		{name: "Draw", content: scroll(v.draw.Content()), width: 24},
		// The softmax table is wide: it scrolls across in a narrow column.
		{name: "Inside", content: container.NewScroll(container.NewPadded(v.inside.Content())), width: 28},
		{name: "Runs", content: padded(v.runs.Content()), width: 22},
	}, [][][]int{
		{{panelSettings}, {panelTraining}, {panelRuns, panelLayers, panelFlow, panelWeights, panelConfusion, panelGallery}, {panelDraw, panelInside}},
		{{panelSettings}, {panelTraining, panelRuns, panelLayers, panelFlow, panelWeights, panelConfusion, panelGallery}, {panelDraw, panelInside}},
		{{panelSettings}, {panelTraining, panelRuns, panelLayers, panelFlow, panelWeights, panelConfusion, panelGallery, panelDraw, panelInside}},
		{{panelSettings, panelTraining, panelRuns, panelLayers, panelFlow, panelWeights, panelConfusion, panelGallery, panelDraw, panelInside}},
	}, s.ChartsChanged)
	s.chartViews = []chartView{
		{panelSettings, v.settings.Charts}, {panelTraining, v.training.Charts}, {panelLayers, v.layers.Charts},
		{panelFlow, v.flow.Charts}, {panelWeights, v.weights.Charts}, {panelConfusion, v.confusion.Charts},
		{panelGallery, v.gallery.Charts}, {panelInside, v.inside.Charts},
	}
}

// restoreRun brings kept run i's network back, after asking when the
// current one has training no file holds (it is kept among the runs all
// the same).
func (s *Shell) restoreRun(i int) {
	if i < 0 || i >= len(s.ws.Kept) {
		return
	}
	final := s.ws.Kept[i].Final
	s.ask(s.ws.ResetQuestion(), func() {
		s.ws.Restore(slices.IndexFunc(s.ws.Kept, func(k state.KeptRun) bool { return k.Final == final }))
		s.views.settings.SetConfig(final.Config)
		s.refresh()
	})
}

// saveKeptRun saves kept run i's network.
func (s *Shell) saveKeptRun(i int) {
	if i >= 0 && i < len(s.ws.Kept) {
		m := s.ws.Kept[i].Final.Model
		s.saveModelDialogFor(m, func() state.Save { return state.Save{Model: m} })
	}
}

// rememberSettings keeps valid settings for the next launch.
func (s *Shell) rememberSettings() {
	if cfg, err := s.views.settings.Config(); err == nil {
		s.prefs.setString(prefSettings, state.EncodeConfig(cfg))
	}
}

// examine puts a test image on the pad's input, and shows how the network
// reads it.
func (s *Shell) examine(_ int, x []float32, note string) {
	s.views.draw.SetInput(x, note)
	if !s.panels.shown(panelInside) {
		s.panels.choose(panelDraw)
	}
}

// CreateRenderer shows the window's content.
func (s *Shell) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(s.content)
}

// startWorkers starts the render worker, the predictor and the reader of
// what the kept runs make of the pad.
func (s *Shell) startWorkers() {
	var r renderer
	s.life.wg.Go(func() {
		s.renders.run(s.life.ctx, renderRest, func(job renderJob) {
			out := r.render(job)
			if len(out) > 0 {
				s.ui(func() {
					for _, d := range out {
						d.target.Put(d.img, d.gen)
					}
				})
			}
		})
	})
	var pr drawpad.Predictor
	s.life.wg.Go(func() {
		s.predicts.run(s.life.ctx, func(time.Duration) time.Duration { return 0 }, func(job drawpad.Job) {
			out := pr.Predict(job)
			s.ui(func() { s.views.draw.Show(out) })
		})
	})
	s.life.wg.Go(func() {
		s.reads.run(s.life.ctx, func(time.Duration) time.Duration { return 0 }, func(job runs.ReadJob) {
			out := job.Read()
			s.ui(func() { s.views.runs.ShowReadings(out) })
		})
	})
}

// ui runs f on the UI goroutine, unless the window is gone.
func (s *Shell) ui(f func()) {
	if s.life.closed.Load() {
		return
	}
	s.opts.do(f)
}

// loadData reads MNIST in the background: it takes about a second, which
// the window must not freeze for.
func (s *Shell) loadData() {
	s.life.wg.Go(func() {
		m, err := s.opts.LoadData()
		s.ui(func() { s.dataLoaded(m, err) })
	})
}

// dataLoaded takes the result of loadData.
func (s *Shell) dataLoaded(m *engine.MNIST, err error) {
	if err != nil {
		s.ws.Data = state.DataMissing
		s.showMissingData(err)
	} else {
		s.data, s.ws.Data = m, state.DataReady
		s.views.confusion.SetTestSet(m.Test)
		// A model opened before the data arrived gets its score now.
		if s.ws.Origin == state.Opened && s.ws.Run == nil {
			s.measureOpened(s.ws.Model)
		}
	}
	s.refresh()
}

// OpeningSize is the size the window opens at, in points, under a user
// scale (FYNE_SCALE). Fyne cannot ask for the screen's size before the
// window shows, so the window opens at a size that fits a 1024×768 screen
// under its title bar and panels, in that screen's pixels: at 1.5 times the
// scale that is 667×453 points. It grows as the user likes, and every panel
// fits at that size under tabs.
func OpeningSize(scale float32) fyne.Size {
	if !(scale > 1) {
		scale = 1
	}
	return fyne.NewSize(1000/scale, 680/scale)
}
