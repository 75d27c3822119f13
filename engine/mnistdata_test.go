package engine

import (
	"sync"
	"testing"
)

var (
	realMNISTOnce sync.Once
	realMNIST     *MNIST
	realMNISTErr  error
)

// testMNIST returns the real MNIST, loaded once for the whole test binary,
// or skips the test with a message when it cannot be found.
func testMNIST(tb testing.TB) *MNIST {
	tb.Helper()
	realMNISTOnce.Do(func() {
		dir, err := FindMNISTDir("")
		if err != nil {
			realMNISTErr = err
			return
		}
		realMNIST, realMNISTErr = LoadMNIST(dir)
	})
	if realMNISTErr != nil {
		tb.Skipf("MNIST not available: %v", realMNISTErr)
	}
	return realMNIST
}
