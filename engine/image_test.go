package engine

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
)

// pngHeader returns the start of a PNG declaring w×h pixels of the given
// bit depth and colour type (PNG's codes: 0 grey, 2 RGB, 3 palette, 4 grey
// and alpha, 6 RGBA), interlaced or not, followed by one IDAT chunk of
// idat: a bomb is made from its header alone, since the header is all the
// reader may look at before it refuses.
func pngHeader(w, h uint32, depth, colorType byte, interlaced bool, idat []byte) []byte {
	chunk := func(out []byte, kind string, data []byte) []byte {
		body := append([]byte(kind), data...)
		out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
		out = append(out, body...)
		return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(body))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	il := byte(0)
	if interlaced {
		il = 1
	}
	ihdr = append(ihdr, depth, colorType, 0, 0, il)
	out := chunk([]byte("\x89PNG\r\n\x1a\n"), "IHDR", ihdr)
	if colorType == 3 {
		out = chunk(out, "PLTE", []byte{0, 0, 0, 255, 255, 255})
	}
	return chunk(out, "IDAT", idat)
}

// jpegHeader returns the start of a baseline (SOF0) or progressive (SOF2)
// JPEG of w×h pixels whose components have the given sampling factors
// (0x22 is 2×2, 0x11 is 1×1).
func jpegHeader(w, h uint16, progressive bool, factors ...byte) []byte {
	sof := []byte{8}
	sof = binary.BigEndian.AppendUint16(sof, h)
	sof = binary.BigEndian.AppendUint16(sof, w)
	sof = append(sof, byte(len(factors)))
	for i, f := range factors {
		sof = append(sof, byte(i+1), f, 0)
	}
	marker := byte(0xc0)
	if progressive {
		marker = 0xc2
	}
	out := []byte{0xff, 0xd8, 0xff, 0xe0, 0, 16}
	out = append(out, "JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"...)
	out = append(out, 0xff, 0xdb)
	// A quantisation table of ones, so that DecodeConfig's parse goes on.
	dqt := append([]byte{0}, bytes.Repeat([]byte{1}, 64)...)
	out = binary.BigEndian.AppendUint16(out, uint16(2+len(dqt)))
	out = append(out, dqt...)
	out = append(out, 0xff, marker)
	out = binary.BigEndian.AppendUint16(out, uint16(2+len(sof)))
	return append(out, sof...)
}

func encoded(t testing.TB, img image.Image, format string) []byte {
	t.Helper()
	var b bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&b, img)
	case "jpeg":
		err = jpeg.Encode(&b, img, &jpeg.Options{Quality: 90})
	case "gif":
		err = gif.Encode(&b, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// digitImage is a small picture of a digit: a bar and a box of ink.
func digitImage() *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, 60, 40))
	for y := range 40 {
		for x := range 60 {
			c := color.NRGBA{255, 255, 255, 255}
			if (x >= 20 && x < 26 && y >= 5 && y < 35) || (y >= 5 && y < 9 && x >= 20 && x < 40) {
				c = color.NRGBA{20, 20, 20, 255}
			}
			m.SetNRGBA(x, y, c)
		}
	}
	return m
}

// TestReadImageBombs checks that images too large to decode safely are
// refused from their headers, before anything is decoded: with the
// decoder's memory at stake, the test can only pass if the header is all
// that was read, since most of these files hold no pixels at all.
func TestReadImageBombs(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		// 800 MB decoded, from a file of a few hundred kilobytes.
		{"10000×10000 16-bit RGBA PNG", pngHeader(10000, 10000, 16, 6, false, nil), "10000×10000 pixels, 100.0 megapixels: give one of at most 16 megapixels"},
		{"1×100,000,000 PNG sliver", pngHeader(1, 100_000_000, 8, 0, false, nil), "1×100000000 pixels, 100.0 megapixels"},
		{"100,000,000×1 PNG sliver", pngHeader(100_000_000, 1, 8, 0, false, nil), "100000000×1 pixels"},
		{"thin 1×5000 PNG", pngHeader(1, 5000, 8, 0, false, nil), "1×5000 pixels, 5000 times as long as it is wide: give an image of one digit, at most 32 times"},
		{"thin 40000×400 PNG", pngHeader(40000, 400, 8, 0, false, nil), "100 times as long"},
		{"4000×4000 16-bit RGBA PNG", pngHeader(4000, 4000, 16, 6, false, nil), "4000×4000 pixels, which would take 152 MiB to decode, more than the 96 MiB"},
		{"3000×3000 interlaced 16-bit RGB PNG", pngHeader(3000, 3000, 16, 2, true, nil), "3000×3000 pixels, which would take 154 MiB"},
		{"16-megapixel progressive JPEG", jpegHeader(4000, 4000, true, 0x11, 0x11, 0x11), "4000×4000 pixels, which would take 228 MiB"},
		{"empty PNG", pngHeader(0, 0, 8, 0, false, nil), "damaged"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			img, err := ReadImage(t.Context(), bytes.NewReader(c.data))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("ReadImage = %v, error %v; want an error mentioning %q", img != nil, err, c.want)
			}
		})
	}
}

