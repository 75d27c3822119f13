//go:build !unix

package engine

import "os"

// openNonBlocking opens path read-only. Systems other than Unix have no
// FIFOs in their file systems to wait on.
func openNonBlocking(path string) (*os.File, error) {
	return os.Open(path)
}
