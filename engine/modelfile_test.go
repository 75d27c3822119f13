package engine

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio/npy"
	"codeberg.org/sbinet/npyio/npz"
)

// testModel makes a model of architecture a with random weights and biases
// drawn from a generator seeded with seed, plus a few numbers that a sloppy
// writer would lose: negative zero, a subnormal and the float32 just above
// 1e20, which float64 arithmetic would round. (The largest float32 itself makes a model
// whose sums overflow, which ReadModel refuses: TestReadModelOverflow.)
func testModel(t testing.TB, a Architecture, seed uint64) *Model {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, seed))
	m, err := NewModel(a, Init{Kind: InitHe}, rng)
	if err != nil {
		t.Fatalf("NewModel(%v): %v", a, err)
	}
	for i := range m.Layers {
		for j := range m.Layers[i].B {
			m.Layers[i].B[j] = float32(rng.NormFloat64())
		}
	}
	w := m.Layers[len(m.Layers)-1].W
	w[0] = float32(math.Copysign(0, -1))
	w[1] = math.SmallestNonzeroFloat32
	w[2] = -math.Nextafter32(1e20, 2e20)
	return m
}

// diffModels describes the first difference between two models, comparing
// numbers bit for bit, or returns "".
func diffModels(got, want *Model) string {
	if got.Loss != want.Loss {
		return fmt.Sprintf("loss %v, want %v", got.Loss, want.Loss)
	}
	if len(got.Layers) != len(want.Layers) {
		return fmt.Sprintf("%d layers, want %d", len(got.Layers), len(want.Layers))
	}
	for i, g := range got.Layers {
		w := want.Layers[i]
		switch {
		case g.In != w.In || g.Out != w.Out:
			return fmt.Sprintf("layer %d is %d×%d, want %d×%d", i+1, g.In, g.Out, w.In, w.Out)
		case g.Act != w.Act:
			return fmt.Sprintf("layer %d activation %v, want %v", i+1, g.Act, w.Act)
		}
		for _, p := range []struct {
			name      string
			got, want []float32
		}{{"W", g.W, w.W}, {"b", g.B, w.B}} {
			if len(p.got) != len(p.want) {
				return fmt.Sprintf("layer %d %s has %d numbers, want %d", i+1, p.name, len(p.got), len(p.want))
			}
			for k := range p.got {
				if math.Float32bits(p.got[k]) != math.Float32bits(p.want[k]) {
					return fmt.Sprintf("layer %d %s[%d] = %v, want %v", i+1, p.name, k, p.got[k], p.want[k])
				}
			}
		}
	}
	return ""
}

// roundTripArchs covers 0 to 3 hidden layers, every activation and both
// losses.
var roundTripArchs = []Architecture{
	MNISTArch(nil, nil, CrossEntropy),
	MNISTArch([]int{16}, []Activation{Sigmoid}, CrossEntropy),
	MNISTArch([]int{16}, []Activation{ReLU}, MeanSquared),
	MNISTArch([]int{8, 7}, []Activation{Tanh, Identity}, CrossEntropy),
	MNISTArch([]int{9, 5, 3}, []Activation{Step, ReLU, Sigmoid}, MeanSquared),
	{Inputs: 5, Hidden: []int{3}, Acts: []Activation{Tanh}, Outputs: 2, Loss: MeanSquared},
}

