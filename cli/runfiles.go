package cli

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/internal/atomicfile"
	"github.com/mnistplayground/mnistplayground/internal/textfmt"
	"github.com/mnistplayground/mnistplayground/ui/chart"
)

// runFiles are the files train writes about a run besides the model: the
// run log (--csv) and the loss-and-accuracy chart (--plot). An empty name
// writes no such file.
type runFiles struct {
	csv, plot    string
	plotW, plotH int
}

// defaultPlotSize is --plot-size's default: a 16:10 figure that reads on a
// slide and on a page.
const defaultPlotSize = "1600x1000"

// parseRunFiles reads --csv, --plot and --plot-size, and reports every
// problem: a chart format the extension does not name, a size that cannot
// be drawn, or two outputs that are the same file.
func parseRunFiles(csv, plot, size, out string) (runFiles, []error) {
	rf := runFiles{csv: strings.TrimSpace(csv), plot: strings.TrimSpace(plot)}
	var errs []error
	if rf.plot != "" {
		if _, err := chart.FormatOf(rf.plot); err != nil {
			errs = append(errs, flagError("plot", err))
		}
	}
	w, h, err := parsePlotSize(size)
	if err != nil {
		errs = append(errs, err)
	}
	rf.plotW, rf.plotH = w, h
	named := map[string]string{}
	for _, f := range [][2]string{{"out", out}, {"csv", rf.csv}, {"plot", rf.plot}} {
		if f[1] == "" {
			continue
		}
		p := filepath.Clean(f[1])
		if other, ok := named[p]; ok {
			errs = append(errs, fmt.Errorf("--%s and --%s both name %s: give each its own file", other, f[0], f[1]))
			continue
		}
		named[p] = f[0]
	}
	return rf, errs
}

// parsePlotSize reads WIDTHxHEIGHT in pixels, such as 1920x1080.
func parsePlotSize(s string) (int, int, error) {
	ws, hs, ok := strings.Cut(strings.ToLower(strings.TrimSpace(s)), "x")
	w, werr := strconv.Atoi(ws)
	h, herr := strconv.Atoi(hs)
	if !ok || werr != nil || herr != nil {
		return 0, 0, fmt.Errorf("--plot-size %q is not WIDTHxHEIGHT in pixels, such as %s", s, defaultPlotSize)
	}
	if w < 100 || h < 100 || w > 8000 || h > 8000 {
		return 0, 0, fmt.Errorf("--plot-size %s is out of range: use 100 to 8000 pixels each way", s)
	}
	return w, h, nil
}

// check reports why a run file could not be written, before training
// starts rather than after.
func (rf runFiles) check() error {
	var errs []error
	if rf.csv != "" {
		errs = append(errs, engine.CheckWritePath(rf.csv, "write the run log", "run.csv"))
	}
	if rf.plot != "" {
		errs = append(errs, engine.CheckWritePath(rf.plot, "write the chart", "run.svg"))
	}
	return errors.Join(errs...)
}

// write writes the run files of final, each reported on standard error,
// and reports whether all were written. A run that diverged or was stopped
// gets its files too: its log says how it went. A run stopped before its
// first step has nothing to show, and gets none.
func (rf runFiles) write(e *env, final *engine.Snapshot) bool {
	if final == nil || final.Step == 0 {
		return true
	}
	ok := true
	if rf.csv != "" {
		if err := writeRunLog(rf.csv, final); err != nil {
			e.fail(err)
			ok = false
		} else {
			fmt.Fprintf(e.stderr, "wrote the run log to %s (%s steps, %d test measurements)\n", rf.csv, textfmt.Thousands(final.Step), len(final.Tests))
		}
	}
	if rf.plot != "" {
		c := chart.LossAndAccuracy(final, false)
		if err := chart.ExportFile(rf.plot, c, rf.plotW, rf.plotH, chart.PrintStyle(rf.plotW, rf.plotH)); err != nil {
			e.fail(err)
			ok = false
		} else {
			fmt.Fprintf(e.stderr, "wrote the loss and accuracy chart to %s (%d×%d)\n", rf.plot, rf.plotW, rf.plotH)
		}
	}
	return ok
}

// writeRunLog writes the run log of s to path through a temporary file, so
// that a failed write leaves an earlier file as it was.
func writeRunLog(path string, s *engine.Snapshot) error {
	if err := atomicfile.Write(path, func(w io.Writer) error { return engine.WriteRunLog(w, s) }); err != nil {
		return fmt.Errorf("cannot write the run log to %s: %w", path, err)
	}
	return nil
}
