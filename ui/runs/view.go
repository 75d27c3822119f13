// Package runs is the view of the runs kept so far: each ended run (finished,
// stopped, diverged, or discarded by a change of settings) with its name,
// whether the charts draw it beside the current run, whether it is
// pinned against being dropped, what its network reads on the pad, and
// buttons to bring its network back, save it, or compare it with the
// current network on the pad.
package runs

import (
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/internal/textfmt"
	"github.com/mnistplayground/mnistplayground/ui/chart"
	"github.com/mnistplayground/mnistplayground/ui/state"
	"github.com/mnistplayground/mnistplayground/ui/widgets"
)

// Row is one kept run's line.
type Row struct {
	Shown, Pinned *widget.Check
	Name          *widgets.Field
	Reads         *widget.Label
	Restore, Save *widget.Button
	About         *widget.Label
	// Compare puts the run's network beside the current one on the pad.
	Compare *widget.Button
	final   *engine.Snapshot
	id      int
	read    reading // what Reads says was read
}

// reading is a network's reading of an input.
type reading struct {
	model *engine.Model
	input *float32
}

// View lists the kept runs.
type View struct {
	kit     *widgets.Kit
	Rows    []*Row
	list    *fyne.Container
	empty   *widget.Label
	content fyne.CanvasObject
	ws      *state.Workspace
	input   []float32 // the pad's input, for what each run reads
	request func(ReadJob)

	// OnChanged is called when a run is shown, hidden, renamed or pinned.
	OnChanged func()
	// OnRestore brings run i's network back; OnSave saves it; OnCompare
	// shows what it reads on the pad beside the current network.
	OnRestore, OnSave, OnCompare func(i int)
	// The race buttons: sigmoid against ReLU, and a small learning rate
	// against a large one, each on the settings' network.
	RaceActs, RaceRates *widget.Button
}

// New builds the view.
// raceActs and raceRates start the two races; request hands a ReadJob to
// the goroutine that runs it (nil runs it at once).
func New(kit *widgets.Kit, raceActs, raceRates func(), request func(ReadJob)) *View {
	v := &View{kit: kit, list: container.NewVBox(), request: request}
	v.empty = widgets.Caption("No run has ended yet. Every run that ends (finished, stopped with Reset, diverged, or discarded by a change of settings) is kept here, up to 12, the oldest unpinned going first. Ticked runs are drawn beside the current one in the loss, accuracy and gradient-flow charts, on shared axes unless View > Fixed axes across runs is unticked.")
	v.RaceActs = kit.Button("Race sigmoid vs ReLU", theme.MediaFastForwardIcon(), raceActs)
	v.RaceRates = kit.Button("Race lr ÷100 vs ×30", theme.MediaFastForwardIcon(), raceRates)
	about := widgets.Caption("A race trains two settings in turn, step for step, from the same seed and starting weights, both curves live: the first is the current run, the other is kept here as it trains.")
	title := widgets.Title("Runs")
	races := container.NewVBox(v.RaceActs, v.RaceRates, about, widget.NewSeparator())
	v.content = container.NewBorder(title, nil, nil, nil, container.NewVScroll(container.NewVBox(races, v.empty, v.list)))
	return v
}

// Content is the view's widgets.
func (v *View) Content() fyne.CanvasObject { return v.content }

// Update lists the workspace's kept runs.
func (v *View) Update(ws *state.Workspace) {
	v.ws = ws
	same := len(ws.Kept) == len(v.Rows)
	for i := 0; same && i < len(v.Rows); i++ {
		same = v.Rows[i].id == ws.Kept[i].ID
	}
	if same {
		// A racing run's snapshot moves on as it trains: its line follows.
		for i, r := range v.Rows {
			if k := ws.Kept[i]; r.final != k.Final || k.Racing() != r.Restore.Disabled() {
				r.final = k.Final
				r.About.SetText(summary(k))
				setRacing(r, k.Racing())
			}
		}
		v.reads()
		return
	}
	v.Rows = nil
	v.list.Objects = nil
	for i, k := range ws.Kept {
		v.Rows = append(v.Rows, v.row(i, k))
	}
	v.list.Refresh()
	if len(v.Rows) == 0 {
		v.empty.Show()
	} else {
		v.empty.Hide()
	}
	v.reads()
}

