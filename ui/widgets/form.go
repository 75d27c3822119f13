package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// FormColumn lines up the labels of rows in separate containers: every row
// gives its label the width of the widest label.
type FormColumn struct {
	labels []*widget.Label
}

// Row returns a row with a label and its content.
func (f *FormColumn) Row(label string, content fyne.CanvasObject) *fyne.Container {
	l := widget.NewLabel(label)
	f.labels = append(f.labels, l)
	return container.New(&formRow{col: f}, l, content)
}

// width is the widest label's.
func (f *FormColumn) width() float32 {
	var w float32
	for _, l := range f.labels {
		if l.Text != "" {
			w = max(w, l.MinSize().Width)
		}
	}
	return w
}

// formRow lays out a label in the column's width and its content in the rest.
type formRow struct {
	col *FormColumn
}

// Layout places the label and the content side by side.
func (r *formRow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := r.col.width()
	pad := theme.Padding()
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(w, size.Height))
	objs[1].Move(fyne.NewPos(w+pad, 0))
	objs[1].Resize(fyne.NewSize(max(0, size.Width-w-pad), size.Height))
}

// MinSize is the column's width and the content's.
func (r *formRow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	l, c := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(r.col.width()+theme.Padding()+c.Width, max(l.Height, c.Height))
}

// Chars gives obj the width of n digits of the theme's text in an entry, as
// a number field needs: an empty entry would otherwise shrink to a sliver,
// and a width in pixels would clip its text under a larger theme.
func Chars(n float32, obj fyne.CanvasObject) fyne.CanvasObject {
	return FixedWidth(func() float32 { return CharsWidth(n) }, obj)
}

// FixedWidth gives obj the width that width returns when it is laid out,
// and its own minimum height: a dialog's message wraps at a readable
// width instead of stretching to one line.
func FixedWidth(width func() float32, obj fyne.CanvasObject) fyne.CanvasObject {
	return container.New(&widthLayout{width: width}, obj)
}

// CharsWidth is the width of n digits of the theme's text with an entry's
// padding around them.
func CharsWidth(n float32) float32 {
	digit := fyne.MeasureText("0", theme.TextSize(), fyne.TextStyle{}).Width
	return n*digit + 2*theme.InnerPadding() + 2*theme.Padding()
}

type widthLayout struct{ width func() float32 }

// Layout fills the space with the object.
func (l *widthLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// MinSize is the width and the object's height.
func (l *widthLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.width(), h)
}

// Lines is a height of n lines of the theme's text, for minimum sizes that
// must grow with it.
func Lines(n float32) float32 {
	return n * (theme.TextSize() + theme.InnerPadding())
}

// Ems is a width of n times the theme's text size.
func Ems(n float32) float32 { return n * theme.TextSize() }

var (
	_ fyne.Layout = (*formRow)(nil)
	_ fyne.Layout = (*widthLayout)(nil)
)
