package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/engine/enginetest"
)

// result is what one call of Main did.
type result struct {
	code           int
	stdout, stderr string
}

// run calls Main with args and fails the test if it does not return within
// ten seconds.
func run(t *testing.T, args ...string) result {
	t.Helper()
	return runWith(t, context.Background(), nil, &syncBuffer{}, args...)
}

// runWith calls Main with ctx, stdin and stdout, and fails the test if it
// does not return within ten seconds.
func runWith(t *testing.T, ctx context.Context, stdin *bytes.Reader, stdout *syncBuffer, args ...string) result {
	t.Helper()
	var stderr syncBuffer
	in := bytes.NewReader(nil)
	if stdin != nil {
		in = stdin
	}
	done := make(chan int, 1)
	go func() { done <- Main(ctx, args, in, stdout, &stderr) }()
	select {
	case code := <-done:
		r := result{code: code, stdout: stdout.String(), stderr: stderr.String()}
		checkNoPanic(t, r)
		return r
	case <-time.After(10 * time.Second):
		t.Fatalf("Main(%q) did not return within 10 s; stderr so far:\n%s", args, stderr.String())
		return result{}
	}
}

// checkNoPanic fails the test if the output holds a panic or a goroutine
// dump.
func checkNoPanic(t *testing.T, r result) {
	t.Helper()
	for _, s := range []string{r.stdout, r.stderr} {
		if strings.Contains(s, "panic:") || strings.Contains(s, "goroutine ") {
			t.Fatalf("output holds a panic:\n%s", s)
		}
	}
}

// syncBuffer is a bytes.Buffer that may be written and read from different
// goroutines, and that can call a function on each complete line written.
type syncBuffer struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	onLine func(line string)
	seen   int // bytes already passed to onLine
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	if b.onLine != nil {
		for {
			rest := b.buf.Bytes()[b.seen:]
			i := bytes.IndexByte(rest, '\n')
			if i < 0 {
				break
			}
			b.onLine(string(rest[:i]))
			b.seen += i + 1
		}
	}
	return n, err
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lines splits output into its non-empty lines.
func lines(s string) []string {
	var out []string
	for l := range strings.SplitSeq(s, "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// tinyData is what tinyMNIST writes.
func tinyData() *engine.MNIST { return enginetest.MNIST(600, 100) }

// tinyMNIST writes a small data set in the four MNIST files into a new
// folder and returns it: 600 training and 100 test images of a pattern a
// network learns in an epoch or two (see enginetest.Blobs).
func tinyMNIST(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := enginetest.WriteMNIST(dir, tinyData()); err != nil {
		t.Fatal(err)
	}
	return dir
}

func writeFile(t *testing.T, path string, write func(*os.File) error) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := write(f); err != nil {
		t.Fatalf("writing %s: %v", path, err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// trainTiny trains a small model on the data in dir and returns its file.
func trainTiny(t *testing.T, dir string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "tiny.npz")
	r := run(t, "train", "--data", dir, "--layers", "32", "--batch", "20", "--epochs", "2", "--out", out)
	if r.code != 0 {
		t.Fatalf("train exited %d:\n%s", r.code, r.stderr)
	}
	return out
}
