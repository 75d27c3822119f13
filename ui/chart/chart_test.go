package chart

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"
	"testing"

	"github.com/mnistplayground/mnistplayground/engine"
)

// states returns snapshots in every state a chart must survive, by name.
func states() map[string]*engine.Snapshot {
	typical := fakeSnapshot(6000, 600, 1)

	oneStep := &engine.Snapshot{State: engine.Running, Step: 1, StepsPerEpoch: 600, TrainLoss: []float32{2.31}}

	testOnly := &engine.Snapshot{State: engine.Paused, StepsPerEpoch: 600,
		Tests: []engine.EpochMetric{{Loss: 2.30, Accuracy: 0.098}}}

	nans := fakeSnapshot(6000, 600, 4)
	nans.TrainLoss[0] = float32(math.NaN())
	for i := 100; i < len(nans.TrainLoss); i += 97 {
		nans.TrainLoss[i] = float32(math.NaN())
		nans.TrainLoss[i+1] = float32(math.Inf(1))
		nans.TrainLoss[i+2] = float32(math.Inf(-1))
	}
	nans.Tests[2].Loss = math.NaN()
	nans.Tests[3].Accuracy = math.NaN()
	nans.Tests[4].Loss = math.Inf(1)

	allNaN := &engine.Snapshot{State: engine.Failed, Step: 50, StepsPerEpoch: 600, TrainLoss: make([]float32, 50),
		Tests: []engine.EpochMetric{{Step: 50, Loss: math.NaN(), Accuracy: math.NaN()}}}
	for i := range allNaN.TrainLoss {
		allNaN.TrainLoss[i] = float32(math.NaN())
	}

	// Zero and negative losses cannot go on a log axis.
	nonPositive := fakeSnapshot(1200, 600, 5)
	for i := 0; i < len(nonPositive.TrainLoss); i += 3 {
		nonPositive.TrainLoss[i] = 0
		nonPositive.TrainLoss[i+1] = -1
	}
	nonPositive.Tests[0].Loss = 0
	allZero := &engine.Snapshot{Step: 3, StepsPerEpoch: 600, TrainLoss: []float32{0, 0, -2}}

	diverged := fakeSnapshot(900, 600, 6)
	for i := 600; i < 900; i++ {
		diverged.TrainLoss[i] = float32(math.Pow(1.3, float64(i-600)))
	}
	diverged.TrainLoss[899] = float32(math.Inf(1))
	diverged.State = engine.Failed

	noEpochs := fakeSnapshot(3000, 600, 7)
	noEpochs.StepsPerEpoch = 0

	return map[string]*engine.Snapshot{
		"nil":           nil,
		"idle":          {StepsPerEpoch: 600, Config: engine.DefaultConfig()},
		"running empty": {State: engine.Running, StepsPerEpoch: 600},
		"one step":      oneStep,
		"one test":      fakeSnapshot(600, 600, 2),
		"test only":     testOnly,
		"typical":       typical,
		"huge":          fakeSnapshot(60000, 600, 3),
		"nans":          nans,
		"all nan":       allNaN,
		"non-positive":  nonPositive,
		"all zero":      allZero,
		"diverged":      diverged,
		"no epochs":     noEpochs,
	}
}

// size is a chart size and the pixel scale it is drawn at.
type size struct {
	w, h  int
	scale float64
}

func (s size) String() string { return fmt.Sprintf("%dx%d@%g", s.w, s.h, s.scale) }

// checkImage fails unless img has the requested size and the style's
// background in its corners, where no chart draws anything.
func checkImage(t *testing.T, name string, img image.Image, sz size, st Style) {
	t.Helper()
	if img == nil {
		t.Fatalf("%s: nil image", name)
	}
	if got := img.Bounds(); got != image.Rect(0, 0, sz.w, sz.h) {
		t.Fatalf("%s: bounds %v, want %v", name, got, image.Rect(0, 0, sz.w, sz.h))
	}
	want := color.RGBAModel.Convert(st.Background)
	for _, p := range []image.Point{{0, 0}, {sz.w - 1, 0}, {0, sz.h - 1}, {sz.w - 1, sz.h - 1}} {
		if got := color.RGBAModel.Convert(img.At(p.X, p.Y)); got != want {
			t.Errorf("%s: pixel %v is %v, want the background %v", name, p, got, want)
		}
	}
}

