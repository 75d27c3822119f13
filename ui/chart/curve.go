package chart

import (
	"fmt"
	"image"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/mnistplayground/mnistplayground/engine"
)

// Activation draws an activation and its derivative over the curve's
// range, as the engine's own functions compute them: f in the first series
// colour, f′ in the second. Sigmoid's derivative peaks at 0.25 (so a
// gradient shrinks to at most a quarter at each sigmoid layer), which is
// marked; a step's is zero everywhere, which is said in words. compact
// leaves out the title and axis labels, for a thumbnail beside a list.
func Activation(c engine.ActivationCurve, compact bool, width, height int, st Style) (image.Image, error) {
	return Render(ActivationChart(c, compact), width, height, st)
}

// ActivationChart is the chart Activation draws, for Render and Export.
func ActivationChart(c engine.ActivationCurve, compact bool) Chart {
	return Chart{name: "activation", draw: func(f *frame) {
		fSty := draw.LineStyle{Color: f.st.series(0), Width: f.pt(2.25)}
		dSty := draw.LineStyle{Color: f.st.series(1), Width: f.pt(1.75), Dashes: []vg.Length{f.pt(5), f.pt(3)}}
		area := f.c
		xl, yl := "x", ""
		if compact {
			xl = ""
		} else {
			area = f.header(c.Act.String(), []legendItem{{label: "f(x)", line: fSty}, {label: "f′(x)", line: dSty}})
		}
		p := f.newPlot(xl, yl)
		p.Add(f.newGrid(true, true))
		ys, ds := make(plotter.XYs, len(c.X)), make(plotter.XYs, len(c.X))
		lo, hi := 0.0, 1.0
		for i, x := range c.X {
			ys[i] = plotter.XY{X: x, Y: c.Y[i]}
			ds[i] = plotter.XY{X: x, Y: c.DY[i]}
			lo, hi = math.Min(lo, math.Min(c.Y[i], c.DY[i])), math.Max(hi, math.Max(c.Y[i], c.DY[i]))
		}
		// ReLU and the identity grow to 6: the axis keeps to what shows the
		// shape near zero.
		hi = math.Min(hi, 2)
		lo = math.Max(lo, -2)
		p.Add(polyline{xys: ds, sty: dSty})
		p.Add(polyline{xys: ys, sty: fSty})
		if x, dy := c.MaxSlope(); c.Act == engine.Sigmoid && !compact {
			p.Add(&plotter.Scatter{XYs: plotter.XYs{{X: x, Y: dy}}, GlyphStyle: draw.GlyphStyle{Color: dSty.Color, Radius: f.pt(3.5), Shape: draw.CircleGlyph{}}})
			p.Add(pointLabel{at: plotter.XY{X: x, Y: dy}, text: fmt.Sprintf("max f′ = %.2f", dy), sty: f.tick, gap: f.pt(6)})
		}
		if c.NoGradient() && !compact {
			p.Add(cornerNote{text: "f′ = 0 everywhere: no gradient, it cannot learn by gradient descent", sty: f.noteStyle()})
		}
		if compact {
			p.X.Tick.Marker = plot.ConstantTicks(nil)
			p.Y.Tick.Marker = plot.ConstantTicks(nil)
		}
		p.X.Min, p.X.Max = c.X[0], c.X[len(c.X)-1]
		p.Y.Min, p.Y.Max = lo-0.1, hi+0.1
		f.plot(p, area)
		return
	}}
}
