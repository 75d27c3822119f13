package engine

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"codeberg.org/sbinet/npyio/npy"
)

const (
	// modelFormat and modelFormatVersion identify the architecture array.
	// A reader refuses a newer version rather than guess at it.
	modelFormat        = "mnist-playground"
	modelFormatVersion = 1
	archArray          = "architecture"

	// maxArrayElems bounds one array of a file, which may come from anyone:
	// a declared shape is checked against it before anything is allocated.
	// The largest array a playground network has is 1024×1024 (or 784×1024),
	// a quarter of it.
	maxArrayElems = 4 * 1024 * 1024
	// maxModelElems bounds all the arrays of one file together: 32 MiB of
	// float32. The largest playground network has about 6.1 million numbers.
	maxModelElems = 8 * 1024 * 1024
	// maxFileSize bounds the file: all the numbers in float64 and room for
	// headers. archive/zip allocates about 200 bytes for each 46-byte entry
	// of an archive's directory, so the size of a hostile archive must be
	// bounded before it is opened.
	maxFileSize = maxModelElems*8 + 1024*1024
	// maxHeaderLen bounds a .npy header. NumPy writes about 128 bytes and
	// itself refuses more than 10,000 unless told otherwise.
	maxHeaderLen = 64 * 1024
	// maxArchBytes bounds the architecture array, a JSON object of a few
	// dozen bytes.
	maxArchBytes = 64 * 1024
)

// archJSON is the JSON object held by the architecture array.
type archJSON struct {
	Format      string   `json:"format"`
	Version     int      `json:"version"`
	Activations []string `json:"activations"`
	Loss        string   `json:"loss"`
}

// WriteModel writes m as a NumPy .npz archive, the format of np.savez, that
// NumPy opens with np.load and this package reads back with ReadModel:
//
//   - W1.npy … Wn.npy: float32 arrays shaped (fan-in, fan-out), C order, so
//     that a row vector x gives x @ W1 + b1, as in "Deep Learning from
//     Scratch";
//   - b1.npy … bn.npy: float32 arrays shaped (fan-out,);
//   - architecture.npy: a 1-D uint8 array holding the UTF-8 bytes of a JSON
//     object such as
//     {"format":"mnist-playground","version":1,"activations":["relu","tanh"],"loss":"ce"}
//     with one activation per hidden layer (relu, sigmoid, tanh, identity or
//     step) and the loss, "ce" or "mse". The output layer has no activation
//     of its own: its softmax belongs to the loss.
//
// In Python:
//
//	f = np.load("model.npz")
//	arch = json.loads(f["architecture"].tobytes())
//	W1, b1 = f["W1"], f["b1"]
//
// The entries are stored uncompressed, as np.savez stores them, so a model
// loads without inflating anything. WriteModel refuses a model that fails
// Validate or that ReadModel would refuse for its size, so nothing it writes
// is unreadable.
func WriteModel(w io.Writer, m *Model) error {
	if err := checkSavable(m); err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	var buf bytes.Buffer
	for i, l := range m.Layers {
		// [][]float32 is how npy.Write learns the 2-D shape; the rows share
		// l.W's memory.
		rows := make([][]float32, l.In)
		for r := range rows {
			rows[r] = l.W[r*l.Out : (r+1)*l.Out : (r+1)*l.Out]
		}
		if err := writeNPY(zw, &buf, fmt.Sprintf("W%d.npy", i+1), rows); err != nil {
			return err
		}
		if err := writeNPY(zw, &buf, fmt.Sprintf("b%d.npy", i+1), l.B); err != nil {
			return err
		}
	}
	arch := archJSON{Format: modelFormat, Version: modelFormatVersion, Activations: []string{}, Loss: m.Loss.String()}
	for _, l := range m.Layers[:len(m.Layers)-1] {
		arch.Activations = append(arch.Activations, l.Act.String())
	}
	js, err := json.Marshal(arch)
	if err != nil {
		return fmt.Errorf("cannot encode the architecture: %w", err)
	}
	if err := writeNPY(zw, &buf, archArray+".npy", js); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("cannot write the model: %w", err)
	}
	return nil
}

