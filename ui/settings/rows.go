package settings

import (
	"slices"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/state"
	"github.com/mnistplayground/mnistplayground/ui/widgets"
)

// pushRow appends a layer row with the size and activation of the last one
// (or 100 ReLU units), as the program's change.
func (v *View) pushRow() *LayerRow {
	size, act := "100", engine.ReLU.String()
	if n := len(v.Layers); n > 0 {
		size, act = v.Layers[n-1].Size.Text, v.Layers[n-1].Act.Selected
	}
	r := &LayerRow{Label: widget.NewLabel("")}
	r.Label.Alignment = fyne.TextAlignTrailing
	r.Size = v.field(state.ParseUnits, v.netEdited)
	r.Size.SetValue(size)
	r.Act = v.kit.Choice(labels(engine.Activations, engine.Activation.String), func(int) { v.netEdited() })
	r.Act.SetQuietly(act)
	r.Remove = v.kit.Button("", theme.ContentRemoveIcon(), func() { v.removeLayer(r) })
	r.Remove.Importance = widget.LowImportance
	r.Curve = v.kit.Chart(3, 1.2)
	r.row = container.NewBorder(nil, nil, container.NewHBox(widgets.Chars(1, r.Label), widgets.Chars(4, r.Size)),
		container.NewHBox(r.Curve, r.Remove), r.Act)
	v.Layers = append(v.Layers, r)
	v.layerBox.Add(r.row)
	v.numberRows()
	return r
}

// dropRow removes layer row i, as the program's change.
func (v *View) dropRow(i int) {
	v.layerBox.Remove(v.Layers[i].row)
	v.Layers = slices.Delete(v.Layers, i, i+1)
	v.numberRows()
}

// numberRows numbers the layer rows and allows adding only below the limit.
func (v *View) numberRows() {
	for i, r := range v.Layers {
		r.Label.SetText(strconv.Itoa(i + 1))
	}
	if len(v.Layers) >= engine.MaxHidden {
		v.AddLayer.Disable()
	} else {
		v.AddLayer.Enable()
	}
}

// appendLayer is the user adding a hidden layer.
func (v *View) appendLayer() {
	if len(v.Layers) >= engine.MaxHidden {
		return
	}
	v.pushRow()
	v.netEdited()
}

// removeLayer is the user removing a hidden layer.
func (v *View) removeLayer(r *LayerRow) {
	if i := slices.Index(v.Layers, r); i >= 0 {
		v.dropRow(i)
		v.netEdited()
	}
}
