package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/mnistplayground/mnistplayground/engine"
)

// maxScoreScale bounds explain's --scale, as the window's slider does.
const maxScoreScale = 1000

// explainFlags are the flags of explain.
type explainFlags struct {
	fs    *flag.FlagSet
	model *string
	scale *float64
	json  *bool
}

func newExplainFlags() *explainFlags {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	return &explainFlags{
		fs:    fs,
		model: fs.String("model", "", "the model `file` to read the image with (required)"),
		scale: fs.Float64("scale", 1, "multiply the output scores by this `factor` before the softmax (up to 1000): large factors make the naive softmax overflow"),
		json:  fs.Bool("json", false, "print the results as one JSON object"),
	}
}

// explainJSON is explain's --json output. Numbers that are not finite (an
// overflowed exponential, a naive probability of ∞/∞) are null.
type explainJSON struct {
	File         string   `json:"file"`
	Model        string   `json:"model"`
	Architecture string   `json:"architecture"`
	Digit        int      `json:"digit"`
	Probability  number32 `json:"probability"`
	// Input is the preprocessed 28×28 image, row by row, scaled to 0..1.
	Input []number32 `json:"input"`
	// Layers holds each hidden layer's outputs.
	Layers [][]number32 `json:"layers"`
	Scale  float64      `json:"scale"`
	// Scores are the output layer's values before the softmax, times scale.
	Scores []number32 `json:"scores"`
	// Exp is e^score, as a naive softmax computes it in 32-bit floats.
	Exp                []number32 `json:"exp"`
	NaiveProbabilities []number32 `json:"naive_probabilities"`
	// ShiftedExp is e^(score − max score), as the stable softmax computes it.
	ShiftedExp    []number32 `json:"shifted_exp"`
	Probabilities []number32 `json:"probabilities"`
	// Saliency is ∂score[digit]/∂input for each of the 784 inputs, of the
	// unscaled score: positive where more ink raises the digit's score.
	Saliency []number32 `json:"saliency"`
}

// number32 is a float32 that JSON encodes in its shortest form, and as
// null when it is NaN or infinite.
type number32 float32

// MarshalJSON encodes n as a JSON number, or null when it is not finite.
func (n number32) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 32), nil
}

func numbers32(v []float32) []number32 {
	out := make([]number32, len(v))
	for i, x := range v {
		out[i] = number32(x)
	}
	return out
}

// runExplain shows how a model reads one image: its forward propagation
// layer by layer, the softmax computed naively and stably, and the pixels
// that raise or lower the winning score.
func runExplain(ctx context.Context, e *env, args []string) int {
	f := newExplainFlags()
	files, err := parseFlags(f.fs, args)
	if err != nil {
		return e.usageExit("explain", err)
	}
	switch {
	case *f.model == "":
		e.errorf("explain needs the model to read the image with: --model FILE")
		return exitUsage
	case len(files) != 1:
		e.errorf("explain reads one image, not %d: explain --model FILE IMAGE (- reads it from standard input)", len(files))
		return exitUsage
	case !(*f.scale > 0 && *f.scale <= maxScoreScale):
		e.errorf("--scale %g is out of range: use a factor above 0 and at most %d", *f.scale, maxScoreScale)
		return exitUsage
	}
	m, err := engine.LoadMNISTModel(ctx, *f.model)
	if err != nil {
		e.fail(err)
		return failureCode(err)
	}
	if ctx.Err() != nil {
		e.errorf("interrupted")
		return exitInterrupted
	}
	name := files[0]
	stdinRead := false
	x, err := readDigit(ctx, name, e.stdin, &stdinRead)
	if err != nil {
		e.errorf("%s: %v", name, err)
		return exitFailed
	}
	ex := m.Explain(x, *f.scale)
	if err := checkOutputs(ex.Probabilities); err != nil {
		e.errorf("%s: %v", name, err)
		return exitFailed
	}
	if *f.json {
		j := explainJSON{
			File: name, Model: *f.model, Architecture: m.Arch().String(),
			Digit: ex.Digit, Probability: number32(ex.Probabilities[ex.Digit]),
			Input: numbers32(ex.Input), Layers: [][]number32{}, Scale: ex.Scale,
			Scores: numbers32(ex.Scores), Exp: numbers32(ex.Exp),
			NaiveProbabilities: numbers32(ex.NaiveProbabilities),
			ShiftedExp:         numbers32(ex.ShiftedExp), Probabilities: numbers32(ex.Probabilities),
			Saliency: numbers32(ex.Saliency),
		}
		for _, h := range ex.Hidden {
			j.Layers = append(j.Layers, numbers32(h))
		}
		e.json(j)
		return exitOK
	}
	printExplanation(e.stdout, name, *f.model, m, ex)
	return exitOK
}

