package engine

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// idxBytes builds an IDX file by hand, independently of WriteImages and
// WriteLabels, so the tests check the writers against the format too.
func idxBytes(magic uint32, dims []uint32, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, data...)
}

// gzipBytes compresses b.
func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// randomBytes returns n seeded random bytes, each below limit.
func randomBytes(seed uint64, n, limit int) []byte {
	rng := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.IntN(limit))
	}
	return b
}

// wantErr fails the test unless err is non-nil and its message holds every
// one of parts.
func wantErr(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want one containing %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("got error %q, want it to contain %q", err, p)
		}
	}
}

func TestReadImagesRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name              string
		rows, cols, count int
	}{
		{"one pixel", 1, 1, 1},
		{"no images", 28, 28, 0},
		{"not square", 3, 5, 4},
		{"mnist size", 28, 28, 7},
		{"larger than the first chunk", 64, 64, 40}, // 160 KiB: the buffer must grow
		{"widest", 1, maxSide, 2},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pixels := randomBytes(uint64(i), tt.count*tt.rows*tt.cols, 256)
			var buf bytes.Buffer
			if err := WriteImages(&buf, tt.rows, tt.cols, pixels); err != nil {
				t.Fatalf("WriteImages: %v", err)
			}
			want := idxBytes(0x803, []uint32{uint32(tt.count), uint32(tt.rows), uint32(tt.cols)}, pixels)
			if !bytes.Equal(buf.Bytes(), want) {
				t.Fatalf("WriteImages wrote %d bytes that differ from the IDX layout (%d bytes)", buf.Len(), len(want))
			}
			for _, form := range []struct {
				name string
				data []byte
			}{{"raw", want}, {"gzip", gzipBytes(t, want)}} {
				rows, cols, got, err := ReadImages(bytes.NewReader(form.data))
				if err != nil {
					t.Fatalf("%s: ReadImages: %v", form.name, err)
				}
				if rows != tt.rows || cols != tt.cols {
					t.Errorf("%s: got %d×%d, want %d×%d", form.name, rows, cols, tt.rows, tt.cols)
				}
				if !bytes.Equal(got, pixels) {
					t.Errorf("%s: got %d pixels that differ from the %d written", form.name, len(got), len(pixels))
				}
			}
		})
	}
}

func TestReadLabelsRoundTrip(t *testing.T) {
	t.Parallel()
	for i, n := range []int{0, 1, 10, 100_000} {
		labels := randomBytes(uint64(i), n, NumClasses)
		var buf bytes.Buffer
		if err := WriteLabels(&buf, labels); err != nil {
			t.Fatalf("%d labels: WriteLabels: %v", n, err)
		}
		want := idxBytes(0x801, []uint32{uint32(n)}, labels)
		if !bytes.Equal(buf.Bytes(), want) {
			t.Fatalf("%d labels: WriteLabels wrote bytes that differ from the IDX layout", n)
		}
		for _, data := range [][]byte{want, gzipBytes(t, want)} {
			got, err := ReadLabels(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("%d labels: ReadLabels: %v", n, err)
			}
			if !bytes.Equal(got, labels) {
				t.Errorf("%d labels: got %v..., want %v...", n, got[:min(n, 10)], labels[:min(n, 10)])
			}
		}
	}
}

