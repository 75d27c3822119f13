// Package chart draws the playground's training charts into images: the loss
// curve, the test accuracy and the ridge plot of a layer's weight histograms.
//
// It renders with gonum/plot onto a vgimg raster canvas and never imports
// fyne, so the window can draw on a background goroutine and only swap the
// finished image into its canvas.Image inside fyne.Do, and the tests and
// benchmarks need no display. Every function returns a new image: an image
// that is on screen is never drawn into again.
//
// Sizes are in device pixels; text and line widths are in points, and a point
// is Style.Scale pixels, so a chart stays legible on a HiDPI laptop or a
// projector when the caller passes the window's scale. Colours come only from
// the Style, which the caller takes from the app's theme.
package chart