func TestChartsRenderEveryState(t *testing.T) {
	t.Parallel()
	sizes := []size{{400, 250, 1}, {1600, 900, 2}}
	for name, s := range states() {
		for _, sz := range sizes {
			for _, dark := range []bool{true, false} {
				st := LightStyle()
				if dark {
					st = DarkStyle()
				}
				st.Scale = sz.scale
				t.Run(fmt.Sprintf("%s/%v/dark=%v", name, sz, dark), func(t *testing.T) {
					t.Parallel()
					for _, logY := range []bool{false, true} {
						img, err := Loss(s, sz.w, sz.h, st, logY)
						if err != nil {
							t.Fatalf("Loss(logY=%v): %v", logY, err)
						}
						checkImage(t, fmt.Sprintf("Loss(logY=%v)", logY), img, sz, st)
					}
					img, err := Accuracy(s, sz.w, sz.h, st)
					if err != nil {
						t.Fatalf("Accuracy: %v", err)
					}
					checkImage(t, "Accuracy", img, sz, st)
				})
			}
		}
	}
}

func TestChartsRenderEverySize(t *testing.T) {
	t.Parallel()
	s := fakeSnapshot(6000, 600, 1)
	hist := fakeHistory(30, 6000, 2)
	for _, sz := range []size{{1, 1, 1}, {37, 23, 1}, {120, 80, 1}, {400, 250, 1}, {800, 400, 1}, {800, 400, 1.5}, {1600, 900, 1}, {1600, 900, 2}, {2400, 1350, 3}} {
		st := DarkStyle()
		st.Scale = sz.scale
		t.Run(sz.String(), func(t *testing.T) {
			t.Parallel()
			for _, c := range []struct {
				name string
				draw func() (image.Image, error)
			}{
				{"Loss", func() (image.Image, error) { return Loss(s, sz.w, sz.h, st, false) }},
				{"Loss log", func() (image.Image, error) { return Loss(s, sz.w, sz.h, st, true) }},
				{"Accuracy", func() (image.Image, error) { return Accuracy(s, sz.w, sz.h, st) }},
				{"Histogram", func() (image.Image, error) { return Histogram("Layer 1", hist, sz.w, sz.h, st) }},
			} {
				img, err := c.draw()
				if err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
				checkImage(t, c.name, img, sz, st)
			}
		})
	}
}

func TestHistogramRendersEveryState(t *testing.T) {
	t.Parallel()
	wide := engine.Histogram{Min: -1, Max: 1, Counts: []int{1, 5, 20, 5, 1}}
	narrow := engine.Histogram{Min: -0.001, Max: 0.001, Counts: []int{0, 1000, 0}}
	for _, tc := range []struct {
		name string
		hist []HistEntry
	}{
		{"none", nil},
		{"one", fakeHistory(1, 0, 1)},
		{"two", fakeHistory(2, 100, 1)},
		{"thirty", fakeHistory(30, 6000, 1)},
		{"sixty unthinned", fakeHistory(60, 6000, 1)[:30]},
		{"no counts", []HistEntry{{Step: 1, Hist: engine.Histogram{Min: 0, Max: 1}}}},
		{"zero counts", []HistEntry{{Step: 1, Hist: engine.Histogram{Min: 0, Max: 1, Counts: []int{0, 0}}}}},
		{"nan range", []HistEntry{{Step: 1, Hist: engine.Histogram{Min: math.NaN(), Max: 1, Counts: []int{3}}}, {Step: 2, Hist: wide}}},
		{"inverted range", []HistEntry{{Step: 1, Hist: engine.Histogram{Min: 1, Max: -1, Counts: []int{3}}}}},
		{"all weights equal", []HistEntry{{Step: 0, Hist: engine.Histogram{Min: 0, Max: 0, Counts: []int{784}}}}},
		{"very different ranges", []HistEntry{{Step: 0, Hist: narrow}, {Step: 10, Hist: wide}}},
		{"negative count", []HistEntry{{Step: 0, Hist: engine.Histogram{Min: 0, Max: 1, Counts: []int{4, -2, 4}}}}},
		{"out of order", []HistEntry{{Step: 10, Hist: wide}, {Step: 0, Hist: narrow}}},
	} {
		for _, sz := range []size{{400, 250, 1}, {1600, 900, 2}} {
			st := LightStyle()
			st.Scale = sz.scale
			img, err := Histogram("Layer 1 weights", tc.hist, sz.w, sz.h, st)
			if err != nil {
				t.Errorf("%s at %v: %v", tc.name, sz, err)
				continue
			}
			checkImage(t, fmt.Sprintf("%s at %v", tc.name, sz), img, sz, st)
		}
	}
}

