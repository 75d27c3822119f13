package drawpad

import (
	"image"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

var (
	_ fyne.Widget        = (*Pad)(nil)
	_ fyne.Draggable     = (*Pad)(nil)
	_ fyne.Tappable      = (*Pad)(nil)
	_ desktop.Cursorable = (*Pad)(nil)
)

// padMinSide is the smallest side of the pad on screen, in Fyne units: large
// enough to draw a digit with a mouse, small enough that the whole window
// fits a 1024×768 projector. The pad grows with the window.
const padMinSide = 200

// notifyEvery throttles OnChanged while a stroke is being drawn. The window
// preprocesses and predicts on every call; 25 ms keeps the bars moving with
// the pen (40 updates a second) without spending the whole frame on it.
const notifyEvery = 25 * time.Millisecond

// padHint is shown on an empty pad.
const padHint = "Draw a digit here"

// Pad is a square canvas on which the mouse or a finger draws with a soft
// round pen. The ink lives in a fixed InkSize×InkSize buffer that is scaled to
// the widget, so the drawing does not depend on the size of the window. The
// pad stays square, centred in whatever space it is given.
type Pad struct {
	widget.BaseWidget

	// OnChanged, if set, is called with a snapshot of the drawing while a
	// stroke is drawn (at most every 25 ms), once more when the stroke ends,
	// after a tap that leaves a dot, and on Clear. It runs on Fyne's
	// goroutine; the image is a copy that it may hand to another goroutine.
	OnChanged func(img image.Image)

	ink *ink

	stroking      bool             // between the first Dragged and DragEnd
	last          [2]float32       // the stroke's last point, in buffer pixels
	strokeChanged bool             // the current stroke has inked something
	pending       bool             // ink changed since OnChanged was last called
	lastNotify    time.Time        // when OnChanged was last called
	now           func() time.Time // the clock, replaceable in tests
}

// NewPad returns an empty pad.
func NewPad() *Pad {
	p := &Pad{ink: newInk(), now: time.Now}
	p.ExtendBaseWidget(p)
	return p
}

// SetPen sets the pen's width, a share of the pad's side from MinPen to
// MaxPen, for the strokes that follow.
func (p *Pad) SetPen(width float64) { p.ink.pen = newPen(width) }

// Clear erases the drawing and calls OnChanged with the blank image.
func (p *Pad) Clear() {
	p.stroking = false
	p.pending = false
	if p.ink.clear() {
		p.Refresh()
	}
	p.notify()
}

// Empty reports whether nothing has been drawn since the pad was made or
// last cleared.
func (p *Pad) Empty() bool {
	return !p.ink.inked
}

// Image returns a copy of the drawing: an InkSize×InkSize *image.Gray with
// the ink white (255) on black (0), the way MNIST stores its digits. The copy
// belongs to the caller and may be read on any goroutine.
func (p *Pad) Image() image.Image {
	return p.ink.gray()
}

// Dragged draws the segment from the previous point of the stroke to the
// pointer, so a fast stroke whose events arrive far apart is still one
// continuous line.
func (p *Pad) Dragged(e *fyne.DragEvent) {
	x, y, ok := p.toInk(e.Position)
	if !ok {
		return
	}
	x0, y0 := p.last[0], p.last[1]
	if !p.stroking {
		// The first event of a drag carries the distance from where the
		// button went down, so the line starts there and not a few pixels on.
		var ok0 bool
		x0, y0, ok0 = p.toInk(e.Position.Subtract(e.Dragged))
		if !ok0 {
			x0, y0 = x, y
		}
		p.stroking = true
		p.strokeChanged = false
	}
	p.last = [2]float32{x, y}
	if p.ink.segment(x0, y0, x, y) {
		p.strokeChanged = true
		p.pending = true
		p.Refresh()
	}
	if p.pending && p.now().Sub(p.lastNotify) >= notifyEvery {
		p.notify()
	}
}

// DragEnd finishes the stroke and, if it inked anything, calls OnChanged
// with the final drawing even if a throttled call was made moments ago, so
// the listener always sees the finished stroke.
func (p *Pad) DragEnd() {
	if !p.stroking {
		return
	}
	p.stroking = false
	if p.strokeChanged || p.pending {
		p.notify()
	}
}

// Tapped leaves a dot where the pointer went down and up without moving.
func (p *Pad) Tapped(e *fyne.PointEvent) {
	x, y, ok := p.toInk(e.Position)
	if !ok {
		return
	}
	if p.ink.segment(x, y, x, y) {
		p.Refresh()
		p.notify()
	}
}

// Cursor shows a crosshair over the pad, which says "draw here" better than
// an arrow.
func (p *Pad) Cursor() desktop.Cursor {
	return desktop.CrosshairCursor
}

// MinSize keeps room for a comfortable square drawing area.
func (p *Pad) MinSize() fyne.Size {
	p.ExtendBaseWidget(p)
	return p.BaseWidget.MinSize()
}

// CreateRenderer links the pad to its renderer.
func (p *Pad) CreateRenderer() fyne.WidgetRenderer {
	p.ExtendBaseWidget(p)
	r := &padRenderer{pad: p, paper: &canvas.Rectangle{}, hint: canvas.NewText(padHint, color.Black)}
	r.raster = canvas.NewRaster(r.generate)
	r.raster.ScaleMode = canvas.ImageScaleSmooth
	r.hint.Alignment = fyne.TextAlignCenter
	r.applyTheme()
	r.hint.Hidden = !p.Empty()
	return r
}

func (p *Pad) notify() {
	p.pending = false
	p.lastNotify = p.now()
	if p.OnChanged != nil {
		p.OnChanged(p.ink.gray())
	}
}

// toInk converts a position on the widget to buffer pixels. It reports false
// while the widget has no size, when no mapping exists.
func (p *Pad) toInk(pos fyne.Position) (x, y float32, ok bool) {
	origin, side := square(p.Size())
	if side <= 0 {
		return 0, 0, false
	}
	k := InkSize / side
	return (pos.X - origin.X) * k, (pos.Y - origin.Y) * k, true
}

// square is the largest square centred in size: where the paper is drawn.
func square(size fyne.Size) (origin fyne.Position, side float32) {
	side = min(size.Width, size.Height)
	return fyne.NewPos((size.Width-side)/2, (size.Height-side)/2), side
}

type padRenderer struct {
	pad    *Pad
	paper  *canvas.Rectangle
	raster *canvas.Raster
	hint   *canvas.Text

	inkColor color.NRGBA

	// The last image given to the raster and what it was made from. Fyne may
	// still be reading it, so it is replaced, never modified.
	img        *image.NRGBA
	imgVersion uint64
	imgColor   color.NRGBA
}

func (r *padRenderer) Destroy() {}

func (r *padRenderer) Layout(size fyne.Size) {
	origin, side := square(size)
	sq := fyne.NewSquareSize(side)
	r.paper.Move(origin)
	r.paper.Resize(sq)
	r.raster.Move(origin)
	r.raster.Resize(sq)
	r.hint.Move(origin)
	r.hint.Resize(sq)
}

func (r *padRenderer) MinSize() fyne.Size {
	return fyne.NewSquareSize(padMinSide)
}

func (r *padRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.paper, r.raster, r.hint}
}

