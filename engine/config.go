package engine

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// OptKind names an optimiser.
type OptKind int

// The optimisers of the book's chapter 6.
const (
	SGD OptKind = iota
	Momentum
	Adam
)

// String returns "sgd", "momentum" or "adam".
func (k OptKind) String() string {
	switch k {
	case SGD:
		return "sgd"
	case Momentum:
		return "momentum"
	case Adam:
		return "adam"
	}
	return fmt.Sprintf("optimizer(%d)", int(k))
}

// ParseOptimizer reads "sgd", "momentum" or "adam" and returns the optimiser
// with the book's default constants.
func ParseOptimizer(s string) (Optimizer, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "sgd":
		return Optimizer{Kind: SGD}, nil
	case "momentum":
		return Optimizer{Kind: Momentum, Momentum: 0.9}, nil
	case "adam":
		return Optimizer{Kind: Adam, Beta1: 0.9, Beta2: 0.999, Eps: 1e-7}, nil
	}
	return Optimizer{}, fmt.Errorf("unknown optimiser %q: use sgd, momentum or adam", s)
}

// Optimizer is an update rule with its constants. The defaults are those of
// the book's common/optimizer.py: momentum 0.9; Adam β1 0.9, β2 0.999 and
// ε 1e-7.
type Optimizer struct {
	Kind         OptKind
	Momentum     float64
	Beta1, Beta2 float64
	Eps          float64
}

// String returns the optimiser's name.
func (o Optimizer) String() string { return o.Kind.String() }

// Validate reports constants outside their meaningful ranges.
func (o Optimizer) Validate() error {
	switch o.Kind {
	case SGD:
		return nil
	case Momentum:
		if !(o.Momentum >= 0 && o.Momentum < 1) {
			return fmt.Errorf("momentum must be in [0, 1), not %g", o.Momentum)
		}
		return nil
	case Adam:
		if !(o.Beta1 >= 0 && o.Beta1 < 1) || !(o.Beta2 >= 0 && o.Beta2 < 1) || !(o.Eps > 0) {
			return fmt.Errorf("adam needs 0 ≤ β1, β2 < 1 and ε > 0, not %g, %g, %g", o.Beta1, o.Beta2, o.Eps)
		}
		return nil
	}
	return errors.New("unknown optimiser")
}

// ScheduleKind names a learning-rate schedule.
type ScheduleKind int

const (
	// Constant keeps the learning rate.
	Constant ScheduleKind = iota
	// StepDecay multiplies the learning rate by Factor every Every epochs:
	// gear shifting, lower as the optimum nears.
	StepDecay
	// Cosine anneals the learning rate from its start to zero along half a
	// cosine over the planned epochs (Loshchilov and Hutter 2017, without
	// restarts).
	Cosine
)

// Schedule is a learning-rate schedule.
type Schedule struct {
	Kind   ScheduleKind
	Factor float64 // StepDecay: multiply by this...
	Every  int     // ...every this many epochs
}

// String returns "const", "step:0.5@3" or "cosine", the form ParseSchedule reads.
func (s Schedule) String() string {
	switch s.Kind {
	case StepDecay:
		return fmt.Sprintf("step:%g@%d", s.Factor, s.Every)
	case Cosine:
		return "cosine"
	}
	return "const"
}

// ParseSchedule reads "const", "cosine" or "step:FACTOR@EPOCHS" such as
// "step:0.5@3" (halve every three epochs).
func ParseSchedule(text string) (Schedule, error) {
	t := strings.ToLower(strings.TrimSpace(text))
	switch t {
	case "const", "constant", "":
		return Schedule{Kind: Constant}, nil
	case "cosine", "cos":
		return Schedule{Kind: Cosine}, nil
	}
	rest, ok := strings.CutPrefix(t, "step:")
	if !ok {
		return Schedule{}, fmt.Errorf("unknown schedule %q: use const, cosine or step:FACTOR@EPOCHS such as step:0.5@3", text)
	}
	f, e, ok := strings.Cut(rest, "@")
	if !ok {
		return Schedule{}, fmt.Errorf("schedule %q needs @EPOCHS, as in step:0.5@3", text)
	}
	factor, err := strconv.ParseFloat(f, 64)
	if err != nil {
		return Schedule{}, fmt.Errorf("schedule %q: %q is not a number", text, f)
	}
	every, err := strconv.Atoi(e)
	if err != nil {
		return Schedule{}, fmt.Errorf("schedule %q: %q is not a whole number of epochs", text, e)
	}
	s := Schedule{Kind: StepDecay, Factor: factor, Every: every}
	return s, s.Validate()
}

// Validate reports a step decay whose factor or period makes no sense.
func (s Schedule) Validate() error {
	switch s.Kind {
	case Constant, Cosine:
		return nil
	case StepDecay:
		// Both parts are checked, in one sentence, so that step:2@-1 is
		// fixed in one go.
		badFactor, badEvery := !(s.Factor > 0 && s.Factor <= 1), s.Every < 1
		switch {
		case badFactor && badEvery:
			return fmt.Errorf("a step schedule's factor must be above 0 and at most 1, not %g, and it must shift every 1 or more epochs, not %d", s.Factor, s.Every)
		case badFactor:
			return fmt.Errorf("a step schedule's factor must be above 0 and at most 1, not %g", s.Factor)
		case badEvery:
			return fmt.Errorf("a step schedule must shift every 1 or more epochs, not %d", s.Every)
		}
		return nil
	}
	return errors.New("unknown schedule")
}

