package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// ctrl is the platform's shortcut modifier: Ctrl, or Cmd on macOS.
const ctrl = fyne.KeyModifierShortcutDefault

// viewKeys are the keys that, with Ctrl, bring the views forward in the
// order of the panels: Ctrl+1 to Ctrl+9, then Ctrl+0.
var viewKeys = []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9, fyne.Key0}

// shortcut is a modifier shortcut of the window.
type shortcut struct {
	key fyne.KeyName
	fn  func()
	// shift is set for Ctrl+Shift shortcuts.
	shift bool
}

// modifier is the shortcut's modifiers.
func (sc shortcut) modifier() fyne.KeyModifier {
	if sc.shift {
		return ctrl | fyne.KeyModifierShift
	}
	return ctrl
}

// shortcuts are the window's modifier shortcuts. They work wherever the
// focus is, a settings field included (the field passes them on).
func (s *Shell) shortcuts() []shortcut {
	sc := []shortcut{
		{fyne.KeyO, s.openModelDialog, false},
		{fyne.KeyS, s.saveModelDialog, false},
		{fyne.KeyL, s.views.training.ToggleLog, false},
		{fyne.KeyR, s.reset, false},
		{fyne.KeyP, s.togglePresenting, false},
		{fyne.KeyE, s.exportChartDialog, false},
		{fyne.KeyQ, s.closeRequested, false},
		{fyne.KeyA, s.raceActivations, true},
		{fyne.KeyL, s.raceRates, true},
		{fyne.KeyR, s.raceLastRun, true},
	}
	for i := range s.panels.list {
		sc = append(sc, shortcut{viewKeys[i], func() { s.panels.choose(i) }, false})
	}
	return sc
}

// installKeys connects the keyboard: the modifier shortcuts on the canvas,
// and the single keys through the canvas's OnTypedKey, which Fyne only calls
// while no widget has the focus, so that typing into a field never starts
// or resets training. Lists and sliders hand the keys they do not use to
// TypedKey themselves (see widgets.Kit).
func (s *Shell) installKeys() {
	c := s.win.Canvas()
	for _, sc := range s.shortcuts() {
		fn := sc.fn
		c.AddShortcut(&desktop.CustomShortcut{KeyName: sc.key, Modifier: sc.modifier()}, func(fyne.Shortcut) {
			if !s.dialogOpen() {
				fn()
			}
		})
	}
	c.SetOnTypedKey(s.TypedKey)
	c.SetOnTypedRune(func(r rune) {
		if r == '?' && !s.dialogOpen() {
			s.showKeys()
		}
	})
}

// Shortcut runs a modifier shortcut typed into a field, reporting whether
// it was one of the window's.
func (s *Shell) Shortcut(sc fyne.Shortcut) bool {
	cs, ok := sc.(*desktop.CustomShortcut)
	if !ok {
		return false
	}
	for _, w := range s.shortcuts() {
		if w.key == cs.KeyName && w.modifier() == cs.Modifier {
			if !s.dialogOpen() {
				w.fn()
			}
			return true
		}
	}
	return false
}

// TypedKey handles the single-key shortcuts: Space starts, pauses and
// resumes, S or → steps, R resets, C clears the pad, V shows the next chart
// panel where they share a column under tabs, F1 lists the keys, F5 enters
// or leaves presentation mode (Esc leaves it too), F11 goes full screen.
func (s *Shell) TypedKey(k *fyne.KeyEvent) {
	if s.dialogOpen() {
		s.dialogKey(k)
		return
	}
	switch k.Name {
	case fyne.KeySpace:
		s.start()
	case fyne.KeyS, fyne.KeyRight:
		if !s.bar.step.b.Disabled() {
			s.step()
		}
	case fyne.KeyR:
		s.reset()
	case fyne.KeyC:
		s.views.draw.Pad.Clear()
	case fyne.KeyV:
		s.panels.cycle(panelTraining)
	case fyne.KeyF1:
		s.showKeys()
	case fyne.KeyF5:
		s.togglePresenting()
	case fyne.KeyF11:
		s.toggleFullScreen()
	case fyne.KeyEscape:
		if s.show.presenting {
			s.togglePresenting()
		}
	}
}

// dialogOpen reports whether a dialog covers the window: its keys are its
// own, and Space must not start training behind a question.
func (s *Shell) dialogOpen() bool {
	return s.win.Canvas().Overlays().Top() != nil
}
