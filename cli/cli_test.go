package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/mnistplayground/mnistplayground/engine"
)

// TestCommandLineErrors checks that every kind of bad command line exits
// with the right code and one line per problem on standard error, each
// naming the program, and nothing on standard output. None of them gets as
// far as looking for MNIST.
func TestCommandLineErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		code int
		want []string // one substring per expected line of standard error
	}{
		{"no command", nil, 2, []string{"no command given"}},
		{"unknown command", []string{"fit"}, 2, []string{`unknown command "fit"`}},
		{"help for an unknown command", []string{"help", "fit"}, 2, []string{`unknown command "fit"`}},
		{"help for two commands", []string{"help", "train", "eval"}, 2, []string{"at most one command"}},
		{"layers 0", []string{"train", "--layers", "0"}, 2, []string{`--layers 0: a hidden layer needs 1 to 1024 units; for a network without hidden layers give --layers ""`}},
		{"layers 2000", []string{"train", "--layers", "2000"}, 2, []string{"hidden layer 1 has 2000 units: use 1 to 1024"}},
		{"seven layers", []string{"train", "--layers", "1,2,3,4,5,6,7"}, 2, []string{"7 hidden layers is too many: use 0 to 6"}},
		{"layer size not a number", []string{"train", "--layers", "100,x"}, 2, []string{`--layers "100,x": "x" is not a whole number`}},
		{"empty layer", []string{"train", "--layers", "100,,50"}, 2, []string{`"" is not a whole number`}},
		{"activations for too few layers", []string{"train", "--layers", "10,10", "--act", "relu,tanh,relu"}, 2, []string{"--act lists 3 activations for 2 hidden layers"}},
		{"activations without layers", []string{"train", "--layers", "", "--act", "relu,tanh"}, 2, []string{"--act lists 2 activations for 0 hidden layers"}},
		{"unknown activation", []string{"train", "--act", "swish"}, 2, []string{`--act: unknown activation "swish"`}},
		{"empty activation", []string{"train", "--act", ""}, 2, []string{"--act is empty"}},
		{"negative learning rate", []string{"train", "--lr", "-1"}, 2, []string{"learning rate -1 is out of range"}},
		{"learning rate not a number", []string{"train", "--lr", "abc"}, 2, []string{`--lr "abc" is not a number`}},
		{"learning rate NaN", []string{"train", "--lr", "NaN"}, 2, []string{"learning rate NaN is out of range"}},
		{"step factor above 1", []string{"train", "--schedule", "step:2@1"}, 2, []string{"--schedule: a step schedule's factor must be above 0 and at most 1, not 2"}},
		{"step factor and period both wrong", []string{"train", "--schedule", "step:2@-1"}, 2, []string{"--schedule: a step schedule's factor must be above 0 and at most 1, not 2, and it must shift every 1 or more epochs, not -1"}},
		{"step period 0", []string{"train", "--schedule", "step:0.5@0"}, 2, []string{"--schedule: a step schedule must shift every 1 or more epochs, not 0"}},
		{"unknown schedule", []string{"train", "--schedule", "linear"}, 2, []string{`--schedule: unknown schedule "linear"`}},
		{"batch 0", []string{"train", "--batch", "0"}, 2, []string{"batch size 0 is out of range: use 1 to 60000"}},
		{"batch 1000000", []string{"train", "--batch", "1000000"}, 2, []string{"batch size 1000000 is out of range: use 1 to 60000"}},
		{"batch too large for the network", []string{"train", "--layers", "1024,1024,1024,1024,1024,1024", "--batch", "60000"}, 2, []string{"use a batch of at most 5452 for this network"}},
		{"batch not whole", []string{"train", "--batch", "1.5"}, 2, []string{`--batch "1.5" is not a whole number`}},
		{"negative epochs", []string{"train", "--epochs", "-1"}, 2, []string{"epochs must be 0 (until stopped) or more, not -1"}},
		{"negative seed", []string{"train", "--seed", "-1"}, 2, []string{`--seed "-1" is not a whole number of 0 or more`}},
		{"weight decay 2", []string{"train", "--weight-decay", "2"}, 2, []string{"weight decay must be between 0 and 1, not 2"}},
		{"normal sigma 0", []string{"train", "--init", "normal:0"}, 2, []string{"--init: the initial weights' standard deviation must be above 0"}},
		{"unknown optimiser", []string{"train", "--opt", "rmsprop"}, 2, []string{`--opt: unknown optimiser "rmsprop"`}},
		{"unknown loss", []string{"train", "--loss", "hinge"}, 2, []string{`--loss: unknown loss "hinge"`}},
		{"empty out", []string{"train", "--out", ""}, 2, []string{"--out needs a file name"}},
		{"unknown flag", []string{"train", "--foo"}, 2, []string{"unknown flag --foo (see `mnist-playground help train`)"}},
		{"unknown single-dash flag", []string{"eval", "-x"}, 2, []string{"unknown flag --x"}},
		{"flag without value", []string{"train", "--lr"}, 2, []string{"flag --lr needs a value"}},
		{"bad boolean", []string{"predict", "--json=maybe", "a.png"}, 2, []string{`--json is a switch: give --json alone, --json=true or --json=false, not --json="maybe"`}},
		{"train argument", []string{"train", "extra"}, 2, []string{`train takes no arguments, only flags: "extra" is not a flag`}},
		{"several problems", []string{"train", "--lr", "abc", "--batch", "0", "--opt", "rmsprop", "--layers", "2000"},
			2, []string{"unknown optimiser", `--lr "abc"`, "2000 units", "batch size 0"}},
		{"eval without model", []string{"eval"}, 2, []string{"eval needs the model to measure: --model FILE"}},
		{"eval argument", []string{"eval", "--model", "m.npz", "x"}, 2, []string{`eval takes no arguments`}},
		{"predict without model", []string{"predict", "a.png"}, 2, []string{"predict needs the model to classify with"}},
		{"predict without images", []string{"predict", "--model", "m.npz"}, 2, []string{"predict needs at least one image"}},
		{"eval of a missing model", []string{"eval", "--model", "/nonexistent/m.npz"}, 1, []string{"cannot load the model"}},
		{"predict with a missing model", []string{"predict", "--model", "/nonexistent/m.npz", "a.png"}, 1, []string{"cannot load the model"}},
		{"train into a missing folder", []string{"train", "--out", "/nonexistent/m.npz"}, 1, []string{"cannot save the model to /nonexistent/m.npz: the folder /nonexistent does not exist"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := run(t, tt.args...)
			if r.code != tt.code {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", r.code, tt.code, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
			got := lines(r.stderr)
			if len(got) != len(tt.want) {
				t.Fatalf("stderr has %d lines, want %d:\n%s", len(got), len(tt.want), r.stderr)
			}
			for _, line := range got {
				if !strings.HasPrefix(line, "mnist-playground: ") {
					t.Errorf("stderr line %q lacks the prefix %q", line, "mnist-playground: ")
				}
			}
			for _, w := range tt.want {
				if !slices.ContainsFunc(got, func(l string) bool { return strings.Contains(l, w) }) {
					t.Errorf("no stderr line contains %q:\n%s", w, r.stderr)
				}
			}
		})
	}
}

