package engine

import (
	"math"
	"testing"
)

// TestOptimizerUpdates pins each rule to numbers worked by hand from the
// book's common/optimizer.py: one weight at 1 with gradient 0.5 and learning
// rate 0.1, updated twice.
func TestOptimizerUpdates(t *testing.T) {
	t.Parallel()
	// Adam's first step moves each weight by about the learning rate,
	// whatever the gradient's scale: m̂/√v̂ = g/|g|. Its second, with the
	// same gradient, moves it by as much again.
	tests := []struct {
		opt  string
		want [2]float64
	}{
		{"sgd", [2]float64{0.95, 0.90}},
		{"momentum", [2]float64{0.95, 0.855}}, // v = −0.05, then 0.9·(−0.05) − 0.05
		{"adam", [2]float64{0.9, 0.8}},
	}
	for _, tt := range tests {
		o, err := ParseOptimizer(tt.opt)
		if err != nil {
			t.Fatal(err)
		}
		m := &Model{Layers: []Layer{{In: 1, Out: 1, W: []float32{1}, B: []float32{0}}}}
		st := newOptState(o, m)
		for i, want := range tt.want {
			st.update(params(m), [][]float32{{0.5}, {0}}, 0.1)
			if got := float64(m.Layers[0].W[0]); math.Abs(got-want) > 1e-5 {
				t.Errorf("%s update %d: w = %.6f, want %.6f", tt.opt, i+1, got, want)
			}
		}
	}
}
