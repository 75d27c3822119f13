package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/engine"
)

var _ fyne.Widget = (*StateDot)(nil)

// StateDot is the coloured dot before the status line. It keeps the name of
// its theme colour rather than the colour, so that it follows a switch
// between the light and the dark theme.
type StateDot struct {
	widget.BaseWidget
	name fyne.ThemeColorName
}

func NewStateDot() *StateDot {
	d := &StateDot{name: theme.ColorNamePlaceHolder}
	d.ExtendBaseWidget(d)
	return d
}

// SetColor shows the theme colour n.
func (d *StateDot) SetColor(n fyne.ThemeColorName) {
	if d.name != n {
		d.name = n
		d.Refresh()
	}
}

// CreateRenderer draws the dot as a circle.
func (d *StateDot) CreateRenderer() fyne.WidgetRenderer {
	r := &stateDotRenderer{dot: d, circle: &canvas.Circle{}}
	r.Refresh()
	return r
}

type stateDotRenderer struct {
	dot    *StateDot
	circle *canvas.Circle
}

func (r *stateDotRenderer) Destroy() {}

func (r *stateDotRenderer) Layout(size fyne.Size) { r.circle.Resize(size) }

func (r *stateDotRenderer) MinSize() fyne.Size { return fyne.NewSquareSize(theme.TextSize() * 0.7) }

func (r *stateDotRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.circle} }

// Refresh comes with a new colour name and with a theme change.
func (r *stateDotRenderer) Refresh() {
	th := r.dot.Theme()
	r.circle.FillColor = th.Color(r.dot.name, fyne.CurrentApp().Settings().ThemeVariant())
	r.circle.Refresh()
}

// StateColor is the dot's theme colour for a state.
func StateColor(st engine.State) fyne.ThemeColorName {
	switch st {
	case engine.Running:
		return theme.ColorNameSuccess
	case engine.Paused:
		return theme.ColorNameWarning
	case engine.Done:
		return theme.ColorNamePrimary
	case engine.Failed:
		return theme.ColorNameError
	}
	return theme.ColorNamePlaceHolder
}
