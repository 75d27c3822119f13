package lessons

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/engine/enginetest"
)

// wantLessons is what each built-in lesson must set up, in menu order: the
// shape, initialisation, loss, batch and schedule of each run, in the
// engine's own notation.
var wantLessons = []struct {
	id   string
	runs []string
}{
	{"chapter-3-network", []string{"784-50(sigmoid)-100(sigmoid)-10 ce xavier adam batch 100 const"}},
	{"step-vs-sigmoid", []string{
		"784-50(step)-10 ce xavier sgd batch 100 const",
		"784-50(sigmoid)-10 ce xavier sgd batch 100 const"}},
	{"vanishing-gradients", []string{
		"784-100(sigmoid)-100(sigmoid)-100(sigmoid)-100(sigmoid)-100(sigmoid)-10 ce xavier sgd batch 100 const",
		"784-100(relu)-100(relu)-100(relu)-100(relu)-100(relu)-10 ce xavier sgd batch 100 const"}},
	{"gear-shifting", []string{
		"784-100(relu)-10 ce he sgd batch 100 const",
		"784-100(relu)-10 ce he sgd batch 100 step:0.3@2"}},
	{"too-high-a-learning-rate", []string{
		"784-100(relu)-10 ce he sgd batch 100 const",
		"784-100(relu)-10 ce he sgd batch 100 const"}},
	{"mse-vs-cross-entropy", []string{
		"784-100(relu)-10 mse he sgd batch 100 const",
		"784-100(relu)-10 ce he sgd batch 100 const"}},
	{"batch-size", []string{
		"784-100(relu)-10 ce he sgd batch 10 const",
		"784-100(relu)-10 ce he sgd batch 1000 const"}},
	{"initialisation", []string{
		"784-100(relu)-100(relu)-100(relu)-100(relu)-100(relu)-10 ce normal:0.01 sgd batch 100 const",
		"784-100(relu)-100(relu)-100(relu)-100(relu)-100(relu)-10 ce xavier sgd batch 100 const",
		"784-100(relu)-100(relu)-100(relu)-100(relu)-100(relu)-10 ce he sgd batch 100 const"}},
}

func describe(c engine.TrainConfig) string {
	return fmt.Sprintf("%s %s %s batch %d %s", c.Arch, c.Init, c.Opt, c.Batch, c.Schedule)
}

// sentenceEnd is the end of a sentence: a full stop before a capital, a
// bracket or the end. Decimals such as 0.01 have no space after the point.
var sentenceEnd = regexp.MustCompile(`[.!?](\s+[A-Z(]|$)`)

