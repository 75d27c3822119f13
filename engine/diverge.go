package engine

import (
	"fmt"
	"math"
)

// blownUp reports whether the cross-entropy loss has blown up, with the
// mean that says so.
func (s *Session) blownUp() (float64, bool) {
	own := s.losses[s.ownLosses:]
	if s.cfg.Arch.Loss != CrossEntropy || len(own) < blowUpWindow {
		return 0, false
	}
	if s.lossRef == 0 {
		s.lossRef = max(float64(own[0]), math.Log(float64(s.cfg.Arch.Outputs)))
	}
	var sum float64
	for _, l := range own[len(own)-blowUpWindow:] {
		sum += float64(l)
	}
	mean := sum / blowUpWindow
	return mean, mean > blowUpFactor*s.lossRef
}

// diverged explains what went wrong at step, and puts back the model of
// the latest scan that found it finite when it no longer is.
func (s *Session) diverged(step int, lr float64, what string) error {
	if !finiteModel(s.model) {
		copyModel(s.model, s.good)
	}
	return fmt.Errorf("%w at step %d: %s with learning rate %g, which is most likely too high; lower it (try %g) and start again",
		ErrDiverged, step, what, lr, lr/10)
}

// copyModel copies src's parameters into dst, which has the same shape.
func copyModel(dst, src *Model) {
	for i, l := range src.Layers {
		copy(dst.Layers[i].W, l.W)
		copy(dst.Layers[i].B, l.B)
	}
}

// finiteModel reports whether every weight and bias is a finite number.
func finiteModel(m *Model) bool {
	for _, l := range m.Layers {
		if !finite(l.W) || !finite(l.B) {
			return false
		}
	}
	return true
}
