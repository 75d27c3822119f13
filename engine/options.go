package engine

// The choices a user makes, each as one table of {label, value} that the
// window's lists and the command line's help both read, so that a name or a
// usual value is written once.

// LossOption is one loss in the order a list shows them.
type LossOption struct {
	Label string // what a list shows: "cross-entropy"
	Value Loss
}

// LossOptions are the losses after the softmax output.
var LossOptions = []LossOption{
	{"cross-entropy", CrossEntropy},
	{"squared error", MeanSquared},
}

// InitOption is one weight initialisation in the order a list shows them.
type InitOption struct {
	Label string
	Value InitKind
}

// InitOptions are the weight initialisations. Biases always start at 0.
var InitOptions = []InitOption{
	{"He", InitHe},
	{"Xavier", InitXavier},
	{"normal σ", InitNormal},
}

// DefaultSigma is the standard deviation of the plain Gaussian
// initialisation when none is given: the book's weight_init_std of 0.01.
const DefaultSigma = 0.01

// OptimizerOption is one optimiser with the learning rate it usually wants.
type OptimizerOption struct {
	Label string
	Value OptKind
	// UsualLR is where the learning rate starts when the optimiser is
	// picked: plain SGD on MNIST likes 0.1; momentum multiplies its steps
	// by about 1/(1-0.9), so a tenth of that; Adam's steps are the rate
	// itself, and 0.001 is the default of Kingma and Ba (2015).
	UsualLR float64
}

// OptimizerOptions are the optimisers of the book's chapter 6.
var OptimizerOptions = []OptimizerOption{
	{"SGD", SGD, 0.1},
	{"Momentum", Momentum, 0.01},
	{"Adam", Adam, 0.001},
}

// ScheduleOption is one kind of learning-rate schedule.
type ScheduleOption struct {
	Label string
	Value ScheduleKind
}

// ScheduleOptions are the learning-rate schedules.
var ScheduleOptions = []ScheduleOption{
	{"constant", Constant},
	{"step decay", StepDecay},
	{"cosine", Cosine},
}

// DefaultStepDecay is the step schedule a list starts with: halve the rate
// every two epochs.
var DefaultStepDecay = Schedule{Kind: StepDecay, Factor: 0.5, Every: 2}

// MaxEpochs bounds the planned epochs: a thousand epochs of a wide network
// is hours of training, and 0 already means "until stopped".
const MaxEpochs = 1000

// MaxSigma bounds the plain Gaussian's standard deviation: beyond it every
// unit saturates from the first step.
const MaxSigma = 100.0

// NewOptimizer returns the optimiser of kind k with the book's constants.
func NewOptimizer(k OptKind) Optimizer {
	o, err := ParseOptimizer(k.String())
	if err != nil {
		panic("engine: " + err.Error())
	}
	return o
}
