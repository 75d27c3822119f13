package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/state"
	"github.com/mnistplayground/mnistplayground/ui/widgets"
)

// openModelDialog asks for a model file: its path typed (Enter opens it),
// or chosen with Browse… in Fyne's file dialog, which starts in the folder
// used last.
func (s *Shell) openModelDialog() {
	s.askPath("Open a model", "Open", "type a path to a .npz file, or Browse…", []string{".npz"}, nil, s.loadModel)
}

// askPath asks for the path of a file to read (exts filter Browse…'s
// list) with a form of its own: a typed path, which Enter takes, or one
// chosen in Fyne's file dialog from the folder used last; extra widgets go
// under the path. then gets the path.
func (s *Shell) askPath(title, verb, hint string, exts []string, extra fyne.CanvasObject, then func(path string)) {
	s.Release()
	if s.ws.Closing {
		return
	}
	path := newFormEntry()
	path.SetPlaceHolder(hint)
	var d *dialog.ConfirmDialog
	browse := widget.NewButtonWithIcon("Browse…", theme.FolderOpenIcon(), func() {
		fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil {
				s.showError("Cannot open the file", err)
				return
			}
			if r == nil {
				return // cancelled
			}
			_ = r.Close() // only the path is needed; the engine opens it itself
			path.SetText(r.URI().Path())
			d.Confirm()
		}, s.win)
		fd.SetFilter(storage.NewExtensionFileFilter(exts))
		setDialogFolder(fd, s.modelFolder())
		fd.Resize(dialogSize(s.win))
		s.present(fd, nil)
	})
	body := fyne.CanvasObject(container.NewBorder(nil, nil, nil, browse, path))
	if extra != nil {
		body = container.NewVBox(body, extra)
	}
	d = dialog.NewCustomConfirm(title, verb, "Cancel", widgets.FixedWidth(s.dialogWidth, body), func(ok bool) {
		if p := strings.TrimSpace(path.Text); ok && p != "" {
			then(expandHome(p))
		}
	}, s.win)
	path.OnSubmitted = func(string) { d.Confirm() }
	path.onEscape = d.Dismiss
	s.dialogs.last = shownDialog{title: title}
	s.present(d, d.Confirm)
	s.win.Canvas().Focus(path)
}

// expandHome reads a leading ~ as the home folder, as a shell does.
func expandHome(path string) string {
	if rest, ok := strings.CutPrefix(path, "~"); ok && (rest == "" || rest[0] == '/') {
		if home, err := os.UserHomeDir(); err == nil {
			return home + rest
		}
	}
	return path
}

// modelFolder is where the file dialogs start: the folder a model was last
// opened from or saved to, else the home folder.
func (s *Shell) modelFolder() string {
	if dir := s.prefs.string(prefFolder); dir != "" {
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			return dir
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		return home
	}
	dir, _ := os.Getwd()
	return dir
}

