package engine

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchModel is a ReLU network of the hidden sizes, drawn by He from rng.
func benchModel(b *testing.B, rng *rand.Rand, hidden ...int) *Model {
	b.Helper()
	acts := make([]Activation, len(hidden))
	for i := range acts {
		acts[i] = ReLU
	}
	m, err := NewModel(MNISTArch(hidden, acts, CrossEntropy), Init{Kind: InitHe}, rng)
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// benchEpoch trains one epoch of the 60,000 MNIST training images per
// iteration with SGD at the given batch size.
func benchEpoch(b *testing.B, batch int, hidden ...int) {
	data := testMNIST(b)
	train := data.Train
	train.sparseView() // built once per dataset, as in a session
	rng := rand.New(rand.NewPCG(1, 1))
	m := benchModel(b, rng, hidden...)
	tr := newTrainer(m, Optimizer{Kind: SGD}, batch, 0)
	b.ReportAllocs()
	for b.Loop() {
		order := epochOrder(rng, train.Len())
		for lo := 0; lo < len(order); lo += batch {
			tr.step(train, order[lo:min(lo+batch, len(order))], 0.1)
		}
	}
	b.ReportMetric(float64(train.Len())*float64(b.N)/b.Elapsed().Seconds(), "images/s")
}

// The epochs of ReLU networks from the default one to the widest the
// window offers three of, at the default batch and at 1000. Past the
// first layer the dense products of the hidden layers decide.
func BenchmarkEpoch784x100x10(b *testing.B)     { benchEpoch(b, 100, 100) }
func BenchmarkEpoch784x50x10(b *testing.B)      { benchEpoch(b, 100, 50) }
func BenchmarkEpoch784x512x512x10(b *testing.B) { benchEpoch(b, 100, 512, 512) }
func BenchmarkEpoch784x1024x1024x1024x10(b *testing.B) {
	benchEpoch(b, 100, 1024, 1024, 1024)
}
func BenchmarkEpoch784x100x10Batch1000(b *testing.B)     { benchEpoch(b, 1000, 100) }
func BenchmarkEpoch784x512x512x10Batch1000(b *testing.B) { benchEpoch(b, 1000, 512, 512) }
func BenchmarkEpoch784x1024x1024x1024x10Batch1000(b *testing.B) {
	benchEpoch(b, 1000, 1024, 1024, 1024)
}

// BenchmarkPredict is one drawn digit through 784-100-10.
// BenchmarkPredict reads one input with the default network and with the
// widest the settings allow, six layers of 1,024: what the pad and each
// kept run cost per drawing.
func BenchmarkPredict(b *testing.B) {
	for _, hidden := range [][]int{{100}, {1024, 1024, 1024, 1024, 1024, 1024}} {
		b.Run(fmt.Sprint(len(hidden), "x", hidden[0]), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			m := benchModel(b, rng, hidden...)
			x := make([]float32, InputSize)
			for i := range x {
				if rng.IntN(5) == 0 {
					x[i] = rng.Float32()
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				m.Predict(x)
			}
		})
	}
}

// BenchmarkEvaluateTestSet measures a model on the 10,000 test images, as
// a session does at the end of every epoch.
func BenchmarkEvaluateTestSet(b *testing.B) {
	data := testMNIST(b)
	data.Test.sparseView()
	m, err := NewModel(MNISTArch([]int{100}, []Activation{ReLU}, CrossEntropy), Init{Kind: InitHe}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		m.Evaluate(data.Test)
	}
}
