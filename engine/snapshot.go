package engine

import "time"

// State is where a training session is.
type State int

// The states of a session.
const (
	Idle    State = iota // made, not yet running
	Running              // training
	Paused               // waiting for Resume or Step
	Done                 // trained the planned epochs, or stopped
	Failed               // stopped by an error, see Snapshot.Err
)

// String returns the state's lowercase name.
func (s State) String() string {
	switch s {
	case Idle:
		return "idle"
	case Running:
		return "running"
	case Paused:
		return "paused"
	case Done:
		return "done"
	case Failed:
		return "failed"
	}
	return "unknown"
}

// EpochMetric is the network measured on the whole test set.
type EpochMetric struct {
	Epoch     int     // whole epochs done when measured
	Step      int     // steps done when measured
	TrainLoss float64 // mean training loss over the epoch's steps (or so far)
	Loss      float64 // mean test loss
	Accuracy  float64 // fraction of test images classified right
	Seconds   float64 // training time from the start to this measurement
	// LR is the learning rate in force at the last step before the
	// measurement.
	LR float64
	// Layers holds each layer's gradient flow averaged over the epoch (so
	// far, for a measurement part way into one; see LayerMeans); nil when
	// none was measured since the last epoch end.
	Layers []LayerMeans
	// Confusion[label][predicted] counts the test images.
	Confusion [][]int
}

// Histogram counts values in Bins equal bins from Min to Max.
type Histogram struct {
	Min, Max float64
	Counts   []int
}

// LayerStats describes one layer after the latest step.
type LayerStats struct {
	In, Out   int
	Act       Activation
	Weights   Histogram
	GradNorm  float64 // Frobenius norm of the latest weight gradient ∂L/∂W
	ActMean   float64 // mean of the layer's outputs over the latest batch
	ActStd    float64 // their standard deviation
	Saturated float64 // fraction of outputs whose activation's derivative is (nearly) zero
	// Activations counts the layer's outputs on the latest batch over its
	// activation's range: 0 to 1 for sigmoid and step, −1 to 1 for tanh, 0
	// to the largest output for ReLU, the outputs' own range for the
	// identity; the output layer's are its softmax probabilities, 0 to 1.
	Activations Histogram
	// GradNormHistory is GradNorm so far, and SaturatedHistory is
	// Saturated (always 0 for the output layer), measured every fourth step
	// and at each epoch's last, each point the mean of the measurements it
	// stands for.
	GradNormHistory  History
	SaturatedHistory History
}

// Snapshot is the state of a session at one moment. Nothing in it is written
// after it is published, so it can be read from any goroutine.
type Snapshot struct {
	State State
	Step  int // mini-batch steps done
	Epoch int // whole epochs done
	// PlannedEpochs is the epoch count at which training will be done, 0
	// when it runs until stopped. It counts the epochs of a session that
	// this one continues.
	PlannedEpochs int
	EpochFrac     float64 // fraction of the current epoch done
	StepsPerEpoch int
	LR            float64 // the learning rate in force (after the schedule)
	BaseLR        float64 // the learning rate the user chose
	Elapsed       time.Duration
	ImagesPerSec  float64
	// Images counts the images trained on so far, by this session and any
	// it continues.
	Images int64
	// TrainLoss holds the training loss of every step so far, index = step-1.
	TrainLoss []float32
	// Tests holds a test-set measurement at each epoch end and each Evaluate.
	Tests  []EpochMetric
	Layers []LayerStats
	// Model is a frozen copy of the network for prediction.
	Model    *Model
	Config   TrainConfig
	Warnings []string
	// Err is why the session failed, when State is Failed.
	Err error

	// LRHistory is the learning rate in force at every step so far.
	LRHistory History
	// LRChanges lists the moments the learning rate was changed by hand,
	// in order; continuing a session at another rate is one of them.
	LRChanges []LRChange
	// Misclassified lists the test images the latest test measurement got
	// wrong, at most 10,000.
	Misclassified []Misclassification
}

// MeanImagesPerSec is the run's speed over its whole training time, pauses
// excluded (for a raced session, its own steps' time): 0 before any.
func (s *Snapshot) MeanImagesPerSec() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Images) / s.Elapsed.Seconds()
}

// LastTest returns the latest test measurement and whether there is one.
func (s *Snapshot) LastTest() (EpochMetric, bool) {
	if len(s.Tests) == 0 {
		return EpochMetric{}, false
	}
	return s.Tests[len(s.Tests)-1], true
}