// printExplanation prints an explanation for people: the input and the
// saliency map as 28×28 character pictures, each layer in a line, and the
// two softmaxes side by side.
func printExplanation(w io.Writer, name, model string, m *engine.Model, ex engine.Explanation) {
	fmt.Fprintf(w, "image     %s, read by %s: %s\n", name, model, m.Arch())
	fmt.Fprintf(w, "digit     %d (%.2f%%)\n\n", ex.Digit, 100*ex.Probabilities[ex.Digit])
	fmt.Fprintln(w, "input: the 28×28 image the network reads, 0 (blank) to 1 (ink)")
	printPicture(w, ex.Input, func(v float32) byte {
		const shades = " .:-=+*#%@"
		return shades[min(int(v*float32(len(shades))), len(shades)-1)]
	})
	for i, h := range ex.Hidden {
		printLayer(w, i+1, m.Layers[i].Act, h)
	}
	fmt.Fprintln(w)
	if ex.Scale != 1 {
		fmt.Fprintf(w, "output scores before the softmax, times %g\n", ex.Scale)
	} else {
		fmt.Fprintln(w, "output scores before the softmax")
	}
	fmt.Fprintf(w, "%5s  %10s  %10s  %10s  %13s  %10s\n", "digit", "score", "e^score", "naive", "e^(score-max)", "softmax")
	for d := range ex.Scores {
		mark := ' '
		if d == ex.Digit {
			mark = '*'
		}
		fmt.Fprintf(w, "%4d%c  %10.4g  %10.4g  %10.4g  %13.4g  %10.4g\n", d, mark, ex.Scores[d], ex.Exp[d], ex.NaiveProbabilities[d], ex.ShiftedExp[d], ex.Probabilities[d])
	}
	if slices.ContainsFunc(ex.NaiveProbabilities, func(p float32) bool { return p != p }) {
		fmt.Fprintln(w, "e^score overflowed: the naive softmax divides infinities (NaN); subtracting the largest score first keeps every exponential at most 1.")
	}
	fmt.Fprintf(w, "\nsaliency: ∂score[%d]/∂pixel; + more ink here raises the score, - lowers it (blank: under a tenth of the largest)\n", ex.Digit)
	var top float32
	for _, g := range ex.Saliency {
		top = max(top, float32(math.Abs(float64(g))))
	}
	printPicture(w, ex.Saliency, func(g float32) byte {
		switch {
		case top == 0 || math.Abs(float64(g)) < 0.1*float64(top):
			return ' '
		case g > 0:
			return '+'
		}
		return '-'
	})
	fmt.Fprintf(w, "largest |∂score/∂pixel| %.3g\n", top)
}

// printPicture prints 784 values as 28 lines of 28 characters in a frame.
func printPicture(w io.Writer, v []float32, char func(float32) byte) {
	side := int(math.Sqrt(float64(len(v))))
	if side*side != len(v) {
		return
	}
	border := "  +" + strings.Repeat("-", side) + "+"
	fmt.Fprintln(w, border)
	line := make([]byte, side)
	for r := range side {
		for c := range side {
			line[c] = char(v[r*side+c])
		}
		fmt.Fprintf(w, "  |%s|\n", line)
	}
	fmt.Fprintln(w, border)
}

// printLayer prints one hidden layer's outputs in a line: their range and
// the strongest units.
func printLayer(w io.Writer, i int, act engine.Activation, a []float32) {
	lo, hi := slices.Min(a), slices.Max(a)
	order := make([]int, len(a))
	for j := range order {
		order[j] = j
	}
	slices.SortStableFunc(order, func(x, y int) int {
		switch {
		case a[x] > a[y]:
			return -1
		case a[x] < a[y]:
			return 1
		}
		return 0
	})
	var b strings.Builder
	fmt.Fprintf(&b, "hidden layer %d: %d %s units, outputs %.3g to %.3g; strongest", i, len(a), act, lo, hi)
	for _, j := range order[:min(5, len(order))] {
		fmt.Fprintf(&b, " #%d %.3g", j, a[j])
	}
	fmt.Fprintln(w, b.String())
}
