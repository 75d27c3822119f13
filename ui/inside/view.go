// Package inside is the view of forward propagation for the digit on the
// pad: what each hidden layer makes of it, the output scores, the softmax
// computed naively and stably (with the scores scaled up until the naive
// one overflows), and the saliency map: which pixels raise and which lower
// the winning score.
package inside

import (
	"fmt"
	"image"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/chart"
	"github.com/mnistplayground/mnistplayground/ui/state"
	"github.com/mnistplayground/mnistplayground/ui/widgets"
)

// MaxScale is the most the scores can be multiplied by: enough for a
// confident network's winning score to pass the 88.7 at which a float32
// exp overflows.
const MaxScale = 100

// View shows the explanation of the latest answer.
type View struct {
	Saliency *widgets.ChartView
	Forward  *widgets.ChartView
	// Pixel says the value of the input pixel under the pointer, as 0..255
	// and as the 0..1 the network reads.
	Pixel *widget.Label
	Scale *widgets.Slider
	// ScaleText says what the scores are multiplied by.
	ScaleText *widget.Label
	// Table is the softmax table: a row per digit of its score, e^score,
	// e^(score − max), and the naive and stable probabilities.
	Table   [][]*widget.Label
	Warning *widget.Label
	content fyne.CanvasObject

	explain *engine.Explanation
	arch    engine.Architecture
	// OnScale is called with the new multiplier of the scores.
	OnScale func(float64)
}

// columns of the softmax table.
var columns = []string{"digit", "score", "e^score", "e^(s−max)", "naive p", "stable p"}

// New builds the view.
func New(kit *widgets.Kit) *View {
	v := &View{Saliency: kit.Chart(10, 8), Forward: kit.Chart(16, 10), Pixel: widgets.Quiet("point at the input to read its pixels"), ScaleText: widget.NewLabel("")}
	v.Saliency.OnHover = v.hover
	v.Scale = kit.Slider(0, math.Log10(MaxScale), 0.01, func(e float64) {
		s := math.Round(math.Pow(10, e))
		v.ScaleText.SetText(fmt.Sprintf("scores × %g", s))
		if v.OnScale != nil {
			v.OnScale(s)
		}
	})
	v.ScaleText.SetText("scores × 1")
	grid := container.NewGridWithColumns(len(columns))
	// The table's text is the theme's caption size: six columns of
	// numbers fit the drawing column beside the charts that way.
	for _, c := range columns {
		l := widget.NewLabel(c)
		l.TextStyle = fyne.TextStyle{Bold: true}
		l.SizeName = theme.SizeNameCaptionText
		l.Alignment = fyne.TextAlignTrailing
		grid.Add(l)
	}
	for range engine.NumClasses {
		row := make([]*widget.Label, len(columns))
		for j := range row {
			row[j] = widget.NewLabel("")
			row[j].Alignment = fyne.TextAlignTrailing
			row[j].SizeName = theme.SizeNameCaptionText
			grid.Add(row[j])
		}
		v.Table = append(v.Table, row)
	}
	v.Warning = widget.NewLabel("")
	v.Warning.Wrapping = fyne.TextWrapWord
	v.Warning.Importance = widget.WarningImportance
	title := widgets.Title("Inside the network")
	left := container.NewBorder(widgets.Caption("Saliency: red pixels raise the winning score, blue lower it."), v.Pixel, nil, nil, v.Saliency)
	softmax := container.NewVBox(
		widgets.Heading("Softmax without overflow", nil),
		widgets.Caption("A naive softmax computes e^score, which overflows a float32 to +Inf once a score passes 88.7; the probabilities then become NaN. Subtracting the largest score first keeps every e^ at most 1 and gives the same probabilities."),
		container.NewBorder(nil, nil, v.ScaleText, nil, v.Scale),
		grid, v.Warning)
	top := container.NewGridWithColumns(2, left, v.Forward)
	v.content = container.NewBorder(title, nil, nil, nil, container.NewVBox(
		container.New(&minHeight{lines: 16}, top), softmax))
	return v
}

