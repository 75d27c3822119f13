package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// Keys is what the window does with the keyboard for its widgets.
type Keys interface {
	// Release gives the keyboard back to the window's single-key
	// shortcuts, committing a field that had it.
	Release()
	// TypedKey handles a window key typed while a list or slider had the
	// keyboard; the keyboard has been released first.
	TypedKey(*fyne.KeyEvent)
	// Shortcut runs a modifier shortcut typed into a field and reports
	// whether it was one of the window's.
	Shortcut(fyne.Shortcut) bool
	// ChartsChanged says that a chart's size or the theme has changed, so
	// that the charts are drawn again.
	ChartsChanged()
	// Scale is the window's device pixels per point.
	Scale() float32
}

// NoKeys is a keyboard that does nothing, for views built outside a window,
// as a view's own tests build them.
type NoKeys struct{}

// Release does nothing.
func (NoKeys) Release() {}

// TypedKey does nothing.
func (NoKeys) TypedKey(*fyne.KeyEvent) {}

// Shortcut reports that the shortcut is not the window's.
func (NoKeys) Shortcut(fyne.Shortcut) bool { return false }

// ChartsChanged does nothing.
func (NoKeys) ChartsChanged() {}

// Scale is 1.
func (NoKeys) Scale() float32 { return 1 }

// Kit makes widgets wired to the window's keyboard.
type Kit struct {
	keys Keys
}

// NewKit returns a kit for the window whose keyboard is k.
func NewKit(k Keys) *Kit { return &Kit{keys: k} }

// Release gives the keyboard back to the window.
func (k *Kit) Release() { k.keys.Release() }

// key hands a window key typed on a list or a slider to the window.
func (k *Kit) key(e *fyne.KeyEvent) {
	k.keys.Release()
	k.keys.TypedKey(e)
}

// Field returns a field that checks its text with check, calls edited at
// every keystroke and commit when the value is committed (Enter, Escape, or
// the focus leaving it). Either may be nil.
func (k *Kit) Field(check fyne.StringValidator, edited func(), commit func()) *Field {
	f := newField(check)
	f.OnChanged = func(string) {
		f.Revalidate()
		if edited != nil {
			edited()
		}
	}
	f.onCommit = commit
	f.onShortcut = k.keys.Shortcut
	return f
}

// Choice returns a list whose pick hands the keyboard back to the window
// before picked runs. A change made with SetSelected by the program runs
// picked too; a caller that must tell the two apart keeps its own flag.
func (k *Kit) Choice(options []string, picked func(int)) *Choice {
	c := newChoice(options, nil)
	c.OnChanged = func(string) {
		k.keys.Release()
		if picked != nil {
			picked(c.SelectedIndex())
		}
	}
	c.onKey = k.key
	return c
}

// Slider returns a slider from lo to hi in steps of step that calls moved
// while it is dragged and hands the keyboard back to the window when the
// drag ends.
func (k *Kit) Slider(lo, hi, step float64, moved func(float64)) *Slider {
	s := newSlider(lo, hi)
	s.Step = step
	s.OnChanged = moved
	s.OnChangeEnded = func(float64) {
		if !s.programmatic {
			k.keys.Release()
		}
	}
	s.onKey = k.key
	return s
}

// Button returns a button that hands the keyboard back to the window (so
// that a field being typed in commits first) and then runs tapped.
func (k *Kit) Button(label string, icon fyne.Resource, tapped func()) *widget.Button {
	return widget.NewButtonWithIcon(label, icon, func() {
		k.keys.Release()
		tapped()
	})
}

// Check returns a check box that hands the keyboard back to the window
// when it is toggled.
func (k *Kit) Check(label string, changed func(bool)) *widget.Check {
	return widget.NewCheck(label, func(on bool) {
		k.keys.Release()
		changed(on)
	})
}

// Chart returns a chart image of at least min text lines high and wide
// (see ChartView), which asks for a drawing whenever its size changes.
func (k *Kit) Chart(minWidth, minHeight float32) *ChartView {
	return newChartView(minWidth, minHeight, k.keys.ChartsChanged, k.keys.Scale)
}
