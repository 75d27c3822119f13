package drawpad

import (
	"image"
	"testing"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/state"
)

func TestPredictorReusesTheInputOfTheSameDrawing(t *testing.T) {
	t.Parallel()
	img := image.NewGray(image.Rect(0, 0, 280, 280))
	for y := 60; y < 220; y++ {
		for x := 120; x < 150; x++ {
			img.Pix[y*280+x] = 255
		}
	}
	m, err := state.NetOf(engine.DefaultConfig()).Untrained()
	if err != nil {
		t.Fatal(err)
	}
	var pr Predictor
	a := pr.Predict(Job{img: img, model: m, gen: 1})
	x := pr.lastX
	b := pr.Predict(Job{img: img, model: m, gen: 2})
	if &pr.lastX[0] != &x[0] {
		t.Error("the same drawing was preprocessed again")
	}
	if b.gen != 2 || a.probs == nil || b.probs == nil {
		t.Fatalf("predictions = %+v, %+v", a, b)
	}
	blank := pr.Predict(Job{img: image.NewGray(image.Rect(0, 0, 280, 280)), model: m, gen: 3})
	if blank.input != nil || blank.probs != nil {
		t.Error("a blank drawing gave a prediction")
	}
	none := pr.Predict(Job{img: img, gen: 4})
	if none.input == nil || none.probs != nil {
		t.Error("without a network there should be an input and no probabilities")
	}
}

func TestADotIsTooSmallToRead(t *testing.T) {
	t.Parallel()
	img := image.NewGray(image.Rect(0, 0, 280, 280))
	img.Pix[140*280+140] = 255
	m, err := state.NetOf(engine.DefaultConfig()).Untrained()
	if err != nil {
		t.Fatal(err)
	}
	var pr Predictor
	out := pr.Predict(Job{img: img, model: m, gen: 1})
	if out.probs != nil || !out.tooSmall {
		t.Errorf("a single dot: probabilities %v, too small %v; want no answer and the reason", out.probs, out.tooSmall)
	}
}
