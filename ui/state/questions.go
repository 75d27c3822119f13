package state

import (
	"fmt"
	"path/filepath"
)

// Question is a decision the window asks the user before it loses work.
type Question struct {
	Title, Text string
	Yes, No     string
}

// ResetQuestion is what Reset asks first, or nil when nothing unsaved
// would be lost.
func (w *Workspace) ResetQuestion() *Question {
	if !w.Unsaved() {
		return nil
	}
	return &Question{
		Title: "Discard the trained network?",
		Text:  "Reset starts over with a new, untrained network, and the trained weights are lost unless you save them first (Ctrl+S).",
		Yes:   "Discard", No: "Keep it",
	}
}

// NetQuestion is what a change of the network's settings to net asks
// first, or nil when the current network is untrained, which is simply
// made again. A trained or opened network is only discarded when the user
// agrees, saved or not: its settings would otherwise be lost from view.
func (w *Workspace) NetQuestion(net Net) *Question {
	if !w.Trained() || net.Equal(w.Net) {
		return nil
	}
	what := "The trained network"
	if w.Origin == Opened {
		what = "The network loaded from " + w.File
	}
	return &Question{
		Title: "Discard the trained network?",
		Text:  what + " has a different shape or starting point than these settings. Changing them starts a new, untrained network, and the trained weights are lost unless you save them first (Ctrl+S).",
		Yes:   "Discard", No: "Keep it",
	}
}

// OpenQuestion is what opening the model file at path asks first, or nil.
func (w *Workspace) OpenQuestion(path string) *Question {
	if !w.Unsaved() {
		return nil
	}
	return &Question{
		Title: "Replace the trained network?",
		Text:  fmt.Sprintf("Opening %s replaces the network in the window, and its training is lost unless you save it first (Ctrl+S).", filepath.Base(path)),
		Yes:   "Replace", No: "Keep it",
	}
}

// QuitQuestion is what closing the window asks first, or nil.
func (w *Workspace) QuitQuestion() *Question {
	if !w.Unsaved() {
		return nil
	}
	return &Question{
		Title: "Quit and discard the trained network?",
		Text:  "The network has trained since it was last saved, and closing the window loses it. Save it first with Ctrl+S to keep it.",
		Yes:   "Quit", No: "Cancel",
	}
}
