package ui

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/engine"
)

// The learning-rate slider's range, as powers of ten. Below 1e-5 nothing
// visibly happens in a lecture's few minutes; at 10 every network diverges,
// which is worth showing too.
const (
	lrMinExp = -5
	lrMaxExp = 1
)

// maxEpochs bounds the epochs field: a thousand epochs of a wide network
// is hours of training, and 0 already means "until stopped".
const maxEpochs = 1000

// The options of the select widgets, in menu order.
var (
	lossOptions  = []string{"cross-entropy", "squared error"}
	lossValues   = []engine.Loss{engine.CrossEntropy, engine.MeanSquared}
	initOptions  = []string{"He", "Xavier", "normal σ"}
	initKinds    = []engine.InitKind{engine.InitHe, engine.InitXavier, engine.InitNormal}
	optOptions   = []string{"SGD", "Momentum", "Adam"}
	optNames     = []string{"sgd", "momentum", "adam"}
	schedOptions = []string{"constant", "step decay", "cosine"}
	schedKinds   = []engine.ScheduleKind{engine.Constant, engine.StepDecay, engine.Cosine}
)

// netSettings is what decides a network before it trains: its shape and how
// its weights start. A trained network belongs to one netSettings; changing
// them means a different network.
type netSettings struct {
	Hidden []int
	Acts   []engine.Activation
	Loss   engine.Loss
	Init   engine.Init
	Seed   uint64
}

// arch returns the settings' architecture on MNIST.
func (n netSettings) arch() engine.Architecture {
	return engine.MNISTArch(slices.Clone(n.Hidden), slices.Clone(n.Acts), n.Loss)
}

// equal reports whether two settings describe the same network.
func (n netSettings) equal(o netSettings) bool {
	return slices.Equal(n.Hidden, o.Hidden) && slices.Equal(n.Acts, o.Acts) &&
		n.Loss == o.Loss && n.Init == o.Init && n.Seed == o.Seed
}

// sameShape reports whether two settings give networks of the same
// architecture, whatever their initialisation.
func (n netSettings) sameShape(o netSettings) bool {
	return slices.Equal(n.Hidden, o.Hidden) && slices.Equal(n.Acts, o.Acts) && n.Loss == o.Loss
}

// netFromConfig returns the network part of a configuration.
func netFromConfig(c engine.TrainConfig) netSettings {
	return netSettings{Hidden: slices.Clone(c.Arch.Hidden), Acts: slices.Clone(c.Arch.Acts), Loss: c.Arch.Loss, Init: c.Init, Seed: c.Seed}
}

// layerRow is one hidden layer in the list: its number, its size and its
// activation, and a button that removes it.
type layerRow struct {
	label  *widget.Label
	size   *field
	act    *choice
	remove *widget.Button
	row    *fyne.Container
}

// controls is the settings sidebar: the network's layers, output, loss and
// initialisation, and the training's optimiser, learning rate, schedule,
// batch size, epochs and seed. It knows nothing of sessions; the playground
// listens to its callbacks.
type controls struct {
	layers   []*layerRow
	layerBox *fyne.Container
	addLayer *widget.Button
	loss     *choice
	init     *choice
	sigma    *field
	opt      *choice
	lrSlider *rateSlider
	lr       *field
	schedule *choice
	factor   *field
	every    *field
	schedRow *fyne.Container // the step decay's factor and period
	sigmaBox fyne.CanvasObject
	batch    *field
	epochs   *field
	seed     *field
	summary  *widget.Label
	problem  *widget.Label
	form     *formColumn
	content  fyne.CanvasObject

	// onNetEdited is called when a setting of the network (a layer, the
	// loss, the initialisation, the seed) has been committed.
	onNetEdited func()
	// onChanged is called after any edit, committed or not, so that the
	// window can re-check what may be started.
	onChanged func()
	// onLR is called with each new valid learning rate.
	onLR func(lr float64)
	// onShortcut gets the Ctrl shortcuts typed into a field.
	onShortcut func(fyne.Shortcut) bool
	// onKey gets the single keys typed while a list or the slider has the
	// focus; the focus has been given back to the window.
	onKey func(*fyne.KeyEvent)
	// unfocus gives the keyboard back to the window after a pick from a
	// list or a slider drag, so that Space and the other keys work again.
	unfocus func()

	// syncing is set while the controls are changed by the program, whose
	// changes are not the user's edits.
	syncing bool
	// lrChosen is set when the user has typed or dragged a learning rate
	// since the optimiser last changed: switching the optimiser then keeps
	// it, and otherwise puts in the new optimiser's usual rate.
	lrChosen bool
}

