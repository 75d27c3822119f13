package cli

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio/npz"

	"github.com/mnistplayground/mnistplayground/engine"
)

// drawSeven draws a 7 with a thick black pen on a white 200×200 page.
func drawSeven() *image.Gray {
	img := blankPage()
	stroke(img, 50, 40, 150, 40, 9)
	stroke(img, 150, 40, 80, 170, 9)
	return img
}

func blankPage() *image.Gray {
	img := image.NewGray(image.Rect(0, 0, 200, 200))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	return img
}

// stroke inks every pixel within r of the segment (x0, y0)–(x1, y1).
func stroke(img *image.Gray, x0, y0, x1, y1, r float64) {
	dx, dy := x1-x0, y1-y0
	for y := range img.Rect.Dy() {
		for x := range img.Rect.Dx() {
			px, py := float64(x)+0.5, float64(y)+0.5
			u := max(0, min(1, ((px-x0)*dx+(py-y0)*dy)/(dx*dx+dy*dy)))
			if math.Hypot(px-(x0+u*dx), py-(y0+u*dy)) <= r {
				img.SetGray(x, y, color.Gray{})
			}
		}
	}
}

// encodeImage writes img to path in the format its extension names.
func encodeImage(t *testing.T, path string, img image.Image) {
	t.Helper()
	writeFile(t, path, func(f *os.File) error {
		switch filepath.Ext(path) {
		case ".jpg":
			return jpeg.Encode(f, img, &jpeg.Options{Quality: 90})
		case ".gif":
			return gif.Encode(f, img, nil)
		}
		return png.Encode(f, img)
	})
}

// predictLine is one line of predict --json.
type predictLine struct {
	File          string    `json:"file"`
	Digit         *int      `json:"digit"`
	Probabilities []float64 `json:"probabilities"`
	Error         string    `json:"error"`
}

