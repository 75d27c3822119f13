package engine

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"

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
	mode, err := checkTarget(path, "save the model", "model.npz")
	if err != nil {
		return err
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := createTemp(dir, base)
	if err != nil {
		return folderError(path, "save the model", err)
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
