package ui

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/internal/atomicfile"
	"github.com/mnistplayground/mnistplayground/ui/chart"
	"github.com/mnistplayground/mnistplayground/ui/widgets"
)

// exportable is a chart the window can export, drawn again for the file.
type exportable struct {
	name  string
	chart chart.Chart
}

// exportables are the charts of the workspace as the views show them,
// with the kept runs they compare.
func (s *Shell) exportables() []exportable {
	tr, fl := s.views.training, s.views.flow
	out := []exportable{
		{"Loss and accuracy", chart.Stack(tr.LossChart(), tr.AccuracyChart())},
		{"Loss", tr.LossChart()},
		{"Test accuracy", tr.AccuracyChart()},
		{"Gradient flow", fl.GradientChart()},
		{"Dead or saturated outputs", fl.SaturationChart()},
		{"First-layer weights", chart.WeightGridChart(s.ws.Model, -1)},
	}
	if conf, _, _ := s.ws.Confusion(); conf != nil {
		out = append(out, exportable{"Confusion matrix", chart.ConfusionChart(conf, [2]int{-1, -1})})
	}
	return out
}

// exportChartDialog exports a chart as PNG or SVG, at a size for slides,
// drawn again through the chart package (in the print style unless the
// window's is asked for), not copied from the screen.
func (s *Shell) exportChartDialog() {
	s.Release()
	charts := s.exportables()
	names := make([]string, len(charts))
	for i, c := range charts {
		names[i] = c.name
	}
	which := widget.NewSelect(names, nil)
	which.SetSelectedIndex(0)
	size := newFormEntry()
	size.SetText("1920x1080")
	look := widget.NewRadioGroup([]string{"Light, for print", "As the window"}, nil)
	look.Horizontal = true
	look.SetSelected("Light, for print")
	path := newFormEntry()
	path.SetText(filepath.Join(s.modelFolder(), "loss-and-accuracy.png"))
	which.OnChanged = func(name string) {
		dir, ext := filepath.Dir(path.Text), filepath.Ext(path.Text)
		path.SetText(filepath.Join(dir, strings.ReplaceAll(strings.ToLower(name), " ", "-")+ext))
	}
	form := widget.NewForm(
		widget.NewFormItem("Chart", which),
		widget.NewFormItem("Size", size),
		widget.NewFormItem("Look", look),
		widget.NewFormItem("File (.png or .svg)", path),
	)
	var d *dialog.ConfirmDialog
	d = dialog.NewCustomConfirm("Export a chart", "Export", "Cancel", widgets.FixedWidth(s.dialogWidth, form), func(ok bool) {
		if !ok {
			return
		}
		w, h, err := parseSize(size.Text)
		if err != nil {
			s.showError("Cannot export the chart", err)
			return
		}
		st := chart.PrintStyle(w, h)
		if look.Selected == "As the window" {
			st, _ = s.look.current(s.views.training.Loss)
			st.Scale = chart.PrintStyle(w, h).Scale
		}
		c := charts[max(0, which.SelectedIndex())].chart
		s.exportTo(expandHome(strings.TrimSpace(path.Text)), func(p string) error { return chart.ExportFile(p, c, w, h, st) })
	}, s.win)
	path.OnSubmitted = func(string) { d.Confirm() }
	path.onEscape = d.Dismiss
	size.onEscape = d.Dismiss
	s.dialogs.last = shownDialog{title: "Export a chart"}
	s.present(d, d.Confirm)
}

// exportLogDialog writes the run's per-step losses and per-epoch
// measurements as CSV.
func (s *Shell) exportLogDialog() {
	s.Release()
	if s.ws.Last == nil {
		s.showMessage("No run to export", "Train a network first: the run log holds each step's loss and each epoch's test measurement.")
		return
	}
	snap := s.ws.Last
	path := newFormEntry()
	path.SetText(filepath.Join(s.modelFolder(), "run.csv"))
	var d *dialog.ConfirmDialog
	d = dialog.NewCustomConfirm("Export the run log", "Export", "Cancel",
		widgets.FixedWidth(s.dialogWidth, container.NewVBox(widgets.Caption("One row per step and one per test measurement, with a kind column: see the README."), path)),
		func(ok bool) {
			if ok {
				s.exportTo(expandHome(strings.TrimSpace(path.Text)), func(p string) error {
					return atomicfile.Write(p, func(w io.Writer) error { return engine.WriteRunLog(w, snap) })
				})
			}
		}, s.win)
	path.OnSubmitted = func(string) { d.Confirm() }
	path.onEscape = d.Dismiss
	s.dialogs.last = shownDialog{title: "Export the run log"}
	s.present(d, d.Confirm)
}

// exportTo writes a file in the background and says how it went.
func (s *Shell) exportTo(path string, write func(string) error) {
	if path == "" {
		s.showError("Cannot export", fmt.Errorf("no file named: type a path"))
		return
	}
	s.life.wg.Go(func() {
		err := write(path)
		s.ui(func() {
			if err != nil {
				s.showError("Cannot export", fmt.Errorf("%w; no file was changed", err))
				return
			}
			s.rememberFolder(path)
			s.ws.Message = "Exported " + filepath.Base(path)
			s.refresh()
		})
	})
}

// parseSize reads "1920x1080".
func parseSize(text string) (int, int, error) {
	a, b, ok := strings.Cut(strings.ToLower(strings.TrimSpace(text)), "x")
	w, errW := strconv.Atoi(strings.TrimSpace(a))
	h, errH := strconv.Atoi(strings.TrimSpace(b))
	if !ok || errW != nil || errH != nil || w < 16 || h < 16 || w > 8000 || h > 8000 {
		return 0, 0, fmt.Errorf("%q is not a size: type one such as 1920x1080, each side from 16 to 8000 pixels", text)
	}
	return w, h, nil
}
