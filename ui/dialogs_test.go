package ui

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/state"
)

// loadAndWait loads the model file at path as the Open dialog does and
// waits for the outcome: a dialog, or the model in place.
func (h *harness) loadAndWait(path string) {
	h.t.Helper()
	before := h.p.dialogs.last
	model := h.p.ws.Model
	h.p.loadModel(path)
	h.until("the model file to be read", func() bool {
		return h.p.dialogs.last != before || h.p.ws.Model != model
	})
}

func TestLoadingABadModelKeepsTheCurrentOne(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.npz")
	if err := os.WriteFile(junk, []byte("this is not a zip archive"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A valid model file, but of a network that does not read 28×28 images.
	small, err := engine.NewModel(engine.Architecture{Inputs: 16, Hidden: []int{8}, Acts: []engine.Activation{engine.ReLU}, Outputs: 10}, engine.Init{Kind: engine.InitHe}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	notMNIST := filepath.Join(dir, "small.npz")
	if err := engine.SaveModel(notMNIST, small); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		name, path, want string
	}{
		{"not an archive", junk, "not a model file"},
		{"missing", filepath.Join(dir, "nothing-here.npz"), "no such file"},
		{"not MNIST", notMNIST, "The network in small.npz does not fit MNIST: the model takes 16 inputs"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, Options{Config: smallConfig(0)})
			p := h.p
			test.Tap(p.bar.start.b)
			h.until("training", func() bool { return h.step() > 0 && p.ws.Trained() })
			test.Tap(p.bar.pause.b)
			h.until("the pause", func() bool { return h.state() == engine.Paused })
			model, net, r := p.ws.Model, p.ws.Net, p.ws.Run

			h.loadAndWait(c.path)
			if got, want := p.dialogs.last.title, "Cannot load the model"; got != want {
				t.Fatalf("dialog title = %q, want %q", got, want)
			}
			if !strings.Contains(p.dialogs.last.message, c.want) || !strings.Contains(p.dialogs.last.message, "the current network stays") {
				t.Errorf("dialog message = %q, want it to contain %q and say the network stays", p.dialogs.last.message, c.want)
			}
			if p.ws.Model != model || p.ws.Run != r || !p.ws.Net.Equal(net) || !p.ws.Trained() {
				t.Error("a failed load changed the network or the session")
			}
			if n, err := p.views.settings.Net(); err != nil || !n.Equal(net) {
				t.Errorf("a failed load changed the settings to %+v (%v)", n, err)
			}
		})
	}
}

func TestLoadingAModelSetsTheArchitecture(t *testing.T) {
	arch := engine.MNISTArch([]int{20, 12}, []engine.Activation{engine.Tanh, engine.Sigmoid}, engine.MeanSquared)
	m, err := engine.NewModel(arch, engine.Init{Kind: engine.InitXavier}, rand.New(rand.NewPCG(3, 3)))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "mine.npz")
	if err := engine.SaveModel(path, m); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, Options{})
	p := h.p
	h.loadAndWait(path)
	if p.ws.File != "mine.npz" || !p.ws.Trained() {
		t.Fatalf("loaded = %q, trained = %v; the dialog said %q: %q", p.ws.File, p.ws.Trained(), p.dialogs.last.title, p.dialogs.last.message)
	}
	n, err := p.views.settings.Net()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(n.Hidden, arch.Hidden) || !slices.Equal(n.Acts, arch.Acts) || n.Loss != arch.Loss {
		t.Errorf("settings after loading = %v %v %v, want %v %v %v", n.Hidden, n.Acts, n.Loss, arch.Hidden, arch.Acts, arch.Loss)
	}
	if got, want := len(p.views.layers.Cells), 3; got != want {
		t.Errorf("%d histograms, want one per layer, %d", got, want)
	}
	h.until("the test score of the loaded model", func() bool { return strings.Contains(p.views.draw.Note(), "right)") })
	if !strings.HasPrefix(p.views.draw.Note(), "model (") || !strings.HasSuffix(p.views.draw.Note(), "right): mine.npz") {
		t.Errorf("pad note = %q, want it to name the file", p.views.draw.Note())
	}

	// A session trains on from the loaded weights.
	r := p.begin(true)
	if r == nil {
		t.Fatalf("no session started: %q", p.bar.text.Text)
	}
	first := r.Session.Latest()
	if !sameWeights(first.Model, m) {
		t.Error("the session did not start from the loaded model")
	}
	if got := first.Config.Arch.String(); got != arch.String() {
		t.Errorf("session architecture = %s, want the model's %s", got, arch)
	}
}

