package cli

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/mnistplayground/mnistplayground/engine"
)

// trainFlags are the flags of train. Every value is read as a string and
// parsed afterwards, so that a command line with several wrong values gets
// every problem reported at once rather than the first.
type trainFlags struct {
	fs                                *flag.FlagSet
	layers, act, loss, init, opt      *string
	lr, schedule, batch, epochs, seed *string
	decay, data, out                  *string
	json                              *bool
	csv, plot, plotSize               *string // the run files: see runFiles
}

// newTrainFlags defines train's flags with engine.DefaultConfig's values as
// their defaults.
func newTrainFlags() *trainFlags {
	d := engine.DefaultConfig()
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	acts := make([]string, len(d.Arch.Acts))
	for i, a := range d.Arch.Acts {
		acts[i] = a.String()
	}
	return &trainFlags{
		fs:       fs,
		layers:   fs.String("layers", joinInts(d.Arch.Hidden), fmt.Sprintf("hidden layer `sizes`, comma-separated, 1 to %d layers of 1 to %d units; \"\" for none", engine.MaxHidden, engine.MaxUnits)),
		act:      fs.String("act", strings.Join(acts, ","), "hidden layers' `activation`: "+orList(engine.Activations, engine.Activation.String)+"; one for all or a comma-separated list, one per layer"),
		loss:     fs.String("loss", d.Arch.Loss.String(), "`loss` after the softmax output: ce (cross-entropy) or mse (mean squared error)"),
		init:     fs.String("init", d.Init.String(), "weight `initialisation`: he, xavier or normal:SIGMA such as normal:0.01"),
		opt:      fs.String("opt", d.Opt.String(), "`optimiser`: "+orList(engine.OptimizerOptions, func(o engine.OptimizerOption) string { return o.Value.String() })),
		lr:       fs.String("lr", formatFloat(d.LR), "starting learning `rate`"),
		schedule: fs.String("schedule", d.Schedule.String(), "learning-rate `schedule`: const, cosine or step:FACTOR@EPOCHS (step:0.5@3 halves it every 3 epochs)"),
		batch:    fs.String("batch", strconv.Itoa(d.Batch), "mini-batch `size`"),
		epochs:   fs.String("epochs", strconv.Itoa(d.Epochs), "`epochs` to train; 0 trains until Ctrl-C"),
		seed:     fs.String("seed", strconv.FormatUint(d.Seed, 10), "random `seed`: the same seed trains the same network"),
		decay:    fs.String("weight-decay", formatFloat(d.WeightDecay), "L2 penalty `λ` on the weights, 0 for none"),
		data:     fs.String("data", "", "`folder` of the four MNIST files (default: MNIST_DIR, else the Go module cache)"),
		out:      fs.String("out", "model.npz", "`file` to save the trained model to"),
		json:     fs.Bool("json", false, "print one JSON object per epoch instead of text"),
		csv:      fs.String("csv", "", "`file` to write the run log to, as CSV: every step's training loss and every test measurement"),
		plot:     fs.String("plot", "", "`file` to draw the run's loss and accuracy chart in, FILE.png or FILE.svg"),
		plotSize: fs.String("plot-size", defaultPlotSize, "the chart's `size` in pixels, WIDTHxHEIGHT"),
	}
}

// trainOptions is a train command line, parsed and checked.
type trainOptions struct {
	cfg       engine.TrainConfig
	data, out string
	json      bool
	files     runFiles
}