// count returns how many pixels of img are exactly c.
func count(img image.Image, c color.Color) int {
	want := color.RGBAModel.Convert(c)
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if color.RGBAModel.Convert(img.At(x, y)) == want {
				n++
			}
		}
	}
	return n
}

// TestSeriesAreDrawn looks for the exact colour of every series in the
// images. It draws at scale 2 so that even the thin raw curve covers whole
// pixels.
func TestSeriesAreDrawn(t *testing.T) {
	t.Parallel()
	s := fakeSnapshot(6000, 600, 1)
	for _, st := range []Style{DarkStyle(), LightStyle()} {
		st.Scale = 2
		train, test := st.Series[0], st.Series[1]
		loss, err := Loss(s, 1600, 800, st, false)
		if err != nil {
			t.Fatal(err)
		}
		accuracy, err := Accuracy(s, 1600, 800, st)
		if err != nil {
			t.Fatal(err)
		}
		hist, err := Histogram("Layer 1", fakeHistory(30, 6000, 2), 1600, 800, st)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			img  image.Image
			c    color.Color
			min  int
		}{
			{"raw training loss", loss, mix(train, st.Background, rawFade), 500},
			{"smoothed training loss", loss, train, 500},
			{"test loss", loss, test, 100},
			{"test accuracy", accuracy, test, 100},
			{"newest histogram", hist, train, 500},
			{"oldest histogram", hist, ridgeColors(train, st.Background, 1).fill, 500},
		} {
			if got := count(tc.img, tc.c); got < tc.min {
				t.Errorf("%s: %d pixels of %v, want at least %d", tc.name, got, tc.c, tc.min)
			}
		}
	}
}

// luminance is the mean brightness of img, 0 for black and 1 for white.
func luminance(img image.Image) float64 {
	b := img.Bounds()
	sum := 0.0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			sum += (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(bl)) / 0xffff
		}
	}
	return sum / float64(b.Dx()*b.Dy())
}

// TestColoursComeFromStyle checks that a dark window gets dark charts and a
// light one light charts, and that a style's unusual background is used.
func TestColoursComeFromStyle(t *testing.T) {
	t.Parallel()
	s := fakeSnapshot(6000, 600, 1)
	hist := fakeHistory(30, 6000, 2)
	odd := DarkStyle()
	odd.Background = color.NRGBA{R: 0x10, G: 0x20, B: 0x60, A: 0xff}
	for _, tc := range []struct {
		name   string
		st     Style
		lo, hi float64
	}{
		{"dark", DarkStyle(), 0, 0.25},
		{"light", LightStyle(), 0.75, 1},
		{"navy", odd, 0, 0.3},
	} {
		for _, c := range []struct {
			name string
			draw func() (image.Image, error)
		}{
			{"Loss", func() (image.Image, error) { return Loss(s, 400, 250, tc.st, false) }},
			{"Accuracy", func() (image.Image, error) { return Accuracy(s, 400, 250, tc.st) }},
			{"Histogram", func() (image.Image, error) { return Histogram("Layer 1", hist, 400, 250, tc.st) }},
		} {
			img, err := c.draw()
			if err != nil {
				t.Fatalf("%s %s: %v", tc.name, c.name, err)
			}
			if l := luminance(img); l < tc.lo || l > tc.hi {
				t.Errorf("%s %s: mean luminance %.2f, want %.2f to %.2f", tc.name, c.name, l, tc.lo, tc.hi)
			}
			if got := count(img, tc.st.Background); got < 400*250/2 {
				t.Errorf("%s %s: %d background pixels, want most of the %d", tc.name, c.name, got, 400*250)
			}
		}
	}
}