// usualLR is each optimiser's usual learning rate, in optOptions' order:
// plain SGD on MNIST likes 0.1; momentum multiplies its steps by about
// 1/(1-0.9), so a tenth of that; Adam's steps are the rate itself, and
// 0.001 is the default of Kingma and Ba (2015).
var usualLR = []float64{0.1, 0.01, 0.001}

// optPicked is a new optimiser chosen from the list.
func (c *controls) optPicked() {
	if i := c.opt.SelectedIndex(); i >= 0 && !c.lrChosen {
		c.syncing = true
		c.lr.setText(formatLR(usualLR[i]))
		c.lrSlider.SetValue(lrExp(usualLR[i]))
		c.syncing = false
	}
	c.lrChosen = false
	c.edited()
}

// newControls builds the sidebar showing cfg.
func newControls(cfg engine.TrainConfig) *controls {
	c := &controls{form: &formColumn{}}
	c.layerBox = container.NewVBox()
	c.addLayer = widget.NewButtonWithIcon("Add hidden layer", theme.ContentAddIcon(), c.appendLayer)
	c.loss = c.newChoice(lossOptions, func(string) { c.picked(c.netEdited) })
	c.init = c.newChoice(initOptions, func(string) { c.showSigma(); c.picked(c.netEdited) })
	c.sigma = c.newField(validateSigma, c.netEdited)
	c.opt = c.newChoice(optOptions, func(string) { c.picked(c.optPicked) })
	c.lrSlider = newRateSlider(lrMinExp, lrMaxExp)
	c.lrSlider.Step = 0.01
	c.lrSlider.onKey = c.key
	c.lrSlider.OnChanged = c.sliderMoved
	c.lrSlider.OnChangeEnded = func(float64) {
		// SetValue ends a change too: when the typed value moves the
		// slider, the field keeps the keyboard.
		if !c.syncing {
			c.release()
		}
	}
	// The typed rate moves the slider at every keystroke, but reaches the
	// session only when it is committed: typing 5e-3 passes through 5,
	// which would throw a live run off course.
	c.lr = c.newField(validateLR, c.lrCommitted)
	c.lr.OnChanged = func(text string) {
		c.lr.revalidate()
		c.lrTyped(text)
	}
	c.schedule = c.newChoice(schedOptions, func(string) { c.showSchedule(); c.picked(c.edited) })
	c.factor = c.newField(validateFactor, nil)
	c.every = c.newField(validateEvery, nil)
	c.batch = c.newField(validateBatch, nil)
	c.epochs = c.newField(validateEpochs, nil)
	c.seed = c.newField(validateSeed, c.netEdited)
	c.summary = widget.NewLabel("")
	c.summary.Importance = widget.LowImportance
	c.problem = widget.NewLabel("")
	c.problem.Importance = widget.DangerImportance
	c.problem.Wrapping = fyne.TextWrapWord
	c.problem.Hidden = true

	c.schedRow = container.NewHBox(layout.NewSpacer(), widget.NewLabel("×"), fixedWidth(56, c.factor),
		widget.NewLabel("every"), fixedWidth(44, c.every), widget.NewLabel("epochs"))
	c.sigmaBox = fixedWidth(72, c.sigma)
	lrTitle := container.NewBorder(nil, nil, nil, fixedWidth(84, c.lr), widget.NewLabel("Learning rate"))
	lrScale := container.NewBorder(nil, nil, scaleLabel("10⁻⁵"), scaleLabel("10"), c.lrSlider)
	sizes := container.NewGridWithColumns(2,
		c.form.row("Batch", c.batch),
		container.NewBorder(nil, nil, widget.NewLabel("Epochs"), nil, c.epochs))

	c.content = container.NewVBox(
		sectionHeaderWith("Network", c.summary),
		caption("Hidden layers: units, activation"),
		c.layerBox,
		c.addLayer,
		c.form.row("Loss", c.loss),
		c.form.row("Weights", container.NewBorder(nil, nil, nil, c.sigmaBox, c.init)),
		c.form.row("Seed", c.seed),
		sectionHeader("Training"),
		c.form.row("Optimiser", c.opt),
		lrTitle,
		lrScale,
		c.form.row("Schedule", c.schedule),
		c.schedRow,
		sizes,
		c.problem,
	)
	c.setConfig(cfg)
	return c
}

