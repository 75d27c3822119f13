package drawpad

import (
	"image"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

func TestPreview(t *testing.T) {
	test.NewTempApp(t)
	p := NewPreview()
	w := test.NewTempWindow(t, p)
	w.Resize(fyne.NewSize(300, 300))
	r := test.TempWidgetRenderer(t, p).(*previewRenderer)

	if !r.image.Hidden || p.Image() != nil {
		t.Error("a new preview shows an image")
	}
	if r.caption.Text != previewCaption {
		t.Errorf("caption %q, want %q", r.caption.Text, previewCaption)
	}

	src := image.NewGray(image.Rect(0, 0, 28, 28))
	src.SetGray(3, 5, color.Gray{Y: 200})
	src.SetGray(27, 27, color.Gray{Y: 255})
	p.Set(src)
	if r.image.Hidden || r.image.Image == nil {
		t.Fatal("Set did not show the image")
	}
	if r.image.ScaleMode != canvas.ImageScalePixels || r.image.FillMode != canvas.ImageFillContain {
		t.Errorf("scale mode %v, fill mode %v; want crisp pixels, contained", r.image.ScaleMode, r.image.FillMode)
	}
	shown := r.image.Image.(*image.Gray)
	tests := []struct {
		x, y int
		want uint8
	}{{3, 5, 200}, {27, 27, 255}, {0, 0, 0}, {14, 14, 0}}
	for _, tt := range tests {
		if got := shown.GrayAt(tt.x, tt.y).Y; got != tt.want {
			t.Errorf("pixel (%d,%d) = %d, want %d", tt.x, tt.y, got, tt.want)
		}
	}
	src.SetGray(14, 14, color.Gray{Y: 255})
	if got := shown.GrayAt(14, 14).Y; got != 0 {
		t.Error("changing the caller's image changed the preview")
	}
	if s := r.image.Size(); s.Width != s.Height || s.Width < previewMinSide {
		t.Errorf("image area %v, want a square of at least %d", s, previewMinSide)
	}
	if r.caption.Position().Y < r.frame.Position().Y+r.frame.Size().Height {
		t.Error("the caption overlaps the image")
	}

	p.Clear()
	if !r.image.Hidden || p.Image() != nil {
		t.Error("Clear left the image showing")
	}
	p.Set(src)
	p.Set(nil)
	if !r.image.Hidden {
		t.Error("Set(nil) left the image showing")
	}
}

func TestPreviewMarkup(t *testing.T) {
	test.NewTempApp(t)
	src := image.NewGray(image.Rect(0, 0, 28, 28))
	for i := 4; i < 24; i++ {
		src.SetGray(i, i, color.Gray{Y: 255})
		src.SetGray(i, 6, color.Gray{Y: 128})
	}
	p := NewPreview()
	p.Set(src)
	// At its minimum size the caption must fit whole.
	w := test.NewTempWindow(t, p)
	test.AssertRendersToMarkup(t, "preview.xml", w.Canvas())
}
