package ui

import (
	"image"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/chart"
)

var _ fyne.Widget = (*chartView)(nil)

// chartView shows one chart image. The image is drawn elsewhere at the
// view's size in device pixels and swapped in whole; the view only says
// when its size or the theme has changed, so that a new one is drawn.
type chartView struct {
	widget.BaseWidget

	image   *canvas.Image
	min     fyne.Size
	changed func() // the size or the theme changed
}

func newChartView(min fyne.Size, changed func()) *chartView {
	v := &chartView{min: min, changed: changed, image: &canvas.Image{FillMode: canvas.ImageFillStretch}}
	v.ExtendBaseWidget(v)
	return v
}

// CreateRenderer links the view to its renderer.
func (v *chartView) CreateRenderer() fyne.WidgetRenderer {
	return &chartViewRenderer{view: v}
}

// setImage shows img, a new image: the old one may still be being drawn by
// the GPU's texture upload, so it is replaced, never changed.
func (v *chartView) setImage(img image.Image) {
	v.image.Image = img
	v.image.Refresh()
}

// pixels returns the view's size in device pixels, or zero when it is not
// on a canvas or has no area.
func (v *chartView) pixels() (w, h int) {
	s := v.Size()
	if s.Width < 1 || s.Height < 1 || !v.Visible() {
		return 0, 0
	}
	scale := float32(1)
	if c := fyne.CurrentApp().Driver().CanvasForObject(v); c != nil {
		scale = c.Scale()
	}
	return int(math.Round(float64(s.Width * scale))), int(math.Round(float64(s.Height * scale)))
}

type chartViewRenderer struct {
	view *chartView
	last fyne.Size
}

func (r *chartViewRenderer) Destroy() {}

func (r *chartViewRenderer) Layout(size fyne.Size) {
	r.view.image.Move(fyne.NewPos(0, 0))
	r.view.image.Resize(size)
	if size != r.last {
		r.last = size
		if r.view.changed != nil {
			r.view.changed()
		}
	}
}

func (r *chartViewRenderer) MinSize() fyne.Size { return r.view.min }

func (r *chartViewRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.view.image}
}

// Refresh comes with a theme change among other things; the chart set
// decides whether anything needs drawing again.
func (r *chartViewRenderer) Refresh() {
	if r.view.changed != nil {
		r.view.changed()
	}
}

// layerCell is one layer's histogram with its gradient and saturation line.
type layerCell struct {
	view  *chartView
	stats *widget.Label
	rec   *chart.HistoryRecorder
	title string
	cell  fyne.CanvasObject
}

// renderJob is what the chart renderer draws: the newest snapshot, each
// chart's size in device pixels (zero for a chart that is not shown) and the
// look.
type renderJob struct {
	gen       int // the chart set's generation: a new one for each new network or run
	snap      *engine.Snapshot
	logY      bool
	style     chart.Style
	styleGen  int // changes whenever style does
	loss, acc [2]int
	layers    []layerJob
}

// layerJob is one layer's histogram in a renderJob.
type layerJob struct {
	title string
	rec   *chart.HistoryRecorder
	size  [2]int
}

// renderKey identifies what a chart image was drawn from, to skip drawing
// the same image twice.
type renderKey struct {
	snap     *engine.Snapshot
	rec      *chart.HistoryRecorder
	size     [2]int
	styleGen int
	logY     bool
	title    string
}

// rendered is the renderer's result: a new image for each chart that
// changed, nil for the others.
type rendered struct {
	gen       int // the job's generation
	loss, acc image.Image
	layers    []image.Image
	recs      []*chart.HistoryRecorder // which recorder each layer image shows
	// deferred is set when a histogram was left for later (see histEvery).
	deferred bool
}

// histEvery is how often a weight histogram is drawn again for new
// snapshots alone. The ridges change slowly, and a network of seven layers
// would otherwise spend a quarter of a core redrawing them; a new size or
// theme still redraws at once.
const histEvery = time.Second

