package engine

import (
	"errors"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// stroke is a line segment of a synthetic digit, in digit units: the digit
// spans about 0..0.8 across and 0..1 down.
type stroke struct{ x0, y0, x1, y1 float64 }

// sevenStrokes is a "7" with a crossbar: asymmetric on both axes, so its
// centre of mass is nowhere near its box's centre.
var sevenStrokes = []stroke{
	{0.1, 0.1, 0.8, 0.1},
	{0.8, 0.1, 0.35, 1.0},
	{0.4, 0.55, 0.75, 0.55},
}

// oneStrokes is a plain vertical bar.
var oneStrokes = []stroke{{0.5, 0.05, 0.5, 0.95}}

// dashStrokes is a plain horizontal bar.
var dashStrokes = []stroke{{0.05, 0.5, 0.95, 0.5}}

// placement puts a digit on a canvas: digit unit u lands at pixel
// (dx + u·scale, dy + u·scale), and strokes are thick·scale pixels wide.
type placement struct {
	w, h          int
	scale, dx, dy float64
	thick         float64
}

// coverage renders strokes as ink coverage 0..1 per pixel, anti-aliased over
// about one pixel like a canvas brush.
func coverage(strokes []stroke, pl placement) []float64 {
	cov := make([]float64, pl.w*pl.h)
	half := pl.thick * pl.scale / 2
	for y := range pl.h {
		for x := range pl.w {
			px, py := float64(x)+0.5, float64(y)+0.5
			d := math.Inf(1)
			for _, s := range strokes {
				ax, ay := pl.dx+s.x0*pl.scale, pl.dy+s.y0*pl.scale
				bx, by := pl.dx+s.x1*pl.scale, pl.dy+s.y1*pl.scale
				vx, vy := bx-ax, by-ay
				t := ((px-ax)*vx + (py-ay)*vy) / (vx*vx + vy*vy)
				t = min(max(t, 0), 1)
				d = min(d, math.Hypot(px-ax-t*vx, py-ay-t*vy))
			}
			cov[y*pl.w+x] = min(max(half-d+0.5, 0), 1)
		}
	}
	return cov
}

// grayImage paints coverage with ink of luminance inkLum on paper of
// luminance paperLum.
func grayImage(cov []float64, w, h int, inkLum, paperLum float64) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i, c := range cov {
		g.Pix[i] = uint8(math.Round(paperLum + c*(inkLum-paperLum)))
	}
	return g
}

// nrgbaCanvas paints coverage in colour ink on colour paper, as a draw pad
// does.
func nrgbaCanvas(cov []float64, w, h int, ink, paper color.NRGBA) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	mix := func(a, b uint8, c float64) uint8 { return uint8(math.Round(float64(a) + c*(float64(b)-float64(a)))) }
	for i, c := range cov {
		copy(m.Pix[4*i:], []uint8{mix(paper.R, ink.R, c), mix(paper.G, ink.G, c), mix(paper.B, ink.B, c), mix(paper.A, ink.A, c)})
	}
	return m
}

// meanAbsDiff is the mean absolute difference of two inputs.
func meanAbsDiff(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += math.Abs(float64(a[i] - b[i]))
	}
	return s / float64(len(a))
}

// inputCentre is the intensity-weighted centre of an input, in pixel-centre
// coordinates.
func inputCentre(x []float32) (cx, cy float64) {
	var s float64
	for i, v := range x {
		s += float64(v)
		cx += float64(v) * float64(i%digitSide)
		cy += float64(v) * float64(i/digitSide)
	}
	return cx / s, cy / s
}

// inputBox returns the width and height of the box around an input's pixels
// brighter than 1/255, what InputImage shows as ink.
func inputBox(x []float32) (w, h int) {
	x0, y0, x1, y1 := digitSide, digitSide, -1, -1
	for i, v := range x {
		if v >= 0.5/255 {
			x, y := i%digitSide, i/digitSide
			x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
		}
	}
	return x1 - x0 + 1, y1 - y0 + 1
}

