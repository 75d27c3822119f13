package ui

import (
	"image"
	"math"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/mnistplayground/mnistplayground/engine"
)

// sevenStroke is a 7 in fractions of the pad's side: the bar, then the
// diagonal down.
var sevenStroke = [][2]float32{{0.25, 0.2}, {0.45, 0.2}, {0.7, 0.2}, {0.62, 0.4}, {0.55, 0.6}, {0.48, 0.8}}

// drawSeven drags a 7 across the pad as a mouse would: one press, a few
// moves, one release.
func (h *harness) drawSeven() {
	h.t.Helper()
	pad := h.p.views.draw.Pad
	size := pad.Size()
	if size.Width < 100 || size.Height < 100 {
		h.t.Fatalf("the pad is %v, too small to draw on", size)
	}
	side := min(size.Width, size.Height)
	ox, oy := (size.Width-side)/2, (size.Height-side)/2
	at := func(p [2]float32) fyne.Position { return fyne.NewPos(ox+p[0]*side, oy+p[1]*side) }
	for i := 1; i < len(sevenStroke); i++ {
		from, to := at(sevenStroke[i-1]), at(sevenStroke[i])
		pad.Dragged(&fyne.DragEvent{
			PointEvent: fyne.PointEvent{Position: to},
			Dragged:    fyne.NewDelta(to.X-from.X, to.Y-from.Y),
		})
	}
	pad.DragEnd()
}

func TestDrawingGivesAnInputAndTenProbabilities(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.p
	if got, want := p.views.draw.Note(), "untrained network — random guesses"; got != want {
		t.Errorf("note before training = %q, want %q", got, want)
	}
	h.drawSeven()
	h.until("a prediction", func() bool { return p.views.draw.HasPrediction() })

	in := p.views.draw.Shown().Input()
	if got := in.Bounds().Size(); got != image.Pt(28, 28) {
		t.Errorf("the network's input is %v pixels, want 28×28", got)
	}
	if got := p.views.draw.Preview.Image(); got == nil || got.Bounds().Size() != image.Pt(28, 28) {
		t.Error("the preview does not show the 28×28 input")
	}
	probs := p.views.draw.Shown().Probabilities()
	if len(probs) != 10 {
		t.Fatalf("%d probabilities, want 10", len(probs))
	}
	var sum float64
	for _, v := range probs {
		sum += float64(v)
	}
	if math.Abs(sum-1) > 1e-4 {
		t.Errorf("probabilities sum to %g, want 1", sum)
	}
	want := engine.Argmax(probs)
	if got, ok := p.views.draw.Probs.Predicted(); !ok || got != want {
		t.Errorf("highlighted digit = %d (%v), want the most probable, %d", got, ok, want)
	}

	// Clear (the C key) empties both.
	p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyC})
	if p.views.draw.Preview.Image() != nil {
		t.Error("the preview still shows an input after Clear")
	}
	if _, ok := p.views.draw.Probs.Predicted(); ok {
		t.Error("the bars still show a prediction after Clear")
	}
}

func TestPredictionFollowsTraining(t *testing.T) {
	h := newHarness(t, Options{Config: smallConfig(1)})
	p := h.p
	h.drawSeven()
	h.until("a prediction", func() bool { return p.views.draw.HasPrediction() })
	before := p.views.draw.Shown()
	test.Tap(p.bar.start.b)
	h.until("the run to end", func() bool { return h.state() == engine.Done })
	h.until("a prediction by the trained network", func() bool {
		return p.views.draw.Model() == p.ws.Last.Model && p.views.draw.Current() && p.views.draw.HasPrediction()
	})
	if !strings.HasPrefix(p.views.draw.Note(), "trained: 1 epoch, ") {
		t.Errorf("note after training = %q, want it to say the network is trained", p.views.draw.Note())
	}
	same := true
	for i := range before.Probabilities() {
		same = same && before.Probabilities()[i] == p.views.draw.Shown().Probabilities()[i]
	}
	if same {
		t.Error("the probabilities did not change as the network trained")
	}
}

// sevenImage is sevenStroke drawn white on black on a 280×280 image with a
// pen a tenth of the side wide, as the pad draws it, without a window.
func sevenImage() *image.Gray {
	const side, half = 280, 14
	img := image.NewGray(image.Rect(0, 0, side, side))
	for y := range side {
		for x := range side {
			px, py := float64(x)+0.5, float64(y)+0.5
			for i := 1; i < len(sevenStroke); i++ {
				ax, ay := float64(sevenStroke[i-1][0])*side, float64(sevenStroke[i-1][1])*side
				bx, by := float64(sevenStroke[i][0])*side, float64(sevenStroke[i][1])*side
				dx, dy := bx-ax, by-ay
				t := math.Max(0, math.Min(1, ((px-ax)*dx+(py-ay)*dy)/(dx*dx+dy*dy)))
				if math.Hypot(px-ax-t*dx, py-ay-t*dy) <= half {
					img.Pix[y*side+x] = 255
					break
				}
			}
		}
	}
	return img
}