// setDialogFolder starts a file dialog in dir.
func setDialogFolder(d *dialog.FileDialog, dir string) {
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

// loadModel reads the model file at path in the background and then
// offers it to the window.
func (s *Shell) loadModel(path string) {
	if s.ws.Closing {
		return
	}
	s.life.wg.Go(func() {
		m, err := engine.LoadMNISTModel(s.life.ctx, path)
		s.ui(func() { s.modelLoaded(path, m, err) })
	})
}

// modelLoaded takes a model read from path: a bad file is explained and
// changes nothing; a good one replaces the current network, after asking
// if that network has training no file holds.
func (s *Shell) modelLoaded(path string, m *engine.Model, err error) {
	if err != nil {
		s.showError("Cannot load the model", fmt.Errorf("%w; the current network stays", err))
		return
	}
	s.ask(s.ws.OpenQuestion(path), func() {
		s.remember(path)
		s.ws.Open(path, m)
		s.views.settings.SetNet(s.ws.Net)
		s.refresh()
		s.measureOpened(m)
	})
}

// remember keeps a model file's folder for the next file dialog and puts
// it at the top of File > Recent models.
func (s *Shell) remember(path string) {
	path = s.rememberFolder(path)
	s.prefs.used(path)
	s.win.SetMainMenu(s.mainMenu())
}

// rememberFolder makes path's folder the one the file dialogs start in,
// and returns path made absolute. A file that is not a model (a digit's
// image, an exported chart) stops there: it is no recent model.
func (s *Shell) rememberFolder(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	s.prefs.setString(prefFolder, filepath.Dir(path))
	return path
}

// measureOpened scores an opened model on the test set in the background
// and adds the score to its note, which tells at once whether it is any
// good.
func (s *Shell) measureOpened(m *engine.Model) {
	if s.data == nil || s.ws.Closing {
		return
	}
	test := s.data.Test
	s.life.wg.Go(func() {
		ev := m.Evaluate(test)
		s.ui(func() {
			if s.ws.Measured(m, ev) {
				s.refresh()
			}
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
func (s *Shell) saveModelDialog() {
	if s.ws.Model != nil {
		// The network saved is the one of the moment the user confirms.
		s.saveModelDialogFor(s.ws.Model, s.ws.StartSave)
	}
}

// saveModelDialogFor lets the user choose where to save m, which save
// returns when the user confirms (a kept run's network is not the window's,
// and its save marks nothing saved).
func (s *Shell) saveModelDialogFor(m *engine.Model, save func() state.Save) {
	s.Release()
	if m == nil || s.ws.Closing {
		return
	}
	f := &saveForm{dir: s.dialogs.saveDir, folder: widget.NewLabel(""), name: newFormEntry()}
	if f.dir == "" {
		f.dir = s.modelFolder()
	}
	f.folder.SetText(f.dir)
	f.folder.Truncation = fyne.TextTruncateEllipsis
	f.name.SetText(modelFileName(m))
	f.choose = widget.NewButtonWithIcon("Choose…", theme.FolderOpenIcon(), func() { s.chooseSaveFolder(f) })
	form := widget.NewForm(
		widget.NewFormItem("Folder", container.NewBorder(nil, nil, nil, f.choose, f.folder)),
		widget.NewFormItem("File name or path", f.name),
	)
	f.d = dialog.NewCustomConfirm("Save the model", "Save", "Cancel", widgets.FixedWidth(s.dialogWidth, form), func(ok bool) {
		if s.dialogs.saving == f {
			s.dialogs.saving = nil
		}
		if ok {
			s.saveAs(f.dir, f.name.Text, save)
		}
	}, s.win)
	f.name.OnSubmitted = func(string) { f.d.Confirm() }
	f.name.onEscape = f.d.Dismiss
	s.dialogs.saving = f
	s.dialogs.last = shownDialog{title: "Save the model"}
	s.present(f.d, f.d.Confirm)
	s.win.Canvas().Focus(f.name)
}

// chooseSaveFolder opens Fyne's folder dialog for the Save dialog's folder.
func (s *Shell) chooseSaveFolder(f *saveForm) {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			s.showError("Cannot open the folder", err)
			return
		}
		if u != nil {
			f.dir = u.Path()
			f.folder.SetText(f.dir)
		}
	}, s.win)
	setDialogFolder(d, f.dir)
	d.Resize(dialogSize(s.win))
	s.present(d, nil)
}

// savePath joins the chosen folder and the typed file name, adding .npz
// when the name has no extension. A typed path (~/models/net.npz, or one
// relative to the folder) names its own folder.
func savePath(dir, name string) (string, error) {
	name = expandHome(strings.TrimSpace(name))
	base := filepath.Base(name)
	switch {
	case name == "":
		return "", errors.New("no file name: type one, such as mnist-784-100-10-relu.npz")
	case strings.HasSuffix(name, "/") || base == "." || base == "..":
		return "", fmt.Errorf("%q is not a file name: type one such as model.npz", name)
	}
	if filepath.Ext(base) == "" {
		name += ".npz"
	}
	if filepath.IsAbs(name) {
		return filepath.Clean(name), nil
	}
	return filepath.Join(dir, name), nil
}

// saveAs saves the network the pad answers with now, when the user has
// confirmed the Save dialog, to name in dir; an existing file is replaced
// only when the user agrees.
func (s *Shell) saveAs(dir, name string, saveOf func() state.Save) {
	path, err := savePath(dir, name)
	if err != nil {
		s.showError("Cannot save the model", err)
		return
	}
	s.dialogs.saveDir = filepath.Dir(path)
	save := saveOf()
	if _, err := os.Stat(path); err == nil {
		s.confirm(&state.Question{
			Title: "Replace " + filepath.Base(path) + "?",
			Text:  fmt.Sprintf("%s already exists in %s. Saving replaces it; if the save fails, the old file stays as it was.", filepath.Base(path), dir),
			Yes:   "Replace", No: "Cancel",
		}, func(ok bool) {
			if ok {
				s.saveModel(path, save)
			}
		})
		return
	}
	s.saveModel(path, save)
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

// saveModel writes the network of save to path in the background.
// SaveModel writes a temporary file beside path and renames it over, so a
// save that fails leaves any file that was there untouched.
func (s *Shell) saveModel(path string, save state.Save) {
	if s.ws.Closing {
		return
	}
	s.life.wg.Go(func() {
		err := engine.SaveModel(path, save.Model)
		s.ui(func() {
			if err != nil {
				s.showError("Cannot save the model", fmt.Errorf("%w; no file was changed", err))
				return
			}
			s.remember(path)
			if s.ws.Saved(save, path) {
				s.refresh()
			}
		})
	})
}
