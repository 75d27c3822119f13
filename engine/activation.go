package engine

import "math"

// activate applies act to every value of v in place.
func activate(act Activation, v []float32) {
	switch act {
	case ReLU:
		// max, not a branch: on real data the sign of x is a coin toss
		// that the branch predictor loses (measured: 5× slower).
		for i, x := range v {
			v[i] = max(x, 0)
		}
	case Sigmoid:
		for i, x := range v {
			v[i] = sigmoid(x)
		}
	case Tanh:
		for i, x := range v {
			v[i] = float32(math.Tanh(float64(x)))
		}
	case Step:
		for i, x := range v {
			if x > 0 {
				v[i] = 1
			} else {
				v[i] = 0
			}
		}
	case Identity:
	default:
		panic("engine: unknown activation")
	}
}

// sigmoid is 1/(1+e^-x), computed so that neither branch overflows.
func sigmoid(x float32) float32 {
	if x >= 0 {
		return float32(1 / (1 + math.Exp(-float64(x))))
	}
	e := math.Exp(float64(x))
	return float32(e / (1 + e))
}

// backActivate turns d, the loss gradient with respect to a layer's outputs
// a = act(z), into the gradient with respect to z, in place. Each derivative
// is written in terms of the output a, which the forward pass kept, so z need
// not be stored: σ' = a(1−a), tanh' = 1−a², ReLU' = [a > 0].
func backActivate(act Activation, a, d []float32) {
	d = d[:len(a)]
	switch act {
	case ReLU:
		// A ReLU output is +0 exactly where the unit was off (max(−0, 0)
		// is +0), so its bits are zero there: a mask built from them
		// keeps or clears d without a branch to mispredict.
		for i, y := range a {
			b := math.Float32bits(y)
			keep := -((b | -b) >> 31) // all ones if b != 0
			d[i] = math.Float32frombits(math.Float32bits(d[i]) & keep)
		}
	case Sigmoid:
		for i, y := range a {
			d[i] *= y * (1 - y)
		}
	case Tanh:
		for i, y := range a {
			d[i] *= 1 - y*y
		}
	case Step:
		// The step function is flat everywhere but at 0, where it has no
		// derivative: nothing flows back through it.
		clear(d)
	case Identity:
	default:
		panic("engine: unknown activation")
	}
}

// saturated reports whether an output a of act passes (almost) no gradient:
// a dead ReLU, a sigmoid or tanh at its flat ends, every step unit. This is
// where gradients vanish.
func saturated(act Activation, a float32) bool {
	switch act {
	case ReLU:
		return a <= 0
	case Sigmoid:
		return a*(1-a) < 0.01
	case Tanh:
		return 1-a*a < 0.04
	case Step:
		return true
	}
	return false
}
