package engine

import "math"

// optState is an optimiser with its per-parameter memory: velocities for
// Momentum, first and second moments for Adam, one slice per weight and bias
// array of the model, in the order params returns them.
type optState struct {
	opt  Optimizer
	t    int // updates done, for Adam's bias correction
	v, s [][]float32
}

// params lists a model's parameter arrays: W1, b1, W2, b2, …
func params(m *Model) [][]float32 {
	p := make([][]float32, 0, 2*len(m.Layers))
	for _, l := range m.Layers {
		p = append(p, l.W, l.B)
	}
	return p
}

// grads lists a workspace's gradients in the same order as params.
func grads(ws *workspace) [][]float32 {
	g := make([][]float32, 0, 2*len(ws.gw))
	for i := range ws.gw {
		g = append(g, ws.gw[i], ws.gb[i])
	}
	return g
}

func newOptState(opt Optimizer, m *Model) *optState {
	o := &optState{opt: opt}
	for _, p := range params(m) {
		switch opt.Kind {
		case Momentum:
			o.v = append(o.v, make([]float32, len(p)))
		case Adam:
			o.v = append(o.v, make([]float32, len(p)))
			o.s = append(o.s, make([]float32, len(p)))
		}
	}
	return o
}

// update moves every parameter against its gradient with learning rate lr,
// by the rules of the book's common/optimizer.py.
func (o *optState) update(ps, gs [][]float32, lr float64) {
	o.t++
	switch o.opt.Kind {
	case SGD:
		for i, p := range ps {
			axpy(float32(-lr), gs[i], p)
		}
	case Momentum:
		// v ← μv − η·g; w ← w + v
		mu, eta := float32(o.opt.Momentum), float32(lr)
		for i, p := range ps {
			v, g := o.v[i], gs[i]
			for k := range p {
				v[k] = mu*v[k] - eta*g[k]
				p[k] += v[k]
			}
		}
	case Adam:
		// m ← m + (1−β1)(g − m); v ← v + (1−β2)(g² − v);
		// w ← w − η·√(1−β2ᵗ)/(1−β1ᵗ)·m/(√v + ε)
		b1, b2 := o.opt.Beta1, o.opt.Beta2
		lrt := float32(lr * math.Sqrt(1-math.Pow(b2, float64(o.t))) / (1 - math.Pow(b1, float64(o.t))))
		c1, c2, eps := float32(1-b1), float32(1-b2), float32(o.opt.Eps)
		for i, p := range ps {
			m, v, g := o.v[i], o.s[i], gs[i]
			for k := range p {
				gk := g[k]
				m[k] += c1 * (gk - m[k])
				v[k] += c2 * (gk*gk - v[k])
				p[k] -= lrt * m[k] / (float32(math.Sqrt(float64(v[k]))) + eps)
			}
		}
	default:
		panic("engine: unknown optimiser")
	}
}