// writeNPY adds v to the archive as one uncompressed .npy entry. The entry is
// encoded in buf first so that its size and CRC-32 go into the local header:
// the entry then needs no data descriptor, which every zip reader
// understands.
func writeNPY(zw *zip.Writer, buf *bytes.Buffer, name string, v any) error {
	buf.Reset()
	if err := npy.Write(buf, v); err != nil {
		return fmt.Errorf("cannot encode %s: %w", name, err)
	}
	size := uint64(buf.Len())
	fw, err := zw.CreateRaw(&zip.FileHeader{
		Name:               name,
		Method:             zip.Store,
		CRC32:              crc32.ChecksumIEEE(buf.Bytes()),
		CompressedSize64:   size,
		UncompressedSize64: size,
	})
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", name, err)
	}
	if _, err := fw.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("cannot write %s: %w", name, err)
	}
	return nil
}

// checkSavable reports why m cannot be written.
func checkSavable(m *Model) error {
	if m == nil {
		return errors.New("there is no model to save")
	}
	if err := m.Validate(); err != nil {
		return fmt.Errorf("the model cannot be saved: %w", err)
	}
	if err := m.checkRange(); err != nil {
		return fmt.Errorf("the model cannot be saved: %w", err)
	}
	total := 0
	for i, l := range m.Layers {
		if len(l.W) > maxArrayElems {
			return fmt.Errorf("the model cannot be saved: layer %d has %d weights, and a model file holds at most %d in one layer", i+1, len(l.W), maxArrayElems)
		}
		total += len(l.W) + len(l.B)
	}
	if total > maxModelElems {
		return fmt.Errorf("the model cannot be saved: it has %d numbers, and a model file holds at most %d", total, maxModelElems)
	}
	return nil
}

// SaveModel writes m to the file at path (see WriteModel for the format). It
// writes a temporary file in the same folder and renames it over path only
// once it is complete, so a failed save never leaves a half-written model and
// never destroys the file that was there. An invalid model is refused before
// anything is written.
func SaveModel(path string, m *Model) error {
	if err := checkSavable(m); err != nil {
		return err
	}
	mode, err := checkTarget(path)
	if err != nil {
		return err
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := createTemp(dir, base)
	if err != nil {
		return folderError(path, err)
	}
	tmp := f.Name()
	removeStaleTemps(dir, base, filepath.Base(tmp))
	err = writeModelFile(f, m, mode)
	if err == nil {
		err = os.Rename(tmp, path)
	}
	// Closing releases the lock, only once the file has its final name.
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(tmp) // the temporary file is ours, and useless now
		var le *os.LinkError
		if errors.As(err, &le) {
			err = le.Err // it names the temporary file, which means nothing to the user
		}
		return fmt.Errorf("cannot save the model to %s: %w", path, unwrapPathError(err))
	}
	return nil
}

// writeModelFile writes m into the open file f and flushes it to disk, so
// that the rename that follows publishes a complete file.
func writeModelFile(f *os.File, m *Model, mode fs.FileMode) error {
	bw := bufio.NewWriterSize(f, 64*1024)
	if err := WriteModel(bw, m); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Chmod(mode); err != nil {
		return err
	}
	return f.Sync()
}

// LoadModel reads the model file at path (see ReadModel).
func LoadModel(path string) (*Model, error) {
	return LoadModelContext(context.Background(), path)
}

