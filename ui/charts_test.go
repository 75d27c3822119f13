package ui

import (
	"context"
	"image"
	"image/color"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/mnistplayground/mnistplayground/ui/chart"
	"github.com/mnistplayground/mnistplayground/ui/widgets"
)

// countingSpec is a spec for target that counts its drawings.
func countingSpec(target *widgets.ChartView, key any, n *int) widgets.Spec {
	return target.Spec(key, func(w, h int, _ chart.Style) (image.Image, error) {
		*n++
		return image.NewRGBA(image.Rect(0, 0, w, h)), nil
	})
}

func TestRendererDrawsOnlyWhatChanged(t *testing.T) {
	h := newHarness(t, Options{})
	a, b := h.p.views.training.Loss, h.p.views.training.Accuracy
	var na, nb int
	job := func(ka, kb any, w int, styleGen int) renderJob {
		return renderJob{styleGen: styleGen, style: chart.DarkStyle(), charts: []sizedSpec{
			{Spec: countingSpec(a, ka, &na), w: w, h: 50},
			{Spec: countingSpec(b, kb, &nb), w: w, h: 50},
		}}
	}
	var r renderer
	for _, c := range []struct {
		name   string
		job    renderJob
		na, nb int
	}{
		{"first", job(1, 1, 100, 1), 1, 1},
		{"the same again", job(1, 1, 100, 1), 1, 1},
		{"new data for one", job(2, 1, 100, 1), 2, 1},
		{"a new size", job(2, 1, 120, 1), 3, 2},
		{"a new style", job(2, 1, 120, 2), 4, 3},
	} {
		out := r.render(c.job)
		if na != c.na || nb != c.nb {
			t.Errorf("%s: drawn %d and %d times, want %d and %d", c.name, na, nb, c.na, c.nb)
		}
		for _, d := range out {
			if got := d.img.Bounds().Dx(); got != c.job.charts[0].w {
				t.Errorf("%s: drawn %d pixels wide, want %d", c.name, got, c.job.charts[0].w)
			}
		}
	}
	// A chart left out of a job (hidden) is drawn again when it returns.
	r.render(renderJob{styleGen: 2, charts: []sizedSpec{{Spec: countingSpec(a, 2, &na), w: 120, h: 50}}})
	r.render(job(2, 1, 120, 2))
	if nb != 4 {
		t.Errorf("a chart shown again was drawn %d times in all, want 4", nb)
	}
}

func TestStaleChartImagesAreDropped(t *testing.T) {
	h := newHarness(t, Options{})
	v := h.p.views.training.Loss
	before := v.Image()
	stale := v.Spec(1, nil).Gen
	v.Restart() // a Reset or an opened model
	v.Put(image.NewRGBA(image.Rect(0, 0, 4, 4)), stale)
	if v.Image() != before {
		t.Error("an image drawn for the previous network was shown after it was replaced")
	}
	fresh := image.NewRGBA(image.Rect(0, 0, 4, 4))
	v.Put(fresh, v.Spec(1, nil).Gen)
	if v.Image() != fresh {
		t.Error("an image of the current network was not shown")
	}
}

func TestChartsAreDrawnAtTheirPixelSize(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.p
	h.until("the first charts", func() bool { return p.views.training.Loss.Image() != nil })
	w, ht := p.views.training.Loss.Pixels()
	if w == 0 || ht == 0 {
		t.Fatal("the loss chart has no size in the window")
	}
	h.until("the loss chart at its size", func() bool {
		b := p.views.training.Loss.Image().Bounds()
		return b.Dx() == w && b.Dy() == ht
	})
	// In a 1280-wide window the training and layer charts share a column:
	// the layers' histograms are not drawn until they are shown.
	if p.panels.shown(panelLayers) {
		t.Fatal("the layers are shown beside the training charts at 1280")
	}
	if p.views.layers.Cells[0].Chart.Image() != nil {
		t.Error("a hidden histogram was drawn")
	}
	// V goes through the views that share the column: Runs, then Layers.
	p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyV})
	p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyV})
	if !p.panels.shown(panelLayers) {
		t.Fatal("V did not show the layers")
	}
	h.until("the histograms to be drawn", func() bool { return p.views.layers.Cells[0].Chart.Image() != nil })
	h.w.Resize(fyne.NewSize(1920, 1080))
	if !p.panels.shown(panelTraining) || !p.panels.shown(panelLayers) || !p.panels.shown(panelDraw) {
		t.Error("at 1920 the views do not all have a column")
	}
}

func TestThemeChangeRedrawsCharts(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.p
	h.until("the first charts", func() bool { return p.views.training.Loss.Image() != nil })
	first := p.views.training.Loss.Image()
	gen := p.look.gen
	test.ApplyTheme(t, test.NewTheme())
	p.views.training.Loss.Refresh()
	if p.look.gen == gen {
		t.Fatal("a new theme did not give a new chart style")
	}
	h.until("the charts in the new theme", func() bool { return p.views.training.Loss.Image() != first })
}

func TestChartStyleFollowsTheTheme(t *testing.T) {
	t.Parallel()
	for _, v := range []fyne.ThemeVariant{theme.VariantDark, theme.VariantLight} {
		th := theme.DefaultTheme()
		st := chartStyle(th, v, 2)
		if !sameColor(st.Background, th.Color(theme.ColorNameBackground, v)) || !sameColor(st.Foreground, th.Color(theme.ColorNameForeground, v)) {
			t.Errorf("variant %d: chart colours are not the theme's", v)
		}
		if st.Scale != 2 {
			t.Errorf("variant %d: scale = %g, want 2", v, st.Scale)
		}
		if _, err := chart.Loss(nil, 100, 80, st, false); err != nil {
			t.Errorf("variant %d: the chart package refuses the style: %v", v, err)
		}
	}
	a := chartStyle(theme.DefaultTheme(), theme.VariantDark, 1)
	b := chartStyle(theme.DefaultTheme(), theme.VariantDark, 1)
	if !sameStyle(a, b) {
		t.Error("two styles of one theme differ")
	}
	b.Series = append([]color.Color(nil), b.Series...)
	b.Series[1] = color.White
	if sameStyle(a, b) {
		t.Error("styles with different series colours are the same")
	}
	if got := clampScale(0); got != 1 {
		t.Errorf("clampScale(0) = %g, want 1", got)
	}
}

func TestLatestKeepsOnlyTheNewestJob(t *testing.T) {
	t.Parallel()
	l := newLatest[int]()
	started := make(chan int)
	release := make(chan struct{})
	var mu sync.Mutex
	var seen []int
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go l.run(ctx, func(time.Duration) time.Duration { return 0 }, func(j int) {
		mu.Lock()
		seen = append(seen, j)
		mu.Unlock()
		if j == 1 {
			started <- j
			<-release
		}
	})
	l.submit(1)
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("the first job did not start")
	}
	for j := 2; j <= 50; j++ {
		l.submit(j) // the worker is busy: each replaces the last
	}
	close(release)
	deadline := time.After(10 * time.Second)
	for {
		mu.Lock()
		n := len(seen)
		last := 0
		if n > 0 {
			last = seen[n-1]
		}
		mu.Unlock()
		if last == 50 {
			break
		}
		select {
		case <-deadline:
			t.Fatalf("the newest job never ran; seen %v", seen)
		case <-time.After(time.Millisecond):
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 2 {
		t.Errorf("jobs run = %v, want the first and the newest", seen)
	}
}
