package drawpad

import (
	"image"
	"image/draw"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

var _ fyne.Widget = (*Preview)(nil)

// previewMinSide is the smallest side of the enlarged image: four screen
// pixels per input pixel, enough to see single pixels from the back of a
// room. The preview grows with the window's height.
const previewMinSide = 112

// previewCaption is the caption under the image.
const previewCaption = "what the network sees (28×28)"

// Preview shows the image the network actually receives, enlarged with
// square, unblurred pixels inside a thin border, with a caption under it.
// The pixels are shown as they are (white ink on black), not in theme
// colours, because the point is to show the network's input honestly.
type Preview struct {
	widget.BaseWidget

	img *image.Gray // the shown image, nil when cleared
}

// NewPreview returns an empty preview.
func NewPreview() *Preview {
	p := &Preview{}
	p.ExtendBaseWidget(p)
	return p
}

// Set shows img, typically engine.InputImage of the network's input. The
// image is copied, so the caller may reuse it; nil clears the preview.
func (p *Preview) Set(img image.Image) {
	if img == nil {
		p.Clear()
		return
	}
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(g, g.Bounds(), img, b.Min, draw.Src)
	p.img = g
	p.Refresh()
}

// Clear removes the image, leaving an empty frame.
func (p *Preview) Clear() {
	if p.img == nil {
		return
	}
	p.img = nil
	p.Refresh()
}

// Image returns the image shown, or nil when the preview is empty. It must not
// be modified.
func (p *Preview) Image() image.Image {
	if p.img == nil {
		return nil
	}
	return p.img
}

// MinSize keeps the pixels large enough to see.
func (p *Preview) MinSize() fyne.Size {
	p.ExtendBaseWidget(p)
	return p.BaseWidget.MinSize()
}

// CreateRenderer links the preview to its renderer.
func (p *Preview) CreateRenderer() fyne.WidgetRenderer {
	p.ExtendBaseWidget(p)
	r := &previewRenderer{
		preview: p,
		frame:   &canvas.Rectangle{},
		image:   &canvas.Image{ScaleMode: canvas.ImageScalePixels, FillMode: canvas.ImageFillContain},
		caption: widget.NewLabel(previewCaption),
	}
	r.caption.Alignment = fyne.TextAlignCenter
	r.update()
	return r
}

type previewRenderer struct {
	preview *Preview
	frame   *canvas.Rectangle
	image   *canvas.Image
	caption *widget.Label
}

func (r *previewRenderer) Destroy() {}

func (r *previewRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.frame, r.image, r.caption}
}

func (r *previewRenderer) MinSize() fyne.Size {
	side := float32(previewMinSide) + 2*r.border()
	c := r.caption.MinSize()
	return fyne.NewSize(max(side, c.Width), side+c.Height)
}

func (r *previewRenderer) Layout(size fyne.Size) {
	captionHeight := r.caption.MinSize().Height
	side := max(0, min(size.Width, size.Height-captionHeight))
	origin := fyne.NewPos((size.Width-side)/2, 0)
	r.frame.Move(origin)
	r.frame.Resize(fyne.NewSquareSize(side))
	b := r.border()
	r.image.Move(origin.AddXY(b, b))
	r.image.Resize(fyne.NewSquareSize(max(0, side-2*b)))
	r.caption.Move(fyne.NewPos(0, side))
	r.caption.Resize(fyne.NewSize(size.Width, captionHeight))
}

func (r *previewRenderer) Refresh() {
	r.update()
	r.frame.Refresh()
	r.image.Refresh()
	r.caption.Refresh()
}

// border is the width of the frame around the pixels.
func (r *previewRenderer) border() float32 {
	return r.preview.Theme().Size(theme.SizeNameInputBorder)
}

func (r *previewRenderer) update() {
	th := r.preview.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.frame.FillColor = th.Color(theme.ColorNameInputBackground, v)
	r.frame.StrokeColor = th.Color(theme.ColorNamePlaceHolder, v)
	r.frame.StrokeWidth = th.Size(theme.SizeNameInputBorder)
	if img := r.preview.img; img != nil {
		// Set makes a fresh image every time, so an image Fyne is drawing
		// never changes under it.
		r.image.Image = img
		r.image.Hidden = false
	} else {
		r.image.Image = nil
		r.image.Hidden = true
	}
}