func TestModelRoundTrip(t *testing.T) {
	t.Parallel()
	for i, a := range roundTripArchs {
		t.Run(a.String(), func(t *testing.T) {
			t.Parallel()
			want := testModel(t, a, uint64(i+1))
			var buf bytes.Buffer
			if err := WriteModel(&buf, want); err != nil {
				t.Fatalf("WriteModel: %v", err)
			}
			got, err := ReadModel(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
			if err != nil {
				t.Fatalf("ReadModel: %v", err)
			}
			if d := diffModels(got, want); d != "" {
				t.Errorf("ReadModel(WriteModel(m)): %s", d)
			}

			var again bytes.Buffer
			if err := WriteModel(&again, got); err != nil {
				t.Fatalf("WriteModel again: %v", err)
			}
			if !bytes.Equal(again.Bytes(), buf.Bytes()) {
				t.Errorf("writing the same model twice gave different bytes")
			}

			path := filepath.Join(t.TempDir(), "model.npz")
			if err := SaveModel(path, want); err != nil {
				t.Fatalf("SaveModel: %v", err)
			}
			loaded, err := LoadModel(path)
			if err != nil {
				t.Fatalf("LoadModel: %v", err)
			}
			if d := diffModels(loaded, want); d != "" {
				t.Errorf("LoadModel(SaveModel(m)): %s", d)
			}
		})
	}
}

// TestWriteModelNumPyLayout reads a written file with npyio's own .npz
// reader, as a NumPy user would with np.load, and checks the arrays and the
// architecture JSON.
func TestWriteModelNumPyLayout(t *testing.T) {
	t.Parallel()
	m := testModel(t, MNISTArch([]int{6, 4}, []Activation{ReLU, Tanh}, MeanSquared), 7)
	var buf bytes.Buffer
	if err := WriteModel(&buf, m); err != nil {
		t.Fatalf("WriteModel: %v", err)
	}
	r, err := npz.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatalf("npz.NewReader: %v", err)
	}
	wantKeys := []string{"W1.npy", "b1.npy", "W2.npy", "b2.npy", "W3.npy", "b3.npy", "architecture.npy"}
	if got := r.Keys(); !slices.Equal(got, wantKeys) {
		t.Errorf("keys %q, want %q", got, wantKeys)
	}
	for i, l := range m.Layers {
		for _, c := range []struct {
			name  string
			shape []int
			want  []float32
		}{
			{fmt.Sprintf("W%d.npy", i+1), []int{l.In, l.Out}, l.W},
			{fmt.Sprintf("b%d.npy", i+1), []int{l.Out}, l.B},
		} {
			h := r.Header(c.name)
			if h == nil {
				t.Fatalf("no header for %s", c.name)
			}
			if h.Descr.Type != "'<f4'" || h.Descr.Fortran || !slices.Equal(h.Descr.Shape, c.shape) {
				t.Errorf("%s header %v, want '<f4' C order shape %v", c.name, h, c.shape)
			}
			var got []float32
			if err := r.Read(c.name, &got); err != nil {
				t.Fatalf("read %s: %v", c.name, err)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("%s differs from the model's numbers", c.name)
			}
		}
	}
	var js []uint8
	if err := r.Read("architecture.npy", &js); err != nil {
		t.Fatalf("read architecture: %v", err)
	}
	var arch map[string]any
	if err := json.Unmarshal(js, &arch); err != nil {
		t.Fatalf("architecture %q is not JSON: %v", js, err)
	}
	want := map[string]any{"format": "mnist-playground", "version": 1.0, "activations": []any{"relu", "tanh"}, "loss": "mse"}
	if fmt.Sprint(arch) != fmt.Sprint(want) {
		t.Errorf("architecture %v, want %v", arch, want)
	}
}

// npyHeader returns the bytes before the numbers of a version 1.0 .npy
// array, as NumPy writes them.
func npyHeader(descr string, fortran bool, shape string) []byte {
	order := "False"
	if fortran {
		order = "True"
	}
	h := fmt.Sprintf("{'descr': '%s', 'fortran_order': %s, 'shape': %s, }", descr, order, shape)
	// NumPy pads the header with spaces so the numbers start at a multiple
	// of 64 bytes.
	pad := 64 - (10+len(h)+1)%64
	h += strings.Repeat(" ", pad%64) + "\n"
	b := append([]byte("\x93NUMPY\x01\x00"), byte(len(h)), byte(len(h)>>8))
	return append(b, h...)
}

// npyRaw is a .npy array of the given header and payload.
func npyRaw(descr string, fortran bool, shape string, payload []byte) []byte {
	return append(npyHeader(descr, fortran, shape), payload...)
}

func f32Bytes(order binary.ByteOrder, v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		order.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

func f64Bytes(order binary.ByteOrder, v []float64) []byte {
	b := make([]byte, 8*len(v))
	for i, x := range v {
		order.PutUint64(b[8*i:], math.Float64bits(x))
	}
	return b
}

// npyOf encodes v with npyio's writer.
func npyOf(t testing.TB, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := npy.Write(&b, v); err != nil {
		t.Fatalf("npy.Write: %v", err)
	}
	return b.Bytes()
}

type zipEntry struct {
	name string
	data []byte
}

// zipOf makes a zip archive of the entries, stored or deflated.
func zipOf(t testing.TB, method uint16, entries ...zipEntry) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: method})
		if err != nil {
			t.Fatalf("zip: %v", err)
		}
		if _, err := w.Write(e.data); err != nil {
			t.Fatalf("zip: %v", err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatalf("zip: %v", err)
	}
	return b.Bytes()
}

// matrix returns W as rows, the shape npy.Write needs to write a 2-D array.
func matrix(l Layer) [][]float32 {
	rows := make([][]float32, l.In)
	for i := range rows {
		rows[i] = l.W[i*l.Out : (i+1)*l.Out]
	}
	return rows
}

