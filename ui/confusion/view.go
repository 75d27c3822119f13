// Package confusion is the view of where the network is wrong: the
// confusion matrix of the latest test measurement (or of an opened model),
// and for a cell clicked, a gallery of the test images it counts, each of
// which can be put on the pad to be examined like a drawn digit.
package confusion

import (
	"cmp"
	"fmt"
	"image"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/chart"
	"github.com/mnistplayground/mnistplayground/ui/state"
	"github.com/mnistplayground/mnistplayground/ui/widgets"
)

// MaxGallery is how many images a cell's gallery shows: the most confident
// mistakes first.
const MaxGallery = 60

// View shows the matrix and the gallery.
type View struct {
	Matrix, Gallery *widgets.ChartView
	About           *widget.Label
	content         fyne.CanvasObject

	conf    [][]int
	wrong   []engine.Misclassification
	what    string
	test    *engine.Dataset
	cell    [2]int
	shown   []engine.Misclassification // the gallery's images
	picked  int
	changed func()
	// OnPick is called with a test image chosen in the gallery: its index,
	// its 784 inputs in 0..1 and a note that says what it is.
	OnPick func(index int, x []float32, note string)
}

// New builds the view; changed is called when a cell or image is chosen.
func New(kit *widgets.Kit, changed func()) *View {
	v := &View{Matrix: kit.Chart(14, 12), Gallery: kit.Chart(14, 8), About: widget.NewLabel(""), cell: [2]int{-1, -1}, picked: -1, changed: changed}
	v.About.Wrapping = fyne.TextWrapWord
	v.Matrix.OnTapped = v.tappedMatrix
	v.Gallery.OnTapped = v.tappedGallery
	title := widgets.Title("Where the network is wrong")
	v.content = container.NewBorder(title, v.About, nil, nil, container.NewGridWithRows(2, v.Matrix, v.Gallery))
	v.describe()
	return v
}

// Content is the view's widgets.
func (v *View) Content() fyne.CanvasObject { return v.content }

// SetTestSet gives the view the test images the matrix counts.
func (v *View) SetTestSet(ds *engine.Dataset) { v.test = ds }

// Update takes the workspace's latest test measurement.
func (v *View) Update(ws *state.Workspace) {
	conf, wrong, what := ws.Confusion()
	if len(conf) == len(v.conf) && (len(conf) == 0 || &conf[0] == &v.conf[0]) && what == v.what {
		return // the same measurement: nothing to redo at every snapshot
	}
	v.conf, v.wrong, v.what = conf, wrong, what
	v.gallery()
	v.describe()
}

// tappedMatrix chooses the cell under a tap.
func (v *View) tappedMatrix(x, y float64) {
	k := len(v.conf)
	if k == 0 {
		return
	}
	w, h := v.Matrix.Pixels()
	if i, ok := chart.ConfusionGrid(k, w, h).At(x, y); ok {
		v.Select(i/k, i%k)
	}
}

// Select chooses the cell of true label and predicted digit.
func (v *View) Select(label, predicted int) {
	v.cell, v.picked = [2]int{label, predicted}, -1
	v.gallery()
	v.describe()
	if v.changed != nil {
		v.changed()
	}
}

// tappedGallery puts the image under a tap on the pad.
func (v *View) tappedGallery(x, y float64) {
	w, h := v.Gallery.Pixels()
	// The caption's height, in the style the shell draws with (see
	// chartStyle): the theme's text size a tenth larger, at the window's
	// scale, which Pixels over the size in points gives.
	pw, _ := v.Gallery.Pixels()
	st := chart.Style{TextSize: float64(theme.TextSize()) * 1.1, Scale: float64(pw) / float64(max(v.Gallery.Size().Width, 1))}
	if i, ok := chart.LayoutGrid(len(v.shown), w, h, chart.DigitCaption(st)).At(x, y); ok {
		v.Pick(i)
	}
}

// Pick puts gallery image i on the pad.
func (v *View) Pick(i int) {
	if i < 0 || i >= len(v.shown) || v.test == nil {
		return
	}
	v.picked = i
	m := v.shown[i]
	img := v.test.Image(m.Index)
	x := make([]float32, len(img))
	for j, p := range img {
		x[j] = float32(p) / 255
	}
	if v.OnPick != nil {
		v.OnPick(m.Index, x, fmt.Sprintf("test image %d: a %d, read as %d (%.0f%%)", m.Index, m.Label, m.Predicted, 100*m.Probability))
	}
	if v.changed != nil {
		v.changed()
	}
}

// Shown is the gallery's images.
func (v *View) Shown() []engine.Misclassification { return v.shown }

// gallery picks the images of the chosen cell, the most confident mistakes
// first.
func (v *View) gallery() {
	v.shown = nil
	l, p := v.cell[0], v.cell[1]
	if l < 0 || l == p {
		return
	}
	for _, m := range v.wrong {
		if m.Label == l && m.Predicted == p {
			v.shown = append(v.shown, m)
		}
	}
	slices.SortStableFunc(v.shown, func(a, b engine.Misclassification) int { return cmp.Compare(b.Probability, a.Probability) })
	v.shown = v.shown[:min(len(v.shown), MaxGallery)]
}

// describe says what the view shows.
func (v *View) describe() {
	if text := v.description(); text != v.About.Text {
		v.About.SetText(text)
	}
}

// description is what describe says.
func (v *View) description() string {
	l, p := v.cell[0], v.cell[1]
	switch {
	case len(v.conf) == 0:
		return "The confusion matrix appears at the first epoch's end, or when a model is opened."
	case l < 0:
		return v.what + ". Rows are the true digits, columns what the network read. Click a cell to see its images."
	case l == p:
		return fmt.Sprintf("%s: %d images of a %d read right. Click a cell off the diagonal to see mistakes.", v.what, v.conf[l][p], l)
	default:
		more := ""
		if n := v.conf[l][p]; n > len(v.shown) {
			more = fmt.Sprintf(" (the %d most confident shown)", len(v.shown))
		}
		return fmt.Sprintf("%s: %d images of a %d read as %d%s. Click one to put it on the pad.", v.what, v.conf[l][p], l, p, more)
	}
}

type matrixKey struct {
	conf *[]int
	cell [2]int
}

type galleryKey struct {
	first  *engine.Misclassification
	n      int
	picked int
}

// Charts are the matrix and the gallery.
func (v *View) Charts() []widgets.Spec {
	conf, cell := v.conf, v.cell
	mk := matrixKey{cell: cell}
	if len(conf) > 0 {
		mk.conf = &conf[0]
	}
	shown, picked, test := v.shown, v.picked, v.test
	gk := galleryKey{n: len(shown), picked: picked}
	if len(shown) > 0 {
		gk.first = &shown[0]
	}
	return []widgets.Spec{
		v.Matrix.Spec(mk, func(w, h int, st chart.Style) (image.Image, error) { return chart.Confusion(conf, cell, w, h, st) }),
		v.Gallery.Spec(gk, func(w, h int, st chart.Style) (image.Image, error) {
			var cells []chart.DigitCell
			for _, m := range shown {
				if test != nil {
					cells = append(cells, chart.DigitCell{Pixels: test.Image(m.Index), Caption: fmt.Sprintf("%d→%d %.0f%%", m.Label, m.Predicted, 100*m.Probability)})
				}
			}
			empty := "click a cell off the diagonal to see its images"
			if len(conf) == 0 {
				empty = ""
			}
			return chart.Digits(cells, picked, empty, w, h, st)
		}),
	}
}
