package drawpad

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/engine"
)

var _ fyne.Widget = (*Probabilities)(nil)

// Digits is the number of classes the network chooses between.
const Digits = 10

// Hints shown instead of bars. They say what to do, not just that nothing
// is there.
const (
	hintNoDigit = "Draw a digit on the pad"
	hintInvalid = "No usable prediction"
)

// barMinWidth keeps the bars long enough to compare at a glance; they grow
// with the window.
const barMinWidth = 120

// Probabilities shows the network's softmax output as ten horizontal bars
// labelled 0 to 9 with the probability as a percentage. The predicted digit
// (the most probable) is drawn in the theme's primary colour with a larger
// bold label. Text sizes come from the theme's heading sizes so the panel is
// legible on a projector.
type Probabilities struct {
	widget.BaseWidget

	probs     []float32 // Digits values, or nil when there is no prediction
	predicted int       // index of the largest value, -1 when probs is nil
	note      string
	hint      string // shown when probs is nil
}

// NewProbabilities returns the panel in its cleared state, with no bars and a
// hint to draw a digit.
func NewProbabilities() *Probabilities {
	p := &Probabilities{predicted: -1, hint: hintNoDigit}
	p.ExtendBaseWidget(p)
	return p
}

// Set shows probs, the network's output for one image. Anything but Digits
// finite, non-negative values (a wrong-sized output, a diverged network's
// NaN) clears the bars and says so rather than showing a misleading answer.
// The slice is copied.
func (p *Probabilities) Set(probs []float32) {
	if !validProbabilities(probs) {
		p.reset(hintInvalid)
		return
	}
	p.probs = slices.Clone(probs)
	p.predicted = engine.Argmax(p.probs)
	p.Refresh()
}

// Clear empties the bars and shows the hint to draw a digit.
func (p *Probabilities) Clear() {
	p.reset(hintNoDigit)
}

// ClearSaying removes the bars and says hint instead: why there is no
// answer.
func (p *Probabilities) ClearSaying(hint string) {
	p.reset(hint)
}

// SetNote sets the note above the bars that says where the answers come
// from, such as "untrained network: random guesses" or
// "model: book_sample_weight.npz". It wraps onto a second line, since the
// column beside the pad is narrow. An empty note leaves the lines blank.
func (p *Probabilities) SetNote(note string) {
	if note == p.note {
		return
	}
	p.note = note
	p.Refresh()
}

// Note is the note above the bars.
func (p *Probabilities) Note() string { return p.note }

// Predicted returns the digit with the largest probability, and false when
// no prediction is shown.
func (p *Probabilities) Predicted() (digit int, ok bool) {
	return p.predicted, p.predicted >= 0
}

// MinSize keeps the bars and the percentages readable.
func (p *Probabilities) MinSize() fyne.Size {
	p.ExtendBaseWidget(p)
	return p.BaseWidget.MinSize()
}

// CreateRenderer links the panel to its renderer.
func (p *Probabilities) CreateRenderer() fyne.WidgetRenderer {
	p.ExtendBaseWidget(p)
	r := &probRenderer{
		probs: p,
		note:  widget.NewLabel(""),
		hint:  canvas.NewText("", color.Black),
	}
	r.note.TextStyle = fyne.TextStyle{Italic: true}
	// Wrapped onto the two lines the layout keeps for it. Not truncated as
	// well: Fyne 2.7's rich text panics when it wraps and truncates in a
	// height short of one line, as a theme change can briefly leave it.
	r.note.Wrapping = fyne.TextWrapWord
	r.note.Alignment = fyne.TextAlignCenter
	r.hint.Alignment = fyne.TextAlignCenter
	r.objects = []fyne.CanvasObject{r.note, r.hint}
	for i := range r.rows {
		row := &r.rows[i]
		row.label = canvas.NewText(strconv.Itoa(i), color.Black)
		row.label.Alignment = fyne.TextAlignCenter
		row.track = &canvas.Rectangle{}
		row.bar = &canvas.Rectangle{}
		row.percent = canvas.NewText("", color.Black)
		row.percent.Alignment = fyne.TextAlignTrailing
		r.objects = append(r.objects, row.track, row.bar, row.label, row.percent)
	}
	r.update()
	return r
}

// percent formats one probability the way the bars label it.
func percent(v float32) string {
	return fmt.Sprintf("%.1f%%", 100*v)
}

func (p *Probabilities) reset(hint string) {
	p.probs = nil
	p.predicted = -1
	p.hint = hint
	p.Refresh()
}

func validProbabilities(probs []float32) bool {
	if len(probs) != Digits {
		return false
	}
	for _, v := range probs {
		if v < 0 || math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return false
		}
	}
	return true
}

type probRow struct {
	label, percent *canvas.Text
	track, bar     *canvas.Rectangle
}

type probRenderer struct {
	probs   *Probabilities
	note    *widget.Label
	hint    *canvas.Text
	rows    [Digits]probRow
	objects []fyne.CanvasObject

	// Measured from the theme in update, used by Layout and MinSize.
	labelWidth, percentWidth, rowHeight, gap, hintWidth, hintHeight, radius, noteHeight float32
}

func (r *probRenderer) Destroy() {}