// LoadModelContext reads the model file at path (see ReadModel), and gives
// up with ErrInterrupted when ctx is done first. A regular file is read in
// place. Anything else a user may name, a pipe such as bash's <(cat m.npz),
// a FIFO or a device, is read to its end first (at most the size of the
// largest model file) and then decoded; opening it never waits for a
// writer, so a FIFO nobody writes to is reported at once as empty.
func LoadModelContext(ctx context.Context, path string) (*Model, error) {
	f, fi, err := openInput(path)
	if errors.Is(err, errFolder) {
		return nil, fmt.Errorf("cannot load the model: %s is a folder, not a model file", path)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot load the model: %w", err)
	}
	defer f.Close()
	if fi.Mode().IsRegular() {
		m, err := ReadModel(f, fi.Size())
		if err != nil {
			return nil, fmt.Errorf("cannot load %s: %w", path, err)
		}
		return m, nil
	}
	kind := kindOfFile(fi)
	tooLarge := fmt.Errorf("cannot load %s: it is %s that gave more than %d bytes, more than any model file holds", path, kind, maxFileSize)
	b, err := readInput(ctx, f, 0, maxFileSize, tooLarge)
	switch {
	case errors.Is(err, ErrInterrupted):
		return nil, fmt.Errorf("cannot load %s: %w it (it is %s)", path, err, kind)
	case err == tooLarge:
		return nil, err
	case err != nil:
		return nil, fmt.Errorf("cannot load %s: reading %s: %w", path, kind, unwrapPathError(err))
	case len(b) == 0:
		return nil, fmt.Errorf("cannot load %s: it is %s, not a file, and nothing was written to it: give a model file, or start what writes to the pipe first", path, kind)
	}
	m, err := ReadModel(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("cannot load %s (%s, read to its end): %w", path, kind, err)
	}
	return m, nil
}

// unwrapPathError drops the path from a file error when the message already
// names the file.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ReadModel reads a model from a NumPy .npz archive of size bytes, the format
// WriteModel writes or any file of arrays W1..Wn shaped (fan-in, fan-out) and
// b1..bn shaped (fan-out,), such as np.savez(f, W1=W1, b1=b1, ...) makes.
//
// The arrays may be float32 or float64, in C or Fortran order, little- or
// big-endian, and the archive compressed (np.savez_compressed) or not.
// Without an architecture array, the convention of "Deep Learning from
// Scratch" applies: the hidden layers are sigmoid and the output is a
// softmax with cross-entropy. Arrays with other names are ignored.
//
// The file may come from anyone: its size and every shape are checked
// against the limits of the playground before anything is read, so what
// ReadModel allocates is bounded by those limits, never by what a file
// declares, and a model it returns passes Validate. The input size is whatever W1 says; CheckMNIST
// tells whether the model fits MNIST.
func ReadModel(r io.ReaderAt, size int64) (*Model, error) {
	if size > maxFileSize {
		return nil, fmt.Errorf("not a model file: it has %d bytes, and a model file has at most %d", size, maxFileSize)
	}
	zr, err := zip.NewReader(r, size)
	// ErrInsecurePath comes with a usable reader; names are only matched
	// here, never used as paths.
	if err != nil && (zr == nil || !errors.Is(err, zip.ErrInsecurePath)) {
		return nil, fmt.Errorf("not a model file: it is not a NumPy .npz archive (%v)", err)
	}
	files, err := modelEntries(zr.File)
	if err != nil {
		return nil, err
	}
	n := len(files.w)

	// First every header, to check shapes and sizes before reading numbers.
	ws := make([]npyArray, n)
	bs := make([]npyArray, n)
	total := 0
	for k := range n {
		if ws[k], err = readNPYHeader(files.w[k], fmt.Sprintf("W%d", k+1)); err != nil {
			return nil, err
		}
		if bs[k], err = readNPYHeader(files.b[k], fmt.Sprintf("b%d", k+1)); err != nil {
			return nil, err
		}
		if err := checkLayerShapes(ws, bs, k, n); err != nil {
			return nil, err
		}
		total += ws[k].elems() + bs[k].elems()
	}
	if total > maxModelElems {
		return nil, fmt.Errorf("the model has %d numbers: a model file may hold at most %d", total, maxModelElems)
	}

	m := &Model{Loss: CrossEntropy, Layers: make([]Layer, n)}
	acts := make([]Activation, n-1)
	for k := range acts {
		acts[k] = Sigmoid
	}
	if files.arch != nil {
		if acts, m.Loss, err = readArchitecture(files.arch, n-1); err != nil {
			return nil, err
		}
	}

	for k := range n {
		l := Layer{In: ws[k].shape[0], Out: ws[k].shape[1], Act: Identity}
		if k < n-1 {
			l.Act = acts[k]
		}
		if l.W, err = ws[k].readFloats(); err != nil {
			return nil, err
		}
		if l.B, err = bs[k].readFloats(); err != nil {
			return nil, err
		}
		m.Layers[k] = l
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("the model in the file is not usable: %w", err)
	}
	if err := m.checkRange(); err != nil {
		return nil, fmt.Errorf("the model in the file is not usable: %w", err)
	}
	return m, nil
}