// chartRenderer draws charts on its own goroutine. Only that goroutine
// touches its fields.
type chartRenderer struct {
	gen             int              // the generation of the latest job
	lossSeries      chart.LossSeries // the loss curve of that generation's run, kept up to date
	lossKey, accKey renderKey
	layerKeys       map[*chart.HistoryRecorder]layerDrawn
	now             func() time.Time // the clock, replaceable in tests
}

// layerDrawn is what a layer's histogram was last drawn from, and when.
type layerDrawn struct {
	key renderKey
	at  time.Time
}

// render draws every chart of job that differs from what was drawn last.
// Errors leave the previous image in place: a chart that cannot be drawn at
// some odd size is not worth a dialog, and the next size will do.
func (r *chartRenderer) render(job renderJob) rendered {
	out := rendered{gen: job.gen}
	if job.gen != r.gen {
		// The window drops images of an older generation, so what was
		// drawn for it may never have reached the screen: draw anew.
		r.gen, r.lossSeries = job.gen, chart.LossSeries{}
		r.lossKey, r.accKey = renderKey{}, renderKey{}
	}
	if key := (renderKey{snap: job.snap, size: job.loss, styleGen: job.styleGen, logY: job.logY}); job.loss[0] > 0 && key != r.lossKey {
		if img, err := chart.LossWith(&r.lossSeries, job.snap, job.loss[0], job.loss[1], job.style, job.logY); err == nil {
			out.loss, r.lossKey = img, key
		} else {
			fyne.LogError("drawing the loss chart", err)
		}
	}
	if key := (renderKey{snap: job.snap, size: job.acc, styleGen: job.styleGen}); job.acc[0] > 0 && key != r.accKey {
		if img, err := chart.Accuracy(job.snap, job.acc[0], job.acc[1], job.style); err == nil {
			out.acc, r.accKey = img, key
		} else {
			fyne.LogError("drawing the accuracy chart", err)
		}
	}
	now := time.Now()
	if r.now != nil {
		now = r.now()
	}
	keep := map[*chart.HistoryRecorder]layerDrawn{}
	out.layers = make([]image.Image, len(job.layers))
	out.recs = make([]*chart.HistoryRecorder, len(job.layers))
	for i, l := range job.layers {
		key := renderKey{snap: job.snap, rec: l.rec, size: l.size, styleGen: job.styleGen, title: l.title}
		last, drawn := r.layerKeys[l.rec]
		if drawn {
			keep[l.rec] = last
		}
		out.recs[i] = l.rec
		if l.size[0] == 0 || key == last.key {
			continue
		}
		onlyData := drawn && last.key.size == key.size && last.key.styleGen == key.styleGen && last.key.title == key.title
		if onlyData && now.Sub(last.at) < histEvery {
			out.deferred = true
			continue
		}
		img, err := chart.Histogram(l.title, l.rec.Entries(), l.size[0], l.size[1], job.style)
		if err != nil {
			fyne.LogError("drawing a weight histogram", err)
			continue
		}
		out.layers[i], keep[l.rec] = img, layerDrawn{key: key, at: now}
	}
	// Recorders of networks that are gone are forgotten.
	r.layerKeys = keep
	return out
}

// chartSet is the charts of the window: loss, accuracy and one weight
// histogram per layer, with what they need on the UI goroutine.
type chartSet struct {
	loss, acc *chartView
	cells     []*layerCell
	grid      *fyne.Container
	panel     *chartPanel
	content   fyne.CanvasObject

	snap     *engine.Snapshot
	logY     bool
	style    chart.Style
	styleGen int
	// gen counts the networks and runs the charts have shown, so that the
	// images of one drawn after another has replaced it are thrown away.
	gen     int
	request func(renderJob) // hands a job to the renderer
}

