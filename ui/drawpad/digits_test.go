package drawpad

import (
	"bytes"
	"flag"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the pen-drawn digits in ../../testdata/digits")

// digitStrokes are the ten digits as a person might draw them on the pad,
// one polyline each, in ink-buffer pixels.
var digitStrokes = [10][]float32{
	{140, 45, 95, 65, 80, 140, 95, 215, 140, 235, 185, 215, 200, 140, 185, 65, 140, 45},
	{115, 80, 150, 45, 145, 140, 140, 235},
	{85, 95, 110, 55, 160, 48, 195, 80, 190, 125, 150, 165, 90, 230, 200, 230},
	{90, 60, 150, 45, 195, 75, 185, 120, 135, 140, 190, 160, 200, 205, 160, 235, 90, 225},
	{170, 235, 170, 45, 80, 175, 210, 175},
	{195, 50, 100, 50, 90, 130, 150, 120, 195, 150, 195, 200, 150, 235, 90, 220},
	{180, 50, 120, 90, 90, 160, 100, 215, 145, 235, 190, 205, 185, 160, 140, 145, 95, 170},
	{80, 55, 200, 55, 130, 235},
	{175, 75, 140, 45, 100, 70, 110, 115, 170, 160, 180, 210, 140, 235, 95, 210, 105, 160, 170, 115, 180, 75},
	{190, 100, 150, 135, 100, 115, 100, 70, 145, 45, 190, 70, 190, 140, 170, 235},
}

// TestPenDrawnDigits keeps testdata/digits at the top of the repository equal
// to what this pad's pen draws, so that the command line's tests read the
// same digits a person would draw in the window. Run with -update after
// changing the pen.
func TestPenDrawnDigits(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "testdata", "digits")
	for d, pts := range digitStrokes {
		k := newInk()
		for i := 2; i+1 < len(pts); i += 2 {
			k.segment(pts[i-2], pts[i-1], pts[i], pts[i+1])
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, k.gray()); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, fmt.Sprintf("%d.png", d))
		if *update {
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatalf("%v (run go test ./ui/drawpad -run PenDrawnDigits -update)", err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		want := k.gray()
		if img.Bounds() != want.Bounds() {
			t.Fatalf("%s is %v, the pen draws %v", path, img.Bounds(), want.Bounds())
		}
		for y := range InkSize {
			for x := range InkSize {
				r, _, _, _ := img.At(x, y).RGBA()
				if uint8(r>>8) != want.GrayAt(x, y).Y {
					t.Fatalf("%s differs from the pen's drawing at (%d, %d): run with -update", path, x, y)
				}
			}
		}
	}
}
