package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// display is how the window looks: the theme chosen and whether it is
// presenting.
type display struct {
	theme      string // themeSystem, themeLight or themeDark
	presenting bool
	// wasFull is whether the window was full screen before presenting,
	// to leave it so afterwards.
	wasFull bool
}

// applyTheme sets the app's theme from the display's choice.
func (s *Shell) applyTheme() {
	fyne.CurrentApp().Settings().SetTheme(themeFor(s.show.theme, s.show.presenting))
}

// setTheme switches to a theme choice and remembers it.
func (s *Shell) setTheme(choice string) {
	s.show.theme = choice
	s.prefs.setString(prefTheme, choice)
	s.applyTheme()
	s.ChartsChanged()
}

// togglePresenting enters or leaves presentation mode: full screen, the
// settings hidden, larger text and charts, full contrast and a large status
// line, for the back of a lecture hall. Esc leaves it.
func (s *Shell) togglePresenting() {
	s.Release()
	p := !s.show.presenting
	s.show.presenting = p
	if p {
		s.show.wasFull = s.win.FullScreen()
		s.win.SetFullScreen(true)
		// The training curves come forward: they are what is shown.
		if !s.panels.shown(panelTraining) {
			s.panels.choose(panelTraining)
		}
	} else if !s.show.wasFull {
		s.win.SetFullScreen(false)
	}
	s.panels.hide(panelSettings, p)
	s.views.training.SetPresenting(p)
	s.bar.text.SizeName = theme.SizeNameSubHeadingText
	if p {
		s.bar.text.SizeName = theme.SizeNameHeadingText
	}
	s.bar.text.Refresh()
	s.applyTheme()
	s.refresh()
}

// toggleFullScreen switches the window between full screen and not.
func (s *Shell) toggleFullScreen() {
	s.win.SetFullScreen(!s.win.FullScreen())
}