// checkInput checks what every input must be: 784 values in 0..1, the
// strongest exactly 1.
func checkInput(t *testing.T, x []float32) {
	t.Helper()
	if len(x) != InputSize {
		t.Fatalf("got %d values, want %d", len(x), InputSize)
	}
	var peak float32
	for i, v := range x {
		if !(v >= 0 && v <= 1) {
			t.Fatalf("value %d is %v, want 0..1", i, v)
		}
		peak = max(peak, v)
	}
	if peak != 1 {
		t.Errorf("strongest value %v, want 1", peak)
	}
}

func mustPreprocess(t *testing.T, img image.Image) []float32 {
	t.Helper()
	x, err := Preprocess(img)
	if err != nil {
		t.Fatalf("Preprocess: %v", err)
	}
	checkInput(t, x)
	return x
}

// referenceSeven is a "7" 180 pixels tall in the middle of a 280×280 canvas,
// black on white.
func referenceSeven() *image.Gray {
	pl := placement{w: 280, h: 280, scale: 180, dx: 68, dy: 50, thick: 0.11}
	return grayImage(coverage(sevenStrokes, pl), pl.w, pl.h, 0, 255)
}

func TestPreprocessIgnoresPlacementAndScale(t *testing.T) {
	t.Parallel()
	want := mustPreprocess(t, referenceSeven())
	tests := []struct {
		name string
		pl   placement
		tol  float64 // on the mean absolute difference from the reference
	}{
		{"same", placement{w: 280, h: 280, scale: 180, dx: 68, dy: 50, thick: 0.11}, 0.05},
		{"half size in the top-left corner of 500×400", placement{w: 500, h: 400, scale: 90, dx: 3, dy: 2, thick: 0.11}, 0.05},
		{"half size in the bottom-right corner of 500×400", placement{w: 500, h: 400, scale: 90, dx: 420, dy: 300, thick: 0.11}, 0.05},
		{"double size on 500×400", placement{w: 500, h: 400, scale: 360, dx: 90, dy: 20, thick: 0.11}, 0.05},
		{"fractional offset", placement{w: 280, h: 280, scale: 177.3, dx: 71.37, dy: 48.61, thick: 0.11}, 0.05},
		{"small, 24 pixels tall", placement{w: 64, h: 48, scale: 24, dx: 30, dy: 10, thick: 0.11}, 0.05},
		// Enlarged from 13 pixels with a stroke of 1.4: the shape survives
		// but not the stroke's profile.
		{"enlarged, 13 pixels tall", placement{w: 40, h: 30, scale: 13, dx: 20, dy: 9, thick: 0.11}, 0.1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := mustPreprocess(t, grayImage(coverage(sevenStrokes, tt.pl), tt.pl.w, tt.pl.h, 0, 255))
			d := meanAbsDiff(got, want)
			cx, cy := inputCentre(got)
			w, h := inputBox(got)
			t.Logf("difference %.4f, centre (%.3f, %.3f), ink box %d×%d", d, cx, cy, w, h)
			if d > tt.tol {
				t.Errorf("mean absolute difference from the reference %.3f, want ≤ %g", d, tt.tol)
			}
			if math.Abs(cx-14) > 0.5 || math.Abs(cy-14) > 0.5 {
				t.Errorf("centre of mass (%.2f, %.2f), want (14, 14) ± 0.5", cx, cy)
			}
			if h < digitBox-1 || h > digitBox+1 {
				t.Errorf("ink box %d pixels tall, want %d ± 1", h, digitBox)
			}
		})
	}
}

