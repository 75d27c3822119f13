// Package ui is the playground's window. It is a shell around views:
//
//   - ui/state is the workspace without Fyne: the network and where it came
//     from, the run, the kept runs, and every rule of what may happen next;
//   - ui/settings, ui/training, ui/layers and ui/drawpad are the views,
//     each rendering from the workspace and sending the user's actions to
//     the shell through callbacks; no view imports another or the shell;
//   - ui/widgets holds what the views build with, wired to the window's
//     keyboard by a Kit, and ui/chart draws the charts without Fyne;
//   - this package, the shell, owns the window: its layout, toolbar,
//     status line, keys, dialogs, the training session and the workers.
//
// The engine trains on its own goroutine and publishes immutable snapshots.
// One goroutine per session reads them and hands each to the shell on
// Fyne's goroutine, which applies it to the workspace and lets every view
// update. Charts are specs (a target, a key and a draw function) that the
// one render worker draws off the UI goroutine, knowing nothing of what they
// show; a second worker runs the network on the drawing. Each takes the
// newest job and drops older ones, so a slow window costs frames, never
// training speed or a growing queue.
package ui