// newField makes a field that reports its edits and commits to commit.
func (c *controls) newField(validate fyne.StringValidator, commit func()) *field {
	f := newField(validate)
	f.OnChanged = func(string) {
		f.revalidate()
		c.edited()
	}
	f.onCommit = commit
	f.onShortcut = func(s fyne.Shortcut) bool { return c.onShortcut != nil && c.onShortcut(s) }
	return f
}

// newChoice makes a list whose keys go to the window.
func (c *controls) newChoice(options []string, changed func(string)) *choice {
	ch := newChoice(options, changed)
	ch.onKey = c.key
	return ch
}

// key hands a single key typed on a list or the slider to the window.
func (c *controls) key(k *fyne.KeyEvent) {
	c.release()
	if c.onKey != nil {
		c.onKey(k)
	}
}

// scaleLabel marks an end of the slider's scale.
func scaleLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Importance = widget.LowImportance
	l.SizeName = theme.SizeNameCaptionText
	return l
}

// caption is a line of quiet explanatory text.
func caption(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Importance = widget.LowImportance
	l.Wrapping = fyne.TextWrapWord
	return l
}

// sectionHeader is a bold heading over a group of settings.
func sectionHeader(title string) fyne.CanvasObject {
	return sectionHeaderWith(title, nil)
}

// sectionHeaderWith is a heading with a note at its right end.
func sectionHeaderWith(title string, note fyne.CanvasObject) fyne.CanvasObject {
	l := widget.NewLabel(title)
	l.TextStyle = fyne.TextStyle{Bold: true}
	l.SizeName = theme.SizeNameSubHeadingText
	var line fyne.CanvasObject = l
	if note != nil {
		line = container.NewBorder(nil, nil, l, container.NewCenter(note))
	}
	return container.NewVBox(line, widget.NewSeparator())
}

// setConfig shows cfg in every control, as the program's change rather
// than the user's.
func (c *controls) setConfig(cfg engine.TrainConfig) {
	c.syncing = true
	defer func() { c.syncing = false }()
	c.setNetLocked(netFromConfig(cfg))
	c.opt.SetSelectedIndex(max(0, slices.Index(optNames, cfg.Opt.Kind.String())))
	c.lr.setText(formatLR(cfg.LR))
	c.lrSlider.SetValue(lrExp(cfg.LR))
	c.schedule.SetSelectedIndex(max(0, slices.Index(schedKinds, cfg.Schedule.Kind)))
	factor, every := 0.5, 2
	if cfg.Schedule.Kind == engine.StepDecay {
		factor, every = cfg.Schedule.Factor, cfg.Schedule.Every
	}
	c.factor.setText(strconv.FormatFloat(factor, 'g', -1, 64))
	c.every.setText(strconv.Itoa(every))
	c.batch.setText(strconv.Itoa(cfg.Batch))
	c.epochs.setText(strconv.Itoa(cfg.Epochs))
	c.showSchedule()
	c.lrChosen = false
	c.refresh()
}

// setNet shows n in the network's controls, as the program's change: after
// a model is loaded, or to restore the settings of a network the user chose
// to keep.
func (c *controls) setNet(n netSettings) {
	c.syncing = true
	defer func() { c.syncing = false }()
	c.setNetLocked(n)
	c.refresh()
}

