package cli

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mnistplayground/mnistplayground/engine"
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

// tinyMNIST writes a small data set in the four MNIST files into a new
// folder and returns it: 600 training and 100 test images of a pattern a
// network learns in an epoch or two. Digit k is a 5×7 block of ink in the
// k-th cell of a 5×2 grid, jittered by a pixel, over faint noise.
func tinyMNIST(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(7, 7))
	write := func(imagesName, labelsName string, n int) {
		pixels := make([]uint8, n*28*28)
		labels := make([]uint8, n)
		for i := range n {
			k := i % 10
			labels[i] = uint8(k)
			img := pixels[i*28*28 : (i+1)*28*28]
			for p := range img {
				if rng.IntN(10) == 0 {
					img[p] = uint8(rng.IntN(100))
				}
			}
			x0 := 2 + 5*(k%5) + rng.IntN(3) - 1
			y0 := 4 + 12*(k/5) + rng.IntN(3) - 1
			for y := y0; y < y0+7; y++ {
				for x := x0; x < x0+5; x++ {
					img[y*28+x] = 255
				}
			}
		}
		writeFile(t, filepath.Join(dir, imagesName), func(f *os.File) error { return engine.WriteImages(f, 28, 28, pixels) })
		writeFile(t, filepath.Join(dir, labelsName), func(f *os.File) error { return engine.WriteLabels(f, labels) })
	}
	write("train-images-idx3-ubyte", "train-labels-idx1-ubyte", 600)
	write("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 100)
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
