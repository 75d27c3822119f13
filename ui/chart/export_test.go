package chart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// exportCharts returns one chart of every kind the package draws, by name.
func exportCharts() map[string]Chart {
	s := fakeSnapshot(6000, 600, 11)
	return map[string]Chart{
		"loss":      LossChart(s, false),
		"loss-log":  LossChart(s, true),
		"accuracy":  AccuracyChart(s),
		"histogram": HistogramChart("Layer 1 weights", fakeHistory(12, 6000, 5)),
		"combined":  LossAndAccuracy(s, false),
		"empty":     LossAndAccuracy(nil, false),
	}
}

// svgDoc is what a test reads back from an exported SVG.
// svgText is where a <text> is and its size, in the document's units.
type svgText struct {
	x, y, size float64
	turned     bool // inside a rotated group: x and y are in its frame
}

type svgDoc struct {
	width, height string   // the root's attributes
	paths         int      // <path> elements
	texts         []string // the content of each <text>
	textAt        []svgText
	firstFill     string // the fill of the first path: the background
}

// parseSVG reads an SVG document with encoding/xml, failing the test on
// anything that is not well-formed XML with an <svg> root.
func parseSVG(t *testing.T, data []byte) svgDoc {
	t.Helper()
	var doc svgDoc
	d := xml.NewDecoder(bytes.NewReader(data))
	depth := 0
	inText := false
	var turned []bool // for each open element, whether it or a parent rotates
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
			if depth == 0 {
				if el.Name.Local != "svg" {
					t.Fatalf("the root element is <%s>, want <svg>", el.Name.Local)
				}
				for _, a := range el.Attr {
					switch a.Name.Local {
					case "width":
						doc.width = a.Value
					case "height":
						doc.height = a.Value
					}
				}
			}
			depth++
			rot := len(turned) > 0 && turned[len(turned)-1]
			for _, a := range el.Attr {
				if a.Name.Local == "transform" && strings.Contains(a.Value, "rotate") {
					rot = true
				}
			}
			turned = append(turned, rot)
			switch el.Name.Local {
			case "path":
				if doc.paths == 0 {
					for _, a := range el.Attr {
						if a.Name.Local == "style" {
							for _, decl := range strings.Split(a.Value, ";") {
								if v, ok := strings.CutPrefix(decl, "fill:"); ok {
									doc.firstFill = v
								}
							}
						}
					}
				}
				doc.paths++
			case "text":
				inText = true
				doc.texts = append(doc.texts, "")
				at := svgText{turned: rot}
				for _, a := range el.Attr {
					switch a.Name.Local {
					case "x":
						at.x, _ = strconv.ParseFloat(a.Value, 64)
					case "y":
						at.y, _ = strconv.ParseFloat(a.Value, 64)
					case "style":
						for _, decl := range strings.Split(a.Value, ";") {
							if v, ok := strings.CutPrefix(strings.TrimSpace(decl), "font-size:"); ok {
								at.size, _ = strconv.ParseFloat(strings.TrimSuffix(v, "px"), 64)
							}
						}
					}
				}
				doc.textAt = append(doc.textAt, at)
			}
		case xml.EndElement:
			depth--
			turned = turned[:len(turned)-1]
			if el.Name.Local == "text" {
				inText = false
			}
		case xml.CharData:
			if inText {
				doc.texts[len(doc.texts)-1] += string(el)
			}
		}
	}
	if depth != 0 {
		t.Fatalf("the SVG ends with %d elements open", depth)
	}
	return doc
}

// hexColor writes c as vgsvg does: #rrggbb.
func hexColor(c color.Color) string {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return fmt.Sprintf("#%02X%02X%02X", n.R, n.G, n.B)
}

