package widgets

import (
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

func TestStateDotFollowsTheTheme(t *testing.T) {
	test.NewTempApp(t)
	d := NewStateDot()
	d.SetColor(theme.ColorNameSuccess)
	test.NewTempWindow(t, d)
	r := test.TempWidgetRenderer(t, d).(*stateDotRenderer)
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		th := test.NewTheme()
		fixed := variantTheme{Theme: th, v: v}
		test.ApplyTheme(t, fixed)
		want := fixed.Color(theme.ColorNameSuccess, v)
		if got := r.circle.FillColor; !sameColor(got, want) {
			t.Errorf("dot colour under a %v theme = %v, want %v", v, got, want)
		}
	}
}

// variantTheme is a theme that always gives the colours of variant v.
type variantTheme struct {
	fyne.Theme
	v fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return theme.DefaultTheme().Color(n, t.v)
}

func sameColor(a, b color.Color) bool {
	r1, g1, b1, a1 := a.RGBA()
	r2, g2, b2, a2 := b.RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2 && a1 == a2
}
