package ui

// setFixedAxes makes the charts that compare runs span every run shown (on)
// or fit the current run (off), ticks the View menu's item to match, and
// remembers the choice.
func (s *Shell) setFixedAxes(on bool) {
	s.ws.FixedAxes = on
	s.prefs.setFixedAxes(on)
	if m := s.win.MainMenu(); m != nil {
		for _, menu := range m.Items {
			for _, it := range menu.Items {
				if it.Label == fixedAxesLabel {
					it.Checked = on
				}
			}
		}
		m.Refresh()
	}
	s.refresh()
}

// fixedAxesLabel is the View menu's item for setFixedAxes.
const fixedAxesLabel = "Fixed axes across runs"
