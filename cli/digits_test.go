package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestPredictPenDrawnDigits reads the ten digits drawn with the window's pen
// (testdata/digits, kept equal to the pen by ui/drawpad's tests) with the
// book's chapter-3 network: a model trained on MNIST alone must read what a
// person draws in the window, which holds only if the draw pad's
// preprocessing makes drawings look like MNIST.
func TestPredictPenDrawnDigits(t *testing.T) {
	const book = "../../shared/reference/book_sample_weight.npz"
	if _, err := os.Stat(book); err != nil {
		t.Skipf("the book's model is not here (%v): skipping", err)
	}
	args := []string{"predict", "--json", "--model", book}
	for d := range 10 {
		args = append(args, filepath.Join("..", "testdata", "digits", fmt.Sprintf("%d.png", d)))
	}
	r := run(t, args...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	got := lines(r.stdout)
	if len(got) != 10 {
		t.Fatalf("%d lines of output, want 10:\n%s", len(got), r.stdout)
	}
	for d, line := range got {
		var p struct {
			File  string `json:"file"`
			Digit int    `json:"digit"`
		}
		if err := json.Unmarshal([]byte(line), &p); err != nil {
			t.Fatalf("line %d: %v", d+1, err)
		}
		if p.Digit != d {
			t.Errorf("%s read as %d, want %d", p.File, p.Digit, d)
		}
	}
}
