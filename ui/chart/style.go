package chart

import (
	"errors"
	"fmt"
	"image/color"
	"math"
)

// Style is the look of a chart, taken from the app's theme by the caller.
type Style struct {
	// Background fills the whole image.
	Background color.Color
	// Foreground colours the title, the tick labels and the axis labels.
	Foreground color.Color
	// Grid colours the grid lines and the axis lines.
	Grid color.Color
	// Series colours the data: the training curve uses the first, the test
	// measurements the second; a histogram uses the first. At least one is
	// needed; missing ones repeat the list.
	Series []color.Color
	// TextSize is the body text size in points, as in the theme (Fyne's
	// default is 14). Zero means 14.
	TextSize float64
	// Scale is the number of device pixels per point: the window's canvas
	// scale. Zero means 1.
	Scale float64
}

// DarkStyle returns the colours of Fyne's dark theme with a palette that reads
// well on it: orange for training, sky blue for test.
func DarkStyle() Style {
	return Style{
		Background: color.NRGBA{R: 0x17, G: 0x17, B: 0x18, A: 0xff},
		Foreground: color.NRGBA{R: 0xf3, G: 0xf3, B: 0xf3, A: 0xff},
		Grid:       color.NRGBA{R: 0x33, G: 0x33, B: 0x37, A: 0xff},
		Series: []color.Color{
			color.NRGBA{R: 0xff, G: 0x8a, B: 0x3d, A: 0xff},
			color.NRGBA{R: 0x4f, G: 0xc3, B: 0xf7, A: 0xff},
			color.NRGBA{R: 0x81, G: 0xc7, B: 0x84, A: 0xff},
			color.NRGBA{R: 0xf0, G: 0x62, B: 0x92, A: 0xff},
		},
		TextSize: 14,
		Scale:    1,
	}
}

// LightStyle returns the colours of Fyne's light theme with a palette that
// reads well on white: deep orange for training, blue for test.
func LightStyle() Style {
	return Style{
		Background: color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff},
		Foreground: color.NRGBA{R: 0x3a, G: 0x3a, B: 0x3a, A: 0xff},
		Grid:       color.NRGBA{R: 0xe6, G: 0xe6, B: 0xe8, A: 0xff},
		Series: []color.Color{
			color.NRGBA{R: 0xe8, G: 0x59, B: 0x0c, A: 0xff},
			color.NRGBA{R: 0x1c, G: 0x7e, B: 0xd6, A: 0xff},
			color.NRGBA{R: 0x2f, G: 0x9e, B: 0x44, A: 0xff},
			color.NRGBA{R: 0xc2, G: 0x25, B: 0x5c, A: 0xff},
		},
		TextSize: 14,
		Scale:    1,
	}
}

// The largest chart edge, in pixels. Beyond it an RGBA image takes hundreds
// of megabytes, which is never what a window wants.
const maxEdge = 8192

// resolved checks the style and fills in the documented zero values.
func (st Style) resolved() (Style, error) {
	if st.Background == nil || st.Foreground == nil || st.Grid == nil {
		return st, errors.New("chart style has no background, foreground or grid colour: start from DarkStyle or LightStyle")
	}
	if len(st.Series) == 0 {
		return st, errors.New("chart style has no series colours: give at least one")
	}
	for i, c := range st.Series {
		if c == nil {
			return st, fmt.Errorf("chart style series colour %d is nil: give a colour", i)
		}
	}
	if st.TextSize == 0 {
		st.TextSize = 14
	}
	if st.Scale == 0 {
		st.Scale = 1
	}
	if !(st.TextSize >= 4 && st.TextSize <= 72) {
		return st, fmt.Errorf("chart text size %g points is out of range: use 4 to 72", st.TextSize)
	}
	if !(st.Scale >= 0.25 && st.Scale <= 8) {
		return st, fmt.Errorf("chart scale %g pixels per point is out of range: use 0.25 to 8", st.Scale)
	}
	return st, nil
}

// series returns the i-th series colour, repeating the list when it is short.
func (st Style) series(i int) color.Color {
	return st.Series[i%len(st.Series)]
}

// muted is the foreground toned down towards the background, for tick labels
// and hints: readable, yet quieter than titles and data.
func (st Style) muted() color.Color {
	return mix(st.Foreground, st.Background, 0.3)
}

// mix returns a blended a fraction t of the way towards b, opaque. Faded
// colours are blended rather than made translucent so that what is drawn
// later covers what is behind it, and so that tests can look for an exact
// colour.
func mix(a, b color.Color, t float64) color.NRGBA {
	t = math.Max(0, math.Min(1, t))
	ca := color.NRGBAModel.Convert(a).(color.NRGBA)
	cb := color.NRGBAModel.Convert(b).(color.NRGBA)
	f := func(x, y uint8) uint8 {
		return uint8(math.Round(float64(x)*(1-t) + float64(y)*t))
	}
	return color.NRGBA{R: f(ca.R, cb.R), G: f(ca.G, cb.G), B: f(ca.B, cb.B), A: 0xff}
}
