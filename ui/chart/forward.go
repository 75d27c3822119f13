package chart

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"slices"

	vgdraw "gonum.org/v1/plot/vg/draw"

	"github.com/mnistplayground/mnistplayground/engine"
)

// Layer is one layer's outputs for one input, as the forward pass made them.
type Layer struct {
	Title  string
	Values []float32
	// Labels name the cells (the output's digits); nil for none.
	Labels []string
}

// Forward draws one input's way through the network: each layer a block of
// cells coloured by its output (dark for 0, bright for the layer's largest),
// the strongest few outlined, from the first hidden layer at the top to the
// output scores at the bottom.
func Forward(layers []Layer, width, height int, st Style) (image.Image, error) {
	return Render(ForwardChart(layers), width, height, st)
}

// ForwardChart is the chart Forward draws, for Render and Export.
func ForwardChart(layers []Layer) Chart {
	return Chart{name: "forward propagation", draw: func(f *frame) {
		width, height := f.w, f.h
		if len(layers) == 0 {
			f.text(f.hint, f.c.Center(), "draw a digit")
			f.done()
			return
		}
		title := f.tick
		title.XAlign, title.YAlign = vgdraw.XLeft, vgdraw.YTop
		title.Color = f.st.Foreground
		lineH := 1.5 * f.em()
		// Each block gets a share of the height by its rows at a common cell
		// size: find the largest cell size at which all blocks fit.
		pad := 0.5 * f.em()
		fits := func(cell float64) bool {
			y := 0.0
			for _, l := range layers {
				cols := max(1, int((float64(width)-2*pad)/cell))
				rows := (len(l.Values) + cols - 1) / cols
				y += lineH + float64(rows)*cell + pad
			}
			return y <= float64(height)
		}
		lo, hi := 2.0, float64(width)/4
		for hi-lo > 0.5 {
			if mid := (lo + hi) / 2; fits(mid) {
				lo = mid
			} else {
				hi = mid
			}
		}
		cell := math.Floor(lo)
		y := pad / 2
		dark := mix(f.st.Background, f.st.Foreground, 0.08)
		bright := f.st.series(0)
		label := f.tick
		label.XAlign, label.YAlign = vgdraw.XCenter, vgdraw.YCenter
		label.Color = f.st.Background
		for _, l := range layers {
			f.text(title, f.at(pad, y), l.Title)
			y += lineH
			cols := max(1, int((float64(width)-2*pad)/cell))
			lo, top := 0.0, 0.0
			for _, v := range l.Values {
				lo, top = math.Min(lo, float64(v)), math.Max(top, float64(v))
			}
			// The strongest three units, outlined.
			order := make([]int, len(l.Values))
			for i := range order {
				order[i] = i
			}
			slices.SortFunc(order, func(a, b int) int {
				switch {
				case l.Values[a] > l.Values[b]:
					return -1
				case l.Values[a] < l.Values[b]:
					return 1
				}
				return 0
			})
			strong := order[:min(3, len(order))]
			for i, v := range l.Values {
				x0 := pad + float64(i%cols)*cell
				y0 := y + float64(i/cols)*cell
				r := image.Rect(int(x0), int(y0), int(x0+cell)-1, int(y0+cell)-1)
				t := 0.0
				if top > lo {
					t = (float64(v) - lo) / (top - lo)
				}
				c := mix(dark, bright, t)
				fillRect(f.pixels(), r, c)
				if slices.Contains(strong, i) && cell >= 6 {
					outline(f.pixels(), r, max(1, int(cell/10)), f.st.Foreground)
				}
				if l.Labels != nil && i < len(l.Labels) && cell > 1.4*f.em() {
					lc := label
					if t < 0.5 {
						lc.Color = f.st.Foreground
					}
					f.text(lc, f.at(x0+cell/2, y0+cell/2), l.Labels[i])
				}
			}
			rows := (len(l.Values) + cols - 1) / cols
			y += float64(rows)*cell + pad
		}
		f.done()
		return
	}}
}

func fillRect(img *image.RGBA, r image.Rectangle, c color.Color) {
	draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
}

// ForwardLayers turns an explanation into the blocks Forward draws: each
// hidden layer of arch, then the output scores labelled by digit.
func ForwardLayers(e engine.Explanation, arch engine.Architecture) []Layer {
	var out []Layer
	for i, h := range e.Hidden {
		act := "?"
		if i < len(arch.Acts) {
			act = arch.Acts[i].String()
		}
		out = append(out, Layer{Title: fmt.Sprintf("layer %d · %s · %d units", i+1, act, len(h)), Values: h})
	}
	labels := make([]string, len(e.Scores))
	for i := range labels {
		labels[i] = fmt.Sprint(i)
	}
	return append(out, Layer{Title: "output scores (before the softmax)", Values: e.Scores, Labels: labels})
}