func TestBuiltinLessons(t *testing.T) {
	t.Parallel()
	ls, errs := Builtin()
	for _, err := range errs {
		t.Errorf("built-in lesson: %v", err)
	}
	if len(ls) != len(wantLessons) {
		t.Fatalf("%d built-in lessons, want %d", len(ls), len(wantLessons))
	}
	for i, want := range wantLessons {
		l := ls[i]
		if l.ID != want.id {
			t.Errorf("lesson %d is %q, want %q", i+1, l.ID, want.id)
			continue
		}
		if !strings.HasPrefix(l.File, "assets/lessons/0") || !strings.HasSuffix(l.File, ".json") {
			t.Errorf("%s: File %q, want its file under assets/lessons", l.ID, l.File)
		}
		if n := len(sentenceEnd.FindAllString(l.Explain, -1)); n < 2 || n > 3 {
			t.Errorf("%s: explain has %d sentences, want 2 or 3:\n%s", l.ID, n, l.Explain)
		}
		if l.Title == "" || l.Watch == "" || l.Chapter == "" || !slices.Contains(Views, l.View) {
			t.Errorf("%s: title %q, watch %q, chapter %q, view %q; want all of them", l.ID, l.Title, l.Watch, l.Chapter, l.View)
		}
		var got []string
		labels := map[string]bool{}
		for _, r := range l.Runs {
			got = append(got, describe(r.Config))
			if err := r.Config.Validate(); err != nil {
				t.Errorf("%s: run %q does not validate: %v", l.ID, r.Label, err)
			}
			if r.Config.Epochs < 1 || r.Config.Epochs > 6 {
				t.Errorf("%s: run %q trains %d epochs, want a short lesson of 1 to 6", l.ID, r.Label, r.Config.Epochs)
			}
			if labels[r.Label] {
				t.Errorf("%s: two runs are labelled %q", l.ID, r.Label)
			}
			labels[r.Label] = true
		}
		if !slices.Equal(got, want.runs) {
			t.Errorf("%s: runs\n%q\nwant\n%q", l.ID, got, want.runs)
		}
		// A race compares one thing: the runs share their seed.
		for _, r := range l.Runs[1:] {
			if r.Config.Seed != l.Runs[0].Config.Seed {
				t.Errorf("%s: run %q has seed %d, the first %d", l.ID, r.Label, r.Config.Seed, l.Runs[0].Config.Seed)
			}
		}
	}
	// Lesson 5 is about a rate too high: ten times the second's.
	lr, _ := ByID(ls, "too-high-a-learning-rate")
	if a, b := lr.Runs[0].Config.LR, lr.Runs[1].Config.LR; a != 10*b {
		t.Errorf("too-high-a-learning-rate: rates %g and %g, want the first ten times the second", a, b)
	}
	if _, ok := ByID(ls, "no-such-lesson"); ok {
		t.Error("ByID found a lesson that does not exist")
	}
}

// tinyData is a small learnable stand-in for MNIST (see enginetest), with
// enough images for three batches of 1,000.
func tinyData(t *testing.T) *engine.MNIST {
	t.Helper()
	return enginetest.MNIST(3000, 100)
}

// TestLessonsStartTraining sets up every run of every built-in lesson as the
// window would and trains it for a few steps: each lesson loads and starts.
func TestLessonsStartTraining(t *testing.T) {
	t.Parallel()
	ls, errs := Builtin()
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	data := tinyData(t)
	for _, l := range ls {
		for i, r := range l.Runs {
			t.Run(fmt.Sprintf("%s/%d", l.ID, i+1), func(t *testing.T) {
				t.Parallel()
				const steps = 3
				s, err := engine.NewSession(r.Config, data, engine.SessionOptions{StartPaused: true})
				if err != nil {
					t.Fatalf("NewSession: %v", err)
				}
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				done := make(chan error, 1)
				go func() { done <- s.Run(ctx) }()
				for range steps {
					s.Step()
				}
				deadline := time.After(10 * time.Second)
				var snap *engine.Snapshot
				for snap == nil || snap.Step < steps {
					select {
					case snap = <-s.Snapshots():
					case <-deadline:
						t.Fatalf("%d steps were not taken within 10 s", steps)
					}
				}
				if len(snap.TrainLoss) != steps || snap.Err != nil {
					t.Fatalf("after %d steps: %d losses, error %v", steps, len(snap.TrainLoss), snap.Err)
				}
				for j, v := range snap.TrainLoss {
					if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
						t.Errorf("step %d: loss %v", j+1, v)
					}
				}
				if got, want := snap.Model.Arch().String(), r.Config.Arch.String(); got != want {
					t.Errorf("the session trains %s, the lesson set up %s", got, want)
				}
				s.Stop()
				select {
				case <-done:
				case <-time.After(10 * time.Second):
					t.Fatal("the session did not stop within 10 s")
				}
			})
		}
	}
}

// good is a valid lesson file with its id and run fields replaceable.
func good(id, run string) string {
	return `{
  "id": "` + id + `",
  "title": "A lesson",
  "watch": "The loss.",
  "explain": "It falls. That is training.",
  "runs": [` + run + `]
}`
}

const goodRun = `{"layers": [16], "act": "relu", "lr": 0.1, "epochs": 1}`

