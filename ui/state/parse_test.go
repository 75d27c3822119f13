package state

import (
	"testing"

	"github.com/mnistplayground/mnistplayground/engine"
)

// validator makes a parser a check of text.
func validator[T any](parse func(string) (T, error)) func(string) error {
	return func(s string) error {
		_, err := parse(s)
		return err
	}
}

func TestFieldParsers(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		check func(string) error
		ok    []string
		bad   []string
	}{
		{"units", validator(ParseUnits), []string{"1", "1024", " 100 "}, []string{"0", "1025", "-3", "1.5", "", "x"}},
		{"learning rate", validator(ParseLR), []string{"1e-7", "100", "0.1", "3E-2"}, []string{"0", "1e-8", "100.5", "NaN", "inf", "abc"}},
		{"sigma", validator(ParseSigma), []string{"0.01", "100"}, []string{"0", "-1", "101", "NaN"}},
		{"factor", validator(ParseFactor), []string{"0.5", "1"}, []string{"0", "1.5", "-0.5"}},
		{"every", validator(ParseEvery), []string{"1", "10"}, []string{"0", "-1", "2.5"}},
		{"batch", validator(ParseBatch), []string{"1", "60000"}, []string{"0", "60001"}},
		{"epochs", validator(ParseEpochs), []string{"0", "5", "1000"}, []string{"-1", "1001", "two"}},
		{"seed", validator(ParseSeed), []string{"0", "18446744073709551615"}, []string{"-1", "18446744073709551616", "s"}},
	} {
		for _, s := range c.ok {
			if err := c.check(s); err != nil {
				t.Errorf("%s %q: %v, want it accepted", c.name, s, err)
			}
		}
		for _, s := range c.bad {
			if err := c.check(s); err == nil {
				t.Errorf("%s %q accepted, want an error", c.name, s)
			}
		}
	}
}

func TestDescribeNet(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		hidden []int
		want   string
	}{
		{nil, "784 → 10 · 7,850 parameters"},
		{[]int{100}, "784 → 100 → 10 · 79,510 parameters"},
		{[]int{50, 100}, "784 → 50 → 100 → 10 · 45,360 parameters"},
	} {
		acts := make([]engine.Activation, len(c.hidden))
		if got := DescribeNet(engine.MNISTArch(c.hidden, acts, engine.CrossEntropy)); got != c.want {
			t.Errorf("DescribeNet(%v) = %q, want %q", c.hidden, got, c.want)
		}
	}
}