// inkHeight returns how many rows of the top-left corner of img (the title)
// hold a pixel near c.
func inkHeight(img image.Image, c color.Color) int {
	cr, cg, cb, _ := c.RGBA()
	b := img.Bounds()
	rows := 0
	for y := 0; y < b.Dy()/5; y++ {
		for x := 0; x < b.Dx()/4; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			d := math.Abs(float64(r)-float64(cr)) + math.Abs(float64(g)-float64(cg)) + math.Abs(float64(bl)-float64(cb))
			if d < 0.2*3*0xffff {
				rows++
				break
			}
		}
	}
	return rows
}

// TestTextScales checks that the title grows with TextSize and with Scale,
// so text stays legible on a HiDPI screen or a projector.
func TestTextScales(t *testing.T) {
	t.Parallel()
	height := func(textSize, scale float64) int {
		st := LightStyle()
		st.TextSize, st.Scale = textSize, scale
		img, err := Loss(nil, 800, 500, st, false)
		if err != nil {
			t.Fatal(err)
		}
		return inkHeight(img, st.Foreground)
	}
	base := height(14, 1)
	if base < 8 {
		t.Fatalf("the 14-point title is %d pixels tall, want at least 8", base)
	}
	for _, tc := range []struct {
		textSize, scale, ratio float64
	}{
		{14, 2, 2},
		{28, 1, 2},
		{14, 1.5, 1.5},
		{10.5, 1, 0.75},
	} {
		got := float64(height(tc.textSize, tc.scale)) / float64(base)
		if math.Abs(got-tc.ratio) > 0.25*tc.ratio {
			t.Errorf("title at %g points, scale %g: %.2f times as tall as at 14 points, scale 1, want about %.2f", tc.textSize, tc.scale, got, tc.ratio)
		}
	}
}

func TestBadArguments(t *testing.T) {
	t.Parallel()
	noSeries := DarkStyle()
	noSeries.Series = nil
	nilSeries := DarkStyle()
	nilSeries.Series = []color.Color{nil}
	noBackground := DarkStyle()
	noBackground.Background = nil
	tinyText := DarkStyle()
	tinyText.TextSize = 1
	nanScale := DarkStyle()
	nanScale.Scale = math.NaN()
	zero := Style{Background: color.Black, Foreground: color.White, Grid: color.Gray{Y: 40}, Series: []color.Color{color.White}}
	for _, tc := range []struct {
		name string
		w, h int
		st   Style
		want string // in the error; "" for none
	}{
		{"zero width", 0, 100, DarkStyle(), "empty"},
		{"negative height", 100, -1, DarkStyle(), "empty"},
		{"too large", 100000, 100, DarkStyle(), "too large"},
		{"no series", 100, 100, noSeries, "no series colours"},
		{"nil series", 100, 100, nilSeries, "series colour 0 is nil"},
		{"no background", 100, 100, noBackground, "no background"},
		{"tiny text", 100, 100, tinyText, "text size"},
		{"nan scale", 100, 100, nanScale, "scale"},
		{"zero text size and scale mean defaults", 100, 100, zero, ""},
	} {
		for _, c := range []struct {
			name string
			draw func() (image.Image, error)
		}{
			{"Loss", func() (image.Image, error) { return Loss(nil, tc.w, tc.h, tc.st, false) }},
			{"Accuracy", func() (image.Image, error) { return Accuracy(nil, tc.w, tc.h, tc.st) }},
			{"Histogram", func() (image.Image, error) { return Histogram("", nil, tc.w, tc.h, tc.st) }},
		} {
			img, err := c.draw()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("%s %s: %v, want no error", tc.name, c.name, err)
			case tc.want == "" && img == nil:
				t.Errorf("%s %s: nil image", tc.name, c.name)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("%s %s: error %v, want one mentioning %q", tc.name, c.name, err, tc.want)
			}
		}
	}
}