func TestLoadingTheBooksModel(t *testing.T) {
	path := filepath.Join("..", "..", "shared", "reference", "book_sample_weight.npz")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("the book's model is not here (%v)", err)
	}
	h := newHarness(t, Options{ModelPath: path})
	p := h.p
	h.until("the model to load", func() bool { return p.ws.File != "" || p.dialogs.last.title != "" })
	n, err := p.views.settings.Net()
	if err != nil {
		t.Fatal(err)
	}
	want := []int{50, 100}
	if !slices.Equal(n.Hidden, want) || !slices.Equal(n.Acts, []engine.Activation{engine.Sigmoid, engine.Sigmoid}) {
		t.Errorf("settings = %v %v, want %v sigmoid", n.Hidden, n.Acts, want)
	}
}

func TestSavingWritesTheModel(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.p
	path := filepath.Join(t.TempDir(), "out.npz")
	p.saveModel(path, p.ws.StartSave())
	h.until("the save", func() bool { return strings.HasPrefix(p.ws.Message, "Saved") || p.dialogs.last.title != "" })
	got, err := engine.LoadModel(path)
	if err != nil {
		t.Fatal(err)
	}
	if !sameWeights(got, p.ws.Model) {
		t.Error("the saved model differs from the window's")
	}

	p.saveModel(filepath.Join(t.TempDir(), "no", "such", "folder", "x.npz"), p.ws.StartSave())
	h.until("the failed save", func() bool { return p.dialogs.last.title != "" })
	if got, want := p.dialogs.last.title, "Cannot save the model"; got != want {
		t.Errorf("dialog title = %q, want %q", got, want)
	}
}

func TestMissingDataIsExplainedAndThePadStillWorks(t *testing.T) {
	h := newHarness(t, Options{LoadData: func() (*engine.MNIST, error) {
		return nil, errors.New("no MNIST files in the module cache")
	}})
	p := h.p
	if got, want := p.dialogs.last.title, "MNIST is not available"; got != want {
		t.Fatalf("dialog title = %q, want %q", got, want)
	}
	if !strings.Contains(p.dialogs.last.message, engine.MNISTDownloadCommand()) || !strings.Contains(p.dialogs.last.message, "--data") {
		t.Errorf("dialog message %q does not say what to run", p.dialogs.last.message)
	}
	if !p.bar.start.b.Disabled() || !p.bar.step.b.Disabled() {
		t.Error("Start or Step is enabled without data")
	}
	if !strings.Contains(p.bar.text.Text, "No MNIST data") {
		t.Errorf("status = %q, want a hint that there is no data", p.bar.text.Text)
	}
	p.start() // Space does nothing harmful
	if p.ws.Run != nil {
		t.Fatal("a session started without data")
	}
	h.drawSeven()
	h.until("a prediction", func() bool { return p.views.draw.HasPrediction() })
	if got, want := p.views.draw.Note(), "untrained network — random guesses"; got != want {
		t.Errorf("pad note = %q, want %q", got, want)
	}
}

