package chart

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mnistplayground/mnistplayground/engine"
)

// colors counts the distinct colours of img.
func colors(img image.Image) int {
	seen := map[color.NRGBA]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			seen[color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)] = true
		}
	}
	return len(seen)
}

func history(n int, at func(i int) float64) engine.History {
	h := engine.History{Span: 1}
	for i := range n {
		h.Steps = append(h.Steps, 4*(i+1))
		h.Values = append(h.Values, at(i))
	}
	return h
}

func TestNewChartsDrawAndSayWhenEmpty(t *testing.T) {
	t.Parallel()
	st := DarkStyle()
	layers := []engine.LayerStats{
		{In: 784, Out: 100, Act: engine.Sigmoid, GradNormHistory: history(50, func(i int) float64 { return 1e-3 }), SaturatedHistory: history(50, func(i int) float64 { return 0.6 }),
			Activations: engine.Histogram{Min: 0, Max: 1, Counts: []int{50, 5, 1, 5, 50}}},
		{In: 100, Out: 10, Act: engine.Identity, GradNormHistory: history(50, func(i int) float64 { return 0.1 })},
	}
	m, err := engine.NewModel(engine.MNISTArch([]int{16}, []engine.Activation{engine.ReLU}, engine.CrossEntropy), engine.Init{Kind: engine.InitHe}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	in := make([]float32, 784)
	sal := make([]float32, 784)
	for i := range in {
		in[i] = float32(i%28) / 28
		sal[i] = float32(i%28-14) / 14
	}
	snap := &engine.Snapshot{Step: 200, StepsPerEpoch: 100, LRHistory: history(50, func(i int) float64 { return 0.1 / float64(1+i/25) }),
		LRChanges: []engine.LRChange{{Step: 100, BaseLR: 0.05, LR: 0.05}}}
	conf := make([][]int, 10)
	for i := range conf {
		conf[i] = make([]int, 10)
		conf[i][i] = 90
		conf[i][(i+1)%10] = 3
	}
	for _, c := range []struct {
		name string
		draw func() (image.Image, error)
		min  int // distinct colours at least
	}{
		{"gradient flow", func() (image.Image, error) { return GradientFlow(layers, 100, 400, 240, st) }, 4},
		{"gradient flow, empty", func() (image.Image, error) { return GradientFlow(nil, 0, 400, 240, st) }, 2},
		{"saturation", func() (image.Image, error) { return Saturation(layers, 100, 400, 240, st) }, 3},
		{"activations", func() (image.Image, error) { return Activations("layer 1", layers[0].Activations, 300, 160, st) }, 3},
		{"activations, empty", func() (image.Image, error) { return Activations("layer 1", engine.Histogram{}, 300, 160, st) }, 2},
		{"learning rate", func() (image.Image, error) {
			return LRTrack(snap, engine.PlannedLR(engine.DefaultConfig(), 60000, 100), 100, 400, 160, st)
		}, 3},
		{"learning rate, empty", func() (image.Image, error) { return LRTrack(nil, engine.History{}, 0, 400, 160, st) }, 2},
		{"activation curve", func() (image.Image, error) {
			return Activation(engine.SampleActivation(engine.Sigmoid, -6, 6, 121), false, 300, 200, st)
		}, 4},
		{"step curve", func() (image.Image, error) {
			return Activation(engine.SampleActivation(engine.Step, -6, 6, 121), false, 300, 200, st)
		}, 3},
		{"curve thumbnail", func() (image.Image, error) {
			return Activation(engine.SampleActivation(engine.ReLU, -6, 6, 41), true, 60, 30, st)
		}, 3},
		{"weight grid", func() (image.Image, error) { return WeightGrid(m, 3, 400, 400, st) }, 20},
		{"unit weights", func() (image.Image, error) { return UnitWeights(m, 3, 200, 240, st) }, 20},
		{"confusion", func() (image.Image, error) { return Confusion(conf, [2]int{1, 2}, 400, 400, st) }, 4},
		{"confusion, empty", func() (image.Image, error) { return Confusion(nil, [2]int{-1, -1}, 400, 400, st) }, 2},
		{"digits", func() (image.Image, error) {
			return Digits([]DigitCell{{Pixels: make([]uint8, 784), Caption: "7→1"}, {Pixels: append(make([]uint8, 400), make([]uint8, 384)...), Caption: "2→3"}}, 0, "none", 300, 200, st)
		}, 3},
		{"saliency", func() (image.Image, error) { return Saliency(in, sal, 280, 280, st) }, 20},
		{"forward", func() (image.Image, error) {
			return Forward([]Layer{{Title: "layer 1", Values: in[:100]}, {Title: "scores", Values: in[:10], Labels: []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}}}, 400, 300, st)
		}, 10},
	} {
		img, err := c.draw()
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := colors(img); got < c.min {
			t.Errorf("%s: %d colours, want at least %d: the chart looks blank", c.name, got, c.min)
		}
		save(t, c.name, img)
	}
	// One colour per layer in the gradient flow.
	img, _ := GradientFlow(layers, 100, 400, 240, st)
	for i := range layers {
		if count(img, LayerColor(i)) == 0 {
			t.Errorf("gradient flow: layer %d's colour is missing", i+1)
		}
	}
}

