package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"io"
	"math"
	"os"
	"strings"

	// The image formats predict reads.
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"

	"github.com/mnistplayground/mnistplayground/engine"
)

// Limits on an image given to predict, checked before it is decoded, so that
// a huge or hostile file cannot take the machine's memory: a photo of a digit
// from a phone is 12 to 50 megapixels and a few megabytes.
const (
	maxImageBytes  = 64 << 20
	maxImagePixels = 100_000_000
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
	m, err := engine.LoadMNISTModel(*f.model)
	if err != nil {
		e.fail(err)
		return exitFailed
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
		probs, err := classify(m, name, e.stdin, &stdinRead)
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
func classify(m *engine.Model, name string, stdin io.Reader, stdinRead *bool) ([]float32, error) {
	x, err := readDigit(name, stdin, stdinRead)
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
func readDigit(name string, stdin io.Reader, stdinRead *bool) ([]float32, error) {
	img, err := readImage(name, stdin, stdinRead)
	if err != nil {
		return nil, err
	}
	return engine.Preprocess(img)
}

// checkOutputs explains probabilities that are not numbers.
func checkOutputs(probs []float32) error {
	for _, p := range probs {
		if math.IsNaN(float64(p)) {
			return errors.New("the model's outputs are not numbers: its weights are too large for 32-bit floats")
		}
	}
	return nil
}

// readImage reads and decodes a PNG, JPEG or GIF image.
func readImage(name string, stdin io.Reader, stdinRead *bool) (image.Image, error) {
	var r io.Reader
	if name == "-" {
		if *stdinRead {
			return nil, errors.New("standard input can be read only once")
		}
		*stdinRead = true
		r = stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("cannot read the image: %w", unwrapPath(err))
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.IsDir() {
			return nil, errors.New("is a folder, not an image")
		}
		r = f
	}
	raw, err := io.ReadAll(io.LimitReader(r, maxImageBytes+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read the image: %w", unwrapPath(err))
	}
	if len(raw) > maxImageBytes {
		return nil, fmt.Errorf("the file is larger than %d MiB: give an image of one digit", maxImageBytes>>20)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(raw))
	if err != nil {
		return nil, imageError(err)
	}
	if cfg.Width < 1 || cfg.Height < 1 || int64(cfg.Width)*int64(cfg.Height) > maxImagePixels {
		return nil, fmt.Errorf("the image is %d×%d pixels: give one of 1 to %d megapixels", cfg.Width, cfg.Height, maxImagePixels/1_000_000)
	}
	img, _, err := image.Decode(bytes.NewReader(raw))
	if err != nil {
		return nil, imageError(err)
	}
	return img, nil
}

// imageError explains a decoding error.
func imageError(err error) error {
	if errors.Is(err, image.ErrFormat) {
		return errors.New("not an image this program reads: give a PNG, JPEG or GIF")
	}
	return fmt.Errorf("the image is damaged: %v", err)
}

// unwrapPath drops the path from a file error: the line already begins
// with the file's name.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
