package chart

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// noisyLosses is a falling, noisy loss curve of n steps with a few NaN,
// infinite, zero and negative values among them.
func noisyLosses(n int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, seed))
	ys := make([]float32, n)
	for i := range ys {
		ys[i] = float32((0.1 + 2*math.Exp(-float64(i)/float64(n/4+1))) * math.Exp(0.3*rng.NormFloat64()))
		switch rng.IntN(500) {
		case 0:
			ys[i] = float32(math.NaN())
		case 1:
			ys[i] = float32(math.Inf(1))
		case 2:
			ys[i] = 0
		case 3:
			ys[i] = -0.5
		}
	}
	return ys
}

// pointsOf returns the indices and values of pts.
func pointsOf(pts []seriesPoint) ([]int, []float64) {
	idx := make([]int, len(pts))
	ys := make([]float64, len(pts))
	for i, p := range pts {
		idx[i], ys[i] = p.i, p.y
	}
	return idx, ys
}

func TestLossSeriesMatchesTheWholeComputation(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		n, width int
	}{
		{0, 100}, {1, 100}, {150, 100}, {200, 100}, {5000, 400}, {70000, 300},
	} {
		ys := noisyLosses(c.n, uint64(c.n)+1)
		for _, logY := range []bool{false, true} {
			keep := finite
			if logY {
				keep = positive
			}
			var ls LossSeries
			ls.update(ys, c.width)
			gotIdx, gotY := pointsOf(ls.raw.decimate(c.width, logY))
			if ls.raw.size == 1 {
				// Unthinned, the summary is exact.
				if want := Decimate(ys, c.width, keep); !slices.Equal(gotIdx, want) {
					t.Errorf("n=%d log=%v: raw points %v, want %v", c.n, logY, gotIdx, want)
				}
			}
			if len(gotIdx) > 2*c.width+1 {
				t.Errorf("n=%d log=%v: %d raw points for %d pixels, want at most %d", c.n, logY, len(gotIdx), c.width, 2*c.width+1)
			}
			for i, j := range gotIdx {
				if float64(ys[j]) != gotY[i] || !keep(gotY[i]) {
					t.Fatalf("n=%d log=%v: point %d has value %g, the loss at %d is %g", c.n, logY, i, gotY[i], j, ys[j])
				}
			}
			if c.n > 0 {
				// The extremes and the newest usable value survive.
				want := Decimate(ys, 1, keep)
				for _, j := range want {
					if !slices.Contains(gotIdx, j) {
						t.Errorf("n=%d log=%v: raw points lost index %d (an extreme or the newest)", c.n, logY, j)
					}
				}
			}
			smooth := Smooth(ys, AdaptiveSmoothing(1<<max(0, int(math.Ceil(math.Log2(float64(max(c.n, 1)))))), c.width))
			smIdx, smY := pointsOf(ls.smooth.decimate(c.width, logY))
			for i, j := range smIdx {
				if math.Abs(smY[i]-smooth[j]) > 1e-9*math.Abs(smooth[j]) {
					t.Fatalf("n=%d log=%v: smoothed value at %d is %g, want %g", c.n, logY, j, smY[i], smooth[j])
				}
			}
		}
	}
}

func TestLossSeriesGrowsLikeItIsRebuilt(t *testing.T) {
	t.Parallel()
	ys := noisyLosses(40000, 3)
	var grown LossSeries
	for n := 0; n <= len(ys); n += 997 {
		grown.update(ys[:n], 300)
		var fresh LossSeries
		fresh.update(ys[:n], 300)
		for _, logY := range []bool{false, true} {
			if got, want := grown.raw.decimate(300, logY), fresh.raw.decimate(300, logY); !slices.Equal(got, want) {
				t.Fatalf("%d steps taken in bit by bit: raw points differ from a rebuild", n)
			}
			got, want := grown.smooth.decimate(300, logY), fresh.smooth.decimate(300, logY)
			if len(got) != len(want) {
				t.Fatalf("%d steps: %d smoothed points, a rebuild has %d", n, len(got), len(want))
			}
			for i := range got {
				if got[i].i != want[i].i || math.Abs(got[i].y-want[i].y) > 1e-9*math.Abs(want[i].y) {
					t.Fatalf("%d steps: smoothed point %d is %v, a rebuild has %v", n, i, got[i], want[i])
				}
			}
		}
	}
	// Another run, shorter or different from its first step, starts over.
	other := noisyLosses(500, 4)
	grown.update(other, 300)
	if grown.n != 500 || grown.raw.n != 500 {
		t.Errorf("after a shorter run: %d steps taken in, want 500", grown.n)
	}
	longer := append(noisyLosses(600, 5), 0)
	grown.update(longer, 300)
	if got, want := grown.raw.decimate(300, false), (&LossSeries{}).fill(longer).raw.decimate(300, false); !slices.Equal(got, want) {
		t.Error("a different run of more steps was taken as a continuation")
	}
}

// fill is update for a test, returning ls.
func (ls *LossSeries) fill(ys []float32) *LossSeries {
	ls.update(ys, 300)
	return ls
}

// benchmarkLossGrowing draws the loss chart of a run of steps steps that
// grows by 100 steps (a fifth of a second of a fast network) at each
// drawing, as the window does, with one LossSeries kept across drawings.
func benchmarkLossGrowing(b *testing.B, steps int) {
	const grow, rounds = 100, 200
	all := noisyLosses(steps+grow*rounds, 1)
	s := fakeSnapshot(steps, 600, 1)
	st := DarkStyle()
	var ls LossSeries
	n := steps
	ls.update(all[:n], 800)
	b.ReportAllocs()
	for b.Loop() {
		n += grow
		if n > len(all) {
			b.StopTimer()
			n = steps + grow
			ls = LossSeries{}
			ls.update(all[:steps], 800)
			b.StartTimer()
		}
		s.TrainLoss, s.Step = all[:n], n
		if _, err := LossWith(&ls, s, 800, 400, st, false); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLossGrowing60kSteps(b *testing.B) { benchmarkLossGrowing(b, 60_000) }
func BenchmarkLossGrowing1MSteps(b *testing.B)  { benchmarkLossGrowing(b, 1_000_000) }

// BenchmarkLoss1MStepsFromScratch is the cost without a kept LossSeries,
// which grows with the run.
func BenchmarkLoss1MStepsFromScratch(b *testing.B) {
	s := fakeSnapshot(1_000_000, 600, 1)
	st := DarkStyle()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Loss(s, 800, 400, st, false); err != nil {
			b.Fatal(err)
		}
	}
}
