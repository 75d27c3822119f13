package ui

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/chart"
)

func TestEveryChartExportsAsPNGAndSVG(t *testing.T) {
	cfg := engine.DefaultConfig()
	h := newHarness(t, Options{Config: &cfg})
	p := h.p
	p.apply(fakeRun(h), teachingSnapshot(t, h, 900))
	dir := t.TempDir()
	for _, c := range p.exportables() {
		for _, ext := range []string{".png", ".svg"} {
			path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+ext)
			if err := chart.ExportFile(path, c.chart, 640, 400, chart.PrintStyle(640, 400)); err != nil {
				t.Errorf("%s%s: %v", c.name, ext, err)
				continue
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if ext == ".png" {
				img, err := png.Decode(bytes.NewReader(data))
				if err != nil || img.Bounds().Dx() != 640 || img.Bounds().Dy() != 400 {
					t.Errorf("%s.png: %v, %v", c.name, img.Bounds(), err)
				}
			} else if !bytes.Contains(data, []byte("<svg")) {
				t.Errorf("%s.svg is not an SVG document", c.name)
			}
		}
	}
	if len(p.exportables()) < 7 {
		t.Errorf("%d charts to export, want every view's", len(p.exportables()))
	}
	if _, _, err := parseSize("1920x1080"); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"", "1920", "x", "10x10", "1920x99999"} {
		if _, _, err := parseSize(bad); err == nil {
			t.Errorf("size %q accepted", bad)
		}
	}
}

func TestTheRunLogIsExportedThroughItsDialog(t *testing.T) {
	h := newHarness(t, Options{Config: smallConfig(1)})
	p := h.p
	p.start()
	h.until("the run to end", func() bool { return p.ws.Run != nil && p.ws.Run.Ended })
	p.prefs.setString(prefFolder, t.TempDir())
	p.exportLogDialog()
	p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	path := filepath.Join(p.modelFolder(), "run.csv")
	h.until("the run log", func() bool { _, err := os.Stat(path); return err == nil && strings.HasPrefix(p.ws.Message, "Exported") })
	data, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if !strings.HasPrefix(lines[0], "kind,") || len(lines) < 1+p.ws.Last.Step {
		t.Errorf("run log: %d lines, header %q; want a header and a row per step (%d)", len(lines), lines[0], p.ws.Last.Step)
	}
}

func TestADigitImageIsReadOntoThePadAndABadOneExplained(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.p
	dir := t.TempDir()
	good := filepath.Join(dir, "seven.png")
	var buf bytes.Buffer
	if err := png.Encode(&buf, sevenImage()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	p.dropped(fyne.NewPos(0, 0), []fyne.URI{storage.NewFileURI(good)})
	h.until("the image on the pad", func() bool { return p.views.draw.HasPrediction() })
	if note := p.views.draw.Probs.Note(); note != "image: seven.png" {
		t.Errorf("note %q", note)
	}
	// An image is no model: it keeps the folder, not a place among the
	// recent models, which would open it as one.
	if got := p.prefs.recent(); slices.Contains(got, good) {
		t.Errorf("the image is among the recent models: %q", got)
	}
	if got := p.prefs.string(prefFolder); got != dir {
		t.Errorf("the file dialogs start in %q, want the image's folder %q", got, dir)
	}
	bad := filepath.Join(dir, "notes.png")
	if err := os.WriteFile(bad, []byte("not an image"), 0o644); err != nil {
		t.Fatal(err)
	}
	p.readDigit(bad)
	h.until("the error", func() bool { return p.dialogs.last.title == "Cannot read the image" })
	if !strings.Contains(p.dialogs.last.message, "notes.png") || !strings.Contains(p.dialogs.last.message, "the pad stays as it was") {
		t.Errorf("message %q", p.dialogs.last.message)
	}
	if note := p.views.draw.Probs.Note(); note != "image: seven.png" {
		t.Errorf("a bad image changed the pad: note %q", note)
	}
}