// maxActivation bounds what any unit of a usable model may compute from an
// input in 0..1. A trained network's outputs are a few tens at most; 1e30
// leaves float32 (up to 3.4e38) room to add up the losses of 10,000 test
// images, while a model past it gives infinities and then NaN: eval would
// report a NaN loss and a chance accuracy, predict NaN probabilities.
const maxActivation = 1e30

// checkRange reports a model whose weights, although finite, are so large
// that its sums can overflow: each layer's outputs are bounded, in float64,
// by the sum of |w|·(bound of the input) + |b|, starting from inputs in 0..1
// (pixels, as Preprocess and the data sets give them), and the bounded
// activations (sigmoid, tanh, step) bring the bound back to 1. The bound is
// an upper one, so a model refused here may in fact stay finite on real
// images; but a model that passes can never overflow float32, on any input,
// so that every command gives the same answer about it.
func (m *Model) checkRange() error {
	in := make([]float64, m.Layers[0].In)
	for i := range in {
		in[i] = 1
	}
	for k, l := range m.Layers {
		out := make([]float64, l.Out)
		for j := range out {
			out[j] = math.Abs(float64(l.B[j]))
		}
		for i, x := range in {
			row := l.W[i*l.Out : (i+1)*l.Out]
			for j, w := range row {
				out[j] += math.Abs(float64(w)) * x
			}
		}
		peak := slices.Max(out)
		if !(peak <= maxActivation) {
			return fmt.Errorf("its weights are too large: layer %d's sums can reach %.3g, beyond the %.0e that 32-bit floats compute safely (its outputs would be infinite or NaN); was it trained with too high a learning rate?", k+1, peak, maxActivation)
		}
		switch l.Act {
		case Sigmoid, Tanh, Step:
			for j := range out {
				out[j] = 1
			}
		}
		in = out
	}
	return nil
}

// CheckMNIST reports whether m fits MNIST: 784 inputs, one per pixel of a
// 28×28 image, and 10 outputs, one per digit. ReadModel accepts any input
// and output sizes; the window and the command line call CheckMNIST before
// they use a loaded model.
func (m *Model) CheckMNIST() error {
	if len(m.Layers) == 0 {
		return errors.New("the model has no layers")
	}
	var errs []error
	if in := m.Layers[0].In; in != InputSize {
		errs = append(errs, fmt.Errorf("the model takes %d inputs; MNIST images have %d pixels (28×28)", in, InputSize))
	}
	if out := m.Layers[len(m.Layers)-1].Out; out != NumClasses {
		errs = append(errs, fmt.Errorf("the model gives %d outputs; MNIST has %d classes, one per digit", out, NumClasses))
	}
	return errors.Join(errs...)
}

// modelFiles are the entries of an archive that make a model, in layer
// order.
type modelFiles struct {
	w, b []*zip.File
	arch *zip.File
}

