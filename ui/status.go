package ui

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/mnistplayground/mnistplayground/engine"
)

// statusText is the status line for a snapshot: state, epoch, step, speed,
// training loss, last test accuracy, training time and the learning rate in
// force, the numbers a lecture keeps pointing at.
func statusText(s *engine.Snapshot) string {
	parts := []string{stateName(s.State), epochText(s)}
	parts = append(parts, "step "+groupThousands(s.Step))
	if s.State == engine.Running {
		parts = append(parts, groupThousands(int(math.Round(s.ImagesPerSec)))+" images/s")
	}
	if l, ok := recentLoss(s.TrainLoss); ok {
		parts = append(parts, "loss "+formatLoss(l))
	}
	if m, ok := s.LastTest(); ok {
		parts = append(parts, fmt.Sprintf("test accuracy %.2f%%", 100*m.Accuracy))
	}
	parts = append(parts, formatElapsed(s.Elapsed), "lr "+formatLR(s.LR))
	return strings.Join(parts, " · ")
}

// stateName is a state as the status line starts with it.
func stateName(st engine.State) string {
	switch st {
	case engine.Idle:
		return "Ready"
	case engine.Running:
		return "Training"
	case engine.Paused:
		return "Paused"
	case engine.Done:
		return "Done"
	case engine.Failed:
		return "Diverged"
	}
	return st.String()
}

// epochText says where in the planned epochs training is: "epoch 3/5, 34%"
// while an epoch runs, "epoch 2/5 done" at its end.
func epochText(s *engine.Snapshot) string {
	// PlannedEpochs counts the epochs of the runs this one continues; a
	// snapshot made without a session has only the configuration's.
	planned := s.PlannedEpochs
	if planned == 0 {
		planned = s.Config.Epochs
	}
	total := ""
	if planned > 0 {
		total = "/" + strconv.Itoa(planned)
	}
	if s.EpochFrac == 0 {
		if s.Epoch == 0 {
			return "epoch 1" + total
		}
		return fmt.Sprintf("epoch %d%s done", s.Epoch, total)
	}
	return fmt.Sprintf("epoch %d%s, %d%%", s.Epoch+1, total, int(100*s.EpochFrac))
}

// noteText says where the draw pad's answers come from while a session
// trains or has trained the network.
func noteText(s *engine.Snapshot) string {
	epoch := s.Epoch + 1
	if s.EpochFrac == 0 && s.Epoch > 0 {
		epoch = s.Epoch
	}
	where := fmt.Sprintf("epoch %d, step %s", epoch, groupThousands(s.Step))
	switch s.State {
	case engine.Running:
		return "training: " + where
	case engine.Paused:
		return "paused: " + where
	case engine.Failed:
		return "diverged: the network of step " + groupThousands(s.Step)
	case engine.Idle:
		return "untrained network — random guesses"
	}
	if m, ok := s.LastTest(); ok {
		return fmt.Sprintf("trained: %s, %.2f%% right", epochCount(s), 100*m.Accuracy)
	}
	return "trained: " + where
}

// epochCount writes the epochs a finished session trained: "5 epochs",
// "2.4 epochs" when it was stopped part-way.
func epochCount(s *engine.Snapshot) string {
	if s.EpochFrac == 0 {
		if s.Epoch == 1 {
			return "1 epoch"
		}
		return fmt.Sprintf("%d epochs", s.Epoch)
	}
	return fmt.Sprintf("%.1f epochs", float64(s.Epoch)+s.EpochFrac)
}

// recentLoss is the mean training loss of the last few steps: a single
// mini-batch's loss jumps too much to read off a status line.
func recentLoss(losses []float32) (float64, bool) {
	const window = 20
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

// formatLoss writes a loss with three significant digits.
func formatLoss(v float64) string {
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// formatElapsed writes a training time as m:ss or h:mm:ss.
func formatElapsed(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// groupThousands writes n with commas between groups of three digits.
func groupThousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// layerText describes one layer's latest step: the norm of its weight
// gradient and the share of its outputs on the latest batch that sit where
// the activation is flat. A sigmoid network's first layers show both:
// gradients orders of magnitude smaller than the last layer's, and most
// outputs saturated.
func layerText(st engine.LayerStats, output bool) string {
	parts := []string{"‖∂L/∂W‖ " + formatSci(st.GradNorm)}
	if !output {
		parts = append(parts, flatText(st))
	}
	parts = append(parts, fmt.Sprintf("outputs %.2f ± %.2f", st.ActMean, st.ActStd))
	return strings.Join(parts, " · ")
}

// formatSci writes a small positive number in a form that shows its order
// of magnitude at a glance: 0.0123, 4.56e-05.
func formatSci(v float64) string {
	if v == 0 {
		return "0"
	}
	if a := math.Abs(v); a >= 0.01 && a < 1000 {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	return strconv.FormatFloat(v, 'e', 2, 64)
}

// flatText writes the share of a layer's outputs that pass no gradient:
// "off 44%" for ReLU, whose outputs at zero on one batch say nothing of
// units dead on every input, "nearly all off 95%" from its warning limit,
// and "saturated 60%" for a sigmoid or tanh output in a flat tail.
func flatText(st engine.LayerStats) string {
	word := "saturated"
	if st.Act == engine.ReLU {
		word = "off"
		if limit, _ := flatWarning(st.Act); st.Saturated > limit {
			word = "nearly all off"
		}
	}
	return fmt.Sprintf("%s %.0f%%", word, 100*st.Saturated)
}

// flatWarning is the share of flat outputs from which a layer is pointed
// at. About half of a ReLU layer's outputs are off on any input, which is
// how ReLU works; only when nearly all are off does the layer stop
// learning. A sigmoid or tanh layer with half its outputs saturated already
// passes back little gradient. Identity never flattens and a step is always
// flat, so neither is worth a warning.
func flatWarning(a engine.Activation) (float64, bool) {
	switch a {
	case engine.ReLU:
		return 0.9, true
	case engine.Sigmoid, engine.Tanh:
		return 0.5, true
	}
	return 0, false
}

// layerTitle names a layer for its histogram: "Layer 1 · 784→100 relu",
// "Output · 100→10 softmax".
func layerTitle(i int, st engine.LayerStats, output bool) string {
	if output {
		return fmt.Sprintf("Output · %d→%d softmax", st.In, st.Out)
	}
	return fmt.Sprintf("Layer %d · %d→%d %s", i+1, st.In, st.Out, st.Act)
}
