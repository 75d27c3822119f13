package engine

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var wantRunLogHeader = []string{"kind", "step", "epoch", "train_loss", "test_loss", "test_accuracy", "seconds"}

// readRunLog parses a run log, failing the test unless every row has the
// header's columns.
func readRunLog(t *testing.T, data []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = len(wantRunLogHeader)
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("the run log is not CSV of %d columns: %v\n%s", len(wantRunLogHeader), err, data)
	}
	if len(rows) == 0 || !slices.Equal(rows[0], wantRunLogHeader) {
		t.Fatalf("header %q, want %q", rows, wantRunLogHeader)
	}
	return rows[1:]
}

// TestRunLogOfSession writes the log of a real run and reads it back: one
// row per step with its loss, and one per measurement that matches Tests,
// each after the step it was taken at.
func TestRunLogOfSession(t *testing.T) {
	t.Parallel()
	cfg := smallConfig()
	cfg.Epochs = 2
	s, err := NewSession(cfg, fixture(), SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := runSession(t, s, context.Background()); err != nil {
		t.Fatal(err)
	}
	snap := s.Latest()
	var buf bytes.Buffer
	if err := WriteRunLog(&buf, snap); err != nil {
		t.Fatal(err)
	}
	rows := readRunLog(t, buf.Bytes())

	var steps, tests [][]string
	lastStep := 0
	for i, r := range rows {
		switch r[0] {
		case "step":
			steps = append(steps, r)
			n, err := strconv.Atoi(r[1])
			if err != nil || n != lastStep+1 {
				t.Fatalf("row %d: step %q after step %d", i+1, r[1], lastStep)
			}
			lastStep = n
			if r[4] != "" || r[5] != "" || r[6] != "" {
				t.Errorf("row %d: a step row has test cells %q", i+1, r[4:])
			}
		case "test":
			tests = append(tests, r)
			if r[1] != strconv.Itoa(lastStep) {
				t.Errorf("row %d: a test at step %s follows step %d", i+1, r[1], lastStep)
			}
		default:
			t.Fatalf("row %d: kind %q", i+1, r[0])
		}
	}
	// 1200 images in batches of 50: 24 steps an epoch.
	if len(steps) != snap.Step || len(steps) != 48 {
		t.Fatalf("%d step rows, want one per step, %d (48)", len(steps), snap.Step)
	}
	for i, r := range steps {
		loss, err := strconv.ParseFloat(r[3], 32)
		if err != nil || float32(loss) != snap.TrainLoss[i] {
			t.Errorf("step %d: train_loss %q, want %v", i+1, r[3], snap.TrainLoss[i])
		}
		epoch, err := strconv.ParseFloat(r[2], 64)
		if want := float64(i+1) / 24; err != nil || math.Abs(epoch-want) > 1e-12 {
			t.Errorf("step %d: epoch %q, want %v", i+1, r[2], want)
		}
	}
	if len(tests) != len(snap.Tests) || len(tests) != 2 {
		t.Fatalf("%d test rows, want one per measurement, %d (2)", len(tests), len(snap.Tests))
	}
	for i, r := range tests {
		m := snap.Tests[i]
		want := []string{"test", strconv.Itoa(m.Step), strconv.Itoa(m.Epoch)}
		if !slices.Equal(r[:3], want) {
			t.Errorf("test %d: %q, want %q", i+1, r[:3], want)
		}
		for j, v := range []float64{m.TrainLoss, m.Loss, m.Accuracy} {
			if got, err := strconv.ParseFloat(r[3+j], 64); err != nil || got != v {
				t.Errorf("test %d: %s = %q, want %v", i+1, wantRunLogHeader[3+j], r[3+j], v)
			}
		}
		if got, err := strconv.ParseFloat(r[6], 64); err != nil || math.Abs(got-m.Seconds) > 0.0005 {
			t.Errorf("test %d: seconds %q, want %v", i+1, r[6], m.Seconds)
		}
	}
}

// TestRunLogOrderAndOddValues checks a hand-made history: a measurement
// before the first step and one after the last, a measurement mid-epoch,
// losses that blew up, and a snapshot that does not know its epoch length.
func TestRunLogOrderAndOddValues(t *testing.T) {
	t.Parallel()
	inf := float32(math.Inf(1))
	s := &Snapshot{
		StepsPerEpoch: 2,
		TrainLoss:     []float32{2.5, 1.25, float32(math.NaN()), inf},
		Tests: []EpochMetric{
			{Epoch: 0, Step: 0, TrainLoss: math.NaN(), Loss: 2.3, Accuracy: 0.1, Seconds: 0},
			{Epoch: 1, Step: 2, TrainLoss: 1.875, Loss: 1.5, Accuracy: 0.5, Seconds: 1.25},
			{Epoch: 1, Step: 3, TrainLoss: math.NaN(), Loss: math.Inf(1), Accuracy: 0.1, Seconds: 2},
			{Epoch: 2, Step: 4, TrainLoss: math.Inf(1), Loss: math.NaN(), Accuracy: 0.1, Seconds: 3.5},
		},
	}
	var buf bytes.Buffer
	if err := WriteRunLog(&buf, s); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"kind,step,epoch,train_loss,test_loss,test_accuracy,seconds",
		"test,0,0,NaN,2.3,0.1,0.000",
		"step,1,0.5,2.5,,,",
		"step,2,1,1.25,,,",
		"test,2,1,1.875,1.5,0.5,1.250",
		"step,3,1.5,NaN,,,",
		"test,3,1,NaN,+Inf,0.1,2.000",
		"step,4,2,+Inf,,,",
		"test,4,2,+Inf,NaN,0.1,3.500",
	}, "\n") + "\n"
	if got := buf.String(); got != want {
		t.Errorf("run log:\n%s\nwant:\n%s", got, want)
	}

	s.StepsPerEpoch = 0
	buf.Reset()
	if err := WriteRunLog(&buf, s); err != nil {
		t.Fatal(err)
	}
	for _, r := range readRunLog(t, buf.Bytes()) {
		if r[0] == "step" && r[2] != "" {
			t.Errorf("without an epoch length, step %s has epoch %q, want it empty", r[1], r[2])
		}
	}
}

func TestRunLogEmpty(t *testing.T) {
	t.Parallel()
	for _, s := range []*Snapshot{nil, {}} {
		var buf bytes.Buffer
		if err := WriteRunLog(&buf, s); err != nil {
			t.Fatal(err)
		}
		if rows := readRunLog(t, buf.Bytes()); len(rows) != 0 {
			t.Errorf("%v: rows %q after the header, want none", s, rows)
		}
	}
	if !slices.Equal(RunLogHeader(), wantRunLogHeader) {
		t.Errorf("RunLogHeader() = %q, want %q", RunLogHeader(), wantRunLogHeader)
	}
}

func TestRunLogReportsWriteErrors(t *testing.T) {
	t.Parallel()
	s := &Snapshot{StepsPerEpoch: 1, TrainLoss: make([]float32, 10000)}
	if err := WriteRunLog(failingWriter{}, s); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("writing to a full disk: %v, want its error", err)
	}
}