// TestWritePreviews writes the typical charts as PNG files for a person to
// look at: go test ./ui/chart -run Previews -args -chart.out=/tmp
func TestWritePreviews(t *testing.T) {
	if *outDir == "" {
		t.Skip("set -chart.out to write previews")
	}
	big := DarkStyle()
	big.Scale = 2
	ss := states()
	for _, c := range []struct {
		name string
		st   Style
		w, h int
	}{{"dark", DarkStyle(), 800, 400}, {"light", LightStyle(), 800, 400}, {"small", LightStyle(), 400, 250}, {"big", big, 1600, 900}} {
		out := func(name string, img image.Image, err error) {
			t.Helper()
			if err != nil {
				t.Fatal(name, err)
			}
			save(t, name+"-"+c.name, img)
		}
		typical := ss["typical"]
		img, err := Loss(typical, c.w, c.h, c.st, false)
		out("loss", img, err)
		img, err = Loss(typical, c.w, c.h, c.st, true)
		out("losslog", img, err)
		img, err = Accuracy(typical, c.w, c.h, c.st)
		out("acc", img, err)
		img, err = Histogram("Layer 1 weights · 784→100 relu", fakeHistory(30, 6000, 2), c.w, c.h, c.st)
		out("hist", img, err)
		img, err = Loss(ss["idle"], c.w, c.h, c.st, false)
		out("lossempty", img, err)
		img, err = Accuracy(ss["idle"], c.w, c.h, c.st)
		out("accempty", img, err)
		img, err = Histogram("Layer 2 weights", nil, c.w, c.h, c.st)
		out("histempty", img, err)
		img, err = Loss(fakeSnapshot(40, 600, 3), c.w, c.h, c.st, false)
		out("lossearly", img, err)
		img, err = Accuracy(ss["one test"], c.w, c.h, c.st)
		out("accone", img, err)
		img, err = Histogram("Layer 2 weights", fakeHistory(1, 0, 2), c.w, c.h, c.st)
		out("histone", img, err)
		img, err = Loss(ss["huge"], c.w, c.h, c.st, false)
		out("losshuge", img, err)
		img, err = Loss(ss["nans"], c.w, c.h, c.st, true)
		out("lossnans", img, err)
		img, err = Loss(ss["diverged"], c.w, c.h, c.st, false)
		out("lossdiverged", img, err)
		img, err = Loss(ss["one step"], c.w, c.h, c.st, false)
		out("lossone", img, err)
	}
}

func TestGuardTurnsPanicIntoError(t *testing.T) {
	t.Parallel()
	chart := func(fail bool) Chart {
		return Chart{name: "test", draw: func(*frame) {
			if fail {
				panic("illegal range")
			}
		}}
	}
	if img, err := Render(chart(false), 10, 10, DarkStyle()); err != nil || img == nil {
		t.Errorf("without a panic: %v, %v, want an image and no error", img, err)
	}
	img, err := Render(chart(true), 10, 10, DarkStyle())
	if img != nil || err == nil || !strings.Contains(err.Error(), "could not draw the test chart: illegal range") {
		t.Errorf("after a panic: %v, %v, want no image and an error that names the chart and the cause", img, err)
	}
	var buf strings.Builder
	if err := Export(&buf, SVG, chart(true), 10, 10, DarkStyle()); err == nil || !strings.Contains(err.Error(), "could not draw the test chart: illegal range") {
		t.Errorf("SVG after a panic: %v, want an error that names the chart and the cause", err)
	}
}
