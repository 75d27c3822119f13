package engine

import (
	"errors"
	"fmt"
	"image"
	"math"
)

// The network only knows digits made the way MNIST made them. LeCun, Cortes
// and Burges, "The MNIST database of handwritten digits"
// (http://yann.lecun.com/exdb/mnist/): the NIST digits "were size normalized
// to fit in a 20x20 pixel box while preserving their aspect ratio. The
// resulting images contain grey levels as a result of the anti-aliasing
// technique used by the normalization algorithm. the images were centered in a
// 28x28 image by computing the center of mass of the pixels, and translating
// the image so as to position this point at the center of the 28x28 field."
// Measured on the 10,000 test images, that centre is (14, 14) in pixel-centre
// coordinates (pixel x spans x-0.5..x+0.5): the mean centre of mass is
// (14.008, 13.993), and the longer side of the inked box is 20 pixels in
// 9,997 of them.
const (
	digitSide = 28 // the network's input is digitSide×digitSide
	digitBox  = 20 // the longer side of a digit's ink, in pixels
	// digitCentre is where the centre of mass lands, in edge coordinates
	// (pixel x spans x..x+1): 14 in pixel-centre coordinates.
	digitCentre = 14.5
)

const (
	// preMinContrast is how far, in grey levels of 255, the strongest ink must
	// stand above the paper's own variation to count as a drawing: lower is a
	// blank page, a smudge or sensor noise.
	preMinContrast = 24
	// preInkFraction sets the threshold that decides what is ink for the
	// bounding box: pixels further from the paper than the paper's variation
	// plus 1/preInkFraction of the strongest ink. It keeps a photo's JPEG ringing and the faint rim
	// of a soft brush from widening the box, while the pixels between the
	// paper and the threshold still contribute their grey inside the box.
	preInkFraction = 10
	// preSpreadQuantile picks the paper's variation: 90% of the border's
	// pixels on the paper's side away from the ink are this close to the
	// paper's level.
	preSpreadQuantile = 0.9
	// preFullInkQuantile picks the level that counts as full ink: 90% of the
	// ink pixels are fainter. The cores of strokes then read as 1, the way
	// MNIST's bilevel strokes do, even when a photo's ink is grey.
	preFullInkQuantile = 0.9
)

// ErrNothingDrawn is returned for an image with no ink.
var ErrNothingDrawn = errors.New("nothing drawn: the image has no ink")

// ErrTooSmall is returned for an image whose ink is too small to be a
// digit: a dot, a speck of dust. Blown up into MNIST's 20×20 box, it would be
// a blob the network reads as some digit with confidence. It is also
// ErrNothingDrawn (errors.Is), since there is no digit to read, so code that
// treats an empty pad as blank treats this one so too; code that wants to
// say "too small" tests errors.Is(err, ErrTooSmall) first.
var ErrTooSmall error = &inkError{
	msg:    fmt.Sprintf("too little ink to read: the drawing is under %d pixels across or under %d pixels of ink; draw the digit larger", minInkSide, minInkPixels),
	parent: ErrNothingDrawn,
}

// inkError is an error that is also another, more general one.
type inkError struct {
	msg    string
	parent error
}

func (e *inkError) Error() string { return e.msg }
func (e *inkError) Unwrap() error { return e.parent }

const (
	// minInkSide is the smallest longer side of the ink's bounding box that
	// can be a digit, in pixels of the image: a 1 drawn one pixel wide must
	// be at least this tall.
	minInkSide = 3
	// minInkPixels is the fewest pixels of ink a digit can have.
	minInkPixels = 4
)

