package widgets

import (
	"image"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/ui/chart"
)

var _ fyne.Widget = (*ChartView)(nil)

// ChartView shows one chart image. The image is drawn elsewhere, by the
// shell's render worker, at the view's size in device pixels and swapped in
// whole; the view only says when its size or the theme has changed, so
// that a new one is drawn.
type ChartView struct {
	widget.BaseWidget

	image *canvas.Image
	// The minimum size in multiples of the theme's text size and line
	// height, so that it grows with a larger theme.
	minEms, minLines float32
	changed          func()
	gen              int
}

func newChartView(minEms, minLines float32, changed func()) *ChartView {
	v := &ChartView{minEms: minEms, minLines: minLines, changed: changed, image: &canvas.Image{FillMode: canvas.ImageFillStretch}}
	v.ExtendBaseWidget(v)
	return v
}

// Spec is one chart to draw: where it goes, what it shows and how to draw
// it. The render worker draws it off the UI goroutine, at its target's
// size in device pixels and in the window's style, unless it drew the same
// key at the same size and style last time.
type Spec struct {
	Target *ChartView
	// Gen is the target's generation when the spec was made: an image
	// drawn for an older one is dropped (see Restart).
	Gen int
	// Key says what the image shows; it must be comparable (pointers,
	// numbers, strings and structs of them).
	Key any
	// Draw makes the image. It runs on the render worker's goroutine, so
	// it reads nothing that the UI goroutine changes.
	Draw func(width, height int, st chart.Style) (image.Image, error)
}

// Spec returns a spec for this view.
func (v *ChartView) Spec(key any, draw func(width, height int, st chart.Style) (image.Image, error)) Spec {
	return Spec{Target: v, Gen: v.gen, Key: key, Draw: draw}
}

// Restart starts a new generation: images drawn for the old one, which may
// still be on their way, are no longer shown.
func (v *ChartView) Restart() { v.gen++ }

// Put shows img if it was drawn for the view's current generation. The
// old image may still be being drawn by the GPU's texture upload, so it is
// replaced, never changed.
func (v *ChartView) Put(img image.Image, gen int) {
	if gen != v.gen || img == nil {
		return
	}
	v.image.Image = img
	v.image.Refresh()
}

// Image is the image shown, nil before the first.
func (v *ChartView) Image() image.Image { return v.image.Image }

// Pixels returns the view's size in device pixels, or zero when it is not
// on a canvas, not shown, or has no area.
func (v *ChartView) Pixels() (w, h int) {
	s := v.Size()
	if s.Width < 1 || s.Height < 1 || !v.Visible() {
		return 0, 0
	}
	c := fyne.CurrentApp().Driver().CanvasForObject(v)
	if c == nil {
		return 0, 0
	}
	scale := c.Scale()
	return int(math.Round(float64(s.Width * scale))), int(math.Round(float64(s.Height * scale)))
}

// CreateRenderer links the view to its renderer.
func (v *ChartView) CreateRenderer() fyne.WidgetRenderer {
	return &chartViewRenderer{view: v}
}

type chartViewRenderer struct {
	view *ChartView
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

func (r *chartViewRenderer) MinSize() fyne.Size {
	return fyne.NewSize(Ems(r.view.minEms), Lines(r.view.minLines))
}

func (r *chartViewRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.view.image}
}

// Refresh comes with a theme change among other things; the shell decides
// whether anything needs drawing again.
func (r *chartViewRenderer) Refresh() {
	if r.view.changed != nil {
		r.view.changed()
	}
}
