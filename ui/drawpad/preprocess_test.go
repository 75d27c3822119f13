package drawpad

import (
	"errors"
	"image"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/mnistplayground/mnistplayground/engine"
)

// The window's glue: every drawing the pad reports is preprocessed into the
// network's input and shown in the preview.
func TestPadPreprocessesIntoNetworkInput(t *testing.T) {
	p, _ := newTestPad(t, fyne.NewSize(400, 400))
	preview := NewPreview()
	var inputs [][]float32
	var errs []error
	p.OnChanged = func(img image.Image) {
		x, err := engine.Preprocess(img)
		if err != nil {
			errs = append(errs, err)
			preview.Clear()
			return
		}
		inputs = append(inputs, x)
		preview.Set(engine.InputImage(x))
	}

	// A "1": one vertical stroke in the left third of the pad. MNIST centres
	// by the centre of mass, so it must arrive in the middle columns.
	stroke(p, [2]float32{0.3, 0.15}, [2]float32{0.3, 0.5}, [2]float32{0.3, 0.85})
	if len(inputs) == 0 {
		t.Fatalf("no input was produced; errors: %v", errs)
	}
	x := inputs[len(inputs)-1]
	if len(x) != 28*28 {
		t.Fatalf("input has %d values, want 784", len(x))
	}
	var mass, sumX float64
	full := 0
	for i, v := range x {
		mass += float64(v)
		sumX += float64(v) * float64(i%28)
		if v > 0.9 {
			full++
		}
	}
	if full < 15 {
		t.Errorf("%d input pixels have full ink, want a stroke about 20 pixels long", full)
	}
	if cx := sumX / mass; cx < 13 || cx > 15 {
		t.Errorf("centre of mass at column %.1f, want near 14 as in MNIST", cx)
	}
	if preview.Image() == nil {
		t.Error("the preview shows nothing after a stroke")
	}

	p.Clear()
	if len(errs) == 0 || !errors.Is(errs[len(errs)-1], engine.ErrNothingDrawn) {
		t.Errorf("a cleared pad preprocessed with errors %v, want ErrNothingDrawn last", errs)
	}
	if preview.Image() != nil {
		t.Error("the preview still shows an image after Clear")
	}
}