// modelEntries finds W1..Wn, b1..bn and the architecture among the entries
// and checks that they make a whole model.
func modelEntries(entries []*zip.File) (modelFiles, error) {
	var (
		files  modelFiles
		ws, bs = map[int]*zip.File{}, map[int]*zip.File{}
		seen   = map[string]bool{}
	)
	for _, f := range entries {
		// np.savez names the entry for array W1 "W1.npy"; np.load also
		// reads an entry named plainly "W1".
		key := strings.TrimSuffix(f.Name, ".npy")
		if key == "" || (key[0] != 'W' && key[0] != 'b' && key != archArray) {
			continue
		}
		if seen[key] {
			return files, fmt.Errorf("not a model file: it holds the array %s twice", key)
		}
		seen[key] = true
		if key == archArray {
			files.arch = f
			continue
		}
		digits := key[1:]
		if digits == "" || strings.Trim(digits, "0123456789") != "" {
			continue // some other array, such as "bias_note"
		}
		k, err := strconv.Atoi(digits)
		if err != nil || k < 1 || k > 9999 || digits[0] == '0' {
			return files, fmt.Errorf("not a model file: it holds an array named %s; layers are numbered W1..Wn and b1..bn", key)
		}
		if key[0] == 'W' {
			ws[k] = f
		} else {
			bs[k] = f
		}
	}
	n := len(ws)
	switch {
	case n == 0:
		return files, errors.New("not a model file: it has no array W1 (a model holds weights W1..Wn shaped (fan-in, fan-out) and biases b1..bn)")
	case n > MaxHidden+1:
		return files, fmt.Errorf("the file has %d layers, %d of them hidden: use at most %d hidden layers", n, n-1, MaxHidden)
	}
	for k := 1; k <= n; k++ {
		if ws[k] == nil {
			last := slices.Max(mapKeys(ws))
			if k == 1 {
				return files, fmt.Errorf("not a model file: it has no W1 (it has W%d); layers are numbered W1..Wn without gaps", last)
			}
			return files, fmt.Errorf("not a model file: it has W%d but no W%d; layers are numbered W1..Wn without gaps", last, k)
		}
		if bs[k] == nil {
			return files, fmt.Errorf("not a model file: W%d has no bias b%d", k, k)
		}
		files.w = append(files.w, ws[k])
		files.b = append(files.b, bs[k])
	}
	for k := range bs {
		if k > n {
			return files, fmt.Errorf("not a model file: it has b%d but no W%d", k, k)
		}
	}
	return files, nil
}

func mapKeys(m map[int]*zip.File) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// checkLayerShapes checks layer k's weight and bias shapes, given the
// layers before it. n is the number of layers.
func checkLayerShapes(ws, bs []npyArray, k, n int) error {
	w, b := ws[k], bs[k]
	if !w.isFloat() {
		return fmt.Errorf("W%d holds %s numbers: weights must be float32 or float64", k+1, w.typeName())
	}
	if !b.isFloat() {
		return fmt.Errorf("b%d holds %s numbers: biases must be float32 or float64", k+1, b.typeName())
	}
	if len(w.shape) != 2 {
		return fmt.Errorf("W%d has shape %s: a weight array must be 2-D, (fan-in, fan-out)", k+1, shapeString(w.shape))
	}
	in, out := w.shape[0], w.shape[1]
	if k > 0 && in != ws[k-1].shape[1] {
		return fmt.Errorf("W%d is %d×%d but W%d gives %d outputs: the layers do not chain", k+1, in, out, k, ws[k-1].shape[1])
	}
	if k < n-1 && out > MaxUnits {
		return fmt.Errorf("W%d gives %d outputs: a hidden layer may have at most %d units", k+1, out, MaxUnits)
	}
	if len(b.shape) != 1 {
		return fmt.Errorf("b%d has shape %s: a bias must be 1-D, (fan-out,)", k+1, shapeString(b.shape))
	}
	if b.shape[0] != out {
		return fmt.Errorf("b%d has %d entries but W%d gives %d outputs", k+1, b.shape[0], k+1, out)
	}
	return nil
}

