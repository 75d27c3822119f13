package chart

import (
	"io"
	"testing"
)

// The window redraws its charts for every snapshot, about ten times a
// second; all of them together should take well under 30 ms.

func BenchmarkLoss800x400(b *testing.B) {
	s := fakeSnapshot(6000, 600, 1)
	st := DarkStyle()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Loss(s, 800, 400, st, false); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLossLog800x400(b *testing.B) {
	s := fakeSnapshot(6000, 600, 1)
	st := DarkStyle()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Loss(s, 800, 400, st, true); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoss60000Steps800x400(b *testing.B) {
	s := fakeSnapshot(60000, 600, 1)
	st := DarkStyle()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Loss(s, 800, 400, st, false); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAccuracy800x400(b *testing.B) {
	s := fakeSnapshot(6000, 600, 1)
	st := DarkStyle()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Accuracy(s, 800, 400, st); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHistogram800x400(b *testing.B) {
	hist := fakeHistory(30, 6000, 2)
	st := DarkStyle()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Histogram("Layer 1 weights", hist, 800, 400, st); err != nil {
			b.Fatal(err)
		}
	}
}

// An exported figure is drawn once, when asked for: these say what a slide's
// worth costs.

func BenchmarkExportPNG1600x1000(b *testing.B) {
	c := LossAndAccuracy(fakeSnapshot(6000, 600, 1), false)
	st := PrintStyle(1600, 1000)
	b.ReportAllocs()
	for b.Loop() {
		if err := Export(io.Discard, PNG, c, 1600, 1000, st); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExportSVG1600x1000(b *testing.B) {
	c := LossAndAccuracy(fakeSnapshot(6000, 600, 1), false)
	st := PrintStyle(1600, 1000)
	b.ReportAllocs()
	for b.Loop() {
		if err := Export(io.Discard, SVG, c, 1600, 1000, st); err != nil {
			b.Fatal(err)
		}
	}
}
