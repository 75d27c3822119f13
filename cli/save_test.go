package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrainLongOutName trains into a file whose name is 250 bytes long,
// which every file system allows: the save must not fail on the name of its
// temporary file, and leaves only the model.
func TestTrainLongOutName(t *testing.T) {
	t.Parallel()
	data := tinyMNIST(t)
	dir := t.TempDir()
	out := filepath.Join(dir, strings.Repeat("n", 246)+".npz")
	r := run(t, "train", "--data", data, "--layers", "8", "--epochs", "1", "--out", out)
	if r.code != exitOK {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 1 || es[0].Name() != filepath.Base(out) {
		t.Errorf("the folder holds %v, want only the model", es)
	}
	r = run(t, "eval", "--data", data, "--model", out)
	if r.code != exitOK {
		t.Errorf("eval of the saved model: exit %d:\n%s", r.code, r.stderr)
	}
}

// TestTrainOutRefusedBeforeTraining checks destinations that are refused
// before any training, with a message that names the user's file and says
// what is wrong.
func TestTrainOutRefusedBeforeTraining(t *testing.T) {
	t.Parallel()
	data := tinyMNIST(t)
	dir := t.TempDir()
	cases := []struct{ out, want string }{
		{filepath.Join(dir, strings.Repeat("n", 252)+".npz"), "its name is 256 bytes long, and file systems allow at most 255"},
		{filepath.Join(dir, "missing", "m.npz"), "the folder " + filepath.Join(dir, "missing") + " does not exist"},
	}
	if fi, err := os.Stat("/proc/self"); err == nil && fi.IsDir() {
		cases = append(cases, struct{ out, want string }{"/proc/m.npz", "cannot save the model to /proc/m.npz: no file can be created in the folder /proc"})
	}
	for _, c := range cases {
		r := run(t, "train", "--data", data, "--out", c.out)
		if got := lines(r.stderr); r.code != exitFailed || len(got) != 1 || !strings.Contains(got[0], c.want) || strings.Contains(got[0], ".tmp") {
			t.Errorf("--out %s: exit %d, stderr %q; want exit 1 and one line containing %q (and no temporary name)", c.out, r.code, r.stderr, c.want)
		}
		if strings.Contains(r.stderr, "does not exist") && !strings.Contains(c.want, "does not exist") {
			t.Errorf("--out %s: %q says a folder that exists does not", c.out, r.stderr)
		}
	}
}
