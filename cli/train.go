package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/internal/textfmt"
)

// runTrain trains a network as the flags say and saves it. The session runs
// in its own goroutine and this one reads its snapshots, as the window does:
// they feed the progress bar and the line printed after each epoch.
func runTrain(ctx context.Context, e *env, args []string) int {
	opts, err := parseTrain(args)
	if err != nil {
		return e.usageExit("train", err)
	}
	// A model that cannot be saved is better found out before training than
	// after.
	if err := engine.CheckSavePath(opts.out); err != nil {
		e.fail(err)
		return exitFailed
	}
	if err := opts.files.check(); err != nil {
		e.fail(err)
		return exitFailed
	}
	data, dir, err := engine.OpenMNIST(opts.data)
	if err != nil {
		e.fail(err)
		return exitFailed
	}
	if ctx.Err() != nil {
		e.errorf("interrupted before training began: nothing was saved to %s", opts.out)
		return exitInterrupted
	}
	s, err := engine.NewSession(opts.cfg, data, engine.SessionOptions{})
	if err != nil {
		e.fail(err)
		return exitFailed
	}
	fmt.Fprintln(e.stderr, summary(opts, dir, data))
	for _, w := range opts.cfg.Arch.Warnings() {
		e.warnf("%s", w)
	}

	var bar *progress
	if !opts.json && isTerminal(e.stderr) {
		bar = newProgress(e.stderr, opts.cfg.Epochs, s.Latest().StepsPerEpoch)
	}
	ep := &epochPrinter{e: e, json: opts.json, cfg: opts.cfg, trainLen: data.Train.Len(), bar: bar}
	runErr := make(chan error, 1)
	go func() { runErr <- s.Run(ctx) }()
	for snap := range s.Snapshots() {
		ep.print(snap.Tests)
		bar.update(snap)
	}
	err = <-runErr
	// The channel keeps only the newest snapshot, and Latest is the final
	// one: whatever epochs the loop missed are in it.
	final := s.Latest()
	ep.print(final.Tests)
	bar.clear()
	code := finishTraining(ctx, e, opts, data, final, err)
	if !opts.files.write(e, final) && code == exitOK {
		code = exitFailed
	}
	return code
}

// finishTraining saves the trained model, unless training diverged, and
// returns the exit code.
func finishTraining(ctx context.Context, e *env, opts trainOptions, data *engine.MNIST, final *engine.Snapshot, err error) int {
	interrupted := err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err())
	switch {
	case errors.Is(err, engine.ErrDiverged):
		// The last finite model is in the snapshot, but it is the model of a
		// run that went wrong: the file at --out, perhaps a good model from
		// an earlier run, is worth more.
		e.fail(fmt.Errorf("%w; nothing was saved to %s", err, opts.out))
		return exitFailed
	case err != nil && !interrupted:
		e.fail(err)
		return exitFailed
	}

	code := exitOK
	what := "trained for"
	if interrupted {
		what = "stopped"
		if opts.cfg.Epochs > 0 {
			what, code = "interrupted", exitInterrupted
		}
		if final.Step == 0 {
			e.errorf("%s before the first step: nothing was saved to %s", what, opts.out)
			return code
		}
		what += " after"
	}
	if err := engine.SaveModel(opts.out, final.Model); err != nil {
		e.fail(err)
		return exitFailed
	}
	// The run may have stopped part way into an epoch, after the last
	// measurement: the saved model is measured again then.
	m, ok := final.LastTest()
	accuracy := m.Accuracy
	if !ok || m.Step != final.Step {
		accuracy = final.Model.Evaluate(data.Test).Accuracy
	}
	where := fmt.Sprintf("%d epochs", final.Epoch)
	if final.Epoch == 1 {
		where = "1 epoch"
	}
	if final.EpochFrac > 0 {
		where = fmt.Sprintf("%d steps (%.2f epochs)", final.Step, float64(final.Epoch)+final.EpochFrac)
	}
	fmt.Fprintf(e.stderr, "%s %s: saved the model to %s (test accuracy %.2f%%)\n", what, where, opts.out, 100*accuracy)
	return code
}