func newChartSet(request func(renderJob)) *chartSet {
	cs := &chartSet{request: request}
	cs.loss = newChartView(fyne.NewSize(220, 170), cs.changed)
	cs.acc = newChartView(fyne.NewSize(220, 130), cs.changed)
	cs.grid = container.New(&cellGrid{})
	caption := widget.NewLabel("‖∂L/∂W‖ is the size of a layer's weight gradient. Off (ReLU) is the share of its outputs at zero on the latest batch, saturated (sigmoid, tanh) the share in a flat tail: no gradient flows back through them. About half of a ReLU layer's outputs are off on any input; nearly all off is a problem. In a deep sigmoid network gradients shrink towards the input: the vanishing gradient.")
	caption.Wrapping = fyne.TextWrapWord
	caption.Importance = widget.LowImportance
	train := container.New(&splitLayout{frac: 0.58}, cs.loss, cs.acc)
	layers := container.NewBorder(nil, caption, nil, nil, container.NewVScroll(cs.grid))
	cs.panel = newChartPanel(train, layers, cs.changed)
	cs.content = cs.panel.content
	return cs
}

// setLayers makes one histogram per layer of a, with empty histories: a new
// network starts its charts afresh.
func (cs *chartSet) setLayers(a engine.Architecture) {
	sizes := a.Sizes()
	n := len(sizes) - 1
	cs.cells = cs.cells[:0]
	objs := make([]fyne.CanvasObject, 0, n)
	for i := range n {
		st := engine.LayerStats{In: sizes[i], Out: sizes[i+1], Act: engine.Identity}
		if i < len(a.Acts) {
			st.Act = a.Acts[i]
		}
		c := &layerCell{
			view:  newChartView(fyne.NewSize(220, cellChartHeight), cs.changed),
			stats: widget.NewLabel("no gradient yet"),
			rec:   chart.NewHistoryRecorder(chart.DefaultHistoryLen),
			title: layerTitle(i, st, i == n-1),
		}
		c.stats.Wrapping = fyne.TextWrapWord
		c.stats.Importance = widget.LowImportance
		c.cell = container.NewBorder(nil, c.stats, nil, nil, c.view)
		cs.cells = append(cs.cells, c)
		objs = append(objs, c.cell)
	}
	cs.grid.Objects = objs
	cs.grid.Refresh()
	cs.snap = nil
	cs.gen++
	cs.changed()
}

// show takes a snapshot: the histories grow, the statistics lines change,
// and the renderer is asked for new images.
func (cs *chartSet) show(s *engine.Snapshot) {
	cs.snap = s
	if s != nil && len(s.Layers) == len(cs.cells) {
		var top float64
		for _, l := range s.Layers {
			top = math.Max(top, l.GradNorm)
		}
		for i, l := range s.Layers {
			c := cs.cells[i]
			c.rec.Add(s.Step, l.Weights)
			// A session's first snapshot, of a continued run or of a
			// Step, has measured no step yet: no layer has a gradient,
			// and zeros would read as a network that stopped learning.
			if s.Step == 0 || top == 0 {
				continue
			}
			output := i == len(s.Layers)-1
			text := layerText(l, output)
			imp := widget.MediumImportance
			// A layer that gets a hundredth of the strongest layer's
			// gradient, or whose outputs are mostly flat, is the thing to
			// point at.
			limit, warns := flatWarning(l.Act)
			if (top > 0 && l.GradNorm < top/100) || (!output && warns && l.Saturated > limit) {
				imp = widget.WarningImportance
			}
			if c.stats.Text != text || c.stats.Importance != imp {
				c.stats.Importance = imp
				c.stats.SetText(text)
			}
		}
	}
	cs.changed()
}

// setLogY switches the loss chart's y axis.
func (cs *chartSet) setLogY(on bool) {
	cs.logY = on
	cs.changed()
}

// changed asks the renderer for images of the current state at the current
// sizes. It is cheap: the renderer skips what it has already drawn.
func (cs *chartSet) changed() {
	if cs.request == nil || cs.panel == nil {
		return
	}
	var st chart.Style
	var scale float32 = 1
	if c := fyne.CurrentApp().Driver().CanvasForObject(cs.loss); c != nil {
		scale = c.Scale()
	}
	th := cs.loss.Theme()
	st = chartStyle(th, fyne.CurrentApp().Settings().ThemeVariant(), scale)
	if cs.styleGen == 0 || !sameStyle(st, cs.style) {
		cs.style = st
		cs.styleGen++
	}
	job := renderJob{gen: cs.gen, snap: cs.snap, logY: cs.logY, style: cs.style, styleGen: cs.styleGen}
	if cs.panel.trainShown() {
		w, h := cs.loss.pixels()
		job.loss = [2]int{w, h}
		w, h = cs.acc.pixels()
		job.acc = [2]int{w, h}
	}
	for _, c := range cs.cells {
		l := layerJob{title: c.title, rec: c.rec}
		if cs.panel.layersShown() {
			w, h := c.view.pixels()
			l.size = [2]int{w, h}
		}
		job.layers = append(job.layers, l)
	}
	cs.request(job)
}