func (r *padRenderer) Refresh() {
	r.applyTheme()
	r.hint.Hidden = !r.pad.Empty()
	r.paper.Refresh()
	r.hint.Refresh()
	if r.img == nil || r.imgVersion != r.pad.ink.version || r.imgColor != r.inkColor {
		r.raster.Refresh()
	}
}

func (r *padRenderer) applyTheme() {
	th := r.pad.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.paper.FillColor = th.Color(theme.ColorNameInputBackground, v)
	r.paper.StrokeColor = th.Color(theme.ColorNameInputBorder, v)
	r.paper.StrokeWidth = th.Size(theme.SizeNameInputBorder)
	r.paper.CornerRadius = th.Size(theme.SizeNameInputRadius)
	r.hint.Color = th.Color(theme.ColorNamePlaceHolder, v)
	r.hint.TextSize = th.Size(theme.SizeNameSubHeadingText)
	r.inkColor = toNRGBA(th.Color(theme.ColorNameForeground, v))
}

// generate paints the ink in the theme's foreground colour with the coverage
// as alpha, over the transparent background that lets the paper show through.
// The raster scales the InkSize image to the widget.
func (r *padRenderer) generate(_, _ int) image.Image {
	if r.img != nil && r.imgVersion == r.pad.ink.version && r.imgColor == r.inkColor {
		return r.img
	}
	img := image.NewNRGBA(image.Rect(0, 0, InkSize, InkSize))
	c := r.inkColor
	for i, a := range r.pad.ink.pix {
		if a == 0 {
			continue
		}
		img.Pix[4*i] = c.R
		img.Pix[4*i+1] = c.G
		img.Pix[4*i+2] = c.B
		img.Pix[4*i+3] = uint8((uint16(a)*uint16(c.A) + 127) / 255)
	}
	r.img, r.imgVersion, r.imgColor = img, r.pad.ink.version, c
	return img
}

func toNRGBA(c color.Color) color.NRGBA {
	return color.NRGBAModel.Convert(c).(color.NRGBA)
}