// Preprocess turns a picture of one digit into the network's input: 784
// values in 0..1, row-major 28×28, ink high (as MNIST: white digit on black).
//
// The picture may be any image: a canvas drawn light on dark or dark on light,
// a photo of a digit on paper, a PNG with a transparent background
// (transparent pixels are paper). Whichever of the two polarities the paper
// has is detected from the image's border, and the paper's level is
// subtracted, so uneven lighting does not read as ink. The ink is cropped to
// its bounding box, scaled so that the box's longer side is 20 pixels with its
// aspect ratio kept, averaged over each output pixel's area (anti-aliasing),
// and placed so that its centre of mass falls on pixel (14, 14), as in MNIST.
// The strongest output pixel is 1.
//
// It returns ErrNothingDrawn for an image without ink: empty, uniform, or with
// nothing above the noise of its paper; and ErrTooSmall, which is also
// ErrNothingDrawn, for ink too small to be a digit (fewer than 4 pixels, or
// a bounding box under 3 pixels on its longer side). It is safe to call from several
// goroutines at once; img is only read, and must not change during the call.
func Preprocess(img image.Image) ([]float32, error) {
	sc := preprocessPool.Get().(*preprocessScratch)
	defer preprocessPool.Put(sc)

	p, err := sc.luminance(img)
	if err != nil {
		return nil, err
	}
	lv := &sc.levels
	if err := p.inkLevels(&sc.hist, lv); err != nil {
		return nil, err
	}
	x0, y0, x1, y1 := p.inkBox(&lv.inBox, sc.rowMin, sc.rowMax)
	bw, bh := x1-x0, y1-y0
	inked := 0
	for l, c := range sc.hist {
		if lv.inBox[l] {
			inked += c
		}
	}
	if max(bw, bh) < minInkSide || inked < minInkPixels {
		return nil, ErrTooSmall
	}
	cx, cy := p.centreOfMass(x0, y0, bw, bh, &lv.ink)
	// One scale for both axes keeps the aspect ratio: a thin "1" stays thin.
	f := digitBox / float64(max(bw, bh))
	if f > 1 {
		// Enlarging interpolates, and the interpolation fades out half a
		// source pixel beyond the outer pixels: that half pixel on either
		// side belongs in the 20.
		f = digitBox / float64(max(bw, bh)+1)
	}
	// The offsets put the source's centre of mass on the target with
	// sub-pixel accuracy. MNIST shifted by whole pixels (its centres of mass
	// scatter ±0.5 pixel), but centring exactly costs nothing here and a
	// network then sees every drawing in the same place. The pretrained
	// network of chapter 3 of "Deep Learning from Scratch" reads 93.5% of
	// the 10,000 MNIST test digits right; blown up 10× and preprocessed
	// again, 94.0% with sub-pixel centring and 93.5% with whole-pixel
	// shifts; redrawn at random sizes and places (3,000 of them), 92.5%
	// against 91.7%.
	x := make([]float32, InputSize)
	sc.resample(x, p, x0, y0, bw, bh, f, digitCentre-cx*f, digitCentre-cy*f, &lv.ink)

	// Every MNIST test digit has a pixel at 254 or 255: its bilevel strokes
	// are at least a pixel wide once scaled. A thick stroke gives cores of 1 and grey
	// anti-aliased rims here too; a thin pen on a large canvas averages to a
	// faint line, which this stretch brings back to MNIST's contrast instead
	// of letting the network see a ghost.
	var peak float32
	for _, v := range x {
		peak = max(peak, v)
	}
	if peak <= 0 {
		return nil, ErrNothingDrawn
	}
	for i, v := range x {
		x[i] = v / peak // division, not a reciprocal: the peak becomes exactly 1
	}
	return x, nil
}

// InputImage renders a 784-value input as a 28×28 *image.Gray for display
// (ink white on black, as the network sees it). Values outside 0..1 are
// clamped.
func InputImage(x []float32) *image.Gray {
	if len(x) != InputSize {
		panic(fmt.Sprintf("engine: InputImage needs %d values, got %d", InputSize, len(x)))
	}
	g := image.NewGray(image.Rect(0, 0, digitSide, digitSide))
	for i, v := range x {
		g.Pix[i] = uint8(math.Round(float64(min(max(v, 0), 1)) * 255))
	}
	return g
}
