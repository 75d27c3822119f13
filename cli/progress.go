package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/internal/textfmt"
)

// isTerminal reports whether w is a terminal, where a progress bar that
// redraws its line makes sense; in a log file or a pipe it would be noise.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progress draws a training run's progress bar from its snapshots. A nil
// *progress draws nothing, so callers need not ask whether there is one.
type progress struct {
	bar    *progressbar.ProgressBar
	w      io.Writer
	epochs int // planned epochs, 0 for until stopped
	epoch  int // the epoch the bar shows, for a run until stopped
	steps  int // steps per epoch
}

// newProgress makes a bar on w for a run of the given epochs of
// stepsPerEpoch steps. A planned run gets one bar for the whole run, whose
// ETA is the run's end; a run until stopped has no end, so it gets a bar per
// epoch.
func newProgress(w io.Writer, epochs, stepsPerEpoch int) *progress {
	p := &progress{w: w, epochs: epochs, steps: stepsPerEpoch}
	p.bar = p.newBar()
	return p
}

func (p *progress) newBar() *progressbar.ProgressBar {
	total := p.steps
	if p.epochs > 0 {
		total *= p.epochs
	}
	return progressbar.NewOptions(total,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetWidth(30),
		progressbar.OptionSetDescription(p.describe(0, nil)),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionClearOnFinish(),
		// Clearing the whole line also erases the ^C a terminal echoes
		// after the bar when the user interrupts.
		progressbar.OptionUseANSICodes(true),
	)
}

// update moves the bar to the snapshot's step.
func (p *progress) update(s *engine.Snapshot) {
	if p == nil {
		return
	}
	done := s.Step
	if p.epochs == 0 {
		if s.Epoch != p.epoch {
			// A fresh bar for the new epoch, drawn where the old one was.
			_ = p.bar.Clear()
			p.bar.Reset()
			p.epoch = s.Epoch
		}
		done = s.Step - s.Epoch*p.steps
	}
	// Both redraw the bar, and neither is throttled: a throttle would drop
	// the second. The session publishes at most about ten snapshots a
	// second, which bounds the redrawing.
	p.bar.Describe(p.describe(s.Epoch, s))
	_ = p.bar.Set(done) // a terminal that cannot be written to loses only the bar
}

// describe is the text before the bar: the epoch under way, and the recent
// training loss and speed once there are any.
func (p *progress) describe(epoch int, s *engine.Snapshot) string {
	d := fmt.Sprintf("epoch %d", epoch+1)
	if p.epochs > 0 {
		d = fmt.Sprintf("epoch %d/%d", min(epoch+1, p.epochs), p.epochs)
	}
	if s != nil {
		if l, ok := engine.RecentLoss(s.TrainLoss, 50); ok {
			d += fmt.Sprintf("  loss %.4f", l)
		}
	}
	if s != nil && s.ImagesPerSec > 0 {
		d += fmt.Sprintf("  %s images/s", textfmt.Thousands(int(s.ImagesPerSec)))
	}
	return d + " "
}

// clear erases the bar from its line so that a line of text can be printed;
// the next update draws it again.
func (p *progress) clear() {
	if p == nil {
		return
	}
	_ = p.bar.Clear()
}