// colMajor returns W in Fortran order.
func colMajor(l Layer) []float32 {
	out := make([]float32, 0, len(l.W))
	for j := range l.Out {
		for i := range l.In {
			out = append(out, l.W[i*l.Out+j])
		}
	}
	return out
}

func widen(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// archEntry is an architecture array holding js.
func archEntry(t testing.TB, js string) zipEntry {
	return zipEntry{"architecture.npy", npyOf(t, []uint8(js))}
}

// smallModel is the 4-3(relu)-2 model most file tests are built around.
func smallModel(t testing.TB) *Model {
	return testModel(t, Architecture{Inputs: 4, Hidden: []int{3}, Acts: []Activation{ReLU}, Outputs: 2, Loss: MeanSquared}, 42)
}

// layerEntries are W1, b1, W2, b2 of m written by npyio as float32.
func layerEntries(t testing.TB, m *Model) []zipEntry {
	var es []zipEntry
	for i, l := range m.Layers {
		es = append(es,
			zipEntry{fmt.Sprintf("W%d.npy", i+1), npyOf(t, matrix(l))},
			zipEntry{fmt.Sprintf("b%d.npy", i+1), npyOf(t, l.B)})
	}
	return es
}

func TestReadModelForeignFiles(t *testing.T) {
	t.Parallel()
	m := smallModel(t)
	l1, l2 := m.Layers[0], m.Layers[1]
	archJS := `{"format":"mnist-playground","version":1,"activations":["relu"],"loss":"mse"}`
	le := binary.LittleEndian
	bookStyle := m.Clone() // what a file without an architecture means
	bookStyle.Loss = CrossEntropy
	bookStyle.Layers[0].Act = Sigmoid

	for _, c := range []struct {
		name string
		file []byte
		want *Model
	}{
		{"float64", zipOf(t, zip.Store,
			zipEntry{"W1.npy", npyRaw("<f8", false, "(4, 3)", f64Bytes(le, widen(l1.W)))},
			zipEntry{"b1.npy", npyRaw("<f8", false, "(3,)", f64Bytes(le, widen(l1.B)))},
			zipEntry{"W2.npy", npyRaw("<f8", false, "(3, 2)", f64Bytes(le, widen(l2.W)))},
			zipEntry{"b2.npy", npyRaw("<f8", false, "(2,)", f64Bytes(le, widen(l2.B)))},
			archEntry(t, archJS)), m},
		{"compressed by npz", func() []byte {
			var b bytes.Buffer
			w := npz.NewWriter(&b)
			for _, e := range []struct {
				name string
				v    any
			}{{"W1.npy", matrix(l1)}, {"b1.npy", l1.B}, {"W2.npy", matrix(l2)}, {"b2.npy", l2.B}, {"architecture.npy", []uint8(archJS)}} {
				if err := w.Write(e.name, e.v); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}(), m},
		{"fortran order", zipOf(t, zip.Deflate,
			zipEntry{"W1.npy", npyRaw("<f4", true, "(4, 3)", f32Bytes(le, colMajor(l1)))},
			zipEntry{"b1.npy", npyRaw("<f4", true, "(3,)", f32Bytes(le, l1.B))},
			zipEntry{"W2.npy", npyRaw("<f4", true, "(3, 2)", f32Bytes(le, colMajor(l2)))},
			zipEntry{"b2.npy", npyRaw("<f4", false, "(2,)", f32Bytes(le, l2.B))},
			archEntry(t, archJS)), m},
		{"big-endian float64 in fortran order", zipOf(t, zip.Store,
			zipEntry{"W1.npy", npyRaw(">f8", true, "(4, 3)", f64Bytes(binary.BigEndian, widen(colMajor(l1))))},
			zipEntry{"b1.npy", npyRaw(">f4", false, "(3,)", f32Bytes(binary.BigEndian, l1.B))},
			zipEntry{"W2.npy", npyRaw(">f4", false, "(3, 2)", f32Bytes(binary.BigEndian, l2.W))},
			zipEntry{"b2.npy", npyRaw("<f8", false, "(2,)", f64Bytes(le, widen(l2.B)))},
			archEntry(t, archJS)), m},
		{"no architecture: sigmoid and cross-entropy", zipOf(t, zip.Store, layerEntries(t, m)...), bookStyle},
		{"names without .npy and other arrays", zipOf(t, zip.Store,
			zipEntry{"W1", npyOf(t, matrix(l1))}, zipEntry{"b1", npyOf(t, l1.B)},
			zipEntry{"W2", npyOf(t, matrix(l2))}, zipEntry{"b2", npyOf(t, l2.B)},
			zipEntry{"architecture", npyOf(t, []uint8(archJS))},
			zipEntry{"Wout_notes.npy", []byte("not even an array")},
			zipEntry{"losses.npy", npyOf(t, []float64{2.3, 0.4})}), m},
		{"activation names in capitals", zipOf(t, zip.Store, append(layerEntries(t, m),
			archEntry(t, `{"format":"mnist-playground","version":1,"activations":["ReLU"],"loss":"MSE"}`))...), m},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := ReadModel(bytes.NewReader(c.file), int64(len(c.file)))
			if err != nil {
				t.Fatalf("ReadModel: %v", err)
			}
			if d := diffModels(got, c.want); d != "" {
				t.Errorf("ReadModel: %s", d)
			}
		})
	}
}

