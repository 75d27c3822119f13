package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mnistplayground/mnistplayground/engine"
)

// TestProgressPlanned draws the bar of a planned run into a buffer: the
// whole run is one bar, with the epoch, the recent loss, the speed, the
// steps, and the time taken and left.
func TestProgressPlanned(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	p := newProgress(&out, 2, 10)
	p.update(&engine.Snapshot{Step: 5, Epoch: 0, TrainLoss: []float32{2, 1, 1, 1, 1}, ImagesPerSec: 12345})
	got := out.String()
	for _, w := range []string{"epoch 1/2  loss 1.2000  12,345 images/s ", "25%", "(5/20) [0s:"} {
		if !strings.Contains(got, w) {
			t.Errorf("bar %q lacks %q", got, w)
		}
	}
	out.Reset()
	p.clear()
	if got := out.String(); got != "\033[2K\r" {
		t.Errorf("clear wrote %q, want the ANSI erase-line and a carriage return", got)
	}
}

// TestProgressUntilStopped checks that a run without planned epochs gets a
// fresh bar for each epoch.
func TestProgressUntilStopped(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	p := newProgress(&out, 0, 10)
	p.update(&engine.Snapshot{Step: 13, Epoch: 1, TrainLoss: []float32{0.5}})
	p.update(&engine.Snapshot{Step: 14, Epoch: 1, TrainLoss: []float32{0.5}})
	got := out.String()
	if !strings.Contains(got, "epoch 2  loss 0.5000 ") || !strings.Contains(got, "(4/10) [") {
		t.Errorf("bar %q: want epoch 2 with 4 of its 10 steps done", got)
	}
	if strings.Contains(got, "/0") {
		t.Errorf("bar %q counts towards a total of zero steps", got)
	}
}

// TestProgressNil checks that the absent bar (standard error is not a
// terminal, or --json) is safe to call.
func TestProgressNil(t *testing.T) {
	t.Parallel()
	var p *progress
	p.update(&engine.Snapshot{Step: 1})
	p.clear()
}

func TestIsTerminal(t *testing.T) {
	t.Parallel()
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, tt := range []struct {
		name string
		w    io.Writer
	}{
		{"a file", f},
		{"a buffer", &bytes.Buffer{}},
	} {
		if isTerminal(tt.w) {
			t.Errorf("isTerminal(%s) = true, want false", tt.name)
		}
	}
}
