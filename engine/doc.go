// Package engine is everything the MNIST playground computes: the MNIST
// reader, the dense network with its activations, losses, initialisers and
// optimisers, the training session that runs in its own goroutine and
// publishes immutable snapshots, the .npz model format, and the MNIST-style
// preprocessing of drawn digits.
//
// The package never imports fyne or gonum/plot. The window (package ui) and
// the command line (package cli) are both thin layers over it, so everything
// the window can do, a test can do through this package alone.
//
// Numbers are float32 throughout the hot path: it halves the memory traffic of
// float64 and the network's accuracy does not notice. Losses and statistics are
// accumulated in float64.
//
// Conventions follow chapter 3 of "Deep Learning from Scratch" (Saitoh): a
// row vector x times a weight matrix W shaped (fan-in, fan-out), plus b, so a
// batch is X·W + b with one image a row; biases start at zero.
package engine
