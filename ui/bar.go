package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// labelled is a button with labels for three widths: full ("Start
// (Space)"), short ("Start") and tiny (its icon alone, or a short word for
// a tab).
type labelled struct {
	b                 *widget.Button
	full, short, tiny string
	row               *fyne.Container // the bar's, set by newBarRow
}

// setLabels changes the labels; the bar shows the one that fits at its
// next layout.
func (l *labelled) setLabels(full, short string) {
	if l.full == full && l.short == short {
		return
	}
	l.full, l.short = full, short
	if l.tiny != "" {
		l.tiny = short
	}
	if l.row != nil {
		// Laid out again, the row picks the labels that fit.
		l.row.Refresh()
	}
}

func (l *labelled) label(mode int) string {
	switch mode {
	case 0:
		return l.full
	case 1:
		return l.short
	}
	return l.tiny
}

// fitBar lays out a row of labelled buttons (and separators) left to
// right, each with the longest of its labels that lets the whole row fit:
// at 1920 points the keys are spelled out, on a projector at 1.5 times the
// scale the words alone remain, and in the narrowest window the icons.
type fitBar struct {
	items map[fyne.CanvasObject]*labelled
	mode  int
	// rows is how many rows the last layout needed: more than one when
	// even the tiny labels do not fit in one, and the row wraps.
	rows int
}

// newBarRow returns a row of objs laid out by a fitBar, the labelled
// buttons among them taking the labels that fit.
func newBarRow(items []*labelled, objs ...fyne.CanvasObject) *fyne.Container {
	f := &fitBar{items: map[fyne.CanvasObject]*labelled{}}
	row := container.New(f, objs...)
	for _, it := range items {
		f.items[it.b] = it
		it.row = row
	}
	return row
}

// apply shows every button's label of mode.
func (f *fitBar) apply(mode int) {
	for _, it := range f.items {
		if t := it.label(mode); it.b.Text != t {
			it.b.Text = t
			it.b.Refresh()
		}
	}
	f.mode = mode
}

func (f *fitBar) width(objs []fyne.CanvasObject) float32 {
	w := float32(0)
	n := 0
	for _, o := range objs {
		if o.Visible() {
			w += o.MinSize().Width
			n++
		}
	}
	return w + float32(max(0, n-1))*theme.Padding()
}

// Layout picks the longest labels that fit and places the buttons, in
// more than one row when even the tiniest do not fit in one.
func (f *fitBar) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for mode := range 3 {
		f.apply(mode)
		if f.width(objs) <= size.Width {
			break
		}
	}
	pad := theme.Padding()
	x, y, rows := float32(0), float32(0), 1
	var h float32
	for _, o := range objs {
		if o.Visible() {
			h = max(h, o.MinSize().Height)
		}
	}
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		w := o.MinSize().Width
		if x > 0 && x+w > size.Width {
			x, y = 0, y+h+pad
			rows++
		}
		o.Move(fyne.NewPos(x, y))
		o.Resize(fyne.NewSize(w, h))
		x += w + pad
	}
	if rows != f.rows {
		f.rows = rows
		// The row's height has changed: its container asks MinSize again.
		defer func() {
			for _, it := range f.items {
				if it.row != nil {
					it.row.Refresh()
					return
				}
			}
		}()
	}
}

// MinSize is the row with the tiny labels: an icon alone is a button's
// icon and its padding.
func (f *fitBar) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	n := 0
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		h = max(h, m.Height)
		if it, ok := f.items[o]; ok && f.mode != 2 {
			if it.tiny == "" {
				m.Width = theme.IconInlineSize() + 2*theme.InnerPadding()
			} else {
				m.Width = fyne.MeasureText(it.tiny, theme.TextSize(), fyne.TextStyle{Bold: true}).Width + 2*theme.InnerPadding()
			}
		}
		w += m.Width
		n++
	}
	if f.rows > 1 {
		// Wrapped: as wide as its widest button, as high as its rows.
		var widest float32
		for _, o := range objs {
			if o.Visible() {
				widest = max(widest, o.MinSize().Width)
			}
		}
		return fyne.NewSize(widest, float32(f.rows)*h+float32(f.rows-1)*theme.Padding())
	}
	return fyne.NewSize(w+float32(max(0, n-1))*theme.Padding(), h)
}

var _ fyne.Layout = (*fitBar)(nil)