// TestTrainDataErrors checks the runtime errors of train that come from its
// data, exit code 1.
func TestTrainDataErrors(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing data folder", []string{"--data", "/nonexistent/mnist"}, "the --data folder: /nonexistent/mnist does not exist"},
		{"data folder without MNIST", []string{"--data", t.TempDir()}, "lacks train-images-idx3-ubyte(.gz)"},
		{"out is a folder", []string{"--out", out}, "cannot save the model to " + out + ": it is a folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"train", "--out", out + "/m.npz"}, tt.args...)
			r := run(t, args...)
			if r.code != 1 {
				t.Errorf("exit code = %d, want 1", r.code)
			}
			if got := lines(r.stderr); len(got) != 1 || !strings.Contains(got[0], tt.want) {
				t.Errorf("stderr = %q, want one line containing %q", r.stderr, tt.want)
			}
		})
	}
}

// TestParseTrain checks that good command lines make the configuration they
// say, starting from engine.DefaultConfig.
func TestParseTrain(t *testing.T) {
	t.Parallel()
	arch := func(hidden []int, acts ...engine.Activation) engine.Architecture {
		// parseTrain makes empty slices, never nil ones.
		return engine.MNISTArch(hidden, append([]engine.Activation{}, acts...), engine.CrossEntropy)
	}
	tests := []struct {
		name string
		args []string
		edit func(c *engine.TrainConfig)
		out  string
		json bool
		data string
	}{
		{"defaults", nil, func(*engine.TrainConfig) {}, "model.npz", false, ""},
		{"no hidden layer", []string{"--layers", ""}, func(c *engine.TrainConfig) { c.Arch = arch([]int{}) }, "model.npz", false, ""},
		{"blank layers", []string{"--layers", "  ", "--act", ""}, func(c *engine.TrainConfig) { c.Arch = arch([]int{}) }, "model.npz", false, ""},
		{"one activation for all", []string{"--layers", "100, 50", "--act", "Tanh"},
			func(c *engine.TrainConfig) { c.Arch = arch([]int{100, 50}, engine.Tanh, engine.Tanh) }, "model.npz", false, ""},
		{"one activation per layer", []string{"--layers=300,100,10", "--act=relu,sigmoid,step"},
			func(c *engine.TrainConfig) {
				c.Arch = arch([]int{300, 100, 10}, engine.ReLU, engine.Sigmoid, engine.Step)
			}, "model.npz", false, ""},
		{"everything", []string{"-loss", "mse", "--init", "normal:0.05", "--opt", "adam", "--lr", "1e-3",
			"--schedule", "step:0.5@3", "--batch", "32", "--epochs", "0", "--seed", "42", "--weight-decay", "0.0001",
			"--data", "/d", "--out", "x/y.npz", "--json"},
			func(c *engine.TrainConfig) {
				c.Arch.Loss = engine.MeanSquared
				c.Init = engine.Init{Kind: engine.InitNormal, Sigma: 0.05}
				c.Opt = engine.Optimizer{Kind: engine.Adam, Beta1: 0.9, Beta2: 0.999, Eps: 1e-7}
				c.LR = 0.001
				c.Schedule = engine.Schedule{Kind: engine.StepDecay, Factor: 0.5, Every: 3}
				c.Batch, c.Epochs, c.Seed, c.WeightDecay = 32, 0, 42, 0.0001
			}, "x/y.npz", true, "/d"},
		{"momentum and cosine", []string{"--opt", "momentum", "--schedule", "cosine", "--init", "xavier"},
			func(c *engine.TrainConfig) {
				c.Opt = engine.Optimizer{Kind: engine.Momentum, Momentum: 0.9}
				c.Schedule = engine.Schedule{Kind: engine.Cosine}
				c.Init = engine.Init{Kind: engine.InitXavier}
			}, "model.npz", false, ""},
		{"largest network", []string{"--layers", "1024,1024,1024,1024,1024,1024", "--lr", "100", "--batch", "5452"},
			func(c *engine.TrainConfig) {
				c.Arch = arch([]int{1024, 1024, 1024, 1024, 1024, 1024}, engine.ReLU, engine.ReLU, engine.ReLU, engine.ReLU, engine.ReLU, engine.ReLU)
				c.LR, c.Batch = 100, 5452
			}, "model.npz", false, ""},
		{"largest batch", []string{"--batch", "60000"},
			func(c *engine.TrainConfig) { c.Batch = 60000 }, "model.npz", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseTrain(tt.args)
			if err != nil {
				t.Fatalf("parseTrain(%q): %v", tt.args, err)
			}
			want := engine.DefaultConfig()
			tt.edit(&want)
			if !reflect.DeepEqual(got.cfg, want) {
				t.Errorf("parseTrain(%q) config =\n%+v\nwant\n%+v", tt.args, got.cfg, want)
			}
			if got.out != tt.out || got.json != tt.json || got.data != tt.data {
				t.Errorf("parseTrain(%q) out, json, data = %q, %v, %q; want %q, %v, %q", tt.args, got.out, got.json, got.data, tt.out, tt.json, tt.data)
			}
		})
	}
}

