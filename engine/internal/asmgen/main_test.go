package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// committed is the assembly in the repository, relative to this package.
const committed = "../../kernels_amd64.s"

// firstDiff returns the 1-based number of the first line where got and want
// differ, with both lines, or 0 when they are equal.
func firstDiff(got, want []byte) (line int, gotLine, wantLine string) {
	g := strings.Split(string(got), "\n")
	w := strings.Split(string(want), "\n")
	for i := range max(len(g), len(w)) {
		gl, wl := "(end of file)", "(end of file)"
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return i + 1, gl, wl
		}
	}
	return 0, "", ""
}

func TestGenerateMatchesCommitted(t *testing.T) {
	t.Parallel()
	want, err := os.ReadFile(committed)
	if err != nil {
		t.Fatalf("read the committed assembly: %v", err)
	}
	got := generate()
	if line, gl, wl := firstDiff(got, want); line != 0 {
		t.Fatalf("generated assembly differs from %s at line %d:\ngot  %q\nwant %q\nchange the kernels in engine/internal/asmgen, then run go generate ./engine",
			committed, line, gl, wl)
	}
}

func TestFirstDiff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		got, want string
		wantLine  int
	}{
		{"equal", "a\nb\n", "a\nb\n", 0},
		{"changed line", "a\nx\nc\n", "a\nb\nc\n", 2},
		{"got shorter", "a\n", "a\nb\n", 2},
		{"want shorter", "a\nb\nc\n", "a\nb\n", 3},
		{"missing final newline", "a\nb", "a\nb\n", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			line, _, _ := firstDiff([]byte(tt.got), []byte(tt.want))
			if line != tt.wantLine {
				t.Errorf("firstDiff(%q, %q) = line %d, want line %d", tt.got, tt.want, line, tt.wantLine)
			}
		})
	}
}

func TestRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name       string
		args       []string
		wantErr    bool
		wantStdout bool   // the assembly goes to stdout
		wantFile   string // the assembly goes to this file
	}{
		{name: "stdout", args: nil, wantStdout: true},
		{name: "out file", args: []string{"-out", filepath.Join(dir, "k.s")}, wantFile: filepath.Join(dir, "k.s")},
		{name: "stray argument", args: []string{"k.s"}, wantErr: true},
		{name: "unknown flag", args: []string{"-o", "k.s"}, wantErr: true},
		{name: "missing directory", args: []string{"-out", filepath.Join(dir, "none", "k.s")}, wantErr: true},
	}
	want := generate()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			err := run(tt.args, &stdout, &stderr)
			if (err != nil) != tt.wantErr {
				t.Fatalf("run(%q) error = %v, want error %v", tt.args, err, tt.wantErr)
			}
			if got := stdout.Len() > 0; got != tt.wantStdout {
				t.Errorf("run(%q) wrote %d bytes to stdout, want output %v", tt.args, stdout.Len(), tt.wantStdout)
			}
			if tt.wantStdout && !bytes.Equal(stdout.Bytes(), want) {
				t.Errorf("run(%q) stdout differs from generate()", tt.args)
			}
			if tt.wantFile != "" {
				got, err := os.ReadFile(tt.wantFile)
				if err != nil {
					t.Fatalf("read the output: %v", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("run(%q) wrote %d bytes that differ from generate()'s %d", tt.args, len(got), len(want))
				}
			}
		})
	}
}
