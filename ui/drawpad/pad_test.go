package drawpad

import (
	"image"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// newTestPad shows a pad alone in an unpadded test window of the given size.
func newTestPad(t *testing.T, size fyne.Size) (*Pad, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	p := NewPad()
	w := test.NewTempWindow(t, p)
	w.SetPadded(false)
	w.Resize(size)
	return p, w
}

// at converts a point given as fractions of the pad's drawing square to a
// position on the widget, so a gesture can be replayed at any size.
func at(p *Pad, fx, fy float32) fyne.Position {
	origin, side := square(p.Size())
	return fyne.NewPos(origin.X+fx*side, origin.Y+fy*side)
}

// stroke drags through the given points (fractions of the square) as a
// mouse would: each event carries the distance from the previous one.
func stroke(p *Pad, points ...[2]float32) {
	prev := at(p, points[0][0], points[0][1])
	for _, pt := range points[1:] {
		pos := at(p, pt[0], pt[1])
		p.Dragged(&fyne.DragEvent{
			PointEvent: fyne.PointEvent{Position: pos},
			Dragged:    fyne.NewDelta(pos.X-prev.X, pos.Y-prev.Y),
		})
		prev = pos
	}
	p.DragEnd()
}

// inkAt reads the buffer at a point given as fractions of the square.
func inkAt(img image.Image, fx, fy float32) uint8 {
	g := img.(*image.Gray)
	return g.GrayAt(int(fx*InkSize), int(fy*InkSize)).Y
}

func TestPadDragInksThePath(t *testing.T) {
	p, _ := newTestPad(t, fyne.NewSize(300, 300))
	// An "L": down the left side, then along the bottom, in small steps.
	var points [][2]float32
	for i := 0; i <= 20; i++ {
		points = append(points, [2]float32{0.2, 0.1 + 0.7*float32(i)/20})
	}
	for i := 1; i <= 20; i++ {
		points = append(points, [2]float32{0.2 + 0.6*float32(i)/20, 0.8})
	}
	stroke(p, points...)

	img := p.Image()
	tests := []struct {
		name   string
		fx, fy float32
		inked  bool
	}{
		{"start", 0.2, 0.1, true},
		{"middle of the down stroke", 0.2, 0.45, true},
		{"corner", 0.2, 0.8, true},
		{"middle of the bottom", 0.5, 0.8, true},
		{"end", 0.8, 0.8, true},
		{"inside the L", 0.5, 0.45, false},
		{"left of the down stroke", 0.05, 0.45, false},
		{"above the start", 0.2, 0.02, false},
		{"past the end", 0.95, 0.8, false},
		{"top right", 0.9, 0.1, false},
	}
	for _, tt := range tests {
		got := inkAt(img, tt.fx, tt.fy)
		if tt.inked && got < 250 {
			t.Errorf("%s (%.2f, %.2f): ink %d, want full ink", tt.name, tt.fx, tt.fy, got)
		}
		if !tt.inked && got != 0 {
			t.Errorf("%s (%.2f, %.2f): ink %d, want none", tt.name, tt.fx, tt.fy, got)
		}
	}
	if p.Empty() {
		t.Error("Empty() = true after drawing")
	}
}

func TestPadFastStrokeIsContinuous(t *testing.T) {
	p, _ := newTestPad(t, fyne.NewSize(280, 280))
	// Two events far apart, as when the mouse moves faster than events come.
	stroke(p, [2]float32{0.1, 0.9}, [2]float32{0.15, 0.85}, [2]float32{0.9, 0.1})
	img := p.Image()
	for i := 0; i <= 100; i++ {
		f := float32(i) / 100
		fx, fy := 0.1+0.8*f, 0.9-0.8*f
		if got := inkAt(img, fx, fy); got < 250 {
			t.Fatalf("gap in the stroke at (%.2f, %.2f): ink %d, want full ink", fx, fy, got)
		}
	}
	if got := inkAt(img, 0.9, 0.9); got != 0 {
		t.Errorf("ink %d far from the stroke, want none", got)
	}
}

func TestPadFirstSegmentStartsWherePressed(t *testing.T) {
	p, _ := newTestPad(t, fyne.NewSize(280, 280))
	// One event whose delta reaches back to where the button went down.
	from, to := at(p, 0.2, 0.5), at(p, 0.8, 0.5)
	p.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: to}, Dragged: fyne.NewDelta(to.X-from.X, to.Y-from.Y)})
	p.DragEnd()
	for _, fx := range []float32{0.2, 0.35, 0.5, 0.65, 0.8} {
		if got := inkAt(p.Image(), fx, 0.5); got < 250 {
			t.Errorf("ink at (%.2f, 0.5) = %d, want full ink", fx, got)
		}
	}
}

