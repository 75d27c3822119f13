//go:build unix

package engine

import (
	"os"
	"syscall"
)

// openNonBlocking opens path read-only with O_NONBLOCK, so that opening a
// FIFO returns at once instead of waiting for a writer. The flag changes
// nothing for a regular file; for a pipe it makes the file use Go's poller,
// whose reads wait without blocking a thread and obey a read deadline.
func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
