package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

var (
	_ fyne.Focusable    = (*Field)(nil)
	_ fyne.Shortcutable = (*Field)(nil)
)

// Field is a one-line entry for one setting. It differs from widget.Entry in
// three ways that a keyboard-driven window needs:
//
//   - it commits (calls onCommit) when Enter is pressed or the focus leaves
//     it, not at every keystroke, so typing 128 into a layer's size does not
//     build networks of 1 and 12 units on the way;
//   - Enter and Escape hand the focus back to the window, so that the
//     single-key shortcuts (Space, S, R, C) work again at once;
//   - the window's Ctrl shortcuts reach the window: a focused widget.Entry
//     swallows every shortcut it does not know, Ctrl+S included.
type Field struct {
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
func newField(check fyne.StringValidator) *Field {
	f := &Field{check: check}
	f.ExtendBaseWidget(f)
	f.AlwaysShowValidationError = true
	f.OnSubmitted = func(string) { f.leave() }
	return f
}

// Revalidate marks the field as valid or not; OnChanged calls it at every
// edit, and setText after the program's changes.
func (f *Field) Revalidate() {
	f.SetValidationError(f.Err())
}

// Err is what is wrong with the text, or nil.
func (f *Field) Err() error {
	if f.check == nil {
		return nil
	}
	return f.check(f.Text)
}

// FocusLost commits the value.
func (f *Field) FocusLost() {
	f.Entry.FocusLost()
	if f.onCommit != nil {
		f.onCommit()
	}
}

// TypedKey hands the focus back to the window on Escape; Enter does so
// through OnSubmitted.
func (f *Field) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		f.leave()
		return
	}
	f.Entry.TypedKey(k)
}

// TypedShortcut offers a Ctrl shortcut to the window first; the entry's own
// (copy, paste, undo...) are not among the window's.
func (f *Field) TypedShortcut(s fyne.Shortcut) {
	if _, custom := s.(*desktop.CustomShortcut); custom && f.onShortcut != nil && f.onShortcut(s) {
		return
	}
	f.Entry.TypedShortcut(s)
}

// leave unfocuses the field, which commits it.
func (f *Field) leave() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(f); c != nil && c.Focused() == f {
		c.Unfocus()
		return
	}
	if f.onCommit != nil {
		f.onCommit()
	}
}

// SetValue replaces the text without reporting an edit or committing it:
// the caller is restoring or loading a value, not the user editing it.
func (f *Field) SetValue(s string) {
	if f.Text != s {
		changed := f.OnChanged
		f.OnChanged = nil
		f.SetText(s)
		f.OnChanged = changed
	}
	f.Revalidate()
}

var (
	_ fyne.Focusable = (*Choice)(nil)
	_ fyne.Focusable = (*Slider)(nil)
)

// Choice is a widget.Select that leaves the window's keys to the window. A
// Select keeps the focus after its list closes, and would then take Space
// to open the list again and → to change its value, where the user meant to
// start training or take a step. Up, Down and Enter still open the list.
type Choice struct {
	widget.Select

	onKey func(*fyne.KeyEvent) // the window's single keys
}

func newChoice(options []string, changed func(string)) *Choice {
	c := &Choice{Select: widget.Select{Options: options, OnChanged: changed, PlaceHolder: "(choose one)"}}
	c.ExtendBaseWidget(c)
	return c
}

// SetIndexQuietly selects option i without calling OnChanged: the program
// shows a setting, the user has not picked it.
func (c *Choice) SetIndexQuietly(i int) {
	changed := c.OnChanged
	c.OnChanged = nil
	c.SetSelectedIndex(i)
	c.OnChanged = changed
}

// SetQuietly selects the option named s without calling OnChanged.
func (c *Choice) SetQuietly(s string) {
	changed := c.OnChanged
	c.OnChanged = nil
	c.SetSelected(s)
	c.OnChanged = changed
}

// TypedKey opens the list on Up, Down and Enter, and hands every other key
// to the window.
func (c *Choice) TypedKey(k *fyne.KeyEvent) {
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

// Slider is a widget.Slider that keeps ← and → to move itself and hands
// every other key to the window, for the same reason as choice.
type Slider struct {
	widget.Slider

	onKey func(*fyne.KeyEvent)
	// programmatic is set while SetValueQuietly moves the slider: Fyne
	// reports that as the end of a change too, which is not the user's.
	programmatic bool
}

// SetValueQuietly moves the slider without calling OnChanged: the program
// follows a typed value, the user has not dragged.
func (s *Slider) SetValueQuietly(v float64) {
	s.programmatic = true
	changed := s.OnChanged
	s.OnChanged = nil
	s.SetValue(v)
	s.OnChanged = changed
	s.programmatic = false
}

func newSlider(lo, hi float64) *Slider {
	s := &Slider{Slider: widget.Slider{Min: lo, Max: hi, Step: 1, Orientation: widget.Horizontal}}
	s.ExtendBaseWidget(s)
	return s
}

// TypedKey moves the slider on ← and →, and hands every other key to the
// window.
func (s *Slider) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyLeft, fyne.KeyRight:
		s.Slider.TypedKey(k)
	default:
		if s.onKey != nil {
			s.onKey(k)
		}
	}
}
