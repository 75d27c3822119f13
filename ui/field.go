package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

var (
	_ fyne.Focusable    = (*field)(nil)
	_ fyne.Shortcutable = (*field)(nil)
)

// field is a one-line entry for one setting. It differs from widget.Entry in
// three ways that a keyboard-driven window needs:
//
//   - it commits (calls onCommit) when Enter is pressed or the focus leaves
//     it, not at every keystroke, so typing 128 into a layer's size does not
//     build networks of 1 and 12 units on the way;
//   - Enter and Escape hand the focus back to the window, so that the
//     single-key shortcuts (Space, S, R, C) work again at once;
//   - the window's Ctrl shortcuts reach the window: a focused widget.Entry
//     swallows every shortcut it does not know, Ctrl+S included.
type field struct {
	widget.Entry

	// check validates the text. It is not the entry's Validator, which
	// would put a tick on every valid field of the sidebar: only the
	// invalid ones are marked, with the entry's red border and error icon.
	check      fyne.StringValidator
	onCommit   func()
	onShortcut func(fyne.Shortcut) bool // reports whether the window handled it
}

// newField returns a field that checks its text with check. An invalid
// value is marked on the field while the focus is elsewhere.
func newField(check fyne.StringValidator) *field {
	f := &field{check: check}
	f.ExtendBaseWidget(f)
	f.AlwaysShowValidationError = true
	f.OnSubmitted = func(string) { f.leave() }
	return f
}

// revalidate marks the field as valid or not; OnChanged calls it at every
// edit, and setText after the program's changes.
func (f *field) revalidate() {
	f.SetValidationError(f.err())
}

// err is what is wrong with the text, or nil.
func (f *field) err() error {
	if f.check == nil {
		return nil
	}
	return f.check(f.Text)
}

// FocusLost commits the value.
func (f *field) FocusLost() {
	f.Entry.FocusLost()
	if f.onCommit != nil {
		f.onCommit()
	}
}

// TypedKey hands the focus back to the window on Escape; Enter does so
// through OnSubmitted.
func (f *field) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		f.leave()
		return
	}
	f.Entry.TypedKey(k)
}

// TypedShortcut offers a Ctrl shortcut to the window first; the entry's own
// (copy, paste, undo...) are not among the window's.
func (f *field) TypedShortcut(s fyne.Shortcut) {
	if _, custom := s.(*desktop.CustomShortcut); custom && f.onShortcut != nil && f.onShortcut(s) {
		return
	}
	f.Entry.TypedShortcut(s)
}

// leave unfocuses the field, which commits it.
func (f *field) leave() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(f); c != nil && c.Focused() == f {
		c.Unfocus()
		return
	}
	if f.onCommit != nil {
		f.onCommit()
	}
}

// setText replaces the text without committing it: the caller is restoring
// or loading a value, not the user editing it.
func (f *field) setText(s string) {
	if f.Text != s {
		f.SetText(s)
	}
	f.revalidate()
}

var (
	_ fyne.Focusable = (*choice)(nil)
	_ fyne.Focusable = (*rateSlider)(nil)
)

// choice is a widget.Select that leaves the window's keys to the window. A
// Select keeps the focus after its list closes, and would then take Space
// to open the list again and → to change its value, where the user meant to
// start training or take a step. Up, Down and Enter still open the list.
type choice struct {
	widget.Select

	onKey func(*fyne.KeyEvent) // the window's single keys
}

func newChoice(options []string, changed func(string)) *choice {
	c := &choice{Select: widget.Select{Options: options, OnChanged: changed, PlaceHolder: "(choose one)"}}
	c.ExtendBaseWidget(c)
	return c
}

// TypedKey opens the list on Up, Down and Enter, and hands every other key
// to the window.
func (c *choice) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyUp, fyne.KeyDown:
		c.Select.TypedKey(k)
	case fyne.KeyReturn, fyne.KeyEnter:
		c.Select.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	default:
		if c.onKey != nil {
			c.onKey(k)
		}
	}
}

// rateSlider is a widget.Slider that keeps ← and → to move itself and hands
// every other key to the window, for the same reason as choice.
type rateSlider struct {
	widget.Slider

	onKey func(*fyne.KeyEvent)
}

func newRateSlider(lo, hi float64) *rateSlider {
	s := &rateSlider{Slider: widget.Slider{Min: lo, Max: hi, Step: 1, Orientation: widget.Horizontal}}
	s.ExtendBaseWidget(s)
	return s
}

// TypedKey moves the slider on ← and →, and hands every other key to the
// window.
func (s *rateSlider) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyLeft, fyne.KeyRight:
		s.Slider.TypedKey(k)
	default:
		if s.onKey != nil {
			s.onKey(k)
		}
	}
}