func (c *controls) setNetLocked(n netSettings) {
	for len(c.layers) > len(n.Hidden) {
		c.dropRow(len(c.layers) - 1)
	}
	for len(c.layers) < len(n.Hidden) {
		c.pushRow()
	}
	for i, r := range c.layers {
		r.size.setText(strconv.Itoa(n.Hidden[i]))
		r.act.SetSelected(n.Acts[i].String())
	}
	c.loss.SetSelectedIndex(max(0, slices.Index(lossValues, n.Loss)))
	c.init.SetSelectedIndex(max(0, slices.Index(initKinds, n.Init.Kind)))
	sigma := 0.01
	if n.Init.Kind == engine.InitNormal {
		sigma = n.Init.Sigma
	}
	c.sigma.setText(strconv.FormatFloat(sigma, 'g', -1, 64))
	c.seed.setText(strconv.FormatUint(n.Seed, 10))
	c.showSigma()
}

// pushRow appends a layer row with the size and activation of the last one
// (or 100 ReLU units), as the program's change.
func (c *controls) pushRow() *layerRow {
	size, act := "100", engine.ReLU.String()
	if n := len(c.layers); n > 0 {
		size, act = c.layers[n-1].size.Text, c.layers[n-1].act.Selected
	}
	r := &layerRow{label: widget.NewLabel("")}
	r.label.Alignment = fyne.TextAlignTrailing
	r.size = c.newField(validateUnits, c.netEdited)
	r.size.setText(size)
	names := make([]string, len(engine.Activations))
	for i, a := range engine.Activations {
		names[i] = a.String()
	}
	r.act = c.newChoice(names, func(string) { c.picked(c.netEdited) })
	r.act.Selected = act
	r.remove = widget.NewButtonWithIcon("", theme.ContentRemoveIcon(), func() { c.removeLayer(r) })
	r.remove.Importance = widget.LowImportance
	r.row = container.NewBorder(nil, nil, container.NewHBox(fixedWidth(28, r.label), fixedWidth(68, r.size)), r.remove, r.act)
	c.layers = append(c.layers, r)
	c.layerBox.Add(r.row)
	c.numberRows()
	return r
}

// dropRow removes layer row i, as the program's change.
func (c *controls) dropRow(i int) {
	c.layerBox.Remove(c.layers[i].row)
	c.layers = slices.Delete(c.layers, i, i+1)
	c.numberRows()
}

// numberRows numbers the layer rows and allows adding only below the limit.
func (c *controls) numberRows() {
	for i, r := range c.layers {
		r.label.SetText(strconv.Itoa(i + 1))
	}
	if len(c.layers) >= engine.MaxHidden {
		c.addLayer.Disable()
	} else {
		c.addLayer.Enable()
	}
}

// appendLayer is the user adding a hidden layer.
func (c *controls) appendLayer() {
	if len(c.layers) >= engine.MaxHidden {
		return
	}
	c.syncing = true
	c.pushRow()
	c.syncing = false
	c.netEdited()
}

// removeLayer is the user removing a hidden layer.
func (c *controls) removeLayer(r *layerRow) {
	i := slices.Index(c.layers, r)
	if i < 0 {
		return
	}
	c.syncing = true
	c.dropRow(i)
	c.syncing = false
	c.netEdited()
}

// showSigma shows the σ field only for the normal initialisation.
func (c *controls) showSigma() {
	if c.init.SelectedIndex() >= 0 && initKinds[c.init.SelectedIndex()] == engine.InitNormal {
		c.sigmaBox.Show()
	} else {
		c.sigmaBox.Hide()
	}
}

// showSchedule shows the factor and period only for step decay.
func (c *controls) showSchedule() {
	if c.schedule.SelectedIndex() >= 0 && schedKinds[c.schedule.SelectedIndex()] == engine.StepDecay {
		c.schedRow.Show()
	} else {
		c.schedRow.Hide()
	}
}

// netEdited is a committed change of the network's settings.
func (c *controls) netEdited() {
	if c.syncing {
		return
	}
	c.refresh()
	if c.onNetEdited != nil {
		c.onNetEdited()
	}
}