func TestGridCellsAreFoundWhereTheyAreDrawn(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ n, w, h int }{{100, 400, 400}, {10, 300, 80}, {1024, 900, 700}, {7, 50, 300}} {
		g := LayoutGrid(c.n, c.w, c.h, 0)
		if g.Cols*g.Rows < c.n || g.Cell < 1 {
			t.Fatalf("%d cells in %dx%d: %+v", c.n, c.w, c.h, g)
		}
		for i := range c.n {
			r := g.Rect(i)
			if r.Max.X > c.w || r.Max.Y > c.h || r.Min.X < 0 || r.Min.Y < 0 {
				t.Fatalf("cell %d at %v lies outside %dx%d", i, r, c.w, c.h)
			}
			mid := r.Min.Add(r.Max).Div(2)
			if got, ok := g.At(float64(mid.X), float64(mid.Y)); !ok || got != i {
				t.Fatalf("the middle of cell %d is found as %d (%v)", i, got, ok)
			}
		}
		if _, ok := g.At(-1, -1); ok {
			t.Error("a point outside the grid was found in a cell")
		}
	}
	g := ConfusionGrid(10, 400, 400)
	r := g.Rect(3*10 + 7)
	if got, ok := g.At(float64(r.Min.X+2), float64(r.Min.Y+2)); !ok || got != 37 {
		t.Errorf("confusion cell (3, 7) found as %d, %v", got, ok)
	}
}

func TestLossChartClipsSpikesOnALinearAxis(t *testing.T) {
	t.Parallel()
	s := fakeSnapshot(3000, 600, 1)
	s.TrainLoss[2000] = 50 // a spike
	lin, err := Loss(s, 600, 300, DarkStyle(), false)
	if err != nil {
		t.Fatal(err)
	}
	log, err := Loss(s, 600, 300, DarkStyle(), true)
	if err != nil {
		t.Fatal(err)
	}
	save(t, "loss-clipped", lin)
	if colors(lin) < 4 || colors(log) < 4 {
		t.Fatal("the loss charts look blank")
	}
	// The linear axis stops below the spike; the log axis shows it whole.
	st, err := DarkStyle().resolved()
	if err != nil {
		t.Fatal(err)
	}
	for _, logY := range []bool{false, true} {
		_, f := newRaster(600, 300, st)
		LossChart(s, logY).draw(f)
		if len(*f.plots) == 0 {
			t.Fatal("the loss chart laid out no plot")
		}
		top := (*f.plots)[0].p.Y.Max
		if clipped := top < 50; clipped == logY {
			t.Errorf("log scale %v: the loss axis tops at %g with a spike of 50", logY, top)
		}
		f.flush()
	}
	if top := robustTop(nil); top < 1e300 {
		t.Errorf("robustTop of nothing = %g, want no clipping", top)
	}
}

func TestRunsCompareOnSharedAxes(t *testing.T) {
	t.Parallel()
	a, b := fakeSnapshot(3000, 600, 1), fakeSnapshot(1200, 600, 2)
	runs := []Run{{Name: "sigmoid", Snap: a, Color: RunColor(0)}, {Name: "current", Snap: b}}
	st := DarkStyle()
	for _, c := range []Chart{LossRunsChart(runs, false), LossRunsChart(runs, true), AccuracyRunsChart(runs)} {
		img, err := Render(c, 600, 300, st)
		if err != nil {
			t.Fatal(err)
		}
		save(t, c.name, img)
		for i := range runs {
			if count(img, runColor(runs[i], st)) == 0 {
				t.Errorf("%s: run %d's colour is missing", c.name, i)
			}
		}
	}
	if _, err := Render(LossRunsChart(nil, false), 300, 200, st); err != nil {
		t.Errorf("no runs: %v", err)
	}
}

// TestRunColorsStandApartFromTheCurrentRun: no kept run is drawn in a
// colour near the current run's, the theme's training colour.
func TestRunColorsStandApartFromTheCurrentRun(t *testing.T) {
	for _, st := range []Style{DarkStyle(), LightStyle()} {
		cur := color.NRGBAModel.Convert(st.series(0)).(color.NRGBA)
		for i := range runPalette {
			c := color.NRGBAModel.Convert(RunColor(i)).(color.NRGBA)
			dr, dg, db := float64(c.R)-float64(cur.R), float64(c.G)-float64(cur.G), float64(c.B)-float64(cur.B)
			if d := math.Sqrt(dr*dr + dg*dg + db*db); d < 100 {
				t.Errorf("run colour %d %v is %.0f from the current run's %v", i, c, d, cur)
			}
		}
	}
}
