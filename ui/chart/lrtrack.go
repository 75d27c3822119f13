package chart

import (
	"image"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/mnistplayground/mnistplayground/engine"
)

// LRTrack draws the learning rate over the steps on a log axis: the rate in
// force so far (the schedule's gears or its cosine, and every change made by
// hand, marked with a thin vertical line) over the planned schedule, drawn
// faint, so that a student sees the gears before the run. s may be nil
// (nothing trained yet); planned may be empty.
func LRTrack(s *engine.Snapshot, planned engine.History, spe int, width, height int, st Style) (image.Image, error) {
	return Render(LRTrackChart(s, planned, spe), width, height, st)
}

// LRTrackChart is the chart LRTrack draws, for Render and Export.
func LRTrackChart(s *engine.Snapshot, planned engine.History, spe int) Chart {
	return Chart{name: "learning rate", draw: func(f *frame) {
		xOf, xLabel := epochAxis(spe)
		steps := func(h engine.History) plotter.XYs {
			// A rate holds from one point to the next: a staircase shows the
			// gears as gears.
			var xys plotter.XYs
			for i, v := range h.Values {
				if !(v > 0) || !finite(v) {
					continue
				}
				x := xOf(h.Steps[i])
				if n := len(xys); n > 0 && xys[n-1].Y != v {
					xys = append(xys, plotter.XY{X: x, Y: xys[n-1].Y})
				}
				xys = append(xys, plotter.XY{X: x, Y: v})
			}
			return xys
		}
		var done engine.History
		var changes []engine.LRChange
		if s != nil {
			done, changes = s.LRHistory, s.LRChanges
		}
		plan, now := steps(planned), steps(done)
		planSty := draw.LineStyle{Color: mix(f.st.series(2), f.st.Background, 0.55), Width: f.pt(1.5), Dashes: []vg.Length{f.pt(4), f.pt(3)}}
		nowSty := draw.LineStyle{Color: f.st.series(2), Width: f.pt(2)}
		var items []legendItem
		if len(plan) > 0 {
			items = append(items, legendItem{label: "planned", line: planSty})
		}
		if len(now) > 0 {
			items = append(items, legendItem{label: "in force " + formatLR(now[len(now)-1].Y), short: "in force", line: nowSty})
		}
		area := f.header("Learning rate", items)
		p := f.newPlot(xLabel, "rate (log)")
		p.Add(f.newGrid(true, true))
		if len(plan) > 1 {
			p.Add(polyline{xys: plan, sty: planSty})
		}
		if len(now) > 1 {
			p.Add(polyline{xys: now, sty: nowSty})
		} else if len(now) == 1 {
			p.Add(&plotter.Scatter{XYs: now, GlyphStyle: draw.GlyphStyle{Color: nowSty.Color, Radius: f.pt(2.5), Shape: draw.CircleGlyph{}}})
		}
		var marks []float64
		for _, c := range changes {
			marks = append(marks, xOf(c.Step))
		}
		p.Add(vlines{xs: marks, sty: f.markStyle()})
		xmax, lo, hi := 0.0, math.Inf(1), math.Inf(-1)
		for _, xys := range []plotter.XYs{plan, now} {
			for _, pt := range xys {
				xmax = math.Max(xmax, pt.X)
				lo, hi = math.Min(lo, pt.Y), math.Max(hi, pt.Y)
			}
		}
		if math.IsInf(lo, 1) {
			p.Add(hint{text: "no schedule yet", sty: f.hint})
			lo, hi, xmax = 0.01, 1, 1
		}
		p.X.Min, p.X.Max = 0, math.Max(xmax, 1e-9)
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = logTicks{target: f.yTarget()}
		p.Y.Min, p.Y.Max = logRange(Range{Lo: lo, Hi: hi}, 10, 1.2)
		f.plot(p, area)
		return
	}}
}

// markStyle is the thin line that marks a learning rate changed by hand.
func (f *frame) markStyle() draw.LineStyle {
	return draw.LineStyle{Color: f.st.muted(), Width: f.pt(1)}
}

// vlines draws a thin vertical line across the data area at each x.
type vlines struct {
	xs  []float64
	sty draw.LineStyle
}

// Plot draws the lines that fall inside the data area.
func (v vlines) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for _, x := range v.xs {
		if px := trX(x); px >= c.Min.X && px <= c.Max.X {
			c.StrokeLine2(v.sty, px, c.Min.Y, px, c.Max.Y)
		}
	}
}

// formatLR writes a learning rate with three significant digits.
func formatLR(v float64) string { return formatLoss(v) }

// cornerNote is a line of quiet text at the top left of the data area: what
// the reader should know about the axes.
type cornerNote struct {
	text string
	sty  text.Style
}

// Plot writes the note.
func (n cornerNote) Plot(c draw.Canvas, _ *plot.Plot) {
	c.FillText(n.sty, vg.Point{X: c.Min.X + n.sty.Font.Size/2, Y: c.Max.Y - n.sty.Font.Size/2}, n.text)
}

// noteStyle is the style of a cornerNote: the hint's colour, a little
// smaller than body text, anchored at its top left.
func (f *frame) noteStyle() text.Style {
	s := f.hint
	s.Font.Size = f.tick.Font.Size
	s.XAlign, s.YAlign = draw.XLeft, draw.YTop
	return s
}
