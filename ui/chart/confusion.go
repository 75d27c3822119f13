package chart

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"

	"gonum.org/v1/plot/vg"
	vgdraw "gonum.org/v1/plot/vg/draw"
)

// Confusion draws a confusion matrix: true labels down, predictions across,
// each cell's count written in it and its colour growing with the count
// (the diagonal in the second series colour, the errors in the first), the
// cell selected (label, predicted; −1 for none) outlined. Its cells lie on
// ConfusionGrid(width, height).
func Confusion(conf [][]int, selected [2]int, width, height int, st Style) (image.Image, error) {
	return Render(ConfusionChart(conf, selected), width, height, st)
}

// ConfusionChart is the chart Confusion draws, for Render and Export.
func ConfusionChart(conf [][]int, selected [2]int) Chart {
	return Chart{name: "confusion matrix", draw: func(f *frame) {
		width, height := f.w, f.h
		if len(conf) == 0 {
			f.text(f.hint, f.c.Center(), "no test measurement yet")
			f.done()
			return
		}
		k := len(conf)
		g := ConfusionGrid(k, width, height)
		em := g.Y0 / 3 // the margin's unit, as ConfusionGrid left it
		top, topDiag := 1, 1
		for i, row := range conf {
			for j, c := range row {
				if i == j {
					topDiag = max(topDiag, c)
				} else {
					top = max(top, c)
				}
			}
		}
		label := f.tick
		label.XAlign, label.YAlign = vgdraw.XCenter, vgdraw.YCenter
		label.Color = f.st.Foreground
		for i, row := range conf {
			for j, c := range row {
				r := g.Rect(i*k + j)
				hue, t := f.st.series(0), math.Sqrt(float64(c)/float64(top))
				if i == j {
					hue, t = f.st.series(1), math.Sqrt(float64(c)/float64(topDiag))
				}
				fill := mix(f.st.Background, hue, 0.08+0.8*t)
				draw.Draw(f.pixels(), r, image.NewUniform(fill), image.Point{}, draw.Src)
				if c > 0 && g.Cell > 1.6*f.em() {
					// A count too wide for its cell is written smaller.
					lc, txt := label, fmt.Sprint(c)
					lc.Color = contrasting(fill)
					room := vg.Length(0.85*g.Cell) * f.c.Max.X / vg.Length(f.w)
					if w := lc.Width(txt); w > room {
						lc.Font.Size = lc.Font.Size * room / w
					}
					f.text(lc, f.at(float64(r.Min.X+r.Max.X)/2, float64(r.Min.Y+r.Max.Y)/2), txt)
				}
			}
		}
		// The digits along the top (predicted) and the left (true).
		for d := range k {
			c := g.Rect(d)
			f.text(label, f.at(float64(c.Min.X+c.Max.X)/2, g.Y0-0.8*em), fmt.Sprint(d))
			r := g.Rect(d * k)
			f.text(label, f.at(g.X0-0.8*em, float64(r.Min.Y+r.Max.Y)/2), fmt.Sprint(d))
		}
		axis := f.tick
		axis.Color = f.st.muted()
		axis.XAlign, axis.YAlign = vgdraw.XLeft, vgdraw.YCenter
		f.text(axis, f.at(g.X0-2*em, g.Y0-2.2*em), "true ↓   predicted →")
		if i, j := selected[0], selected[1]; i >= 0 && j >= 0 && i < k && j < k {
			outline(f.pixels(), g.Rect(i*k+j), max(2, int(f.em()/6)), f.st.Foreground)
		}
		f.done()
		return
	}}
}

// ConfusionGrid is where a k×k confusion matrix's cells lie in a
// width×height image: cell label·k + predicted, with room at the top and
// left for the digits.
func ConfusionGrid(k, width, height int) Grid {
	em := math.Max(10, math.Min(float64(width), float64(height))/16)
	side := math.Floor(math.Min(float64(width)-2.5*em, float64(height)-3*em) / float64(k))
	return Grid{
		N: k * k, Cols: k, Rows: k, Gap: 1, Cell: side - 1, CellH: side - 1,
		X0: 2.5*em + math.Floor((float64(width)-2.5*em-float64(k)*side)/2),
		Y0: 3 * em,
	}
}

// contrasting is black or white, whichever reads better on c.
func contrasting(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	// Rec. 709 luma of the (gamma-encoded) colour: near enough for a
	// choice between black and white.
	if 0.2126*float64(r)+0.7152*float64(g)+0.0722*float64(b) > 0.55*0xffff {
		return color.Black
	}
	return color.White
}
