package engine

import "math"

// softmaxLoss turns each row of logits (n rows of k) into softmax
// probabilities in place and returns the summed loss over the rows against
// labels. If grad is not nil it receives ∂L/∂logits for the mean loss over
// the n rows. The maximum of each row is subtracted before exponentiating, so
// no logit, however large, overflows; cross-entropy is computed from the
// log-sum-exp, so a confident wrong answer gives a large finite loss, not
// log(0).
func softmaxLoss(loss Loss, logits []float32, k int, labels []uint8, grad []float32) float64 {
	n := len(labels)
	var total float64
	inv := float32(1 / float64(n))
	for r := range n {
		row := logits[r*k : (r+1)*k]
		t := int(labels[r])
		mx := row[0]
		for _, v := range row[1:] {
			if v > mx {
				mx = v
			}
		}
		zt := row[t]
		var sum float64
		for i, v := range row {
			e := math.Exp(float64(v - mx))
			row[i] = float32(e)
			sum += e
		}
		switch loss {
		case CrossEntropy:
			// −log softmax_t = log Σ e^(z−max) − (z_t − max): no log(0)
			// even when e^(z_t−max) underflows.
			total += math.Log(sum) - float64(zt-mx)
		}
		invSum := 1 / sum
		for i := range row {
			row[i] = float32(float64(row[i]) * invSum)
		}
		if loss == MeanSquared {
			var se float64
			for i, p := range row {
				d := float64(p)
				if i == t {
					d--
				}
				se += d * d
			}
			total += 0.5 * se
		}
		if grad == nil {
			continue
		}
		g := grad[r*k : (r+1)*k]
		switch loss {
		case CrossEntropy:
			for i, p := range row {
				g[i] = p * inv
			}
			g[t] -= inv
		case MeanSquared:
			// L = ½Σ(p−t)², and through the softmax's Jacobian
			// ∂L/∂z_i = p_i((p_i−t_i) − Σ_j p_j(p_j−t_j)).
			var dot float32
			for i, p := range row {
				e := p
				if i == t {
					e--
				}
				dot += p * e
			}
			for i, p := range row {
				e := p
				if i == t {
					e--
				}
				g[i] = p * (e - dot) * inv
			}
		}
	}
	return total
}
