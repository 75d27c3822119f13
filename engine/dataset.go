package engine

import (
	"fmt"
	"sync"
)

// Dataset is a set of labelled grayscale images kept as bytes, 0 (paper) to
// 255 (ink), exactly as MNIST stores them. Pixels are scaled to 0..1 only when
// a batch is formed, so the 70,000 MNIST images take 55 MB, not 220.
type Dataset struct {
	Rows, Cols int
	Pixels     []uint8 // Len()·Rows·Cols bytes, image after image, row-major
	Labels     []uint8 // one per image, 0..9

	sparseOnce sync.Once
	sparse     *sparseImages
}

// NewDataset checks that pixels and labels agree and wraps them.
func NewDataset(rows, cols int, pixels, labels []uint8) (*Dataset, error) {
	if rows < 1 || cols < 1 {
		return nil, fmt.Errorf("images of %d×%d pixels are impossible", rows, cols)
	}
	if len(pixels) != len(labels)*rows*cols {
		return nil, fmt.Errorf("%d pixels do not make %d images of %d×%d", len(pixels), len(labels), rows, cols)
	}
	for i, l := range labels {
		if l >= NumClasses {
			return nil, fmt.Errorf("label %d of image %d is not a digit", l, i)
		}
	}
	return &Dataset{Rows: rows, Cols: cols, Pixels: pixels, Labels: labels}, nil
}

// Len returns the number of images.
func (d *Dataset) Len() int { return len(d.Labels) }

// Size returns the number of pixels in one image.
func (d *Dataset) Size() int { return d.Rows * d.Cols }

// Image returns image i's pixels (not a copy).
func (d *Dataset) Image(i int) []uint8 {
	n := d.Size()
	return d.Pixels[i*n : (i+1)*n]
}

// Slice returns images lo..hi-1 as a dataset that shares d's memory.
func (d *Dataset) Slice(lo, hi int) *Dataset {
	n := d.Size()
	return &Dataset{Rows: d.Rows, Cols: d.Cols, Pixels: d.Pixels[lo*n : hi*n], Labels: d.Labels[lo:hi]}
}

// MNIST is the training and test set.
type MNIST struct {
	Train, Test *Dataset
}
