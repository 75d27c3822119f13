package runs

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/state"
	"github.com/mnistplayground/mnistplayground/ui/widgets"
)

// model is an untrained 784-16-10 network drawn from seed.
func model(t *testing.T, seed uint64) *engine.Model {
	t.Helper()
	m, err := engine.NewModel(engine.MNISTArch([]int{16}, []engine.Activation{engine.ReLU}, engine.CrossEntropy), engine.Init{Kind: engine.InitHe}, rand.New(rand.NewPCG(seed, seed)))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func input(seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := make([]float32, engine.InputSize)
	for i := range x {
		x[i] = rng.Float32()
	}
	return x
}

func reads(m *engine.Model, x []float32) string {
	p := m.Predict(x)
	d := engine.Argmax(p)
	return fmt.Sprintf("reads the pad as %d (%.1f%%)", d, 100*p[d])
}

// TestReadingsRunOffTheUIGoroutineAndStayCurrent: the view hands the
// forward passes out as a job, writes their answers when they come back,
// drops an answer a newer drawing has overtaken, and asks nothing again
// for what it has already read.
func TestReadingsRunOffTheUIGoroutineAndStayCurrent(t *testing.T) {
	test.NewTempApp(t)
	var jobs []ReadJob
	v := New(widgets.NewKit(widgets.NoKeys{}), nil, nil, func(j ReadJob) { jobs = append(jobs, j) })
	ws, err := state.New(state.NetOf(engine.DefaultConfig()))
	if err != nil {
		t.Fatal(err)
	}
	a, b := model(t, 1), model(t, 2)
	for i, m := range []*engine.Model{a, b} {
		ws.Kept = append(ws.Kept, state.KeptRun{Name: fmt.Sprint("run ", i), ID: i + 1, Final: &engine.Snapshot{Model: m, Config: engine.DefaultConfig()}})
	}
	v.Update(ws)
	x1, x2 := input(1), input(2)
	v.Show(&engine.Explanation{Input: x1})
	if len(jobs) != 1 || len(jobs[0].models) != 2 || v.Rows[0].Reads.Text != "" {
		t.Fatalf("%d jobs (%+v), first row %q: want one job for both runs and nothing written yet", len(jobs), jobs, v.Rows[0].Reads.Text)
	}
	first := jobs[0].Read()
	v.Show(&engine.Explanation{Input: x2}) // a new drawing before the answer
	v.ShowReadings(first)
	if v.Rows[0].Reads.Text != "" {
		t.Errorf("an answer for the old drawing was written: %q", v.Rows[0].Reads.Text)
	}
	v.ShowReadings(jobs[len(jobs)-1].Read())
	for i, m := range []*engine.Model{a, b} {
		if got, want := v.Rows[i].Reads.Text, reads(m, x2); got != want {
			t.Errorf("row %d reads %q, want %q", i, got, want)
		}
	}
	n := len(jobs)
	v.Update(ws)
	// The pad's next answer on the same drawing is a copy of its input.
	v.Show(&engine.Explanation{Input: slices.Clone(x2)})
	if len(jobs) != n {
		t.Errorf("%d more jobs for what is already read", len(jobs)-n)
	}
	// A racing run's newer network asks for itself alone.
	ws.Kept[1].Final = &engine.Snapshot{Model: model(t, 3), Config: engine.DefaultConfig()}
	v.Update(ws)
	if len(jobs) != n+1 || len(jobs[n].models) != 1 || jobs[n].models[0] != ws.Kept[1].Final.Model {
		t.Errorf("after a run's network changed: jobs %+v", jobs[n:])
	}
}
