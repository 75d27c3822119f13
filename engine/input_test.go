package engine

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// TestReadInputLimit reads streams of unknown length around the limit, and
// a file of known size.
func TestReadInputLimit(t *testing.T) {
	t.Parallel()
	tooLarge := errors.New("too large")
	const limit = 3<<20 + 5 // more than a chunk, not a whole number of them
	for _, c := range []struct {
		n, size int64
		err     error
	}{
		{0, 0, nil}, {1, 0, nil}, {1 << 20, 0, nil}, {limit, 0, nil}, {limit + 1, 0, tooLarge}, {10 << 20, 0, tooLarge},
		{limit, limit, nil}, {limit + 1, limit + 1, tooLarge}, {100, 1, nil},
	} {
		data := bytes.Repeat([]byte{7}, int(c.n))
		// The wrapper hides bytes.Reader's methods, as a pipe would.
		got, err := readInput(t.Context(), struct{ io.Reader }{bytes.NewReader(data)}, c.size, limit, tooLarge)
		if !errors.Is(err, c.err) || (err == nil && !bytes.Equal(got, data)) {
			t.Errorf("%d bytes, size %d: got %d bytes, error %v; want error %v", c.n, c.size, len(got), err, c.err)
		}
	}
}