// hugeEntry is an archive whose first entry, name, claims size bytes in its
// zip header while it holds data, deflated; the rest follow, stored.
func hugeEntry(t testing.TB, name string, data []byte, size uint64, rest ...zipEntry) []byte {
	t.Helper()
	var comp bytes.Buffer
	fw, err := flate.NewWriter(&comp, flate.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(data),
		CompressedSize64: uint64(comp.Len()), UncompressedSize64: size})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(comp.Bytes()); err != nil {
		t.Fatal(err)
	}
	for _, e := range rest {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// badModelFiles are files ReadModel must refuse, with a word its message
// must hold.
func badModelFiles(t testing.TB) []struct {
	name, want string
	file       []byte
} {
	m := smallModel(t)
	l1, l2 := m.Layers[0], m.Layers[1]
	le := binary.LittleEndian
	good := layerEntries(t, m)
	W1, b1, W2, b2 := good[0], good[1], good[2], good[3]
	store := func(es ...zipEntry) []byte { return zipOf(t, zip.Store, es...) }
	withArch := func(js string) []byte { return store(W1, b1, W2, b2, archEntry(t, js)) }
	nanW := slices.Clone(l2.W)
	nanW[4] = float32(math.NaN())
	infB := slices.Clone(l1.B)
	infB[1] = float32(math.Inf(-1))
	bigW := widen(l2.W)
	bigW[3] = 1e300
	// Eight 2×2 layers, seven of them hidden: one more than MaxHidden.
	var deepEntries []zipEntry
	for k := 1; k <= MaxHidden+2; k++ {
		deepEntries = append(deepEntries,
			zipEntry{fmt.Sprintf("W%d.npy", k), npyRaw("<f4", false, "(2, 2)", make([]byte, 16))},
			zipEntry{fmt.Sprintf("b%d.npy", k), npyRaw("<f4", false, "(2,)", make([]byte, 8))})
	}
	wideW1 := make([]float32, 2*(MaxUnits+1))
	wideB1 := make([]float32, MaxUnits+1)
	wideW2 := make([]float32, (MaxUnits+1)*2)
	corrupt := store(W1, b1, W2, b2)
	// Flip a byte of W2's numbers: its CRC-32 no longer matches.
	i := bytes.Index(corrupt, W2.data)
	corrupt[i+len(W2.data)-1] ^= 0x40
	v3 := npyOf(t, matrix(l1))
	v3[6] = 3

	return []struct {
		name, want string
		file       []byte
	}{
		{"text file", "not a model file", []byte("W1 = [[1, 2], [3, 4]]\n")},
		{"empty file", "not a model file", nil},
		{"truncated archive", "not a model file", store(W1, b1, W2, b2)[:300]},
		{"archive without weights", "no array W1", store(zipEntry{"x.npy", npyOf(t, []float32{1})})},
		{"no W1", "no W1", store(W2, b2)},
		{"gap", "no W2", store(W1, b1, zipEntry{"W3.npy", W2.data}, zipEntry{"b3.npy", b2.data})},
		{"bias missing", "b2", store(W1, b1, W2)},
		{"bias without weights", "b3", store(W1, b1, W2, b2, zipEntry{"b3.npy", b2.data})},
		{"array twice", "twice", store(W1, b1, W2, b2, zipEntry{"W2", W2.data})},
		{"layer number with a zero", "W01", store(W1, b1, W2, b2, zipEntry{"W01.npy", W1.data})},
		{"1-D weights", "2-D", store(zipEntry{"W1.npy", npyOf(t, l1.W)}, b1, W2, b2)},
		{"3-D weights", "2-D", store(zipEntry{"W1.npy", npyRaw("<f4", false, "(2, 2, 3)", f32Bytes(le, l1.W))}, b1, W2, b2)},
		{"2-D bias", "1-D", store(W1, zipEntry{"b1.npy", npyRaw("<f4", false, "(1, 3)", f32Bytes(le, l1.B))}, W2, b2)},
		{"bias length", "b1 has 2 entries but W1 gives 3 outputs", store(W1, zipEntry{"b1.npy", npyOf(t, l1.B[:2])}, W2, b2)},
		{"shapes do not chain", "W2 is 2×3 but W1 gives 3 outputs", store(W1, b1,
			zipEntry{"W2.npy", npyRaw("<f4", false, "(2, 3)", f32Bytes(le, l2.W))}, zipEntry{"b2.npy", npyOf(t, []float32{1, 2, 3})})},
		{"zero-width layer", "at least 1", store(zipEntry{"W1.npy", npyRaw("<f4", false, "(4, 0)", nil)}, b1, W2, b2)},
		{"NaN weight", "NaN at row 2, column 0", store(W1, b1, zipEntry{"W2.npy", npyOf(t, matrix(Layer{In: 3, Out: 2, W: nanW}))}, b2)},
		{"infinite bias", "-Inf at index 1", store(W1, zipEntry{"b1.npy", npyOf(t, infB)}, W2, b2)},
		{"float64 beyond float32", "beyond the range of float32", store(W1, b1, zipEntry{"W2.npy", npyRaw("<f8", false, "(3, 2)", f64Bytes(le, bigW))}, b2)},
		{"integer weights", `"<i4"`, store(zipEntry{"W1.npy", npyRaw("<i4", false, "(4, 3)", make([]byte, 48))}, b1, W2, b2)},
		{"too many hidden layers", "7 of them hidden", store(deepEntries...)},
		{"too many units", "at most 1024 units", store(
			zipEntry{"W1.npy", npyRaw("<f4", false, fmt.Sprintf("(2, %d)", MaxUnits+1), f32Bytes(le, wideW1))},
			zipEntry{"b1.npy", npyRaw("<f4", false, fmt.Sprintf("(%d,)", MaxUnits+1), f32Bytes(le, wideB1))},
			zipEntry{"W2.npy", npyRaw("<f4", false, fmt.Sprintf("(%d, 2)", MaxUnits+1), f32Bytes(le, wideW2))},
			b2)},
		{"truncated numbers", "truncated", store(zipEntry{"W1.npy", W1.data[:len(W1.data)-4]}, b1, W2, b2)},
		{"corrupt numbers", "checksum", corrupt},
		{"not an npy array", "magic", store(zipEntry{"W1.npy", []byte("this is not an array at all")}, b1, W2, b2)},
		{"npy version 3", "version 3.0", store(zipEntry{"W1.npy", v3}, b1, W2, b2)},
		{"garbled header", "header", store(zipEntry{"W1.npy", npyRaw("<f4", false, "[4, 3]", f32Bytes(le, l1.W))}, b1, W2, b2)},
		{"negative dimension", "header", store(zipEntry{"W1.npy", npyRaw("<f4", false, "(-4, 3)", f32Bytes(le, l1.W))}, b1, W2, b2)},
		{"huge shape", "too large", store(zipEntry{"W1.npy", npyRaw("<f4", false, "(65536, 65536)", nil)}, b1, W2, b2)},
		{"huge shape that overflows", "too large", store(zipEntry{"W1.npy", npyRaw("<f8", false, "(4294967296, 4294967296)", nil)}, b1, W2, b2)},
		{"huge header length", "header of 4294967295 bytes", store(zipEntry{"W1.npy", []byte("\x93NUMPY\x02\x00\xff\xff\xff\xff{'descr'")}, b1, W2, b2)},
		{"zip size beyond the shape", "needs", hugeEntry(t, "W1.npy", W1.data, 1<<40, b1, W2, b2)},
		{"architecture not JSON", "JSON", withArch(`relu, relu`)},
		{"architecture of another program", "format", withArch(`{"format":"keras","version":1,"activations":["relu"],"loss":"ce"}`)},
		{"architecture from the future", "newer version", withArch(`{"format":"mnist-playground","version":2,"activations":["relu"],"loss":"ce"}`)},
		{"architecture without version", "version 0", withArch(`{"format":"mnist-playground","activations":["relu"],"loss":"ce"}`)},
		{"too few activations", "0 activations but the file has 1 hidden", withArch(`{"format":"mnist-playground","version":1,"activations":[],"loss":"ce"}`)},
		{"too many activations", "2 activations but the file has 1 hidden", withArch(`{"format":"mnist-playground","version":1,"activations":["relu","relu"],"loss":"ce"}`)},
		{"unknown activation", `"swish"`, withArch(`{"format":"mnist-playground","version":1,"activations":["swish"],"loss":"ce"}`)},
		{"unknown loss", `"hinge"`, withArch(`{"format":"mnist-playground","version":1,"activations":["relu"],"loss":"hinge"}`)},
		{"architecture as floats", "1-D uint8", store(W1, b1, W2, b2, zipEntry{"architecture.npy", npyOf(t, []float32{1, 2})})},
		{"one output", "at least two outputs", store(W1, b1,
			zipEntry{"W2.npy", npyRaw("<f4", false, "(3, 1)", f32Bytes(le, l2.W[:3]))}, zipEntry{"b2.npy", npyOf(t, l2.B[:1])})},
	}
}

func TestReadModelBadFiles(t *testing.T) {
	t.Parallel()
	for _, c := range badModelFiles(t) {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			m, err := ReadModel(bytes.NewReader(c.file), int64(len(c.file)))
			if err == nil {
				t.Fatalf("ReadModel accepted the file: %v", m.Arch())
			}
			if m != nil {
				t.Errorf("ReadModel returned a model with its error %q", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("ReadModel error %q, want it to mention %q", err, c.want)
			}
		})
	}
}