// TestImageMemory checks the estimate that decides what may be decoded
// against what image/jpeg and image/png allocate, for headers within the
// limits: a 12-megapixel phone photo is read, baseline or progressive.
func TestImageMemory(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name      string
		data      []byte
		want      int64
		decodable bool
	}{
		// 4000×3000 4:2:0: Y is 4000×3008 (whole 16-pixel MCUs), Cb and Cr
		// a quarter each.
		{"12 MP baseline 4:2:0 JPEG", jpegHeader(4000, 3000, false, 0x22, 0x11, 0x11), 4000*3008 + 2*2000*1504, true},
		{"12 MP progressive 4:2:0 JPEG", jpegHeader(4000, 3000, true, 0x22, 0x11, 0x11), 5 * (4000*3008 + 2*2000*1504), true},
		{"12 MP baseline 4:4:4 JPEG", jpegHeader(4000, 3000, false, 0x11, 0x11, 0x11), 3 * 4000 * 3000, true},
		{"grey JPEG", jpegHeader(100, 100, false, 0x11), 104 * 104, true},
		{"8-bit RGBA PNG", pngHeader(100, 100, 8, 6, false, nil), 6 * 100 * 100, true},
		{"16 MP 8-bit RGBA PNG", pngHeader(4000, 4000, 8, 6, false, nil), 6 * 4000 * 4000, true},
		{"7 MP interlaced 16-bit RGBA PNG", pngHeader(2700, 2700, 16, 6, true, nil), 18 * 2700 * 2700, false},
		{"interlaced 8-bit grey PNG", pngHeader(100, 100, 8, 0, true, nil), 2 * 100 * 100, true},
		{"16-bit grey PNG", pngHeader(100, 100, 16, 0, false, nil), 4 * 100 * 100, true},
		{"paletted PNG", pngHeader(100, 100, 8, 3, false, nil), 3 * 100 * 100, true},
	} {
		cfg, format, err := image.DecodeConfig(bytes.NewReader(c.data))
		if err != nil {
			t.Errorf("%s: DecodeConfig: %v", c.name, err)
			continue
		}
		if got := imageMemory(cfg, format, c.data); got != c.want {
			t.Errorf("%s: imageMemory = %d, want %d", c.name, got, c.want)
		}
		if ok := imageMemory(cfg, format, c.data) <= maxImageMemory; ok != c.decodable {
			t.Errorf("%s: decodable %v, want %v", c.name, ok, c.decodable)
		}
	}
}

// TestReadImage checks that ordinary images are read, in each format.
func TestReadImage(t *testing.T) {
	t.Parallel()
	for _, format := range []string{"png", "jpeg", "gif"} {
		data := encoded(t, digitImage(), format)
		img, err := ReadImage(t.Context(), bytes.NewReader(data))
		if err != nil {
			t.Errorf("%s: %v", format, err)
			continue
		}
		if b := img.Bounds(); b.Dx() != 60 || b.Dy() != 40 {
			t.Errorf("%s: bounds %v, want 60×40", format, b)
		}
		if _, err := Preprocess(img); err != nil {
			t.Errorf("%s: Preprocess: %v", format, err)
		}
	}
	for _, c := range []struct {
		name string
		data []byte
		want error
	}{
		{"text", []byte("a seven"), ErrNotImage},
		{"empty", nil, ErrNotImage},
	} {
		if _, err := ReadImage(t.Context(), bytes.NewReader(c.data)); !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
	}
	truncated := encoded(t, digitImage(), "png")
	if _, err := ReadImage(t.Context(), bytes.NewReader(truncated[:len(truncated)/2])); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("truncated PNG: error %v, want one saying it is damaged", err)
	}
	big := bytes.NewReader(make([]byte, MaxImageBytes+1))
	if _, err := ReadImage(t.Context(), big); err == nil || !strings.Contains(err.Error(), "larger than 64 MiB") {
		t.Errorf("65 MB of zeros: error %v, want one about its size", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := ReadImage(ctx, bytes.NewReader(encoded(t, digitImage(), "png"))); !errors.Is(err, ErrInterrupted) {
		t.Errorf("cancelled: error %v, want ErrInterrupted", err)
	}
}

// FuzzDecodeImage feeds the image reader arbitrary bytes: it must never
// panic, must refuse with an error or return an image within the limits,
// and Preprocess must take whatever it returns.
func FuzzDecodeImage(f *testing.F) {
	f.Add(encoded(f, digitImage(), "png"))
	f.Add(encoded(f, digitImage(), "jpeg"))
	f.Add(encoded(f, digitImage(), "gif"))
	f.Add(encoded(f, image.NewGray16(image.Rect(0, 0, 3, 70)), "png"))
	f.Add(pngHeader(10000, 10000, 16, 6, false, nil))
	f.Add(pngHeader(1, 100_000_000, 8, 0, true, []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01}))
	f.Add(jpegHeader(4000, 3000, true, 0x22, 0x11, 0x11))
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := ReadImage(context.Background(), bytes.NewReader(data))
		if err != nil {
			if err.Error() == "" || img != nil {
				t.Fatalf("error %q with image %v", err, img != nil)
			}
			return
		}
		b := img.Bounds()
		if err := checkImageSize(b.Dx(), b.Dy()); err != nil {
			t.Fatalf("returned an image the limits refuse: %v", err)
		}
		x, err := Preprocess(img)
		if err != nil {
			if !errors.Is(err, ErrNothingDrawn) {
				t.Fatalf("Preprocess: %v", err)
			}
			return
		}
		if len(x) != InputSize {
			t.Fatalf("Preprocess gave %d values", len(x))
		}
		for _, v := range x {
			if !(v >= 0 && v <= 1) {
				t.Fatalf("Preprocess gave %v", v)
			}
		}
	})
}