// readArchitecture reads the architecture array and returns the activations
// of the hidden layers and the loss.
func readArchitecture(f *zip.File, hidden int) ([]Activation, Loss, error) {
	a, err := readNPYHeader(f, archArray)
	if err != nil {
		return nil, 0, err
	}
	if a.descr != "|u1" || len(a.shape) != 1 {
		return nil, 0, fmt.Errorf("the architecture array is %s of shape %s: it must be a 1-D uint8 array holding JSON", a.typeName(), shapeString(a.shape))
	}
	if a.shape[0] > maxArchBytes {
		return nil, 0, fmt.Errorf("the architecture array holds %d bytes: at most %d are allowed", a.shape[0], maxArchBytes)
	}
	var js []uint8
	if err := a.read(&js); err != nil {
		return nil, 0, err
	}
	var arch archJSON
	if err := json.Unmarshal(js, &arch); err != nil {
		return nil, 0, fmt.Errorf("the architecture array is not the JSON object this app writes: %v", err)
	}
	switch {
	case arch.Format != modelFormat:
		return nil, 0, fmt.Errorf("the architecture array has format %q: want %q", arch.Format, modelFormat)
	case arch.Version > modelFormatVersion:
		return nil, 0, fmt.Errorf("the architecture array has version %d: the file was written by a newer version of the app, which this one (version %d) cannot read", arch.Version, modelFormatVersion)
	case arch.Version != modelFormatVersion:
		return nil, 0, fmt.Errorf("the architecture array has version %d: want %d", arch.Version, modelFormatVersion)
	case len(arch.Activations) != hidden:
		return nil, 0, fmt.Errorf("the architecture lists %d activations but the file has %d hidden layers: give one activation per hidden layer", len(arch.Activations), hidden)
	}
	acts := make([]Activation, hidden)
	for i, name := range arch.Activations {
		if acts[i], err = ParseActivation(name); err != nil {
			return nil, 0, fmt.Errorf("the architecture's hidden layer %d: %w", i+1, err)
		}
	}
	loss, err := ParseLoss(arch.Loss)
	if err != nil {
		return nil, 0, fmt.Errorf("the architecture: %w", err)
	}
	return acts, loss, nil
}

// npyArray is one .npy entry of an archive whose header has been checked.
type npyArray struct {
	f       *zip.File
	label   string // "W1", for messages
	descr   string // a NumPy type string such as "<f4"
	fortran bool
	shape   []int
	// prefix holds the bytes before the numbers: magic, version, header
	// length and header.
	prefix []byte
}

// The NumPy types this package reads. NumPy writes uint8 as "|u1".
var npyItemSize = map[string]int{"<f4": 4, ">f4": 4, "<f8": 8, ">f8": 8, "|u1": 1}

func (a npyArray) elems() int {
	n := 1
	for _, d := range a.shape {
		n *= d
	}
	return n
}

func (a npyArray) isFloat() bool { return a.descr[1] == 'f' }

// typeName names the array's type as NumPy would.
func (a npyArray) typeName() string {
	switch a.descr {
	case "<f4", ">f4":
		return "float32"
	case "<f8", ">f8":
		return "float64"
	case "|u1":
		return "uint8"
	}
	return a.descr
}

func shapeString(shape []int) string {
	s := make([]string, len(shape))
	for i, d := range shape {
		s[i] = strconv.Itoa(d)
	}
	if len(s) == 1 {
		return "(" + s[0] + ",)"
	}
	return "(" + strings.Join(s, ", ") + ")"
}

