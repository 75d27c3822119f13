package lessons

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"

	"github.com/mnistplayground/mnistplayground/assets"
)

// Load reads every *.json file at the root of fsys as a lesson, in the
// order of their names (so 01-… comes before 02-…), and returns the
// lessons that are good and a *FileError for each file that is not, which
// is skipped. A lesson whose id an earlier one has is skipped too. Other
// files and folders are ignored.
func Load(fsys fs.FS) ([]Lesson, []error) {
	return load(fsys, func(name string) string { return name })
}

func load(fsys fs.FS, display func(string) string) ([]Lesson, []error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, []error{err}
	}
	slices.Sort(names)
	var (
		out  []Lesson
		errs []error
		seen = map[string]string{}
	)
	for _, name := range names {
		shown := display(name)
		data, err := readLimited(fsys, name)
		if err != nil {
			errs = append(errs, &FileError{File: shown, Err: err})
			continue
		}
		l, err := Parse(shown, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if first, ok := seen[l.ID]; ok {
			errs = append(errs, &FileError{File: shown, Err: fmt.Errorf("id %q is already the id of %s: give each lesson its own", l.ID, first)})
			continue
		}
		seen[l.ID] = shown
		out = append(out, l)
	}
	return out, errs
}

// readLimited reads a file of at most maxFileSize bytes.
func readLimited(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() {
		return nil, errors.New("it is not a regular file")
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("it is larger than %d KB, too large for a lesson", maxFileSize>>10)
	}
	return data, nil
}

// Builtin returns the lessons built into the app, from assets/lessons.
// Their errors are the app's bugs, and a test keeps them at none.
func Builtin() ([]Lesson, []error) {
	return load(assets.Lessons(), func(name string) string { return path.Join("assets/lessons", name) })
}

// LoadDir reads the lessons in the folder dir, as Load does. Messages name
// each file by its path. A folder that does not exist has no lessons and is
// no error, so that a lessons folder is optional.
func LoadDir(dir string) ([]Lesson, []error) {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, []error{fmt.Errorf("cannot read the lessons folder %s: %w", dir, err)}
	case !fi.IsDir():
		return nil, []error{fmt.Errorf("the lessons folder %s is a file, not a folder", dir)}
	}
	return load(os.DirFS(dir), func(name string) string { return filepath.Join(dir, name) })
}

// LoadAll returns the built-in lessons followed by those in the folder dir
// (none when dir is ""). A lesson in dir whose id is a built-in lesson's
// takes its place, so a teacher can change a built-in lesson by copying
// its file into the folder and editing it.
func LoadAll(dir string) ([]Lesson, []error) {
	all, errs := Builtin()
	if dir == "" {
		return all, errs
	}
	extra, xerrs := LoadDir(dir)
	errs = append(errs, xerrs...)
	for _, l := range extra {
		if i := slices.IndexFunc(all, func(b Lesson) bool { return b.ID == l.ID }); i >= 0 {
			all[i] = l
			continue
		}
		all = append(all, l)
	}
	return all, errs
}

// UserDir is the folder the window reads a user's own lessons from:
// mnist-playground/lessons in the user's configuration folder
// (~/.config/mnist-playground/lessons on Linux).
func UserDir() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "mnist-playground", "lessons"), nil
}

// ByID returns the lesson with the id, and whether there is one.
func ByID(ls []Lesson, id string) (Lesson, bool) {
	i := slices.IndexFunc(ls, func(l Lesson) bool { return l.ID == id })
	if i < 0 {
		return Lesson{}, false
	}
	return ls[i], true
}
