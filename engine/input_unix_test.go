//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package engine

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
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

// within runs f and fails the test if it does not return within ten
// seconds: the bug these tests guard against is a hang.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s did not return within 10 s", what)
	}
}

// holdOpen opens the FIFO for reading and writing, which never waits on
// Linux and makes a writer that stays silent until the test writes or
// closes.
func holdOpen(t *testing.T, path string) *os.File {
	t.Helper()
	w, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Skipf("cannot hold a FIFO open for writing here: %v", err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

func TestLoadModelFIFO(t *testing.T) {
	t.Parallel()
	m := testModel(t, MNISTArch([]int{50}, []Activation{ReLU}, CrossEntropy), 3) // 157 KB, more than a pipe holds
	var file bytes.Buffer
	if err := WriteModel(&file, m); err != nil {
		t.Fatal(err)
	}

	t.Run("nobody writes", func(t *testing.T) {
		t.Parallel()
		fifo := mkfifo(t)
		var err error
		within(t, "LoadModel of a FIFO without a writer", func() { _, err = LoadModel(fifo) })
		if err == nil || !strings.Contains(err.Error(), "it is a pipe, not a file, and nothing was written to it") {
			t.Errorf("error %v, want one saying it is a pipe nothing was written to", err)
		}
		var img error
		within(t, "ReadImageFile of a FIFO without a writer", func() { _, img = ReadImageFile(t.Context(), fifo) })
		if img == nil || !strings.Contains(img.Error(), "it is a pipe, not a file, and nothing was written to it: give an image file") {
			t.Errorf("image error %v, want one saying it is a pipe nothing was written to", img)
		}
	})

	t.Run("a writer sends a model", func(t *testing.T) {
		t.Parallel()
		fifo := mkfifo(t)
		w := holdOpen(t, fifo)
		go func() {
			// More than a pipe holds, so that the write waits for the
			// reader: closing the last handle before the reader opens
			// would discard what the pipe held.
			_, _ = w.Write(file.Bytes())
			_ = w.Close()
		}()
		var got *Model
		var err error
		within(t, "LoadModel of a FIFO", func() { got, err = LoadModel(fifo) })
		if err != nil {
			t.Fatalf("LoadModel: %v", err)
		}
		if d := diffModels(got, m); d != "" {
			t.Errorf("model read from a FIFO: %s", d)
		}
	})

	t.Run("a pipe, as bash's <(cat m.npz) gives", func(t *testing.T) {
		t.Parallel()
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		path := "/dev/fd/" + strconv.Itoa(int(r.Fd()))
		if _, err := os.Stat(path); err != nil {
			t.Skipf("no %s here: %v", path, err)
		}
		go func() {
			_, _ = w.Write(file.Bytes())
			_ = w.Close()
		}()
		var got *Model
		within(t, "LoadModel of a pipe", func() { got, err = LoadModel(path) })
		if err != nil {
			t.Fatalf("LoadModel(%s): %v", path, err)
		}
		if d := diffModels(got, m); d != "" {
			t.Errorf("model read from a pipe: %s", d)
		}
	})

	t.Run("not a model, from a pipe", func(t *testing.T) {
		t.Parallel()
		fifo := mkfifo(t)
		w := holdOpen(t, fifo)
		go func() {
			// More than a pipe holds, so that the write waits for the
			// reader: closing the last handle before the reader opens
			// would discard what the pipe held.
			_, _ = w.Write(append([]byte("hello"), make([]byte, 2<<20)...))
			_ = w.Close()
		}()
		var err error
		within(t, "LoadModel of a FIFO", func() { _, err = LoadModel(fifo) })
		if err == nil || !strings.Contains(err.Error(), "(a pipe, read to its end): not a model file") {
			t.Errorf("error %v, want one saying what the pipe gave is not a model", err)
		}
	})

	t.Run("interrupted while the writer is silent", func(t *testing.T) {
		t.Parallel()
		fifo := mkfifo(t)
		holdOpen(t, fifo)
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(50*time.Millisecond, cancel)
		var err, img error
		within(t, "LoadModelContext of a silent FIFO", func() { _, err = LoadModelContext(ctx, fifo) })
		if !errors.Is(err, ErrInterrupted) || !strings.Contains(err.Error(), "fifo: interrupted while reading it (it is a pipe)") {
			t.Errorf("error %v, want ErrInterrupted naming the file", err)
		}
		within(t, "ReadImageFile of a silent FIFO", func() { _, img = ReadImageFile(ctx, fifo) })
		if !errors.Is(img, ErrInterrupted) {
			t.Errorf("image error %v, want ErrInterrupted", img)
		}
	})
}

// TestReadInputUnpollable checks that a read from a reader that cannot be
// woken (standard input of a terminal, say) still ends when ctx does.
func TestReadInputUnpollable(t *testing.T) {
	t.Parallel()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	defer r.Close()
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(50*time.Millisecond, cancel)
	within(t, "readInput of a silent pipe", func() {
		// The wrapper hides the *os.File, as io.MultiReader would.
		_, err = readInput(ctx, struct{ *os.File }{r}, 0, 100, errors.New("too large"))
	})
	if !errors.Is(err, ErrInterrupted) {
		t.Errorf("error %v, want ErrInterrupted", err)
	}
}

// TestCheckSavePathFIFO checks that a FIFO is refused as a destination
// before training, and by SaveModel, without waiting on it.
func TestCheckSavePathFIFO(t *testing.T) {
	t.Parallel()
	fifo := mkfifo(t)
	m := testModel(t, MNISTArch([]int{5}, []Activation{ReLU}, CrossEntropy), 6)
	var check, save error
	within(t, "CheckSavePath and SaveModel of a FIFO", func() { check, save = CheckSavePath(fifo), SaveModel(fifo, m) })
	for _, err := range []error{check, save} {
		if err == nil || !strings.Contains(err.Error(), "cannot save the model to "+fifo+": it is a pipe, not a regular file") {
			t.Errorf("error %v, want one saying the destination is a pipe", err)
		}
	}
}

// TestReadImageFIFO reads an image that a writer sends through a FIFO,
// and something that is not an image.
func TestReadImageFIFO(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		// A PNG decoder stops at its end, and ignores the rest.
		{"an image", encoded(t, digitImage(), "png"), ""},
		{"text", []byte("a seven"), "not an image this program reads: give a PNG, JPEG or GIF (the file is a pipe, read to its end)"},
	} {
		fifo := mkfifo(t)
		w := holdOpen(t, fifo)
		go func() {
			// More than a pipe holds, so that the write waits for the
			// reader: closing the last handle before the reader opens
			// would discard what the pipe held.
			_, _ = w.Write(append(c.data, make([]byte, 2<<20)...))
			_ = w.Close()
		}()
		var err error
		within(t, "ReadImageFile of a FIFO", func() { _, err = ReadImageFile(t.Context(), fifo) })
		if c.want == "" && err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		if c.want != "" && (err == nil || err.Error() != c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}
