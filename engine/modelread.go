package engine

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"slices"
	"strconv"
	"strings"
)

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