func TestPreprocessKeepsAspectRatio(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		strokes      []stroke
		wantW, wantH [2]int // inclusive ranges
	}{
		// The bar is 0.9+0.06 units long and 0.06 wide: 20 pixels by 1.25.
		{"thin one", oneStrokes, [2]int{1, 3}, [2]int{digitBox - 1, digitBox + 1}},
		{"thin dash", dashStrokes, [2]int{digitBox - 1, digitBox + 1}, [2]int{1, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pl := placement{w: 280, h: 280, scale: 220, dx: 30, dy: 30, thick: 0.06}
			x := mustPreprocess(t, grayImage(coverage(tt.strokes, pl), pl.w, pl.h, 255, 0))
			w, h := inputBox(x)
			if w < tt.wantW[0] || w > tt.wantW[1] || h < tt.wantH[0] || h > tt.wantH[1] {
				t.Errorf("ink box %d×%d, want width %d..%d and height %d..%d", w, h, tt.wantW[0], tt.wantW[1], tt.wantH[0], tt.wantH[1])
			}
		})
	}
}

// TestPreprocessImageKinds feeds the same drawing as every kind of image the
// window, the command line and a photo can produce: each must read the same.
func TestPreprocessImageKinds(t *testing.T) {
	t.Parallel()
	pl := placement{w: 280, h: 280, scale: 180, dx: 68, dy: 50, thick: 0.11}
	cov := coverage(sevenStrokes, pl)
	want := mustPreprocess(t, referenceSeven())

	light := grayImage(cov, pl.w, pl.h, 255, 0)
	rgba := image.NewRGBA(light.Bounds())
	paletted := image.NewPaletted(light.Bounds(), color.Palette{color.Black, color.White})
	ycc := image.NewYCbCr(light.Bounds(), image.YCbCrSubsampleRatio420)
	for i := range cov {
		p := 255 - light.Pix[i]
		copy(rgba.Pix[4*i:], []uint8{p, p, p, 255})
		paletted.Pix[i] = uint8(min(cov[i]*2, 1)) // hard-edged: only black and white
		ycc.Y[i] = p
	}
	for i := range ycc.Cb {
		ycc.Cb[i], ycc.Cr[i] = 128, 128
	}
	// A canvas inside a larger one, as a sub-image with a non-zero origin.
	big := nrgbaCanvas(coverage(sevenStrokes, placement{w: 400, h: 380, scale: 180, dx: 168, dy: 150, thick: 0.11}),
		400, 380, color.NRGBA{R: 250, G: 250, B: 250, A: 255}, color.NRGBA{R: 20, G: 30, B: 40, A: 255})
	sub := big.SubImage(image.Rect(100, 100, 380, 380))

	tests := []struct {
		name string
		img  image.Image
		tol  float64
	}{
		{"light on dark gray", light, 1e-6},
		{"premultiplied RGBA", rgba, 1e-6},
		{"YCbCr, as from a JPEG", ycc, 1e-6},
		{"light NRGBA strokes on a dark theme", nrgbaCanvas(cov, pl.w, pl.h, color.NRGBA{R: 240, G: 240, B: 240, A: 255}, color.NRGBA{R: 23, G: 23, B: 24, A: 255}), 0.01},
		{"blue ink on yellow paper", nrgbaCanvas(cov, pl.w, pl.h, color.NRGBA{B: 200, A: 255}, color.NRGBA{R: 255, G: 240, B: 160, A: 255}), 0.01},
		{"black strokes on transparent", nrgbaCanvas(cov, pl.w, pl.h, color.NRGBA{A: 255}, color.NRGBA{}), 0.01},
		{"white strokes on transparent", nrgbaCanvas(cov, pl.w, pl.h, color.NRGBA{R: 255, G: 255, B: 255, A: 255}, color.NRGBA{R: 255, G: 255, B: 255}), 0.01},
		{"sub-image at (100, 100)", sub, 0.01},
		{"two-colour palette", paletted, 0.05},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := mustPreprocess(t, tt.img)
			if d := meanAbsDiff(got, want); d > tt.tol {
				t.Errorf("mean absolute difference from black on white %.4f, want ≤ %g", d, tt.tol)
			}
		})
	}
}

