// Package cli is the headless side of the MNIST playground: the train, eval,
// predict and explain subcommands, which do from a terminal or a script what
// the window does, through the same engine.
//
// Main runs one subcommand and returns the process's exit code: 0 on
// success, 1 when something failed while running (a missing file, a model
// that does not fit MNIST, a diverged training run, an unreadable image), 2
// for a command line that cannot be understood (an unknown flag, a value out
// of range), and 130, as a shell reports Ctrl-C, for a planned training run
// cut short. Every error is one line on standard error, prefixed with the
// program's name; a command line with several wrong values gets one line per
// problem.
//
// Results go to standard output, either as aligned text for people or, with
// --json, as one JSON object per line for programs. Everything else (the
// configuration summary, warnings, the progress bar, where the model was
// saved) goes to standard error, so that standard output can be piped.
package cli
