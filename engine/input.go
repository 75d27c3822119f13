package engine

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"time"
)

// ErrInterrupted is returned by a read that was stopped because its context
// was cancelled (Ctrl-C, or the window closing) before the input arrived.
var ErrInterrupted = errors.New("interrupted while reading")

// errFolder is openInput's error for a folder; callers say what they wanted
// instead.
var errFolder = errors.New("is a folder")

// openInput opens the file a user named for reading. Opening never waits:
// a named pipe (FIFO) without a writer would otherwise block open(2) until
// one comes, which Ctrl-C cannot interrupt, so the file is opened
// non-blocking (openNonBlocking). It returns the file, what it is, and
// whether it is a regular file, which may be read at random; anything else
// (a pipe such as bash's <(...), a FIFO, a terminal, a device) can only be
// read from start to end, with readInput.
func openInput(path string) (*os.File, fs.FileInfo, error) {
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, nil, err
	}
	if fi.IsDir() {
		_ = f.Close()
		return nil, nil, errFolder
	}
	return f, fi, nil
}

// kindOfFile names what a file that is not regular is, for messages.
func kindOfFile(fi fs.FileInfo) string {
	switch m := fi.Mode(); {
	case m&fs.ModeNamedPipe != 0:
		return "a pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}

// readInput reads r to its end, at most limit bytes (tooLarge is the error
// for more), into a buffer of size bytes to begin with (the file's size,
// when it is known, so that the buffer is not grown and copied), and stops with ErrInterrupted as soon as ctx is done, even when
// r blocks: a pipe whose writer stays silent, a terminal nobody types on.
// A file opened by openInput is woken by a read deadline; any other reader
// is read on a goroutine that is abandoned when ctx ends, since nothing can
// wake it (the command that asked ends then, and the goroutine with it).
func readInput(ctx context.Context, r io.Reader, size, limit int64, tooLarge error) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, ErrInterrupted
	}
	if f, ok := r.(*os.File); ok && f.SetReadDeadline(time.Time{}) == nil {
		stop := context.AfterFunc(ctx, func() { _ = f.SetReadDeadline(time.Now()) })
		defer stop()
		b, err := readLimited(f, size, limit, tooLarge)
		if errors.Is(err, os.ErrDeadlineExceeded) || (err != nil && ctx.Err() != nil) {
			return nil, ErrInterrupted
		}
		return b, err
	}
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := readLimited(r, size, limit, tooLarge)
		done <- result{b, err}
	}()
	select {
	case res := <-done:
		return res.b, res.err
	case <-ctx.Done():
		return nil, ErrInterrupted
	}
}

// readLimited reads r to its end, or fails with tooLarge after limit bytes.
// When size, the length r should have, is known, one buffer of that size
// is filled. Otherwise the bytes are read in chunks and joined once at the
// end, so that a stream of unknown length (a pipe, /dev/zero) costs at most
// twice what it holds, not a doubling buffer and the copies it leaves
// behind (300 MB for /dev/zero read up to 64 MiB).
func readLimited(r io.Reader, size, limit int64, tooLarge error) ([]byte, error) {
	if size > 0 {
		var buf bytes.Buffer
		// ReadFrom grows the buffer unless MinRead bytes are free.
		buf.Grow(int(min(size, limit)) + bytes.MinRead)
		n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
		if err != nil {
			return nil, err
		}
		if n > limit {
			return nil, tooLarge
		}
		return buf.Bytes(), nil
	}
	const chunk = 1 << 20
	var chunks [][]byte
	total := int64(0)
	for {
		c := make([]byte, min(chunk, limit+1-total))
		n, err := io.ReadFull(r, c)
		if n > 0 {
			chunks = append(chunks, c[:n])
			total += int64(n)
		}
		if total > limit {
			return nil, tooLarge
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return bytes.Join(chunks, nil), nil
		}
		if err != nil {
			return nil, err
		}
	}
}
