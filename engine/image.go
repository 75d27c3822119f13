package engine

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
)

// Limits on an image of a digit, checked from its header before a pixel is
// decoded, so that a small hostile file cannot take the machine's memory: a
// 778 KB PNG can declare 10000×10000 16-bit pixels (800 MB decoded), a
// 194 KB one a 1×100,000,000 sliver. A phone photo of a digit is 12
// megapixels and a few megabytes.
const (
	// MaxImageBytes bounds the file.
	MaxImageBytes = 64 << 20
	// MaxImagePixels bounds width×height.
	MaxImagePixels = 16_000_000
	// MaxImageAspect bounds how many times longer the longer side is than
	// the shorter: Preprocess keeps a buffer per row of the ink's box, and a
	// digit, even a 1, is not a thread.
	MaxImageAspect = 32
	// maxImageMemory bounds what decoding the image and preprocessing it
	// take together, estimated from the header (imageMemory). With the file
	// itself and what the decoder leaves for the garbage collector, the
	// largest image measured peaks at about 250 MB. A 12-megapixel
	// progressive JPEG needs 86 MiB.
	maxImageMemory = 96 << 20
)

// ErrNotImage is returned by ReadImage for a file in none of the formats it
// reads.
var ErrNotImage = errors.New("not an image this program reads: give a PNG, JPEG or GIF")

// ReadImageFile reads the image in the file at path as ReadImage does. The
// file may be a pipe or a FIFO (read to its end; opening never waits for a
// writer), and the read stops with ErrInterrupted when ctx is done.
func ReadImageFile(ctx context.Context, path string) (image.Image, error) {
	f, fi, err := openInput(path)
	if errors.Is(err, errFolder) {
		return nil, errors.New("is a folder, not an image")
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the image: %w", unwrapPathError(err))
	}
	defer f.Close()
	if !fi.Mode().IsRegular() {
		kind := kindOfFile(fi)
		raw, err := readInput(ctx, f, 0, MaxImageBytes, imageTooLarge)
		switch {
		case err != nil:
			return nil, readImageError(err)
		case len(raw) == 0:
			return nil, fmt.Errorf("it is %s, not a file, and nothing was written to it: give an image file, or start what writes to the pipe first", kind)
		}
		img, err := decodeImage(raw)
		if err != nil {
			return nil, fmt.Errorf("%w (the file is %s, read to its end)", err, kind)
		}
		return img, nil
	}
	if fi.Size() > MaxImageBytes {
		return nil, imageTooLarge
	}
	raw, err := readInput(ctx, f, fi.Size(), MaxImageBytes, imageTooLarge)
	if err != nil {
		return nil, readImageError(err)
	}
	return decodeImage(raw)
}

var imageTooLarge = fmt.Errorf("the file is larger than %d MiB: give an image of one digit", MaxImageBytes>>20)

// ReadImage reads and decodes a PNG, JPEG or GIF image of a digit from r,
// at most MaxImageBytes of it. Before decoding it checks, from the header,
// that the image has 1 to MaxImagePixels pixels, is at most MaxImageAspect
// times as long as it is wide, and that decoding and preprocessing it need at
// most about 96 MiB (which depends on its bytes per pixel, on interlacing
// for PNG and on progressive coding for JPEG). It stops with ErrInterrupted
// when ctx is done before r has given everything, even when r blocks.
func ReadImage(ctx context.Context, r io.Reader) (image.Image, error) {
	raw, err := readInput(ctx, r, 0, MaxImageBytes, imageTooLarge)
	if err != nil {
		return nil, readImageError(err)
	}
	return decodeImage(raw)
}

// readImageError explains an error reading an image's bytes.
func readImageError(err error) error {
	if errors.Is(err, ErrInterrupted) || err == imageTooLarge {
		return err
	}
	return fmt.Errorf("cannot read the image: %w", unwrapPathError(err))
}

// decodeImage decodes raw after checking its header against the limits.
func decodeImage(raw []byte) (image.Image, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(raw))
	if err != nil {
		return nil, imageError(err)
	}
	decode := map[string]func(io.Reader) (image.Image, error){"png": png.Decode, "jpeg": jpeg.Decode, "gif": gif.Decode}[format]
	if decode == nil {
		// Another package of the program registered this format: it is not
		// one whose memory is bounded here.
		return nil, ErrNotImage
	}
	if err := checkImageSize(cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	if need := imageMemory(cfg, format, raw); need > maxImageMemory {
		return nil, fmt.Errorf("the image is %d×%d pixels, which would take %d MiB to decode, more than the %d MiB this program allows: scale it down", cfg.Width, cfg.Height, need>>20, maxImageMemory>>20)
	}
	img, err := decode(bytes.NewReader(raw))
	if err != nil {
		return nil, imageError(err)
	}
	return img, nil
}

