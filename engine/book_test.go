package engine

import (
	"archive/zip"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"math"
	"os"
	"strings"
	"testing"
)

// bookModelPath is the pretrained network of chapter 3 of "Deep Learning
// from Scratch", converted to .npz (see its README.md).
const bookModelPath = "../../shared/reference/book_sample_weight.npz"

// loadBookModel loads the book's network, skipping the test when the file
// is absent.
func loadBookModel(t *testing.T) *Model {
	t.Helper()
	if _, err := os.Stat(bookModelPath); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("the book's model %s is absent", bookModelPath)
	}
	m, err := LoadModel(bookModelPath)
	if err != nil {
		t.Fatalf("LoadModel: %v", err)
	}
	return m
}

func TestBookModelArchitecture(t *testing.T) {
	t.Parallel()
	m := loadBookModel(t)
	if got, want := m.Arch().String(), "784-50(sigmoid)-100(sigmoid)-10 ce"; got != want {
		t.Errorf("architecture %s, want %s", got, want)
	}
	if err := m.CheckMNIST(); err != nil {
		t.Errorf("CheckMNIST: %v", err)
	}
}

// TestBookModelLayout checks the book's W1, which the file stores in
// Fortran order, against its raw bytes: element (i, j) of a column-major
// 784×50 array is number j·784+i.
func TestBookModelLayout(t *testing.T) {
	t.Parallel()
	m := loadBookModel(t)
	zr, err := zip.OpenReader(bookModelPath)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, err := zr.Open("W1.npy")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	raw, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	// A version 1.0 .npy array: 10 bytes, then the header, then the numbers.
	start := 10 + int(binary.LittleEndian.Uint16(raw[8:10]))
	if header := string(raw[10:start]); !strings.Contains(header, "'fortran_order': True") {
		t.Fatalf("the book's W1 is no longer in Fortran order, so this test checks nothing: %q", header)
	}
	numbers := raw[start:]
	l := m.Layers[0]
	if len(numbers) != 4*l.In*l.Out {
		t.Fatalf("W1 holds %d bytes of numbers, want %d", len(numbers), 4*l.In*l.Out)
	}
	for i := range l.In {
		for j := range l.Out {
			want := math.Float32frombits(binary.LittleEndian.Uint32(numbers[4*(j*l.In+i):]))
			if got := l.W[i*l.Out+j]; math.Float32bits(got) != math.Float32bits(want) {
				t.Fatalf("W1[%d][%d] = %v, want %v", i, j, got, want)
			}
		}
	}
}

// TestBookModelAccuracy checks the whole path from file to prediction
// against the figure the book prints: 9,352 of the 10,000 test images.
func TestBookModelAccuracy(t *testing.T) {
	t.Parallel()
	m := loadBookModel(t)
	dir, err := FindMNISTDir("")
	if err != nil {
		t.Skipf("MNIST is not available: %v", err)
	}
	data, err := LoadMNIST(dir)
	if err != nil {
		t.Fatalf("LoadMNIST(%s): %v", dir, err)
	}
	ev := m.Evaluate(data.Test)
	if ev.Correct != 9352 || ev.Total != 10000 {
		t.Errorf("Evaluate: %d correct of %d, want 9352 of 10000", ev.Correct, ev.Total)
	}
	if ev.Accuracy != 0.9352 {
		t.Errorf("Evaluate: accuracy %v, want 0.9352", ev.Accuracy)
	}
	checkMisclassified(t, m, data.Test, ev)
}
