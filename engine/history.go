package engine

// History is a value over the training steps, kept in bounded memory: each
// point stands for Span consecutive steps, and when the history fills, pairs
// of neighbouring points merge into one that stands for twice as many. A
// million steps thus take as little memory as a few thousand, while the
// latest steps are never coarser than the earliest. A History in a Snapshot
// is never written again.
type History struct {
	// Steps[i] is the step (counted from 1, as Snapshot.Step) of the
	// latest value point i summarises.
	Steps []int
	// Values[i] summarises those steps: their mean, or for a learning rate
	// the rate of the last of them, a rate that was really in force.
	Values []float64
	// Span is how many steps each point stands for: 1 until the history first
	// fills (or the steps between two measurements, for a value measured
	// every few steps), doubling each time it does. Continuing a session can
	// leave the points before it at another span.
	Span int
}

// Len returns the number of points.
func (h History) Len() int { return len(h.Values) }

// Last returns the newest point and whether there is one.
func (h History) Last() (step int, value float64, ok bool) {
	if len(h.Values) == 0 {
		return 0, 0, false
	}
	return h.Steps[len(h.Steps)-1], h.Values[len(h.Values)-1], true
}

// historyPoints bounds a history: between half of it and all of it are
// kept, at least 512 points, as many as a chart a thousand pixels wide
// can draw apart.
const historyPoints = 1024

// reduction is how a history merges the steps of one point.
type reduction int

const (
	reduceMean reduction = iota // the mean: a gradient norm, a share
	reduceLast                  // the last value: a learning rate in force
)

// series builds a History as values arrive, one every few steps. The session owns it;
// History views of it share its arrays, which it only appends to beyond
// their length, and replaces instead of rewriting when it merges points, so
// a view never changes.
type series struct {
	reduce reduction
	max    int // points kept at most, even
	steps  []int
	values []float64
	every  int // steps between two values
	per    int // values a point stands for
	// The values of the point being gathered.
	n   int
	sum float64
}

// newSeries returns a series of a value a step.
func newSeries(r reduction) *series { return newSampledSeries(r, 1) }

// newSampledSeries returns a series of a value every few steps.
func newSampledSeries(r reduction, every int) *series {
	return &series{reduce: r, max: historyPoints, every: every, per: 1}
}

// seriesFrom carries on a history published earlier (copying it, so that
// the earlier session's snapshots stay as they were).
func seriesFrom(r reduction, every int, h History) *series {
	s := newSampledSeries(r, every)
	s.steps = append(make([]int, 0, s.max), h.Steps...)
	s.values = append(make([]float64, 0, s.max), h.Values...)
	s.per = max(h.Span/every, 1)
	for len(s.values) >= s.max {
		s.halve()
	}
	return s
}

// add records the value of one step, every s.every steps.
func (s *series) add(step int, v float64) {
	switch s.reduce {
	case reduceLast:
		s.sum = v
	default:
		s.sum += v
	}
	s.n++
	if s.n < s.per {
		return
	}
	if s.reduce == reduceMean {
		v = s.sum / float64(s.n)
	}
	if s.values == nil {
		s.steps, s.values = make([]int, 0, s.max), make([]float64, 0, s.max)
	}
	s.steps = append(s.steps, step)
	s.values = append(s.values, v)
	s.n, s.sum = 0, 0
	if len(s.values) >= s.max {
		s.halve()
	}
}

// halve merges each pair of points into one, into new arrays: views of the
// old ones may still be read.
func (s *series) halve() {
	n := len(s.values) / 2
	steps, values := make([]int, n, s.max), make([]float64, n, s.max)
	for i := range n {
		steps[i] = s.steps[2*i+1]
		values[i] = s.values[2*i+1]
		if s.reduce == reduceMean {
			values[i] = (s.values[2*i] + s.values[2*i+1]) / 2
		}
	}
	// An odd point left over starts the next pair.
	if len(s.values)%2 == 1 {
		steps = append(steps, s.steps[len(s.steps)-1])
		values = append(values, s.values[len(s.values)-1])
	}
	s.steps, s.values = steps, values
	s.per *= 2
}

// view returns the points so far, sharing the arrays.
func (s *series) view() History {
	if s == nil {
		return History{Span: 1}
	}
	return History{
		Steps:  s.steps[:len(s.steps):len(s.steps)],
		Values: s.values[:len(s.values):len(s.values)],
		Span:   s.every * s.per,
	}
}
