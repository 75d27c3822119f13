package drawpad

import (
	"image"
	"image/color"
	"math"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/state"
)

func TestProbabilitiesCompareTwoNetworks(t *testing.T) {
	p, r := newTestProbabilities(t)
	mine := []float32{0.01, 0.01, 0.01, 0.9, 0.01, 0.02, 0.01, 0.01, 0.01, 0.01}
	theirs := []float32{0.05, 0.05, 0.05, 0.2, 0.05, 0.4, 0.05, 0.05, 0.05, 0.05}
	sky := color.NRGBA{0x56, 0xB4, 0xE9, 0xff}
	alone := p.MinSize()
	p.Set(mine)
	p.Compare("sigmoid 100, lr 0.1", sky)
	p.SetOther(theirs)
	if got := p.MinSize(); got.Height <= alone.Height {
		t.Errorf("MinSize %v with two networks, %v with one: the second set needs room", got, alone)
	}
	p.Resize(fyne.NewSize(400, p.MinSize().Height))
	warning := p.Theme().Color(theme.ColorNameWarning, fyne.CurrentApp().Settings().ThemeVariant())
	cur, other := p.Verdicts()
	if cur != "reads 3 (90.0%)" || other != "reads 5 (40.0%)" {
		t.Errorf("verdicts %q and %q, want reads 3 (90.0%%) and reads 5 (40.0%%)", cur, other)
	}
	for i, l := range r.legend {
		want := []string{"current", "sigmoid 100, lr 0.1"}[i]
		if l.name.Hidden || l.name.Text != want || l.verdict.Text != []string{cur, other}[i] {
			t.Errorf("legend line %d shows %q %q (hidden %v), want %q", i, l.name.Text, l.verdict.Text, l.name.Hidden, want)
		}
		if c := []color.Color{warning, sky}[i]; l.swatch.FillColor != c {
			t.Errorf("legend line %d is coloured %v, want %v", i, l.swatch.FillColor, c)
		}
		if end := l.name.Position().X + fyne.MeasureText(l.name.Text, l.name.TextSize, l.name.TextStyle).Width; end > l.verdict.Position().X+l.verdict.Size().Width-fyne.MeasureText(l.verdict.Text, l.verdict.TextSize, l.verdict.TextStyle).Width {
			t.Errorf("legend line %d: the name runs into the verdict", i)
		}
	}
	legendEnd := r.legend[1].name.Position().Y + r.legend[1].name.Size().Height
	for i, row := range r.rows {
		if row.percent.Text != percent(mine[i]) || row.percent2.Text != percent(theirs[i]) || row.percent2.Hidden {
			t.Errorf("digit %d shows %q and %q, want %q and %q", i, row.percent.Text, row.percent2.Text, percent(mine[i]), percent(theirs[i]))
		}
		for _, b := range []struct {
			track, bar *canvas.Rectangle
			v          float32
			c          color.Color
		}{{row.track, row.bar, mine[i], warning}, {row.track2, row.bar2, theirs[i], sky}} {
			if got, want := b.bar.Size().Width, b.track.Size().Width*b.v; math.Abs(float64(got-want)) > 0.5 {
				t.Errorf("digit %d: a bar is %.1f wide, want %.1f", i, got, want)
			}
			if b.bar.FillColor != b.c {
				t.Errorf("digit %d: a bar is coloured %v, want %v", i, b.bar.FillColor, b.c)
			}
		}
		if row.bar2.Position().Y < row.bar.Position().Y+row.bar.Size().Height {
			t.Errorf("digit %d: the second bar overlaps the first", i)
		}
		if row.percent2.Position().Y < row.percent.Position().Y+row.percent.Size().Height {
			t.Errorf("digit %d: the second percentage overlaps the first", i)
		}
		if i == 0 && row.percent.Position().Y < legendEnd {
			t.Error("the first row overlaps the legend")
		}
		if i > 0 && row.percent.Position().Y < r.rows[i-1].percent2.Position().Y+r.rows[i-1].percent2.Size().Height {
			t.Errorf("digit %d overlaps digit %d", i, i-1)
		}
		if bold := row.percent.TextStyle.Bold; bold != (i == 3) {
			t.Errorf("digit %d: current percentage bold %v", i, bold)
		}
		if bold := row.percent2.TextStyle.Bold; bold != (i == 5) {
			t.Errorf("digit %d: compared percentage bold %v", i, bold)
		}
	}
	if last := r.rows[Digits-1].percent2; last.Position().Y+last.Size().Height > p.Size().Height+0.01 {
		t.Error("the last row runs past the panel")
	}

	// In a narrow column the name gives way to the verdict: its first part,
	// as the charts' crowded legends write it.
	p.Compare("sigmoid 100 ×5, lr 0.1, batch 50", sky)
	p.Resize(fyne.NewSize(p.MinSize().Width, p.MinSize().Height))
	if got := r.legend[1].name.Text; got != "sigmoid 100 ×5" {
		t.Errorf("at the least width the name shows as %q, want its first part", got)
	}
	p.Compare("sigmoid 100-relu 50-tanh 20-relu 10, lr 0.1", sky)
	if got := r.legend[1].name.Text; !strings.HasSuffix(got, "…") || !strings.HasPrefix("sigmoid 100-relu 50-tanh 20-relu 10", strings.TrimSuffix(got, "…")) {
		t.Errorf("at the least width a long first part shows as %q, want it cut", got)
	}
	p.Compare("sigmoid 100, lr 0.1", sky)

	// A new input clears both; a bad second answer shows none for it.
	p.SetOther([]float32{float32(math.NaN()), 0, 0, 0, 0, 0, 0, 0, 0, 1})
	if _, o := p.Values(); o != nil || r.rows[0].percent2.Text != "" || !r.rows[0].bar2.Hidden {
		t.Errorf("a NaN answer shows %v", o)
	}
	p.SetOther(theirs)
	p.Clear()
	if c, o := p.Values(); c != nil || o != nil {
		t.Errorf("Clear leaves %v and %v", c, o)
	}
	// Without an answer the hint takes the legend's place.
	if r.hint.Hidden || !r.legend[0].name.Hidden || !r.legend[1].verdict.Hidden {
		t.Error("without an answer the legend shows and the hint does not")
	}
	if top := r.rows[0].percent.Position().Y; r.hint.Position().Y+r.hint.Size().Height > top {
		t.Errorf("the hint ends at %.1f, below the first row at %.1f", r.hint.Position().Y+r.hint.Size().Height, top)
	}

	// None: one set of bars again, as before.
	p.Set(mine)
	p.SetOther(theirs)
	p.Compare("", nil)
	if _, o := p.Values(); o != nil {
		t.Error("ending the comparison keeps the second set")
	}
	if cur, other := p.Verdicts(); cur != "" || other != "" {
		t.Errorf("verdicts %q %q without a comparison", cur, other)
	}
	for i, row := range r.rows {
		if !row.track2.Hidden || !row.bar2.Hidden || !row.percent2.Hidden {
			t.Errorf("digit %d still shows a second bar", i)
		}
	}
	for _, l := range r.legend {
		if !l.name.Hidden || !l.verdict.Hidden || !l.swatch.Hidden {
			t.Error("the legend still shows")
		}
	}
	if got := p.MinSize(); got != alone {
		t.Errorf("MinSize %v after the comparison, %v before", got, alone)
	}
	p.SetOther(theirs)
	if _, o := p.Values(); o != nil {
		t.Error("a second answer is shown with no comparison")
	}
}

