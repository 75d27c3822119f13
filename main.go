// Command mnist-playground opens a window in which you build a small neural
// network, watch it learn MNIST, and draw digits for it to read. With a
// subcommand (train, eval, predict, explain, help) it does the same work
// headless.
package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/mnistplayground/mnistplayground/cli"
	"github.com/mnistplayground/mnistplayground/ui"
)

//go:embed assets/icon.png
var icon []byte

func main() {
	if len(os.Args) > 1 && cli.IsCommand(os.Args[1]) {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		// The first signal asks the command to wind down (training saves
		// what it has learned); from then on the signals have their default
		// effect again, so a second one ends the program whatever it waits on.
		context.AfterFunc(ctx, stop)
		code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}

	wo, err := cli.ParseWindow(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		// --help and -h reach cli.Main, which prints the help; a help flag
		// among the window's settings gets it too.
		os.Exit(cli.Main(context.Background(), []string{"help"}, os.Stdin, os.Stdout, os.Stderr))
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", cli.Name, err)
		os.Exit(2)
	}
	if wo.Config != nil && !wo.EpochsSet {
		wo.Config.Epochs = ui.WindowEpochs
	}

	a := app.NewWithID("io.github.mnistplayground")
	a.SetIcon(fyne.NewStaticResource("icon.png", icon))
	a.Settings().SetTheme(ui.Theme())
	w := a.NewWindow("MNIST Playground")
	w.SetContent(ui.New(w, ui.Options{DataDir: wo.DataDir, ModelPath: wo.ModelPath, Config: wo.Config}))
	w.Resize(ui.WindowSize(a))
	w.ShowAndRun()
}