// row makes kept run i's line.
func (v *View) row(i int, k state.KeptRun) *Row {
	r := &Row{final: k.Final, id: k.ID, Reads: widgets.Caption("")}
	// The boxes show the run's state first; only then do they report.
	building := true
	r.Shown = v.kit.Check("show", func(on bool) {
		if !building {
			v.ws.Kept[i].Shown = on
			v.changed()
		}
	})
	r.Shown.SetChecked(k.Shown)
	r.Pinned = v.kit.Check("pin", func(on bool) {
		if !building {
			v.ws.Kept[i].Pinned = on
			v.changed()
		}
	})
	r.Pinned.SetChecked(k.Pinned)
	building = false
	r.Name = v.kit.Field(nil, nil, func() {
		v.ws.Rename(i, r.Name.Text)
		r.Name.SetValue(v.ws.Kept[i].Name)
		v.changed()
	})
	r.Name.SetValue(k.Name)
	r.Restore = v.kit.Button("Use", theme.ViewRefreshIcon(), func() {
		if v.OnRestore != nil {
			v.OnRestore(i)
		}
	})
	r.Save = v.kit.Button("Save…", theme.DocumentSaveIcon(), func() {
		if v.OnSave != nil {
			v.OnSave(i)
		}
	})
	r.Compare = v.kit.Button("Compare on pad", nil, func() {
		if v.OnCompare != nil {
			v.OnCompare(i)
		}
	})
	// The colour every chart draws the run in.
	swatch := canvas.NewRectangle(chart.RunColor(k.ID))
	swatch.SetMinSize(fyne.NewSize(widgets.Ems(1), widgets.Ems(1)))
	// The summary of a deep network is long: it wraps rather than widen
	// the window past a projector's edge.
	r.About = widgets.Caption(summary(k))
	setRacing(r, k.Racing())
	head := container.NewBorder(nil, nil, container.NewHBox(container.NewCenter(swatch), r.Shown, r.Pinned), container.NewHBox(r.Restore, r.Save), r.Name)
	reads := container.NewBorder(nil, nil, nil, r.Compare, r.Reads)
	v.list.Add(container.NewVBox(head, r.About, reads, widget.NewSeparator()))
	return r
}

// setRacing disables bringing back or saving a run that still trains: its
// network changes at every step.
func setRacing(r *Row, racing bool) {
	if racing {
		r.Restore.Disable()
		r.Save.Disable()
	} else {
		r.Restore.Enable()
		r.Save.Enable()
	}
}

// summary says what a run trained and how well.
func summary(k state.KeptRun) string {
	s := k.Final
	text := fmt.Sprintf("%s · %s", s.Config.Arch, state.EpochCount(s))
	if m, ok := s.LastTest(); ok {
		text += fmt.Sprintf(" · %.2f%% right", 100*m.Accuracy)
	}
	switch {
	case s.State == engine.Failed:
		text += " · diverged"
	case k.Racing():
		text += " · racing, step " + textfmt.Thousands(s.Step)
		if s.ImagesPerSec > 0 {
			// Its own steps' speed, to set beside the status line's.
			text += " · " + textfmt.Thousands(int(s.ImagesPerSec)) + " images/s"
		}
	default:
		// The speed over the whole run, pauses excluded: the batch-size
		// lesson compares it once the race is over.
		if r := s.MeanImagesPerSec(); r > 0 {
			text += " · " + textfmt.Thousands(int(r)) + " images/s"
		}
	}
	return text
}

// Show takes the pad's latest answer, so that each run says what its
// network reads there: two networks compared on one drawing.
func (v *View) Show(e *engine.Explanation) {
	switch {
	case e == nil:
		v.input = nil
	case !slices.Equal(e.Input, v.input):
		// Every answer of the pad brings a fresh copy of its input, at
		// every snapshot; the same drawing keeps the slice the runs have
		// read, so that they are not read again.
		v.input = e.Input
	}
	v.reads()
}

// reads asks what each kept run's network reads on the pad, for the runs
// whose network or input changed since they last said: the forward passes
// run off the UI goroutine (see ReadJob), and ShowReadings writes them.
func (v *View) reads() {
	var job ReadJob
	for _, r := range v.Rows {
		m := r.final.Model
		if v.input == nil || m == nil {
			r.Reads.SetText("")
			r.read = reading{}
			continue
		}
		if (reading{m, &v.input[0]}) != r.read {
			job.models = append(job.models, m)
		}
	}
	if len(job.models) == 0 {
		return
	}
	job.input = v.input
	if v.request == nil {
		v.ShowReadings(job.Read())
		return
	}
	v.request(job)
}

// ReadJob asks what some kept runs' networks read on the pad's input. A
// wide network takes milliseconds and up to MaxKept runs may ask at once,
// so the shell runs it on a goroutine of its own.
type ReadJob struct {
	input  []float32
	models []*engine.Model
}

// Readings are a ReadJob's answers, each network's ten probabilities.
type Readings struct {
	input  []float32
	models []*engine.Model
	probs  [][]float32
}

// Read runs each network of the job on its input.
func (j ReadJob) Read() Readings {
	out := Readings{input: j.input, models: j.models}
	for _, m := range j.models {
		out.probs = append(out.probs, m.Predict(j.input))
	}
	return out
}

// ShowReadings writes the answers that are still wanted: of a run's
// current network on the pad's current input. An answer overtaken by a new
// drawing or a racing run's newer network is dropped; its run has asked
// again.
func (v *View) ShowReadings(res Readings) {
	if v.input == nil || len(res.input) == 0 || &res.input[0] != &v.input[0] {
		return
	}
	for k, m := range res.models {
		for _, r := range v.Rows {
			if r.final.Model != m {
				continue
			}
			probs := res.probs[k]
			d := engine.Argmax(probs)
			r.Reads.SetText(fmt.Sprintf("reads the pad as %d (%.1f%%)", d, 100*probs[d]))
			r.read = reading{m, &v.input[0]}
		}
	}
}

func (v *View) changed() {
	if v.OnChanged != nil {
		v.OnChanged()
	}
}
