package training

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// splitLayout stacks two objects, the first taking frac of the height.
type splitLayout struct{ frac float32 }

// Layout shares the height.
func (l *splitLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	h0 := float32(math.Round(float64((size.Height - pad) * l.frac)))
	h0 = max(h0, objs[0].MinSize().Height)
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, h0))
	objs[1].Move(fyne.NewPos(0, h0+pad))
	objs[1].Resize(fyne.NewSize(size.Width, max(0, size.Height-h0-pad)))
}

// MinSize stacks the two minimums.
func (l *splitLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	a, b := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(max(a.Width, b.Width), a.Height+theme.Padding()+b.Height)
}
