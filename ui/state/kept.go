package state

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/internal/textfmt"
)

// MaxKept is how many ended runs the workspace keeps for comparison: enough
// for a lecture's experiments, few enough that their models (up to 25 MB
// each at the widest) stay within a laptop's memory.
const MaxKept = 12

// KeptRun is a run that has ended (finished, stopped, diverged, or
// discarded by a change of settings) with its final snapshot: its settings,
// its curves and its model.
type KeptRun struct {
	Name  string
	Final *engine.Snapshot
	// Shown runs are drawn with the current one in the charts that
	// compare runs (see Compared).
	Shown bool
	// Pinned runs are never dropped to make room.
	Pinned bool
	// ID tells the kept runs apart: a racing run's snapshot changes as it
	// trains, its ID does not.
	ID int
	// racing is the session of a run that races the current one and has
	// not ended yet; its snapshot is the latest it published.
	racing *Run
}

// Racing reports whether the run is still training in a race with the
// current one.
func (k KeptRun) Racing() bool { return k.racing != nil }

// keep adds the final snapshot of a run that trained at least one step,
// dropping the oldest beyond MaxKept. A run that continues a kept one
// replaces it, since its history includes the older one's.
func (w *Workspace) keep(final *engine.Snapshot) {
	if final == nil || final.Step == 0 {
		return
	}
	if n := len(w.Kept); n > 0 && w.Kept[n-1].Final.Step <= final.Step && continues(final, w.Kept[n-1].Final) {
		w.Kept[n-1].Final = final
		return
	}
	var prev *engine.Snapshot
	if n := len(w.Kept); n > 0 {
		prev = w.Kept[n-1].Final
	}
	// A new run is shown beside the next, as a lecture compares each
	// experiment with the last.
	name := runName(final.Config, prev)
	if w.raceName != "" {
		name = w.raceName // the current run of a race keeps its name
	}
	w.add(KeptRun{Name: name, Final: final, Shown: true})
}

// add keeps k with an ID of its own, dropping the oldest beyond MaxKept
// that is neither pinned nor racing.
func (w *Workspace) add(k KeptRun) {
	w.keptID++
	k.ID = w.keptID
	w.Kept = append(w.Kept, k)
	for i := 0; len(w.Kept) > MaxKept && i < len(w.Kept); {
		if w.Kept[i].Pinned || w.Kept[i].Racing() {
			i++
			continue
		}
		w.Kept = slices.Delete(w.Kept, i, i+1) // the oldest unpinned goes
	}
}

// ShownRuns are the indices of the kept runs to draw over the current one,
// oldest first.
func (w *Workspace) ShownRuns() []int {
	var out []int
	for i, k := range w.Kept {
		if k.Shown {
			out = append(out, i)
		}
	}
	return out
}

// Rename names kept run i.
func (w *Workspace) Rename(i int, name string) {
	if i >= 0 && i < len(w.Kept) && strings.TrimSpace(name) != "" {
		w.Kept[i].Name = strings.TrimSpace(name)
	}
}

// Restore makes kept run i's network the window's again, as the run left
// it: the pad answers with it, Start continues it, and the run that was
// current is kept in its place.
func (w *Workspace) Restore(i int) {
	if i < 0 || i >= len(w.Kept) {
		return
	}
	k := w.Kept[i]
	if k.Racing() {
		return // it is still training: its network changes at every step
	}
	w.StopRun()
	// StopRun may have kept the current run, which moved nothing before i.
	w.Net = NetOf(k.Final.Config)
	w.setModel(k.Final.Model, Trained, "")
	w.newLineage(-1)
	w.gen++
	w.Run = &Run{Ended: true, Cancel: func() {}}
	w.Last = k.Final
	w.Message = "Brought back " + k.Name
}

// continues reports whether run a carries run b on: a continued session
// keeps the older one's losses as the start of its own.
func continues(a, b *engine.Snapshot) bool {
	return len(b.TrainLoss) > 0 && len(a.TrainLoss) >= len(b.TrainLoss) && &a.TrainLoss[0] == &b.TrainLoss[0]
}

// runName names a run by what differs from the run before it ("sigmoid,
// lr 0.1"), or by its shape and rate when it is the first.
func runName(c engine.TrainConfig, prev *engine.Snapshot) string {
	var parts []string
	if prev == nil || !slices.Equal(prev.Config.Arch.Hidden, c.Arch.Hidden) || !slices.Equal(prev.Config.Arch.Acts, c.Arch.Acts) {
		parts = append(parts, layersName(c.Arch))
	}
	if prev != nil && prev.Config.Arch.Loss != c.Arch.Loss {
		parts = append(parts, c.Arch.Loss.String())
	}
	if prev != nil && prev.Config.Init != c.Init {
		parts = append(parts, c.Init.String())
	}
	if prev != nil && prev.Config.Opt.Kind != c.Opt.Kind {
		parts = append(parts, c.Opt.String())
	}
	if prev == nil || prev.Config.LR != c.LR || len(parts) == 0 {
		parts = append(parts, "lr "+textfmt.LR(c.LR))
	}
	if prev != nil && prev.Config.Batch != c.Batch {
		parts = append(parts, fmt.Sprintf("batch %d", c.Batch))
	}
	return strings.Join(parts, ", ")
}

// layersName writes the hidden layers briefly: "relu 100", "sigmoid ×5",
// "no hidden layer".
func layersName(a engine.Architecture) string {
	if len(a.Hidden) == 0 {
		return "no hidden layer"
	}
	same := true
	for i := range a.Hidden {
		same = same && a.Hidden[i] == a.Hidden[0] && a.Acts[i] == a.Acts[0]
	}
	if same && len(a.Hidden) > 1 {
		return fmt.Sprintf("%s %d ×%d", a.Acts[0], a.Hidden[0], len(a.Hidden))
	}
	parts := make([]string, len(a.Hidden))
	for i, h := range a.Hidden {
		parts[i] = fmt.Sprintf("%s %d", a.Acts[i], h)
	}
	return strings.Join(parts, "-")
}