// checkImageSize checks an image's size against the limits.
func checkImageSize(w, h int) error {
	px := int64(w) * int64(h)
	long, short := max(w, h), min(w, h)
	switch {
	case w < 1 || h < 1:
		return fmt.Errorf("the image is %d×%d pixels: it has no pixels", w, h)
	case px > MaxImagePixels:
		return fmt.Errorf("the image is %d×%d pixels, %.1f megapixels: give one of at most %d megapixels (scale it down)", w, h, float64(px)/1e6, MaxImagePixels/1_000_000)
	case int64(long) > MaxImageAspect*int64(short):
		return fmt.Errorf("the image is %d×%d pixels, %d times as long as it is wide: give an image of one digit, at most %d times as long as wide", w, h, long/short, MaxImageAspect)
	}
	return nil
}

// imageMemory estimates, in bytes, the most that decoding an image with
// header cfg and preprocessing it can allocate: the decoded image, what the
// decoder keeps besides (a PNG's interlaced passes, a progressive JPEG's
// coefficients, 4 bytes a sample), and Preprocess's luminance and alpha
// planes for images it cannot read in place.
func imageMemory(cfg image.Config, format string, raw []byte) int64 {
	px := int64(cfg.Width) * int64(cfg.Height)
	var need int64
	switch format {
	case "png":
		need = px * bytesPerPixel(cfg.ColorModel)
		// Byte 28 of a PNG is its IHDR's interlace method: Adam7 decodes
		// seven passes, as many pixels in all, before it merges them.
		if len(raw) > 28 && raw[28] != 0 {
			need *= 2
		}
	case "jpeg":
		samples, progressive := jpegSamples(raw, cfg.Width, cfg.Height)
		need = samples
		if progressive {
			need += 4 * samples
		}
		if cfg.ColorModel == color.CMYKModel {
			need += 4 * px // the CMYK image is built from the decoded planes
		}
	default: // gif: one byte a pixel, the first frame only
		need = px
	}
	switch cfg.ColorModel {
	case color.GrayModel:
	case color.YCbCrModel:
	default:
		need += 2 * px
	}
	return need
}

// bytesPerPixel is the size of a pixel of a decoded image of colour model
// m.
func bytesPerPixel(m color.Model) int64 {
	switch m {
	case color.GrayModel:
		return 1
	case color.Gray16Model:
		return 2
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 4
}

// jpegSamples returns how many samples a JPEG of w×h pixels decodes into
// and whether it is progressive, from its frame header (SOF). As image/jpeg
// allocates them, each component covers whole MCUs (8×8 blocks times the
// largest sampling factors) subsampled by its own factors. When the frame
// header cannot be found, it assumes the worst: four full components,
// progressive.
func jpegSamples(raw []byte, w, h int) (int64, bool) {
	px := (int64(w) + 32) * (int64(h) + 32)
	for i := 2; i+4 <= len(raw); {
		if raw[i] != 0xff {
			break
		}
		marker := raw[i+1]
		if marker == 0xff { // fill byte
			i++
			continue
		}
		n := int(binary.BigEndian.Uint16(raw[i+2:]))
		seg := raw[i+4 : min(i+2+n, len(raw))]
		switch {
		case marker == 0xda: // start of scan: no frame header before it
			return 4 * px, true
		case marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc:
			if len(seg) < 6 {
				return 4 * px, true
			}
			nc := int(seg[5])
			if nc < 1 || len(seg) < 6+3*nc {
				return 4 * px, true
			}
			var hmax, vmax int64 = 1, 1
			for c := range nc {
				hv := seg[6+3*c+1]
				hmax, vmax = max(hmax, int64(hv>>4)), max(vmax, int64(hv&15))
			}
			mx := (int64(w) + 8*hmax - 1) / (8 * hmax) // MCUs across
			my := (int64(h) + 8*vmax - 1) / (8 * vmax) // and down
			var samples int64
			for c := range nc {
				hv := seg[6+3*c+1]
				samples += mx * my * 64 * max(int64(hv>>4), 1) * max(int64(hv&15), 1)
			}
			return samples, marker == 0xc2 || marker == 0xc6 || marker == 0xca || marker == 0xce
		}
		i += 2 + n
	}
	return 4 * px, true
}

// imageError explains a decoding error.
func imageError(err error) error {
	if errors.Is(err, image.ErrFormat) {
		return ErrNotImage
	}
	return fmt.Errorf("the image is damaged: %v", err)
}
