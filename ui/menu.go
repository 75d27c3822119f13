package ui

import (
	"fmt"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// key is one line of the keyboard overlay: the keys and what they do.
type key struct{ keys, does string }

// keyHelp lists every key of the window, for F1's overlay.
var keyHelp = []key{
	{"Space", "start, pause or resume training (continue a trained network)"},
	{"S or →", "train one mini-batch"},
	{"R or Ctrl+R", "reset: a new, untrained network from the settings"},
	{"C", "clear the pad"},
	{"V", "the next chart view, where views share a column"},
	{"Ctrl+1 … Ctrl+9, Ctrl+0", "settings, training, layers, flow, weights, confusion, activations, draw, inside, runs"},
	{"Ctrl+Shift+A", "race sigmoid against ReLU hidden layers, from the same start"},
	{"Ctrl+Shift+L", "race a learning rate 100 times smaller against one 30 times larger"},
	{"Ctrl+Shift+R", "race the settings against the last run's, from the same start"},
	{"Ctrl+O / Ctrl+S", "open / save a model"},
	{"Ctrl+E", "export a chart as PNG or SVG"},
	{"Ctrl+L", "the loss on a log scale, or back"},
	{"F5 or Ctrl+P", "presentation mode: full screen, large text, no settings; Esc leaves it"},
	{"F11", "full screen, or back"},
	{"F1 or ?", "this list"},
	{"Ctrl+Q", "quit"},
	{"Enter or Esc in a field", "take its value and give the keys back to the window"},
	{"Enter / Esc in a dialog", "answer yes or OK / answer no or cancel"},
}

// shortcut is the platform's Ctrl (or Cmd) with k, as a menu shows it.
func ctrlKey(k fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: ctrl}
}

// ctrlShiftKey is Ctrl+Shift (or Cmd+Shift) with k.
func ctrlShiftKey(k fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: ctrl | fyne.KeyModifierShift}
}

// item is a menu item with a Ctrl shortcut shown beside it (nil for none).
func item(label string, sc fyne.Shortcut, fn func()) *fyne.MenuItem {
	it := fyne.NewMenuItem(label, fn)
	it.Shortcut = sc
	return it
}

// mainMenu is the window's menu bar. Every item's shortcut is shown beside
// it: the Ctrl ones as shortcuts, the single keys in the label, since a
// menu shortcut without a modifier would fire while typing into a field.
func (s *Shell) mainMenu() *fyne.MainMenu {
	recent := fyne.NewMenuItem("Recent models", nil)
	recent.ChildMenu = s.recentMenu()
	file := fyne.NewMenu("File",
		item("Open model…", ctrlKey(fyne.KeyO), s.openModelDialog),
		item("Save model…", ctrlKey(fyne.KeyS), s.saveModelDialog),
		recent,
		fyne.NewMenuItemSeparator(),
		item("Read a digit image…", nil, s.readDigitDialog),
		item("Export chart…", ctrlKey(fyne.KeyE), s.exportChartDialog),
		item("Export run log…", nil, s.exportLogDialog),
		fyne.NewMenuItemSeparator(),
		item("Quit", ctrlKey(fyne.KeyQ), s.closeRequested),
	)
	file.Items[len(file.Items)-1].IsQuit = true
	run := fyne.NewMenu("Run",
		item("Start or pause (Space)", nil, s.start),
		item("Step (S)", nil, s.step),
		item("Reset", ctrlKey(fyne.KeyR), s.reset),
		fyne.NewMenuItemSeparator(),
		item("Race sigmoid against ReLU", ctrlShiftKey(fyne.KeyA), s.raceActivations),
		item("Race a small learning rate against a large one", ctrlShiftKey(fyne.KeyL), s.raceRates),
		item("Race these settings against the last run's", ctrlShiftKey(fyne.KeyR), s.raceLastRun),
	)
	var viewItems []*fyne.MenuItem
	for i, p := range s.panels.list {
		viewItems = append(viewItems, item(p.name, ctrlKey(viewKeys[i]), func() { s.panels.choose(i) }))
	}
	themes := fyne.NewMenuItem("Theme", nil)
	themes.ChildMenu = fyne.NewMenu("",
		item("Light", nil, func() { s.setTheme(themeLight) }),
		item("Dark", nil, func() { s.setTheme(themeDark) }),
		item("As the system", nil, func() { s.setTheme(themeSystem) }),
	)
	axes := item("Fixed axes across runs", nil, nil)
	axes.Checked = s.ws.FixedAxes
	axes.Action = func() { s.setFixedAxes(!s.ws.FixedAxes) }
	s.axesItem = axes
	viewItems = append(viewItems, fyne.NewMenuItemSeparator(),
		item("Presentation mode (F5)", ctrlKey(fyne.KeyP), s.togglePresenting),
		item("Full screen (F11)", nil, s.toggleFullScreen),
		themes,
		item("Loss on a log scale", ctrlKey(fyne.KeyL), s.views.training.ToggleLog),
		axes)
	help := fyne.NewMenu("Help",
		item("Keyboard shortcuts (F1)", nil, s.showKeys),
		item("About", nil, s.showAbout))
	return fyne.NewMainMenu(file, run, fyne.NewMenu("View", viewItems...), s.lessonsMenu(), help)
}

// recentMenu lists the recently used model files.
func (s *Shell) recentMenu() *fyne.Menu {
	var items []*fyne.MenuItem
	for _, path := range s.prefs.recent() {
		items = append(items, fyne.NewMenuItem(filepath.Base(path)+"  ("+filepath.Dir(path)+")", func() { s.loadModel(path) }))
	}
	if len(items) == 0 {
		none := fyne.NewMenuItem("(none yet)", nil)
		none.Disabled = true
		items = append(items, none)
	}
	return fyne.NewMenu("", items...)
}

// showKeys shows every key of the window.
func (s *Shell) showKeys() {
	grid := container.NewGridWithColumns(2)
	for _, k := range keyHelp {
		l := widget.NewLabel(k.keys)
		l.TextStyle = fyne.TextStyle{Bold: true}
		d := widget.NewLabel(k.does)
		d.Wrapping = fyne.TextWrapWord
		grid.Add(l)
		grid.Add(d)
	}
	s.dialogs.last = shownDialog{title: "Keyboard shortcuts"}
	d := dialog.NewCustom("Keyboard shortcuts", "Close", container.NewVScroll(grid), s.win)
	d.Resize(fyne.NewSize(min(s.win.Canvas().Size().Width*0.9, s.dialogWidth()*1.6), s.win.Canvas().Size().Height*0.85))
	s.present(d, d.Hide)
}

// showAbout says what the app is.
func (s *Shell) showAbout() {
	md := fyne.CurrentApp().Metadata()
	name, version := md.Name, md.Version
	if name == "" {
		name = "MNIST Playground"
	}
	s.showMessage("About "+name, fmt.Sprintf("%s %s: build a small neural network, watch it learn MNIST, then draw a digit and see what it thinks. The network, its training and its views follow chapter 3 of \"Deep Learning from Scratch\" and its neighbours.", name, version))
}