func TestReadImagesErrors(t *testing.T) {
	t.Parallel()
	good := idxBytes(0x803, []uint32{2, 3, 4}, randomBytes(1, 24, 256))
	gz := gzipBytes(t, good)
	big := idxBytes(0x803, []uint32{40, 64, 64}, randomBytes(2, 40*64*64, 256))
	bigGz := gzipBytes(t, big)
	badCRC := bytes.Clone(gz)
	badCRC[len(badCRC)-8] ^= 0xff // the CRC-32 in the gzip trailer
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"empty", nil, []string{"truncated", "magic number needs 4 bytes but only 0 were read"}},
		{"truncated magic", good[:3], []string{"truncated", "needs 4 bytes but only 3 were read"}},
		{"truncated header", good[:10], []string{"truncated", "header needs 16 bytes but only 10 were read"}},
		{"truncated data", good[:30], []string{"truncated", "2 images of 3×4 pixels, 24 bytes, but only 14 were read"}},
		{"label file", idxBytes(0x801, []uint32{2}, []byte{1, 2}), []string{"0x00000801", "0x00000803", "this is a label file, not an image file"}},
		{"garbage", []byte("hello, world, this is text"), []string{"0x68656c6c", "this is not an IDX file"}},
		{"idx of floats", idxBytes(0x00000D03, []uint32{1, 1, 1}, make([]byte, 4)), []string{"IDX file of float elements in 3 dimensions, not an image file"}},
		{"idx of two dimensions", idxBytes(0x00000802, []uint32{1, 1}, []byte{0}), []string{"unsigned byte elements in 2 dimensions"}},
		{"zero rows", idxBytes(0x803, []uint32{1, 0, 4}, nil), []string{"0×4", "must be 1 to 4096"}},
		{"zero cols", idxBytes(0x803, []uint32{1, 4, 0}, nil), []string{"4×0", "must be 1 to 4096"}},
		{"too many rows", idxBytes(0x803, []uint32{1, maxSide + 1, 1}, nil), []string{"4097×1"}},
		{"too many images", idxBytes(0x803, []uint32{1 << 31, 28, 28}, nil), []string{"2147483648 images", "damaged"}},
		{"too many bytes", idxBytes(0x803, []uint32{200, maxSide, maxSide}, nil), []string{"200 images of 4096×4096 pixels, 3200 MiB, more than the 64 MiB", "damaged"}},
		{"just too many bytes", idxBytes(0x803, []uint32{64<<20/784 + 1, 28, 28}, nil), []string{"85599 images of 28×28 pixels, 64 MiB, more than the 64 MiB"}},
		{"trailing bytes", append(bytes.Clone(good), 1, 2, 3), []string{"goes on for 3 bytes after the 2 images of 3×4 pixels"}},
		{"megabytes trailing", append(bytes.Clone(good), make([]byte, 2<<20)...), []string{"goes on for more than 1048576 bytes"}},
		{"gzip truncated at the end", gz[:len(gz)-12], []string{"truncated", "compressed stream ends early, after the 2 images"}},
		{"gzip truncated in the data", bigGz[:len(bigGz)/2], []string{"truncated", "40 images of 64×64 pixels, 163840 bytes, but only"}},
		{"gzip bad checksum", badCRC, []string{"gzip: invalid checksum"}},
		{"gzip header only", []byte{0x1f, 0x8b, 0, 0}, []string{"starts like gzip but its gzip header is unreadable"}},
		{"gzip then garbage", append(bytes.Clone(gz), "junk after the stream"...), []string{"after the 2 images of 3×4 pixels", "gzip: invalid header"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rows, cols, pixels, err := ReadImages(bytes.NewReader(tt.data))
			wantErr(t, err, tt.want...)
			if rows != 0 || cols != 0 || pixels != nil {
				t.Errorf("got %d×%d and %d pixels with the error, want nothing", rows, cols, len(pixels))
			}
		})
	}
}

func TestReadLabelsErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"empty", nil, []string{"truncated", "only 0 were read"}},
		{"truncated header", []byte{0, 0, 8, 1, 0, 0}, []string{"truncated", "header needs 8 bytes but only 6 were read"}},
		{"truncated data", idxBytes(0x801, []uint32{5}, []byte{1, 2}), []string{"truncated", "5 labels, 5 bytes, but only 2 were read"}},
		{"image file", idxBytes(0x803, []uint32{1, 1, 1}, []byte{0}), []string{"0x00000803", "0x00000801", "this is an image file, not a label file"}},
		{"garbage", []byte{0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0}, []string{"0xffd8ffe0", "not an IDX file"}},
		{"label 10", idxBytes(0x801, []uint32{3}, []byte{0, 9, 10}), []string{"label 10 of item 2 is not a digit"}},
		{"label 255", idxBytes(0x801, []uint32{1}, []byte{255}), []string{"label 255 of item 0"}},
		{"too many labels", idxBytes(0x801, []uint32{1<<24 + 1}, nil), []string{"16777217 labels", "damaged"}},
		{"trailing byte", idxBytes(0x801, []uint32{1}, []byte{3, 4}), []string{"goes on for 1 byte after the 1 label its header declares"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			labels, err := ReadLabels(bytes.NewReader(tt.data))
			wantErr(t, err, tt.want...)
			if labels != nil {
				t.Errorf("got %d labels with the error, want none", len(labels))
			}
		})
	}
}

// TestReadLyingHeaderAllocates checks that a header claiming gigabytes costs
// memory in proportion to the bytes that follow it. It is not parallel: it
// measures the allocations of the whole process.
func TestReadLyingHeaderAllocates(t *testing.T) {
	const limit = 4 << 20
	tests := []struct {
		name string
		read func([]byte) error
		data []byte
	}{
		{"images", func(b []byte) error { _, _, _, err := ReadImages(bytes.NewReader(b)); return err },
			idxBytes(0x803, []uint32{maxImagesPayload / (maxSide * maxSide), maxSide, maxSide}, make([]byte, 1000))}, // claims 64 MiB, the most allowed
		{"labels", func(b []byte) error { _, err := ReadLabels(bytes.NewReader(b)); return err },
			idxBytes(0x801, []uint32{maxCount}, make([]byte, 1000))}, // claims 16 MB
	}
	for _, tt := range tests {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		err := tt.read(tt.data)
		runtime.ReadMemStats(&after)
		wantErr(t, err, "truncated", "only 1000 were read")
		if got := after.TotalAlloc - before.TotalAlloc; got > limit {
			t.Errorf("%s: reading a lying header allocated %d bytes, want at most %d", tt.name, got, limit)
		}
	}
}

func TestWriteImagesRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		rows, cols int
		pixels     int
		want       string
	}{
		{"zero rows", 0, 28, 0, "0×28"},
		{"negative cols", 28, -1, 0, "28×-1"},
		{"too wide", 1, maxSide + 1, maxSide + 1, "1 to 4096"},
		{"partial image", 2, 2, 6, "6 pixels are not a whole number of 2×2 images"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		err := WriteImages(&buf, tt.rows, tt.cols, make([]uint8, tt.pixels))
		wantErr(t, err, tt.want)
		if buf.Len() != 0 {
			t.Errorf("%s: wrote %d bytes before refusing, want none", tt.name, buf.Len())
		}
	}
}

func TestWriteLabelsRejects(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	wantErr(t, WriteLabels(&buf, []uint8{1, 2, 10}), "label 10 of item 2")
	if buf.Len() != 0 {
		t.Errorf("wrote %d bytes before refusing, want none", buf.Len())
	}
}

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteReportsWriteErrors(t *testing.T) {
	t.Parallel()
	wantErr(t, WriteImages(failingWriter{}, 1, 1, []uint8{0}), "writing the IDX header", "disk full")
	wantErr(t, WriteLabels(failingWriter{}, []uint8{0}), "writing the IDX header", "disk full")
}

// writeSet writes images and labels into dir as IDX files, gzipped when the
// name ends in .gz, and returns their paths.
func writeSet(t *testing.T, dir, imagesName, labelsName string, rows, cols int, pixels, labels []uint8) (string, string) {
	t.Helper()
	var img, lab bytes.Buffer
	if err := WriteImages(&img, rows, cols, pixels); err != nil {
		t.Fatal(err)
	}
	if err := WriteLabels(&lab, labels); err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		if strings.HasSuffix(name, ".gz") {
			b = gzipBytes(t, b)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	return write(imagesName, img.Bytes()), write(labelsName, lab.Bytes())
}

func TestLoadDataset(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pixels := randomBytes(7, 3*2*2, 256)
	labels := []uint8{4, 0, 9}
	ip, lp := writeSet(t, dir, "images.gz", "labels", 2, 2, pixels, labels)
	ds, err := LoadDataset(ip, lp)
	if err != nil {
		t.Fatalf("LoadDataset: %v", err)
	}
	if ds.Rows != 2 || ds.Cols != 2 || ds.Len() != 3 {
		t.Errorf("got %d images of %d×%d, want 3 of 2×2", ds.Len(), ds.Rows, ds.Cols)
	}
	if !bytes.Equal(ds.Pixels, pixels) || !bytes.Equal(ds.Labels, labels) {
		t.Errorf("got pixels %v labels %v, want %v and %v", ds.Pixels, ds.Labels, pixels, labels)
	}
}

func TestLoadDatasetErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	img3, lab2 := writeSet(t, dir, "img3", "lab2.gz", 1, 2, make([]uint8, 6), []uint8{1, 2})
	img0, lab0 := writeSet(t, dir, "img0", "lab0", 28, 28, nil, nil)
	badLabels := filepath.Join(dir, "badlabels")
	if err := os.WriteFile(badLabels, idxBytes(0x801, []uint32{3}, []byte{1, 2, 12}), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing")
	tests := []struct {
		name           string
		images, labels string
		want           []string
	}{
		{"count mismatch", img3, lab2, []string{img3, lab2, "3 images but", "2 labels"}},
		{"swapped", lab2, img3, []string{lab2 + ": ", "this is a label file, not an image file", img3 + ": ", "this is an image file, not a label file"}},
		{"bad label", img3, badLabels, []string{badLabels + ": ", "label 12 of item 2"}},
		{"missing file", missing, lab2, []string{missing, "no such file"}},
		{"no images", img0, lab0, []string{img0, "holds no images"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ds, err := LoadDataset(tt.images, tt.labels)
			wantErr(t, err, tt.want...)
			if ds != nil {
				t.Errorf("got a dataset of %d images with the error, want nil", ds.Len())
			}
		})
	}
}

// fuzzSeeds are valid and nearly valid files for the fuzzers to start from.
func fuzzSeeds(f *testing.F) [][]byte {
	images := idxBytes(0x803, []uint32{2, 2, 3}, randomBytes(3, 12, 256))
	labels := idxBytes(0x801, []uint32{4}, []byte{0, 5, 9, 1})
	return [][]byte{
		images, gzipBytes(f, images), images[:20], append(bytes.Clone(images), 0),
		labels, gzipBytes(f, labels), labels[:9], append(bytes.Clone(labels), 0),
		idxBytes(0x803, []uint32{0, 1, 1}, nil), idxBytes(0x801, []uint32{0}, nil),
		idxBytes(0x803, []uint32{1 << 30, 1, 1}, []byte{1}), {0x1f, 0x8b}, nil,
	}
}

// FuzzReadImages checks that ReadImages never panics and that whatever it
// accepts is consistent: sizes in range, whole images, and a file that
// WriteImages reproduces byte for byte (when it was not compressed).
func FuzzReadImages(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, cols, pixels, err := ReadImages(bytes.NewReader(data))
		if err != nil {
			if err.Error() == "" || pixels != nil {
				t.Fatalf("got error %q with %d pixels", err, len(pixels))
			}
			return
		}
		if rows < 1 || rows > maxSide || cols < 1 || cols > maxSide {
			t.Fatalf("accepted images of %d×%d", rows, cols)
		}
		if len(pixels)%(rows*cols) != 0 {
			t.Fatalf("accepted %d pixels, not whole images of %d×%d", len(pixels), rows, cols)
		}
		var buf bytes.Buffer
		if err := WriteImages(&buf, rows, cols, pixels); err != nil {
			t.Fatalf("WriteImages refused what ReadImages accepted: %v", err)
		}
		compressed := len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b
		if !compressed && !bytes.Equal(buf.Bytes(), data) {
			t.Fatalf("WriteImages wrote %x, want the input %x", buf.Bytes(), data)
		}
		r2, c2, p2, err := ReadImages(&buf)
		if err != nil || r2 != rows || c2 != cols || !bytes.Equal(p2, pixels) {
			t.Fatalf("reading back got %d×%d, %d pixels, error %v; want %d×%d, %d pixels", r2, c2, len(p2), err, rows, cols, len(pixels))
		}
	})
}

