package settings

import (
	"image"
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
	"github.com/mnistplayground/mnistplayground/internal/textfmt"
	"github.com/mnistplayground/mnistplayground/ui/chart"
	"github.com/mnistplayground/mnistplayground/ui/state"
	"github.com/mnistplayground/mnistplayground/ui/widgets"
)

// LayerRow is one hidden layer in the list: its number, its size and its
// activation, and a button that removes it.
type LayerRow struct {
	Label *widget.Label
	Size  *widgets.Field
	Act   *widgets.Choice
	// Curve is a thumbnail of the activation and its derivative.
	Curve  *widgets.ChartView
	Remove *widget.Button
	row    *fyne.Container
}

// View is the settings panel. Its widgets are fields so that tests can
// drive them.
type View struct {
	kit *widgets.Kit

	Layers   []*LayerRow
	layerBox *fyne.Container
	AddLayer *widget.Button
	Loss     *widgets.Choice
	Init     *widgets.Choice
	Sigma    *widgets.Field
	Opt      *widgets.Choice
	Slider   *widgets.Slider
	LR       *widgets.Field
	// InForce shows the learning rate a live session uses, after its
	// schedule, when that differs from the chosen one.
	InForce  *widget.Label
	Schedule *widgets.Choice
	Factor   *widgets.Field
	Every    *widgets.Field
	schedRow *fyne.Container
	sigmaBox fyne.CanvasObject
	Batch    *widgets.Field
	Epochs   *widgets.Field
	Seed     *widgets.Field
	Summary  *widget.Label
	Problem  *widget.Label
	form     *widgets.FormColumn
	content  fyne.CanvasObject

	// OnNetEdited is called when a setting of the network (a layer, the
	// loss, the initialisation, the seed) has been committed.
	OnNetEdited func()
	// OnEdited is called after any edit, committed or not, so that the
	// window can re-check what may be started.
	OnEdited func()
	// OnLR is called with each new valid learning rate.
	OnLR func(lr float64)

	// The settings as last read: every edit reads them once, and the
	// window asks for them at every snapshot.
	cfg engine.TrainConfig
	err error
	// lrChosen is set when the user has typed or dragged a learning rate
	// since the optimiser last changed: switching the optimiser then keeps
	// it, and otherwise puts in the new optimiser's usual rate.
	lrChosen bool
}

// The slider's ends as powers of ten: the engine's limits.
var (
	lrMinExp = math.Log10(engine.MinLR)
	lrMaxExp = math.Log10(engine.MaxLR)
)

func labels[T any](opts []T, label func(T) string) []string {
	out := make([]string, len(opts))
	for i, o := range opts {
		out[i] = label(o)
	}
	return out
}

// New builds the panel showing cfg.
func New(kit *widgets.Kit, cfg engine.TrainConfig) *View {
	v := &View{kit: kit, form: &widgets.FormColumn{}}
	v.layerBox = container.NewVBox()
	v.AddLayer = kit.Button("Add hidden layer", theme.ContentAddIcon(), v.appendLayer)
	v.Loss = kit.Choice(labels(engine.LossOptions, func(o engine.LossOption) string { return o.Label }), func(int) { v.netEdited() })
	v.Init = kit.Choice(labels(engine.InitOptions, func(o engine.InitOption) string { return o.Label }), func(int) { v.showSigma(); v.netEdited() })
	v.Sigma = v.field(state.ParseSigma, v.netEdited)
	v.Opt = kit.Choice(labels(engine.OptimizerOptions, func(o engine.OptimizerOption) string { return o.Label }), func(int) { v.optPicked() })
	v.Slider = kit.Slider(lrMinExp, lrMaxExp, 0.01, v.sliderMoved)
	// The typed rate moves the slider at every keystroke, but reaches the
	// session only when it is committed: typing 5e-3 passes through 5,
	// which would throw a live run off course.
	v.LR = kit.Field(validator(state.ParseLR), v.lrTyped, v.lrCommitted)
	v.InForce = widgets.Quiet("")
	v.InForce.Hide()
	v.Schedule = kit.Choice(labels(engine.ScheduleOptions, func(o engine.ScheduleOption) string { return o.Label }), func(int) { v.showSchedule(); v.edited() })
	v.Factor = v.field(state.ParseFactor, nil)
	v.Every = v.field(state.ParseEvery, nil)
	v.Batch = v.field(state.ParseBatch, nil)
	v.Epochs = v.field(state.ParseEpochs, nil)
	v.Seed = v.field(state.ParseSeed, v.netEdited)
	v.Summary = widgets.Quiet("")
	v.Problem = widget.NewLabel("")
	v.Problem.Importance = widget.DangerImportance
	v.Problem.Wrapping = fyne.TextWrapWord
	v.Problem.Hidden = true

	v.schedRow = container.NewHBox(layout.NewSpacer(), widget.NewLabel("×"), widgets.Chars(4, v.Factor),
		widget.NewLabel("every"), widgets.Chars(2, v.Every), widget.NewLabel("epochs"))
	v.sigmaBox = widgets.Chars(5, v.Sigma)
	lrTitle := container.NewBorder(nil, nil, nil, widgets.Chars(7, v.LR), widget.NewLabel("Learning rate"))
	lrScale := container.NewBorder(nil, nil, scaleLabel(powerOfTen(lrMinExp)), scaleLabel(powerOfTen(lrMaxExp)), v.Slider)
	sizes := container.NewGridWithColumns(2,
		v.form.Row("Batch", v.Batch),
		container.NewBorder(nil, nil, widget.NewLabel("Epochs"), nil, v.Epochs))

	v.content = container.NewVBox(
		widgets.Heading("Network", v.Summary),
		widgets.Caption("Hidden layers: units, activation"),
		v.layerBox,
		v.AddLayer,
		v.form.Row("Loss", v.Loss),
		v.form.Row("Weights", container.NewBorder(nil, nil, nil, v.sigmaBox, v.Init)),
		v.form.Row("Seed", v.Seed),
		widgets.Heading("Training", nil),
		v.form.Row("Optimiser", v.Opt),
		lrTitle,
		lrScale,
		v.InForce,
		v.form.Row("Schedule", v.Schedule),
		v.schedRow,
		sizes,
		v.Problem,
	)
	v.SetConfig(cfg)
	return v
}

