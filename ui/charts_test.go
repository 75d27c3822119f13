package ui

import (
	"context"
	"image"
	"image/color"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/chart"
)

// renderTestJob is a job for the loss, accuracy and first layer's charts of
// snap at w×h pixels each.
func renderTestJob(snap *engine.Snapshot, rec *chart.HistoryRecorder, w, h int) renderJob {
	return renderJob{
		snap: snap, style: chart.DarkStyle(), styleGen: 1,
		loss: [2]int{w, h}, acc: [2]int{w, h},
		layers: []layerJob{{title: "Layer 1", rec: rec, size: [2]int{w, h}}},
	}
}

func TestRendererDrawsOnlyWhatChanged(t *testing.T) {
	t.Parallel()
	snap := fakeSnapshot(t, engine.Running, 700)
	rec := chart.NewHistoryRecorder(10)
	rec.Add(snap.Step, snap.Layers[0].Weights)
	var r chartRenderer

	first := r.render(renderTestJob(snap, rec, 400, 250))
	if first.loss == nil || first.acc == nil || first.layers[0] == nil {
		t.Fatal("the first job drew nothing")
	}
	if got := first.loss.Bounds().Size(); got.X != 400 || got.Y != 250 {
		t.Errorf("loss chart is %v, want 400×250 pixels", got)
	}
	again := r.render(renderTestJob(snap, rec, 400, 250))
	if again.loss != nil || again.acc != nil || again.layers[0] != nil {
		t.Error("the same job drew again")
	}

	logJob := renderTestJob(snap, rec, 400, 250)
	logJob.logY = true
	if out := r.render(logJob); out.loss == nil || out.acc != nil {
		t.Error("switching to a log scale must redraw the loss chart, and only it")
	}

	hidden := renderTestJob(fakeSnapshot(t, engine.Running, 701), rec, 400, 250)
	hidden.layers[0].size = [2]int{}
	if out := r.render(hidden); out.loss == nil || out.layers[0] != nil {
		t.Error("a new snapshot must redraw the shown charts and skip the hidden one")
	}

	bigger := r.render(renderTestJob(hidden.snap, rec, 500, 250))
	if bigger.layers[0] == nil || bigger.loss == nil {
		t.Error("a new size must redraw")
	}
}

// TestRendererRedrawsANewGeneration: opening a model before any training
// starts a new generation whose empty charts look like the last ones. The
// window drops images of the older generation, so the renderer must draw
// them again, or the charts stay blank.
func TestRendererRedrawsANewGeneration(t *testing.T) {
	t.Parallel()
	rec := chart.NewHistoryRecorder(10)
	var r chartRenderer
	job := renderTestJob(nil, rec, 400, 250)
	job.gen = 1
	if out := r.render(job); out.loss == nil || out.acc == nil {
		t.Fatal("the first job drew nothing")
	}
	job.gen = 2
	if out := r.render(job); out.loss == nil || out.acc == nil || out.gen != 2 {
		t.Error("a new generation with the same empty charts was not drawn again")
	}
}

func TestHistogramsWaitForTheirTurn(t *testing.T) {
	t.Parallel()
	rec := chart.NewHistoryRecorder(10)
	clock := time.Unix(0, 0)
	r := chartRenderer{now: func() time.Time { return clock }}
	job := func(step int) renderJob {
		s := fakeSnapshot(t, engine.Running, step)
		rec.Add(step, s.Layers[0].Weights)
		return renderTestJob(s, rec, 300, 200)
	}
	if out := r.render(job(10)); out.layers[0] == nil || out.deferred {
		t.Fatal("the first histogram was not drawn at once")
	}
	clock = clock.Add(histEvery / 2)
	out := r.render(job(11))
	if out.layers[0] != nil || !out.deferred || out.loss == nil {
		t.Error("a histogram was redrawn for new data within histEvery, or the loss chart was not")
	}
	clock = clock.Add(histEvery / 2)
	if out := r.render(job(12)); out.layers[0] == nil || out.deferred {
		t.Error("the histogram was not redrawn after histEvery")
	}
	clock = clock.Add(time.Millisecond)
	resized := job(13)
	resized.layers[0].size = [2]int{320, 200}
	if out := r.render(resized); out.layers[0] == nil {
		t.Error("a resized histogram waited for its turn")
	}
}

