// Package weights is the view of what the first layer learned: each
// first-layer unit's 784 incoming weights as a 28×28 image on a diverging
// scale, updated as the network trains, so that stroke detectors are seen
// growing out of noise. A click shows one unit large, with its activation
// on the digit on the pad.
package weights

import (
	"fmt"
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/chart"
	"github.com/mnistplayground/mnistplayground/ui/state"
	"github.com/mnistplayground/mnistplayground/ui/widgets"
)

// View shows the grid and the unit chosen.
type View struct {
	Grid, Unit *widgets.ChartView
	// About says which unit is chosen and how it answers the drawing.
	About   *widget.Label
	content fyne.CanvasObject

	model    *engine.Model
	selected int
	explain  *engine.Explanation
	changed  func()
}

// New builds the view; changed is called when a unit is chosen, so that
// the charts are drawn again.
func New(kit *widgets.Kit, changed func()) *View {
	v := &View{Grid: kit.Chart(16, 12), Unit: kit.Chart(8, 8), About: widget.NewLabel(""), selected: -1, changed: changed}
	v.About.Wrapping = fyne.TextWrapWord
	v.Grid.OnTapped = v.tapped
	title := widgets.Title("First-layer weights")
	side := container.NewBorder(nil, v.About, nil, nil, v.Unit)
	v.content = container.NewBorder(
		container.NewVBox(title, widgets.Caption("Each square is one unit of the first layer: its 784 incoming weights laid out as the 28×28 image they multiply. Red weights make ink there raise the unit's input, blue lower it; white is zero. Click a unit.")),
		nil, nil, nil,
		widgets.Beside(0.68, v.Grid, side))
	v.describe()
	return v
}

// Content is the view's widgets.
func (v *View) Content() fyne.CanvasObject { return v.content }

// Update takes the workspace's network.
func (v *View) Update(ws *state.Workspace) {
	if ws.Model != v.model {
		v.model = ws.Model
		if v.model != nil && v.selected >= v.model.Layers[0].Out {
			v.selected = -1
		}
		v.describe()
	}
}

// Show takes a new answer of the pad, for the chosen unit's activation.
func (v *View) Show(e *engine.Explanation) {
	v.explain = e
	v.describe()
}

// tapped chooses the unit under a tap.
func (v *View) tapped(x, y float64) {
	if v.model == nil {
		return
	}
	w, h := v.Grid.Pixels()
	if i, ok := chart.LayoutGrid(v.model.Layers[0].Out, w, h, 0).At(x, y); ok {
		v.selected = i
		v.describe()
		if v.changed != nil {
			v.changed()
		}
	}
}

// Select chooses unit i.
func (v *View) Select(i int) {
	v.selected = i
	v.describe()
}

// describe writes what the chosen unit does with the drawing.
func (v *View) describe() {
	switch {
	case v.model == nil || v.selected < 0:
		v.About.SetText("Click a unit to see its weights large.")
	case v.explain != nil && len(v.explain.Hidden) > 0 && v.selected < len(v.explain.Hidden[0]):
		v.About.SetText(fmt.Sprintf("Unit %d of %d. On the digit on the pad its output is %.3f (%s).", v.selected+1, v.model.Layers[0].Out, v.explain.Hidden[0][v.selected], v.model.Layers[0].Act))
	default:
		v.About.SetText(fmt.Sprintf("Unit %d of %d. Draw a digit to see its output on it.", v.selected+1, v.model.Layers[0].Out))
	}
}

type gridKey struct {
	m        *engine.Model
	selected int
}

// Charts are the grid and the chosen unit.
func (v *View) Charts() []widgets.Spec {
	m, sel := v.model, v.selected
	if m != nil && len(m.Layers) == 1 {
		// Without a hidden layer the first layer is the output: ten
		// templates, one per digit.
		sel = min(sel, m.Layers[0].Out-1)
	}
	return []widgets.Spec{
		v.Grid.Spec(gridKey{m, sel}, func(w, h int, st chart.Style) (image.Image, error) { return chart.WeightGrid(m, sel, w, h, st) }),
		v.Unit.Spec(gridKey{m, sel}, func(w, h int, st chart.Style) (image.Image, error) { return chart.UnitWeights(m, sel, w, h, st) }),
	}
}