// summary describes the run in one line before it starts.
func summary(opts trainOptions, dir string, data *engine.MNIST) string {
	c := opts.cfg
	var b strings.Builder
	fmt.Fprintf(&b, "training %s: init %s, %s, lr %s", c.Arch, c.Init, c.Opt, formatFloat(c.LR))
	if c.Schedule.Kind != engine.Constant {
		fmt.Fprintf(&b, " %s", c.Schedule)
	}
	fmt.Fprintf(&b, ", batch %d", c.Batch)
	if c.WeightDecay > 0 {
		fmt.Fprintf(&b, ", weight decay %s", formatFloat(c.WeightDecay))
	}
	switch {
	case c.Epochs == 1:
		b.WriteString(", 1 epoch")
	case c.Epochs > 1:
		fmt.Fprintf(&b, ", %d epochs", c.Epochs)
	default:
		b.WriteString(", until Ctrl-C")
	}
	fmt.Fprintf(&b, ", seed %d; %s training and %s test images from %s",
		c.Seed, textfmt.Thousands(data.Train.Len()), textfmt.Thousands(data.Test.Len()), dir)
	return b.String()
}

// epochPrinter prints each epoch's measurement once, as text or JSON.
type epochPrinter struct {
	e        *env
	json     bool
	cfg      engine.TrainConfig
	trainLen int
	bar      *progress
	printed  int
	prev     engine.EpochMetric // the measurement before the next to print
}

// epochJSON is one epoch in --json output.
type epochJSON struct {
	Epoch           int     `json:"epoch"`
	Step            int     `json:"step"`
	LR              number  `json:"lr"` // in force at the epoch's last step
	TrainLoss       number  `json:"train_loss"`
	TestLoss        number  `json:"test_loss"`
	TestAccuracy    float64 `json:"test_accuracy"`
	Seconds         float64 `json:"seconds"`
	ImagesPerSecond number  `json:"images_per_second"`
	// Layers is each layer's gradient flow over the epoch's steps, the
	// hidden layers' and then the output layer's.
	Layers []layerFlowJSON `json:"layers,omitempty"`
}

// layerFlowJSON is one layer's gradient flow over an epoch in --json
// output: the mean ‖∂L/∂W‖ (measured every fourth step and at the epoch's
// last), and for a hidden layer the mean share of its outputs that passed no
// gradient (dead or saturated).
type layerFlowJSON struct {
	GradNorm  number  `json:"grad_norm"`
	Saturated *number `json:"saturated,omitempty"`
}

// flowJSON turns an epoch's layer means into --json form.
func flowJSON(means []engine.LayerMeans) []layerFlowJSON {
	var out []layerFlowJSON
	for i, m := range means {
		l := layerFlowJSON{GradNorm: number(m.GradNorm)}
		if i < len(means)-1 {
			sat := number(m.Saturated)
			l.Saturated = &sat
		}
		out = append(out, l)
	}
	return out
}

// print prints the measurements of tests not printed yet. Snapshots share
// the history, so tests always begins with what was printed before.
func (p *epochPrinter) print(tests []engine.EpochMetric) {
	if len(tests) <= p.printed {
		return
	}
	p.bar.clear()
	for _, m := range tests[p.printed:] {
		j := epochJSON{
			Epoch: m.Epoch, Step: m.Step, LR: number(m.LR),
			TrainLoss: number(m.TrainLoss), TestLoss: number(m.Loss),
			TestAccuracy: m.Accuracy, Seconds: m.Seconds,
			ImagesPerSecond: number(p.imagesPerSecond(m)),
			Layers:          flowJSON(m.Layers),
		}
		if p.json {
			p.e.json(j)
		} else {
			p.text(j)
		}
		p.prev = m
	}
	p.printed = len(tests)
}

// text prints one epoch as an aligned line.
func (p *epochPrinter) text(j epochJSON) {
	var b strings.Builder
	if n := p.cfg.Epochs; n > 0 {
		fmt.Fprintf(&b, "epoch %*d/%d", len(fmt.Sprint(n)), j.Epoch, n)
	} else {
		fmt.Fprintf(&b, "epoch %3d", j.Epoch)
	}
	fmt.Fprintf(&b, "  train loss %.4f  test loss %.4f  test accuracy %6.2f%%", j.TrainLoss, j.TestLoss, 100*j.TestAccuracy)
	if p.cfg.Schedule.Kind != engine.Constant {
		fmt.Fprintf(&b, "  lr %-8.3g", j.LR)
	}
	fmt.Fprintf(&b, "  %7s images/s  %6.1f s", textfmt.Thousands(int(j.ImagesPerSecond)), j.Seconds)
	fmt.Fprintln(p.e.stdout, b.String())
}

// imagesPerSecond is the speed of training since the previous measurement,
// the epoch's test measurement included.
func (p *epochPrinter) imagesPerSecond(m engine.EpochMetric) float64 {
	images := (m.Epoch - p.prev.Epoch) * p.trainLen
	secs := m.Seconds - p.prev.Seconds
	if images <= 0 || secs <= 0 {
		return 0
	}
	return float64(images) / secs
}
