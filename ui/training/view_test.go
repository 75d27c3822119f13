package training

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/chart"
	"github.com/mnistplayground/mnistplayground/ui/state"
	"github.com/mnistplayground/mnistplayground/ui/widgets"
)

func TestChartsFollowTheRunAndTheLogScale(t *testing.T) {
	test.NewTempApp(t)
	changed := 0
	v := New(widgets.NewKit(widgets.NoKeys{}), func() { changed++ })
	ws, err := state.New(state.NetOf(engine.DefaultConfig()))
	if err != nil {
		t.Fatal(err)
	}
	v.Update(ws)
	before := v.Charts()
	if len(before) != 3 || before[0].Target != v.Loss || before[1].Target != v.Accuracy || before[2].Target != v.Rate {
		t.Fatalf("specs %+v, want the loss and the accuracy chart", before)
	}
	ws.Last = &engine.Snapshot{Step: 3, TrainLoss: []float32{2.3, 2.1, 1.9}}
	v.Update(ws)
	after := v.Charts()
	if after[0].Key == before[0].Key || after[1].Key == before[1].Key {
		t.Error("a new snapshot did not change the charts' keys")
	}
	// Before a run, the rate track previews the settings' schedule.
	cfg := engine.DefaultConfig()
	cfg.Schedule = engine.Schedule{Kind: engine.StepDecay, Factor: 0.5, Every: 2}
	v.SetPlan(cfg, 60000)
	if v.Charts()[2].Key == after[2].Key {
		t.Error("a new plan did not change the rate track")
	}
	if img, err := v.Charts()[2].Draw(300, 100, chart.DarkStyle()); err != nil || img == nil {
		t.Fatalf("drawing the rate track: %v", err)
	}
	v.ToggleLog()
	if changed != 1 || !v.LogScale.Checked {
		t.Fatalf("log scale %v, %d changes after Ctrl+L", v.LogScale.Checked, changed)
	}
	if v.Charts()[0].Key == after[0].Key {
		t.Error("the log scale did not change the loss chart's key")
	}
	img, err := after[0].Draw(200, 120, chart.DarkStyle())
	if err != nil || img.Bounds().Dx() != 200 {
		t.Fatalf("drawing the loss spec: %v, %v", img, err)
	}
	// A new run restarts the charts: images drawn for the old one are
	// dropped.
	old := after[0].Gen
	if err := ws.Replace(ws.Net); err != nil {
		t.Fatal(err)
	}
	v.Update(ws)
	if v.Charts()[0].Gen == old {
		t.Error("a new network kept the old charts' generation")
	}
}
