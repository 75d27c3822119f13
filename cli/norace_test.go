//go:build !race

package cli

// raceDetector is whether the tests run under the race detector, which
// makes training about ten times slower.
const raceDetector = false