// parseTrain parses train's command line. It returns flag.ErrHelp for a
// request for help, and otherwise a usageError listing every problem, one
// per line.
func parseTrain(args []string) (trainOptions, error) {
	f := newTrainFlags()
	rest, err := parseFlags(f.fs, args)
	if err != nil {
		return trainOptions{}, err
	}
	var errs []error
	if len(rest) > 0 {
		errs = append(errs, fmt.Errorf("train takes no arguments, only flags: %q is not a flag", rest[0]))
	}
	cfg := engine.DefaultConfig()

	hidden, lerr := parseLayers(*f.layers)
	n := len(hidden)
	if lerr != nil {
		n = -1 // the names of the activations are still checked, not their count
	}
	acts, aerr := parseActs(*f.act, n)
	if lerr != nil || aerr != nil {
		// The default architecture stands in, so that Validate reports the
		// other flags' problems and not this one's twice.
		errs = append(errs, lerr, aerr)
	} else {
		cfg.Arch = engine.MNISTArch(hidden, acts, cfg.Arch.Loss)
	}
	if l, err := engine.ParseLoss(*f.loss); err != nil {
		errs = append(errs, flagError("loss", err))
	} else {
		cfg.Arch.Loss = l
	}
	if in, err := engine.ParseInit(*f.init); err != nil {
		errs = append(errs, flagError("init", err))
	} else {
		cfg.Init = in
	}
	if o, err := engine.ParseOptimizer(*f.opt); err != nil {
		errs = append(errs, flagError("opt", err))
	} else {
		cfg.Opt = o
	}
	if s, err := engine.ParseSchedule(*f.schedule); err != nil {
		errs = append(errs, flagError("schedule", err))
	} else {
		cfg.Schedule = s
	}
	errs = append(errs,
		parseFloatFlag("lr", *f.lr, &cfg.LR),
		parseIntFlag("batch", *f.batch, &cfg.Batch),
		parseIntFlag("epochs", *f.epochs, &cfg.Epochs),
		parseFloatFlag("weight-decay", *f.decay, &cfg.WeightDecay))
	if seed, err := strconv.ParseUint(strings.TrimSpace(*f.seed), 10, 64); err != nil {
		errs = append(errs, fmt.Errorf("--seed %q is not a whole number of 0 or more", *f.seed))
	} else {
		cfg.Seed = seed
	}
	if strings.TrimSpace(*f.out) == "" {
		errs = append(errs, errors.New("--out needs a file name, such as model.npz"))
	}
	files, ferrs := parseRunFiles(*f.csv, *f.plot, *f.plotSize, *f.out)
	errs = append(errs, ferrs...)
	errs = append(errs, cfg.Validate())
	if err := errors.Join(errs...); err != nil {
		return trainOptions{}, usageError{err}
	}
	return trainOptions{cfg: cfg, data: *f.data, out: *f.out, json: *f.json, files: files}, nil
}

// flagError names the flag in an engine's parse error.
func flagError(name string, err error) error {
	return fmt.Errorf("--%s: %w", name, err)
}

// parseLayers reads hidden layer sizes such as "100,50". An empty (or blank)
// value is a network without hidden layers. The sizes are checked by
// Architecture.Validate, except for the lone 0 that someone asking for no
// hidden layer is likely to type, which gets its own explanation.
func parseLayers(s string) ([]int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return []int{}, nil
	}
	if s == "0" {
		return nil, fmt.Errorf("--layers 0: a hidden layer needs 1 to %d units; for a network without hidden layers give --layers \"\"", engine.MaxUnits)
	}
	parts := strings.Split(s, ",")
	sizes := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil {
			return nil, fmt.Errorf("--layers %q: %q is not a whole number; give sizes such as 100,50", s, strings.TrimSpace(p))
		}
		sizes[i] = n
	}
	return sizes, nil
}

// parseActs reads the hidden layers' activations: one name for all n
// layers, or a comma-separated list of exactly n. When n is negative, the
// number of layers is unknown and only the names are checked.
func parseActs(s string, n int) ([]engine.Activation, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		if n <= 0 {
			return []engine.Activation{}, nil
		}
		return nil, errors.New("--act is empty: give an activation such as relu")
	}
	parts := strings.Split(s, ",")
	acts := make([]engine.Activation, len(parts))
	for i, p := range parts {
		a, err := engine.ParseActivation(p)
		if err != nil {
			return nil, flagError("act", err)
		}
		acts[i] = a
	}
	switch {
	case n < 0:
		return nil, nil
	case len(acts) == n:
		return acts, nil
	case len(acts) == 1:
		all := make([]engine.Activation, n)
		for i := range all {
			all[i] = acts[0]
		}
		return all, nil
	}
	return nil, fmt.Errorf("--act lists %d activations for %d hidden layers: give one for all of them or one per layer", len(acts), n)
}

func parseFloatFlag(name, s string, dst *float64) error {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return fmt.Errorf("--%s %q is not a number", name, s)
	}
	*dst = v
	return nil
}

func parseIntFlag(name, s string, dst *int) error {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("--%s %q is not a whole number", name, s)
	}
	*dst = v
	return nil
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// orList writes the names of opts as "a, b or c", from the engine's own
// tables so that the help never lists a choice the engine lacks.
func orList[T any](opts []T, name func(T) string) string {
	names := make([]string, len(opts))
	for i, o := range opts {
		names[i] = name(o)
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
