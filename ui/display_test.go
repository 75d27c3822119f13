package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/state"
)

func TestPresentationModeHidesTheSettingsAndEscLeavesIt(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.p
	h.w.Resize(fyne.NewSize(1366, 768))
	if !p.panels.shown(panelSettings) {
		t.Fatal("the settings are hidden to begin with")
	}
	p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF5})
	if !p.show.presenting || p.panels.shown(panelSettings) || !p.panels.shown(panelTraining) {
		t.Fatalf("presenting %v, settings shown %v, training shown %v", p.show.presenting, p.panels.shown(panelSettings), p.panels.shown(panelTraining))
	}
	if !h.w.FullScreen() {
		t.Error("presentation mode is not full screen")
	}
	th := fyne.CurrentApp().Settings().Theme()
	if got, want := th.Size(theme.SizeNameText), theme.DefaultTheme().Size(theme.SizeNameText)*presentScale; got != want {
		t.Errorf("text size %g while presenting, want %g", got, want)
	}
	if p.bar.text.SizeName != theme.SizeNameHeadingText {
		t.Error("the status line is not large while presenting")
	}
	for _, prob := range layoutProblems(h.w) {
		t.Errorf("presenting: %s", prob)
	}
	p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if p.show.presenting || !p.panels.shown(panelSettings) || h.w.FullScreen() {
		t.Errorf("after Esc: presenting %v, settings shown %v, full screen %v", p.show.presenting, p.panels.shown(panelSettings), h.w.FullScreen())
	}
	p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF11})
	if !h.w.FullScreen() {
		t.Error("F11 did not go full screen")
	}
}

func TestThemeSettingsFolderAndPenAreRemembered(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.p
	p.setTheme(themeLight)
	if got := p.prefs.string(prefTheme); got != themeLight {
		t.Errorf("theme remembered as %q", got)
	}
	if v := fyne.CurrentApp().Settings().Theme().Color(theme.ColorNameBackground, theme.VariantDark); !isLight(v) {
		t.Error("the light theme gives a dark background")
	}
	// A settings edit is remembered, and read back by the next window.
	p.views.settings.Batch.SetText("64")
	cfg, ok := p.prefs.config()
	if !ok || cfg.Batch != 64 {
		t.Fatalf("remembered settings %+v (%v), want batch 64", cfg, ok)
	}
	p.views.draw.Pen.SetValue(0.05)
	if got := p.prefs.pen(); got != 0.05 {
		t.Errorf("pen remembered as %g", got)
	}
	p.remember("/tmp/some/where/net.npz")
	if got := p.prefs.string(prefFolder); got != "/tmp/some/where" {
		t.Errorf("folder remembered as %q", got)
	}
	if got := p.prefs.recent(); len(got) == 0 || got[0] != "/tmp/some/where/net.npz" {
		t.Errorf("recent models %q", got)
	}
	second := New(h.w, Options{do: h.loop.do, logf: func(string, ...any) {}, LoadData: func() (*engine.MNIST, error) { return tinyMNIST(), nil }})
	h.until("the second window's data", func() bool { return second.ws.Data != state.DataLoading })
	done := second.stop()
	h.until("the second window to stop", func() bool {
		select {
		case <-done:
			return true
		default:
			return false
		}
	})
	if got := second.views.settings.Batch.Text; got != "64" {
		t.Errorf("a new window shows batch %q, want the remembered 64", got)
	}
	if got := second.views.draw.Pen.Value; got != 0.05 {
		t.Errorf("a new window's pen is %g, want the remembered 0.05", got)
	}
	h.w.SetContent(p)
}

func TestTheMenuListsEveryViewAndShowsShortcuts(t *testing.T) {
	h := newHarness(t, Options{})
	m := h.p.mainMenu()
	var names []string
	for _, menu := range m.Items {
		names = append(names, menu.Label)
	}
	if want := []string{"File", "Run", "View", "Lessons", "Help"}; !slices.Equal(names, want) {
		t.Fatalf("menus %q, want %q", names, want)
	}
	view := m.Items[2]
	for i, pl := range h.p.panels.list {
		it := view.Items[i]
		if it.Label != pl.name || it.Shortcut == nil {
			t.Errorf("View item %d is %q (shortcut %v), want %q with Ctrl+%d", i, it.Label, it.Shortcut, pl.name, i+1)
		}
	}
	h.p.showKeys()
	if h.p.dialogs.last.title != "Keyboard shortcuts" {
		t.Error("F1's list did not open")
	}
	for _, k := range keyHelp {
		if strings.TrimSpace(k.keys) == "" || strings.TrimSpace(k.does) == "" {
			t.Errorf("an empty line in the keys' list: %+v", k)
		}
	}
}

func TestEveryLessonSetsUpItsRunsAndTrains(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.p
	if len(p.lessons) < 8 {
		t.Fatalf("%d lessons loaded, want the eight built in", len(p.lessons))
	}
	menu := p.lessonsMenu()
	if len(menu.Items) != len(p.lessons) {
		t.Errorf("the Lessons menu has %d items for %d lessons", len(menu.Items), len(p.lessons))
	}
	for _, l := range p.lessons {
		for r, run := range l.Runs {
			p.startLesson(l, r)
			// A trained network asks first; the answer is yes.
			if q := p.dialogs.last.confirm; q != nil && strings.HasPrefix(p.dialogs.last.title, "Discard") {
				p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
			}
			if !strings.HasPrefix(p.dialogs.last.title, l.Title) {
				t.Fatalf("%s run %d: the dialog is %q", l.ID, r+1, p.dialogs.last.title)
			}
			p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
			cfg, err := p.views.settings.Config()
			if err != nil || cfg.Arch.String() != run.Config.Arch.String() || cfg.LR != run.Config.LR || cfg.Batch != run.Config.Batch {
				t.Fatalf("%s run %d: settings %v (%v), want %v", l.ID, r+1, cfg.Arch, err, run.Config.Arch)
			}
			// Its first steps train.
			p.step()
			h.until(l.ID+"'s first step", func() bool { return h.step() >= 1 })
			p.step()
			h.until(l.ID+"'s second step", func() bool { return h.step() >= 2 })
			p.resetNow()
		}
	}
}
