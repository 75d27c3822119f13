// Package enginetest makes small data for the tests of the packages built
// on the engine: a learnable stand-in for MNIST that a network learns in an
// epoch or two, in memory or written as the four MNIST files. The engine's
// own tests keep a copy of Blobs, since a package's internal tests cannot
// import a package that imports it.
package enginetest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/mnistplayground/mnistplayground/engine"
)

// Blobs is n images of a small learnable MNIST stand-in: digit k is a
// bright 4×4 square at a place of its own, jittered by a pixel or two, with
// twenty scattered noise pixels. The same seed gives the same images.
func Blobs(seed uint64, n int) *engine.Dataset {
	rng := rand.New(rand.NewPCG(seed, seed))
	pix := make([]uint8, n*engine.InputSize)
	labels := make([]uint8, n)
	for i := range n {
		k := rng.IntN(engine.NumClasses)
		labels[i] = uint8(k)
		img := pix[i*engine.InputSize : (i+1)*engine.InputSize]
		r0, c0 := 3+(k/5)*12+rng.IntN(3), 1+(k%5)*5+rng.IntN(2)
		for r := r0; r < r0+4; r++ {
			for c := c0; c < c0+4; c++ {
				img[r*28+c] = uint8(180 + rng.IntN(76))
			}
		}
		for range 20 {
			img[rng.IntN(engine.InputSize)] = uint8(rng.IntN(256))
		}
	}
	ds, err := engine.NewDataset(28, 28, pix, labels)
	if err != nil {
		panic("enginetest: " + err.Error())
	}
	return ds
}

// MNIST is Blobs as a training set of train images and a test set of test.
func MNIST(train, test int) *engine.MNIST {
	return &engine.MNIST{Train: Blobs(1, train), Test: Blobs(2, test)}
}

// WriteMNIST writes m into dir as the four files of MNIST, uncompressed,
// for code that reads a data folder.
func WriteMNIST(dir string, m *engine.MNIST) error {
	for _, f := range []struct {
		name  string
		write func(*os.File) error
	}{
		{"train-images-idx3-ubyte", func(f *os.File) error { return engine.WriteImages(f, 28, 28, m.Train.Pixels) }},
		{"train-labels-idx1-ubyte", func(f *os.File) error { return engine.WriteLabels(f, m.Train.Labels) }},
		{"t10k-images-idx3-ubyte", func(f *os.File) error { return engine.WriteImages(f, 28, 28, m.Test.Pixels) }},
		{"t10k-labels-idx1-ubyte", func(f *os.File) error { return engine.WriteLabels(f, m.Test.Labels) }},
	} {
		fh, err := os.Create(filepath.Join(dir, f.name))
		if err != nil {
			return err
		}
		err = f.write(fh)
		if cerr := fh.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("writing %s: %w", f.name, err)
		}
	}
	return nil
}
