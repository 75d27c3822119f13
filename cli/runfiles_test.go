package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// readCSV reads a run log, failing the test unless it is CSV with the
// run log's header.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the run log: %v", err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("the run log is not CSV: %v", err)
	}
	want := []string{"kind", "step", "epoch", "train_loss", "test_loss", "test_accuracy", "seconds"}
	if len(rows) == 0 || !slices.Equal(rows[0], want) {
		t.Fatalf("the run log's header is %q, want %q", rows[:min(1, len(rows))], want)
	}
	return rows[1:]
}

// svgTexts checks that data is well-formed SVG holding paths, and returns
// its texts.
func svgTexts(t *testing.T, data []byte) []string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	var texts []string
	paths, inText, root := 0, false, ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = el.Name.Local
			}
			switch el.Name.Local {
			case "path":
				paths++
			case "text":
				inText = true
				texts = append(texts, "")
			}
		case xml.EndElement:
			if el.Name.Local == "text" {
				inText = false
			}
		case xml.CharData:
			if inText {
				texts[len(texts)-1] += string(el)
			}
		}
	}
	if root != "svg" || paths < 10 {
		t.Fatalf("the SVG's root is <%s> with %d paths, want <svg> with a chart's paths", root, paths)
	}
	return texts
}

// TestTrainWritesRunFiles trains with --csv and --plot and reads both back:
// the log has a row per step and the test rows match the --json epochs; the
// SVG holds both charts.
func TestTrainWritesRunFiles(t *testing.T) {
	t.Parallel()
	dir := tinyMNIST(t)
	tmp := t.TempDir()
	out, log, fig := filepath.Join(tmp, "m.npz"), filepath.Join(tmp, "run.csv"), filepath.Join(tmp, "run.svg")
	r := run(t, "train", "--data", dir, "--layers", "16", "--batch", "20", "--epochs", "2",
		"--out", out, "--csv", log, "--plot", fig, "--json")
	if r.code != 0 {
		t.Fatalf("exit code %d, stderr:\n%s", r.code, r.stderr)
	}
	epochs := decodeLines(t, r.stdout)
	rows := readCSV(t, log)
	var steps, tests [][]string
	for _, row := range rows {
		switch row[0] {
		case "step":
			steps = append(steps, row)
		case "test":
			tests = append(tests, row)
		default:
			t.Fatalf("row %q has kind %q", row, row[0])
		}
	}
	// 600 images in batches of 20: 30 steps an epoch.
	if len(steps) != 60 {
		t.Errorf("%d step rows, want one per step, 60", len(steps))
	}
	for i, row := range steps {
		if row[1] != strconv.Itoa(i+1) {
			t.Errorf("step row %d has step %q", i+1, row[1])
			break
		}
		if _, err := strconv.ParseFloat(row[3], 64); err != nil {
			t.Errorf("step %d: training loss %q", i+1, row[3])
		}
	}
	if len(tests) != len(epochs) || len(tests) != 2 {
		t.Fatalf("%d test rows for %d epochs printed, want 2 of each", len(tests), len(epochs))
	}
	for i, row := range tests {
		j := epochs[i]
		for col, key := range map[int]string{1: "step", 2: "epoch", 3: "train_loss", 4: "test_loss", 5: "test_accuracy", 6: "seconds"} {
			got, err := strconv.ParseFloat(row[col], 64)
			want := j[key].(float64)
			// --json rounds nothing but seconds, which the log keeps to
			// the millisecond.
			if err != nil || math.Abs(got-want) > 0.0005*math.Max(1, math.Abs(want)) {
				t.Errorf("epoch %d: %s is %q in the log, %v in --json", i+1, key, row[col], want)
			}
		}
	}

	data, err := os.ReadFile(fig)
	if err != nil {
		t.Fatal(err)
	}
	texts := svgTexts(t, data)
	for _, want := range []string{"Loss", "Test accuracy", "epoch"} {
		if !slices.Contains(texts, want) {
			t.Errorf("the chart has no text %q: %q", want, texts)
		}
	}
	if !bytes.Contains(data, []byte(`width="1200pt" height="750pt"`)) {
		t.Errorf("the SVG is not 1600×1000 CSS pixels (1200×750 points):\n%.300s", data)
	}
	for _, want := range []string{"wrote the run log to " + log + " (60 steps, 2 test measurements)", "wrote the loss and accuracy chart to " + fig + " (1600×1000)"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

// TestTrainPlotPNG checks a PNG's size and that it is not blank. It draws
// small ones: under the race detector, encoding a 1600×1000 PNG alone takes
// seconds. The default size is checked on the command line's parse and on
// the SVG of TestTrainWritesRunFiles.
func TestTrainPlotPNG(t *testing.T) {
	t.Parallel()
	dir := tinyMNIST(t)
	for _, tc := range []struct {
		size string
		w, h int
	}{{"640x400", 640, 400}, {"300X200", 300, 200}} {
		tmp := t.TempDir()
		fig := filepath.Join(tmp, "Fig.PNG")
		args := []string{"train", "--data", dir, "--layers", "8", "--batch", "50", "--epochs", "1",
			"--out", filepath.Join(tmp, "m.npz"), "--plot", fig, "--plot-size", tc.size}
		r := run(t, args...)
		if r.code != 0 {
			t.Fatalf("%q: exit code %d, stderr:\n%s", args, r.code, r.stderr)
		}
		f, err := os.Open(fig)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("the PNG does not decode: %v", err)
		}
		if got := img.Bounds(); got != image.Rect(0, 0, tc.w, tc.h) {
			t.Errorf("--plot-size %s: the PNG is %v, want %d×%d", tc.size, got, tc.w, tc.h)
		}
		colours := map[color.Color]bool{}
		for y := 0; y < tc.h; y++ {
			for x := 0; x < tc.w; x++ {
				colours[img.At(x, y)] = true
			}
		}
		if len(colours) < 20 {
			t.Errorf("--plot-size %s: the PNG has %d colours, want a drawn chart", tc.size, len(colours))
		}
	}
}

func TestTrainPlotSizeDefault(t *testing.T) {
	t.Parallel()
	opts, err := parseTrain([]string{"--plot", "fig.png", "--csv", "run.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if want := (runFiles{csv: "run.csv", plot: "fig.png", plotW: 1600, plotH: 1000}); opts.files != want {
		t.Errorf("run files %+v, want %+v", opts.files, want)
	}
	opts, err = parseTrain(nil)
	if err != nil {
		t.Fatal(err)
	}
	if opts.files.csv != "" || opts.files.plot != "" {
		t.Errorf("without --csv and --plot: %+v, want no run files", opts.files)
	}
}

// TestTrainRunFilesCheckedFirst checks that a bad --csv or --plot fails
// before training starts, with a message that says what is wrong.
func TestTrainRunFilesCheckedFirst(t *testing.T) {
	t.Parallel()
	dir := tinyMNIST(t)
	tmp := t.TempDir()
	out := filepath.Join(tmp, "m.npz")
	missing := filepath.Join(tmp, "no-such-folder")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--csv", filepath.Join(missing, "run.csv")}, 1, "cannot write the run log to " + filepath.Join(missing, "run.csv") + ": the folder " + missing + " does not exist"},
		{[]string{"--plot", filepath.Join(missing, "run.svg")}, 1, "cannot write the chart to " + filepath.Join(missing, "run.svg") + ": the folder " + missing + " does not exist"},
		{[]string{"--csv", tmp}, 1, "cannot write the run log to " + tmp + ": it is a folder"},
		{[]string{"--plot", "run.pdf"}, 2, "--plot: cannot export a chart as .pdf: end the name in .png or .svg"},
		{[]string{"--plot", "run"}, 2, "--plot: run has no extension"},
		{[]string{"--plot", "run.svg", "--plot-size", "big"}, 2, `--plot-size "big" is not WIDTHxHEIGHT in pixels`},
		{[]string{"--plot", "run.svg", "--plot-size", "50x50"}, 2, "--plot-size 50x50 is out of range"},
		{[]string{"--csv", out}, 2, "--out and --csv both name " + out},
		{[]string{"--csv", "a.svg", "--plot", "./a.svg"}, 2, "--csv and --plot both name ./a.svg"},
	} {
		args := append([]string{"train", "--data", dir, "--layers", "8", "--epochs", "1", "--out", out}, tc.args...)
		r := run(t, args...)
		if r.code != tc.code {
			t.Errorf("%q: exit code %d, want %d; stderr:\n%s", tc.args, r.code, tc.code, r.stderr)
		}
		if !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%q: stderr lacks %q:\n%s", tc.args, tc.want, r.stderr)
		}
		if strings.Contains(r.stderr, "training 784") {
			t.Errorf("%q: training started before the bad file was reported:\n%s", tc.args, r.stderr)
		}
		if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%q: a model was saved: %v", tc.args, err)
		}
	}
}

