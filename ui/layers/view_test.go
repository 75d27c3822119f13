package layers

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/state"
	"github.com/mnistplayground/mnistplayground/ui/widgets"
)

// workspace is a workspace showing snap as its latest snapshot.
func workspace(t *testing.T, snap *engine.Snapshot) *state.Workspace {
	t.Helper()
	ws, err := state.New(state.NetOf(engine.DefaultConfig()))
	if err != nil {
		t.Fatal(err)
	}
	ws.Last = snap
	return ws
}

func TestAnOpenedOrUntrainedNetworkShowsItsWeights(t *testing.T) {
	test.NewTempApp(t)
	v := New(widgets.NewKit(widgets.NoKeys{}))
	v.Update(workspace(t, nil))
	if got := len(v.Cells); got != 2 {
		t.Fatalf("%d cells for 784-100-10, want 2", got)
	}
	for i, c := range v.Cells {
		if c.History() != 1 {
			t.Errorf("layer %d holds %d histograms before training, want its initial weights' one", i+1, c.History())
		}
	}
	if got := len(v.Charts()); got != 4 {
		t.Errorf("%d chart specs, want a weight and an output histogram for each of 2 layers", got)
	}
}

func TestGridColumns(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		n    int
		size fyne.Size
		want int
	}{
		{1, fyne.NewSize(400, 600), 1},
		{2, fyne.NewSize(400, 600), 1},
		{2, fyne.NewSize(1200, 300), 2},
		{4, fyne.NewSize(800, 600), 2},
		{7, fyne.NewSize(400, 700), 1},
	} {
		if got := gridColumns(c.n, c.size); got != c.want {
			t.Errorf("gridColumns(%d, %v) = %d, want %d", c.n, c.size, got, c.want)
		}
	}
}

func TestFlatUnitsWarnAsTheActivationWarrants(t *testing.T) {
	test.NewTempApp(t)
	v := New(widgets.NewKit(widgets.NoKeys{}))
	for _, c := range []struct {
		act  engine.Activation
		flat float64
		warn bool
	}{
		{engine.ReLU, 0.5, false},
		{engine.ReLU, 0.85, false},
		{engine.ReLU, 0.95, true},
		{engine.Sigmoid, 0.4, false},
		{engine.Sigmoid, 0.6, true},
		{engine.Tanh, 0.6, true},
		{engine.Identity, 0.6, false},
	} {
		// Equal gradients, so that only the flat units can warn.
		s := &engine.Snapshot{State: engine.Running, Step: 5, Layers: []engine.LayerStats{
			{In: 784, Out: 8, Act: c.act, GradNorm: 1, Saturated: c.flat},
			{In: 8, Out: 10, Act: engine.Identity, GradNorm: 1},
		}}
		v.Update(workspace(t, s))
		got := v.Cells[0].Stats.Importance == widget.WarningImportance
		if got != c.warn {
			t.Errorf("%s with %.0f%% flat units: warning %v, want %v (%q)", c.act, 100*c.flat, got, c.warn, v.Cells[0].Stats.Text)
		}
		word := "saturated"
		switch {
		case c.act == engine.ReLU && c.warn:
			word = "nearly all off"
		case c.act == engine.ReLU:
			word = "off"
		}
		if !strings.Contains(v.Cells[0].Stats.Text, word) {
			t.Errorf("%s caption %q does not say %q", c.act, v.Cells[0].Stats.Text, word)
		}
	}
}

func TestLayerStatisticsWaitForAGradient(t *testing.T) {
	test.NewTempApp(t)
	v := New(widgets.NewKit(widgets.NoKeys{}))
	ws := workspace(t, nil)
	layers := func(grad float64) []engine.LayerStats {
		return []engine.LayerStats{
			{In: 784, Out: 8, Act: engine.ReLU, GradNorm: grad, Saturated: 0.44, ActMean: 0.3, ActStd: 0.2},
			{In: 8, Out: 10, Act: engine.Identity, GradNorm: grad},
		}
	}
	ws.Last = &engine.Snapshot{State: engine.Done, Step: 24, Layers: layers(0.5)}
	v.Update(ws)
	want := v.Cells[0].Stats.Text
	if !strings.Contains(want, "off 44%") {
		t.Fatalf("statistics of a trained step = %q, want them shown", want)
	}
	// A continued session's first snapshot, at the same step, has no
	// gradient yet.
	ws.Last = &engine.Snapshot{State: engine.Paused, Step: 24, Layers: layers(0)}
	v.Update(ws)
	if got := v.Cells[0].Stats.Text; got != want {
		t.Errorf("statistics before the first trained step = %q, want %q kept", got, want)
	}
}
