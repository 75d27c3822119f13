package widgets

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// Beside places a and b side by side, a taking frac of the width (never
// less than its minimum), with the theme's padding between.
func Beside(frac float32, a, b fyne.CanvasObject) *fyne.Container {
	return container.New(&split{frac: frac, across: true}, a, b)
}

// Above stacks a over b, a taking frac of the height (never less than its
// minimum), with the theme's padding between.
func Above(frac float32, a, b fyne.CanvasObject) *fyne.Container {
	return container.New(&split{frac: frac}, a, b)
}

type split struct {
	frac   float32
	across bool
}

// Layout shares the space.
func (s *split) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	total := size.Height
	if s.across {
		total = size.Width
	}
	first := float32(math.Round(float64((total - pad) * s.frac)))
	if s.across {
		first = max(first, objs[0].MinSize().Width)
		objs[0].Move(fyne.NewPos(0, 0))
		objs[0].Resize(fyne.NewSize(first, size.Height))
		objs[1].Move(fyne.NewPos(first+pad, 0))
		objs[1].Resize(fyne.NewSize(max(0, size.Width-first-pad), size.Height))
		return
	}
	first = max(first, objs[0].MinSize().Height)
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, first))
	objs[1].Move(fyne.NewPos(0, first+pad))
	objs[1].Resize(fyne.NewSize(size.Width, max(0, size.Height-first-pad)))
}

// MinSize puts the two minimums together.
func (s *split) MinSize(objs []fyne.CanvasObject) fyne.Size {
	a, b := objs[0].MinSize(), objs[1].MinSize()
	if s.across {
		return fyne.NewSize(a.Width+theme.Padding()+b.Width, max(a.Height, b.Height))
	}
	return fyne.NewSize(max(a.Width, b.Width), a.Height+theme.Padding()+b.Height)
}
