package engine

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// A model is saved into a temporary file in the target's folder, renamed
// over the target once complete. The temporary file's name has a fixed
// length, so that a target whose name is as long as the file system allows
// (255 bytes) can still be saved, and says which target it belongs to
// through a hash of the target's name:
//
//	.mnist-playground-<16 hex digits: the target's name>-<8 random hex digits>.tmp
//
// A save killed before its rename (SIGKILL, a power cut) leaves such a file
// behind. The next save to the same target removes it, when the process that
// wrote it is gone: each save holds an exclusive lock on its temporary file
// (lockFile), so a file nobody has locked is a leftover, while a save running
// at the same time in another process keeps its file.
const (
	tempPrefix = ".mnist-playground-"
	tempSuffix = ".tmp"
	// maxNameBytes is the longest file name Linux, macOS and Windows file
	// systems take (NAME_MAX).
	maxNameBytes = 255
)

// tempTag is the part of the temporary name that names the target: the
// 64-bit FNV-1a hash of its base name, in hex.
func tempTag(base string) string {
	h := fnv.New64a()
	_, _ = io.WriteString(h, base)
	return tempPrefix + hex.EncodeToString(h.Sum(nil)) + "-"
}

// isOurTemp reports whether name is a temporary file of a save to the
// target called base: one of the names above, or the name earlier versions
// of this program gave them, "." + base + "." + decimal digits + ".tmp"
// (os.CreateTemp's pattern), which is what leftovers of those look like.
func isOurTemp(name, base string) bool {
	if rest, ok := strings.CutPrefix(name, tempTag(base)); ok {
		r, ok := strings.CutSuffix(rest, tempSuffix)
		_, err := hex.DecodeString(r)
		return ok && len(r) == 8 && err == nil
	}
	rest, ok := strings.CutPrefix(name, "."+base+".")
	if !ok {
		return false
	}
	digits, ok := strings.CutSuffix(rest, tempSuffix)
	_, err := strconv.ParseUint(digits, 10, 32)
	return ok && digits != "" && err == nil
}

// createTemp creates and locks a new temporary file for a save to the
// target called base in dir.
func createTemp(dir, base string) (*os.File, error) {
	tag := tempTag(base)
	var b [4]byte
	for range 100 {
		if _, err := rand.Read(b[:]); err != nil {
			return nil, err
		}
		name := filepath.Join(dir, tag+hex.EncodeToString(b[:])+tempSuffix)
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if err := lockFile(f); err != nil {
			_ = f.Close()
			_ = os.Remove(name)
			return nil, err
		}
		return f, nil
	}
	return nil, fmt.Errorf("cannot find a free temporary name in %s", dir)
}

// removeStaleTemps removes the temporary files that saves to the target
// called base in dir left behind, except own, the current save's. A file is
// removed only when its name is one of ours for this target (isOurTemp), it
// is a regular file, no live process holds its lock, and it is empty or
// begins as a zip archive does: a file a person named that way by chance
// stays. Failures are ignored: a leftover costs disk space, not the save.
func removeStaleTemps(dir, base, own string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if name == own || !isOurTemp(name, base) || !e.Type().IsRegular() {
			continue
		}
		path := filepath.Join(dir, name)
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			continue
		}
		if tryLockFile(f) {
			var head [4]byte
			n, _ := io.ReadFull(f, head[:])
			if n == 0 || (n == 4 && bytes.Equal(head[:], []byte("PK\x03\x04"))) {
				_ = os.Remove(path)
			}
		}
		_ = f.Close()
	}
}

// CheckSavePath reports why a model could not be saved at path, before any
// work is spent on it: train calls it before training. It refuses a folder,
// anything that is not a regular file (a FIFO, /dev/null: renaming over it
// would replace it), a name longer than file systems allow, a folder that
// does not exist or is not a folder, and a folder in which no file can be
// created (read-only, not writable, or one such as /proc). The check writes
// and removes a temporary file; it leaves no trace.
func CheckSavePath(path string) error {
	if strings.TrimSpace(path) == "" {
		return errors.New("cannot save the model: give a file name, such as model.npz")
	}
	return CheckWritePath(path, "save the model", "model.npz")
}

// CheckWritePath is CheckSavePath for any file written by a rename over
// path, such as a run log or a chart: its errors say "cannot DOING to
// path", and suggest example as a file name in a folder given instead.
func CheckWritePath(path, doing, example string) error {
	if _, err := checkTarget(path, doing, example); err != nil {
		return err
	}
	f, err := createTemp(filepath.Dir(path), filepath.Base(path))
	if err != nil {
		return folderError(path, doing, err)
	}
	name := f.Name()
	_ = f.Close()
	_ = os.Remove(name)
	return nil
}

// checkTarget checks that path may be replaced by a new file and returns
// the permissions the file should have: those of the file it replaces, or
// readable by everyone for a new one, as os.Create would usually make it.
func checkTarget(path, doing, example string) (fs.FileMode, error) {
	if base := filepath.Base(path); len(base) > maxNameBytes {
		return 0, fmt.Errorf("cannot %s to %.40s…: its name is %d bytes long, and file systems allow at most %d", doing, path, len(base), maxNameBytes)
	}
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.IsDir():
		return 0, fmt.Errorf("cannot %s to %s: it is a folder; give a file name such as %s", doing, path, filepath.Join(path, example))
	case err == nil && !fi.Mode().IsRegular():
		return 0, fmt.Errorf("cannot %s to %s: it is %s, not a regular file; give the name of a file to write", doing, path, kindOfFile(fi))
	case err == nil:
		return fi.Mode().Perm(), nil
	}
	return 0o644, nil
}

// folderError explains why no file could be created in path's folder.
func folderError(path, doing string, err error) error {
	dir := filepath.Dir(path)
	err = unwrapPathError(err)
	fi, serr := os.Stat(dir)
	switch {
	case errors.Is(serr, fs.ErrNotExist):
		return fmt.Errorf("cannot %s to %s: the folder %s does not exist", doing, path, dir)
	case serr == nil && !fi.IsDir():
		return fmt.Errorf("cannot %s to %s: %s is not a folder", doing, path, dir)
	case errors.Is(err, syscall.EROFS):
		return fmt.Errorf("cannot %s to %s: the folder %s is on a read-only file system", doing, path, dir)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("cannot %s to %s: the folder %s may not be written to", doing, path, dir)
	}
	return fmt.Errorf("cannot %s to %s: no file can be created in the folder %s (%v)", doing, path, dir, err)
}