func TestPreprocessUnevenPaper(t *testing.T) {
	t.Parallel()
	pl := placement{w: 300, h: 240, scale: 170, dx: 90, dy: 35, thick: 0.1}
	cov := coverage(sevenStrokes, pl)
	clean := mustPreprocess(t, grayImage(cov, pl.w, pl.h, 30, 230))
	rng := rand.New(rand.NewPCG(7, 7))
	photo := image.NewGray(image.Rect(0, 0, pl.w, pl.h))
	for y := range pl.h {
		for x := range pl.w {
			// Paper lit from the top left, from 235 down to 175, with
			// sensor noise, and grey ink that is not quite black.
			paper := 235 - 60*(float64(x)/float64(pl.w)+float64(y)/float64(pl.h))/2 + rng.NormFloat64()*3
			c := cov[y*pl.w+x]
			photo.Pix[y*pl.w+x] = uint8(min(max(math.Round(paper+c*(60-paper)), 0), 255))
		}
	}
	got := mustPreprocess(t, photo)
	d := meanAbsDiff(got, clean)
	var haze float64
	for i, v := range got {
		if clean[i] == 0 {
			haze = max(haze, float64(v))
		}
	}
	t.Logf("mean absolute difference from clean paper %.4f, haze up to %.3f", d, haze)
	if d > 0.02 {
		t.Errorf("mean absolute difference from clean paper %.3f, want ≤ 0.02", d)
	}
	if haze > 0.1 {
		t.Errorf("paper reads as ink up to %.2f where the clean drawing has none, want ≤ 0.1", haze)
	}
}

func TestPreprocessPolarity(t *testing.T) {
	t.Parallel()
	pl := placement{w: 200, h: 250, scale: 160, dx: 30, dy: 40, thick: 0.12}
	cov := coverage(sevenStrokes, pl)
	dark := grayImage(cov, pl.w, pl.h, 10, 245)
	light := image.NewGray(dark.Bounds())
	for i, p := range dark.Pix {
		light.Pix[i] = 255 - p
	}
	a, b := mustPreprocess(t, dark), mustPreprocess(t, light)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("pixel %d: dark on light gives %v, its inverse %v; want the same", i, a[i], b[i])
		}
	}
	// The paper's side is recognised even when the digit touches the edge.
	touching := placement{w: 120, h: 160, scale: 160, dx: -10, dy: 0, thick: 0.12}
	for _, paper := range []float64{0, 255} {
		x := mustPreprocess(t, grayImage(coverage(sevenStrokes, touching), touching.w, touching.h, 255-paper, paper))
		if x[0] != 0 || x[InputSize-1] != 0 {
			t.Errorf("paper %v: corners %v and %v, want 0 (paper, not ink)", paper, x[0], x[InputSize-1])
		}
	}
}

func TestPreprocessNothingDrawn(t *testing.T) {
	t.Parallel()
	uniform := func(l uint8) *image.Gray {
		g := image.NewGray(image.Rect(0, 0, 120, 90))
		for i := range g.Pix {
			g.Pix[i] = l
		}
		return g
	}
	noisy := uniform(128)
	rng := rand.New(rand.NewPCG(3, 3))
	for i := range noisy.Pix {
		noisy.Pix[i] = uint8(128 + rng.IntN(17) - 8)
	}
	faint := grayImage(coverage(sevenStrokes, placement{w: 120, h: 90, scale: 70, dx: 25, dy: 10, thick: 0.1}), 120, 90, 235, 250)
	tests := []struct {
		name string
		img  image.Image
	}{
		{"white", uniform(255)},
		{"black", uniform(0)},
		{"grey", uniform(128)},
		{"grey with noise of ±8", noisy},
		{"a stroke 15 levels darker than the paper", faint},
		{"transparent", image.NewNRGBA(image.Rect(0, 0, 50, 50))},
		{"empty", image.NewGray(image.Rectangle{})},
		{"white RGBA", nrgbaCanvas(make([]float64, 64), 8, 8, color.NRGBA{}, color.NRGBA{R: 255, G: 255, B: 255, A: 255})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			x, err := Preprocess(tt.img)
			if !errors.Is(err, ErrNothingDrawn) {
				t.Errorf("got %d values and error %v, want ErrNothingDrawn", len(x), err)
			}
		})
	}
}