// Content is the view's widgets.
func (v *View) Content() fyne.CanvasObject { return v.content }

// Update takes the network's architecture, to name its layers.
func (v *View) Update(ws *state.Workspace) { v.arch = ws.Net.Arch() }

// Show takes the explanation of the pad's latest answer (nil for none).
func (v *View) Show(e *engine.Explanation) {
	v.explain = e
	for i, row := range v.Table {
		for j := range row {
			row[j].SetText("")
		}
		if e == nil || i >= len(e.Scores) {
			continue
		}
		row[0].SetText(fmt.Sprint(i))
		row[1].SetText(fmt.Sprintf("%.3f", e.Scores[i]))
		row[2].SetText(sci(e.Exp[i]))
		row[3].SetText(sci(e.ShiftedExp[i]))
		row[4].SetText(prob(e.NaiveProbabilities[i]))
		row[5].SetText(prob(e.Probabilities[i]))
		imp := widget.MediumImportance
		if i == e.Digit {
			imp = widget.HighImportance
		}
		for _, l := range row {
			if l.Importance != imp {
				l.Importance = imp
				l.Refresh()
			}
		}
	}
	v.Warning.SetText(warning(e))
}

// warning says what went wrong with the naive softmax, if anything.
func warning(e *engine.Explanation) string {
	if e == nil {
		return ""
	}
	for _, x := range e.Exp {
		if math.IsInf(float64(x), 1) {
			return "e^score overflowed to +Inf: the naive softmax gives NaN (∞/∞), the stable one the same probabilities as ever."
		}
	}
	return ""
}

// sci writes an exponential in one notation for the whole column.
func sci(x float32) string {
	if math.IsInf(float64(x), 1) {
		return "+Inf"
	}
	return fmt.Sprintf("%.3e", x)
}

// prob writes a probability in one notation for the whole column.
func prob(x float32) string {
	if math.IsNaN(float64(x)) {
		return "NaN"
	}
	return fmt.Sprintf("%.4f", x)
}

// hover says the value of the pixel under the pointer: the normalisation
// from 0..255 to 0..1 made visible.
func (v *View) hover(x, y float64, ok bool) {
	e := v.explain
	w, h := v.Saliency.Pixels()
	side := math.Min(float64(w), float64(h))
	x0, y0 := (float64(w)-side)/2, (float64(h)-side)/2
	col, row := int((x-x0)/side*28), int((y-y0)/side*28)
	if !ok || e == nil || side <= 0 || col < 0 || row < 0 || col >= 28 || row >= 28 {
		v.Pixel.SetText("point at the input to read its pixels")
		return
	}
	in := e.Input[row*28+col]
	v.Pixel.SetText(fmt.Sprintf("pixel (%d, %d): %d of 255 → %.3f to the network · saliency %+.2g", row, col, int(math.Round(float64(in)*255)), in, e.Saliency[row*28+col]))
}

// Charts are the saliency map and the forward pass of the latest answer.
func (v *View) Charts() []widgets.Spec {
	e, arch := v.explain, v.arch
	return []widgets.Spec{
		v.Saliency.Spec(e, func(w, h int, st chart.Style) (image.Image, error) {
			if e == nil {
				return chart.Saliency(nil, nil, w, h, st)
			}
			return chart.Saliency(e.Input, e.Saliency, w, h, st)
		}),
		v.Forward.Spec(e, func(w, h int, st chart.Style) (image.Image, error) {
			if e == nil {
				return chart.Forward(nil, w, h, st)
			}
			return chart.Forward(chart.ForwardLayers(*e, arch), w, h, st)
		}),
	}
}

// minHeight gives its objects a minimum height of some lines of text.
type minHeight struct{ lines float32 }

// Layout fills the space with each object.
func (m *minHeight) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(size)
	}
}

// MinSize is the objects' minimum, at least lines high.
func (m *minHeight) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := fyne.NewSize(0, widgets.Lines(m.lines))
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}