// TestHelp checks every way of asking for help: usage on standard output,
// exit code 0.
func TestHelp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"help"}, []string{"train flags:", "eval flags:", "predict flags:", "--layers sizes", "--weight-decay λ", "Exit status"}},
		{[]string{"-h"}, []string{"train flags:", "predict flags:"}},
		{[]string{"--help"}, []string{"train flags:"}},
		{[]string{"help", "help"}, []string{"train flags:"}},
		{[]string{"help", "train"}, []string{"Usage: mnist-playground train [flags]", "--schedule schedule", "(default const)"}},
		{[]string{"train", "-h"}, []string{"Usage: mnist-playground train [flags]", "--layers sizes", "(default 100)"}},
		{[]string{"eval", "--help"}, []string{"Usage: mnist-playground eval [flags]", "--model file"}},
		{[]string{"predict", "-h", "a.png"}, []string{"Usage: mnist-playground predict [flags] IMAGE..."}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			r := run(t, tt.args...)
			if r.code != 0 || r.stderr != "" {
				t.Errorf("exit code %d, stderr %q; want 0 and nothing", r.code, r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("usage lacks %q:\n%s", w, r.stdout)
				}
			}
			for i, l := range strings.Split(r.stdout, "\n") {
				if n := len([]rune(l)); n > usageColumns {
					t.Errorf("usage line %d is %d characters wide, more than %d: %q", i+1, n, usageColumns, l)
				}
			}
		})
	}
}