// edited is any change the user made.
func (c *controls) edited() {
	if c.syncing {
		return
	}
	c.refresh()
	if c.onChanged != nil {
		c.onChanged()
	}
}

// picked is a choice made in a list: the keyboard goes back to the window,
// then the change is handled.
func (c *controls) picked(then func()) {
	if c.syncing {
		return
	}
	c.release()
	then()
}

// release hands the keyboard back to the window after a pick in a list, a
// drag of the slider, or a window key typed on either. Fields are not
// released at their edits: their user is still typing.
func (c *controls) release() {
	if c.unfocus != nil {
		c.unfocus()
	}
}

// sliderMoved follows the slider into the typed value.
func (c *controls) sliderMoved(exp float64) {
	if c.syncing {
		return
	}
	c.lrChosen = true
	lr := roundLR(math.Pow(10, exp))
	c.syncing = true
	c.lr.setText(formatLR(lr))
	c.syncing = false
	c.refresh()
	if c.onLR != nil {
		c.onLR(lr)
	}
	if c.onChanged != nil {
		c.onChanged()
	}
}

// lrTyped follows the typed value onto the slider.
func (c *controls) lrTyped(text string) {
	if c.syncing {
		return
	}
	c.lrChosen = true
	c.refresh()
	if lr, err := parseLR(text); err == nil {
		c.syncing = true
		c.lrSlider.SetValue(lrExp(lr))
		c.syncing = false
	}
	if c.onChanged != nil {
		c.onChanged()
	}
}

// lrCommitted hands a typed learning rate to the window when the user
// presses Enter or leaves the field.
func (c *controls) lrCommitted() {
	if c.syncing {
		return
	}
	if lr, err := parseLR(c.lr.Text); err == nil && c.onLR != nil {
		c.onLR(lr)
	}
}

// refresh updates the summary line and the list of problems.
func (c *controls) refresh() {
	n, err := c.net()
	if err == nil {
		c.summary.SetText(groupThousands(parameters(n.arch())) + " parameters")
	} else {
		c.summary.SetText("")
	}
	probs := c.problems()
	c.problem.SetText(strings.Join(probs, "\n"))
	c.problem.Hidden = len(probs) == 0
	c.problem.Refresh()
}

// parameters counts a network's weights and biases.
func parameters(a engine.Architecture) int {
	sizes := a.Sizes()
	n := 0
	for i := 1; i < len(sizes); i++ {
		n += sizes[i-1]*sizes[i] + sizes[i]
	}
	return n
}

// describeNet writes "784 → 100 → 10 · 79,510 parameters": the layer
// widths from the input to the output, and how many weights and biases.
func describeNet(a engine.Architecture) string {
	sizes := a.Sizes()
	parts := make([]string, len(sizes))
	for i, s := range sizes {
		parts[i] = strconv.Itoa(s)
	}
	return strings.Join(parts, " → ") + " · " + groupThousands(parameters(a)) + " parameters"
}

// net reads the network's settings.
func (c *controls) net() (netSettings, error) {
	var n netSettings
	var errs []error
	for i, r := range c.layers {
		size, err := parseUnits(r.size.Text)
		if err != nil {
			errs = append(errs, fmt.Errorf("layer %d: %w", i+1, err))
		}
		act, err := engine.ParseActivation(r.act.Selected)
		if err != nil {
			errs = append(errs, fmt.Errorf("layer %d: %w", i+1, err))
		}
		n.Hidden = append(n.Hidden, size)
		n.Acts = append(n.Acts, act)
	}
	if i := c.loss.SelectedIndex(); i >= 0 {
		n.Loss = lossValues[i]
	}
	if i := c.init.SelectedIndex(); i >= 0 {
		n.Init.Kind = initKinds[i]
	}
	if n.Init.Kind == engine.InitNormal {
		sigma, err := parseSigma(c.sigma.Text)
		if err != nil {
			errs = append(errs, fmt.Errorf("weights: %w", err))
		}
		n.Init.Sigma = sigma
	}
	seed, err := parseSeed(c.seed.Text)
	if err != nil {
		errs = append(errs, fmt.Errorf("seed: %w", err))
	}
	n.Seed = seed
	return n, errors.Join(errs...)
}

