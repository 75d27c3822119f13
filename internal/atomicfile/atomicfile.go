// Package atomicfile writes a file all at once: into a temporary file beside
// it, which is renamed over it only once it is complete, so a failed write
// never leaves half a file and never destroys the one that was there.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Write creates or replaces the file at path with what write writes. A file
// that is replaced keeps its permissions; a new one is readable by everyone,
// as os.Create would usually make it. When write or anything after it fails,
// the temporary file is removed and path is as it was.
func Write(path string, write func(w io.Writer) error) error {
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		if !fi.Mode().IsRegular() {
			if fi.IsDir() {
				return fmt.Errorf("%s is a folder: give a file name", path)
			}
			return fmt.Errorf("%s exists and is not a regular file", path)
		}
		mode = fi.Mode().Perm()
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("the folder %s does not exist", dir)
		}
		return err
	}
	tmp := f.Name()
	bw := bufio.NewWriterSize(f, 64*1024)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Chmod(mode)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp) // the temporary file is ours, and useless now
		return err
	}
	return nil
}
