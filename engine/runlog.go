package engine

import (
	"encoding/csv"
	"io"
	"strconv"
)

// The run log is one CSV table in long form: a row for every training step
// and a row for every test measurement, in the order they happened (a
// measurement follows the step it was taken after), told apart by the kind
// column. One file rather than two keeps a run's log in one place, for one
// save dialog and one --csv flag, and a spreadsheet's filter or pandas'
// df[df.kind == "test"] splits it again. A cell a kind does not have is
// empty.
//
// Columns:
//
//	kind           "step" or "test"
//	step           steps done: the step's number, from 1, or the steps done when measured
//	epoch          step rows: epochs done after the step, a fraction (step / steps per epoch);
//	               test rows: the whole epochs done when measured
//	train_loss     step rows: the step's mini-batch loss;
//	               test rows: the mean training loss over the epoch's steps so far
//	test_loss      test rows: the mean loss on the test set
//	test_accuracy  test rows: the fraction of test images classified right, 0 to 1
//	seconds        test rows: training time from the start to the measurement
//
// A loss that blew up is written as NaN, +Inf or -Inf, which spreadsheets
// and pandas read as such.
//
// To log another series, add a column to runLogColumns: its name and how a
// step row and a test row fill it (nil for an empty cell). A column of
// something the snapshot holds for every step, such as a learning-rate
// history, fills step rows from index i; one of something measured with the
// tests fills test rows.
var runLogColumns = []runLogColumn{
	{"kind", func(*Snapshot, int) string { return "step" }, func(EpochMetric) string { return "test" }},
	{"step", func(_ *Snapshot, i int) string { return strconv.Itoa(i + 1) }, func(m EpochMetric) string { return strconv.Itoa(m.Step) }},
	{"epoch", func(s *Snapshot, i int) string {
		if s.StepsPerEpoch <= 0 {
			return ""
		}
		return formatLog(float64(i+1) / float64(s.StepsPerEpoch))
	}, func(m EpochMetric) string { return strconv.Itoa(m.Epoch) }},
	{"train_loss", func(s *Snapshot, i int) string {
		return strconv.FormatFloat(float64(s.TrainLoss[i]), 'g', -1, 32)
	}, func(m EpochMetric) string { return formatLog(m.TrainLoss) }},
	{"test_loss", nil, func(m EpochMetric) string { return formatLog(m.Loss) }},
	{"test_accuracy", nil, func(m EpochMetric) string { return formatLog(m.Accuracy) }},
	{"seconds", nil, func(m EpochMetric) string { return strconv.FormatFloat(m.Seconds, 'f', 3, 64) }},
}

// runLogColumn is one column of the run log: its header and how a step row
// (the i-th step, from 0) and a test row fill it; nil leaves it empty.
type runLogColumn struct {
	name string
	step func(s *Snapshot, i int) string
	test func(m EpochMetric) string
}

// RunLogHeader returns the run log's column names, in order.
func RunLogHeader() []string {
	h := make([]string, len(runLogColumns))
	for i, c := range runLogColumns {
		h[i] = c.name
	}
	return h
}

// WriteRunLog writes the run log of s as CSV (see runLogColumns for the
// columns): a header, a row for each of its steps and one for each of its
// test measurements, in the order they happened. A nil snapshot gives the
// header alone.
func WriteRunLog(w io.Writer, s *Snapshot) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(RunLogHeader()); err != nil {
		return err
	}
	if s != nil {
		row := make([]string, len(runLogColumns))
		writeStep := func(i int) error {
			for j, c := range runLogColumns {
				row[j] = ""
				if c.step != nil {
					row[j] = c.step(s, i)
				}
			}
			return cw.Write(row)
		}
		writeTest := func(m EpochMetric) error {
			for j, c := range runLogColumns {
				row[j] = ""
				if c.test != nil {
					row[j] = c.test(m)
				}
			}
			return cw.Write(row)
		}
		// Tests are in step order; each goes after the steps it saw.
		next := 0
		for i := range s.TrainLoss {
			for next < len(s.Tests) && s.Tests[next].Step <= i {
				if err := writeTest(s.Tests[next]); err != nil {
					return err
				}
				next++
			}
			if err := writeStep(i); err != nil {
				return err
			}
		}
		for ; next < len(s.Tests); next++ {
			if err := writeTest(s.Tests[next]); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// formatLog writes a number as briefly as it reads back exactly; NaN and
// the infinities as NaN, +Inf and -Inf.
func formatLog(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
