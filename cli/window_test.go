package cli

import (
	"errors"
	"flag"
	"strings"
	"testing"

	"github.com/mnistplayground/mnistplayground/engine"
)

func TestParseWindow(t *testing.T) {
	t.Parallel()
	o, err := ParseWindow([]string{"--layers", "100,100,100,100,100", "--act=sigmoid", "--init", "xavier", "--model", "m.npz", "--data", "/d"})
	if err != nil {
		t.Fatal(err)
	}
	if o.Config == nil || o.Config.Arch.String() != "784-100(sigmoid)-100(sigmoid)-100(sigmoid)-100(sigmoid)-100(sigmoid)-10 ce" ||
		o.Config.Init.Kind != engine.InitXavier || o.ModelPath != "m.npz" || o.DataDir != "/d" || o.EpochsSet {
		t.Errorf("options = %+v (config %v)", o, o.Config)
	}
	if o, err := ParseWindow([]string{"--epochs", "3"}); err != nil || !o.EpochsSet || o.Config.Epochs != 3 {
		t.Errorf("--epochs 3: %+v, %v", o, err)
	}
	for _, args := range [][]string{nil, {"--data", "/d"}, {"--data=/d"}, {"--model=x.npz"}} {
		if o, err := ParseWindow(args); err != nil || o.Config != nil {
			t.Errorf("%q: config %v, error %v; want the panel's defaults", args, o.Config, err)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"train"}, `"train" is not a flag`},
		{[]string{"--out", "x.npz"}, "--out belongs to the train command"},
		{[]string{"--layers", "0"}, "--layers 0"},
		{[]string{"--lr", "1000", "--act", "swish"}, "swish"},
		{[]string{"--model"}, "--model needs a file"},
	} {
		_, err := ParseWindow(c.args)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one saying %q", c.args, err, c.want)
		}
	}
	if _, err := ParseWindow([]string{"--help"}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("--help: %v, want flag.ErrHelp", err)
	}
}
