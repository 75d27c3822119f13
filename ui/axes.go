package ui

// setFixedAxes makes the charts that compare runs span every run shown (on)
// or fit the current run (off), ticks the View menu's item to match, and
// remembers the choice.
func (s *Shell) setFixedAxes(on bool) {
	s.ws.FixedAxes = on
	s.prefs.setFixedAxes(on)
	if it := s.axesItem; it != nil {
		it.Checked = on
		if m := s.win.MainMenu(); m != nil {
			m.Refresh()
		}
	}
	s.refresh()
}
