package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/internal/textfmt"
)

// evalFlags are the flags of eval.
type evalFlags struct {
	fs          *flag.FlagSet
	model, data *string
	json        *bool
}

func newEvalFlags() *evalFlags {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	return &evalFlags{
		fs:    fs,
		model: fs.String("model", "", "the model `file` to measure (required)"),
		data:  fs.String("data", "", "`folder` of the four MNIST files (default: MNIST_DIR, else the Go module cache)"),
		json:  fs.Bool("json", false, "print the results as one JSON object"),
	}
}

// evalJSON is eval's --json output.
type evalJSON struct {
	Model        string    `json:"model"`
	Architecture string    `json:"architecture"`
	Data         string    `json:"data"`
	Accuracy     float64   `json:"accuracy"`
	Correct      int       `json:"correct"`
	Total        int       `json:"total"`
	Loss         number    `json:"loss"`
	PerClass     []float64 `json:"per_class"`
	// Confusion[label][predicted] counts test images.
	Confusion [][]int `json:"confusion"`
	// Misclassified lists every test image the model got wrong.
	Misclassified []missJSON `json:"misclassified"`
}

// missJSON is one misclassified test image: its index in the test set, its
// true digit, the model's answer and the probability it gave that answer.
type missJSON struct {
	Index       int     `json:"index"`
	Label       int     `json:"label"`
	Predicted   int     `json:"predicted"`
	Probability float32 `json:"probability"`
}

// runEval measures a saved model on the MNIST test set.
func runEval(ctx context.Context, e *env, args []string) int {
	f := newEvalFlags()
	rest, err := parseFlags(f.fs, args)
	if err != nil {
		return e.usageExit("eval", err)
	}
	switch {
	case *f.model == "":
		e.errorf("eval needs the model to measure: --model FILE")
		return exitUsage
	case len(rest) > 0:
		e.errorf("eval takes no arguments, only flags: %q is not a flag", rest[0])
		return exitUsage
	}
	m, err := engine.LoadMNISTModel(ctx, *f.model)
	if err != nil {
		e.fail(err)
		return failureCode(err)
	}
	data, dir, err := engine.OpenMNIST(*f.data)
	if err != nil {
		e.fail(err)
		return exitFailed
	}
	if ctx.Err() != nil {
		e.errorf("interrupted")
		return exitInterrupted
	}
	ev := m.Evaluate(data.Test)
	if *f.json {
		misses := make([]missJSON, len(ev.Misclassified))
		for i, mc := range ev.Misclassified {
			misses[i] = missJSON{Index: mc.Index, Label: mc.Label, Predicted: mc.Predicted, Probability: mc.Probability}
		}
		e.json(evalJSON{
			Model: *f.model, Architecture: m.Arch().String(), Data: dir,
			Accuracy: ev.Accuracy, Correct: ev.Correct, Total: ev.Total, Loss: number(ev.Loss),
			PerClass: ev.PerClass, Confusion: ev.Confusion, Misclassified: misses,
		})
		return exitOK
	}
	w := e.stdout
	fmt.Fprintf(w, "model     %s: %s\n", *f.model, m.Arch())
	fmt.Fprintf(w, "data      %s test images from %s\n", textfmt.Thousands(ev.Total), dir)
	fmt.Fprintf(w, "accuracy  %.4f (%.2f%%, %s of %s right)\n", ev.Accuracy, 100*ev.Accuracy, textfmt.Thousands(ev.Correct), textfmt.Thousands(ev.Total))
	fmt.Fprintf(w, "loss      %.4f (mean %s per image)\n\n", ev.Loss, lossName(m.Loss))
	printConfusion(w, ev)
	return exitOK
}

// failureCode is the exit code for an error: exitInterrupted when Ctrl-C
// stopped a read, exitFailed otherwise.
func failureCode(err error) int {
	if errors.Is(err, engine.ErrInterrupted) {
		return exitInterrupted
	}
	return exitFailed
}

func lossName(l engine.Loss) string {
	if l == engine.MeanSquared {
		return "squared error"
	}
	return "cross-entropy"
}

// printConfusion prints the confusion matrix as an aligned table, one row
// per true digit, one column per predicted digit, and the digit's accuracy
// at the end of its row.
func printConfusion(w io.Writer, ev engine.Evaluation) {
	width := 1
	for _, row := range ev.Confusion {
		for _, c := range row {
			width = max(width, len(textfmt.Thousands(c)))
		}
	}
	width = max(width+2, 5)
	fmt.Fprintln(w, "confusion matrix: a row per true digit, a column per predicted digit")
	var b strings.Builder
	b.WriteString("     ")
	for p := range ev.Confusion {
		fmt.Fprintf(&b, "%*d", width, p)
	}
	b.WriteString("   accuracy")
	fmt.Fprintln(w, b.String())
	for t, row := range ev.Confusion {
		b.Reset()
		fmt.Fprintf(&b, "%5d", t)
		for _, c := range row {
			fmt.Fprintf(&b, "%*s", width, textfmt.Thousands(c))
		}
		fmt.Fprintf(&b, "   %7.2f%%", 100*ev.PerClass[t])
		fmt.Fprintln(w, b.String())
	}
}
