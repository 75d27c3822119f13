package chart

import "math"

// point is a point of a piecewise-linear function, in data units.
type point struct{ x, y float64 }

// pwl is a piecewise-linear function through its points, whose x ascend
// (equal neighbours allowed only with equal y). It is constant beyond its
// ends, so two of them can always be compared.
type pwl []point

// sample returns f's values at xs, which must ascend. It walks both lists
// once, so sampling a whole grid costs as much as reading it.
func (f pwl) sample(xs []float64) []float64 {
	out := make([]float64, len(xs))
	j := 0
	for i, x := range xs {
		for j < len(f) && f[j].x < x {
			j++
		}
		switch {
		case len(f) == 0:
		case j == 0:
			out[i] = f[0].y
		case j == len(f):
			out[i] = f[len(f)-1].y
		default:
			a, b := f[j-1], f[j]
			if b.x == a.x {
				out[i] = b.y
			} else {
				out[i] = a.y + (b.y-a.y)*(x-a.x)/(b.x-a.x)
			}
		}
	}
	return out
}

// xs returns the union of the x of f and g, ascending, without repeats.
func mergeXs(f, g pwl) []float64 {
	out := make([]float64, 0, len(f)+len(g))
	i, j := 0, 0
	for i < len(f) || j < len(g) {
		var x float64
		switch {
		case j == len(g) || i < len(f) && f[i].x <= g[j].x:
			x = f[i].x
			i++
		default:
			x = g[j].x
			j++
		}
		if len(out) == 0 || x > out[len(out)-1] {
			out = append(out, x)
		}
	}
	return out
}

// upper returns the pointwise maximum of f and g, with a point added wherever
// they cross, so that it is exact between points too. An empty function
// stands for minus infinity.
func upper(f, g pwl) pwl {
	if len(f) == 0 {
		return append(pwl(nil), g...)
	}
	if len(g) == 0 {
		return append(pwl(nil), f...)
	}
	xs := mergeXs(f, g)
	fy, gy := f.sample(xs), g.sample(xs)
	out := make(pwl, 0, len(xs)+len(xs)/4)
	for i, x := range xs {
		if i > 0 {
			d0, d1 := fy[i-1]-gy[i-1], fy[i]-gy[i]
			if d0 < 0 && d1 > 0 || d0 > 0 && d1 < 0 {
				t := d0 / (d0 - d1)
				out = append(out, point{
					x: xs[i-1] + t*(x-xs[i-1]),
					y: fy[i-1] + t*(fy[i]-fy[i-1]),
				})
			}
		}
		out = append(out, point{x: x, y: max(fy[i], gy[i])})
	}
	return out.simplify()
}

// simplify drops the points that lie on the line through their neighbours.
// Where one function stands above the other, the other's points are
// such points; without dropping them an upper envelope of many functions
// grows by every point of every one of them.
func (f pwl) simplify() pwl {
	if len(f) < 3 {
		return f
	}
	out := f[:1]
	for i := 1; i < len(f)-1; i++ {
		a, b, c := out[len(out)-1], f[i], f[i+1]
		// The area of the triangle abc, against the size of its sides.
		cross := (b.x-a.x)*(c.y-a.y) - (b.y-a.y)*(c.x-a.x)
		scale := (math.Abs(c.x-a.x) + math.Abs(c.y-a.y)) * (math.Abs(b.x-a.x) + math.Abs(b.y-a.y))
		if math.Abs(cross) > 1e-12*scale {
			out = append(out, b)
		}
	}
	return append(out, f[len(f)-1])
}