// TestReadModelHostileSizes checks that files declaring huge arrays are
// refused without allocating what they declare. It is not parallel: it
// reads the process's allocation counter.
func TestReadModelHostileSizes(t *testing.T) {
	good := layerEntries(t, smallModel(t))
	W1, rest := good[0].data, good[1:]
	// A real deflate bomb: 16 MiB of zeros after W1's numbers, where the
	// zip header, like the npy header, promises only W1's bytes.
	bomb := append(slices.Clone(W1), make([]byte, 16<<20)...)
	for _, c := range []struct {
		name, want string
		file       []byte
	}{
		{"shape of 2^32 numbers", "too large", hugeEntry(t, "W1.npy", append(npyHeader("<f4", false, "(65536, 65536)"), make([]byte, 4096)...), 1<<34, rest...)},
		{"header of 4 GiB", "header of", zipOf(t, zip.Store, append([]zipEntry{{"W1.npy", []byte("\x93NUMPY\x02\x00\xf0\xff\xff\xff{'descr': '<f4'")}}, rest...)...)},
		{"zip entry of 1 TiB", "needs", hugeEntry(t, "W1.npy", W1, 1<<40, rest...)},
		{"deflate bomb", "corrupt", hugeEntry(t, "W1.npy", bomb, uint64(len(W1)), rest...)},
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := ReadModel(bytes.NewReader(c.file), int64(len(c.file)))
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: ReadModel error %v, want one mentioning %q", c.name, err, c.want)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > 4<<20 {
			t.Errorf("%s: ReadModel allocated %d bytes, want at most 4 MiB", c.name, got)
		}
	}
	if _, err := ReadModel(strings.NewReader(""), 1<<40); err == nil || !strings.Contains(err.Error(), "1099511627776 bytes") {
		t.Errorf("ReadModel of a 1 TiB file: error %v, want one about its size", err)
	}
}