// TestPreprocessSmallestDrawing checks the smallest drawing that is read,
// a 2×3 blob: it is enlarged with interpolation, not replicated into
// blocks.
func TestPreprocessSmallestDrawing(t *testing.T) {
	t.Parallel()
	g := image.NewGray(image.Rect(0, 0, 40, 30))
	for _, i := range []int{12*40 + 7, 12*40 + 8, 13*40 + 7, 13*40 + 8, 14*40 + 7, 14*40 + 8} {
		g.Pix[i] = 255
	}
	x := mustPreprocess(t, g)
	if cx, cy := inputCentre(x); math.Abs(cx-14) > 0.5 || math.Abs(cy-14) > 0.5 {
		t.Errorf("centre of mass (%.2f, %.2f), want (14, 14) ± 0.5", cx, cy)
	}
	levels := map[float32]bool{}
	for _, v := range x {
		levels[v] = true
	}
	if len(levels) < 10 {
		t.Errorf("%d distinct levels, want a smooth blob (≥ 10)", len(levels))
	}
}

// TestPreprocessTooSmall checks that ink too small to be a digit (a dot, a
// pair of pixels, a dash) is refused with ErrTooSmall, which is also
// ErrNothingDrawn, whatever the polarity, while the smallest readable
// drawings are read.
func TestPreprocessTooSmall(t *testing.T) {
	t.Parallel()
	// draw makes a w×h image of paper with the given pixels inked.
	draw := func(w, h int, paper, ink uint8, pixels ...[2]int) *image.Gray {
		g := image.NewGray(image.Rect(0, 0, w, h))
		for i := range g.Pix {
			g.Pix[i] = paper
		}
		for _, p := range pixels {
			g.Pix[p[1]*w+p[0]] = ink
		}
		return g
	}
	// A dot on a transparent canvas, as the pad might hand one over.
	transparent := image.NewNRGBA(image.Rect(0, 0, 28, 28))
	transparent.Pix[4*(10*28+10)+3] = 255
	for _, c := range []struct {
		name string
		img  image.Image
		ok   bool
	}{
		{"white dot on black", draw(28, 28, 0, 255, [2]int{13, 13}), false},
		{"black dot on white", draw(28, 28, 255, 0, [2]int{3, 20}), false},
		{"dot on a big page", draw(500, 400, 255, 0, [2]int{250, 200}), false},
		{"black dot on transparent", transparent, false},
		{"2×2 square", draw(28, 28, 0, 255, [2]int{5, 5}, [2]int{6, 5}, [2]int{5, 6}, [2]int{6, 6}), false},
		{"dash of 3", draw(28, 28, 0, 255, [2]int{5, 5}, [2]int{6, 5}, [2]int{7, 5}), false},
		{"a 1 of 4 pixels", draw(28, 28, 255, 0, [2]int{9, 5}, [2]int{9, 6}, [2]int{9, 7}, [2]int{9, 8}), true},
		{"2×3 blob", draw(28, 28, 0, 255, [2]int{5, 5}, [2]int{6, 5}, [2]int{5, 6}, [2]int{6, 6}, [2]int{5, 7}, [2]int{6, 7}), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			x, err := Preprocess(c.img)
			if c.ok {
				if err != nil {
					t.Fatalf("Preprocess: %v, want the drawing read", err)
				}
				checkInput(t, x)
				return
			}
			if !errors.Is(err, ErrTooSmall) || !errors.Is(err, ErrNothingDrawn) {
				t.Fatalf("Preprocess: %d values, error %v; want ErrTooSmall, also ErrNothingDrawn", len(x), err)
			}
			if x != nil {
				t.Errorf("Preprocess returned %d values with its error", len(x))
			}
		})
	}
	if msg := ErrTooSmall.Error(); strings.Contains(msg, ErrNothingDrawn.Error()) || !strings.Contains(msg, "too little ink") {
		t.Errorf("ErrTooSmall says %q: want its own message", msg)
	}
}

