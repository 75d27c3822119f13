// Package flow is the view of the gradient's flow through the layers over
// the run: each layer's ‖∂L/∂W‖ on a log axis, one line per layer, and the
// share of each hidden layer's outputs that pass no gradient. Five sigmoid
// layers show a fan of lines, the input layer's lowest: the vanishing
// gradient; ReLU keeps them together.
package flow

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/chart"
	"github.com/mnistplayground/mnistplayground/ui/state"
	"github.com/mnistplayground/mnistplayground/ui/widgets"
)

// View shows the two charts.
type View struct {
	Gradients, Saturation *widgets.ChartView
	content               fyne.CanvasObject
	layers                []engine.LayerStats
	spe                   int
	gen                   int
}

// New builds the view.
func New(kit *widgets.Kit) *View {
	v := &View{Gradients: kit.Chart(16, 12), Saturation: kit.Chart(16, 9), gen: -1}
	title := widgets.Title("Gradient flow")
	caption := widgets.Caption("Each layer's ‖∂L/∂W‖ as training goes on, measured every fourth step. With sigmoid hidden layers the gradient shrinks at each layer on its way back to the input (sigmoid′ is at most 0.25), so the lines fan out with the input layer lowest: the vanishing gradient. With ReLU they stay together. Below, the share of each hidden layer's outputs where the activation is flat and passes no gradient.")
	v.content = container.NewBorder(title, caption, nil, nil, container.NewGridWithRows(2, v.Gradients, v.Saturation))
	return v
}

// Content is the view's widgets.
func (v *View) Content() fyne.CanvasObject { return v.content }

// Update takes the workspace's layers.
func (v *View) Update(ws *state.Workspace) {
	if ws.Gen() != v.gen {
		v.gen = ws.Gen()
		v.Gradients.Restart()
		v.Saturation.Restart()
	}
	v.layers, v.spe = ws.Layers(), 0
	if ws.Last != nil {
		v.spe = ws.Last.StepsPerEpoch
	}
}

type key struct {
	first *engine.LayerStats
	n     int
}

// Charts are the view's charts as they stand.
func (v *View) Charts() []widgets.Spec {
	layers, spe := v.layers, v.spe
	k := key{n: len(layers)}
	if len(layers) > 0 {
		k.first = &layers[0]
	}
	return []widgets.Spec{
		v.Gradients.Spec(k, func(w, h int, st chart.Style) (image.Image, error) { return chart.GradientFlow(layers, spe, w, h, st) }),
		v.Saturation.Spec(k, func(w, h int, st chart.Style) (image.Image, error) { return chart.Saturation(layers, spe, w, h, st) }),
	}
}
