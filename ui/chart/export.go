package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"path/filepath"
	"strings"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/internal/atomicfile"
)

// Chart is a chart ready to be drawn at any size, in any style, into an
// image (Render) or a file (Export): LossChart, AccuracyChart,
// HistogramChart, or several of them one above the other (Stack). It holds
// what it shows, not pixels, so an exported chart is drawn again at the
// export's size and style rather than copied from the screen. A Chart keeps
// no state between draws and may be drawn from several goroutines at once.
type Chart struct {
	name string       // what an error calls it: "loss"
	draw func(*frame) // draws into the frame's area; may panic (see guard)
}

// Stack is the charts one above the other, the first at the top, sharing
// the height equally. Each keeps its own title, legend and axes; their data
// areas share their left and right edges, so that one x axis reads across
// all of them.
func Stack(charts ...Chart) Chart {
	names := make([]string, len(charts))
	for i, c := range charts {
		names[i] = c.name
	}
	return Chart{name: strings.Join(names, " and "), draw: func(f *frame) {
		if len(charts) == 0 {
			return
		}
		weights := make([]float64, len(charts))
		for i := range weights {
			weights[i] = 1
		}
		first := len(*f.plots)
		for i, sub := range f.rows(weights) {
			if sub.h > 0 {
				charts[i].draw(sub)
			}
		}
		alignPlots((*f.plots)[first:])
	}}
}

// LossAndAccuracy is the training figure of a run: the loss chart with the
// test accuracy below it, on the same epoch axis.
func LossAndAccuracy(s *engine.Snapshot, logY bool) Chart {
	return Stack(LossChart(s, logY), AccuracyChart(s))
}

// Render draws c into a new width×height image in the style st.
func Render(c Chart, width, height int, st Style) (img image.Image, err error) {
	if c.draw == nil {
		return nil, errors.New("chart: Render of a zero Chart")
	}
	if err := checkSize(width, height); err != nil {
		return nil, err
	}
	st, err = st.resolved()
	if err != nil {
		return nil, err
	}
	defer guard(&err, c.name)
	rgba, f := newRaster(width, height, st)
	c.draw(f)
	f.flush()
	return rgba, nil
}

// Format is a file format a chart is exported in.
type Format int

// The export formats.
const (
	// PNG is an image of the chart's size in pixels.
	PNG Format = iota
	// SVG is a vector drawing of the chart's size in CSS pixels (96 to the
	// inch), with its text as text in Liberation Sans, which is not
	// embedded: a system without it shows Arial or Helvetica, whose metrics
	// Liberation Sans shares, or another sans-serif.
	SVG
)

// String returns "png" or "svg", the format's file extension.
func (f Format) String() string {
	switch f {
	case PNG:
		return "png"
	case SVG:
		return "svg"
	}
	return fmt.Sprintf("format(%d)", int(f))
}

// FormatOf returns the format a file name's extension names, .png or .svg
// in any case.
func FormatOf(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png":
		return PNG, nil
	case ".svg":
		return SVG, nil
	case "":
		return 0, fmt.Errorf("%s has no extension: end the name in .png or .svg to choose the format", path)
	}
	return 0, fmt.Errorf("cannot export a chart as %s: end the name in .png or .svg", filepath.Ext(path))
}

// Export writes c to w as a width×height chart in the style st, in the
// format given: drawn again at that size, through the same drawing code as
// the window's charts.
func Export(w io.Writer, format Format, c Chart, width, height int, st Style) error {
	switch format {
	case PNG:
		img, err := Render(c, width, height, st)
		if err != nil {
			return err
		}
		return png.Encode(w, img)
	case SVG:
		return writeSVG(w, c, width, height, st)
	}
	return fmt.Errorf("chart: unknown export format %d", int(format))
}

// writeSVG draws c as an SVG document.
func writeSVG(w io.Writer, c Chart, width, height int, st Style) (err error) {
	if c.draw == nil {
		return errors.New("chart: Export of a zero Chart")
	}
	if err := checkSize(width, height); err != nil {
		return err
	}
	st, err = st.resolved()
	if err != nil {
		return err
	}
	var doc bytes.Buffer
	if err := func() (err error) {
		defer guard(&err, c.name)
		cv, f := newVector(width, height, st)
		c.draw(f)
		f.flush()
		_, err = cv.WriteTo(&doc)
		return err
	}(); err != nil {
		return err
	}
	_, err = w.Write(bytes.ReplaceAll(doc.Bytes(), []byte(svgFamily), []byte(svgFallbacks)))
	return err
}

// vgsvg names the font alone; where Liberation Sans is missing, a viewer
// would fall back to its default font, often a serif. Arial and Helvetica
// have the same metrics, so the text keeps its size and place.
const (
	svgFamily    = "font-family:Liberation Sans;"
	svgFallbacks = "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"
)

// ExportFile writes c to path in the format its extension names (see
// FormatOf). It writes a temporary file beside path and renames it, so a
// failed export leaves whatever was at path as it was.
func ExportFile(path string, c Chart, width, height int, st Style) error {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	if err := atomicfile.Write(path, func(w io.Writer) error {
		return Export(w, format, c, width, height, st)
	}); err != nil {
		return fmt.Errorf("cannot write the chart to %s: %w", path, err)
	}
	return nil
}

// PrintStyle is LightStyle for a chart exported at width×height pixels:
// its Scale makes the chart read like one about 800×500 points on screen,
// so text and lines stay legible on a slide or a page rather than shrinking
// as the pixel count grows. It never goes below 1.
func PrintStyle(width, height int) Style {
	st := LightStyle()
	s := math.Min(float64(width)/800, float64(height)/500)
	st.Scale = math.Max(1, math.Min(8, math.Round(s*100)/100))
	return st
}
