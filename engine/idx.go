package engine

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// The IDX format is LeCun's container for MNIST (http://yann.lecun.com/exdb/mnist/):
// a big-endian magic number whose third byte is the element type (0x08,
// unsigned byte) and fourth the number of dimensions, then one big-endian
// uint32 per dimension, then the elements in row-major order.
const (
	idxImageMagic = 0x00000803 // unsigned bytes, 3 dimensions: count, rows, cols
	idxLabelMagic = 0x00000801 // unsigned bytes, 1 dimension: count

	// maxSide bounds an image's rows and columns. MNIST is 28×28; anything
	// past 4096 is a damaged header, not a picture.
	maxSide = 4096
	// maxCount bounds the number of items a header may declare: 280 times
	// MNIST, far beyond what the playground trains on, and small enough that a
	// damaged header is caught before the data is read.
	maxCount = 1 << 24
	// maxPayload bounds the bytes of data after the header, so that sizes fit
	// an int even on 32-bit platforms.
	maxPayload = 1<<31 - 1
	// maxImagesPayload bounds the pixels of one image file: 85,598 images
	// of 28×28, 1.4 times MNIST's training set. The window and the commands
	// load a training and a test set at once, each read into a buffer that
	// grows as its bytes arrive, so a data folder at the limit peaks near
	// 250 MB (measured); at 96 MiB it was 320 MB.
	maxImagesPayload = 64 << 20
	// firstChunk is the buffer a payload starts with. The buffer then grows
	// as bytes actually arrive (readPayload), so a header that lies about its
	// size costs memory in proportion to the file, never to the lie.
	firstChunk = 64 << 10
	// maxTrailing is how far the reader counts bytes after the declared data
	// before it stops counting and reports "more than".
	maxTrailing = 1 << 20
)

// idxKinds names the two kinds of IDX file MNIST comes in, for errors about
// one given where the other was expected.
var idxKinds = map[uint32]string{idxImageMagic: "an image file", idxLabelMagic: "a label file"}

// idxTypeNames names the IDX element types, for errors about files that are
// IDX but not of unsigned bytes.
var idxTypeNames = map[byte]string{
	0x08: "unsigned byte", 0x09: "signed byte", 0x0B: "short",
	0x0C: "int", 0x0D: "float", 0x0E: "double",
}

// ReadImages reads an IDX image file (magic 2051: unsigned bytes in three
// dimensions), gzip-compressed or not, and returns the image size and the
// pixels of every image, one after the other, row-major. It checks the header,
// reports a file shorter or longer than its header declares, and never
// allocates more than the bytes that actually arrive warrant.
func ReadImages(r io.Reader) (rows, cols int, pixels []uint8, err error) {
	src, closeSrc, err := openIDX(r)
	if err != nil {
		return 0, 0, nil, err
	}
	defer closeSrc()
	h, err := readImagesHeader(src)
	if err != nil {
		return 0, 0, nil, err
	}
	pixels, err = h.readPixels(src)
	if err != nil {
		return 0, 0, nil, err
	}
	return h.rows, h.cols, pixels, nil
}

// imagesHeader is the checked header of an IDX image file.
type imagesHeader struct {
	count, rows, cols int
}

// readImagesHeader reads and checks an image file's magic number and
// dimensions.
func readImagesHeader(src io.Reader) (imagesHeader, error) {
	if err := readMagic(src, idxImageMagic); err != nil {
		return imagesHeader{}, err
	}
	var dims [3]uint32
	if err := readDims(src, dims[:]); err != nil {
		return imagesHeader{}, err
	}
	count, r32, c32 := dims[0], dims[1], dims[2]
	if r32 < 1 || r32 > maxSide || c32 < 1 || c32 > maxSide {
		return imagesHeader{}, fmt.Errorf("the header declares images of %d×%d pixels: each side must be 1 to %d, so the header is damaged", r32, c32, maxSide)
	}
	if count > maxCount {
		return imagesHeader{}, fmt.Errorf("the header declares %d images, more than the %d this reader accepts: the header is damaged", count, maxCount)
	}
	if size := uint64(count) * uint64(r32) * uint64(c32); size > maxImagesPayload {
		return imagesHeader{}, fmt.Errorf("the header declares %d images of %d×%d pixels, %d MiB, more than the %d MiB this reader accepts (MNIST's 60,000 training images are 45 MiB): the header is damaged, or the set is too large for the playground", count, r32, c32, size>>20, maxImagesPayload>>20)
	}
	return imagesHeader{count: int(count), rows: int(r32), cols: int(c32)}, nil
}

