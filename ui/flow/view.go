// Package flow is the view of the gradient's flow through the layers over
// the run: each layer's ‖∂L/∂W‖ on a log axis, one line per layer, and the
// share of each hidden layer's outputs that pass no gradient. Five sigmoid
// layers show a fan of lines, the input layer's lowest: the vanishing
// gradient; ReLU keeps them together. While kept runs are shown, the
// gradients of every run are drawn as bands, one colour per run.
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
	// runs are the shown kept runs and the current one, whose gradients
	// the upper chart compares; none when no kept run is shown.
	runs []chart.Run
}

// New builds the view.
func New(kit *widgets.Kit) *View {
	v := &View{Gradients: kit.Chart(16, 12), Saturation: kit.Chart(16, 9), gen: -1}
	title := widgets.Title("Gradient flow")
	caption := widgets.Caption("Each layer's ‖∂L/∂W‖ as training goes on, measured every fourth step. With sigmoid hidden layers the gradient shrinks at each layer on its way back to the input (sigmoid′ is at most 0.25), so the lines fan out with the input layer lowest: the vanishing gradient. With ReLU they stay together. With kept runs shown, each run is a band in its colour from its smallest to its largest layer's gradient, its first layer solid and its output dashed: a wide band is a vanishing gradient. Below, the current run's share of each hidden layer's outputs where the activation is flat and passes no gradient.")
	v.content = container.NewBorder(title, caption, nil, nil, container.NewGridWithRows(2, v.Gradients, v.Saturation))
	return v
}

// Content is the view's widgets.
func (v *View) Content() fyne.CanvasObject { return v.content }

// Update takes the workspace's layers and the runs to compare.
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
	v.runs = widgets.CompareRuns(ws)
}

type key struct {
	first *engine.LayerStats
	n     int
}

// CompareKey is the key of the gradient chart while it compares runs: the
// current layers and what RunsKey says of the runs.
type CompareKey struct {
	key
	runs string
}

// GradientChart is the gradient chart as the view shows it, for an export:
// the comparison while kept runs are shown.
func (v *View) GradientChart() chart.Chart {
	if v.runs != nil {
		return chart.GradientFlowRunsChart(v.runs)
	}
	return chart.GradientFlowChart(v.layers, v.spe)
}

// SaturationChart is the saturation chart as the view shows it, for an
// export: the current run's, titled so while the chart above compares runs.
func (v *View) SaturationChart() chart.Chart {
	if v.runs != nil {
		return chart.CurrentSaturationChart(v.layers, v.spe)
	}
	return chart.SaturationChart(v.layers, v.spe)
}

// Charts are the view's charts as they stand.
func (v *View) Charts() []widgets.Spec {
	k := key{n: len(v.layers)}
	if len(v.layers) > 0 {
		k.first = &v.layers[0]
	}
	grad, sat := v.GradientChart(), v.SaturationChart()
	var gradKey, satKey any = k, k
	if v.runs != nil {
		gradKey, satKey = CompareKey{k, chart.RunsKey(v.runs)}, CompareKey{key: k}
	}
	return []widgets.Spec{
		v.Gradients.Spec(gradKey, func(w, h int, st chart.Style) (image.Image, error) { return chart.Render(grad, w, h, st) }),
		v.Saturation.Spec(satKey, func(w, h int, st chart.Style) (image.Image, error) { return chart.Render(sat, w, h, st) }),
	}
}
