package textfmt

import (
	"testing"
	"time"
)

func TestFormatting(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ got, want string }{
		{Thousands(0), "0"},
		{Thousands(999), "999"},
		{Thousands(1000), "1,000"},
		{Thousands(1234567), "1,234,567"},
		{Thousands(-52310), "-52,310"},
		{LR(0.1), "0.1"},
		{LR(0.000390625), "0.000391"},
		{Loss(2.30258), "2.3"},
		{Sci(0), "0"},
		{Sci(0.0123), "0.0123"},
		{Sci(4.56e-5), "4.56e-05"},
		{Sci(12345), "1.23e+04"},
		{Elapsed(59 * time.Second), "0:59"},
		{Elapsed(61*time.Second + 400*time.Millisecond), "1:01"},
		{Elapsed(3723 * time.Second), "1:02:03"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
