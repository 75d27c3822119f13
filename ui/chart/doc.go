// Package chart draws the playground's training charts: the loss curve, the
// test accuracy and the ridge plot of a layer's weight histograms.
//
// It renders with gonum/plot and never imports fyne, so the window can draw
// on a background goroutine and only swap the finished image into its
// canvas.Image inside fyne.Do, the command line can draw the same charts,
// and the tests and benchmarks need no display. Every function returns a
// new image: an image that is on screen is never drawn into again.
//
// Each chart's drawing code sees only a vg canvas, so the same code draws
// into a vgimg raster (Loss, Accuracy, Histogram and Render) and into a
// vgsvg document (Export with SVG): an exported chart is drawn again at the
// export's size and style, not copied from the screen. A Chart (LossChart,
// AccuracyChart, HistogramChart, Stack, LossAndAccuracy) holds what to draw;
// Render, Export and ExportFile draw it.
//
// Sizes are in device pixels (CSS pixels in an SVG); text and line widths
// are in points, and a point is Style.Scale pixels, so a chart stays legible
// on a HiDPI laptop or a projector when the caller passes the window's scale.
// Colours come only from the Style, which the caller takes from the app's
// theme; PrintStyle is the light style scaled for a slide or a page.
package chart
