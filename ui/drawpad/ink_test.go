package drawpad

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestCoverage(t *testing.T) {
	t.Parallel()
	for _, width := range []float64{MinPen, DefaultPen, MaxPen} {
		p := newPen(width)
		w := float32(width * InkSize)
		tests := []struct {
			name string
			d    float32
			want float32
		}{
			{"centre", 0, 1},
			{"edge of the core", p.inner, 1},
			{"half-width line", float32(math.Round(float64(w))) / 2, 0.5},
			{"outer edge", p.outer, 0},
			{"far away", 3 * p.outer, 0},
		}
		for _, tt := range tests {
			if got := p.coverage(tt.d); math.Abs(float64(got-tt.want)) > 1e-6 {
				t.Errorf("pen %g, %s: coverage(%v) = %v, want %v", width, tt.name, tt.d, got, tt.want)
			}
		}
		// The falloff must never rise with distance, or a ring would show.
		prev := p.coverage(0)
		for d := float32(0); d <= p.outer+1; d += 0.25 {
			got := p.coverage(d)
			if got > prev {
				t.Fatalf("pen %g: coverage rises from %v to %v at d=%v", width, prev, got, d)
			}
			prev = got
		}
	}
	if a, b := newPen(0), newPen(1); a != newPen(MinPen) || b != newPen(MaxPen) {
		t.Error("pen widths outside MinPen..MaxPen are not clamped")
	}
}

func TestInkSegmentMatchesDistance(t *testing.T) {
	t.Parallel()
	// Against a brute-force reference: every pixel holds the pen's coverage
	// at its distance from the segment.
	rng := rand.New(rand.NewPCG(7, 7))
	for trial := range 20 {
		k := newInk()
		x0, y0 := rng.Float32()*InkSize, rng.Float32()*InkSize
		x1, y1 := rng.Float32()*InkSize, rng.Float32()*InkSize
		k.segment(x0, y0, x1, y1)
		for y := 0; y < InkSize; y += 3 {
			for x := 0; x < InkSize; x += 3 {
				d := distToSegment(float64(x)+0.5, float64(y)+0.5, float64(x0), float64(y0), float64(x1), float64(y1))
				want := int(k.pen.coverage(float32(d))*255 + 0.5)
				got := int(k.pix[y*InkSize+x])
				if diff := got - want; diff < -1 || diff > 1 {
					t.Fatalf("trial %d, segment (%.1f,%.1f)-(%.1f,%.1f): pixel (%d,%d) = %d, want %d",
						trial, x0, y0, x1, y1, x, y, got, want)
				}
			}
		}
	}
}

func TestInkSegmentsJoinWithoutSeams(t *testing.T) {
	t.Parallel()
	// A line drawn as many short segments equals the same line drawn at once:
	// taking the maximum means the joins neither darken nor leave gaps.
	whole, pieces := newInk(), newInk()
	whole.segment(20, 30, 250, 200)
	const n = 37
	for i := range n {
		f0, f1 := float32(i)/n, float32(i+1)/n
		pieces.segment(20+230*f0, 30+170*f0, 20+230*f1, 30+170*f1)
	}
	for i := range whole.pix {
		if d := int(whole.pix[i]) - int(pieces.pix[i]); d < -1 || d > 1 {
			t.Fatalf("pixel (%d,%d): whole line %d, segmented line %d", i%InkSize, i/InkSize, whole.pix[i], pieces.pix[i])
		}
	}
}

func TestInkClipsAtTheEdges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		x0, y0     float32
		x1, y1     float32
		wantInked  bool
		wantCorner bool // pixel (0,0) inked
	}{
		{"across the top-left corner", -20, 10, 10, -20, true, true},
		{"entirely outside", -100, -100, -60, -300, false, false},
		{"outside to the right", InkSize + newPen(DefaultPen).outer, 10, InkSize + 100, 200, false, false},
		{"in the middle", 100, 100, 180, 180, true, false},
	}
	for _, tt := range tests {
		k := newInk()
		changed := k.segment(tt.x0, tt.y0, tt.x1, tt.y1)
		if changed != tt.wantInked || k.inked != tt.wantInked {
			t.Errorf("%s: changed = %v, inked = %v, want %v", tt.name, changed, k.inked, tt.wantInked)
		}
		if got := k.pix[0] > 0; got != tt.wantCorner {
			t.Errorf("%s: corner inked = %v, want %v", tt.name, got, tt.wantCorner)
		}
	}
}

func TestInkVersionAndClear(t *testing.T) {
	t.Parallel()
	k := newInk()
	if k.clear() {
		t.Error("clear on a blank buffer reported a change")
	}
	v0 := k.version
	k.segment(140, 140, 140, 140)
	if k.version == v0 {
		t.Error("drawing did not change the version")
	}
	v1 := k.version
	if k.segment(140, 140, 140, 140) {
		t.Error("drawing the same dot twice reported a change")
	}
	if k.version != v1 {
		t.Error("an unchanged buffer got a new version")
	}
	if !k.clear() || k.inked || k.version == v1 {
		t.Errorf("after clear: inked = %v, version changed = %v; want false, true", k.inked, k.version != v1)
	}
	for i, v := range k.pix {
		if v != 0 {
			t.Fatalf("pixel %d = %d after clear, want 0", i, v)
		}
	}
}

func distToSegment(px, py, x0, y0, x1, y1 float64) float64 {
	dx, dy := x1-x0, y1-y0
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = math.Max(0, math.Min(1, ((px-x0)*dx+(py-y0)*dy)/l2))
	}
	return math.Hypot(px-(x0+t*dx), py-(y0+t*dy))
}

func TestAThinnerPenInksLess(t *testing.T) {
	t.Parallel()
	inked := func(width float64) int {
		k := newInk()
		k.pen = newPen(width)
		k.segment(40, 140, 240, 140)
		n := 0
		for _, v := range k.pix {
			if v > 127 {
				n++
			}
		}
		return n
	}
	thin, usual, thick := inked(MinPen), inked(DefaultPen), inked(MaxPen)
	if !(thin < usual && usual < thick) {
		t.Errorf("pixels inked by a thin, the usual and a thick pen: %d, %d, %d; want them growing", thin, usual, thick)
	}
	// About width·length pixels at half intensity or more, and the round
	// caps.
	w := DefaultPen * InkSize
	if want := w*200 + math.Pi*w*w/4; math.Abs(float64(usual)-want) > 0.05*want {
		t.Errorf("the usual pen inks %d pixels over 200, want about %.0f", usual, want)
	}
}