// readPixels reads the pixels the header declares.
func (h imagesHeader) readPixels(src io.Reader) ([]uint8, error) {
	what := fmt.Sprintf("%s of %d×%d pixels", plural(h.count, "image"), h.rows, h.cols)
	return readPayload(src, h.count*h.rows*h.cols, what)
}

// ReadLabels reads an IDX label file (magic 2049: unsigned bytes in one
// dimension), gzip-compressed or not, and returns its labels. Every label must
// be a digit 0..9. Like ReadImages it reports a file shorter or longer than
// its header declares.
func ReadLabels(r io.Reader) ([]uint8, error) {
	src, closeSrc, err := openIDX(r)
	if err != nil {
		return nil, err
	}
	defer closeSrc()
	count, err := readLabelsHeader(src)
	if err != nil {
		return nil, err
	}
	return readLabelValues(src, count)
}

// readLabelsHeader reads and checks a label file's magic number and count.
func readLabelsHeader(src io.Reader) (int, error) {
	if err := readMagic(src, idxLabelMagic); err != nil {
		return 0, err
	}
	var dims [1]uint32
	if err := readDims(src, dims[:]); err != nil {
		return 0, err
	}
	count := dims[0]
	if count > maxCount {
		return 0, fmt.Errorf("the header declares %d labels, more than the %d this reader accepts: the header is damaged", count, maxCount)
	}
	return int(count), nil
}

// readLabelValues reads count labels and checks that each is a digit.
func readLabelValues(src io.Reader, count int) ([]uint8, error) {
	labels, err := readPayload(src, count, plural(count, "label"))
	if err != nil {
		return nil, err
	}
	for i, l := range labels {
		if l >= NumClasses {
			return nil, fmt.Errorf("label %d of item %d is not a digit 0..9", l, i)
		}
	}
	return labels, nil
}

// WriteImages writes images as an uncompressed IDX image file: rows×cols
// pixels per image, len(pixels)/(rows·cols) images. It refuses what
// ReadImages would refuse, so whatever it writes reads back.
func WriteImages(w io.Writer, rows, cols int, pixels []uint8) error {
	if rows < 1 || rows > maxSide || cols < 1 || cols > maxSide {
		return fmt.Errorf("images of %d×%d pixels cannot be written: each side must be 1 to %d", rows, cols, maxSide)
	}
	if len(pixels)%(rows*cols) != 0 {
		return fmt.Errorf("%d pixels are not a whole number of %d×%d images", len(pixels), rows, cols)
	}
	count := len(pixels) / (rows * cols)
	if count > maxCount || len(pixels) > maxPayload {
		return fmt.Errorf("%d images of %d×%d pixels are more than an IDX file read here may hold (%d images, %d bytes)", count, rows, cols, maxCount, maxPayload)
	}
	header := binary.BigEndian.AppendUint32(nil, idxImageMagic)
	header = binary.BigEndian.AppendUint32(header, uint32(count))
	header = binary.BigEndian.AppendUint32(header, uint32(rows))
	header = binary.BigEndian.AppendUint32(header, uint32(cols))
	return writeIDX(w, header, pixels)
}

