//go:build !amd64 || purego

package engine

// archKernels returns nil: this architecture, or a build with the purego tag,
// has only the Go kernels.
func archKernels() *kernelSet { return nil }