// put swaps in the images the renderer drew, unless they show a network or
// run that has been replaced since.
func (cs *chartSet) put(r rendered) {
	if r.gen != cs.gen {
		return
	}
	if r.loss != nil {
		cs.loss.setImage(r.loss)
	}
	if r.acc != nil {
		cs.acc.setImage(r.acc)
	}
	for i, img := range r.layers {
		// The layers may have changed since the job was made.
		if img != nil && i < len(cs.cells) && cs.cells[i].rec == r.recs[i] {
			cs.cells[i].view.setImage(img)
		}
	}
}

// chartPanel shows the loss and accuracy charts beside the layers' charts
// when it is wide enough, and one group at a time under two tabs when not.
type chartPanel struct {
	trainBtn, layersBtn *widget.Button
	tabs                *fyne.Container
	train, layers       fyne.CanvasObject
	content             *fyne.Container

	wide, onLayers bool
	changed        func()
	// unfocus gives the keyboard back to the window when a tab button is
	// tapped, committing a settings field that had it.
	unfocus func()
}

// wideWidth is the width from which both groups fit side by side: the
// loss chart keeps about 480 points and the histograms about 360.
const wideWidth = 860

func newChartPanel(train, layers fyne.CanvasObject, changed func()) *chartPanel {
	p := &chartPanel{train: train, layers: layers, changed: changed}
	p.trainBtn = widget.NewButton("Training (V)", func() { p.tapped(false) })
	p.layersBtn = widget.NewButton("Layers (V)", func() { p.tapped(true) })
	p.tabs = container.NewGridWithColumns(2, p.trainBtn, p.layersBtn)
	p.content = container.New(p, p.tabs, train, layers)
	p.style()
	return p
}

// choose shows the layers' charts or the training curves in narrow mode.
func (p *chartPanel) choose(layers bool) {
	if p.onLayers == layers {
		return
	}
	p.onLayers = layers
	p.style()
	p.content.Refresh()
	if p.changed != nil {
		p.changed()
	}
}

// tapped is a tab button: the keyboard goes back to the window, then the
// group shows.
func (p *chartPanel) tapped(layers bool) {
	if p.unfocus != nil {
		p.unfocus()
	}
	p.choose(layers)
}

// toggle switches between the two groups in narrow mode.
func (p *chartPanel) toggle() { p.choose(!p.onLayers) }

func (p *chartPanel) style() {
	p.trainBtn.Importance, p.layersBtn.Importance = widget.HighImportance, widget.LowImportance
	if p.onLayers {
		p.trainBtn.Importance, p.layersBtn.Importance = widget.LowImportance, widget.HighImportance
	}
	p.trainBtn.Refresh()
	p.layersBtn.Refresh()
}

func (p *chartPanel) trainShown() bool  { return p.wide || !p.onLayers }
func (p *chartPanel) layersShown() bool { return p.wide || p.onLayers }

// Layout places the groups for the panel's width.
func (p *chartPanel) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	wide := size.Width >= wideWidth
	pad := theme.Padding()
	visibility := func(o fyne.CanvasObject, on bool) {
		if on && !o.Visible() {
			o.Show()
		} else if !on && o.Visible() {
			o.Hide()
		}
	}
	if wide {
		visibility(p.tabs, false)
		visibility(p.train, true)
		visibility(p.layers, true)
		tw := float32(math.Round(float64(size.Width-pad) * 0.56))
		p.train.Move(fyne.NewPos(0, 0))
		p.train.Resize(fyne.NewSize(tw, size.Height))
		p.layers.Move(fyne.NewPos(tw+pad, 0))
		p.layers.Resize(fyne.NewSize(size.Width-tw-pad, size.Height))
	} else {
		visibility(p.tabs, true)
		visibility(p.train, !p.onLayers)
		visibility(p.layers, p.onLayers)
		th := p.tabs.MinSize().Height
		p.tabs.Move(fyne.NewPos(0, 0))
		p.tabs.Resize(fyne.NewSize(size.Width, th))
		for _, o := range []fyne.CanvasObject{p.train, p.layers} {
			o.Move(fyne.NewPos(0, th+pad))
			o.Resize(fyne.NewSize(size.Width, max(0, size.Height-th-pad)))
		}
	}
	if wide != p.wide {
		p.wide = wide
		if p.changed != nil {
			p.changed()
		}
	}
}