// WriteLabels writes labels as an uncompressed IDX label file. Every label
// must be a digit 0..9.
func WriteLabels(w io.Writer, labels []uint8) error {
	if len(labels) > maxCount {
		return fmt.Errorf("%d labels are more than an IDX file read here may hold (%d)", len(labels), maxCount)
	}
	for i, l := range labels {
		if l >= NumClasses {
			return fmt.Errorf("label %d of item %d is not a digit 0..9", l, i)
		}
	}
	header := binary.BigEndian.AppendUint32(nil, idxLabelMagic)
	header = binary.BigEndian.AppendUint32(header, uint32(len(labels)))
	return writeIDX(w, header, labels)
}

// LoadDataset reads an image file and a label file (each gzip-compressed or
// not) and checks that they describe the same images. Errors name the file at
// fault. Both headers are read first, so that files that disagree on the
// number of images are refused before any pixel is read (a compressed image
// file may declare a gigabyte); then the two files are read at the same time.
func LoadDataset(imagesPath, labelsPath string) (*Dataset, error) {
	var (
		images, labels       idxFile
		header               imagesHeader
		count                int
		imagesErr, labelsErr error
	)
	defer images.release()
	defer labels.release()
	if imagesErr = images.open(imagesPath); imagesErr == nil {
		header, imagesErr = readImagesHeader(images.src)
	}
	if labelsErr = labels.open(labelsPath); labelsErr == nil {
		count, labelsErr = readLabelsHeader(labels.src)
	}
	if err := errors.Join(images.wrap(imagesErr), labels.wrap(labelsErr)); err != nil {
		return nil, err
	}
	if header.count != count {
		return nil, fmt.Errorf("%s holds %d images but %s holds %d labels: the two files must come from the same set", imagesPath, header.count, labelsPath, count)
	}
	if count == 0 {
		return nil, fmt.Errorf("%s holds no images: there is nothing to learn from or test on", imagesPath)
	}
	var (
		wg             sync.WaitGroup
		pixels, values []uint8
	)
	wg.Go(func() { pixels, imagesErr = header.readPixels(images.src) })
	wg.Go(func() { values, labelsErr = readLabelValues(labels.src, count) })
	wg.Wait()
	if err := errors.Join(images.wrap(imagesErr), labels.wrap(labelsErr)); err != nil {
		return nil, err
	}
	return NewDataset(header.rows, header.cols, pixels, values)
}

// idxFile is an IDX file opened for reading, decompressed if need be.
type idxFile struct {
	path   string
	opened bool
	src    io.Reader
	close  func()
}

// release closes the file, if it was opened.
func (x *idxFile) release() {
	if x.close != nil {
		x.close()
	}
}

// open opens the file at path.
func (x *idxFile) open(path string) error {
	x.path = path
	f, err := os.Open(path)
	if err != nil {
		return err // *fs.PathError already names the file
	}
	x.opened, x.close = true, func() { f.Close() }
	src, closeSrc, err := openIDX(f)
	if err != nil {
		return err
	}
	x.src, x.close = src, func() { closeSrc(); f.Close() }
	return nil
}

// wrap prefixes an error about the file's contents with its path, so the
// user knows which of several files is at fault; an error opening it names
// it already.
func (x *idxFile) wrap(err error) error {
	if err == nil || !x.opened {
		return err
	}
	return fmt.Errorf("%s: %w", x.path, err)
}

// openIDX returns a reader of r's IDX bytes: r itself, buffered, or its
// decompression when r starts with the gzip magic 0x1f 0x8b. IDX files start
// with two zero bytes, so the two can never be confused. The close function
// releases the decompressor.
func openIDX(r io.Reader) (io.Reader, func(), error) {
	br := bufio.NewReaderSize(r, 64<<10)
	// A short or failed peek is not an error here: reading the header
	// reports it, with the byte counts.
	magic, _ := br.Peek(2)
	if len(magic) < 2 || magic[0] != 0x1f || magic[1] != 0x8b {
		return br, func() {}, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, nil, fmt.Errorf("the file starts like gzip but its gzip header is unreadable: %w", err)
	}
	// The decompressor's output is buffered too: gzip.Reader.Read does
	// work per call, and the header is read four bytes at a time.
	return bufio.NewReaderSize(zr, 64<<10), func() { zr.Close() }, nil
}

