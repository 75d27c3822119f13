package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"io"
	"math"
	"strings"

	"github.com/mnistplayground/mnistplayground/engine"
)

// predictFlags are the flags of predict.
type predictFlags struct {
	fs    *flag.FlagSet
	model *string
	json  *bool
}

func newPredictFlags() *predictFlags {
	fs := flag.NewFlagSet("predict", flag.ContinueOnError)
	return &predictFlags{
		fs:    fs,
		model: fs.String("model", "", "the model `file` to classify with (required)"),
		json:  fs.Bool("json", false, "print one JSON object per image instead of text"),
	}
}

// predictJSON is one image in predict's --json output: either the
// prediction or, for an image that could not be classified, the error.
type predictJSON struct {
	File          string    `json:"file"`
	Digit         *int      `json:"digit,omitempty"`
	Probability   float32   `json:"probability,omitempty"`
	Probabilities []float32 `json:"probabilities,omitempty"`
	Error         string    `json:"error,omitempty"`
}

// runPredict classifies each image named on the command line. An image that
// cannot be classified gets an error line and makes the exit code 1, but the
// images after it are still classified.
func runPredict(ctx context.Context, e *env, args []string) int {
	f := newPredictFlags()
	files, err := parseFlags(f.fs, args)
	if err != nil {
		return e.usageExit("predict", err)
	}
	switch {
	case *f.model == "":
		e.errorf("predict needs the model to classify with: --model FILE")
		return exitUsage
	case len(files) == 0:
		e.errorf("predict needs at least one image: predict --model FILE IMAGE... (- reads one from standard input)")
		return exitUsage
	}
	m, err := engine.LoadMNISTModel(ctx, *f.model)
	if err != nil {
		e.fail(err)
		return failureCode(err)
	}
	width := 0
	for _, name := range files {
		width = max(width, len(name))
	}
	code := exitOK
	stdinRead := false
	for _, name := range files {
		if ctx.Err() != nil {
			e.errorf("interrupted before %s", name)
			return exitInterrupted
		}
		probs, err := classify(ctx, m, name, e.stdin, &stdinRead)
		if errors.Is(err, engine.ErrInterrupted) {
			e.errorf("%s: %v it", name, err)
			return exitInterrupted
		}
		if err != nil {
			code = exitFailed
			e.errorf("%s: %v", name, err)
			if *f.json {
				e.json(predictJSON{File: name, Error: err.Error()})
			}
			continue
		}
		digit := engine.Argmax(probs)
		if *f.json {
			e.json(predictJSON{File: name, Digit: &digit, Probability: probs[digit], Probabilities: probs})
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%-*s  %d  %6.2f%%  ", width, name, digit, 100*probs[digit])
		for d, p := range probs {
			fmt.Fprintf(&b, "  %d:%.3f", d, p)
		}
		fmt.Fprintln(e.stdout, b.String())
	}
	return code
}

// classify reads the image called name ("-" for standard input, which can
// be read once), preprocesses it as MNIST digits were and returns the
// model's ten probabilities.
func classify(ctx context.Context, m *engine.Model, name string, stdin io.Reader, stdinRead *bool) ([]float32, error) {
	x, err := readDigit(ctx, name, stdin, stdinRead)
	if err != nil {
		return nil, err
	}
	probs := m.Predict(x)
	if err := checkOutputs(probs); err != nil {
		return nil, err
	}
	return probs, nil
}

// readDigit reads the image called name ("-" for standard input, which can
// be read once) and preprocesses it as MNIST digits were: the 784 values the
// network reads.
func readDigit(ctx context.Context, name string, stdin io.Reader, stdinRead *bool) ([]float32, error) {
	img, err := readImage(ctx, name, stdin, stdinRead)
	if err != nil {
		return nil, err
	}
	return engine.Preprocess(img)
}

// checkOutputs explains probabilities that are not numbers. Loading
// refuses a model whose sums can overflow, so this is only a last guard.
func checkOutputs(probs []float32) error {
	for _, p := range probs {
		if math.IsNaN(float64(p)) {
			return errors.New("the model's outputs are not numbers: its weights are too large for 32-bit floats")
		}
	}
	return nil
}

// readImage reads and decodes a PNG, JPEG or GIF image, within the limits of
// engine.ReadImage.
func readImage(ctx context.Context, name string, stdin io.Reader, stdinRead *bool) (image.Image, error) {
	if name != "-" {
		return engine.ReadImageFile(ctx, name)
	}
	if *stdinRead {
		return nil, errors.New("standard input can be read only once")
	}
	*stdinRead = true
	return engine.ReadImage(ctx, stdin)
}
