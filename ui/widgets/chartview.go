package widgets

import (
	"image"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/ui/chart"
)

var (
	_ fyne.Widget       = (*ChartView)(nil)
	_ fyne.Tappable     = (*ChartView)(nil)
	_ desktop.Hoverable = (*ChartView)(nil)
)

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
	scale            func() float32
	gen              int

	// OnTapped, when set, gets a tap at (x, y) in the image's pixels, the
	// chart's own coordinates.
	OnTapped func(x, y float64)
	// OnHover, when set, gets the pointer's position in the image's pixels
	// as it moves over the chart, and ok false when it leaves.
	OnHover func(x, y float64, ok bool)
}

// toPixels converts a position on the view to the image's pixels.
func (v *ChartView) toPixels(p fyne.Position) (float64, float64) {
	scale := v.scale()
	return float64(p.X * scale), float64(p.Y * scale)
}

// Tapped hands a tap to OnTapped.
func (v *ChartView) Tapped(e *fyne.PointEvent) {
	if v.OnTapped != nil {
		v.OnTapped(v.toPixels(e.Position))
	}
}

// MouseIn follows the pointer onto the chart.
func (v *ChartView) MouseIn(e *desktop.MouseEvent) { v.MouseMoved(e) }

// MouseMoved hands the pointer's position to OnHover.
func (v *ChartView) MouseMoved(e *desktop.MouseEvent) {
	if v.OnHover != nil {
		x, y := v.toPixels(e.Position)
		v.OnHover(x, y, true)
	}
}

// MouseOut says the pointer has left.
func (v *ChartView) MouseOut() {
	if v.OnHover != nil {
		v.OnHover(0, 0, false)
	}
}

func newChartView(minEms, minLines float32, changed func(), scale func() float32) *ChartView {
	v := &ChartView{minEms: minEms, minLines: minLines, changed: changed, scale: scale, image: &canvas.Image{FillMode: canvas.ImageFillStretch}}
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

// SetMinLines changes the view's minimum height, in lines of the theme's
// text.
func (v *ChartView) SetMinLines(n float32) {
	if v.minLines != n {
		v.minLines = n
		v.Refresh()
	}
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

// Pixels returns the view's size in device pixels at the window's scale,
// or zero when it is hidden or has no area. The scale is the window's, not
// that of the canvas the view is on: a view in a panel just shown is not on
// the canvas until its next frame, and must be drawn for that frame.
func (v *ChartView) Pixels() (w, h int) {
	s := v.Size()
	if s.Width < 1 || s.Height < 1 || !v.Visible() {
		return 0, 0
	}
	scale := v.scale()
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