func TestPadDragThroughCanvas(t *testing.T) {
	p, w := newTestPad(t, fyne.NewSize(280, 280))
	// test.Drag finds the pad under the point, as the driver does.
	test.Drag(w.Canvas(), fyne.NewPos(140, 140), 40, 0)
	if got := inkAt(p.Image(), 0.5, 0.5); got < 250 {
		t.Errorf("ink at the dragged point = %d, want full ink", got)
	}
}

func TestPadClear(t *testing.T) {
	p, _ := newTestPad(t, fyne.NewSize(280, 280))
	var got []image.Image
	p.OnChanged = func(img image.Image) { got = append(got, img) }
	stroke(p, [2]float32{0.3, 0.3}, [2]float32{0.7, 0.7})
	got = nil

	p.Clear()
	if !p.Empty() {
		t.Error("Empty() = false after Clear")
	}
	if len(got) != 1 {
		t.Fatalf("OnChanged called %d times by Clear, want 1", len(got))
	}
	for _, img := range []image.Image{got[0], p.Image()} {
		for i, v := range img.(*image.Gray).Pix {
			if v != 0 {
				t.Fatalf("pixel %d = %d after Clear, want 0", i, v)
			}
		}
	}
	r := test.TempWidgetRenderer(t, p).(*padRenderer)
	if r.hint.Hidden {
		t.Error("the hint is hidden on a cleared pad")
	}
}

func TestPadOnChangedThrottle(t *testing.T) {
	p, _ := newTestPad(t, fyne.NewSize(280, 280))
	clock := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	p.now = func() time.Time { return clock }
	calls := 0
	var last image.Image
	p.OnChanged = func(img image.Image) { calls++; last = img }

	drag := func(fx, fy float32) {
		pos := at(p, fx, fy)
		p.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: pos}, Dragged: fyne.NewDelta(5, 0)})
	}
	steps := []struct {
		name    string
		advance time.Duration
		do      func()
		want    int // calls so far
	}{
		{"first event of a stroke", 0, func() { drag(0.2, 0.5) }, 1},
		{"next event at once", 0, func() { drag(0.3, 0.5) }, 1},
		{"another 10 ms later", 10 * time.Millisecond, func() { drag(0.4, 0.5) }, 1},
		{"past the throttle", notifyEvery, func() { drag(0.5, 0.5) }, 2},
		{"moving over old ink only", notifyEvery, func() { drag(0.45, 0.5) }, 2},
		{"stroke ends", 0, p.DragEnd, 3},
		{"tap on fresh paper", 0, func() { p.Tapped(&fyne.PointEvent{Position: at(p, 0.5, 0.1)}) }, 4},
		{"tap on the same spot", 0, func() { p.Tapped(&fyne.PointEvent{Position: at(p, 0.5, 0.1)}) }, 4},
		{"stray DragEnd", 0, p.DragEnd, 4},
	}
	for _, s := range steps {
		clock = clock.Add(s.advance)
		s.do()
		if calls != s.want {
			t.Fatalf("%s: OnChanged called %d times, want %d", s.name, calls, s.want)
		}
	}
	if inkAt(last, 0.5, 0.1) < 250 || inkAt(last, 0.3, 0.5) < 250 {
		t.Error("the last OnChanged image lacks the stroke or the dot")
	}
}

func TestPadInkIndependentOfSize(t *testing.T) {
	gesture := [][2]float32{{0.3, 0.2}, {0.7, 0.2}, {0.45, 0.85}}
	var images []*image.Gray
	for _, size := range []fyne.Size{{Width: 280, Height: 280}, {Width: 610, Height: 610}, {Width: 700, Height: 350}} {
		p, _ := newTestPad(t, size)
		stroke(p, gesture...)
		images = append(images, p.Image().(*image.Gray))
	}
	for i, img := range images[1:] {
		differ := 0
		for j, v := range img.Pix {
			if d := int(v) - int(images[0].Pix[j]); d < -8 || d > 8 {
				differ++
			}
		}
		// Positions are float32, so only rounding may differ.
		if limit := len(img.Pix) / 1000; differ > limit {
			t.Errorf("size %d: %d pixels differ from the first size, want at most %d", i+1, differ, limit)
		}
	}
}

func TestPadImageIsASnapshot(t *testing.T) {
	p, _ := newTestPad(t, fyne.NewSize(280, 280))
	stroke(p, [2]float32{0.2, 0.2}, [2]float32{0.4, 0.2})
	snap := p.Image().(*image.Gray)
	before := inkAt(snap, 0.8, 0.8)
	stroke(p, [2]float32{0.8, 0.7}, [2]float32{0.8, 0.9})
	if got := inkAt(snap, 0.8, 0.8); got != before {
		t.Errorf("a snapshot changed when the pad was drawn on: ink %d, was %d", got, before)
	}
	snap.Pix[0] = 255
	if got := inkAt(p.Image(), 0, 0); got != 0 {
		t.Errorf("writing to a snapshot changed the pad: ink %d, want 0", got)
	}
}

