package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/mnistplayground/mnistplayground/ui/chart"
)

// chartStyle builds the charts' look from the window's theme, so that the
// charts sit on the window's own background in the dark and the light
// variant alike, and a custom theme colours them too. Training is drawn in
// the theme's warning orange and the test measurements in its primary colour,
// which in Fyne's themes are the two most distinct hues that read on both
// backgrounds. scale is the canvas's device pixels per point.
func chartStyle(th fyne.Theme, v fyne.ThemeVariant, scale float32) chart.Style {
	// The separator of the dark theme is black, which vanishes on its
	// near-black background; the input border is the theme's quiet line
	// colour in both variants.
	return chart.Style{
		Background: th.Color(theme.ColorNameBackground, v),
		Foreground: th.Color(theme.ColorNameForeground, v),
		Grid:       th.Color(theme.ColorNameInputBorder, v),
		Series: []color.Color{
			th.Color(theme.ColorNameWarning, v),
			th.Color(theme.ColorNamePrimary, v),
			th.Color(theme.ColorNameSuccess, v),
			th.Color(theme.ColorNameError, v),
		},
		// Chart text a little above body size: tick labels are drawn at
		// 85% of it, and they must stay readable from the back of a room.
		TextSize: float64(th.Size(theme.SizeNameText)) * 1.1,
		Scale:    clampScale(float64(scale)),
	}
}

// clampScale keeps a canvas scale inside what the chart package accepts; a
// canvas that is not on screen yet may report 0.
func clampScale(s float64) float64 {
	switch {
	case !(s > 0):
		return 1
	case s < 0.25:
		return 0.25
	case s > 8:
		return 8
	}
	return s
}

// sameStyle reports whether two chart styles draw the same pixels, so that a
// theme refresh that changes nothing does not redraw every chart.
func sameStyle(a, b chart.Style) bool {
	if a.TextSize != b.TextSize || a.Scale != b.Scale || len(a.Series) != len(b.Series) ||
		!sameColor(a.Background, b.Background) || !sameColor(a.Foreground, b.Foreground) || !sameColor(a.Grid, b.Grid) {
		return false
	}
	for i := range a.Series {
		if !sameColor(a.Series[i], b.Series[i]) {
			return false
		}
	}
	return true
}

func sameColor(a, b color.Color) bool {
	if a == nil || b == nil {
		return a == b
	}
	r1, g1, b1, a1 := a.RGBA()
	r2, g2, b2, a2 := b.RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2 && a1 == a2
}

// legibleTheme is Fyne's default theme with quiet text that stays readable on
// a projector. The default's disabled colour, which Fyne also uses for
// low-importance labels (hints, captions, the slider's scale), is a dark grey
// on the dark background, close to invisible from the back of a lecture
// hall; here it is a mid grey that still reads as quieter than the
// foreground.
type legibleTheme struct{ fyne.Theme }

// Theme returns the app's theme: Fyne's own, light or dark as the system
// asks, with legible quiet text.
func Theme() fyne.Theme { return legibleTheme{theme.DefaultTheme()} }

// Color implements fyne.Theme.
func (t legibleTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameDisabled {
		if v == theme.VariantLight {
			return color.NRGBA{R: 0x76, G: 0x76, B: 0x7c, A: 0xff}
		}
		return color.NRGBA{R: 0x92, G: 0x92, B: 0x98, A: 0xff}
	}
	return t.Theme.Color(n, v)
}

// chartLook is the charts' style as last handed to the render worker, with
// a number that changes whenever it does.
type chartLook struct {
	style chart.Style
	gen   int
}

// current returns the style of the theme and scale that obj is drawn
// with; presentation mode draws the charts' text and lines larger.
func (l *chartLook) current(obj fyne.CanvasObject) (chart.Style, int) {
	var scale float32 = 1
	if c := fyne.CurrentApp().Driver().CanvasForObject(obj); c != nil {
		scale = c.Scale()
	}
	th := fyne.CurrentApp().Settings().Theme()
	if w, ok := obj.(fyne.Widget); ok {
		if t, ok := w.(interface{ Theme() fyne.Theme }); ok {
			th = t.Theme()
		}
	}
	st := chartStyle(th, fyne.CurrentApp().Settings().ThemeVariant(), scale)
	if _, ok := th.(presentTheme); ok {
		// The theme's text is larger already; the lines grow with it.
		st.Scale *= 1.1
	}
	if l.gen == 0 || !sameStyle(st, l.style) {
		l.style = st
		l.gen++
	}
	return l.style, l.gen
}

// The theme choices the View menu offers and the preferences remember.
const (
	themeSystem = "system"
	themeLight  = "light"
	themeDark   = "dark"
)

// themeFor is the app's theme for a choice, and for presentation mode: the
// legible theme, in the variant chosen (or the system's), made larger and of
// higher contrast for a projector when presenting.
func themeFor(choice string, presenting bool) fyne.Theme {
	var t fyne.Theme = legibleTheme{theme.DefaultTheme()}
	switch choice {
	case themeLight:
		t = variantTheme{t, theme.VariantLight}
	case themeDark:
		t = variantTheme{t, theme.VariantDark}
	}
	if presenting {
		t = presentTheme{t}
	}
	return t
}

// variantTheme gives the colours of one variant, whatever the system asks.
type variantTheme struct {
	fyne.Theme
	v fyne.ThemeVariant
}

// Color implements fyne.Theme.
func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.v)
}

// presentTheme is a theme for the back of a lecture hall: text a third
// larger, and the foreground and background at full contrast.
type presentTheme struct{ fyne.Theme }

// presentScale is how much larger presentation mode draws text.
const presentScale = 1.35

// Size implements fyne.Theme.
func (t presentTheme) Size(n fyne.ThemeSizeName) float32 {
	s := t.Theme.Size(n)
	switch n {
	case theme.SizeNameText, theme.SizeNameSubHeadingText, theme.SizeNameHeadingText, theme.SizeNameCaptionText,
		theme.SizeNameInlineIcon:
		return s * presentScale
	}
	return s
}

// Color implements fyne.Theme.
func (t presentTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	light := isLight(t.Theme.Color(theme.ColorNameBackground, v))
	switch n {
	case theme.ColorNameBackground:
		if light {
			return color.White
		}
		return color.Black
	case theme.ColorNameForeground:
		if light {
			return color.Black
		}
		return color.White
	case theme.ColorNameDisabled, theme.ColorNamePlaceHolder:
		if light {
			return color.NRGBA{R: 0x50, G: 0x50, B: 0x50, A: 0xff}
		}
		return color.NRGBA{R: 0xc0, G: 0xc0, B: 0xc0, A: 0xff}
	}
	return t.Theme.Color(n, v)
}

// isLight reports whether a background colour is light.
func isLight(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r+g+b > 3*0x8000
}
