package engine

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestSaveModelLongName saves under a name of 250 bytes, legal everywhere:
// the temporary file must not need a longer one, and a name past the limit
// is refused before anything is written.
func TestSaveModelLongName(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	m := testModel(t, MNISTArch([]int{5}, []Activation{ReLU}, CrossEntropy), 4)
	long := filepath.Join(dir, strings.Repeat("m", 246)+".npz")
	if err := CheckSavePath(long); err != nil {
		t.Fatalf("CheckSavePath(250-byte name): %v", err)
	}
	if err := SaveModel(long, m); err != nil {
		t.Fatalf("SaveModel(250-byte name): %v", err)
	}
	if names := dirNames(t, dir); len(names) != 1 || names[0] != filepath.Base(long) {
		t.Errorf("folder holds %q, want only the model", names)
	}
	tooLong := filepath.Join(dir, strings.Repeat("m", 252)+".npz")
	for _, err := range []error{CheckSavePath(tooLong), SaveModel(tooLong, m)} {
		if err == nil || !strings.Contains(err.Error(), "its name is 256 bytes long, and file systems allow at most 255") || strings.Contains(err.Error(), tempPrefix) {
			t.Errorf("256-byte name: error %v, want one about the name's length, naming no temporary file", err)
		}
	}
	if n := len(filepath.Base(createTempName(t, dir, filepath.Base(long)))); n != len(tempTag("x"))+8+len(tempSuffix) {
		t.Errorf("temporary name of %d bytes, want the fixed length", n)
	}
}

// createTempName creates a temporary file as a save would, closes it and
// returns its name.
func createTempName(t *testing.T, dir, base string) string {
	t.Helper()
	f, err := createTemp(dir, base)
	if err != nil {
		t.Fatal(err)
	}
	name := f.Name()
	_ = f.Close()
	return name
}

// TestSaveModelRemovesStaleTemps leaves what a save killed before its
// rename leaves, and files that only look like it, then saves: the leftovers
// of saves to the same target go, everything else stays.
func TestSaveModelRemovesStaleTemps(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "model.npz")
	m := testModel(t, MNISTArch([]int{5}, []Activation{ReLU}, CrossEntropy), 5)
	zip := []byte("PK\x03\x04 the start of a model")
	tag := tempTag("model.npz")
	write := func(name string, data []byte) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	stale := []string{
		tag + "0badf00d.tmp",        // killed while writing
		tag + "00000000.tmp",        // killed right after creating it: empty
		".model.npz.3141592653.tmp", // left by earlier versions
	}
	write(stale[0], zip)
	write(stale[1], nil)
	write(stale[2], zip)
	kept := []string{
		tempTag("other.npz") + "0badf00d.tmp", // another target's
		tag + "notours!.tmp",                  // not a name we make
		tag + "12345678.tmp.bak",
		".model.npz.backup.tmp",
		".model.npz.12.tmp.old",
		tag + "cafef00d.tmp", // ours by name, but not a model: someone's file
		"model.npz.tmp",
	}
	for _, k := range kept[:len(kept)-2] {
		write(k, zip)
	}
	write(kept[len(kept)-2], []byte("notes"))
	write(kept[len(kept)-1], zip)
	// A save running in another process holds its file locked.
	busy := createTempNameOpen(t, dir, "model.npz")
	kept = append(kept, filepath.Base(busy))

	if err := SaveModel(path, m); err != nil {
		t.Fatalf("SaveModel: %v", err)
	}
	want := append([]string{"model.npz"}, kept...)
	slices.Sort(want)
	if got := dirNames(t, dir); !slices.Equal(got, want) {
		t.Errorf("after the save the folder holds\n%q\nwant\n%q", got, want)
	}
}

// createTempNameOpen creates a temporary file as a save would and keeps it
// open, and locked, until the test ends.
func createTempNameOpen(t *testing.T, dir, base string) string {
	t.Helper()
	f, err := createTemp(dir, base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f.Name()
}

// TestCheckSavePath checks the destinations refused before training.
func TestCheckSavePath(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		path, want string
	}{
		{dir, "it is a folder; give a file name such as " + filepath.Join(dir, "model.npz")},
		{filepath.Join(dir, "missing", "m.npz"), "the folder " + filepath.Join(dir, "missing") + " does not exist"},
		{filepath.Join(file, "m.npz"), file + " is not a folder"},
		{"", "give a file name"},
	}
	if _, err := os.Stat("/dev/null"); err == nil {
		cases = append(cases, struct{ path, want string }{"/dev/null", "cannot save the model to /dev/null: it is a character device, not a regular file"})
	}
	if fi, err := os.Stat("/proc/self"); err == nil && fi.IsDir() {
		cases = append(cases, struct{ path, want string }{"/proc/m.npz", "cannot save the model to /proc/m.npz: no file can be created in the folder /proc"})
	}
	for _, c := range cases {
		err := CheckSavePath(c.path)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("CheckSavePath(%q) = %v, want an error mentioning %q", c.path, err, c.want)
		}
	}
	if err := CheckSavePath(filepath.Join(dir, "new.npz")); err != nil {
		t.Errorf("CheckSavePath(new file): %v", err)
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"file"}) {
		t.Errorf("the checks left %q in the folder, want only file", got)
	}
}