// readNPYHeader reads and checks the header of the .npy entry f. It checks
// everything that npy.Reader trusts: npy.Reader allocates whatever header
// length it is told and panics on a header it does not expect, so it only
// ever sees headers that passed here.
func readNPYHeader(f *zip.File, label string) (npyArray, error) {
	a := npyArray{f: f, label: label}
	size := f.UncompressedSize64
	if size < 10 {
		return a, fmt.Errorf("%s is not a .npy array: it holds only %d bytes", label, size)
	}
	rc, err := f.Open()
	if err != nil {
		return a, unreadable(label, err)
	}
	defer rc.Close()
	prefix := make([]byte, 12)
	if _, err := io.ReadFull(rc, prefix[:10]); err != nil {
		return a, unreadable(label, err)
	}
	if !bytes.Equal(prefix[:6], npy.Magic[:]) {
		return a, fmt.Errorf("%s is not a .npy array: it does not start with NumPy's magic bytes", label)
	}
	var hlen uint64
	switch prefix[6] {
	case 1:
		prefix = prefix[:10]
		hlen = uint64(binary.LittleEndian.Uint16(prefix[8:]))
	case 2:
		if _, err := io.ReadFull(rc, prefix[10:12]); err != nil {
			return a, unreadable(label, err)
		}
		hlen = uint64(binary.LittleEndian.Uint32(prefix[8:]))
	default:
		return a, fmt.Errorf("%s uses .npy format version %d.%d: save it with NumPy's default format, version 1.0", label, prefix[6], prefix[7])
	}
	if hlen > maxHeaderLen || uint64(len(prefix))+hlen > size {
		return a, fmt.Errorf("%s has a header of %d bytes, longer than the array itself or than any NumPy writes: the file is corrupt", label, hlen)
	}
	header := make([]byte, hlen)
	if _, err := io.ReadFull(rc, header); err != nil {
		return a, unreadable(label, err)
	}
	if err := a.parseHeader(string(header)); err != nil {
		return a, err
	}
	a.prefix = append(prefix, header...)
	want := uint64(len(a.prefix)) + uint64(a.elems())*uint64(npyItemSize[a.descr])
	if size != want {
		return a, fmt.Errorf("%s holds %d bytes but its shape %s of %s needs %d: the file is truncated or corrupt", label, size, shapeString(a.shape), a.typeName(), want)
	}
	return a, nil
}

// parseHeader reads a .npy header exactly as NumPy (and npy.Write) writes
// it, such as
//
//	{'descr': '<f4', 'fortran_order': False, 'shape': (784, 50), }
//
// padded with spaces and ended by a newline.
func (a *npyArray) parseHeader(h string) error {
	bad := fmt.Errorf("%s has a .npy header this app cannot read: %.100q", a.label, h)
	body, ok := strings.CutSuffix(h, "\n")
	if !ok {
		return bad
	}
	body = strings.TrimRight(body, " ")
	rest, ok := strings.CutPrefix(body, "{'descr': '")
	if !ok {
		return bad
	}
	descr, rest, ok := strings.Cut(rest, "', 'fortran_order': ")
	if !ok {
		return bad
	}
	order, rest, ok := strings.Cut(rest, ", 'shape': (")
	if !ok {
		return bad
	}
	dims, rest, ok := strings.Cut(rest, "), }")
	if !ok || rest != "" {
		return bad
	}
	if _, ok := npyItemSize[descr]; !ok {
		return fmt.Errorf("%s holds numbers of NumPy type %q: use float32 or float64", a.label, descr)
	}
	a.descr = descr
	switch order {
	case "False":
		a.fortran = false
	case "True":
		a.fortran = true
	default:
		return bad
	}
	a.shape = nil
	if dims == "" {
		return nil // a 0-d array, "()"
	}
	parts := strings.Split(dims, ",")
	if len(parts) > 1 && strings.TrimSpace(parts[len(parts)-1]) == "" {
		parts = parts[:len(parts)-1] // the comma of a 1-tuple, "(50,)"
	}
	if len(parts) > 32 {
		return bad // NumPy arrays have at most 32 dimensions (64 since 2.0); these have 1 or 2
	}
	elems := 1
	for _, d := range parts {
		d = strings.TrimSpace(d)
		if d == "" || len(d) > 10 || strings.Trim(d, "0123456789") != "" {
			return bad
		}
		v, err := strconv.Atoi(d)
		if err != nil {
			return bad
		}
		if v < 1 {
			return fmt.Errorf("%s has shape (%s): every dimension must be at least 1", a.label, dims)
		}
		if v > maxArrayElems || elems*v > maxArrayElems {
			return fmt.Errorf("%s has shape (%s), too large: an array may hold at most %d numbers", a.label, dims, maxArrayElems)
		}
		elems *= v
		a.shape = append(a.shape, v)
	}
	return nil
}