// Content is the panel's widgets.
func (v *View) Content() fyne.CanvasObject { return v.content }

// field makes a field checked by parse that reports its edits and commits
// to commit.
func (v *View) field(parse any, commit func()) *widgets.Field {
	var check fyne.StringValidator
	switch p := parse.(type) {
	case func(string) (int, error):
		check = validator(p)
	case func(string) (float64, error):
		check = validator(p)
	case func(string) (uint64, error):
		check = validator(p)
	}
	return v.kit.Field(check, v.edited, commit)
}

// scaleLabel marks an end of the slider's scale.
func scaleLabel(text string) *widget.Label {
	l := widgets.Quiet(text)
	l.SizeName = theme.SizeNameCaptionText
	return l
}

// powerOfTen writes 10 to an integer power as a person writes it: 10⁻⁷, 100.
func powerOfTen(exp float64) string {
	e := int(math.Round(exp))
	if e >= 0 && e <= 3 {
		return strconv.Itoa(int(math.Pow(10, float64(e))))
	}
	sup := map[rune]rune{'-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹'}
	var b strings.Builder
	b.WriteString("10")
	for _, r := range strconv.Itoa(e) {
		b.WriteRune(sup[r])
	}
	return b.String()
}

// validator adapts a parser to a field's validator.
func validator[T any](parse func(string) (T, error)) fyne.StringValidator {
	return func(s string) error {
		_, err := parse(s)
		return err
	}
}

// SetConfig shows cfg in every control, as the program's change rather than
// the user's.
func (v *View) SetConfig(cfg engine.TrainConfig) {
	v.setNet(state.NetOf(cfg))
	v.Opt.SetIndexQuietly(max(0, slices.IndexFunc(engine.OptimizerOptions, func(o engine.OptimizerOption) bool { return o.Value == cfg.Opt.Kind })))
	v.setLR(cfg.LR)
	v.Schedule.SetIndexQuietly(max(0, slices.IndexFunc(engine.ScheduleOptions, func(o engine.ScheduleOption) bool { return o.Value == cfg.Schedule.Kind })))
	step := engine.DefaultStepDecay
	if cfg.Schedule.Kind == engine.StepDecay {
		step = cfg.Schedule
	}
	v.Factor.SetValue(strconv.FormatFloat(step.Factor, 'g', -1, 64))
	v.Every.SetValue(strconv.Itoa(step.Every))
	v.Batch.SetValue(strconv.Itoa(cfg.Batch))
	v.Epochs.SetValue(strconv.Itoa(cfg.Epochs))
	v.showSchedule()
	v.lrChosen = false
	v.refresh()
}

// SetNet shows n in the network's controls, as the program's change: after
// a model is opened, or to restore the settings of a network the user chose
// to keep.
func (v *View) SetNet(n state.Net) {
	v.setNet(n)
	v.refresh()
}

func (v *View) setNet(n state.Net) {
	for len(v.Layers) > len(n.Hidden) {
		v.dropRow(len(v.Layers) - 1)
	}
	for len(v.Layers) < len(n.Hidden) {
		v.pushRow()
	}
	for i, r := range v.Layers {
		r.Size.SetValue(strconv.Itoa(n.Hidden[i]))
		r.Act.SetQuietly(n.Acts[i].String())
	}
	v.Loss.SetIndexQuietly(max(0, slices.IndexFunc(engine.LossOptions, func(o engine.LossOption) bool { return o.Value == n.Loss })))
	v.Init.SetIndexQuietly(max(0, slices.IndexFunc(engine.InitOptions, func(o engine.InitOption) bool { return o.Value == n.Init.Kind })))
	sigma := engine.DefaultSigma
	if n.Init.Kind == engine.InitNormal {
		sigma = n.Init.Sigma
	}
	v.Sigma.SetValue(strconv.FormatFloat(sigma, 'g', -1, 64))
	v.Seed.SetValue(strconv.FormatUint(n.Seed, 10))
	v.showSigma()
}

