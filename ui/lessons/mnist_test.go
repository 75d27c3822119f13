package lessons

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"testing"
	"time"

	"github.com/mnistplayground/mnistplayground/engine"
)

// checkClaims, when set (go test ./ui/lessons -run Claims -args
// -lessons.mnist), trains every run of every built-in lesson on MNIST to
// its planned end and checks what each lesson's text says the audience will
// see. It takes about a minute without the race detector, so it is not part
// of the usual run.
var checkClaims = flag.Bool("lessons.mnist", false, "train every built-in lesson on MNIST and check what its text claims")

// result is how a run went: its test measurements and its error.
type result struct {
	tests []engine.EpochMetric
	err   error
}

func (r result) acc(epoch int) float64 { return r.tests[epoch-1].Accuracy }
func (r result) last() float64         { return r.tests[len(r.tests)-1].Accuracy }

// claims are what each lesson's text says, as checks on its runs' results.
var claims = map[string]func(t *testing.T, r []result){
	"chapter-3-network": func(t *testing.T, r []result) {
		if a := r[0].last(); a < 0.93 {
			t.Errorf("accuracy %.4f after three epochs, the text says about 94%%", a)
		}
	},
	"step-vs-sigmoid": func(t *testing.T, r []result) {
		if a := r[0].last(); a < 0.55 || a > 0.75 {
			t.Errorf("the step network ends at %.4f, the text says about two thirds", a)
		}
		if a, b := r[1].acc(1), r[1].last(); a < 0.87 || a > 0.91 || b < 0.9 {
			t.Errorf("the sigmoid network reaches %.4f, then %.4f; the text says about 89%%, then 91%%", a, b)
		}
	},
	"vanishing-gradients": func(t *testing.T, r []result) {
		if a := r[0].last(); a > 0.15 {
			t.Errorf("five sigmoid layers end at %.4f, the text says they sit at chance", a)
		}
		if a := r[1].acc(1); a < 0.93 {
			t.Errorf("five ReLU layers reach %.4f in the first epoch, the text says 94%%", a)
		}
	},
	"gear-shifting": func(t *testing.T, r []result) {
		c, s := 1-r[0].last(), 1-r[1].last()
		if !(s < 0.95*c) {
			t.Errorf("test errors %.4f constant, %.4f step decay; the text says about a tenth fewer with step decay", c, s)
		}
		n := len(r[0].tests)
		if !(r[0].tests[n-1].Loss > r[0].tests[n-3].Loss) {
			t.Errorf("the constant rate's test loss falls over the last epochs (%.4f to %.4f); the text says it starts to rise",
				r[0].tests[n-3].Loss, r[0].tests[n-1].Loss)
		}
	},
	"too-high-a-learning-rate": func(t *testing.T, r []result) {
		if !errors.Is(r[0].err, engine.ErrDiverged) {
			t.Errorf("the first run ended with %v, the text says it diverges", r[0].err)
		}
		if r[1].err != nil || r[1].last() < 0.95 {
			t.Errorf("the second run: %v, accuracy %v; the text says it learns normally", r[1].err, r[1].tests)
		}
	},
	"mse-vs-cross-entropy": func(t *testing.T, r []result) {
		for e := 1; e <= len(r[0].tests); e++ {
			if !(r[1].acc(e) > r[0].acc(e)) {
				t.Errorf("epoch %d: cross-entropy %.4f, squared error %.4f; the text says cross-entropy is ahead after every epoch", e, r[1].acc(e), r[0].acc(e))
			}
		}
		if a, b := r[1].last(), r[0].last(); a < 0.94 || b > 0.93 {
			t.Errorf("after three epochs %.4f against %.4f, the text says about 95%% against 92%%", a, b)
		}
	},
	"batch-size": func(t *testing.T, r []result) {
		if a, b := r[0].last(), r[1].last(); a < 0.96 || b > 0.9 {
			t.Errorf("after two epochs %.4f against %.4f, the text says about 97%% against 89%%", a, b)
		}
	},
	"initialisation": func(t *testing.T, r []result) {
		if a := r[0].last(); a > 0.15 {
			t.Errorf("N(0, 0.01) ends at %.4f, the text says it does not learn", a)
		}
		if a := r[1].last(); a < 0.85 {
			t.Errorf("Xavier ends at %.4f, the text says it learns", a)
		}
		for e := 1; e <= len(r[1].tests); e++ {
			if !(r[2].acc(e) > r[1].acc(e)) {
				t.Errorf("epoch %d: He %.4f, Xavier %.4f; the text says He learns fastest", e, r[2].acc(e), r[1].acc(e))
			}
		}
	},
}

func TestLessonClaimsOnMNIST(t *testing.T) {
	if !*checkClaims {
		t.Skip("trains every lesson on MNIST for about a minute: run with -args -lessons.mnist")
	}
	data, _, err := engine.OpenMNIST("")
	if err != nil {
		t.Skipf("no MNIST: %v", err)
	}
	ls, errs := Builtin()
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, l := range ls {
		check, ok := claims[l.ID]
		if !ok {
			t.Errorf("%s: no check of its claims", l.ID)
			continue
		}
		t.Run(l.ID, func(t *testing.T) {
			var results []result
			for _, r := range l.Runs {
				s, err := engine.NewSession(r.Config, data, engine.SessionOptions{})
				if err != nil {
					t.Fatal(err)
				}
				go func() {
					for range s.Snapshots() {
					}
				}()
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
				err = s.Run(ctx)
				cancel()
				res := result{tests: s.Latest().Tests, err: err}
				results = append(results, res)
				var accs []string
				for _, m := range res.tests {
					accs = append(accs, fmt.Sprintf("%.2f%%", 100*m.Accuracy))
				}
				t.Logf("%s: %v, error %v", r.Label, accs, err)
			}
			check(t, results)
		})
	}
}
