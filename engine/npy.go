package engine

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"codeberg.org/sbinet/npyio/npy"
)

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