func TestParseMalformed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, data, want string
	}{
		{"empty", "", "the file is empty"},
		{"bad JSON", "{\n  \"id\": \"x\",\n  \"title\": oops\n}", "line 3: invalid character 'o'"},
		{"cut short", `{"id": "x", "title": "y"`, "the file ends inside the lesson"},
		{"unknown field", strings.Replace(good("x", goodRun), `"watch"`, `"wacth"`, 1), `unknown field "wacth": the fields are id, title`},
		{"unknown run field", good("x", `{"layers": [16], "activation": "relu"}`), `unknown field "activation"`},
		{"wrong type", good("x", `{"lr": "fast"}`), `"runs.lr" should be a number, not a JSON string`},
		{"two lessons", good("x", goodRun) + "\n" + good("y", goodRun), "there is more after the lesson's closing brace"},
		{"bad activation", good("x", `{"layers": [16], "act": "rellu"}`), `run 1: act: unknown activation "rellu": use relu, sigmoid, tanh, identity or step`},
		{"bad activation, labelled", good("x", goodRun+`, {"label": "second", "act": "swish"}`), `run 2 (second): act: unknown activation "swish"`},
		{"bad layer", good("x", `{"layers": "100,fifty"}`), `layers: "fifty" is not a whole number of units`},
		{"layers not a list", good("x", `{"layers": {"units": 100}}`), `layers and act take a list such as [100, 50] or a comma-separated string such as "100,50", not {"units": 100}`},
		{"layer not a number", good("x", `{"layers": [[100]]}`), `[100] in a list of layers or activations is neither a name nor a number`},
		{"activation count", good("x", `{"layers": [16, 16, 16], "act": ["relu", "tanh"]}`), "act lists 2 activations for 3 hidden layers"},
		{"bad loss", good("x", `{"loss": "hinge"}`), `loss: unknown loss "hinge"`},
		{"bad init", good("x", `{"init": "zeros"}`), `init: unknown initialisation "zeros"`},
		{"bad opt", good("x", `{"opt": "rmsprop"}`), `opt: unknown optimiser "rmsprop"`},
		{"bad schedule", good("x", `{"schedule": "step:2@1"}`), "schedule: a step schedule's factor must be above 0 and at most 1"},
		{"invalid config", good("x", `{"lr": 1000, "batch": 0}`), "run 1: learning rate 1000 is out of range: use 1e-07 to 100; batch size 0 is out of range"},
		{"too large a layer", good("x", `{"layers": [5000]}`), "run 1: "},
		{"cosine forever", good("x", `{"schedule": "cosine", "epochs": 0}`), "the cosine schedule anneals over the planned epochs"},
		{"no runs", good("x", ""), "a lesson sets up 1 to 3 runs, not 0"},
		{"four runs", good("x", goodRun+","+goodRun+","+goodRun+","+goodRun), "a lesson sets up 1 to 3 runs, not 4"},
		{"bad id", good("Vanishing Gradients", goodRun), `id "Vanishing Gradients" must be lowercase letters and digits joined by hyphens`},
		{"no title", strings.Replace(good("x", goodRun), `"A lesson"`, `"  "`, 1), `"title" is missing`},
		{"bad view", strings.Replace(good("x", goodRun), `"id"`, `"view": "slides", "id"`, 1), `view "slides" is not one of settings, training, layers, flow, weights, confusion, activations, draw, inside`},
	} {
		_, err := Parse("teacher/"+tc.name+".json", []byte(tc.data))
		var fe *FileError
		switch {
		case err == nil:
			t.Errorf("%s: no error", tc.name)
		case !errors.As(err, &fe) || fe.File != "teacher/"+tc.name+".json":
			t.Errorf("%s: error %v does not name the file", tc.name, err)
		case !strings.HasPrefix(err.Error(), "lesson teacher/"+tc.name+".json: ") || !strings.Contains(err.Error(), tc.want):
			t.Errorf("%s: error\n%v\nwant one naming the file and containing\n%s", tc.name, err, tc.want)
		case strings.Contains(err.Error(), "\n"):
			t.Errorf("%s: the error takes more than one line:\n%v", tc.name, err)
		}
	}
}

