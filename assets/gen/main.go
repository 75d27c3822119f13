//go:build ignore

// This program draws assets/icon.png: a handwritten 7 on a 28×28 grid, the
// shape of an MNIST image, whose right edge feeds a small layer of neurons
// and the ten outputs, the 7 among them lit. Run it from the repository root
// with `go run assets/gen/main.go`.
//
// Every shape is a signed distance, so its edge is anti-aliased by turning
// the distance into coverage, with no rasteriser beyond the standard library.
package main

import (
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
)

const size = 512

// The grid: 28 cells of 10 px, the 7's canvas.
const (
	cells = 28
	cell  = 10.0
	gridX = 52.0
	gridY = (size - cells*cell) / 2
)

var (
	bgTop    = rgb(0x2a, 0x30, 0x45)
	bgBottom = rgb(0x15, 0x18, 0x24)
	paper    = rgb(0x33, 0x3a, 0x52) // an empty cell
	ink      = rgb(0xf4, 0xf6, 0xff)
	wire     = rgb(0x8f, 0x9b, 0xc4)
	accent   = rgb(0xff, 0xb3, 0x47)
)

type rgba struct{ r, g, b, a float64 }

func rgb(r, g, b uint8) rgba { return rgba{float64(r) / 255, float64(g) / 255, float64(b) / 255, 1} }

// over paints c over the opaque dst with coverage k in 0..1.
func over(dst *rgba, c rgba, k float64) {
	k = math.Max(0, math.Min(1, k)) * c.a
	dst.r += (c.r - dst.r) * k
	dst.g += (c.g - dst.g) * k
	dst.b += (c.b - dst.b) * k
}

// cover turns a signed distance in pixels (negative inside) into coverage.
func cover(d float64) float64 { return math.Max(0, math.Min(1, 0.5-d)) }

func roundedBox(x, y, cx, cy, hw, hh, r float64) float64 {
	qx := math.Abs(x-cx) - hw + r
	qy := math.Abs(y-cy) - hh + r
	return math.Hypot(math.Max(qx, 0), math.Max(qy, 0)) + math.Min(math.Max(qx, qy), 0) - r
}

func segment(x, y, ax, ay, bx, by float64) float64 {
	px, py, dx, dy := x-ax, y-ay, bx-ax, by-ay
	t := math.Max(0, math.Min(1, (px*dx+py*dy)/(dx*dx+dy*dy)))
	return math.Hypot(px-t*dx, py-t*dy)
}

// stroke is the 7 in grid units: a slightly rising bar, then a bowed
// diagonal down to the left, the way a quick hand writes it.
var stroke = [][2]float64{
	{6.3, 9.5}, {6.7, 8.6}, {9.6, 7.9}, {13.6, 7.2}, {17.6, 6.7}, {20.9, 6.6},
	{19.9, 9.8}, {18.3, 13.4}, {16.7, 17.2}, {15.5, 20.6}, {14.9, 22.8},
}

// inkAt is the stroke's intensity at grid point (u, v): 1 on the pen's path,
// fading to 0 over its soft edge, like MNIST's anti-aliased digits.
func inkAt(u, v float64) float64 {
	d := math.Inf(1)
	for i := 1; i < len(stroke); i++ {
		d = math.Min(d, segment(u, v, stroke[i-1][0], stroke[i-1][1], stroke[i][0], stroke[i][1]))
	}
	t := math.Max(0, math.Min(1, (d-0.8)/1.3)) // full within 0.8 cells, gone at 2.1
	return 1 - t*t*(3-2*t)
}

func main() {
	hidden := make([][2]float64, 5)
	for i := range hidden {
		hidden[i] = [2]float64{386, 160 + float64(i)*48}
	}
	outputs := make([][2]float64, 10)
	for i := range outputs {
		outputs[i] = [2]float64{448, 139 + float64(i)*26}
	}
	const lit = 7
	gridRight := gridX + cells*cell

	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for py := range size {
		for px := range size {
			x, y := float64(px)+0.5, float64(py)+0.5
			// The tile: a rounded square with a soft vertical gradient. Its
			// coverage becomes the pixel's alpha at the end, so the colours
			// painted on it stay unpremultiplied, as NRGBA wants them.
			tile := cover(roundedBox(x, y, size/2, size/2, size/2-16, size/2-16, 100))
			if tile == 0 {
				continue
			}
			t := y / size
			c := rgba{bgTop.r + (bgBottom.r-bgTop.r)*t, bgTop.g + (bgBottom.g-bgTop.g)*t, bgTop.b + (bgBottom.b-bgTop.b)*t, 1}

			// Wires: from four rows of the grid's edge to the hidden layer,
			// and from the hidden layer to every output.
			w := 0.0
			for i, h := range hidden {
				for _, row := range []float64{7, 12, 17, 22} {
					if (int(row)+i)%2 == 0 {
						w = math.Max(w, 0.16*cover(segment(x, y, gridRight+6, gridY+row*cell, h[0], h[1])-0.6))
					}
				}
				for j, o := range outputs {
					a := 0.14
					if j == lit {
						a = 0.45
					}
					w = math.Max(w, a*cover(segment(x, y, h[0], h[1], o[0], o[1])-0.6))
				}
			}
			over(&c, wire, w)

			// Neurons.
			for _, h := range hidden {
				over(&c, wire, 0.85*cover(math.Hypot(x-h[0], y-h[1])-8))
			}
			for j, o := range outputs {
				if j == lit {
					over(&c, accent, 0.35*cover(math.Hypot(x-o[0], y-o[1])-14))
					over(&c, accent, cover(math.Hypot(x-o[0], y-o[1])-7.5))
				} else {
					over(&c, wire, 0.55*cover(math.Hypot(x-o[0], y-o[1])-5))
				}
			}

			// The 28×28 grid, each cell a square with a 1.5 px gutter, lit
			// by how much of the stroke passes through it.
			u, v := (x-gridX)/cell, (y-gridY)/cell
			if u >= 0 && v >= 0 && u < cells && v < cells {
				cu, cv := math.Floor(u), math.Floor(v)
				d := roundedBox(x, y, gridX+(cu+0.5)*cell, gridY+(cv+0.5)*cell, cell/2-0.75, cell/2-0.75, 1.5)
				over(&c, paper, 0.45*cover(d))
				over(&c, ink, inkAt(cu+0.5, cv+0.5)*cover(d))
			}

			img.SetNRGBA(px, py, color.NRGBA{
				R: uint8(math.Round(c.r * 255)), G: uint8(math.Round(c.g * 255)),
				B: uint8(math.Round(c.b * 255)), A: uint8(math.Round(tile * 255)),
			})
		}
	}

	f, err := os.Create("assets/icon.png")
	if err != nil {
		log.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