func TestModelCheckMNIST(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		arch Architecture
		want []string // nothing for a fit model
	}{
		{MNISTArch([]int{100}, []Activation{ReLU}, CrossEntropy), nil},
		{MNISTArch(nil, nil, MeanSquared), nil},
		{Architecture{Inputs: 100, Outputs: 10}, []string{"the model takes 100 inputs; MNIST images have 784 pixels"}},
		{Architecture{Inputs: 784, Hidden: []int{5}, Acts: []Activation{Tanh}, Outputs: 5}, []string{"the model gives 5 outputs"}},
		{Architecture{Inputs: 28, Outputs: 2}, []string{"28 inputs", "2 outputs"}},
	} {
		m := testModel(t, c.arch, 3)
		err := m.CheckMNIST()
		if len(c.want) == 0 {
			if err != nil {
				t.Errorf("%v: CheckMNIST() = %v, want nil", c.arch, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%v: CheckMNIST() = nil, want an error", c.arch)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%v: CheckMNIST() = %q, want it to mention %q", c.arch, err, w)
			}
		}
	}
	if err := (&Model{}).CheckMNIST(); err == nil {
		t.Errorf("an empty model passed CheckMNIST")
	}
}

// dirNames lists a folder's entries.
func dirNames(t testing.TB, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestSaveModelReplaces(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "model.npz")
	first := testModel(t, MNISTArch([]int{5}, []Activation{Sigmoid}, CrossEntropy), 1)
	second := testModel(t, MNISTArch([]int{7, 3}, []Activation{ReLU, Tanh}, MeanSquared), 2)
	if err := SaveModel(path, first); err != nil {
		t.Fatalf("SaveModel first: %v", err)
	}
	if runtime.GOOS != "windows" {
		if err := os.Chmod(path, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := SaveModel(path, second); err != nil {
		t.Fatalf("SaveModel second: %v", err)
	}
	got, err := LoadModel(path)
	if err != nil {
		t.Fatalf("LoadModel: %v", err)
	}
	if d := diffModels(got, second); d != "" {
		t.Errorf("after saving over the file: %s", d)
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"model.npz"}) {
		t.Errorf("folder holds %q, want only model.npz", names)
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != 0o600 {
			t.Errorf("replaced file has mode %v, want the old file's -rw-------", got)
		}
	}
}

func TestSaveModelFailures(t *testing.T) {
	t.Parallel()
	good := testModel(t, MNISTArch([]int{5}, []Activation{ReLU}, CrossEntropy), 5)
	nan := good.Clone()
	nan.Layers[1].W[7] = float32(math.NaN())
	for _, c := range []struct {
		name string
		// path is relative to a fresh folder that holds old.npz.
		path string
		m    *Model
		want string
	}{
		{"missing folder", "missing/model.npz", good, "does not exist"},
		{"invalid model over a good file", "old.npz", nan, "NaN"},
		{"nil model", "old.npz", nil, "no model"},
		{"over a folder", "sub", good, "it is a folder"},
		{"model too big for a file", "old.npz", &Model{Layers: []Layer{{In: maxArrayElems + 1, Out: 2, W: make([]float32, 2*(maxArrayElems+1)), B: make([]float32, 2)}}}, "at most"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			old := filepath.Join(dir, "old.npz")
			if err := SaveModel(old, good); err != nil {
				t.Fatalf("SaveModel: %v", err)
			}
			if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
				t.Fatal(err)
			}
			oldBytes, err := os.ReadFile(old)
			if err != nil {
				t.Fatal(err)
			}
			err = SaveModel(filepath.Join(dir, c.path), c.m)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("SaveModel error %v, want one mentioning %q", err, c.want)
			}
			if names := dirNames(t, dir); !slices.Equal(names, []string{"old.npz", "sub"}) {
				t.Errorf("after the failed save the folder holds %q, want [old.npz sub]", names)
			}
			if names := dirNames(t, filepath.Join(dir, "sub")); len(names) != 0 {
				t.Errorf("after the failed save sub holds %q, want nothing", names)
			}
			if now, err := os.ReadFile(old); err != nil || !bytes.Equal(now, oldBytes) {
				t.Errorf("the failed save changed old.npz (read error %v)", err)
			}
		})
	}
}

func TestLoadModelErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.npz")
	if err := os.WriteFile(text, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path string
		want []string
		is   error
	}{
		{filepath.Join(dir, "absent.npz"), []string{"absent.npz"}, fs.ErrNotExist},
		{dir, []string{"is a folder"}, nil},
		{text, []string{"notes.npz", "not a model file"}, nil},
	} {
		m, err := LoadModel(c.path)
		if err == nil {
			t.Errorf("LoadModel(%s) = %v, want an error", c.path, m.Arch())
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("LoadModel(%s) error %q, want it to mention %q", c.path, err, w)
			}
		}
		if c.is != nil && !errors.Is(err, c.is) {
			t.Errorf("LoadModel(%s) error %q is not %v", c.path, err, c.is)
		}
	}
}

// FuzzReadModel reads whole files, and also plants a fuzzed W1 entry and a
// fuzzed architecture JSON in an otherwise sound archive, so that the
// fuzzer reaches the .npy and JSON parsing without first having to forge
// zip checksums.
func FuzzReadModel(f *testing.F) {
	m := smallModel(f)
	var saved bytes.Buffer
	if err := WriteModel(&saved, m); err != nil {
		f.Fatal(err)
	}
	good := layerEntries(f, m)
	W1, rest := good[0].data, good[1:]
	archJS := `{"format":"mnist-playground","version":1,"activations":["relu"],"loss":"mse"}`
	fortranW1 := npyRaw("<f4", true, "(4, 3)", f32Bytes(binary.LittleEndian, colMajor(m.Layers[0])))
	f.Add(saved.Bytes(), W1, archJS)
	f.Add([]byte{}, fortranW1, `{"format":"mnist-playground","version":1,"activations":["tanh"],"loss":"ce"}`)
	f.Add([]byte{}, npyRaw("<f8", false, "(4, 3)", f64Bytes(binary.LittleEndian, widen(m.Layers[0].W))), archJS)
	for _, c := range badModelFiles(f) {
		if len(c.file) < 4096 {
			f.Add(c.file, W1, archJS)
		}
	}
	if book, err := os.ReadFile(bookModelPath); err == nil {
		f.Add(book, W1, archJS)
	}
	check := func(t *testing.T, data []byte) {
		m, err := ReadModel(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			if m != nil {
				t.Fatalf("ReadModel returned a model with its error %v", err)
			}
			return
		}
		if err := m.Validate(); err != nil {
			t.Fatalf("ReadModel accepted a model that fails Validate: %v", err)
		}
		var out bytes.Buffer
		if err := WriteModel(&out, m); err != nil {
			t.Fatalf("WriteModel refused an accepted model: %v", err)
		}
		back, err := ReadModel(bytes.NewReader(out.Bytes()), int64(out.Len()))
		if err != nil {
			t.Fatalf("ReadModel refused what WriteModel wrote: %v", err)
		}
		if d := diffModels(back, m); d != "" {
			t.Fatalf("an accepted model changed when written and read again: %s", d)
		}
	}
	f.Fuzz(func(t *testing.T, file, w1 []byte, arch string) {
		check(t, file)
		planted := append([]zipEntry{{"W1.npy", w1}}, rest...)
		planted = append(planted, zipEntry{"architecture.npy", npyOf(t, []uint8(arch))})
		check(t, zipOf(t, zip.Store, planted...))
	})
}