// TestTrainDivergedWritesRunFiles checks that a run that blows up still
// gets its log and chart, which show how it went, while its model is not
// saved.
func TestTrainDivergedWritesRunFiles(t *testing.T) {
	t.Parallel()
	dir := tinyMNIST(t)
	tmp := t.TempDir()
	log, fig := filepath.Join(tmp, "run.csv"), filepath.Join(tmp, "run.svg")
	r := run(t, "train", "--data", dir, "--layers", "64", "--batch", "10", "--lr", "100", "--epochs", "200",
		"--out", filepath.Join(tmp, "m.npz"), "--csv", log, "--plot", fig)
	if r.code != 1 || !strings.Contains(r.stderr, "training diverged") {
		t.Fatalf("exit code %d, want 1 for a diverged run; stderr:\n%s", r.code, r.stderr)
	}
	rows := readCSV(t, log)
	if len(rows) == 0 {
		t.Fatal("the diverged run's log has no rows")
	}
	blewUp := false
	for _, row := range rows {
		if v, err := strconv.ParseFloat(row[3], 64); err == nil && (v > 10 || math.IsInf(v, 0) || math.IsNaN(v)) {
			blewUp = true
		}
	}
	if !blewUp {
		t.Errorf("the diverged run's log shows no loss that blew up:\n%q", rows)
	}
	data, err := os.ReadFile(fig)
	if err != nil {
		t.Fatalf("the diverged run's chart: %v", err)
	}
	if texts := svgTexts(t, data); !slices.Contains(texts, "Loss") {
		t.Errorf("the diverged run's chart has no loss chart: %q", texts)
	}
}
