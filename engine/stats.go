package engine

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
)

// ModelStats describes a model's layers as far as its weights alone tell:
// their shapes, activations and weight histograms, with no gradient or
// outputs, since nothing has trained. A network opened from a file shows its
// weights with it before any training step.
func ModelStats(m *Model) []LayerStats { return layerStats(m, nil) }

// RecentLoss is the mean of the last few finite training losses: a single
// mini-batch's loss jumps too much to read off a status line or a progress
// bar. It reports false when there is none.
func RecentLoss(losses []float32, window int) (float64, bool) {
	var sum float64
	n := 0
	for i := len(losses) - 1; i >= 0 && n < window; i-- {
		if v := float64(losses[i]); !math.IsNaN(v) && !math.IsInf(v, 0) {
			sum += v
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return sum / float64(n), true
}

// LoadMNISTModel loads a model file and checks that it takes MNIST's 784
// pixels and gives one probability per digit: what the window and the
// command line open. Cancelling ctx stops a read that waits on a pipe.
func LoadMNISTModel(ctx context.Context, path string) (*Model, error) {
	m, err := LoadModelContext(ctx, path)
	if err != nil {
		return nil, err
	}
	if err := m.CheckMNIST(); err != nil {
		return nil, fmt.Errorf("the network in %s does not fit MNIST: %w", filepath.Base(path), err)
	}
	return m, nil
}