// blowUp returns an MNIST image enlarged 10× without interpolation, as if
// someone had drawn it on a 280×280 canvas.
func blowUp(img []uint8) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, 10*digitSide, 10*digitSide))
	for y := range g.Rect.Dy() {
		for x := range g.Rect.Dx() {
			g.Pix[y*g.Stride+x] = img[(y/10)*digitSide+x/10]
		}
	}
	return g
}

// TestPreprocessMNISTRoundTrip is the strongest check: MNIST digits are
// already normalised, so a blown-up MNIST digit must come back almost as it
// was, and the book's network must read it as well as the original.
func TestPreprocessMNISTRoundTrip(t *testing.T) {
	t.Parallel()
	pixels := testMNIST(t).Test.Pixels
	const n = 300
	var total, worst float64
	for k := range n {
		img := pixels[k*InputSize : (k+1)*InputSize]
		got := mustPreprocess(t, blowUp(img))
		want := make([]float32, InputSize)
		for i, p := range img {
			want[i] = float32(p) / 255
		}
		d := meanAbsDiff(got, want)
		total += d
		worst = max(worst, d)
		if d > 0.08 {
			t.Errorf("test image %d: mean absolute difference %.3f, want ≤ 0.08", k, d)
		}
	}
	t.Logf("mean absolute difference over %d test images %.4f, worst %.4f", n, total/n, worst)
	// The residue is the sub-pixel centring: MNIST's own centres of mass
	// scatter ±0.5 pixel around (14, 14).
	if mean := total / n; mean > 0.035 {
		t.Errorf("mean absolute difference over %d test images %.4f (worst %.3f), want ≤ 0.035", n, mean, worst)
	}
}

func TestPreprocessMNISTAccuracy(t *testing.T) {
	t.Parallel()
	m := loadBookModel(t)
	pixels := testMNIST(t).Test.Pixels
	const n = 300
	labels := testMNIST(t).Test.Labels[:n]
	rng := rand.New(rand.NewPCG(11, 11))
	var orig, pre int
	x := make([]float32, InputSize)
	for k := range n {
		img := pixels[k*InputSize : (k+1)*InputSize]
		for i, p := range img {
			x[i] = float32(p) / 255
		}
		if Argmax(m.Predict(x)) == int(labels[k]) {
			orig++
		}
		// Drawn again smaller or larger, somewhere on a wider canvas.
		s := 4 + rng.IntN(12)
		canvas := image.NewGray(image.Rect(0, 0, 420, 440))
		for i := range canvas.Pix {
			canvas.Pix[i] = 255
		}
		ox, oy := rng.IntN(420-s*digitSide+1), rng.IntN(440-s*digitSide+1)
		for y := range s * digitSide {
			for xx := range s * digitSide {
				canvas.Pix[(oy+y)*canvas.Stride+ox+xx] = 255 - img[(y/s)*digitSide+xx/s]
			}
		}
		if Argmax(m.Predict(mustPreprocess(t, canvas))) == int(labels[k]) {
			pre++
		}
	}
	t.Logf("the book's network reads %d of %d redrawn test digits right, %d of the originals", pre, n, orig)
	if pre < orig-n/50 {
		t.Errorf("the book's network reads %d of %d redrawn test digits right, want at least %d (it reads %d of the originals)", pre, n, orig-n/50, orig)
	}
}