func BenchmarkLoadModel(b *testing.B) {
	for _, a := range []Architecture{
		MNISTArch([]int{100}, []Activation{ReLU}, CrossEntropy),
		MNISTArch([]int{512, 512}, []Activation{ReLU, ReLU}, CrossEntropy),
	} {
		b.Run(a.String(), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "model.npz")
			if err := SaveModel(path, testModel(b, a, 1)); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := LoadModel(path); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("book (fortran order)", func(b *testing.B) {
		if _, err := os.Stat(bookModelPath); err != nil {
			b.Skipf("the book's model is absent: %v", err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := LoadModel(bookModelPath); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestReadModelOverflow checks that a model whose weights are finite but so
// large that its sums overflow float32 is refused when it is read, so that
// eval and predict, which both load through ReadModel, agree about it, and
// that SaveModel refuses to write one.
func TestReadModelOverflow(t *testing.T) {
	t.Parallel()
	a := MNISTArch([]int{8, 8}, []Activation{ReLU, Sigmoid}, CrossEntropy)
	for _, c := range []struct {
		name  string
		edit  func(m *Model)
		layer int // the layer named in the error, 0 for none
	}{
		{"largest float32 weight", func(m *Model) { m.Layers[0].W[0] = math.MaxFloat32 }, 1},
		{"large weights that add up", func(m *Model) {
			for i := range m.Layers[0].W {
				m.Layers[0].W[i] = 1e28
			}
		}, 1},
		// ReLU passes the size on: 1e20 × 1e20 overflows in layer 2.
		{"two large layers", func(m *Model) {
			for i := range m.Layers[0].W {
				m.Layers[0].W[i] = 1e20
			}
			for i := range m.Layers[1].W {
				m.Layers[1].W[i] = 1e20
			}
		}, 2},
		{"large bias", func(m *Model) { m.Layers[2].B[3] = -3e38 }, 3},
		// The sigmoid of layer 2 bounds what layer 3 gets.
		{"large before a sigmoid", func(m *Model) {
			for i := range m.Layers[1].W {
				m.Layers[1].W[i] = 1e25
			}
		}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			m := testModel(t, a, 9)
			c.edit(m)
			// Written as NumPy would, since SaveModel refuses it.
			var entries []zipEntry
			for k, l := range m.Layers {
				entries = append(entries, zipEntry{fmt.Sprintf("W%d.npy", k+1), npyOf(t, matrix(l))}, zipEntry{fmt.Sprintf("b%d.npy", k+1), npyOf(t, l.B)})
			}
			entries = append(entries, archEntry(t, `{"format":"mnist-playground","version":1,"activations":["relu","sigmoid"],"loss":"ce"}`))
			data := zipOf(t, zip.Store, entries...)
			got, err := ReadModel(bytes.NewReader(data), int64(len(data)))
			serr := SaveModel(filepath.Join(t.TempDir(), "m.npz"), m)
			if c.layer == 0 {
				if err != nil || serr != nil {
					t.Fatalf("ReadModel error %v, SaveModel error %v: want the model read and saved", err, serr)
				}
				x := make([]float32, InputSize)
				for i := range x {
					x[i] = 1
				}
				for _, p := range got.Predict(x) {
					if math.IsNaN(float64(p)) {
						t.Fatalf("the model predicts NaN")
					}
				}
				return
			}
			want := fmt.Sprintf("the model in the file is not usable: its weights are too large: layer %d's sums can reach", c.layer)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("ReadModel error %v, want one starting %q", err, want)
			}
			if serr == nil || !strings.Contains(serr.Error(), "the model cannot be saved: its weights are too large") {
				t.Errorf("SaveModel error %v, want one saying the weights are too large", serr)
			}
		})
	}
}