// MinSize is what the narrow mode needs.
func (p *chartPanel) MinSize([]fyne.CanvasObject) fyne.Size {
	t, a, b := p.tabs.MinSize(), p.train.MinSize(), p.layers.MinSize()
	return fyne.NewSize(max(t.Width, a.Width, b.Width), t.Height+theme.Padding()+max(a.Height, b.Height))
}

// splitLayout stacks two objects, the first taking frac of the height.
type splitLayout struct{ frac float32 }

// Layout shares the height.
func (l *splitLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	h0 := float32(math.Round(float64((size.Height - pad) * l.frac)))
	h0 = max(h0, objs[0].MinSize().Height)
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, h0))
	objs[1].Move(fyne.NewPos(0, h0+pad))
	objs[1].Resize(fyne.NewSize(size.Width, max(0, size.Height-h0-pad)))
}

// MinSize stacks the two minimums.
func (l *splitLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	a, b := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(max(a.Width, b.Width), a.Height+theme.Padding()+b.Height)
}

// cellChartHeight is the smallest height of a layer's histogram: below it
// the ridges and the axis labels crowd into a smudge. Layers that do not fit
// at this height scroll.
const cellChartHeight = 190

// cellGrid lays out the layers' cells in the number of columns that gives
// each the largest chart of a pleasant shape, none smaller than its
// minimum. Its minimum height is that of one column, so that in a narrow
// panel the cells scroll rather than shrink; in a wide one they share the
// columns.
type cellGrid struct{}

// Layout picks the columns and places the cells row by row.
func (g *cellGrid) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	n := len(objs)
	if n == 0 {
		return
	}
	minCell := g.cellMin(objs)
	cols := gridColumns(n, size)
	// No narrower than a cell's minimum.
	for cols > 1 && size.Width/float32(cols) < minCell.Width {
		cols--
	}
	rows := (n + cols - 1) / cols
	pad := theme.Padding()
	w := (size.Width - float32(cols-1)*pad) / float32(cols)
	h := max(minCell.Height, (size.Height-float32(rows-1)*pad)/float32(rows))
	for i, o := range objs {
		r, c := i/cols, i%cols
		o.Move(fyne.NewPos(float32(c)*(w+pad), float32(r)*(h+pad)))
		o.Resize(fyne.NewSize(w, h))
	}
}

// cellMin is the largest minimum of the cells.
func (g *cellGrid) cellMin(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

// gridColumns chooses the columns for n cells in size: the most even
// arrangement whose cells are closest to twice as wide as high.
func gridColumns(n int, size fyne.Size) int {
	best, bestScore := 1, -1.0
	for cols := 1; cols <= n; cols++ {
		rows := (n + cols - 1) / cols
		w := float64(size.Width) / float64(cols)
		h := float64(size.Height) / float64(rows)
		// The area of the largest 2:1 rectangle that fits in a cell.
		side := math.Min(w/2, h)
		score := side * side * 2
		if score > bestScore*1.05 {
			best, bestScore = cols, score
		}
	}
	return best
}

// MinSize is one column of cells at their minimum height.
func (g *cellGrid) MinSize(objs []fyne.CanvasObject) fyne.Size {
	c := g.cellMin(objs)
	n := float32(len(objs))
	if n == 0 {
		return fyne.Size{}
	}
	return fyne.NewSize(c.Width, n*c.Height+(n-1)*theme.Padding())
}
