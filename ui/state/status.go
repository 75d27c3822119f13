package state

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/internal/textfmt"
)

// Status is the status line: its text and the state its dot's colour
// stands for.
type Status struct {
	Text  string
	State engine.State
}

// Status returns the status line, given whether the settings are valid.
func (w *Workspace) Status(valid bool) Status {
	live := w.Live()
	switch {
	case w.Closing:
		return Status{"Stopping…", engine.Done}
	case w.Last != nil:
		st := w.Last.State
		text := StatusText(w.Last)
		switch {
		case live && w.Run.asked == askPause && st == engine.Running:
			text = "Pausing… · " + text
		case live && w.Run.asked == askResume && st == engine.Paused:
			text = "Resuming… · " + text
		}
		if w.Message != "" {
			text += " · " + w.Message
		}
		return Status{text, st}
	case w.Data == DataLoading:
		return Status{"Loading MNIST…", engine.Idle}
	case w.Data == DataMissing:
		return Status{"No MNIST data: training is off, the pad still answers. Open a model with Ctrl+O to try one.", engine.Failed}
	case !valid:
		return Status{"Fix the settings marked in red to start training.", engine.Failed}
	case w.Message != "":
		return Status{w.Message, engine.Idle}
	case w.Trained():
		return Status{"Ready · Space continues training, R starts over", engine.Idle}
	}
	return Status{fmt.Sprintf("Ready · %s · press Space to train", DescribeNet(w.Net.Arch())), engine.Idle}
}

// ModelNote says which network the pad's answers come from.
func (w *Workspace) ModelNote() string {
	if w.Last != nil && (w.Last.Step > 0 || w.Origin != Opened) {
		return NoteText(w.Last)
	}
	switch w.Origin {
	case Opened:
		if w.eval != nil {
			// The score before the file name, so that in the narrow
			// column beside the pad it stays on the first line whole.
			return fmt.Sprintf("model (%.2f%% right): %s", 100*w.eval.Accuracy, w.File)
		}
		return "model: " + w.File
	case Trained:
		return "trained network"
	}
	return "untrained network — random guesses"
}

// StatusText is the status line for a snapshot: state, epoch, step, speed,
// training loss, last test accuracy, training time and the learning rate in
// force, the numbers a lecture keeps pointing at.
func StatusText(s *engine.Snapshot) string {
	parts := []string{StateName(s.State), epochText(s)}
	parts = append(parts, "step "+textfmt.Thousands(s.Step))
	if s.State == engine.Running {
		parts = append(parts, textfmt.Thousands(int(math.Round(s.ImagesPerSec)))+" images/s")
	}
	if l, ok := engine.RecentLoss(s.TrainLoss, recentSteps); ok {
		parts = append(parts, "loss "+textfmt.Loss(l))
	}
	if m, ok := s.LastTest(); ok {
		parts = append(parts, fmt.Sprintf("test accuracy %.2f%%", 100*m.Accuracy))
	}
	parts = append(parts, textfmt.Elapsed(s.Elapsed), "lr "+textfmt.LR(s.LR))
	return strings.Join(parts, " · ")
}

// recentSteps is how many steps the status line's loss is the mean of.
const recentSteps = 20

// StateName is a state as the status line starts with it.
func StateName(st engine.State) string {
	switch st {
	case engine.Idle:
		return "Ready"
	case engine.Running:
		return "Training"
	case engine.Paused:
		return "Paused"
	case engine.Done:
		return "Done"
	case engine.Failed:
		return "Diverged"
	}
	return st.String()
}

// epochText says where in the planned epochs training is: "epoch 3/5, 34%"
// while an epoch runs, "epoch 2/5 done" at its end.
func epochText(s *engine.Snapshot) string {
	// PlannedEpochs counts the epochs of the runs this one continues; a
	// snapshot made without a session has only the configuration's.
	planned := s.PlannedEpochs
	if planned == 0 {
		planned = s.Config.Epochs
	}
	total := ""
	if planned > 0 {
		total = "/" + strconv.Itoa(planned)
	}
	if s.EpochFrac == 0 {
		if s.Epoch == 0 {
			return "epoch 1" + total
		}
		return fmt.Sprintf("epoch %d%s done", s.Epoch, total)
	}
	return fmt.Sprintf("epoch %d%s, %d%%", s.Epoch+1, total, int(100*s.EpochFrac))
}

// NoteText says where the draw pad's answers come from while a session
// trains or has trained the network.
func NoteText(s *engine.Snapshot) string {
	epoch := s.Epoch + 1
	if s.EpochFrac == 0 && s.Epoch > 0 {
		epoch = s.Epoch
	}
	where := fmt.Sprintf("epoch %d, step %s", epoch, textfmt.Thousands(s.Step))
	switch s.State {
	case engine.Running:
		return "training: " + where
	case engine.Paused:
		return "paused: " + where
	case engine.Failed:
		return "diverged: the network of step " + textfmt.Thousands(s.Step)
	case engine.Idle:
		return "untrained network — random guesses"
	}
	if m, ok := s.LastTest(); ok {
		return fmt.Sprintf("trained: %s, %.2f%% right", EpochCount(s), 100*m.Accuracy)
	}
	return "trained: " + where
}

// EpochCount writes the epochs a finished session trained: "5 epochs",
// "2.4 epochs" when it was stopped part-way.
func EpochCount(s *engine.Snapshot) string {
	if s.EpochFrac == 0 {
		if s.Epoch == 1 {
			return "1 epoch"
		}
		return fmt.Sprintf("%d epochs", s.Epoch)
	}
	return fmt.Sprintf("%.1f epochs", float64(s.Epoch)+s.EpochFrac)
}

// RunSummary is the line the log gets when a session ends: what trained,
// for how long, and how fast, the number to compare with the headless train
// command's.
func RunSummary(s *engine.Snapshot, trainLen int) string {
	images := (float64(s.Epoch) + s.EpochFrac) * float64(trainLen)
	rate := 0.0
	if sec := s.Elapsed.Seconds(); sec > 0 {
		rate = images / sec
	}
	return fmt.Sprintf("trained %s for %s (%s steps) in %.1f s: %s images/s, %s",
		s.Config.Arch, EpochCount(s), textfmt.Thousands(s.Step),
		s.Elapsed.Seconds(), textfmt.Thousands(int(math.Round(rate))), strings.ToLower(StateName(s.State)))
}

// DescribeNet writes "784 → 100 → 10 · 79,510 parameters": the layer widths
// from the input to the output, and how many weights and biases.
func DescribeNet(a engine.Architecture) string {
	sizes := a.Sizes()
	parts := make([]string, len(sizes))
	for i, s := range sizes {
		parts[i] = strconv.Itoa(s)
	}
	return strings.Join(parts, " → ") + " · " + textfmt.Thousands(a.Parameters()) + " parameters"
}
