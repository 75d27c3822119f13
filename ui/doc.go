// Package ui is the playground's window: the settings of a network and of
// its training, the buttons and keys that run a session, the live charts of
// its loss, accuracy and weights, and the pad to draw a digit on while the
// network learns.
//
// The engine trains on its own goroutine and publishes immutable snapshots.
// One goroutine per session reads them and hands each to Playground.apply on
// Fyne's goroutine; apply updates the status line and the buttons, and passes
// the snapshot on to two more goroutines that never touch a widget: the chart
// renderer, which draws the charts into new images with package chart, and
// the predictor, which runs the network on the drawing. Their results come
// back through fyne.Do as well. Each of these goroutines takes the newest
// job and drops older ones, so a slow window costs frames, never training
// speed or a growing queue.
package ui