// TestParseForms checks the two forms of layers and act, and that a field
// left out takes the command line's default.
func TestParseForms(t *testing.T) {
	t.Parallel()
	d := engine.DefaultConfig()
	for _, tc := range []struct {
		run, want string
	}{
		{`{"layers": [100, 50], "act": "relu"}`, "784-100(relu)-50(relu)-10 ce"},
		{`{"layers": "100,50", "act": "relu,step"}`, "784-100(relu)-50(step)-10 ce"},
		{`{"layers": [100, 50], "act": ["tanh", "sigmoid"]}`, "784-100(tanh)-50(sigmoid)-10 ce"},
		{`{"layers": [], "loss": "mse"}`, "784-10 mse"},
		{`{"layers": ""}`, "784-10 ce"},
		{`{}`, d.Arch.String()},
	} {
		l, err := Parse("forms.json", []byte(good("forms", tc.run)))
		if err != nil {
			t.Errorf("%s: %v", tc.run, err)
			continue
		}
		if got := l.Runs[0].Config.Arch.String(); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.run, got, tc.want)
		}
		if l.Runs[0].Label != tc.want {
			t.Errorf("%s: label %q, want the shape %q when none is given", tc.run, l.Runs[0].Label, tc.want)
		}
	}
	l, err := Parse("defaults.json", []byte(good("defaults", `{"label": "mine"}`)))
	if err != nil {
		t.Fatal(err)
	}
	c := l.Runs[0].Config
	if c.LR != d.LR || c.Batch != d.Batch || c.Epochs != d.Epochs || c.Seed != d.Seed || c.Opt != d.Opt || c.Init != d.Init || c.Schedule != d.Schedule {
		t.Errorf("an empty run is %+v, want the defaults %+v", c, d)
	}
	if l.Runs[0].Label != "mine" || l.View != "" || l.Chapter != "" {
		t.Errorf("label %q, view %q, chapter %q", l.Runs[0].Label, l.View, l.Chapter)
	}
	full := `{"label": "all", "layers": [8], "act": "tanh", "loss": "mse", "init": "normal:0.05", "opt": "momentum",
		"lr": 0.02, "schedule": "step:0.5@2", "batch": 32, "epochs": 4, "seed": 9, "weight_decay": 0.001}`
	l, err = Parse("full.json", []byte(good("full", full)))
	if err != nil {
		t.Fatal(err)
	}
	c = l.Runs[0].Config
	if got, want := fmt.Sprintf("%s %s %s %g %s %d %d %d %g", c.Arch, c.Init, c.Opt, c.LR, c.Schedule, c.Batch, c.Epochs, c.Seed, c.WeightDecay),
		"784-8(tanh)-10 mse normal:0.05 momentum 0.02 step:0.5@2 32 4 9 0.001"; got != want {
		t.Errorf("every field: %s, want %s", got, want)
	}
}

