package layers

import (
	"fmt"
	"strings"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/internal/textfmt"
)

// layerText describes one layer's latest step: the norm of its weight
// gradient and the share of its outputs on the latest batch that sit where
// the activation is flat. A sigmoid network's first layers show both:
// gradients orders of magnitude smaller than the last layer's, and most
// outputs saturated.
func layerText(st engine.LayerStats, output bool) string {
	parts := []string{"‖∂L/∂W‖ " + textfmt.Sci(st.GradNorm)}
	if !output {
		parts = append(parts, flatText(st))
	}
	parts = append(parts, fmt.Sprintf("outputs %.2f ± %.2f", st.ActMean, st.ActStd))
	return strings.Join(parts, " · ")
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
