package state

import "github.com/mnistplayground/mnistplayground/engine"

// Compared is one run of the charts that compare runs: a shown kept run or
// the current one.
type Compared struct {
	Name string
	Snap *engine.Snapshot
	// Kept is the run's index among the kept runs, -1 for the current run.
	Kept int
	// ID is the kept run's ID, which gives it its colour; 0 for the
	// current run.
	ID int
	// Fit says that the charts' axes span this run; one that does not is
	// clipped to them.
	Fit bool
}

// Compared are the runs the loss, accuracy and gradient-flow charts draw,
// the shown kept runs oldest first and the current run last, in front; nil
// when no kept run is shown, and the charts show the current run alone.
//
// With FixedAxes (the default), the axes span every run drawn, so that two
// runs are compared on the same scale. Without it they fit the current run
// alone, and the kept runs are clipped to its axes; with no current run
// they fit the kept ones.
func (w *Workspace) Compared() []Compared {
	shown := w.ShownRuns()
	if len(shown) == 0 {
		return nil
	}
	out := make([]Compared, 0, len(shown)+1)
	for _, i := range shown {
		if w.Kept[i].Final == w.Last && w.Last != nil {
			continue // brought back with Use: it is the current run, drawn in front
		}
		out = append(out, Compared{Name: w.Kept[i].Name, Snap: w.Kept[i].Final, Kept: i, ID: w.Kept[i].ID})
	}
	if len(out) == 0 {
		return nil
	}
	if w.Last != nil {
		out = append(out, Compared{Name: w.CurrentName(), Snap: w.Last, Kept: -1})
	}
	all := w.FixedAxes || w.Last == nil
	for i := range out {
		out[i].Fit = all || out[i].Kept < 0
	}
	return out
}