func TestExportPNG(t *testing.T) {
	t.Parallel()
	st := PrintStyle(1920, 1080)
	bg := color.RGBAModel.Convert(st.Background)
	for name, c := range exportCharts() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := Export(&buf, PNG, c, 1920, 1080, st); err != nil {
				t.Fatalf("Export: %v", err)
			}
			img, err := png.Decode(&buf)
			if err != nil {
				t.Fatalf("the PNG does not decode: %v", err)
			}
			if got, want := img.Bounds(), image.Rect(0, 0, 1920, 1080); got != want {
				t.Fatalf("bounds %v, want %v", got, want)
			}
			// Not blank: text, grid and curves take a share of the pixels
			// that an empty image (or one of a single colour) would not.
			drawn := 0
			for y := 0; y < 1080; y++ {
				for x := 0; x < 1920; x++ {
					if color.RGBAModel.Convert(img.At(x, y)) != bg {
						drawn++
					}
				}
			}
			if min := 1920 * 1080 / 200; drawn < min {
				t.Errorf("%d pixels differ from the background, want at least %d: the chart looks blank", drawn, min)
			}
			save(t, "export-"+name, img)

			// The file holds exactly what Render draws.
			want, err := Render(c, 1920, 1080, st)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(img.(*image.RGBA).Pix, want.(*image.RGBA).Pix) {
				t.Error("the exported PNG differs from Render's image")
			}
		})
	}
}