// FuzzReadLabels checks that ReadLabels never panics and that whatever it
// accepts is digits that WriteLabels reproduces byte for byte (when the input
// was not compressed).
func FuzzReadLabels(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		labels, err := ReadLabels(bytes.NewReader(data))
		if err != nil {
			if err.Error() == "" || labels != nil {
				t.Fatalf("got error %q with %d labels", err, len(labels))
			}
			return
		}
		for i, l := range labels {
			if l >= NumClasses {
				t.Fatalf("accepted label %d of item %d", l, i)
			}
		}
		var buf bytes.Buffer
		if err := WriteLabels(&buf, labels); err != nil {
			t.Fatalf("WriteLabels refused what ReadLabels accepted: %v", err)
		}
		compressed := len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b
		if !compressed && !bytes.Equal(buf.Bytes(), data) {
			t.Fatalf("WriteLabels wrote %x, want the input %x", buf.Bytes(), data)
		}
		got, err := ReadLabels(&buf)
		if err != nil || !bytes.Equal(got, labels) {
			t.Fatalf("reading back got %d labels, error %v; want %d labels", len(got), err, len(labels))
		}
	})
}

// TestLoadDatasetCountsFirst checks that image and label files that
// disagree on the number of images are refused from their headers, before
// the pixels are read, and that a header declaring more pixels than the
// playground takes is refused from itself. Each image file is a gzip whose
// header declares many images but which holds only a kilobyte of pixels:
// reading on would report it truncated instead.
func TestLoadDatasetCountsFirst(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	labels := filepath.Join(dir, "labels")
	if err := os.WriteFile(labels, idxBytes(0x801, []uint32{10_000}, make([]byte, 10_000)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		count uint32
		want  string
	}{
		// 39 MB of pixels declared, 10,000 labels.
		{50_000, " holds 50000 images but " + labels + " holds 10000 labels: the two files must come from the same set"},
		// 1 GiB of zeros, which gzip makes 1 MB of.
		{1_369_600, ": the header declares 1369600 images of 28×28 pixels, 1024 MiB, more than the 64 MiB this reader accepts"},
	} {
		bomb := filepath.Join(dir, fmt.Sprintf("images-%d.gz", c.count))
		header := idxBytes(0x803, []uint32{c.count, 28, 28}, make([]byte, 1024))
		if err := os.WriteFile(bomb, gzipBytes(t, header), 0o644); err != nil {
			t.Fatal(err)
		}
		ds, err := LoadDataset(bomb, labels)
		if want := bomb + c.want; err == nil || !strings.HasPrefix(err.Error(), want) || ds != nil {
			t.Errorf("LoadDataset error %v, want one starting %q", err, want)
		}
	}
}
