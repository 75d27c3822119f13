package ui

import (
	"slices"

	"fyne.io/fyne/v2"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/drawpad"
	"github.com/mnistplayground/mnistplayground/ui/state"
)

// The preferences the window remembers between launches.
const (
	prefTheme    = "theme"
	prefSettings = "settings"
	prefFolder   = "modelFolder"
	prefRecent   = "recentModels"
	prefPen      = "pen"
	prefWidth    = "windowWidth"
	prefHeight   = "windowHeight"
	prefAxes     = "fixedAxes"
)

// maxRecent is how many recently used model files File > Recent lists.
const maxRecent = 6

// prefs reads and writes the app's preferences; with no app preferences
// (nil) it remembers nothing.
type prefs struct{ p fyne.Preferences }

func (p prefs) string(key string) string {
	if p.p == nil {
		return ""
	}
	return p.p.String(key)
}

func (p prefs) setString(key, v string) {
	if p.p != nil {
		p.p.SetString(key, v)
	}
}

func (p prefs) float(key string) float64 {
	if p.p == nil {
		return 0
	}
	return p.p.Float(key)
}

func (p prefs) setFloat(key string, v float64) {
	if p.p != nil {
		p.p.SetFloat(key, v)
	}
}

// fixedAxes is whether the charts that compare runs span every run shown:
// the remembered choice, else yes.
func (p prefs) fixedAxes() bool {
	if p.p == nil {
		return true
	}
	return p.p.BoolWithFallback(prefAxes, true)
}

func (p prefs) setFixedAxes(on bool) {
	if p.p != nil {
		p.p.SetBool(prefAxes, on)
	}
}

// recent is the list of recently used model files, the newest first.
func (p prefs) recent() []string {
	if p.p == nil {
		return nil
	}
	return p.p.StringList(prefRecent)
}

// used puts path at the top of the recent models.
func (p prefs) used(path string) {
	if p.p == nil || path == "" {
		return
	}
	r := slices.DeleteFunc(p.recent(), func(s string) bool { return s == path })
	r = append([]string{path}, r...)
	p.p.SetStringList(prefRecent, r[:min(len(r), maxRecent)])
}

// config is the remembered settings, if there are valid ones.
func (p prefs) config() (engine.TrainConfig, bool) {
	text := p.string(prefSettings)
	if text == "" {
		return engine.TrainConfig{}, false
	}
	cfg, err := state.DecodeConfig(text)
	if err != nil {
		fyne.LogError("the remembered settings are not usable; the defaults stand", err)
		return engine.TrainConfig{}, false
	}
	return cfg, true
}

// pen is the remembered pen width, or the default.
func (p prefs) pen() float64 {
	if w := p.float(prefPen); w >= drawpad.MinPen && w <= drawpad.MaxPen {
		return w
	}
	return drawpad.DefaultPen
}

// WindowSize is the size the window opens at: the size it had when it was
// last closed, or OpeningSize under the user's scale.
func WindowSize(a fyne.App) fyne.Size {
	p := prefs{a.Preferences()}
	if w, h := p.float(prefWidth), p.float(prefHeight); w >= 320 && h >= 240 {
		return fyne.NewSize(float32(w), float32(h))
	}
	return OpeningSize(a.Settings().Scale())
}
