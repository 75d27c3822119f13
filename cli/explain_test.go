package cli

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mnistplayground/mnistplayground/engine"
)

// explainLine is explain's --json output, each key a pointer or a slice so
// that a missing one shows.
type explainLine struct {
	File               string      `json:"file"`
	Digit              *int        `json:"digit"`
	Probability        *float64    `json:"probability"`
	Input              []float64   `json:"input"`
	Layers             [][]float64 `json:"layers"`
	Scores             []float64   `json:"scores"`
	Exp                []*float64  `json:"exp"`
	NaiveProbabilities []*float64  `json:"naive_probabilities"`
	ShiftedExp         []float64   `json:"shifted_exp"`
	Probabilities      []float64   `json:"probabilities"`
	Saliency           []float64   `json:"saliency"`
	Scale              *float64    `json:"scale"`
}

func decodeExplain(t *testing.T, out string) explainLine {
	t.Helper()
	if n := len(lines(out)); n != 1 {
		t.Fatalf("%d lines of output, want one JSON object:\n%s", n, out)
	}
	var e explainLine
	if err := json.Unmarshal([]byte(out), &e); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	return e
}

func TestExplainJSON(t *testing.T) {
	t.Parallel()
	dir := tinyMNIST(t)
	model := trainTiny(t, dir)
	img := filepath.Join(t.TempDir(), "seven.png")
	encodeImage(t, img, drawSeven())
	r := run(t, "explain", "--model", model, "--json", img)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit code %d, stderr %q; want 0 and nothing", r.code, r.stderr)
	}
	got := decodeExplain(t, r.stdout)

	// What the engine computes for the same image, preprocessed the same way.
	m, err := engine.LoadModel(model)
	if err != nil {
		t.Fatal(err)
	}
	x, err := engine.Preprocess(drawSeven())
	if err != nil {
		t.Fatal(err)
	}
	want := m.Explain(x, 1)
	same := func(what string, got []float64, want []float32) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s has %d numbers, want %d", what, len(got), len(want))
		}
		for i := range got {
			// The shortest form of a float32 reads back as the same float32.
			if float32(got[i]) != want[i] {
				t.Fatalf("%s[%d] = %v, want %v", what, i, got[i], want[i])
			}
		}
	}
	same("input", got.Input, x)
	if len(got.Layers) != 1 {
		t.Fatalf("%d hidden layers, want 1", len(got.Layers))
	}
	same("layers[0]", got.Layers[0], want.Hidden[0])
	same("scores", got.Scores, want.Scores)
	same("probabilities", got.Probabilities, want.Probabilities)
	same("shifted_exp", got.ShiftedExp, want.ShiftedExp)
	same("saliency", got.Saliency, want.Saliency)
	if got.Digit == nil || *got.Digit != want.Digit || got.Scale == nil || *got.Scale != 1 {
		t.Fatalf("digit %v scale %v, want %d and 1", got.Digit, got.Scale, want.Digit)
	}
	if got.Probability == nil || float32(*got.Probability) != want.Probabilities[want.Digit] {
		t.Errorf("probability %v, want the winner's, %v", got.Probability, want.Probabilities[want.Digit])
	}
	checkProbabilities(t, predictLine{File: img, Digit: got.Digit, Probabilities: got.Probabilities})
	for i, p := range got.NaiveProbabilities {
		if p == nil || math.Abs(*p-got.Probabilities[i]) > 1e-6 {
			t.Errorf("naive_probabilities[%d] = %v, want about %v at scale 1", i, p, got.Probabilities[i])
		}
	}

	// The same digit as predict reads.
	pr := run(t, "predict", "--model", model, "--json", img)
	var p predictLine
	if err := json.Unmarshal([]byte(pr.stdout), &p); err != nil || p.Digit == nil || *p.Digit != *got.Digit {
		t.Errorf("predict reads %s as %v, explain as %d", img, p.Digit, *got.Digit)
	}
}

// TestExplainOverflow scales the scores until the naive softmax overflows:
// its exponentials and probabilities become null (infinite and NaN), the
// stable softmax stays a distribution.
func TestExplainOverflow(t *testing.T) {
	t.Parallel()
	dir := tinyMNIST(t)
	model := trainTiny(t, dir)
	img := filepath.Join(t.TempDir(), "seven.png")
	encodeImage(t, img, drawSeven())
	r := run(t, "explain", "--model", model, "--json", "--scale", "1000", img)
	if r.code != 0 {
		t.Fatalf("exit code %d, stderr %q", r.code, r.stderr)
	}
	got := decodeExplain(t, r.stdout)
	d := *got.Digit
	if got.Exp[d] != nil || got.NaiveProbabilities[d] != nil {
		t.Errorf("at scale 1000 the winner's e^score is %v and naive probability %v, want null (overflowed)", got.Exp[d], got.NaiveProbabilities[d])
	}
	checkProbabilities(t, predictLine{File: img, Digit: got.Digit, Probabilities: got.Probabilities})
	if got.Probabilities[d] != 1 || got.ShiftedExp[d] != 1 {
		t.Errorf("the stable softmax gives the winner %v (numerator %v), want 1", got.Probabilities[d], got.ShiftedExp[d])
	}
}

func TestExplainText(t *testing.T) {
	t.Parallel()
	dir := tinyMNIST(t)
	model := trainTiny(t, dir)
	var png bytes.Buffer
	path := filepath.Join(t.TempDir(), "seven.png")
	encodeImage(t, path, drawSeven())
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	png.Write(raw)
	// The image from standard input.
	r := runWith(t, t.Context(), bytes.NewReader(png.Bytes()), &syncBuffer{}, "explain", "--model", model, "--scale", "200", "-")
	if r.code != 0 {
		t.Fatalf("exit code %d, stderr %q", r.code, r.stderr)
	}
	for _, want := range []string{
		"image     -, read by " + model + ": 784-32(relu)-10 ce",
		"hidden layer 1: 32 relu units, outputs ",
		"output scores before the softmax, times 200",
		"e^score overflowed: the naive softmax divides infinities (NaN)",
		"saliency: ∂score[",
		"+Inf",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	// Two pictures of 28 rows between their frames.
	if n := strings.Count(r.stdout, "\n  |"); n != 2*28 {
		t.Errorf("%d picture rows, want 56 (the input and the saliency map)", n)
	}
}

func TestExplainErrors(t *testing.T) {
	t.Parallel()
	dir := tinyMNIST(t)
	model := trainTiny(t, dir)
	tmp := t.TempDir()
	blank := filepath.Join(tmp, "blank.png")
	encodeImage(t, blank, blankPage())
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"explain", blank}, 2, "explain needs the model to read the image with: --model FILE"},
		{[]string{"explain", "--model", model}, 2, "explain reads one image, not 0"},
		{[]string{"explain", "--model", model, blank, blank}, 2, "explain reads one image, not 2"},
		{[]string{"explain", "--model", model, "--scale", "0", blank}, 2, "--scale 0 is out of range"},
		{[]string{"explain", "--model", model, "--scale", "5000", blank}, 2, "--scale 5000 is out of range"},
		{[]string{"explain", "--model", model, blank}, 1, blank + ": nothing drawn"},
		{[]string{"explain", "--model", filepath.Join(tmp, "none.npz"), blank}, 1, "none.npz"},
	}
	for _, tt := range tests {
		r := run(t, tt.args...)
		if r.code != tt.code || r.stdout != "" || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want %d, nothing, and %q", tt.args, r.code, r.stdout, r.stderr, tt.code, tt.want)
		}
	}
}