// TestPreprocessConcurrent runs Preprocess from several goroutines at once,
// as the window and a command may: the pooled buffers must not leak between
// calls.
func TestPreprocessConcurrent(t *testing.T) {
	t.Parallel()
	imgs := []image.Image{
		referenceSeven(),
		grayImage(coverage(oneStrokes, placement{w: 90, h: 120, scale: 100, dx: -5, dy: 10, thick: 0.1}), 90, 120, 255, 0),
		grayImage(coverage(dashStrokes, placement{w: 600, h: 500, scale: 400, dx: 100, dy: 40, thick: 0.1}), 600, 500, 0, 200),
	}
	want := make([][]float32, len(imgs))
	for i, img := range imgs {
		want[i] = mustPreprocess(t, img)
	}
	const workers, rounds = 4, 20
	errs := make(chan error, workers)
	for w := range workers {
		go func() {
			for r := range rounds {
				i := (w + r) % len(imgs)
				got, err := Preprocess(imgs[i])
				if err == nil && meanAbsDiff(got, want[i]) != 0 {
					err = errors.New("a concurrent call gave a different result")
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range workers {
		select {
		case err := <-errs:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("concurrent Preprocess calls did not finish in 10 s")
		}
	}
}

func TestInputImage(t *testing.T) {
	t.Parallel()
	x := make([]float32, InputSize)
	x[0], x[1], x[2], x[27], x[InputSize-1] = 1, 0.5, -0.2, 1.7, 0.2
	g := InputImage(x)
	if got, want := g.Bounds(), image.Rect(0, 0, digitSide, digitSide); got != want {
		t.Fatalf("bounds %v, want %v", got, want)
	}
	tests := []struct {
		x, y int
		want uint8
	}{{0, 0, 255}, {1, 0, 128}, {2, 0, 0}, {27, 0, 255}, {27, 27, 51}, {5, 5, 0}}
	for _, tt := range tests {
		if got := g.GrayAt(tt.x, tt.y).Y; got != tt.want {
			t.Errorf("pixel (%d, %d) = %d, want %d", tt.x, tt.y, got, tt.want)
		}
	}
	// What Preprocess returns is what InputImage shows.
	in := mustPreprocess(t, referenceSeven())
	for i, p := range InputImage(in).Pix {
		if d := math.Abs(float64(p) - float64(in[i])*255); d > 0.5 {
			t.Fatalf("pixel %d shows %d for %v", i, p, in[i])
		}
	}
}

func TestInputImagePanicsOnWrongLength(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("InputImage of 100 values did not panic")
		}
	}()
	InputImage(make([]float32, 100))
}

func BenchmarkPreprocessCanvas(b *testing.B) {
	for _, side := range []int{280, 560} {
		pl := placement{w: side, h: side, scale: float64(side) * 0.65, dx: float64(side) * 0.25, dy: float64(side) * 0.18, thick: 0.1}
		canvas := nrgbaCanvas(coverage(sevenStrokes, pl), side, side, color.NRGBA{A: 255}, color.NRGBA{R: 255, G: 255, B: 255, A: 255})
		b.Run(canvas.Bounds().Size().String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Preprocess(canvas); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPredictDrawnDigit is what the draw pad does at every stroke
// update: preprocess a 280×280 canvas and run 784-100-10 on it.
func BenchmarkPredictDrawnDigit(b *testing.B) {
	const side = 280
	pl := placement{w: side, h: side, scale: side * 0.65, dx: side * 0.25, dy: side * 0.18, thick: 0.1}
	canvas := nrgbaCanvas(coverage(sevenStrokes, pl), side, side, color.NRGBA{R: 240, G: 240, B: 240, A: 255}, color.NRGBA{R: 30, G: 30, B: 35, A: 255})
	m, err := NewModel(MNISTArch([]int{100}, []Activation{ReLU}, CrossEntropy), Init{Kind: InitHe}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		x, err := Preprocess(canvas)
		if err != nil {
			b.Fatal(err)
		}
		m.Predict(x)
	}
}
