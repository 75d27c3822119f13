// Package state is the playground's workspace without its window: the
// network and where it came from, the run that trains it, the runs kept so
// far, and the decisions the window asks the user to make. It imports the
// engine and nothing of Fyne, so that every rule of the window (when Reset
// asks first, when Continue carries a run on, what the status line says)
// is a plain function that a plain Go test can check.
//
// The window's shell owns one Workspace and calls it on Fyne's goroutine
// only; the workspace shares nothing with the session's goroutine but the
// immutable snapshots it is handed.
package state
