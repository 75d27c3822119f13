package state

// Buttons is what the toolbar's buttons can do now.
type Buttons struct {
	Start, Pause, Step, Reset, Save bool
	// Continue is set when Start carries a trained network on.
	Continue bool
	// Resume is set when Pause would resume a paused session.
	Resume bool
	// TrainingEditable is whether the settings a running session cannot
	// take (optimiser, schedule, batch size, epochs) may be edited.
	TrainingEditable bool
}

// Buttons returns the buttons' states, given whether the settings are
// valid.
func (w *Workspace) Buttons(valid bool) Buttons {
	live := w.Live()
	can := w.CanTrain(valid)
	return Buttons{
		Start:            !live && can,
		Pause:            live && !w.Closing,
		Step:             can && (!live || w.Run.Paused()),
		Reset:            w.Run != nil || w.Trained(),
		Save:             w.Model != nil && !w.Closing,
		Continue:         w.Trained() && !live,
		Resume:           live && w.Run.Paused(),
		TrainingEditable: !live,
	}
}