// setLR shows a learning rate in the field and on the slider.
func (v *View) setLR(lr float64) {
	v.LR.SetValue(textfmt.LR(lr))
	v.Slider.SetValueQuietly(state.LRExp(lr))
}

// showSigma shows the σ field only for the normal initialisation.
func (v *View) showSigma() {
	if i := v.Init.SelectedIndex(); i >= 0 && engine.InitOptions[i].Value == engine.InitNormal {
		v.sigmaBox.Show()
	} else {
		v.sigmaBox.Hide()
	}
}

// showSchedule shows the factor and period only for step decay.
func (v *View) showSchedule() {
	if i := v.Schedule.SelectedIndex(); i >= 0 && engine.ScheduleOptions[i].Value == engine.StepDecay {
		v.schedRow.Show()
	} else {
		v.schedRow.Hide()
	}
}

// optPicked is a new optimiser chosen from the list: it brings its usual
// learning rate unless the user chose one since the last pick.
func (v *View) optPicked() {
	if i := v.Opt.SelectedIndex(); i >= 0 && !v.lrChosen {
		v.setLR(engine.OptimizerOptions[i].UsualLR)
	}
	v.lrChosen = false
	v.edited()
}

// netEdited is a committed change of the network's settings.
func (v *View) netEdited() {
	v.refresh()
	if v.OnNetEdited != nil {
		v.OnNetEdited()
	}
}

// edited is any change the user made.
func (v *View) edited() {
	v.refresh()
	if v.OnEdited != nil {
		v.OnEdited()
	}
}

// sliderMoved follows the slider into the typed value.
func (v *View) sliderMoved(exp float64) {
	v.lrChosen = true
	lr := state.RoundLR(math.Pow(10, exp))
	v.LR.SetValue(textfmt.LR(lr))
	v.refresh()
	if v.OnLR != nil {
		v.OnLR(lr)
	}
	if v.OnEdited != nil {
		v.OnEdited()
	}
}

// lrTyped follows the typed value onto the slider.
func (v *View) lrTyped() {
	v.lrChosen = true
	if lr, err := state.ParseLR(v.LR.Text); err == nil {
		v.Slider.SetValueQuietly(state.LRExp(lr))
	}
	v.edited()
}

// lrCommitted hands a typed learning rate to the window when the user
// presses Enter or leaves the field.
func (v *View) lrCommitted() {
	if lr, err := state.ParseLR(v.LR.Text); err == nil && v.OnLR != nil {
		v.OnLR(lr)
	}
}

// Update shows what the workspace changes in the panel: the settings a
// running session cannot take are disabled (the learning rate stays
// editable, since a session takes it live), and the learning rate in force
// is shown when the schedule has moved it from the chosen one.
func (v *View) Update(ws *state.Workspace) {
	editable := ws.Buttons(v.Valid()).TrainingEditable
	for _, w := range []fyne.Disableable{v.Opt, v.Schedule, v.Factor, v.Every, v.Batch, v.Epochs} {
		switch {
		case editable && w.Disabled():
			w.Enable()
		case !editable && !w.Disabled():
			// A disabled widget that keeps the focus swallows every key:
			// the keyboard goes back to the window first.
			v.kit.Release()
			w.Disable()
		}
	}
	text := ""
	if s := ws.Last; s != nil && ws.Live() && s.LR != s.BaseLR {
		text = "in force now: " + textfmt.LR(s.LR) + " (" + scheduleWord(s.Config.Schedule) + ")"
	}
	if text == "" {
		v.InForce.Hide()
	} else {
		v.InForce.SetText(text)
		v.InForce.Show()
	}
}

// scheduleWord names what moved the rate.
func scheduleWord(s engine.Schedule) string {
	for _, o := range engine.ScheduleOptions {
		if o.Value == s.Kind {
			return o.Label
		}
	}
	return s.String()
}

// Charts are the thumbnails of the layers' activations.
func (v *View) Charts() []widgets.Spec {
	specs := make([]widgets.Spec, 0, len(v.Layers))
	for _, r := range v.Layers {
		act, err := engine.ParseActivation(r.Act.Selected)
		if err != nil {
			continue
		}
		specs = append(specs, r.Curve.Spec(act, func(w, h int, st chart.Style) (image.Image, error) {
			return chart.Activation(engine.SampleActivation(act, engine.GalleryMin, engine.GalleryMax, 41), true, w, h, st)
		}))
	}
	return specs
}
