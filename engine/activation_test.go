package engine

import (
	"math"
	"testing"
)

func TestActivate(t *testing.T) {
	t.Parallel()
	in := []float32{-1000, -2, -0.5, 0, 0.5, 2, 1000}
	tests := []struct {
		act  Activation
		want []float64
	}{
		{ReLU, []float64{0, 0, 0, 0, 0.5, 2, 1000}},
		{Identity, []float64{-1000, -2, -0.5, 0, 0.5, 2, 1000}},
		{Step, []float64{0, 0, 0, 0, 1, 1, 1}},
		{Sigmoid, []float64{0, 1 / (1 + math.Exp(2)), 1 / (1 + math.Exp(0.5)), 0.5, 1 / (1 + math.Exp(-0.5)), 1 / (1 + math.Exp(-2)), 1}},
		{Tanh, []float64{-1, math.Tanh(-2), math.Tanh(-0.5), 0, math.Tanh(0.5), math.Tanh(2), 1}},
	}
	for _, tt := range tests {
		got := append([]float32(nil), in...)
		activate(tt.act, got)
		for i := range got {
			if math.IsNaN(float64(got[i])) || math.Abs(float64(got[i])-tt.want[i]) > 1e-6 {
				t.Errorf("%v(%g) = %g, want %g", tt.act, in[i], got[i], tt.want[i])
			}
		}
	}
}

func TestParseNames(t *testing.T) {
	t.Parallel()
	for _, a := range Activations {
		got, err := ParseActivation(" " + a.String() + " ")
		if err != nil || got != a {
			t.Errorf("ParseActivation(%q) = %v, %v", a.String(), got, err)
		}
	}
	if _, err := ParseActivation("softplus"); err == nil {
		t.Error("an unknown activation was accepted")
	}
	for _, l := range []Loss{CrossEntropy, MeanSquared} {
		if got, err := ParseLoss(l.String()); err != nil || got != l {
			t.Errorf("ParseLoss(%q) = %v, %v", l.String(), got, err)
		}
	}
	for _, s := range []string{"const", "cosine", "step:0.5@3"} {
		sc, err := ParseSchedule(s)
		if err != nil || sc.String() != s {
			t.Errorf("ParseSchedule(%q) = %v, %v", s, sc, err)
		}
	}
	for _, s := range []string{"step:0.5", "step:x@3", "step:0.5@0", "step:1.5@2", "linear"} {
		if _, err := ParseSchedule(s); err == nil {
			t.Errorf("ParseSchedule(%q) accepted", s)
		}
	}
	for _, s := range []string{"he", "xavier", "normal:0.01"} {
		in, err := ParseInit(s)
		if err != nil || in.String() != s {
			t.Errorf("ParseInit(%q) = %v, %v", s, in, err)
		}
	}
	for _, s := range []string{"normal:-1", "normal:abc", "zeros"} {
		if _, err := ParseInit(s); err == nil {
			t.Errorf("ParseInit(%q) accepted", s)
		}
	}
	for _, s := range []string{"sgd", "momentum", "adam"} {
		o, err := ParseOptimizer(s)
		if err != nil || o.String() != s || o.Validate() != nil {
			t.Errorf("ParseOptimizer(%q) = %v, %v", s, o, err)
		}
	}
}

func TestSoftmaxIsSafeFromOverflow(t *testing.T) {
	t.Parallel()
	// Without subtracting the maximum, e^1010 overflows.
	logits := []float32{1010, 1000, 990}
	loss := softmaxLoss(CrossEntropy, logits, 3, []uint8{0}, nil)
	want := []float64{1 / (1 + math.Exp(-10) + math.Exp(-20)), math.Exp(-10) / (1 + math.Exp(-10) + math.Exp(-20))}
	for i, w := range want {
		if math.Abs(float64(logits[i])-w) > 1e-6 {
			t.Errorf("softmax[%d] = %g, want %g", i, logits[i], w)
		}
	}
	if math.IsNaN(loss) || loss > 1e-4 {
		t.Errorf("loss %g for a confident right answer, want ≈ 0", loss)
	}
	// A confident wrong answer: e^(z_t−max) underflows, the loss does not.
	wrong := []float32{0, 200}
	if loss := softmaxLoss(CrossEntropy, wrong, 2, []uint8{0}, nil); math.Abs(loss-200) > 1e-3 {
		t.Errorf("cross-entropy of a confident wrong answer = %g, want 200", loss)
	}
	// Softmax does not change when every logit moves by the same amount.
	a, b := []float32{1, 2, 3}, []float32{-99, -98, -97}
	la := softmaxLoss(MeanSquared, a, 3, []uint8{2}, nil)
	lb := softmaxLoss(MeanSquared, b, 3, []uint8{2}, nil)
	if math.Abs(la-lb) > 1e-6 {
		t.Errorf("MSE changed with a shift of the logits: %g vs %g", la, lb)
	}
}

func TestLossValues(t *testing.T) {
	t.Parallel()
	// Ten equal logits: softmax is 0.1 everywhere.
	z := make([]float32, 10)
	ce := softmaxLoss(CrossEntropy, append([]float32(nil), z...), 10, []uint8{4}, nil)
	if math.Abs(ce-math.Log(10)) > 1e-6 {
		t.Errorf("cross-entropy of a uniform guess = %g, want ln 10", ce)
	}
	mse := softmaxLoss(MeanSquared, append([]float32(nil), z...), 10, []uint8{4}, nil)
	if want := 0.5 * (0.81 + 9*0.01); math.Abs(mse-want) > 1e-6 {
		t.Errorf("squared error of a uniform guess = %g, want %g", mse, want)
	}
}