func TestLatestResubmitYieldsToNewerJobs(t *testing.T) {
	t.Parallel()
	l := newLatest[int]()
	l.submit(1)
	job, seq, _ := l.take()
	l.resubmit(job, seq)
	if got, _, ok := l.take(); !ok || got != 1 {
		t.Fatalf("resubmit with nothing newer gave %d, %v; want 1", got, ok)
	}
	l.submit(2)
	_, _, _ = l.take()
	l.resubmit(job, seq) // 2 has been submitted since
	if got, _, ok := l.take(); ok {
		t.Errorf("an old job came back after a newer one: %d", got)
	}
}

func TestChartsAreDrawnAtTheirPixelSize(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.p
	h.until("the first charts", func() bool { return p.charts.loss.image.Image != nil })
	w, ht := p.charts.loss.pixels()
	if w == 0 || ht == 0 {
		t.Fatal("the loss chart has no size in the window")
	}
	h.until("the loss chart at its size", func() bool {
		b := p.charts.loss.image.Image.Bounds()
		return b.Dx() == w && b.Dy() == ht
	})

	// In a 1280-wide window only one group of charts fits: the layers'
	// histograms are not drawn until they are shown.
	if p.charts.panel.wide {
		t.Fatalf("the charts panel is %v wide at 1280, want the narrow mode", p.charts.content.Size())
	}
	if p.charts.cells[0].view.image.Image != nil {
		t.Error("a hidden histogram was drawn")
	}
	p.typedKey(&fyne.KeyEvent{Name: fyne.KeyV})
	h.until("the histograms to be drawn", func() bool { return p.charts.cells[0].view.image.Image != nil })

	h.w.Resize(fyne.NewSize(1920, 1080))
	if !p.charts.panel.wide {
		t.Errorf("the charts panel is %v wide at 1920, want both groups side by side", p.charts.content.Size())
	}
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

func TestThemeChangeRedrawsCharts(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.p
	h.until("the first charts", func() bool { return p.charts.loss.image.Image != nil })
	first := p.charts.loss.image.Image
	gen := p.charts.styleGen
	test.ApplyTheme(t, test.NewTheme())
	p.charts.loss.Refresh()
	if p.charts.styleGen == gen {
		t.Fatal("a new theme did not give a new chart style")
	}
	h.until("the charts in the new theme", func() bool { return p.charts.loss.image.Image != first })
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
	go l.run(ctx, 0, func(j int, _ uint64) {
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

func TestGridColumns(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		n    int
		size fyne.Size
		want int
	}{
		{1, fyne.NewSize(400, 600), 1},
		{2, fyne.NewSize(400, 600), 1},
		{2, fyne.NewSize(1200, 300), 2},
		{4, fyne.NewSize(800, 600), 2},
		{7, fyne.NewSize(400, 700), 1},
	} {
		if got := gridColumns(c.n, c.size); got != c.want {
			t.Errorf("gridColumns(%d, %v) = %d, want %d", c.n, c.size, got, c.want)
		}
	}
}

func TestFlatUnitsWarnAsTheActivationWarrants(t *testing.T) {
	h := newHarness(t, Options{})
	cs := h.p.charts
	for _, c := range []struct {
		act  engine.Activation
		flat float64
		warn bool
	}{
		{engine.ReLU, 0.5, false},
		{engine.ReLU, 0.85, false},
		{engine.ReLU, 0.95, true},
		{engine.Sigmoid, 0.4, false},
		{engine.Sigmoid, 0.6, true},
		{engine.Tanh, 0.6, true},
		{engine.Identity, 0.6, false},
	} {
		a := engine.MNISTArch([]int{8}, []engine.Activation{c.act}, engine.CrossEntropy)
		cs.setLayers(a)
		// Equal gradients, so that only the flat units can warn.
		s := &engine.Snapshot{State: engine.Running, Step: 5, Layers: []engine.LayerStats{
			{In: 784, Out: 8, Act: c.act, GradNorm: 1, Saturated: c.flat},
			{In: 8, Out: 10, Act: engine.Identity, GradNorm: 1},
		}}
		cs.show(s)
		got := cs.cells[0].stats.Importance == widget.WarningImportance
		if got != c.warn {
			t.Errorf("%s with %.0f%% flat units: warning %v, want %v (%q)", c.act, 100*c.flat, got, c.warn, cs.cells[0].stats.Text)
		}
		word := "saturated"
		switch {
		case c.act == engine.ReLU && c.warn:
			word = "nearly all off"
		case c.act == engine.ReLU:
			word = "off"
		}
		if !strings.Contains(cs.cells[0].stats.Text, word) {
			t.Errorf("%s caption %q does not say %q", c.act, cs.cells[0].stats.Text, word)
		}
	}
}

func TestStaleChartImagesAreDropped(t *testing.T) {
	h := newHarness(t, Options{})
	cs := h.p.charts
	before := cs.loss.image.Image
	stale := rendered{gen: cs.gen, loss: image.NewRGBA(image.Rect(0, 0, 4, 4))}
	cs.setLayers(h.p.net.arch()) // a Reset or an opened model
	cs.put(stale)
	if cs.loss.image.Image != before {
		t.Error("an image drawn for the previous network was shown after it was replaced")
	}
	fresh := rendered{gen: cs.gen, loss: image.NewRGBA(image.Rect(0, 0, 4, 4))}
	cs.put(fresh)
	if cs.loss.image.Image != fresh.loss {
		t.Error("an image of the current network was not shown")
	}
}

func TestStateDotFollowsTheTheme(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.p
	p.setStatus("Training", theme.ColorNameSuccess)
	r := test.TempWidgetRenderer(t, p.stateDot).(*stateDotRenderer)
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		th := test.NewTheme()
		fixed := variantTheme{Theme: th, v: v}
		test.ApplyTheme(t, fixed)
		want := fixed.Color(theme.ColorNameSuccess, v)
		if got := r.circle.FillColor; !sameColor(got, want) {
			t.Errorf("dot colour under a %v theme = %v, want %v", v, got, want)
		}
	}
}

// variantTheme is a theme that always gives the colours of variant v.
type variantTheme struct {
	fyne.Theme
	v fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return theme.DefaultTheme().Color(n, t.v)
}

func TestLayerStatisticsWaitForAGradient(t *testing.T) {
	h := newHarness(t, Options{})
	cs := h.p.charts
	a := engine.MNISTArch([]int{8}, []engine.Activation{engine.ReLU}, engine.CrossEntropy)
	cs.setLayers(a)
	layers := func(grad float64) []engine.LayerStats {
		return []engine.LayerStats{
			{In: 784, Out: 8, Act: engine.ReLU, GradNorm: grad, Saturated: 0.44, ActMean: 0.3, ActStd: 0.2},
			{In: 8, Out: 10, Act: engine.Identity, GradNorm: grad},
		}
	}
	cs.show(&engine.Snapshot{State: engine.Done, Step: 24, Layers: layers(0.5)})
	want := cs.cells[0].stats.Text
	if !strings.Contains(want, "off 44%") {
		t.Fatalf("statistics of a trained step = %q, want them shown", want)
	}
	// A continued session's first snapshot, at the same step, has no
	// gradient yet.
	cs.show(&engine.Snapshot{State: engine.Paused, Step: 24, Layers: layers(0)})
	if got := cs.cells[0].stats.Text; got != want {
		t.Errorf("statistics before the first trained step = %q, want %q kept", got, want)
	}
}