func TestPredict(t *testing.T) {
	t.Parallel()
	dir := tinyMNIST(t)
	model := trainTiny(t, dir)
	tmp := t.TempDir()
	seven := drawSeven()
	files := map[string]image.Image{"blank.png": blankPage(), "seven.png": seven, "seven.jpg": seven, "seven.gif": seven}
	for name, img := range files {
		encodeImage(t, filepath.Join(tmp, name), img)
	}
	text := filepath.Join(tmp, "notes.txt")
	if err := os.WriteFile(text, []byte("a seven"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := func(name string) string { return filepath.Join(tmp, name) }
	// The bad files come first: the good ones after them are still classified.
	args := []string{"predict", "--model", model, "--json", path("blank.png"), path("missing.png"), text, tmp,
		path("seven.png"), path("seven.jpg"), path("seven.gif")}
	r := run(t, args...)
	if r.code != 1 {
		t.Errorf("exit code %d, want 1 for the bad files", r.code)
	}
	wantErrors := []struct{ file, msg string }{
		{path("blank.png"), "nothing drawn: the image has no ink"},
		{path("missing.png"), "cannot read the image: no such file or directory"},
		{text, "not an image this program reads: give a PNG, JPEG or GIF"},
		{tmp, "is a folder, not an image"},
	}
	errLines := lines(r.stderr)
	if len(errLines) != len(wantErrors) {
		t.Fatalf("stderr has %d lines, want %d:\n%s", len(errLines), len(wantErrors), r.stderr)
	}
	for i, w := range wantErrors {
		if want := "mnist-playground: " + w.file + ": " + w.msg; errLines[i] != want {
			t.Errorf("stderr line %d = %q, want %q", i+1, errLines[i], want)
		}
	}
	out := lines(r.stdout)
	if len(out) != len(args)-4 {
		t.Fatalf("stdout has %d lines, want one per file, %d:\n%s", len(out), len(args)-4, r.stdout)
	}
	for i, l := range out {
		var p predictLine
		if err := json.Unmarshal([]byte(l), &p); err != nil {
			t.Fatalf("line %q is not JSON: %v", l, err)
		}
		if p.File != args[4+i] {
			t.Errorf("line %d is about %q, want %q", i+1, p.File, args[4+i])
		}
		if i < len(wantErrors) {
			if p.Error != wantErrors[i].msg || p.Digit != nil || p.Probabilities != nil {
				t.Errorf("line %d = %s, want only the error %q", i+1, l, wantErrors[i].msg)
			}
			continue
		}
		checkProbabilities(t, p)
	}
}

// checkProbabilities checks one prediction: ten probabilities summing to 1,
// and the digit the most probable.
func checkProbabilities(t *testing.T, p predictLine) {
	t.Helper()
	if p.Error != "" || p.Digit == nil || len(p.Probabilities) != 10 {
		t.Errorf("%s: error %q, digit %v, %d probabilities; want a digit and 10 probabilities", p.File, p.Error, p.Digit, len(p.Probabilities))
		return
	}
	sum, best := 0.0, 0
	for d, v := range p.Probabilities {
		if v < 0 || v > 1 {
			t.Errorf("%s: probability of %d is %v", p.File, d, v)
		}
		sum += v
		if v > p.Probabilities[best] {
			best = d
		}
	}
	if math.Abs(sum-1) > 1e-5 {
		t.Errorf("%s: probabilities sum to %v, want 1", p.File, sum)
	}
	if *p.Digit != best {
		t.Errorf("%s: digit %d, but %d is the most probable", p.File, *p.Digit, best)
	}
}

// TestPredictText checks the aligned text output and standard input.
func TestPredictText(t *testing.T) {
	t.Parallel()
	dir := tinyMNIST(t)
	model := trainTiny(t, dir)
	tmp := t.TempDir()
	long := filepath.Join(tmp, "a-seven-with-a-long-name.png")
	encodeImage(t, long, drawSeven())
	var stdin bytes.Buffer
	if err := png.Encode(&stdin, drawSeven()); err != nil {
		t.Fatal(err)
	}
	r := runWith(t, t.Context(), bytes.NewReader(stdin.Bytes()), &syncBuffer{}, "predict", "--model", model, long, "-", "-")
	if r.code != 1 {
		t.Errorf("exit code %d, want 1 for the second -", r.code)
	}
	if want := "mnist-playground: -: standard input can be read only once\n"; r.stderr != want {
		t.Errorf("stderr = %q, want %q", r.stderr, want)
	}
	out := lines(r.stdout)
	if len(out) != 2 {
		t.Fatalf("stdout has %d lines, want 2:\n%s", len(out), r.stdout)
	}
	for i, l := range out {
		f := strings.Fields(l)
		// name, digit, its probability, then d:p for each digit
		if len(f) != 13 || !strings.HasSuffix(f[2], "%") {
			t.Errorf("line %q: want a name, a digit, a percentage and ten probabilities", l)
			continue
		}
		if want := []string{long, "-"}[i]; f[0] != want {
			t.Errorf("line %d names %q, want %q", i+1, f[0], want)
		}
		if !strings.HasPrefix(f[3], "0:") || !strings.HasPrefix(f[12], "9:") {
			t.Errorf("line %q does not list the digits 0 to 9", l)
		}
	}
	// The digits stand in one column, after the longest name.
	for _, l := range out {
		if c := l[len(long)+2]; c < '0' || c > '9' {
			t.Errorf("the digit is not in the column after the names:\n%s", r.stdout)
		}
	}
}

// TestPredictTooLarge checks that an image too large to decode safely is
// refused from its header alone: the file holds nothing but a PNG header
// announcing 20000×6000 pixels.
func TestPredictTooLarge(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	model := filepath.Join(tmp, "m.npz")
	m, err := engine.NewModel(engine.DefaultConfig().Arch, engine.Init{Kind: engine.InitHe}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if err := engine.SaveModel(model, m); err != nil {
		t.Fatal(err)
	}
	// The PNG signature and an IHDR chunk: width, height, 8-bit grey.
	ihdr := []byte("IHDR")
	ihdr = binary.BigEndian.AppendUint32(ihdr, 20000)
	ihdr = binary.BigEndian.AppendUint32(ihdr, 6000)
	ihdr = append(ihdr, 8, 0, 0, 0, 0)
	header := []byte("\x89PNG\r\n\x1a\n")
	header = binary.BigEndian.AppendUint32(header, uint32(len(ihdr)-4))
	header = append(header, ihdr...)
	header = binary.BigEndian.AppendUint32(header, crc32.ChecksumIEEE(ihdr))
	huge := filepath.Join(tmp, "huge.png")
	if err := os.WriteFile(huge, header, 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, "predict", "--model", model, huge)
	if want := "mnist-playground: " + huge + ": the image is 20000×6000 pixels, 120.0 megapixels: give one of at most 16 megapixels (scale it down)\n"; r.code != 1 || r.stderr != want {
		t.Errorf("exit code %d, stderr %q; want 1 and %q", r.code, r.stderr, want)
	}
}

// TestOverflowingModel checks that eval and predict give the same answer
// about a model whose weights are finite but so large that its sums
// overflow float32: the same error from loading it, and no NaN.
func TestOverflowingModel(t *testing.T) {
	t.Parallel()
	data := tinyMNIST(t)
	dir := t.TempDir()
	m, err := engine.NewModel(engine.MNISTArch([]int{8}, []engine.Activation{engine.Sigmoid}, engine.CrossEntropy), engine.Init{Kind: engine.InitHe}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	for i := range m.Layers[0].W {
		m.Layers[0].W[i] = 1e37
	}
	// SaveModel refuses such a model, so it is written as NumPy would.
	model := filepath.Join(dir, "huge.npz")
	arrays := map[string]any{}
	for k, l := range m.Layers {
		rows := make([][]float32, l.In)
		for r := range rows {
			rows[r] = l.W[r*l.Out : (r+1)*l.Out]
		}
		arrays[fmt.Sprintf("W%d", k+1)] = rows
		arrays[fmt.Sprintf("b%d", k+1)] = l.B
	}
	if err := npz.Write(model, arrays); err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(dir, "seven.png")
	encodeImage(t, img, drawSeven())
	want := "mnist-playground: cannot load " + model + ": the model in the file is not usable: its weights are too large: layer 1's sums can reach 7.84e+39"
	for _, args := range [][]string{
		{"eval", "--data", data, "--model", model},
		{"eval", "--json", "--data", data, "--model", model},
		{"predict", "--model", model, img},
		{"predict", "--json", "--model", model, img},
	} {
		r := run(t, args...)
		if r.code != exitFailed || !strings.HasPrefix(r.stderr, want) || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%q: exit %d, stderr %q; want exit %d and one line starting %q", args, r.code, r.stderr, exitFailed, want)
		}
		if r.stdout != "" {
			t.Errorf("%q: stdout %q, want nothing", args, r.stdout)
		}
	}
}
