package layers

import (
	"testing"

	"github.com/mnistplayground/mnistplayground/engine"
)

func TestLayerText(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ got, want string }{
		{layerText(engine.LayerStats{GradNorm: 3e-4, Saturated: 0.42, ActMean: 0.5, ActStd: 0.25, Act: engine.Sigmoid}, false), "‖∂L/∂W‖ 3.00e-04 · saturated 42% · outputs 0.50 ± 0.25"},
		{layerText(engine.LayerStats{GradNorm: 3e-4, Saturated: 0.42, ActMean: 0.5, ActStd: 0.25, Act: engine.Tanh}, false), "‖∂L/∂W‖ 3.00e-04 · saturated 42% · outputs 0.50 ± 0.25"},
		{layerText(engine.LayerStats{GradNorm: 3e-4, Saturated: 0.55, ActMean: 0.5, ActStd: 0.25, Act: engine.ReLU}, false), "‖∂L/∂W‖ 3.00e-04 · off 55% · outputs 0.50 ± 0.25"},
		{layerText(engine.LayerStats{GradNorm: 3e-4, Saturated: 0.95, ActMean: 0.5, ActStd: 0.25, Act: engine.ReLU}, false), "‖∂L/∂W‖ 3.00e-04 · nearly all off 95% · outputs 0.50 ± 0.25"},
		{layerText(engine.LayerStats{GradNorm: 0.2, ActMean: 0.1, ActStd: 0.3}, true), "‖∂L/∂W‖ 0.2 · outputs 0.10 ± 0.30"},
		{layerTitle(0, engine.LayerStats{In: 784, Out: 100, Act: engine.Sigmoid}, false), "Layer 1 · 784→100 sigmoid"},
		{layerTitle(2, engine.LayerStats{In: 50, Out: 10}, true), "Output · 50→10 softmax"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