// Rate returns the learning rate at a point of training: base is the rate the
// user chose, epoch counts whole epochs done (the schedule moves at epoch
// boundaries for StepDecay, smoothly for Cosine), frac is the fraction of the
// current epoch done and total the planned number of epochs.
func (s Schedule) Rate(base float64, epoch int, frac float64, total int) float64 {
	switch s.Kind {
	case StepDecay:
		return base * math.Pow(s.Factor, float64(epoch/max(s.Every, 1)))
	case Cosine:
		if total < 1 {
			return base
		}
		p := math.Min(1, (float64(epoch)+frac)/float64(total))
		return base * 0.5 * (1 + math.Cos(math.Pi*p))
	}
	return base
}

// ParseInit reads "he", "xavier", "normal" (σ = 0.01) or "normal:SIGMA".
func ParseInit(text string) (Init, error) {
	t := strings.ToLower(strings.TrimSpace(text))
	switch t {
	case "he":
		return Init{Kind: InitHe}, nil
	case "xavier":
		return Init{Kind: InitXavier}, nil
	case "normal", "gaussian":
		return Init{Kind: InitNormal, Sigma: DefaultSigma}, nil
	}
	rest, ok := strings.CutPrefix(t, "normal:")
	if !ok {
		return Init{}, fmt.Errorf("unknown initialisation %q: use he, xavier or normal:SIGMA such as normal:0.01", text)
	}
	sigma, err := strconv.ParseFloat(rest, 64)
	if err != nil {
		return Init{}, fmt.Errorf("initialisation %q: %q is not a number", text, rest)
	}
	in := Init{Kind: InitNormal, Sigma: sigma}
	return in, in.Validate()
}

// maxBatchValues bounds a batch's activations: training keeps every layer's
// outputs and their gradients for the whole batch, 8 bytes a unit an image,
// so 2²⁵ values is at most 256 MB, within what a laptop spares.
const maxBatchValues = 1 << 25

// gigabytes formats a byte count for a message.
func gigabytes(n int) string {
	return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
}

// TrainConfig is everything that decides a training run.
type TrainConfig struct {
	Arch        Architecture
	Init        Init
	Opt         Optimizer
	LR          float64 // the starting learning rate
	Schedule    Schedule
	Batch       int
	Epochs      int // planned epochs; 0 means train until stopped
	Seed        uint64
	WeightDecay float64 // L2 penalty λ: the loss gains λ/2·ΣW² over all weights
}

// DefaultConfig is a network that learns MNIST to about 97% in a few epochs:
// 784-100-10 with ReLU, He initialisation, SGD at 0.1, batches of 100.
func DefaultConfig() TrainConfig {
	return TrainConfig{
		Arch:     MNISTArch([]int{100}, []Activation{ReLU}, CrossEntropy),
		Init:     Init{Kind: InitHe},
		Opt:      Optimizer{Kind: SGD},
		LR:       0.1,
		Schedule: Schedule{Kind: Constant},
		Batch:    100,
		Epochs:   5,
		Seed:     1,
	}
}

// Validate reports every setting that cannot be trained, each with what to do.
func (c TrainConfig) Validate() error {
	errs := []error{c.Arch.Validate(), c.Init.Validate(), c.Opt.Validate(), c.Schedule.Validate()}
	if !(c.LR >= MinLR && c.LR <= MaxLR) {
		errs = append(errs, fmt.Errorf("learning rate %g is out of range: use %g to %g", c.LR, MinLR, MaxLR))
	}
	if c.Batch < 1 || c.Batch > MaxBatch {
		errs = append(errs, fmt.Errorf("batch size %d is out of range: use 1 to %d", c.Batch, MaxBatch))
	}
	if c.Epochs < 0 {
		errs = append(errs, fmt.Errorf("epochs must be 0 (until stopped) or more, not %d", c.Epochs))
	}
	if !(c.WeightDecay >= 0 && c.WeightDecay <= 1) {
		errs = append(errs, fmt.Errorf("weight decay must be between 0 and 1, not %g", c.WeightDecay))
	}
	if c.Schedule.Kind == Cosine && c.Epochs == 0 {
		errs = append(errs, errors.New("the cosine schedule anneals over the planned epochs: plan some, or choose another schedule to train until stopped"))
	}
	// A batch above MaxBatch has its own error above. Below it, the batch
	// suggested here is smaller than the one given, so within range too.
	if units := c.Arch.units(); c.Batch >= 1 && c.Batch <= MaxBatch && units > 0 && c.Batch*units > maxBatchValues {
		errs = append(errs, fmt.Errorf("a batch of %d through %d units needs %s of activations and gradients: use a batch of at most %d for this network",
			c.Batch, units, gigabytes(8*c.Batch*units), maxBatchValues/units))
	}
	return errors.Join(errs...)
}