// read decodes the array's numbers into ptr with npy.Reader, after checking
// that the entry still starts with the header that readNPYHeader checked.
func (a npyArray) read(ptr any) error {
	rc, err := a.f.Open()
	if err != nil {
		return unreadable(a.label, err)
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 64*1024)
	prefix := make([]byte, len(a.prefix))
	if _, err := io.ReadFull(br, prefix); err != nil {
		return unreadable(a.label, err)
	}
	if !bytes.Equal(prefix, a.prefix) {
		return fmt.Errorf("%s changed while it was being read", a.label)
	}
	rr, err := npy.NewReader(io.MultiReader(bytes.NewReader(prefix), br))
	if err != nil {
		return unreadable(a.label, err)
	}
	if h := rr.Header.Descr; h.Type != "'"+a.descr+"'" || h.Fortran != a.fortran || !slices.Equal(h.Shape, a.shape) {
		return fmt.Errorf("%s has a .npy header this app cannot read", a.label)
	}
	if err := rr.Read(ptr); err != nil {
		return unreadable(a.label, err)
	}
	// Reading to the end makes archive/zip compare the entry's CRC-32.
	if _, err := br.ReadByte(); err != io.EOF {
		if err == nil {
			return fmt.Errorf("%s has bytes beyond its numbers: the file is corrupt", a.label)
		}
		return unreadable(a.label, err)
	}
	return nil
}

// readFloats reads a float array as float32 in C order, checking that every
// number is finite and fits a float32.
func (a npyArray) readFloats() ([]float32, error) {
	n := a.elems()
	out := make([]float32, n)
	switch a.descr[1:] {
	case "f4":
		if err := a.read(&out); err != nil {
			return nil, err
		}
	case "f8":
		wide := make([]float64, n)
		if err := a.read(&wide); err != nil {
			return nil, err
		}
		for i, v := range wide {
			out[i] = float32(v)
			if math.IsInf(float64(out[i]), 0) && !math.IsInf(v, 0) {
				return nil, fmt.Errorf("%s holds %g at %s, beyond the range of float32", a.label, v, a.position(i))
			}
		}
	default:
		return nil, fmt.Errorf("%s holds %s numbers: use float32 or float64", a.label, a.typeName())
	}
	if a.fortran && len(a.shape) == 2 {
		out = transpose(out, a.shape[0], a.shape[1])
	}
	for i, v := range out {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, fmt.Errorf("%s holds %v at %s: a model's numbers must all be finite (did its training diverge?)", a.label, v, a.cPosition(i))
		}
	}
	return out, nil
}

// unreadable is the error for an array whose bytes cannot be read.
func unreadable(label string, err error) error {
	return fmt.Errorf("%s cannot be read, the file is probably truncated or corrupt: %v", label, err)
}

// transpose turns the column-major (Fortran order) data of a rows×cols
// matrix into row-major order.
func transpose(colMajor []float32, rows, cols int) []float32 {
	out := make([]float32, len(colMajor))
	for j := range cols {
		col := colMajor[j*rows : (j+1)*rows]
		for i, v := range col {
			out[i*cols+j] = v
		}
	}
	return out
}

// position names element i of the array in its file order.
func (a npyArray) position(i int) string {
	if len(a.shape) != 2 {
		return fmt.Sprintf("index %d", i)
	}
	if a.fortran {
		return fmt.Sprintf("row %d, column %d", i%a.shape[0], i/a.shape[0])
	}
	return a.cPosition(i)
}

// cPosition names element i of the array in C order.
func (a npyArray) cPosition(i int) string {
	if len(a.shape) != 2 {
		return fmt.Sprintf("index %d", i)
	}
	return fmt.Sprintf("row %d, column %d", i/a.shape[1], i%a.shape[1])
}
