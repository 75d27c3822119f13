package lessons

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/mnistplayground/mnistplayground/engine"
)

// MaxRuns is how many configurations a lesson may set up: one to watch,
// two to race, three for the chapter-6 comparison of initialisations.
const MaxRuns = 3

// maxFileSize bounds a lesson file: a lesson is a few sentences and a few
// settings, and a folder of teachers' files is no reason to read a video.
const maxFileSize = 64 << 10

// Views are the views a lesson may bring to the front, as the window names
// them.
var Views = []string{"settings", "training", "layers", "flow", "weights", "confusion", "activations", "draw", "inside"}

// Lesson is one guided experiment: the settings to train, what to watch
// while they train, and what the audience should see and why.
type Lesson struct {
	ID      string // unique, lowercase: "vanishing-gradients"
	Title   string // the menu's entry: "Vanishing gradients: five sigmoid layers against five ReLU layers"
	Chapter string // where the book treats it: "6.2"; may be empty
	Watch   string // what to look at while it trains
	Explain string // what the audience should see and why, in two or three sentences
	View    string // the view to bring to the front, one of Views; empty for the window's choice
	Runs    []Run  // one to MaxRuns configurations, the first the one to show alone
	File    string // where the lesson was read from, for messages
}

// Run is one configuration of a lesson.
type Run struct {
	Label  string // what a legend calls it: "sigmoid ×5"
	Config engine.TrainConfig
}

// FileError is a lesson file that could not be used, and why.
type FileError struct {
	File string // the file, as Lesson.File names it
	Err  error
}

// Error names the file and says what is wrong with it.
func (e *FileError) Error() string { return "lesson " + e.File + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *FileError) Unwrap() error { return e.Err }

// lessonFile is a lesson file as written.
type lessonFile struct {
	ID      string    `json:"id"`
	Title   string    `json:"title"`
	Chapter string    `json:"chapter"`
	Watch   string    `json:"watch"`
	Explain string    `json:"explain"`
	View    string    `json:"view"`
	Runs    []runFile `json:"runs"`
}

// runFile is one configuration as written: the train command's flags,
// under the same names and in the same forms. A field left out takes the
// flag's default (engine.DefaultConfig), as on the command line.
type runFile struct {
	Label       string   `json:"label"`
	Layers      *list    `json:"layers"` // [100, 50] or "100,50"; [] or "" for none
	Act         *list    `json:"act"`    // "relu" for all, or one per layer: ["relu", "step"] or "relu,step"
	Loss        *string  `json:"loss"`
	Init        *string  `json:"init"`
	Opt         *string  `json:"opt"`
	LR          *float64 `json:"lr"`
	Schedule    *string  `json:"schedule"`
	Batch       *int     `json:"batch"`
	Epochs      *int     `json:"epochs"`
	Seed        *uint64  `json:"seed"`
	WeightDecay *float64 `json:"weight_decay"`
}

// list is a comma-separated string, as a flag takes it, or a JSON array of
// strings or numbers.
type list []string

// UnmarshalJSON reads either form.
func (l *list) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*l = nil
		if strings.TrimSpace(s) != "" {
			for _, p := range strings.Split(s, ",") {
				*l = append(*l, strings.TrimSpace(p))
			}
		}
		*l = append(list{}, *l...) // non-nil: present, if empty
		return nil
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("layers and act take a list such as [100, 50] or a comma-separated string such as \"100,50\", not %s", b)
	}
	*l = list{}
	for _, r := range raw {
		var s string
		if err := json.Unmarshal(r, &s); err == nil {
			*l = append(*l, strings.TrimSpace(s))
			continue
		}
		var n json.Number
		if err := json.Unmarshal(r, &n); err != nil {
			return fmt.Errorf("%s in a list of layers or activations is neither a name nor a number", r)
		}
		*l = append(*l, n.String())
	}
	return nil
}

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Parse reads one lesson file's contents; name is where it came from, for
// messages. The file must be one JSON object with only the documented
// fields; each run is read with the engine's parsers and checked with
// TrainConfig.Validate, so a lesson that loads is one that trains.
func Parse(name string, data []byte) (Lesson, error) {
	l, err := parse(name, data)
	if err != nil {
		return Lesson{}, &FileError{File: name, Err: err}
	}
	return l, nil
}

