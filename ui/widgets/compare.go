package widgets

import (
	"github.com/mnistplayground/mnistplayground/ui/chart"
	"github.com/mnistplayground/mnistplayground/ui/state"
)

// CompareRuns are the workspace's runs to compare (see
// state.Workspace.Compared) as every chart draws them: each kept run in
// chart.RunColor of its ID, the current one in the theme's training
// colour. Nil when no kept run is shown.
func CompareRuns(ws *state.Workspace) []chart.Run {
	var runs []chart.Run
	for _, c := range ws.Compared() {
		r := chart.Run{Name: c.Name, Snap: c.Snap, Fit: c.Fit}
		if c.Kept >= 0 {
			r.Color = chart.RunColor(c.ID)
		}
		runs = append(runs, r)
	}
	return runs
}
