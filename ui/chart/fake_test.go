package chart

import (
	"flag"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/mnistplayground/mnistplayground/engine"
)

// outDir, when set (go test -args -chart.out=/tmp), receives every chart the
// tests render as chart-<name>.png, for looking at them.
var outDir = flag.String("chart.out", "", "write the rendered charts into this directory as chart-*.png")

// save writes img to outDir when asked to.
func save(t testing.TB, name string, img image.Image) {
	t.Helper()
	if *outDir == "" {
		return
	}
	fh, err := os.Create(filepath.Join(*outDir, "chart-"+name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	if err := png.Encode(fh, img); err != nil {
		t.Fatal(err)
	}
}

// fakeSnapshot is a plausible run of steps mini-batches at stepsPerEpoch per
// epoch: a cross-entropy loss falling from about 2.3 to 0.08 with the noise
// of a batch of 100, a test measurement at each epoch end, and two layers
// whose weight histograms widen as training goes on.
func fakeSnapshot(steps, stepsPerEpoch int, seed uint64) *engine.Snapshot {
	rng := rand.New(rand.NewPCG(seed, seed))
	s := &engine.Snapshot{
		State:         engine.Running,
		Step:          steps,
		StepsPerEpoch: stepsPerEpoch,
		Epoch:         steps / stepsPerEpoch,
		TrainLoss:     make([]float32, steps),
		Config:        engine.DefaultConfig(),
	}
	s.Config.Epochs = 10
	spe := float64(stepsPerEpoch)
	mean := func(step float64) float64 {
		return 0.06 + 1.7*math.Exp(-step/(0.08*spe)) + 0.55*math.Exp(-step/(1.5*spe))
	}
	for i := range s.TrainLoss {
		s.TrainLoss[i] = float32(mean(float64(i+1)) * math.Exp(0.35*rng.NormFloat64()-0.06))
	}
	for e := 1; e*stepsPerEpoch <= steps; e++ {
		step := e * stepsPerEpoch
		loss := mean(float64(step)) * 1.05
		s.Tests = append(s.Tests, engine.EpochMetric{
			Epoch:     e,
			Step:      step,
			TrainLoss: mean(float64(step)),
			Loss:      loss,
			Accuracy:  math.Min(0.995, 1-0.29*loss-0.002*rng.Float64()),
		})
	}
	progress := float64(steps) / spe
	s.Layers = []engine.LayerStats{
		{In: 784, Out: 100, Act: engine.ReLU, Weights: fakeHist(rng, 0, 0.05*(1+0.15*progress), 40)},
		{In: 100, Out: 10, Act: engine.Identity, Weights: fakeHist(rng, 0, 0.14*(1+0.3*progress), 40)},
	}
	return s
}

// fakeHist is a histogram of 20,000 normal samples in bins bins spanning the
// samples.
func fakeHist(rng *rand.Rand, mean, std float64, bins int) engine.Histogram {
	xs := make([]float64, 20000)
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range xs {
		xs[i] = mean + std*rng.NormFloat64()
		lo, hi = math.Min(lo, xs[i]), math.Max(hi, xs[i])
	}
	h := engine.Histogram{Min: lo, Max: hi, Counts: make([]int, bins)}
	for _, x := range xs {
		h.Counts[min(bins-1, int(float64(bins)*(x-lo)/(hi-lo)))]++
	}
	return h
}

// fakeHistory is a layer's history over a run of steps at n evenly spread
// steps, recorded through a HistoryRecorder as the window would.
func fakeHistory(n, steps int, seed uint64) []HistEntry {
	rng := rand.New(rand.NewPCG(seed, seed))
	var h HistoryRecorder
	for i := range n {
		step := i * steps / max(1, n-1)
		p := 0.0
		if steps > 0 {
			p = float64(step) / float64(steps)
		}
		// Weights start narrow (He initialisation) and spread and skew a
		// little as the layer learns.
		h.Add(step, fakeHist(rng, 0.01*p, 0.05*(1+1.5*p), 40))
	}
	return h.Entries()
}
