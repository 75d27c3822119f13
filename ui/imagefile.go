package ui

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"

	"github.com/mnistplayground/mnistplayground/engine"
)

// imageExts are the image files a digit can be read from.
var imageExts = []string{".png", ".jpg", ".jpeg", ".gif"}

// readDigitDialog asks for a photo or scan of a handwritten digit.
func (s *Shell) readDigitDialog() {
	s.askPath("Read a digit image", "Read", "type a path to a PNG, JPEG or GIF image, or Browse…", imageExts, nil, s.readDigit)
}

// readDigit reads the image at path in the background, within the engine's
// limits, puts it through the preprocessing a drawing gets, and shows it on
// the pad's input.
func (s *Shell) readDigit(path string) {
	s.life.wg.Go(func() {
		img, err := engine.ReadImageFile(s.life.ctx, path)
		var x []float32
		if err == nil {
			x, err = engine.Preprocess(img)
		}
		s.ui(func() {
			switch {
			case errors.Is(err, engine.ErrNothingDrawn):
				s.showError("Cannot read the digit", fmt.Errorf("in %s: %w", filepath.Base(path), err))
			case err != nil:
				s.showError("Cannot read the image", fmt.Errorf("reading %s: %w; the pad stays as it was", filepath.Base(path), err))
			default:
				s.rememberFolder(path)
				s.views.draw.SetInput(x, "image: "+filepath.Base(path))
				if !s.panels.shown(panelInside) {
					s.panels.choose(panelDraw)
				}
			}
		})
	})
}

// dropped takes files dropped on the window: a model file opens, an image
// is read as a digit.
func (s *Shell) dropped(_ fyne.Position, uris []fyne.URI) {
	if len(uris) == 0 || s.dialogOpen() {
		return
	}
	path := uris[0].Path()
	switch strings.ToLower(filepath.Ext(path)) {
	case ".npz":
		s.loadModel(path)
	default:
		s.readDigit(path)
	}
}
