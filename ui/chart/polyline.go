package chart

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// strokeChunk is how many segments polyline strokes at once.
//
// The rasteriser behind vgimg (golang/freetype/raster) keeps each pixel row's
// cells in a sorted linked list, so one long path that crosses a row many
// times (a noisy loss curve crosses every row hundreds of times) costs time
// quadratic in its length: 800 ms for a 1,600-point curve. Stroking short
// runs keeps the lists short: the same curve then takes a few milliseconds.
// Round caps and joins make the seams invisible, and since the charts use
// only opaque colours, the overlap at a seam does not darken.
const strokeChunk = 24

// polyline is a line through points, like plotter.Line but fast on long
// noisy series (see strokeChunk). It pads nothing: the axes' padding keeps
// it off the edges.
type polyline struct {
	xys plotter.XYs
	sty draw.LineStyle
}

// Plot strokes the line, clipped to the data area.
func (l polyline) Plot(c draw.Canvas, p *plot.Plot) {
	if len(l.xys) < 2 || l.sty.Width <= 0 {
		return
	}
	trX, trY := p.Transforms(&c)
	pts := make([]vg.Point, len(l.xys))
	for i, xy := range l.xys {
		pts[i] = vg.Point{X: trX(xy.X), Y: trY(xy.Y)}
	}
	strokeChunked(c, l.sty, c.ClipLinesXY(pts))
}

// strokeChunked strokes lines strokeChunk segments at a time.
func strokeChunked(c draw.Canvas, sty draw.LineStyle, lines [][]vg.Point) {
	if sty.Width <= 0 {
		return
	}
	c.SetLineStyle(sty)
	dashed := len(sty.Dashes) > 0
	path := make(vg.Path, 0, strokeChunk+1)
	for _, line := range lines {
		for start := 0; start < len(line)-1; start += strokeChunk {
			end := min(start+strokeChunk, len(line)-1)
			path = path[:0]
			path.Move(line[start])
			for k, pt := range line[start+1 : end+1] {
				path.Line(pt)
				if dashed {
					prev := line[start+k]
					sty.DashOffs += vg.Length(math.Hypot(float64(pt.X-prev.X), float64(pt.Y-prev.Y)))
				}
			}
			c.Stroke(path)
			if dashed {
				// The next piece goes on with the dashes where this one
				// left them.
				c.SetLineStyle(sty)
			}
		}
	}
}