func TestExportSVG(t *testing.T) {
	t.Parallel()
	for name, c := range exportCharts() {
		for _, dark := range []bool{false, true} {
			st := PrintStyle(1920, 1080)
			if dark {
				st = DarkStyle()
			}
			t.Run(fmt.Sprintf("%s/dark=%v", name, dark), func(t *testing.T) {
				t.Parallel()
				var buf bytes.Buffer
				if err := Export(&buf, SVG, c, 1920, 1080, st); err != nil {
					t.Fatalf("Export: %v", err)
				}
				if *outDir != "" {
					if err := os.WriteFile(filepath.Join(*outDir, fmt.Sprintf("chart-export-%s-dark=%v.svg", name, dark)), buf.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				doc := parseSVG(t, buf.Bytes())
				if n := bytes.Count(buf.Bytes(), []byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;")); n != len(doc.texts) {
					t.Errorf("%d of %d texts name the fallback fonts", n, len(doc.texts))
				}
				// 1920×1080 CSS pixels are 1440×810 points.
				if doc.width != "1440pt" || doc.height != "810pt" {
					t.Errorf("size %s×%s, want 1440pt×810pt", doc.width, doc.height)
				}
				if got, want := doc.firstFill, hexColor(st.Background); got != want {
					t.Errorf("the first path is filled %q, want the background %q", got, want)
				}
				// The background, the grid and the data are paths.
				if doc.paths < 10 {
					t.Errorf("%d paths, want the background, grid lines and data", doc.paths)
				}
				if len(doc.texts) < 5 {
					t.Errorf("texts %q, want a title, axis labels and tick labels", doc.texts)
				}
				titles := map[string][]string{
					"loss": {"Loss"}, "loss-log": {"Loss", "loss (log scale)"}, "accuracy": {"Test accuracy"},
					"histogram": {"Layer 1 weights", "weight"}, "combined": {"Loss", "Test accuracy"},
					"empty": {"Loss", "Test accuracy", "press Start to train"},
				}[name]
				for _, want := range titles {
					if !slices.Contains(doc.texts, want) {
						t.Errorf("no text %q among %q", want, doc.texts)
					}
				}
			})
		}
	}
}

// TestExportSVGFollowsLayout checks that the SVG is laid out as the PNG of
// the same size would be: its text is as many CSS pixels tall as the
// image's is pixels, and every label lies inside the drawing.
func TestExportSVGFollowsLayout(t *testing.T) {
	t.Parallel()
	s := fakeSnapshot(3000, 600, 2)
	for _, sz := range []size{{600, 300, 1}, {1920, 1080, 2.16}} {
		st := LightStyle()
		st.Scale = sz.scale
		var buf bytes.Buffer
		if err := Export(&buf, SVG, LossAndAccuracy(s, false), sz.w, sz.h, st); err != nil {
			t.Fatal(err)
		}
		doc := parseSVG(t, buf.Bytes())
		w, h := 0.75*float64(sz.w), 0.75*float64(sz.h)
		for i, at := range doc.textAt {
			// vgsvg flips y: a text's y is minus its height above the bottom.
			if !at.turned && (at.x < 0 || at.x > w || -at.y < 0 || -at.y > h) {
				t.Errorf("%v: text %q at (%g, %g) lies outside the %g×%g drawing", sz, doc.texts[i], at.x, -at.y, w, h)
			}
			if doc.texts[i] == "Loss" {
				// The title is TextSize points of Scale pixels, each pixel
				// 0.75 of the SVG's points.
				if want := 0.75 * st.TextSize * st.Scale; math.Abs(at.size-want) > 0.01 {
					t.Errorf("%v: the title is %g points tall, want %g", sz, at.size, want)
				}
			}
		}
		if !slices.Contains(doc.texts, "Loss") {
			t.Errorf("%v: no title among %q", sz, doc.texts)
		}
	}
}

func TestExportRejects(t *testing.T) {
	t.Parallel()
	c := LossChart(nil, false)
	for _, format := range []Format{PNG, SVG} {
		for _, sz := range [][2]int{{0, 100}, {100, -1}, {maxEdge + 1, 10}} {
			if err := Export(io.Discard, format, c, sz[0], sz[1], LightStyle()); err == nil || !strings.Contains(err.Error(), "chart size") {
				t.Errorf("%v %d×%d: error %v, want one about the chart size", format, sz[0], sz[1], err)
			}
		}
		if err := Export(io.Discard, format, c, 100, 100, Style{}); err == nil || !strings.Contains(err.Error(), "start from DarkStyle or LightStyle") {
			t.Errorf("%v with a zero style: error %v, want one about the style", format, err)
		}
		if err := Export(io.Discard, format, Chart{}, 100, 100, LightStyle()); err == nil {
			t.Errorf("%v of a zero Chart: no error", format)
		}
	}
	if err := Export(io.Discard, Format(7), c, 100, 100, LightStyle()); err == nil {
		t.Error("an unknown format: no error")
	}
}

func TestFormatOf(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		path string
		want Format
		err  string
	}{
		{"loss.png", PNG, ""},
		{"slides/Loss.PNG", PNG, ""},
		{"a.b.svg", SVG, ""},
		{"chart", 0, "has no extension"},
		{"chart.pdf", 0, "cannot export a chart as .pdf"},
	} {
		got, err := FormatOf(tc.path)
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("FormatOf(%q) = %v, %v; want %v", tc.path, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("FormatOf(%q) error %v, want one containing %q", tc.path, err, tc.err)
		}
	}
	if PNG.String() != "png" || SVG.String() != "svg" {
		t.Errorf("format names %q, %q; want png, svg", PNG, SVG)
	}
}

func TestExportFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := LossAndAccuracy(fakeSnapshot(1200, 600, 3), false)
	for _, name := range []string{"fig.png", "fig.svg"} {
		path := filepath.Join(dir, name)
		if err := ExportFile(path, c, 800, 500, PrintStyle(800, 500)); err != nil {
			t.Fatalf("ExportFile(%s): %v", name, err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".png") {
			if cfg, err := png.DecodeConfig(bytes.NewReader(data)); err != nil || cfg.Width != 800 || cfg.Height != 500 {
				t.Errorf("%s: %v, %v×%v; want an 800×500 PNG", name, err, cfg.Width, cfg.Height)
			}
		} else {
			parseSVG(t, data)
		}
	}
	// A failed export keeps the old file and leaves no temporary file.
	path := filepath.Join(dir, "fig.png")
	old, _ := os.ReadFile(path)
	if err := ExportFile(path, c, 0, 500, LightStyle()); err == nil {
		t.Fatal("an empty size exported")
	}
	if now, _ := os.ReadFile(path); !bytes.Equal(now, old) {
		t.Error("a failed export changed the file")
	}
	if err := ExportFile(filepath.Join(dir, "fig.gif"), c, 10, 10, LightStyle()); err == nil {
		t.Error("a .gif exported")
	}
	if err := ExportFile(filepath.Join(dir, "missing", "fig.svg"), c, 10, 10, LightStyle()); err == nil || !strings.Contains(err.Error(), "cannot write the chart to") {
		t.Errorf("into a missing folder: error %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("the folder holds %q, want the two figures alone", names)
	}
}

func TestStackRows(t *testing.T) {
	t.Parallel()
	st := LightStyle()
	for _, h := range []int{1, 2, 3, 7, 1000, 1001} {
		_, f := newRaster(50, h, st)
		for _, n := range []int{1, 2, 3} {
			w := make([]float64, n)
			for i := range w {
				w[i] = 1
			}
			rows := f.rows(w)
			total := 0
			top := f.c.Max.Y
			for i, r := range rows {
				total += r.h
				if r.c.Max.Y != top {
					t.Errorf("h=%d n=%d: row %d starts at %v, want %v", h, n, i, r.c.Max.Y, top)
				}
				if got := float64(r.c.Max.Y-r.c.Min.Y) / f.px; int(got+0.5) != r.h {
					t.Errorf("h=%d n=%d: row %d is %v pixels tall on the canvas, says %d", h, n, i, got, r.h)
				}
				top = r.c.Min.Y
			}
			if total != h || top != f.c.Min.Y {
				t.Errorf("h=%d n=%d: rows cover %d pixels down to %v, want %d down to %v", h, n, total, top, h, f.c.Min.Y)
			}
		}
	}
	// Stacked charts too small to draw anything still give an image.
	if _, err := Render(LossAndAccuracy(nil, false), 40, 3, st); err != nil {
		t.Errorf("a 40×3 stack: %v", err)
	}
}

func TestPrintStyle(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		w, h  int
		scale float64
	}{{800, 500, 1}, {1600, 1000, 2}, {1920, 1080, 2.16}, {400, 300, 1}, {8000, 8000, 8}} {
		st := PrintStyle(tc.w, tc.h)
		if st.Scale != tc.scale || st.Background != LightStyle().Background {
			t.Errorf("PrintStyle(%d, %d): scale %v, background %v; want %v on the light background", tc.w, tc.h, st.Scale, st.Background, tc.scale)
		}
	}
}

// TestStackAlignsDataAreas checks that stacked charts share the left and
// right edges of their data areas, although the accuracy chart's y labels
// ("100") are wider than the loss chart's ("4").
func TestStackAlignsDataAreas(t *testing.T) {
	t.Parallel()
	s := fakeSnapshot(6000, 600, 11)
	st, _ := PrintStyle(1600, 1000).resolved()
	edges := func(plots []laidOut) (lefts, rights []float64) {
		for _, l := range plots {
			dc := l.p.DataCanvas(l.area)
			lefts, rights = append(lefts, float64(dc.Min.X)), append(rights, float64(dc.Max.X))
		}
		return lefts, rights
	}
	_, f := newRaster(1600, 1000, st)
	LossAndAccuracy(s, false).draw(f)
	lefts, rights := edges(*f.plots)
	if len(lefts) != 2 {
		t.Fatalf("%d plots laid out, want 2", len(lefts))
	}
	if d := math.Abs(lefts[0]-lefts[1]) / f.px; d > 0.5 {
		t.Errorf("the data areas' left edges are %.1f pixels apart", d)
	}
	if d := math.Abs(rights[0]-rights[1]) / f.px; d > 0.5 {
		t.Errorf("the data areas' right edges are %.1f pixels apart", d)
	}

	// Without the alignment they would not line up: the test can tell.
	_, f = newRaster(1600, 1000, st)
	rows := f.rows([]float64{1, 1})
	LossChart(s, false).draw(rows[0])
	AccuracyChart(s).draw(rows[1])
	lefts, _ = edges(*f.plots)
	if d := math.Abs(lefts[0]-lefts[1]) / f.px; d < 2 {
		t.Errorf("unaligned, the left edges are only %.1f pixels apart: the test shows nothing", d)
	}
}

// TestANarrowComparisonNamesEveryRun: where the legend does not fit beside
// the title (presentation mode's text in a narrow column) it moves under
// it, rather than drop a run it draws.
func TestANarrowComparisonNamesEveryRun(t *testing.T) {
	a, b := fakeSnapshot(600, 100, 1), fakeSnapshot(600, 100, 2)
	runs := []Run{{Name: "relu 100 ×5", Snap: a, Color: RunColor(1), Fit: true}, {Name: "sigmoid 100 ×5", Snap: b, Fit: true}}
	st := DarkStyle()
	st.TextSize = 20
	for _, c := range []Chart{AccuracyRunsChart(runs), LossRunsChart(runs, false)} {
		var buf bytes.Buffer
		if err := Export(&buf, SVG, c, 480, 320, st); err != nil {
			t.Fatal(err)
		}
		doc := parseSVG(t, buf.Bytes())
		for _, r := range runs {
			if !slices.ContainsFunc(doc.texts, func(s string) bool { return strings.Contains(s, ShortName(r.Name)) }) {
				t.Errorf("%s at 480 pixels: the legend does not name %q: %q", c.name, r.Name, doc.texts)
			}
		}
	}
}