func TestSentence(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"training diverged at step 3", "Training diverged at step 3."},
		{"ends already.", "Ends already."},
		{"ünïcode first", "Ünïcode first."},
		{"", ""},
	} {
		if got := sentence(c.in); got != c.want {
			t.Errorf("sentence(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestModelFileName(t *testing.T) {
	t.Parallel()
	m, err := state.NetOf(engine.DefaultConfig()).Untrained()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := modelFileName(m), "mnist-784-100-10-relu.npz"; got != want {
		t.Errorf("modelFileName = %q, want %q", got, want)
	}
}

func TestDialogsAnswerTheKeyboard(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.p
	for _, c := range []struct {
		key    fyne.KeyName
		answer bool
	}{
		{fyne.KeyEscape, false},
		{fyne.KeyReturn, true},
		{fyne.KeyEnter, true},
	} {
		var got []bool
		p.confirm(&state.Question{Title: "A question", Text: "Yes or no?", Yes: "Yes", No: "No"}, func(ok bool) { got = append(got, ok) })
		p.TypedKey(&fyne.KeyEvent{Name: c.key})
		if !slices.Equal(got, []bool{c.answer}) {
			t.Errorf("%s on a question answered %v, want [%v]", c.key, got, c.answer)
		}
		if p.dialogOpen() || len(p.dialogs.open) != 0 {
			t.Errorf("%s left the question open", c.key)
		}
	}
	for _, k := range []fyne.KeyName{fyne.KeyEscape, fyne.KeyReturn} {
		p.showMessage("News", "Something happened.")
		p.TypedKey(&fyne.KeyEvent{Name: k})
		if p.dialogOpen() {
			t.Errorf("%s did not close a message", k)
		}
	}
	// Only the topmost dialog answers.
	var first []bool
	p.confirm(&state.Question{Title: "First", Text: "?", Yes: "Yes", No: "No"}, func(ok bool) { first = append(first, ok) })
	p.showMessage("Second", "On top.")
	p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if len(first) != 0 || !p.dialogOpen() {
		t.Fatalf("Escape reached the dialog under the top one (answers %v)", first)
	}
	p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !slices.Equal(first, []bool{true}) || p.dialogOpen() {
		t.Errorf("Return on the remaining question answered %v", first)
	}
}

func TestSavePath(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("home", "me")
	for _, c := range []struct {
		name, want string
		bad        bool
	}{
		{"model", filepath.Join(dir, "model.npz"), false},
		{" model.npz ", filepath.Join(dir, "model.npz"), false},
		{"net.v2", filepath.Join(dir, "net.v2"), false},
		{"", "", true},
		{"   ", "", true},
		{"sub/model", filepath.Join(dir, "sub", "model.npz"), false},
		{"/tmp/x/net.npz", "/tmp/x/net.npz", false},
		{"sub/", "", true},
		{"..", "", true},
	} {
		got, err := savePath(dir, c.name)
		if (err != nil) != c.bad || got != c.want {
			t.Errorf("savePath(%q) = %q, %v; want %q, error %v", c.name, got, err, c.want, c.bad)
		}
	}
}

func TestSaveDialogKeepsTheOldFileUntilTheNewOneIsWritten(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.p
	dir := t.TempDir()
	old := []byte("the model that was here")
	path := filepath.Join(dir, "mine.npz")
	if err := os.WriteFile(path, old, 0o644); err != nil {
		t.Fatal(err)
	}

	// The file name has the keyboard: Escape there cancels.
	p.saveModelDialog()
	if p.win.Canvas().Focused() != p.dialogs.saving.name {
		t.Fatal("the file name does not have the keyboard")
	}
	p.dialogs.saving.name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if p.dialogOpen() || p.dialogs.saving != nil {
		t.Fatal("Escape in the file name did not cancel the Save dialog")
	}

	p.saveModelDialog()
	f := p.dialogs.saving
	if f == nil {
		t.Fatal("no Save dialog")
	}
	f.dir = dir
	f.name.SetText("mine")
	if got, _ := os.ReadFile(path); !slices.Equal(got, old) {
		t.Fatal("choosing the file changed it before anything was saved")
	}
	// The network to save is the one of the moment the user confirms.
	later, err := state.Net{Hidden: []int{5}, Acts: []engine.Activation{engine.Tanh}, Init: engine.Init{Kind: engine.InitHe}, Seed: 9}.Untrained()
	if err != nil {
		t.Fatal(err)
	}
	p.ws.Model = later
	f.name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Save
	if got, want := p.dialogs.last.title, "Replace mine.npz?"; got != want {
		t.Fatalf("saving over a file: dialog %q, want %q", got, want)
	}
	if got, _ := os.ReadFile(path); !slices.Equal(got, old) {
		t.Fatal("the file changed before the user agreed to replace it")
	}

	// A save that fails keeps the old file.
	broken := later.Clone()
	broken.Layers[0].W = broken.Layers[0].W[:3]
	sv := p.ws.StartSave()
	sv.Model = broken
	p.saveModel(path, sv)
	h.until("the failed save", func() bool { return p.dialogs.last.title == "Cannot save the model" })
	if got, _ := os.ReadFile(path); !slices.Equal(got, old) {
		t.Fatalf("a failed save changed the old file to %d bytes", len(got))
	}
	p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) // the error
	p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Replace
	h.until("the save", func() bool { return strings.HasPrefix(p.ws.Message, "Saved mine.npz") })
	got, err := engine.LoadModel(path)
	if err != nil {
		t.Fatal(err)
	}
	if !sameWeights(got, later) {
		t.Error("the saved network is not the one of the moment Save was confirmed")
	}
}

func TestSavedNoteLastsOnlyWhileTheNetworkIsTheSavedOne(t *testing.T) {
	h := newHarness(t, Options{Config: smallConfig(0)})
	p := h.p
	test.Tap(p.bar.step.b)
	h.until("one step", func() bool { return h.step() == 1 && h.state() == engine.Paused })
	p.saveModel(filepath.Join(t.TempDir(), "paused.npz"), p.ws.StartSave())
	h.until("the save", func() bool { return strings.HasPrefix(p.ws.Message, "Saved") || p.dialogs.last.title != "" })
	if got := p.bar.text.Text; !strings.Contains(got, "Saved paused.npz") {
		t.Fatalf("status after the save = %q, want it to say so", got)
	}
	test.Tap(p.bar.pause.b) // resume
	h.until("training on", func() bool { return h.step() > 1 })
	if got := p.bar.text.Text; strings.Contains(got, "Saved") {
		t.Errorf("status after training on = %q, still claims the save", got)
	}

	// A save that finishes after Reset is about a network that is gone.
	path := filepath.Join(t.TempDir(), "gone.npz")
	p.saveModel(path, p.ws.StartSave())
	p.resetNow()
	h.until("the file", func() bool { _, err := os.Stat(path); return err == nil })
	h.loop.pump(100 * time.Millisecond) // the save's result reaches the window
	if got := p.bar.text.Text; strings.Contains(got, "Saved") {
		t.Errorf("status after Reset and a late save = %q, claims the new network is saved", got)
	}
	if !p.ws.Unsaved() && p.ws.Trained() {
		t.Error("the late save marked the new network as saved")
	}
}

func TestDialogKeysLeaveFynesOwnDialogsAlone(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.p
	var answers []bool
	p.confirm(&state.Question{Title: "Below", Text: "?", Yes: "Yes", No: "No"}, func(ok bool) { answers = append(answers, ok) })
	// A dialog Fyne shows itself, as the folder dialog's "New folder" does.
	own := dialog.NewInformation("Fyne's own", "On top.", p.win)
	own.Show()
	for _, k := range []fyne.KeyName{fyne.KeyEscape, fyne.KeyReturn} {
		p.TypedKey(&fyne.KeyEvent{Name: k})
		if len(answers) != 0 || len(p.dialogs.open) != 1 {
			t.Fatalf("%s under Fyne's own dialog answered the app's dialog beneath: %v", k, answers)
		}
	}
	own.Hide()
	p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if !slices.Equal(answers, []bool{false}) {
		t.Errorf("Escape on the app's dialog, on top again, answered %v, want [false]", answers)
	}
}