func (r *probRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *probRenderer) MinSize() fyne.Size {
	width := max(r.labelWidth+r.gap+barMinWidth+r.gap+r.percentWidth, r.hintWidth)
	// The note's lines are kept even when it is empty, so that setting a
	// note does not change the panel's size under the window's layout.
	height := r.noteHeight + Digits*r.rowHeight + (Digits-1)*r.gap + r.hintHeight
	return fyne.NewSize(width, height)
}

func (r *probRenderer) Layout(size fyne.Size) {
	y := r.noteHeight
	r.note.Move(fyne.NewPos(0, 0))
	r.note.Resize(fyne.NewSize(size.Width, y))
	hintHeight := r.hintHeight
	r.hint.Move(fyne.NewPos(0, size.Height-hintHeight))
	r.hint.Resize(fyne.NewSize(size.Width, hintHeight))

	// Spare height spreads the rows out; the bars keep their thickness so a
	// tall panel does not turn into a wall of colour.
	pitch := max(r.rowHeight+r.gap, (size.Height-y-hintHeight+r.gap)/Digits)
	barHeight := r.rowHeight * 0.7
	barX := r.labelWidth + r.gap
	barWidth := max(0, size.Width-barX-r.gap-r.percentWidth)
	for i := range r.rows {
		row := &r.rows[i]
		top := y + float32(i)*pitch
		row.label.Move(fyne.NewPos(0, top))
		row.label.Resize(fyne.NewSize(r.labelWidth, r.rowHeight))
		barTop := top + (r.rowHeight-barHeight)/2
		row.track.Move(fyne.NewPos(barX, barTop))
		row.track.Resize(fyne.NewSize(barWidth, barHeight))
		value := float32(0)
		if r.probs.probs != nil {
			value = min(r.probs.probs[i], 1)
		}
		row.bar.Move(fyne.NewPos(barX, barTop))
		row.bar.Resize(fyne.NewSize(barWidth*value, barHeight))
		// A rounded corner wider than half the bar would bulge past its end,
		// so short bars get smaller corners; under one unit, the painter's
		// edge smoothing would still draw a sliver for 0%, so none is drawn.
		row.bar.CornerRadius = min(r.radius, barWidth*value/2)
		row.bar.Hidden = r.probs.probs == nil || barWidth*value < 1
		row.percent.Move(fyne.NewPos(size.Width-r.percentWidth, top))
		row.percent.Resize(fyne.NewSize(r.percentWidth, r.rowHeight))
	}
}

func (r *probRenderer) Refresh() {
	r.update()
	r.Layout(r.probs.Size())
	for _, o := range r.objects {
		o.Refresh()
	}
	canvas.Refresh(r.probs)
}

// update copies the widget's state and the theme into the canvas objects.
func (r *probRenderer) update() {
	p := r.probs
	th := p.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	fg := th.Color(theme.ColorNameForeground, v)
	primary := th.Color(theme.ColorNamePrimary, v)
	muted := th.Color(theme.ColorNamePlaceHolder, v)
	track := th.Color(theme.ColorNameInputBackground, v)
	radius := th.Size(theme.SizeNameInputRadius)
	r.radius = radius
	textSize := th.Size(theme.SizeNameSubHeadingText)
	bigSize := th.Size(theme.SizeNameHeadingText)
	bold := fyne.TextStyle{Bold: true}

	r.gap = th.Size(theme.SizeNamePadding)
	r.labelWidth = fyne.MeasureText("0", bigSize, bold).Width + 2*r.gap
	r.percentWidth = fyne.MeasureText("100.0%", textSize, bold).Width
	r.rowHeight = fyne.MeasureText("0", bigSize, bold).Height
	// Wide enough for either hint whole, so the panel's size does not
	// depend on which one shows.
	noDigit := fyne.MeasureText(hintNoDigit, textSize, fyne.TextStyle{})
	r.hintWidth = max(noDigit.Width, fyne.MeasureText(hintInvalid, textSize, fyne.TextStyle{}).Width)
	r.hintHeight = noDigit.Height + 2*th.Size(theme.SizeNameInnerPadding)
	// Two lines of the note label, padded as a label pads its text.
	line := fyne.MeasureText("Mg", th.Size(theme.SizeNameText), fyne.TextStyle{Italic: true}).Height
	r.noteHeight = 2*line + th.Size(theme.SizeNameLineSpacing) + 2*th.Size(theme.SizeNameInnerPadding)

	r.note.SetText(p.note)
	r.note.Hidden = p.note == ""
	r.hint.Text = p.hint
	r.hint.Color = muted
	r.hint.TextSize = textSize
	r.hint.Hidden = p.probs != nil

	for i := range r.rows {
		row := &r.rows[i]
		top := i == p.predicted
		row.label.Color, row.label.TextSize, row.label.TextStyle = fg, textSize, fyne.TextStyle{}
		row.percent.Color, row.percent.TextSize, row.percent.TextStyle = fg, textSize, fyne.TextStyle{}
		row.bar.FillColor = muted
		if top {
			row.label.Color, row.label.TextSize, row.label.TextStyle = primary, bigSize, bold
			row.percent.Color, row.percent.TextStyle = primary, bold
			row.bar.FillColor = primary
		}
		row.track.FillColor = track
		row.track.CornerRadius = radius
		row.percent.Text = ""
		if p.probs != nil {
			row.percent.Text = percent(p.probs[i])
		}
	}
}