// config reads every setting into a training configuration.
func (c *controls) config() (engine.TrainConfig, error) {
	n, err := c.net()
	errs := []error{err}
	cfg := engine.DefaultConfig()
	cfg.Arch, cfg.Init, cfg.Seed = n.arch(), n.Init, n.Seed
	if i := c.opt.SelectedIndex(); i >= 0 {
		o, err := engine.ParseOptimizer(optNames[i])
		errs = append(errs, err)
		cfg.Opt = o
	}
	lr, err := parseLR(c.lr.Text)
	if err != nil {
		errs = append(errs, fmt.Errorf("learning rate: %w", err))
	}
	cfg.LR = lr
	cfg.Schedule = engine.Schedule{Kind: engine.Constant}
	if i := c.schedule.SelectedIndex(); i >= 0 {
		cfg.Schedule.Kind = schedKinds[i]
	}
	if cfg.Schedule.Kind == engine.StepDecay {
		f, err := parseFactor(c.factor.Text)
		if err != nil {
			errs = append(errs, fmt.Errorf("schedule: %w", err))
		}
		e, err := parseEvery(c.every.Text)
		if err != nil {
			errs = append(errs, fmt.Errorf("schedule: %w", err))
		}
		cfg.Schedule.Factor, cfg.Schedule.Every = f, e
	}
	b, err := parseBatch(c.batch.Text)
	if err != nil {
		errs = append(errs, fmt.Errorf("batch size: %w", err))
	}
	cfg.Batch = b
	e, err := parseEpochs(c.epochs.Text)
	if err != nil {
		errs = append(errs, fmt.Errorf("epochs: %w", err))
	}
	cfg.Epochs = e
	if err := errors.Join(errs...); err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

// problems lists what stops the settings from being trained, one line each.
func (c *controls) problems() []string {
	_, err := c.config()
	if err == nil {
		return nil
	}
	var lines []string
	for l := range strings.SplitSeq(err.Error(), "\n") {
		if l = strings.TrimSpace(l); l != "" && !slices.Contains(lines, l) {
			lines = append(lines, l)
		}
	}
	return lines
}

// valid reports whether every setting can be trained.
func (c *controls) valid() bool {
	_, err := c.config()
	return err == nil
}

// setTrainingEditable enables or disables the settings a running session
// cannot take: the optimiser, the schedule, the batch size and the epochs.
// The learning rate stays editable, since a session takes it live.
func (c *controls) setTrainingEditable(on bool) {
	for _, w := range []fyne.Disableable{c.opt, c.schedule, c.factor, c.every, c.batch, c.epochs} {
		switch {
		case on && w.Disabled():
			w.Enable()
		case !on && !w.Disabled():
			// A disabled widget that keeps the focus swallows every key:
			// the keyboard goes back to the window first.
			unfocusIfFocused(w)
			w.Disable()
		}
	}
}

// unfocusIfFocused takes the focus away from obj if it has it.
func unfocusIfFocused(obj any) {
	o, ok := obj.(fyne.CanvasObject)
	if !ok {
		return
	}
	if cv := fyne.CurrentApp().Driver().CanvasForObject(o); cv != nil {
		if f, ok := obj.(fyne.Focusable); ok && cv.Focused() == f {
			cv.Unfocus()
		}
	}
}

// The parsers behind the fields, each returning a message that says what
// to type instead.

func parseUnits(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole number of units: use 1 to %d", s, engine.MaxUnits)
	}
	if n < 1 || n > engine.MaxUnits {
		return n, fmt.Errorf("%d units is out of range: use 1 to %d", n, engine.MaxUnits)
	}
	return n, nil
}

func parseLR(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number: type one such as 0.1 or 1e-3", s)
	}
	if !(v >= math.Pow(10, lrMinExp) && v <= math.Pow(10, lrMaxExp)) {
		return v, fmt.Errorf("%g is out of range: use 1e-5 to 10", v)
	}
	return v, nil
}

