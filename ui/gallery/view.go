// Package gallery is the view of the activations: each of step, sigmoid,
// tanh, ReLU and identity with its derivative on [−6, 6], sampled from the
// very functions that train the network.
package gallery

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/chart"
	"github.com/mnistplayground/mnistplayground/ui/widgets"
)

// samples is how many points each curve is sampled at: a tenth of a unit
// apart over [−6, 6], fine enough for the step's jump to look like one.
const samples = 241

// words says what each activation means for learning, beside its graph.
var words = map[engine.Activation]string{
	engine.Step:     "Step: f′ = 0 everywhere (and undefined at 0). No gradient flows back through it, so a network of step units cannot learn by gradient descent.",
	engine.Sigmoid:  "Sigmoid: f′ is at most 0.25, at 0. Each sigmoid layer shrinks the gradient passing back to at most a quarter: deep sigmoid networks learn slowly near the input.",
	engine.Tanh:     "Tanh: f′ is at most 1, at 0, but vanishes in both tails: saturated units pass no gradient.",
	engine.ReLU:     "ReLU: f′ is 1 for x > 0 and 0 below. Gradients pass through active units unchanged; a unit that is never active is dead.",
	engine.Identity: "Identity: f′ = 1. Layers of identity units add up to one linear map: depth buys nothing.",
}

// View shows one chart and its words per activation.
type View struct {
	Curves  []*widgets.ChartView
	curves  []engine.ActivationCurve
	content fyne.CanvasObject
}

// New builds the view.
func New(kit *widgets.Kit) *View {
	v := &View{curves: engine.ActivationGallery(samples)}
	title := widgets.Title("Activations and their derivatives")
	cells := container.NewGridWrap(fyne.NewSize(widgets.Ems(20), widgets.Lines(14)))
	for _, c := range v.curves {
		cv := kit.Chart(18, 8)
		v.Curves = append(v.Curves, cv)
		cells.Add(container.NewBorder(nil, widgets.Caption(words[c.Act]), nil, nil, cv))
	}
	v.content = container.NewBorder(title, nil, nil, nil, container.NewVScroll(cells))
	return v
}

// Content is the view's widgets.
func (v *View) Content() fyne.CanvasObject { return v.content }

// Charts are the curves; they never change but with the size and theme.
func (v *View) Charts() []widgets.Spec {
	specs := make([]widgets.Spec, len(v.curves))
	for i, c := range v.curves {
		specs[i] = v.Curves[i].Spec(c.Act, func(w, h int, st chart.Style) (image.Image, error) { return chart.Activation(c, false, w, h, st) })
	}
	return specs
}
