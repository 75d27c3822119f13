package layers

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// cellGrid lays out the layers' cells in the number of columns that gives
// each the largest chart of a pleasant shape, none smaller than its
// minimum. Its minimum height is that of one column, so that in a narrow
// panel the cells scroll rather than shrink; in a wide one they share the
// columns.
type cellGrid struct{}

// Layout picks the columns and places the cells row by row.
func (g *cellGrid) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	n := len(objs)
	if n == 0 {
		return
	}
	minCell := g.cellMin(objs)
	cols := gridColumns(n, size)
	// No narrower than a cell's minimum.
	for cols > 1 && size.Width/float32(cols) < minCell.Width {
		cols--
	}
	rows := (n + cols - 1) / cols
	pad := theme.Padding()
	w := (size.Width - float32(cols-1)*pad) / float32(cols)
	h := max(minCell.Height, (size.Height-float32(rows-1)*pad)/float32(rows))
	for i, o := range objs {
		r, c := i/cols, i%cols
		o.Move(fyne.NewPos(float32(c)*(w+pad), float32(r)*(h+pad)))
		o.Resize(fyne.NewSize(w, h))
	}
}

// cellMin is the largest minimum of the cells.
func (g *cellGrid) cellMin(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

// gridColumns chooses the columns for n cells in size: the most even
// arrangement whose cells are closest to twice as wide as high.
func gridColumns(n int, size fyne.Size) int {
	best, bestScore := 1, -1.0
	for cols := 1; cols <= n; cols++ {
		rows := (n + cols - 1) / cols
		w := float64(size.Width) / float64(cols)
		h := float64(size.Height) / float64(rows)
		// The area of the largest 2:1 rectangle that fits in a cell.
		side := math.Min(w/2, h)
		score := side * side * 2
		if score > bestScore*1.05 {
			best, bestScore = cols, score
		}
	}
	return best
}

// MinSize is one column of cells at their minimum height.
func (g *cellGrid) MinSize(objs []fyne.CanvasObject) fyne.Size {
	c := g.cellMin(objs)
	n := float32(len(objs))
	if n == 0 {
		return fyne.Size{}
	}
	return fyne.NewSize(c.Width, n*c.Height+(n-1)*theme.Padding())
}
