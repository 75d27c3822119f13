package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/ui/state"
	"github.com/mnistplayground/mnistplayground/ui/widgets"
)

// toolbar is the row of buttons over the panels and the status line under
// them: the two things that stay on screen at every size.
type toolbar struct {
	start, pause, step, reset, open, save *labelled
	row                                   *fyne.Container
	text                                  *widget.Label
	dot                                   *widgets.StateDot
	status                                fyne.CanvasObject
}

func newToolbar(s *Shell) *toolbar {
	b := func(full, short string, icon fyne.Resource, tapped func()) *labelled {
		return &labelled{b: s.kit.Button(full, icon, tapped), full: full, short: short}
	}
	t := &toolbar{
		start: b("Start (Space)", "Start", theme.MediaPlayIcon(), s.start),
		pause: b("Pause (Space)", "Pause", theme.MediaPauseIcon(), s.togglePause),
		step:  b("Step (S)", "Step", theme.MediaSkipNextIcon(), s.step),
		reset: b("Reset (R)", "Reset", theme.MediaReplayIcon(), s.reset),
		open:  b("Open… (Ctrl+O)", "Open…", theme.FolderOpenIcon(), s.openModelDialog),
		save:  b("Save… (Ctrl+S)", "Save…", theme.DocumentSaveIcon(), s.saveModelDialog),
	}
	t.start.b.Importance = widget.HighImportance
	items := []*labelled{t.start, t.pause, t.step, t.reset, t.open, t.save}
	t.row = newBarRow(items, t.start.b, t.pause.b, t.step.b, t.reset.b, widget.NewSeparator(), t.open.b, t.save.b)
	t.text = widget.NewLabel("")
	t.text.SizeName = theme.SizeNameSubHeadingText
	t.text.Truncation = fyne.TextTruncateEllipsis
	t.dot = widgets.NewStateDot()
	t.status = container.NewBorder(widget.NewSeparator(), nil, container.NewCenter(t.dot), nil, t.text)
	return t
}

// update shows what the buttons can do and the status line.
func (t *toolbar) update(ws *state.Workspace, valid bool) {
	b := ws.Buttons(valid)
	enable(t.start.b, b.Start)
	enable(t.pause.b, b.Pause)
	enable(t.step.b, b.Step)
	enable(t.reset.b, b.Reset)
	enable(t.save.b, b.Save)
	if b.Continue {
		t.start.setLabels("Continue (Space)", "Continue")
	} else {
		t.start.setLabels("Start (Space)", "Start")
	}
	// The icon first: a change of labels lays the row out again, which
	// redraws its buttons.
	if b.Resume {
		t.pause.b.Icon = theme.MediaPlayIcon()
		t.pause.setLabels("Resume (Space)", "Resume")
	} else {
		t.pause.b.Icon = theme.MediaPauseIcon()
		t.pause.setLabels("Pause (Space)", "Pause")
	}
	st := ws.Status(valid)
	if t.text.Text != st.Text {
		t.text.SetText(st.Text)
	}
	t.dot.SetColor(widgets.StateColor(st.State))
}

func enable(w fyne.Disableable, on bool) {
	if on && w.Disabled() {
		w.Enable()
	} else if !on && !w.Disabled() {
		w.Disable()
	}
}
