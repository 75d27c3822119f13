// Package textfmt writes the numbers a person reads off the window and the
// command line: counts with thousands separators, learning rates, losses,
// small magnitudes and training times, the same way in both.
package textfmt

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Thousands writes n with commas between groups of three digits: 52,310.
func Thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// LR writes a learning rate the way a person types one: 0.1, 0.000391.
func LR(lr float64) string {
	return strconv.FormatFloat(lr, 'g', 3, 64)
}

// Loss writes a loss with three significant digits.
func Loss(v float64) string {
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// Sci writes a small positive number in a form that shows its order of
// magnitude at a glance: 0.0123, 4.56e-05.
func Sci(v float64) string {
	if v == 0 {
		return "0"
	}
	if a := math.Abs(v); a >= 0.01 && a < 1000 {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	return strconv.FormatFloat(v, 'e', 2, 64)
}

// Elapsed writes a training time as m:ss or h:mm:ss.
func Elapsed(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
