//go:build unix

package ui

import (
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// The window shows the engine's refusals of hostile files as it shows any
// bad file: a dialog that says what is wrong, and nothing changed.
func TestHostileFilesAreExplainedAndChangeNothing(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.p
	dir := t.TempDir()
	model := p.ws.Model

	// A FIFO nobody writes to, opened as a model: refused at once, not a
	// window waiting for ever.
	fifo := filepath.Join(dir, "model.npz")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	p.loadModel(fifo)
	h.until("the refusal", func() bool { return p.dialogs.last.title == "Cannot load the model" })
	if msg := p.dialogs.last.message; !strings.Contains(msg, "pipe") || !strings.Contains(msg, "the current network stays") {
		t.Errorf("FIFO: %q", msg)
	}
	t.Logf("FIFO as a model: %s", p.dialogs.last.message)
	p.TypedKey(&fyneEscape)

	// A PNG that declares 10,000×10,000 16-bit RGBA pixels, read as a digit:
	// refused from its header.
	bomb := filepath.Join(dir, "bomb.png")
	ihdr := binary.BigEndian.AppendUint32(nil, 10000)
	ihdr = binary.BigEndian.AppendUint32(ihdr, 10000)
	ihdr = append(ihdr, 16, 6, 0, 0, 0)
	body := append([]byte("IHDR"), ihdr...)
	png := binary.BigEndian.AppendUint32([]byte("\x89PNG\r\n\x1a\n"), uint32(len(ihdr)))
	png = append(png, body...)
	png = binary.BigEndian.AppendUint32(png, crc32.ChecksumIEEE(body))
	if err := os.WriteFile(bomb, png, 0o644); err != nil {
		t.Fatal(err)
	}
	p.readDigit(bomb)
	h.until("the refusal", func() bool { return p.dialogs.last.title == "Cannot read the image" })
	if msg := p.dialogs.last.message; !strings.Contains(msg, "bomb.png") || !strings.Contains(msg, "the pad stays as it was") {
		t.Errorf("image bomb: %q", msg)
	}
	t.Logf("image bomb: %s", p.dialogs.last.message)
	if p.ws.Model != model {
		t.Error("a refused file changed the network")
	}
}
