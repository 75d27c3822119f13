package ui

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

// screens are the windows the layout must fit: a projector and a laptop at
// scale 1, the projector at 1.5 and 2 times the scale (its pixels divided
// by the scale, in points), and a desktop.
var screens = []struct {
	name  string
	size  fyne.Size
	scale float32
}{
	{"1024x768", fyne.NewSize(1024, 768), 1},
	{"1024x768@1.5", fyne.NewSize(1024/1.5, 768/1.5), 1.5},
	{"1024x768@2", fyne.NewSize(512, 384), 2},
	{"1366x768", fyne.NewSize(1366, 768), 1},
	{"1920x1080", fyne.NewSize(1920, 1080), 1},
	{"1920x1080@1.5", fyne.NewSize(1280, 720), 1.5},
}

// placed is a text object where it shows: its rectangle in the window, cut
// to the scroll areas around it.
type placed struct {
	text     string
	pos, end fyne.Position
}

// visibleTexts walks the rendered tree of obj, at pos in the window and
// clipped to the rectangle clip0..clip1, and returns every visible text.
func visibleTexts(obj fyne.CanvasObject, pos, clip0, clip1 fyne.Position) []placed {
	if !obj.Visible() {
		return nil
	}
	pos = pos.Add(obj.Position())
	end := pos.Add(fyne.NewPos(obj.Size().Width, obj.Size().Height))
	if _, ok := obj.(fyne.Scrollable); ok {
		clip0 = fyne.NewPos(max(clip0.X, pos.X), max(clip0.Y, pos.Y))
		clip1 = fyne.NewPos(min(clip1.X, end.X), min(clip1.Y, end.Y))
	}
	var out []placed
	switch o := obj.(type) {
	case *canvas.Text:
		if o.Text == "" {
			return nil
		}
		a := fyne.NewPos(max(pos.X, clip0.X), max(pos.Y, clip0.Y))
		b := fyne.NewPos(min(end.X, clip1.X), min(end.Y, clip1.Y))
		if b.X-a.X < 1 || b.Y-a.Y < 1 {
			return nil // scrolled out of sight
		}
		// A text object is laid out a little larger than its ink (its
		// line height and the label's inner padding); the ink is what
		// must not overlap.
		ink := fyne.MeasureText(o.Text, o.TextSize, o.TextStyle)
		if w := min(b.X-a.X, ink.Width); o.Alignment == fyne.TextAlignLeading {
			b.X = a.X + w
		}
		return []placed{{o.Text, a, b}}
	case *fyne.Container:
		for _, c := range o.Objects {
			out = append(out, visibleTexts(c, pos, clip0, clip1)...)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(o).Objects() {
			out = append(out, visibleTexts(c, pos, clip0, clip1)...)
		}
	}
	return out
}

// layoutProblems lists the texts of the window that overlap one another or
// lie outside the window.
func layoutProblems(w fyne.Window) []string {
	size := w.Canvas().Size()
	texts := visibleTexts(w.Content(), fyne.NewPos(0, 0), fyne.NewPos(0, 0), fyne.NewPos(size.Width, size.Height))
	var probs []string
	const slack = 1 // a pixel of rounding
	for i, a := range texts {
		if a.pos.X < -slack || a.pos.Y < -slack || a.end.X > size.Width+slack || a.end.Y > size.Height+slack {
			probs = append(probs, fmt.Sprintf("%q at %v–%v lies outside the %v window", a.text, a.pos, a.end, size))
		}
		for _, b := range texts[i+1:] {
			if a.pos.X < b.end.X-slack && b.pos.X < a.end.X-slack && a.pos.Y < b.end.Y-slack && b.pos.Y < a.end.Y-slack {
				probs = append(probs, fmt.Sprintf("%q at %v–%v overlaps %q at %v–%v", a.text, a.pos, a.end, b.text, b.pos, b.end))
			}
		}
	}
	return probs
}

// setScale sets the test canvas's scale.
func setScale(t *testing.T, w fyne.Window, scale float32) {
	t.Helper()
	c, ok := w.Canvas().(interface{ SetScale(float32) })
	if !ok {
		t.Fatal("the test canvas has no scale to set")
	}
	c.SetScale(scale)
}

func TestNothingOverlapsOnAnyScreen(t *testing.T) {
	for _, sc := range screens {
		t.Run(sc.name, func(t *testing.T) {
			h := newHarness(t, Options{})
			setScale(t, h.w, sc.scale)
			h.w.Resize(sc.size)
			h.loop.pump(0)
			p := h.p
			// Every view, in turn, where the views share a column.
			for view := range p.panels.list {
				p.panels.choose(view)
				if !p.panels.shown(view) {
					t.Fatalf("view %d is not shown after choosing it", view)
				}
				for _, prob := range layoutProblems(h.w) {
					t.Errorf("view %d: %s", view, prob)
				}
			}
			canvas := h.w.Canvas().Size()
			d := fyne.CurrentApp().Driver()
			for _, o := range []struct {
				name string
				obj  fyne.CanvasObject
			}{
				{"Start", p.bar.start.b}, {"Pause", p.bar.pause.b}, {"Step", p.bar.step.b}, {"Reset", p.bar.reset.b},
				{"Open", p.bar.open.b}, {"Save", p.bar.save.b}, {"status", p.bar.text},
			} {
				pos, s := d.AbsolutePositionForObject(o.obj), o.obj.Size()
				if pos.X < 0 || pos.Y < 0 || pos.X+s.Width > canvas.Width+0.5 || pos.Y+s.Height > canvas.Height+0.5 {
					t.Errorf("the %s (%v at %v) does not fit in the %v window", o.name, s, pos, canvas)
				}
				if m := o.obj.MinSize(); s.Width+0.5 < m.Width || s.Height+0.5 < m.Height {
					t.Errorf("the %s is %v, below its minimum %v", o.name, s, m)
				}
			}
		})
	}
}

func TestOverlapCheckFindsOverlaps(t *testing.T) {
	h := newHarness(t, Options{})
	h.w.Resize(fyne.NewSize(1024, 768))
	if probs := layoutProblems(h.w); len(probs) > 0 {
		t.Fatalf("the window has layout problems to begin with: %v", probs)
	}
	// The status text moved onto the toolbar must be caught.
	st := h.p.bar.status
	y := fyne.CurrentApp().Driver().AbsolutePositionForObject(st).Y
	st.Move(st.Position().SubtractXY(0, y))
	if probs := layoutProblems(h.w); len(probs) == 0 {
		t.Error("a status line laid over the toolbar was not reported")
	}
}

func TestLayoutMarkup(t *testing.T) {
	for _, sc := range []struct {
		name  string
		size  fyne.Size
		scale float32
	}{screens[0], screens[1], screens[4]} {
		t.Run(sc.name, func(t *testing.T) {
			h := newHarness(t, Options{})
			setScale(t, h.w, sc.scale)
			h.w.Resize(sc.size)
			// Every chart on show drawn, however slow the machine: the markup
			// records whether a chart has its image.
			h.until("every chart on show", func() bool {
				for _, c := range h.p.chartJob().charts {
					if c.Target.Image() == nil {
						return false
					}
				}
				return true
			})
			h.loop.pump(300 * time.Millisecond)
			test.AssertObjectRendersToMarkup(t, "layout-"+sc.name+".xml", h.w.Content())
		})
	}
}

func TestOpeningSizeFitsAProjector(t *testing.T) {
	t.Parallel()
	for _, scale := range []float32{0, 1, 1.5, 2} {
		s := OpeningSize(scale)
		k := max(scale, 1)
		if s.Width*k > 1024 || s.Height*k > 768-60 {
			t.Errorf("at scale %g the window opens at %v points, %v pixels: larger than a 1024×768 screen under a title bar", scale, s, s.Width*k)
		}
	}
}
