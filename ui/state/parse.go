package state

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/internal/textfmt"
)

// The parsers behind the settings' fields, each returning a message that
// says what to type instead. Their limits are the engine's.

// ParseUnits reads a hidden layer's size.
func ParseUnits(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole number of units: use 1 to %d", s, engine.MaxUnits)
	}
	if n < 1 || n > engine.MaxUnits {
		return n, fmt.Errorf("%d units is out of range: use 1 to %d", n, engine.MaxUnits)
	}
	return n, nil
}

// ParseLR reads a learning rate.
func ParseLR(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number: type one such as 0.1 or 1e-3", s)
	}
	if !(v >= engine.MinLR && v <= engine.MaxLR) {
		return v, fmt.Errorf("%g is out of range: use %g to %g", v, engine.MinLR, engine.MaxLR)
	}
	return v, nil
}

// ParseSigma reads the plain Gaussian initialisation's σ.
func ParseSigma(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, fmt.Errorf("σ %q is not a number: type one such as %g", s, engine.DefaultSigma)
	}
	if !(v > 0 && v <= engine.MaxSigma) {
		return v, fmt.Errorf("σ %g is out of range: use a number above 0 and at most %g", v, engine.MaxSigma)
	}
	return v, nil
}

// ParseFactor reads a step decay's factor.
func ParseFactor(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, fmt.Errorf("factor %q is not a number: type one such as 0.5", s)
	}
	if !(v > 0 && v <= 1) {
		return v, fmt.Errorf("factor %g is out of range: use a number above 0 and at most 1", v)
	}
	return v, nil
}

// ParseEvery reads a step decay's period in epochs.
func ParseEvery(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 {
		return n, fmt.Errorf("%q epochs between decays: use a whole number from 1", s)
	}
	return n, nil
}

// ParseBatch reads a batch size.
func ParseBatch(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > engine.MaxBatch {
		return n, fmt.Errorf("%q: use a whole number of images from 1 to %s", s, textfmt.Thousands(engine.MaxBatch))
	}
	return n, nil
}

// ParseEpochs reads the planned epochs.
func ParseEpochs(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 || n > engine.MaxEpochs {
		return n, fmt.Errorf("%q: use a whole number from 1 to %d, or 0 to train until stopped", s, engine.MaxEpochs)
	}
	return n, nil
}

// ParseSeed reads a random seed.
func ParseSeed(s string) (uint64, error) {
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a seed: use a whole number from 0", s)
	}
	return n, nil
}

// LRExp is the position of a learning rate on a logarithmic slider that
// spans the engine's range.
func LRExp(lr float64) float64 {
	return math.Max(math.Log10(engine.MinLR), math.Min(math.Log10(engine.MaxLR), math.Log10(lr)))
}

// RoundLR keeps two significant digits: a slider's positions are a
// hundredth of a decade apart, so more digits would be noise.
func RoundLR(lr float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(lr, 'g', 2, 64), 64)
	return v
}
