package training

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/chart"
	"github.com/mnistplayground/mnistplayground/ui/state"
	"github.com/mnistplayground/mnistplayground/ui/widgets"
)

// View shows the loss and accuracy charts.
type View struct {
	Loss, Accuracy *widgets.ChartView
	// Rate is the learning-rate track under the loss: the schedule planned
	// and the rate in force, with every change made by hand.
	Rate     *widgets.ChartView
	LogScale *widget.Check
	content  fyne.CanvasObject

	snap *engine.Snapshot
	// runs are the shown kept runs and the current one, to compare; none
	// when no kept run is shown.
	runs []chart.Run
	gen  int
	// series is the loss curve of the current run, kept up to date by the
	// render worker, the only goroutine that touches it: a chart redrawn
	// as a run grows goes over the new steps only.
	series   *chart.LossSeries
	onChange func()
	// plan is the schedule the settings would train with, over trainImages
	// images an epoch, previewed before a run starts.
	plan        engine.TrainConfig
	trainImages int
}

// New builds the view; changed is called when the log scale is toggled, so
// that the charts are drawn again.
func New(kit *widgets.Kit, changed func()) *View {
	v := &View{series: &chart.LossSeries{}, onChange: changed}
	v.Loss = kit.Chart(16, 7)
	v.Accuracy = kit.Chart(16, 6)
	v.Rate = kit.Chart(16, 5)
	v.LogScale = kit.Check("Log scale (Ctrl+L)", func(bool) { v.onChange() })
	title := widgets.Title("Loss and accuracy")
	head := container.NewBorder(nil, nil, title, v.LogScale)
	v.content = container.NewBorder(head, nil, nil, nil, widgets.Above(0.5, v.Loss, widgets.Above(0.36, v.Rate, v.Accuracy)))
	return v
}

// Content is the view's widgets.
func (v *View) Content() fyne.CanvasObject { return v.content }

// SetPresenting gives the charts more room for presentation mode's larger
// text: the rate track and the accuracy need room for their data between
// their headers and axes. The view scrolls where the window is short.
func (v *View) SetPresenting(on bool) {
	loss, rate, acc := float32(7), float32(5), float32(6)
	if on {
		loss, rate, acc = 8, 7, 8
	}
	v.Loss.SetMinLines(loss)
	v.Rate.SetMinLines(rate)
	v.Accuracy.SetMinLines(acc)
}

// SetPlan previews the schedule of cfg, over trainImages images an epoch,
// until a run shows its own.
func (v *View) SetPlan(cfg engine.TrainConfig, trainImages int) {
	v.plan, v.trainImages = cfg, trainImages
}

// ToggleLog switches the loss chart between a log and a linear y axis.
func (v *View) ToggleLog() { v.LogScale.SetChecked(!v.LogScale.Checked) }

// Update takes the workspace's latest run.
func (v *View) Update(ws *state.Workspace) {
	if ws.Gen() != v.gen {
		v.gen = ws.Gen()
		v.series = &chart.LossSeries{}
		v.Loss.Restart()
		v.Accuracy.Restart()
		v.Rate.Restart()
	}
	v.snap = ws.Last
	v.runs = widgets.CompareRuns(ws)
}

// CompareKey is the key of a chart that compares runs.
type CompareKey struct {
	snap *engine.Snapshot
	logY bool
	runs string
}

// comparing returns the runs to compare, the current one last, and their
// key; none when no kept run is shown.
func (v *View) comparing() ([]chart.Run, string) {
	if len(v.runs) == 0 {
		return nil, ""
	}
	// v.runs is made afresh at each Update and never changed in place.
	return v.runs, chart.RunsKey(v.runs)
}

// LossChart is the loss chart as the view shows it, for an export: the
// comparison while kept runs are shown.
func (v *View) LossChart() chart.Chart {
	if runs, _ := v.comparing(); runs != nil {
		return chart.LossRunsChart(runs, v.LogScale.Checked)
	}
	return chart.LossChart(v.snap, v.LogScale.Checked)
}

// AccuracyChart is the accuracy chart as the view shows it, for an export.
func (v *View) AccuracyChart() chart.Chart {
	if runs, _ := v.comparing(); runs != nil {
		return chart.AccuracyRunsChart(runs)
	}
	return chart.AccuracyChart(v.snap)
}

type lossKey struct {
	snap *engine.Snapshot
	logY bool
}

type rateKey struct {
	snap             *engine.Snapshot
	lr               float64
	schedule         engine.Schedule
	epochs, batch, n int
}

// Charts are the view's two charts as they stand.
func (v *View) Charts() []widgets.Spec {
	snap, series, logY := v.snap, v.series, v.LogScale.Checked
	if runs, key := v.comparing(); runs != nil {
		// Kept runs are shown: the loss and accuracy compare them with the
		// current run, on axes that span them all or fit the current run
		// (see state.Workspace.Compared).
		return []widgets.Spec{
			v.Loss.Spec(CompareKey{snap, logY, key}, func(w, h int, st chart.Style) (image.Image, error) {
				return chart.Render(chart.LossRunsChart(runs, logY), w, h, st)
			}),
			v.Accuracy.Spec(CompareKey{snap, false, key}, func(w, h int, st chart.Style) (image.Image, error) {
				return chart.Render(chart.AccuracyRunsChart(runs), w, h, st)
			}),
			v.rateSpec(),
		}
	}
	return []widgets.Spec{
		v.Loss.Spec(lossKey{snap, logY}, func(w, h int, st chart.Style) (image.Image, error) {
			return chart.LossWith(series, snap, w, h, st, logY)
		}),
		v.Accuracy.Spec(snap, func(w, h int, st chart.Style) (image.Image, error) {
			return chart.Accuracy(snap, w, h, st)
		}),
		v.rateSpec(),
	}
}

// rateSpec is the learning-rate track: the run's rate in force over the
// schedule it plans, or before a run the settings' schedule alone.
func (v *View) rateSpec() widgets.Spec {
	snap, plan, n := v.snap, v.plan, v.trainImages
	if snap != nil && snap.Config.Batch > 0 {
		plan = snap.Config
		plan.Epochs = max(snap.PlannedEpochs, snap.Config.Epochs)
	}
	spe := 0
	if n > 0 && plan.Batch > 0 {
		spe = (n + plan.Batch - 1) / plan.Batch
	}
	if snap != nil && snap.StepsPerEpoch > 0 {
		spe = snap.StepsPerEpoch
	}
	key := rateKey{snap: snap, lr: plan.LR, schedule: plan.Schedule, epochs: plan.Epochs, batch: plan.Batch, n: n}
	return v.Rate.Spec(key, func(w, h int, st chart.Style) (image.Image, error) {
		var planned engine.History
		if n > 0 && plan.Batch > 0 && plan.LR > 0 {
			planned = engine.PlannedLR(plan, n, max(w, 2))
		}
		return chart.LRTrack(snap, planned, spe, w, h, st)
	})
}