func TestIsCommand(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		want bool
	}{
		{"train", true}, {"eval", true}, {"predict", true}, {"help", true},
		{"-h", true}, {"--help", true}, {"-help", true},
		{"", false}, {"Train", false}, {"-v", false}, {"--layers", false}, {"fyne", false},
	} {
		if got := IsCommand(tt.name); got != tt.want {
			t.Errorf("IsCommand(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestParseFlagsInterleaved checks that flags may come after arguments and
// that "--" ends the flags.
func TestParseFlagsInterleaved(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args      []string
		wantArgs  []string
		wantModel string
		wantJSON  bool
	}{
		{[]string{"--model", "m.npz", "a.png", "b.png"}, []string{"a.png", "b.png"}, "m.npz", false},
		{[]string{"a.png", "--model", "m.npz", "b.png", "--json"}, []string{"a.png", "b.png"}, "m.npz", true},
		{[]string{"--model=m.npz", "--", "--json", "-"}, []string{"--json", "-"}, "m.npz", false},
		{[]string{"-", "--model", "m.npz"}, []string{"-"}, "m.npz", false},
		{[]string{"--model", "m.npz"}, nil, "m.npz", false},
	}
	for _, tt := range tests {
		f := newPredictFlags()
		got, err := parseFlags(f.fs, tt.args)
		if err != nil {
			t.Errorf("parseFlags(%q): %v", tt.args, err)
			continue
		}
		if !slices.Equal(got, tt.wantArgs) || *f.model != tt.wantModel || *f.json != tt.wantJSON {
			t.Errorf("parseFlags(%q) = %q, model %q, json %v; want %q, %q, %v", tt.args, got, *f.model, *f.json, tt.wantArgs, tt.wantModel, tt.wantJSON)
		}
	}
	f := newPredictFlags()
	if _, err := parseFlags(f.fs, []string{"-h"}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("parseFlags(-h) = %v, want flag.ErrHelp", err)
	}
	var u usageError
	if _, err := parseFlags(f.fs, []string{"--nope"}); !errors.As(err, &u) {
		t.Errorf("parseFlags(--nope) = %v, want a usageError", err)
	}
}

func TestNumberJSON(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		v    float64
		want string
	}{
		{0.25, "0.25"}, {0, "0"}, {-3, "-3"},
		{math.NaN(), "null"}, {math.Inf(1), "null"}, {math.Inf(-1), "null"},
	} {
		got, err := json.Marshal(number(tt.v))
		if err != nil || string(got) != tt.want {
			t.Errorf("json.Marshal(number(%v)) = %s, %v; want %s", tt.v, got, err, tt.want)
		}
	}
}

func TestWrap(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		text  string
		width int
		want  []string
	}{
		{"a b c", 80, []string{"a b c"}},
		{"aaa bbb ccc", 7, []string{"aaa bbb", "ccc"}},
		{"aaaaaaaaaa b", 4, []string{"aaaaaaaaaa", "b"}},
		{"λλλ λλλ", 7, []string{"λλλ λλλ"}},
		{"", 10, []string{""}},
	} {
		if got := wrap(tt.text, tt.width); !slices.Equal(got, tt.want) {
			t.Errorf("wrap(%q, %d) = %q, want %q", tt.text, tt.width, got, tt.want)
		}
	}
}