// readMagic reads the magic number and checks it is want, explaining what the
// file is when it is not.
func readMagic(r io.Reader, want uint32) error {
	var b [4]byte
	if n, err := io.ReadFull(r, b[:]); err != nil {
		return readError(err, fmt.Sprintf("the file is truncated: its magic number needs 4 bytes but only %d were read", n), "the magic number")
	}
	got := binary.BigEndian.Uint32(b[:])
	if got == want {
		return nil
	}
	msg := fmt.Sprintf("magic number 0x%08x (%d) where %s has 0x%08x (%d)", got, got, idxKinds[want], want, want)
	switch {
	case idxKinds[got] != "":
		return fmt.Errorf("%s: this is %s, not %s", msg, idxKinds[got], idxKinds[want])
	case b[0] == 0 && b[1] == 0 && idxTypeNames[b[2]] != "":
		return fmt.Errorf("%s: this is an IDX file of %s elements in %d dimensions, not %s", msg, idxTypeNames[b[2]], b[3], idxKinds[want])
	default:
		return fmt.Errorf("%s: this is not an IDX file", msg)
	}
}

// readDims reads one big-endian uint32 per dimension.
func readDims(r io.Reader, dims []uint32) error {
	b := make([]byte, 4*len(dims))
	if n, err := io.ReadFull(r, b); err != nil {
		return readError(err, fmt.Sprintf("the file is truncated: its header needs %d bytes but only %d were read", 4+len(b), 4+n), "the header")
	}
	for i := range dims {
		dims[i] = binary.BigEndian.Uint32(b[4*i:])
	}
	return nil
}

// readPayload reads exactly n bytes, the data the header declares (what names
// it for errors), and checks that nothing follows. The buffer grows as bytes
// arrive, so a damaged header claiming gigabytes costs memory in proportion
// to what the file holds, not to what it claims.
func readPayload(r io.Reader, n int, what string) ([]byte, error) {
	buf := make([]byte, min(n, firstChunk))
	got := 0
	for {
		k, err := io.ReadFull(r, buf[got:])
		got += k
		if err != nil {
			return nil, readError(err, fmt.Sprintf("the file is truncated: the header declares %s, %d bytes, but only %d were read", what, n, got), what)
		}
		if got == n {
			break
		}
		// Double, but once a quarter of the data is here, trust the header
		// and make room for all of it: that skips the last copies of a large
		// file while never allocating more than four times what arrived.
		size := 2 * len(buf)
		if 4*got >= n {
			size = n
		}
		bigger := make([]byte, min(n, size))
		copy(bigger, buf)
		buf = bigger
	}
	// Reading on to the end also makes gzip verify its checksum, so a
	// corrupted compressed file is caught here.
	extra, err := io.Copy(io.Discard, io.LimitReader(r, maxTrailing+1))
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		// Only a decompressor fails this way once the data is complete.
		return nil, fmt.Errorf("the file is truncated: its compressed stream ends early, after the %s the header declares", what)
	case err != nil:
		return nil, fmt.Errorf("after the %s the header declares: %w", what, err)
	case extra > maxTrailing:
		return nil, fmt.Errorf("the file goes on for more than %d bytes after the %s its header declares: it is not what its header says", maxTrailing, what)
	case extra > 0:
		return nil, fmt.Errorf("the file goes on for %s after the %s its header declares: it is not what its header says", plural(int(extra), "byte"), what)
	}
	return buf, nil
}

// readError turns the end of input into the message short, which says how
// many bytes were wanted and read, and passes any other read error (a broken
// gzip stream, a failing disk) through, saying what was being read.
func readError(err error, short, reading string) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New(short)
	}
	return fmt.Errorf("reading %s: %w", reading, err)
}

// writeIDX writes an IDX header and its data.
func writeIDX(w io.Writer, header, data []byte) error {
	if _, err := w.Write(header); err != nil {
		return fmt.Errorf("writing the IDX header: %w", err)
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("writing the IDX data: %w", err)
	}
	return nil
}

// plural returns n and the word, with an s unless n is 1.
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