func parseSigma(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, fmt.Errorf("σ %q is not a number: type one such as 0.01", s)
	}
	if !(v > 0 && v <= 100) {
		return v, fmt.Errorf("σ %g is out of range: use a number above 0 and at most 100", v)
	}
	return v, nil
}

func parseFactor(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, fmt.Errorf("factor %q is not a number: type one such as 0.5", s)
	}
	if !(v > 0 && v <= 1) {
		return v, fmt.Errorf("factor %g is out of range: use a number above 0 and at most 1", v)
	}
	return v, nil
}

func parseEvery(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 {
		return n, fmt.Errorf("%q epochs between decays: use a whole number from 1", s)
	}
	return n, nil
}

func parseBatch(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > engine.MaxBatch {
		return n, fmt.Errorf("%q: use a whole number of images from 1 to %d", s, engine.MaxBatch)
	}
	return n, nil
}

func parseEpochs(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 || n > maxEpochs {
		return n, fmt.Errorf("%q: use a whole number from 1 to %d, or 0 to train until stopped", s, maxEpochs)
	}
	return n, nil
}

func parseSeed(s string) (uint64, error) {
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a seed: use a whole number from 0", s)
	}
	return n, nil
}

// validator adapts a parser to a field's validator.
func validator[T any](parse func(string) (T, error)) fyne.StringValidator {
	return func(s string) error {
		_, err := parse(s)
		return err
	}
}

var (
	validateUnits  = validator(parseUnits)
	validateLR     = validator(parseLR)
	validateSigma  = validator(parseSigma)
	validateFactor = validator(parseFactor)
	validateEvery  = validator(parseEvery)
	validateBatch  = validator(parseBatch)
	validateEpochs = validator(parseEpochs)
	validateSeed   = validator(parseSeed)
)

// lrExp is the slider position of a learning rate.
func lrExp(lr float64) float64 {
	return math.Max(lrMinExp, math.Min(lrMaxExp, math.Log10(lr)))
}

// roundLR keeps two significant digits: the slider's positions are a
// hundredth of a decade apart, so more digits would be noise.
func roundLR(lr float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(lr, 'g', 2, 64), 64)
	return v
}

// formatLR writes a learning rate the way a person types one.
func formatLR(lr float64) string {
	return strconv.FormatFloat(lr, 'g', 3, 64)
}

// formColumn lines up the labels of rows in separate containers: every row
// gives its label the width of the widest label.
type formColumn struct {
	labels []*widget.Label
}

// row returns a row with a label and its content.
func (f *formColumn) row(label string, content fyne.CanvasObject) *fyne.Container {
	l := widget.NewLabel(label)
	f.labels = append(f.labels, l)
	return container.New(&formRow{col: f}, l, content)
}

// width is the widest label's.
func (f *formColumn) width() float32 {
	var w float32
	for _, l := range f.labels {
		if l.Text != "" {
			w = max(w, l.MinSize().Width)
		}
	}
	return w
}

// formRow lays out a label in the column's width and its content in the rest.
type formRow struct {
	col *formColumn
}

// Layout places the label and the content side by side.
func (r *formRow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := r.col.width()
	pad := theme.Padding()
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(w, size.Height))
	objs[1].Move(fyne.NewPos(w+pad, 0))
	objs[1].Resize(fyne.NewSize(max(0, size.Width-w-pad), size.Height))
}

// MinSize is the column's width and the content's.
func (r *formRow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	l, c := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(r.col.width()+theme.Padding()+c.Width, max(l.Height, c.Height))
}

// fixedWidth gives obj a fixed minimum width, as a number field needs: an
// empty entry would otherwise shrink to a sliver.
func fixedWidth(w float32, obj fyne.CanvasObject) fyne.CanvasObject {
	return container.New(&widthLayout{w: w}, obj)
}

type widthLayout struct{ w float32 }

// Layout fills the space with the object.
func (l *widthLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// MinSize is the fixed width and the object's height.
func (l *widthLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.w, h)
}

var (
	_ fyne.Layout = (*formRow)(nil)
	_ fyne.Layout = (*widthLayout)(nil)
)
