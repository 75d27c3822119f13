package ui

import (
	"image"
	"time"

	"fyne.io/fyne/v2"

	"github.com/mnistplayground/mnistplayground/ui/chart"
	"github.com/mnistplayground/mnistplayground/ui/widgets"
)

// renderJob is what the render worker draws: the specs of every chart on
// show, each with its size in device pixels, and the look.
type renderJob struct {
	charts   []sizedSpec
	style    chart.Style
	styleGen int // changes whenever style does
}

// sizedSpec is a chart spec with the size to draw it at.
type sizedSpec struct {
	widgets.Spec
	w, h int
}

// drawnKey is what a chart image was drawn from, to skip drawing the same
// image twice.
type drawnKey struct {
	key      any
	w, h     int
	styleGen int
	gen      int
}

// drawn is one new image for its target.
type drawn struct {
	target *widgets.ChartView
	gen    int
	img    image.Image
}

// renderer draws charts on the render worker's goroutine, knowing nothing
// of what they show: a spec is a key and a draw function. Only that
// goroutine touches its fields.
type renderer struct {
	last map[*widgets.ChartView]drawnKey
}

// render draws every chart of job whose key, size or style differs from
// what was drawn for its target last. Errors leave the previous image in
// place: a chart that cannot be drawn at some odd size is not worth a
// dialog, and the next size will do.
func (r *renderer) render(job renderJob) []drawn {
	keep := make(map[*widgets.ChartView]drawnKey, len(job.charts))
	var out []drawn
	for _, c := range job.charts {
		key := drawnKey{key: c.Key, w: c.w, h: c.h, styleGen: job.styleGen, gen: c.Gen}
		last, ok := r.last[c.Target]
		if ok {
			keep[c.Target] = last
		}
		if ok && last == key {
			continue
		}
		img, err := c.Draw(c.w, c.h, job.style)
		if err != nil {
			fyne.LogError("drawing a chart", err)
			continue
		}
		keep[c.Target] = key
		out = append(out, drawn{target: c.Target, gen: c.Gen, img: img})
	}
	// Charts that are gone, or not on show, are forgotten: shown again,
	// they are drawn again.
	r.last = keep
	return out
}

// renderRest is how long the render worker rests after drawing for took:
// charts at most about five times a second, enough to watch a curve fall,
// and never more than a third of a core, so that drawing many wide layers
// leaves training its cores.
func renderRest(took time.Duration) time.Duration {
	return max(200*time.Millisecond-took, 2*took)
}