func TestPredictorReadsTheSameInputWithTheSecondNetwork(t *testing.T) {
	t.Parallel()
	img := image.NewGray(image.Rect(0, 0, 280, 280))
	for y := 60; y < 220; y++ {
		for x := 120; x < 150; x++ {
			img.Pix[y*280+x] = 255
		}
	}
	cfg := engine.DefaultConfig()
	a, err := state.NetOf(cfg).Untrained()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Seed++
	b, err := state.NetOf(cfg).Untrained()
	if err != nil {
		t.Fatal(err)
	}
	var pr Predictor
	out := pr.Predict(Job{img: img, model: a, other: b, gen: 1})
	x, err := engine.Preprocess(img)
	if err != nil {
		t.Fatal(err)
	}
	if want := b.Predict(x); !slices.Equal(out.other, want) {
		t.Errorf("the second network reads %v, want %v", out.other, want)
	}
	if slices.Equal(out.other, out.probs) {
		t.Error("both networks give the same answer: the second did not read it")
	}
	if alone := pr.Predict(Job{img: img, model: a, gen: 2}); alone.other != nil {
		t.Error("a job without a second network gave a second answer")
	}
	// A snapshot asks again with the pad's new network: the compared run's
	// answer on the same drawing is not worked out again.
	again := pr.Predict(Job{img: img, model: a, other: b, gen: 3})
	if len(again.other) == 0 || &again.other[0] != &out.other[0] {
		t.Error("the same second network read the same drawing again")
	}
	cfg.Seed++
	c, err := state.NetOf(cfg).Untrained()
	if err != nil {
		t.Fatal(err)
	}
	if got := pr.Predict(Job{img: img, model: a, other: c, gen: 4}).other; !slices.Equal(got, c.Predict(x)) {
		t.Errorf("another second network reads %v, want %v", got, c.Predict(x))
	}
}
