//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// mkfifo makes a named pipe in a new folder.
func mkfifo(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	return path
}

// TestFIFOs checks that naming a FIFO as a model, an image or the file to
// save to never waits for a writer: each command answers at once (run fails
// the test after ten seconds) and says what the file is.
func TestFIFOs(t *testing.T) {
	t.Parallel()
	data := tinyMNIST(t)
	model := trainTiny(t, data)
	fifo := mkfifo(t)
	img := filepath.Join(t.TempDir(), "seven.png")
	encodeImage(t, img, drawSeven())
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"eval", "--data", data, "--model", fifo}, "cannot load " + fifo + ": it is a pipe, not a file, and nothing was written to it"},
		{[]string{"predict", "--model", fifo, img}, "cannot load " + fifo + ": it is a pipe, not a file, and nothing was written to it"},
		{[]string{"predict", "--model", model, fifo}, fifo + ": it is a pipe, not a file, and nothing was written to it: give an image file"},
		{[]string{"train", "--data", data, "--out", fifo}, "cannot save the model to " + fifo + ": it is a pipe, not a regular file"},
		{[]string{"train", "--data", data, "--out", "/dev/null"}, "cannot save the model to /dev/null: it is a character device, not a regular file"},
		{[]string{"train", "--data", data, "--out", filepath.Join(t.TempDir(), "m.npz"), "--csv", fifo}, "cannot write the run log to " + fifo + ": it is a pipe, not a regular file"},
	} {
		r := run(t, c.args...)
		if got := lines(r.stderr); r.code != exitFailed || len(got) != 1 || !strings.Contains(got[0], c.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit 1 and one line containing %q", c.args, r.code, r.stderr, c.want)
		}
	}
}

// TestInterruptDuringRead checks that Ctrl-C (the context main cancels on
// SIGINT and SIGTERM) ends a command that waits on a pipe whose writer
// stays silent, with the exit code of an interrupted command.
func TestInterruptDuringRead(t *testing.T) {
	t.Parallel()
	data := tinyMNIST(t)
	model := trainTiny(t, data)
	fifo := mkfifo(t)
	// Opening a FIFO for reading and writing never waits, and makes a
	// writer that never writes.
	w, err := os.OpenFile(fifo, os.O_RDWR, 0)
	if err != nil {
		t.Skipf("cannot hold a FIFO open here: %v", err)
	}
	defer w.Close()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"eval", "--data", data, "--model", fifo}, "cannot load " + fifo + ": interrupted while reading it (it is a pipe)"},
		{[]string{"predict", "--model", fifo, "x.png"}, "cannot load " + fifo + ": interrupted while reading it (it is a pipe)"},
		{[]string{"predict", "--model", model, fifo}, fifo + ": interrupted while reading it"},
	} {
		ctx, cancel := context.WithCancel(t.Context())
		// Ctrl-C once the command waits on the FIFO, which it then holds open
		// besides the test.
		go func() {
			waitOpen(fifo, 2)
			cancel()
		}()
		r := runWith(t, ctx, nil, &syncBuffer{}, c.args...)
		if got := lines(r.stderr); r.code != exitInterrupted || len(got) != 1 || !strings.Contains(got[0], c.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit %d and one line containing %q", c.args, r.code, r.stderr, exitInterrupted, c.want)
		}
		cancel()
	}
}

// waitOpen waits until the process holds path open n times, or for a
// second where /proc cannot tell, or for at most ten seconds.
func waitOpen(path string, n int) {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		fds, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			time.Sleep(time.Second)
			return
		}
		open := 0
		for _, fd := range fds {
			if target, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name())); err == nil && target == path {
				open++
			}
		}
		if open >= n {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}
