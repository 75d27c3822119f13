package cli

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mnistplayground/mnistplayground/engine"
)

func TestEvalJSON(t *testing.T) {
	t.Parallel()
	dir := tinyMNIST(t)
	model := trainTiny(t, dir)
	r := run(t, "eval", "--model", model, "--data", dir, "--json")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit code %d, stderr %q; want 0 and nothing", r.code, r.stderr)
	}
	if n := len(lines(r.stdout)); n != 1 {
		t.Fatalf("%d lines of JSON, want one object:\n%s", n, r.stdout)
	}
	var got struct {
		Accuracy     *float64  `json:"accuracy"`
		Correct      *int      `json:"correct"`
		Total        *int      `json:"total"`
		Loss         *float64  `json:"loss"`
		PerClass     []float64 `json:"per_class"`
		Confusion    [][]int   `json:"confusion"`
		Architecture string    `json:"architecture"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	if got.Accuracy == nil || got.Correct == nil || got.Total == nil || got.Loss == nil || got.PerClass == nil || got.Confusion == nil {
		t.Fatalf("a required key is missing:\n%s", r.stdout)
	}
	if *got.Total != 100 {
		t.Errorf("total = %d, want the 100 test images", *got.Total)
	}
	if len(got.Confusion) != 10 || len(got.PerClass) != 10 {
		t.Fatalf("confusion has %d rows and per_class %d entries, want 10 each", len(got.Confusion), len(got.PerClass))
	}
	sum, diagonal := 0, 0
	for label, row := range got.Confusion {
		if len(row) != 10 {
			t.Fatalf("confusion row %d has %d columns, want 10", label, len(row))
		}
		n := 0
		for _, c := range row {
			n += c
		}
		sum += n
		diagonal += row[label]
		if want := float64(row[label]) / float64(n); math.Abs(got.PerClass[label]-want) > 1e-12 {
			t.Errorf("per_class[%d] = %v, want %v", label, got.PerClass[label], want)
		}
	}
	if sum != *got.Total || diagonal != *got.Correct {
		t.Errorf("confusion sums to %d with %d on the diagonal; want total %d and correct %d", sum, diagonal, *got.Total, *got.Correct)
	}
	if want := float64(*got.Correct) / float64(*got.Total); *got.Accuracy != want {
		t.Errorf("accuracy = %v, want correct/total = %v", *got.Accuracy, want)
	}
	if got.Architecture != "784-32(relu)-10 ce" {
		t.Errorf("architecture = %q, want 784-32(relu)-10 ce", got.Architecture)
	}
}

func TestEvalText(t *testing.T) {
	t.Parallel()
	dir := tinyMNIST(t)
	model := trainTiny(t, dir)
	r := run(t, "eval", "--model", model, "--data", dir)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit code %d, stderr %q; want 0 and nothing", r.code, r.stderr)
	}
	out := lines(r.stdout)
	// model, data, accuracy, loss, the table's title and header, ten rows.
	if len(out) != 16 {
		t.Fatalf("%d lines, want 16:\n%s", len(out), r.stdout)
	}
	if !regexp.MustCompile(`^accuracy  [01]\.\d{4} \(\d+\.\d\d%, \d+ of 100 right\)$`).MatchString(out[2]) {
		t.Errorf("accuracy line = %q", out[2])
	}
	// The table is aligned: every row as wide as its header.
	header := out[5]
	for d, row := range out[6:] {
		if len(row) != len(header) {
			t.Errorf("row %d is %d wide, the header %d:\n%s\n%s", d, len(row), len(header), header, row)
		}
		if f := strings.Fields(row); len(f) != 12 || f[0] != string(rune('0'+d)) || !strings.HasSuffix(f[11], "%") {
			t.Errorf("row %d = %q, want the digit, ten counts and an accuracy", d, row)
		}
	}
}

// TestEvalRejectsModels checks the models eval refuses: not a model file,
// and a model that does not fit MNIST.
func TestEvalRejectsModels(t *testing.T) {
	t.Parallel()
	dir := tinyMNIST(t)
	tmp := t.TempDir()
	notModel := filepath.Join(tmp, "notes.npz")
	if err := os.WriteFile(notModel, []byte("not a zip archive"), 0o644); err != nil {
		t.Fatal(err)
	}
	small := filepath.Join(tmp, "small.npz")
	m, err := engine.NewModel(engine.Architecture{Inputs: 16, Hidden: []int{4}, Acts: []engine.Activation{engine.ReLU}, Outputs: 3},
		engine.Init{Kind: engine.InitHe}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if err := engine.SaveModel(small, m); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		model string
		want  []string
	}{
		{notModel, []string{"not a model file"}},
		{small, []string{"the network in " + filepath.Base(small) + " does not fit MNIST: the model takes 16 inputs", "the model gives 3 outputs"}},
		{tmp, []string{"is a folder, not a model file"}},
	}
	for _, tt := range tests {
		for _, cmd := range [][]string{{"eval", "--data", dir}, {"predict", "x.png"}} {
			r := run(t, append(cmd, "--model", tt.model)...)
			if r.code != 1 || r.stdout != "" {
				t.Errorf("%s --model %s: exit code %d, stdout %q; want 1 and nothing", cmd[0], tt.model, r.code, r.stdout)
			}
			got := lines(r.stderr)
			if len(got) != len(tt.want) {
				t.Errorf("%s --model %s: stderr has %d lines, want %d:\n%s", cmd[0], tt.model, len(got), len(tt.want), r.stderr)
				continue
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("%s --model %s: stderr line %q lacks %q", cmd[0], tt.model, got[i], w)
				}
			}
		}
	}
}

// TestBookModel measures the pretrained network of "Deep Learning from
// Scratch", chapter 3, on the real MNIST test set: the book prints 0.9352.
func TestBookModel(t *testing.T) {
	t.Parallel()
	const book = "../../shared/reference/book_sample_weight.npz"
	if _, err := os.Stat(book); err != nil {
		t.Skipf("the book's model is not here (%v): skipping", err)
	}
	if _, err := engine.FindMNISTDir(""); err != nil {
		t.Skipf("MNIST is not here (%v): skipping", err)
	}
	// Main is called directly, without run's ten-second limit: eval waits on
	// nothing but reading files and computing, so it cannot hang, and reading
	// and measuring all of MNIST under the race detector on a busy machine
	// may take about that long.
	var stdout, stderr bytes.Buffer
	code := Main(t.Context(), []string{"eval", "--model", book}, bytes.NewReader(nil), &stdout, &stderr)
	r := result{code: code, stdout: stdout.String(), stderr: stderr.String()}
	checkNoPanic(t, r)
	if r.code != 0 {
		t.Fatalf("exit code %d, stderr:\n%s", r.code, r.stderr)
	}
	if want := "accuracy  0.9352 (93.52%, 9,352 of 10,000 right)"; !strings.Contains(r.stdout, want) {
		t.Errorf("output lacks %q:\n%s", want, r.stdout)
	}
	if want := "784-50(sigmoid)-100(sigmoid)-10 ce"; !strings.Contains(r.stdout, want) {
		t.Errorf("output lacks the architecture %q:\n%s", want, r.stdout)
	}
}

// TestEvalJSONMisclassified measures an untrained model, which gets most
// test images wrong, and checks the list of its mistakes against the
// confusion matrix and the test labels.
func TestEvalJSONMisclassified(t *testing.T) {
	t.Parallel()
	dir := tinyMNIST(t)
	model := filepath.Join(t.TempDir(), "untrained.npz")
	m, err := engine.NewModel(engine.MNISTArch([]int{8}, []engine.Activation{engine.Tanh}, engine.CrossEntropy),
		engine.Init{Kind: engine.InitXavier}, rand.New(rand.NewPCG(3, 3)))
	if err != nil {
		t.Fatal(err)
	}
	if err := engine.SaveModel(model, m); err != nil {
		t.Fatal(err)
	}
	r := run(t, "eval", "--model", model, "--data", dir, "--json")
	if r.code != 0 {
		t.Fatalf("exit code %d, stderr %q", r.code, r.stderr)
	}
	var got struct {
		Correct       int       `json:"correct"`
		Total         int       `json:"total"`
		Confusion     [][]int   `json:"confusion"`
		Misclassified []missing `json:"misclassified"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	if len(got.Misclassified) != got.Total-got.Correct || len(got.Misclassified) < 50 {
		t.Fatalf("%d misclassified listed, want total − correct = %d (and many for an untrained model)", len(got.Misclassified), got.Total-got.Correct)
	}
	labels := tinyData().Test.Labels
	counts := make([][]int, 10)
	for i := range counts {
		counts[i] = make([]int, 10)
	}
	for _, mc := range got.Misclassified {
		if mc.Index == nil || mc.Label == nil || mc.Predicted == nil || mc.Probability == nil {
			t.Fatalf("an entry lacks a key: %+v", mc)
		}
		if *mc.Label != int(labels[*mc.Index]) || *mc.Predicted == *mc.Label || !(*mc.Probability > 0 && *mc.Probability <= 1) {
			t.Fatalf("entry %d: label %d, predicted %d, probability %g", *mc.Index, *mc.Label, *mc.Predicted, *mc.Probability)
		}
		counts[*mc.Label][*mc.Predicted]++
	}
	for l, row := range got.Confusion {
		for p, c := range row {
			if l != p && counts[l][p] != c {
				t.Errorf("confusion[%d][%d] = %d, %d such images listed", l, p, c, counts[l][p])
			}
		}
	}
}

// missing is one entry of eval's misclassified list, every key a pointer
// so that a missing one shows.
type missing struct {
	Index       *int     `json:"index"`
	Label       *int     `json:"label"`
	Predicted   *int     `json:"predicted"`
	Probability *float64 `json:"probability"`
}
