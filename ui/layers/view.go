package layers

import (
	"image"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/chart"
	"github.com/mnistplayground/mnistplayground/ui/state"
	"github.com/mnistplayground/mnistplayground/ui/widgets"
)

// Cell is one layer's histogram with its gradient and saturation line.
type Cell struct {
	Chart *widgets.ChartView
	// Outputs is the histogram of the layer's outputs on the latest batch.
	Outputs *widgets.ChartView
	acts    engine.Histogram
	Stats   *widget.Label
	rec     *chart.HistoryRecorder
	adds    int // histograms recorded: what the chart shows changes with it
	title   string
	cell    fyne.CanvasObject
}

// View shows one cell per layer.
type View struct {
	kit     *widgets.Kit
	Cells   []*Cell
	grid    *fyne.Container
	content fyne.CanvasObject
	gen     int
	// seen is the statistics last recorded, so that the same snapshot
	// shown again (the window updates for other reasons too) adds nothing.
	seen *engine.LayerStats
}

// New builds the view, empty until its first Update.
func New(kit *widgets.Kit) *View {
	v := &View{kit: kit, gen: -1}
	v.grid = container.New(&cellGrid{})
	caption := widgets.Caption("‖∂L/∂W‖ is the size of a layer's weight gradient. Off (ReLU) is the share of its outputs at zero on the latest batch, saturated (sigmoid, tanh) the share in a flat tail: no gradient flows back through them. About half of a ReLU layer's outputs are off on any input; nearly all off is a problem. In a deep sigmoid network gradients shrink towards the input: the vanishing gradient.")
	title := widgets.Title("Layers")
	v.content = container.NewBorder(title, nil, nil, nil,
		container.NewVScroll(container.NewVBox(v.grid, caption)))
	return v
}

// Content is the view's widgets.
func (v *View) Content() fyne.CanvasObject { return v.content }

// cells makes one cell per layer of the workspace's layer statistics, with
// empty histories: a new network starts its charts afresh.
func (v *View) cells(stats []engine.LayerStats) {
	v.Cells = v.Cells[:0]
	objs := make([]fyne.CanvasObject, 0, len(stats))
	for i, st := range stats {
		c := &Cell{
			Chart:   v.kit.Chart(12, 8),
			Outputs: v.kit.Chart(8, 8),
			Stats:   widgets.Caption("no gradient yet"),
			rec:     chart.NewHistoryRecorder(chart.DefaultHistoryLen),
			title:   layerTitle(i, st, i == len(stats)-1),
		}
		c.cell = container.NewBorder(nil, c.Stats, nil, nil, widgets.Beside(0.62, c.Chart, c.Outputs))
		v.Cells = append(v.Cells, c)
		objs = append(objs, c.cell)
	}
	v.grid.Objects = objs
	v.grid.Refresh()
}

// Update records the workspace's layers: the histories grow and the
// statistics lines change. The layers come from the latest snapshot, or
// from the weights alone for a network that has not trained in the window,
// so that an opened model shows its weights at once.
func (v *View) Update(ws *state.Workspace) {
	stats := ws.Layers()
	if ws.Gen() != v.gen || len(stats) != len(v.Cells) {
		v.gen = ws.Gen()
		v.cells(stats)
		v.seen = nil
	}
	if len(stats) == 0 || &stats[0] == v.seen {
		return
	}
	v.seen = &stats[0]
	step := ws.Step()
	var top float64
	for _, l := range stats {
		top = math.Max(top, l.GradNorm)
	}
	for i, l := range stats {
		c := v.Cells[i]
		c.rec.Add(step, l.Weights)
		c.adds++
		c.acts = l.Activations
		// A session's first snapshot, of a continued run or of a Step, has
		// measured no step yet: no layer has a gradient, and zeros would
		// read as a network that stopped learning.
		if step == 0 || top == 0 {
			continue
		}
		output := i == len(stats)-1
		text := layerText(l, output)
		imp := widget.MediumImportance
		// A layer that gets a hundredth of the strongest layer's gradient,
		// or whose outputs are mostly flat, is the thing to point at.
		limit, warns := flatWarning(l.Act)
		if l.GradNorm < top/100 || (!output && warns && l.Saturated > limit) {
			imp = widget.WarningImportance
		}
		if c.Stats.Text != text || c.Stats.Importance != imp {
			c.Stats.Importance = imp
			c.Stats.SetText(text)
		}
	}
}

type cellKey struct {
	rec   *chart.HistoryRecorder
	adds  int
	title string
}

// Charts are the layers' histograms as they stand.
func (v *View) Charts() []widgets.Spec {
	specs := make([]widgets.Spec, 0, len(v.Cells))
	for _, c := range v.Cells {
		rec, title, acts := c.rec, c.title, c.acts
		key := cellKey{rec, c.adds, title}
		specs = append(specs, c.Chart.Spec(key, func(w, h int, st chart.Style) (image.Image, error) {
			return chart.Histogram(title, rec.Entries(), w, h, st)
		}), c.Outputs.Spec(key, func(w, h int, st chart.Style) (image.Image, error) {
			return chart.Activations("outputs, latest batch", acts, w, h, st)
		}))
	}
	return specs
}

// History is how many histograms the cell's ridge plot holds.
func (c *Cell) History() int { return c.rec.Len() }