func parse(name string, data []byte) (Lesson, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	var f lessonFile
	if err := d.Decode(&f); err != nil {
		return Lesson{}, jsonError(data, err)
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return Lesson{}, errors.New("there is more after the lesson's closing brace: a file holds one lesson")
	}
	var errs []error
	if !idPattern.MatchString(f.ID) {
		errs = append(errs, fmt.Errorf("id %q must be lowercase letters and digits joined by hyphens, such as \"vanishing-gradients\"", f.ID))
	}
	for _, field := range []struct{ name, value string }{{"title", f.Title}, {"watch", f.Watch}, {"explain", f.Explain}} {
		if strings.TrimSpace(field.value) == "" {
			errs = append(errs, fmt.Errorf("%q is missing: every lesson needs a title, what to watch (watch) and what it shows (explain)", field.name))
		}
	}
	if f.View != "" && !slices.Contains(Views, f.View) {
		errs = append(errs, fmt.Errorf("view %q is not one of %s", f.View, strings.Join(Views, ", ")))
	}
	if len(f.Runs) == 0 || len(f.Runs) > MaxRuns {
		errs = append(errs, fmt.Errorf("a lesson sets up 1 to %d runs, not %d", MaxRuns, len(f.Runs)))
	}
	l := Lesson{
		ID: f.ID, Title: strings.TrimSpace(f.Title), Chapter: strings.TrimSpace(f.Chapter),
		Watch: strings.TrimSpace(f.Watch), Explain: strings.TrimSpace(f.Explain), View: f.View, File: name,
	}
	for i, r := range f.Runs {
		cfg, err := r.config()
		if err != nil {
			what := fmt.Sprintf("run %d", i+1)
			if r.Label != "" {
				what += fmt.Sprintf(" (%s)", r.Label)
			}
			// Validate joins its problems with newlines; a message about a
			// file reads better on one line.
			errs = append(errs, fmt.Errorf("%s: %s", what, strings.ReplaceAll(err.Error(), "\n", "; ")))
			continue
		}
		label := strings.TrimSpace(r.Label)
		if label == "" {
			label = cfg.Arch.String()
		}
		l.Runs = append(l.Runs, Run{Label: label, Config: cfg})
	}
	if err := errors.Join(errs...); err != nil {
		return Lesson{}, errors.New(strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	return l, nil
}

// jsonError says where in the file a JSON error is, as line and column.
func jsonError(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	off := int64(-1)
	switch {
	case errors.As(err, &syn):
		off = syn.Offset
	case errors.As(err, &typ):
		off = typ.Offset
		if typ.Field != "" {
			return fmt.Errorf("line %d: %q should be %s, not a JSON %s", lineOf(data, off), typ.Field, kindName(typ.Type.String()), typ.Value)
		}
		return fmt.Errorf("the file holds a JSON %s: a lesson is one JSON object, {…}", typ.Value)
	case errors.Is(err, io.EOF):
		return errors.New("the file is empty: a lesson is one JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("the file ends inside the lesson: a closing brace or quote is missing")
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if strings.HasPrefix(msg, "unknown field") {
		return fmt.Errorf("%s: the fields are id, title, chapter, watch, explain, view and runs; a run's are label, layers, act, loss, init, opt, lr, schedule, batch, epochs, seed and weight_decay", msg)
	}
	if off >= 0 {
		return fmt.Errorf("line %d: %s", lineOf(data, off), msg)
	}
	return errors.New(msg)
}

func lineOf(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return 1 + bytes.Count(data[:off], []byte("\n"))
}

// kindName names a Go type the way a lesson's author thinks of it.
func kindName(t string) string {
	switch {
	case strings.Contains(t, "int"), strings.Contains(t, "float"):
		return "a number"
	case strings.Contains(t, "string"):
		return "a string"
	case strings.Contains(t, "[]"):
		return "a list"
	}
	return t
}

// config turns a run as written into a training configuration, starting
// from the command line's defaults.
func (r runFile) config() (engine.TrainConfig, error) {
	cfg := engine.DefaultConfig()
	var errs []error
	hidden := cfg.Arch.Hidden
	if r.Layers != nil {
		hidden = make([]int, len(*r.Layers))
		for i, s := range *r.Layers {
			n, err := strconv.Atoi(s)
			if err != nil {
				errs = append(errs, fmt.Errorf("layers: %q is not a whole number of units", s))
			}
			hidden[i] = n
		}
	}
	acts := cfg.Arch.Acts
	if r.Act != nil {
		acts = nil
		for _, s := range *r.Act {
			a, err := engine.ParseActivation(s)
			if err != nil {
				errs = append(errs, fmt.Errorf("act: %w", err))
			}
			acts = append(acts, a)
		}
	}
	switch {
	case len(acts) == len(hidden):
	case len(acts) == 1:
		one := acts[0]
		acts = make([]engine.Activation, len(hidden))
		for i := range acts {
			acts[i] = one
		}
	default:
		errs = append(errs, fmt.Errorf("act lists %d activations for %d hidden layers: give one for all of them or one per layer", len(acts), len(hidden)))
	}
	loss := cfg.Arch.Loss
	if r.Loss != nil {
		l, err := engine.ParseLoss(*r.Loss)
		if err != nil {
			errs = append(errs, fmt.Errorf("loss: %w", err))
		}
		loss = l
	}
	cfg.Arch = engine.MNISTArch(hidden, acts, loss)
	if r.Init != nil {
		in, err := engine.ParseInit(*r.Init)
		if err != nil {
			errs = append(errs, fmt.Errorf("init: %w", err))
		}
		cfg.Init = in
	}
	if r.Opt != nil {
		o, err := engine.ParseOptimizer(*r.Opt)
		if err != nil {
			errs = append(errs, fmt.Errorf("opt: %w", err))
		}
		cfg.Opt = o
	}
	if r.Schedule != nil {
		s, err := engine.ParseSchedule(*r.Schedule)
		if err != nil {
			errs = append(errs, fmt.Errorf("schedule: %w", err))
		}
		cfg.Schedule = s
	}
	if r.LR != nil {
		cfg.LR = *r.LR
	}
	if r.Batch != nil {
		cfg.Batch = *r.Batch
	}
	if r.Epochs != nil {
		cfg.Epochs = *r.Epochs
	}
	if r.Seed != nil {
		cfg.Seed = *r.Seed
	}
	if r.WeightDecay != nil {
		cfg.WeightDecay = *r.WeightDecay
	}
	if len(errs) > 0 {
		return cfg, errors.Join(errs...)
	}
	return cfg, cfg.Validate()
}