// TestLoadSkipsBadFiles loads a folder of good and bad files: the good
// ones load in name order, each bad one is reported by name and skipped,
// and other files are ignored.
func TestLoadSkipsBadFiles(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"02-second.json":     {Data: []byte(good("second", goodRun))},
		"01-first.json":      {Data: []byte(good("first", goodRun))},
		"03-broken.json":     {Data: []byte(`{"id": `)},
		"04-bad-act.json":    {Data: []byte(good("bad-act", `{"act": "sigmoidal"}`))},
		"05-same-id.json":    {Data: []byte(good("first", goodRun))},
		"06-huge.json":       {Data: []byte(good("huge", goodRun) + strings.Repeat(" ", maxFileSize))},
		"README.txt":         {Data: []byte("not a lesson")},
		"drafts/draft.json":  {Data: []byte(good("draft", goodRun))},
		"07-unknown.json":    {Data: []byte(strings.Replace(good("unknown", goodRun), `"title"`, `"tilte"`, 1))},
		"08-invalid.json":    {Data: []byte(good("invalid", `{"epochs": -1}`))},
		"09-also-good.json":  {Data: []byte(good("also-good", goodRun))},
		"10-not-object.json": {Data: []byte(`[1, 2, 3]`)},
	}
	ls, errs := Load(fsys)
	var ids []string
	for _, l := range ls {
		ids = append(ids, l.ID)
	}
	if want := []string{"first", "second", "also-good"}; !slices.Equal(ids, want) {
		t.Errorf("loaded %q, want %q", ids, want)
	}
	wantErrs := []string{
		"lesson 03-broken.json: the file ends inside the lesson",
		`lesson 04-bad-act.json: run 1: act: unknown activation "sigmoidal"`,
		`lesson 05-same-id.json: id "first" is already the id of 01-first.json`,
		"lesson 06-huge.json: it is larger than 64 KB",
		`lesson 07-unknown.json: unknown field "tilte"`,
		"lesson 08-invalid.json: run 1: epochs must be 0 (until stopped) or more, not -1",
		"lesson 10-not-object.json: the file holds a JSON array: a lesson is one JSON object",
	}
	if len(errs) != len(wantErrs) {
		t.Fatalf("%d errors, want %d:\n%v", len(errs), len(wantErrs), errors.Join(errs...))
	}
	for i, err := range errs {
		if !strings.HasPrefix(err.Error(), wantErrs[i]) {
			t.Errorf("error %d:\n%v\nwant it to start\n%s", i+1, err, wantErrs[i])
		}
	}
}

func TestLoadDirAndAll(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A teacher's own lesson, a changed built-in one, and a broken one.
	write("10-mine.json", good("my-lesson", goodRun))
	write("batch-size.json", strings.Replace(good("batch-size", goodRun), "A lesson", "Batch size, my way", 1))
	write("broken.json", "{")

	ls, errs := LoadDir(dir)
	if len(ls) != 2 || len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "lesson "+filepath.Join(dir, "broken.json")+": ") {
		t.Errorf("LoadDir: %d lessons, errors %v; want 2 and one naming the broken file by its path", len(ls), errs)
	}
	if ls, errs := LoadDir(filepath.Join(dir, "missing")); ls != nil || errs != nil {
		t.Errorf("a missing folder: %v, %v; want nothing, and no error", ls, errs)
	}
	if _, errs := LoadDir(filepath.Join(dir, "broken.json")); len(errs) != 1 || !strings.Contains(errs[0].Error(), "is a file, not a folder") {
		t.Errorf("a file for a folder: %v", errs)
	}

	all, errs := LoadAll(dir)
	if len(errs) != 1 {
		t.Errorf("LoadAll: errors %v, want the broken file's alone", errs)
	}
	builtin, _ := Builtin()
	if len(all) != len(builtin)+1 {
		t.Fatalf("LoadAll: %d lessons, want the %d built-in ones and the teacher's", len(all), len(builtin))
	}
	if b, _ := ByID(all, "batch-size"); b.Title != "Batch size, my way" || b.File != filepath.Join(dir, "batch-size.json") {
		t.Errorf("the teacher's batch-size lesson did not replace the built-in one: %q from %s", b.Title, b.File)
	}
	if i := slices.IndexFunc(all, func(l Lesson) bool { return l.ID == "batch-size" }); i != 6 {
		t.Errorf("the replaced lesson is at %d, want the built-in one's place, 6", i)
	}
	if all[len(all)-1].ID != "my-lesson" {
		t.Errorf("the last lesson is %q, want the teacher's own after the built-in ones", all[len(all)-1].ID)
	}
	if only, _ := LoadAll(""); len(only) != len(builtin) {
		t.Errorf("LoadAll(\"\"): %d lessons, want the %d built-in ones", len(only), len(builtin))
	}
	if d, err := UserDir(); err == nil && !strings.HasSuffix(d, filepath.Join("mnist-playground", "lessons")) {
		t.Errorf("UserDir() = %q", d)
	}
}
