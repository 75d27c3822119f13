package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// ctrl is the platform's shortcut modifier: Ctrl, or Cmd on macOS.
const ctrl = fyne.KeyModifierShortcutDefault

// shortcuts are the window's modifier shortcuts. They work wherever the
// focus is, a settings field included (field passes them on).
func (p *Playground) shortcuts() []struct {
	key fyne.KeyName
	fn  func()
} {
	return []struct {
		key fyne.KeyName
		fn  func()
	}{
		{fyne.KeyO, p.openModelDialog},
		{fyne.KeyS, p.saveModelDialog},
		{fyne.KeyL, func() { p.logScale.SetChecked(!p.logScale.Checked) }},
		{fyne.KeyR, p.reset},
	}
}

// installKeys connects the keyboard: the modifier shortcuts on the canvas,
// and the single keys through the canvas's OnTypedKey, which Fyne only calls
// while no widget has the focus, so that typing into a field never starts
// or resets training.
func (p *Playground) installKeys() {
	c := p.win.Canvas()
	for _, sc := range p.shortcuts() {
		fn := sc.fn
		c.AddShortcut(&desktop.CustomShortcut{KeyName: sc.key, Modifier: ctrl}, func(fyne.Shortcut) {
			if !p.dialogOpen() {
				fn()
			}
		})
	}
	c.SetOnTypedKey(p.typedKey)
}

// shortcut runs a modifier shortcut typed into a field, reporting whether
// it was one of the window's.
func (p *Playground) shortcut(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	if !ok || cs.Modifier != ctrl {
		return false
	}
	for _, sc := range p.shortcuts() {
		if sc.key == cs.KeyName {
			if !p.dialogOpen() {
				sc.fn()
			}
			return true
		}
	}
	return false
}

// typedKey handles the single-key shortcuts: Space starts, pauses and
// resumes, S or → steps, R resets, C clears the pad, V switches the charts
// between the training curves and the layers when only one group fits.
func (p *Playground) typedKey(k *fyne.KeyEvent) {
	if p.dialogOpen() {
		p.dialogKey(k)
		return
	}
	switch k.Name {
	case fyne.KeySpace:
		p.start()
	case fyne.KeyS, fyne.KeyRight:
		if !p.stepBtn.Disabled() {
			p.step()
		}
	case fyne.KeyR:
		p.reset()
	case fyne.KeyC:
		p.digit.pad.Clear()
	case fyne.KeyV:
		p.charts.panel.toggle()
	}
}

// dialogOpen reports whether a dialog covers the window: its keys are its
// own, and Space must not start training behind a question.
func (p *Playground) dialogOpen() bool {
	return p.win.Canvas().Overlays().Top() != nil
}