func TestPadSnapshotsCrossGoroutines(t *testing.T) {
	// The window hands snapshots to a worker while the user keeps drawing;
	// under -race this shows the two never share memory.
	p, _ := newTestPad(t, fyne.NewSize(280, 280))
	images := make(chan image.Image, 64)
	p.OnChanged = func(img image.Image) { images <- img }
	sums := make(chan int, 1)
	go func() {
		total := 0
		for img := range images {
			for _, v := range img.(*image.Gray).Pix {
				total += int(v)
			}
		}
		sums <- total
	}()
	for i := range 30 {
		f := float32(i) / 30
		stroke(p, [2]float32{0.1 + 0.8*f, 0.1}, [2]float32{0.9 - 0.8*f, 0.9})
	}
	close(images)
	select {
	case total := <-sums:
		if total == 0 {
			t.Error("the worker saw only blank images")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the worker did not finish")
	}
}

func TestPadRendering(t *testing.T) {
	p, _ := newTestPad(t, fyne.NewSize(400, 300))
	r := test.TempWidgetRenderer(t, p).(*padRenderer)
	if r.hint.Hidden || r.hint.Text != padHint {
		t.Errorf("empty pad: hint %q hidden=%v, want %q shown", r.hint.Text, r.hint.Hidden, padHint)
	}
	if got, want := r.paper.Size(), fyne.NewSquareSize(300); got != want {
		t.Errorf("paper size %v, want the largest square %v", got, want)
	}
	if got, want := r.paper.Position(), fyne.NewPos(50, 0); got != want {
		t.Errorf("paper at %v, want centred at %v", got, want)
	}

	stroke(p, [2]float32{0.5, 0.3}, [2]float32{0.5, 0.7})
	if !r.hint.Hidden {
		t.Error("the hint still shows after drawing")
	}
	first := r.generate(300, 300).(*image.NRGBA)
	if a := first.NRGBAAt(InkSize/2, InkSize/2).A; a < 250 {
		t.Errorf("raster alpha on the stroke = %d, want opaque ink", a)
	}
	if a := first.NRGBAAt(10, 10).A; a != 0 {
		t.Errorf("raster alpha off the stroke = %d, want transparent", a)
	}
	if again := r.generate(300, 300); again != first {
		t.Error("the raster was rebuilt although the ink did not change")
	}

	stroke(p, [2]float32{0.1, 0.1}, [2]float32{0.2, 0.1})
	second := r.generate(300, 300).(*image.NRGBA)
	if second == first {
		t.Fatal("the raster reused the image on screen for new ink")
	}
	if a := first.NRGBAAt(InkSize*15/100, InkSize/10).A; a != 0 {
		t.Errorf("the image on screen was modified: alpha %d at the new stroke, want 0", a)
	}
	if a := second.NRGBAAt(InkSize*15/100, InkSize/10).A; a < 250 {
		t.Errorf("new raster alpha on the new stroke = %d, want opaque ink", a)
	}
}

func TestPadMinSizeIsSquare(t *testing.T) {
	test.NewTempApp(t)
	if got, want := NewPad().MinSize(), fyne.NewSquareSize(padMinSide); got != want {
		t.Errorf("MinSize() = %v, want %v", got, want)
	}
}

func TestPadStrokeRendersToImage(t *testing.T) {
	p, w := newTestPad(t, fyne.NewSize(140, 140))
	stroke(p, [2]float32{0.25, 0.2}, [2]float32{0.75, 0.2}, [2]float32{0.4, 0.85})
	test.AssertRendersToImage(t, "pad_seven.png", w.Canvas())
}

func BenchmarkStroke(b *testing.B) {
	test.NewTempApp(b)
	p := NewPad()
	p.Resize(fyne.NewSquareSize(padMinSide))
	// A typical mouse event: a few pixels of travel, alternating direction
	// so the stroke keeps covering paper and ink both.
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		x := float32(60 + i%160)
		p.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(x, 140)}, Dragged: fyne.NewDelta(6, 3)})
		i += 6
	}
}

func BenchmarkImage(b *testing.B) {
	test.NewTempApp(b)
	p := NewPad()
	p.Resize(fyne.NewSquareSize(padMinSide))
	stroke(p, [2]float32{0.2, 0.2}, [2]float32{0.8, 0.8})
	b.ReportAllocs()
	for b.Loop() {
		_ = p.Image()
	}
}

func BenchmarkRaster(b *testing.B) {
	test.NewTempApp(b)
	p := NewPad()
	p.Resize(fyne.NewSquareSize(padMinSide))
	stroke(p, [2]float32{0.2, 0.2}, [2]float32{0.8, 0.8})
	r := test.WidgetRenderer(p).(*padRenderer)
	b.ReportAllocs()
	for b.Loop() {
		// Each frame after new ink builds a fresh image for the screen.
		p.ink.version++
		_ = r.generate(padMinSide, padMinSide)
	}
}
