//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly)

package engine

import "os"

// lockFile does nothing: without flock, a save's temporary file is told
// from a leftover by nothing, so leftovers are not removed (tryLockFile).
func lockFile(f *os.File) error { return nil }

// tryLockFile reports false: see lockFile.
func tryLockFile(f *os.File) bool { return false }
