package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/mnistplayground/mnistplayground/engine"
)

// WindowOptions is what the window opens with, from its command line.
type WindowOptions struct {
	// Config holds the settings the panel shows at first; nil when the
	// command line gave none. EpochsSet says whether it gave --epochs.
	Config    *engine.TrainConfig
	EpochsSet bool
	DataDir   string
	ModelPath string
}

// ParseWindow reads the window's command line: the train command's
// settings (--layers, --act, --loss, --init, --opt, --lr, --schedule,
// --batch, --epochs, --seed, --weight-decay), read by the same parser, so
// that a lecture can open the window on the network of its next
// experiment, and --data DIR and --model FILE. It returns flag.ErrHelp for
// a request for help, and otherwise an error listing every problem.
func ParseWindow(args []string) (WindowOptions, error) {
	var o WindowOptions
	var train []string
	settings := false // a flag other than --data was given
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || a == "-" || a == "--" {
			return o, usageError{fmt.Errorf("%q is not a flag: the window takes flags only (run %s help for the headless commands)", a, Name)}
		}
		switch name {
		case "model":
			if !hasValue {
				if i+1 >= len(args) {
					return o, usageError{errors.New("--model needs a file, such as model.npz")}
				}
				i++
				value = args[i]
			}
			o.ModelPath = value
			continue
		case "out", "json":
			return o, usageError{fmt.Errorf("--%s belongs to the train command: the window saves with Ctrl+S", name)}
		case "epochs":
			o.EpochsSet = true
		}
		settings = settings || name != "data"
		train = append(train, a)
		if !hasValue && name != "h" && name != "help" && i+1 < len(args) {
			i++
			train = append(train, args[i])
		}
	}
	if len(train) == 0 {
		return o, nil
	}
	t, err := parseTrain(train)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, err
		}
		var u usageError
		if errors.As(err, &u) {
			return o, usageError{errors.New(strings.ReplaceAll(u.Error(), "`"+Name+" help train`", "`"+Name+" help train` for the settings"))}
		}
		return o, err
	}
	o.DataDir = t.data
	if settings {
		o.Config = &t.cfg
	}
	return o, nil
}
