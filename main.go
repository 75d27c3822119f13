// Command mnist-playground opens a window in which you build a small neural
// network, watch it learn MNIST, and draw digits for it to read. With a
// subcommand (train, eval, predict, help) it does the same work headless.
package main

import (
	"context"
	_ "embed"
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

	fs := flag.NewFlagSet(cli.Name, flag.ExitOnError)
	data := fs.String("data", "", "the folder of the four MNIST files (default: MNIST_DIR, else the Go module cache)")
	model := fs.String("model", "", "a model `file` (.npz) to open the window with")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: %s [--data DIR] [--model FILE]   open the window\n       %s help                          the headless commands\n\n", cli.Name, cli.Name)
		fs.PrintDefaults()
	}
	_ = fs.Parse(os.Args[1:]) // ExitOnError: a bad flag exits with the usage
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "%s: unknown command %q: run %s help for the commands\n", cli.Name, fs.Arg(0), cli.Name)
		os.Exit(2)
	}

	a := app.NewWithID("io.github.mnistplayground")
	a.SetIcon(fyne.NewStaticResource("icon.png", icon))
	a.Settings().SetTheme(ui.Theme())
	w := a.NewWindow("MNIST Playground")
	w.SetContent(ui.New(w, ui.Options{DataDir: *data, ModelPath: *model}))
	// Fyne cannot ask for the screen's size before the window shows, so the
	// window opens at a size that fits a 1366×768 laptop or projector under
	// its title bar; it grows as the user likes, and needs at most about
	// 1000×640 (a 1024×768 screen).
	w.Resize(fyne.NewSize(1280, 700))
	w.ShowAndRun()
}
