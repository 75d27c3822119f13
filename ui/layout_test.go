package ui

import (
	"testing"

	"fyne.io/fyne/v2"
)

func TestWindowFitsAProjectorScreen(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.p
	// The content under a 1024×768 or 1366×768 screen's title bar and
	// panels.
	if got := p.content.MinSize(); got.Width > 1000 || got.Height > 640 {
		t.Fatalf("the window's minimum content size is %v, want at most 1000×640", got)
	}
	for _, size := range []fyne.Size{{Width: 1000, Height: 640}, {Width: 1024, Height: 700}, {Width: 1920, Height: 1050}} {
		h.w.Resize(size)
		canvas := h.w.Canvas().Size()
		d := fyne.CurrentApp().Driver()
		for _, o := range []struct {
			name string
			obj  fyne.CanvasObject
		}{
			{"Start", p.startBtn}, {"Pause", p.pauseBtn}, {"Step", p.stepBtn}, {"Reset", p.resetBtn},
			{"Open", p.openBtn}, {"Save", p.saveBtn}, {"Log scale", p.logScale},
			{"pad", p.digit.pad}, {"Clear", p.digit.clear}, {"preview", p.digit.preview}, {"probabilities", p.digit.probs},
			{"loss chart", p.charts.panel.content}, {"status", p.status},
		} {
			pos, s := d.AbsolutePositionForObject(o.obj), o.obj.Size()
			if pos.X < 0 || pos.Y < 0 || pos.X+s.Width > canvas.Width+0.5 || pos.Y+s.Height > canvas.Height+0.5 {
				t.Errorf("at %v the %s (%v at %v) does not fit in the window", size, o.name, s, pos)
			}
			if m := o.obj.MinSize(); s.Width+0.5 < m.Width || s.Height+0.5 < m.Height {
				t.Errorf("at %v the %s is %v, below its minimum %v", size, o.name, s, m)
			}
		}
	}
}
