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
	"github.com/mnistplayground/mnistplayground/ui/chart"
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

// legendRoom is the longest short run name the legend keeps room for: a
// repeated layer of the widest size and activation.
const legendRoom = "sigmoid 1024 ×6"

// currentName names the pad's own network in the legend of a comparison
// until SetCurrentName names it otherwise, as the comparison charts name
// the current run.
const currentName = "current"

// Probabilities shows the network's softmax output as ten horizontal bars
// labelled 0 to 9 with the probability as a percentage. The predicted digit
// (the most probable) is drawn in the theme's primary colour with a larger
// bold label. Text sizes come from the theme's heading sizes so the panel is
// legible on a projector.
//
// Compared with a second network (a kept run), each digit has two bars, the
// current network's above the other's, each in its run's colour, and a
// legend above them names both networks and says what each reads.
type Probabilities struct {
	widget.BaseWidget

	probs     []float32 // Digits values, or nil when there is no prediction
	predicted int       // index of the largest value, -1 when probs is nil
	note      string
	hint      string // shown when probs is nil

	// The second network, when otherName is set: its name in the legend,
	// its colour, and its Digits values (nil until they are known).
	otherName      string
	ownName        string // the pad's own network's name, "" for currentName
	otherColor     color.Color
	other          []float32
	otherPredicted int
}

// NewProbabilities returns the panel in its cleared state, with no bars and a
// hint to draw a digit.
func NewProbabilities() *Probabilities {
	p := &Probabilities{predicted: -1, otherPredicted: -1, hint: hintNoDigit}
	p.ExtendBaseWidget(p)
	return p
}

// Compare shows a second network's bars beside the current one's, named
// name in the legend and drawn in c; an empty name ends the comparison and
// drops its values. SetOther gives the values.
func (p *Probabilities) Compare(name string, c color.Color) {
	if name == p.otherName && c == p.otherColor {
		return
	}
	p.otherName, p.otherColor = name, c
	if name == "" {
		p.other, p.otherPredicted = nil, -1
	}
	p.Refresh()
}

// SetCurrentName names the pad's own network in a comparison's legend, as
// the charts do (a race's current run by its name); "" says "current".
func (p *Probabilities) SetCurrentName(name string) {
	if name != p.ownName {
		p.ownName = name
		p.Refresh()
	}
}

// OwnName is the pad's own network's name in a comparison's legend.
func (p *Probabilities) OwnName() string { return p.ownLabel() }

// ownLabel is the pad's own network's name in the legend.
func (p *Probabilities) ownLabel() string {
	if p.ownName == "" {
		return currentName
	}
	return p.ownName
}

// SetOther shows probs, the second network's output for the same input;
// nil, or anything but Digits finite non-negative values, shows none. The
// slice is copied.
func (p *Probabilities) SetOther(probs []float32) {
	p.other, p.otherPredicted = nil, -1
	if p.otherName != "" && validProbabilities(probs) {
		p.other = slices.Clone(probs)
		p.otherPredicted = engine.Argmax(p.other)
	}
	p.Refresh()
}

// Comparing is the name of the network compared with the current one (""
// for none) and its colour.
func (p *Probabilities) Comparing() (string, color.Color) { return p.otherName, p.otherColor }

// Values are the probabilities the bars show: the current network's and
// the compared one's, nil where there are none.
func (p *Probabilities) Values() (current, other []float32) { return p.probs, p.other }

// Verdicts are what the legend says each network reads, such as
// "reads 3 (97.0%)", "" where there is no answer or no comparison.
func (p *Probabilities) Verdicts() (current, other string) {
	if p.otherName == "" {
		return "", ""
	}
	return verdict(p.probs, p.predicted), verdict(p.other, p.otherPredicted)
}

// verdict says which digit probs reads and how sure it is.
func verdict(probs []float32, d int) string {
	if probs == nil {
		return ""
	}
	return fmt.Sprintf("reads %d (%s)", d, percent(probs[d]))
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
	for i := range r.legend {
		l := &r.legend[i]
		l.swatch = &canvas.Rectangle{}
		l.name = canvas.NewText("", color.Black)
		l.verdict = canvas.NewText("", color.Black)
		l.verdict.Alignment = fyne.TextAlignTrailing
		r.objects = append(r.objects, l.swatch, l.name, l.verdict)
	}
	for i := range r.rows {
		row := &r.rows[i]
		row.label = canvas.NewText(strconv.Itoa(i), color.Black)
		row.label.Alignment = fyne.TextAlignCenter
		row.track = &canvas.Rectangle{}
		row.bar = &canvas.Rectangle{}
		row.percent = canvas.NewText("", color.Black)
		row.percent.Alignment = fyne.TextAlignTrailing
		row.track2 = &canvas.Rectangle{}
		row.bar2 = &canvas.Rectangle{}
		row.percent2 = canvas.NewText("", color.Black)
		row.percent2.Alignment = fyne.TextAlignTrailing
		r.objects = append(r.objects, row.track, row.bar, row.label, row.percent, row.track2, row.bar2, row.percent2)
	}
	r.update()
	return r
}

// percent formats one probability the way the bars label it.
func percent(v float32) string {
	return fmt.Sprintf("%.1f%%", 100*v)
}

func (p *Probabilities) reset(hint string) {
	p.probs, p.other = nil, nil
	p.predicted, p.otherPredicted = -1, -1
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
	// The compared network's bar and percentage, hidden without one.
	percent2     *canvas.Text
	track2, bar2 *canvas.Rectangle
}

// legendLine names one network of a comparison beside its colour, and says
// what it reads.
type legendLine struct {
	swatch        *canvas.Rectangle
	name, verdict *canvas.Text
	full          string // the name before it is cut to the width
}

type probRenderer struct {
	probs   *Probabilities
	note    *widget.Label
	hint    *canvas.Text
	legend  [2]legendLine
	rows    [Digits]probRow
	objects []fyne.CanvasObject

	// Measured from the theme in update, used by Layout and MinSize.
	labelWidth, percentWidth, rowHeight, gap, hintWidth, hintHeight, radius, noteHeight float32
	// The same for a comparison: a line of body text, the row that holds
	// two of them, the legend's least width.
	lineHeight, pairHeight, legendWidth float32
	textSize                            float32
}

func (r *probRenderer) Destroy() {}

func (r *probRenderer) Objects() []fyne.CanvasObject { return r.objects }

// comparing reports whether two networks are shown.
func (r *probRenderer) comparing() bool { return r.probs.otherName != "" }

// legendHeight is the height of the comparison's legend, 0 without one.
func (r *probRenderer) legendHeight() float32 {
	if !r.comparing() {
		return 0
	}
	return 2*r.legendPitch() + 2*r.gap
}

// legendPitch is the distance from one legend line to the next.
func (r *probRenderer) legendPitch() float32 { return r.lineHeight + r.gap/2 }

// hintRoom is the height kept under the bars for the hint. Two networks
// need more height for their bars, and a laptop's screen has little to
// spare: their hint takes the legend's place, which has nothing to say
// before there is an answer.
func (r *probRenderer) hintRoom() float32 {
	if r.comparing() {
		return 0
	}
	return r.hintHeight
}

// pitchHeight is the height of one digit's row.
func (r *probRenderer) pitchHeight() float32 {
	if r.comparing() {
		return r.pairHeight
	}
	return r.rowHeight
}

func (r *probRenderer) MinSize() fyne.Size {
	width := max(r.labelWidth+r.gap+barMinWidth+r.gap+r.percentWidth, r.hintWidth)
	if r.comparing() {
		width = max(width, r.legendWidth)
	}
	// The note's lines are kept even when it is empty, so that setting a
	// note does not change the panel's size under the window's layout.
	height := r.noteHeight + r.legendHeight() + Digits*r.pitchHeight() + (Digits-1)*r.gap + r.hintRoom()
	return fyne.NewSize(width, height)
}

func (r *probRenderer) Layout(size fyne.Size) {
	y := r.noteHeight
	r.note.Move(fyne.NewPos(0, 0))
	r.note.Resize(fyne.NewSize(size.Width, y))
	hintHeight := r.hintRoom()
	r.hint.Move(fyne.NewPos(0, size.Height-hintHeight))
	r.hint.Resize(fyne.NewSize(size.Width, hintHeight))
	two := r.comparing()
	if two {
		r.hint.Move(fyne.NewPos(0, y))
		r.hint.Resize(fyne.NewSize(size.Width, r.legendHeight()))
		r.layoutLegend(y, size.Width)
		y += r.legendHeight()
	}

	// Spare height spreads the rows out; the bars keep their thickness so a
	// tall panel does not turn into a wall of colour.
	rowHeight := r.pitchHeight()
	pitch := max(rowHeight+r.gap, (size.Height-y-hintHeight+r.gap)/Digits)
	barHeight := r.rowHeight * 0.7
	if two {
		barHeight = r.lineHeight * 0.7
	}
	barX := r.labelWidth + r.gap
	barWidth := max(0, size.Width-barX-r.gap-r.percentWidth)
	for i := range r.rows {
		row := &r.rows[i]
		top := y + float32(i)*pitch
		row.label.Move(fyne.NewPos(0, top))
		row.label.Resize(fyne.NewSize(r.labelWidth, rowHeight))
		// One line for one network; two lines, one each, centred in the
		// row, for two.
		lineTop, lineHeight := top, rowHeight
		if two {
			lineTop, lineHeight = top+(rowHeight-2*r.lineHeight)/2, r.lineHeight
		}
		placeBar(row.track, row.bar, r.probs.probs, i, barX, lineTop+(lineHeight-barHeight)/2, barWidth, barHeight, r.radius)
		row.percent.Move(fyne.NewPos(size.Width-r.percentWidth, lineTop))
		row.percent.Resize(fyne.NewSize(r.percentWidth, lineHeight))
		lineTop += lineHeight
		placeBar(row.track2, row.bar2, r.probs.other, i, barX, lineTop+(lineHeight-barHeight)/2, barWidth, barHeight, r.radius)
		row.percent2.Move(fyne.NewPos(size.Width-r.percentWidth, lineTop))
		row.percent2.Resize(fyne.NewSize(r.percentWidth, lineHeight))
	}
}

// placeBar lays out digit i's track and its bar, the length of its share of
// probs (none for nil).
func placeBar(track, bar *canvas.Rectangle, probs []float32, i int, x, y, width, height, radius float32) {
	track.Move(fyne.NewPos(x, y))
	track.Resize(fyne.NewSize(width, height))
	value := float32(0)
	if probs != nil {
		value = min(probs[i], 1)
	}
	bar.Move(fyne.NewPos(x, y))
	bar.Resize(fyne.NewSize(width*value, height))
	// A rounded corner wider than half the bar would bulge past its end,
	// so short bars get smaller corners; under one unit, the painter's
	// edge smoothing would still draw a sliver for 0%, so none is drawn.
	bar.CornerRadius = min(radius, width*value/2)
	bar.Hidden = probs == nil || width*value < 1
}

// layoutLegend places the two legend lines from y down, each a swatch, the
// network's name cut to the room left, and its verdict at the right.
func (r *probRenderer) layoutLegend(y, width float32) {
	side := r.lineHeight * 0.7
	for i := range r.legend {
		l := &r.legend[i]
		// The verdict as it is, so that the name has what it leaves.
		verdictWidth := fyne.MeasureText(l.verdict.Text, r.textSize, l.verdict.TextStyle).Width
		top := y + float32(i)*r.legendPitch()
		l.swatch.Move(fyne.NewPos(r.gap, top+(r.lineHeight-side)/2))
		l.swatch.Resize(fyne.NewSize(side, side))
		x := r.gap + side + r.gap
		l.verdict.Move(fyne.NewPos(width-verdictWidth, top))
		l.verdict.Resize(fyne.NewSize(verdictWidth, r.lineHeight))
		room := max(0, width-verdictWidth-r.gap-x)
		if cut := fitText(l.full, room, r.textSize, l.name.TextStyle); cut != l.name.Text {
			l.name.Text = cut
			l.name.Refresh()
		}
		l.name.Move(fyne.NewPos(x, top))
		l.name.Resize(fyne.NewSize(room, r.lineHeight))
	}
}

// fitText fits a run's name s into width, so that a long name still leaves
// its verdict room: whole, else its first part as the comparison charts'
// crowded legends write it, else cut with an ellipsis.
func fitText(s string, width, size float32, style fyne.TextStyle) string {
	if fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	if short := chart.ShortName(s); fyne.MeasureText(short, size, style).Width <= width {
		return short
	}
	rs := []rune(s)
	for n := len(rs) - 1; n > 0; n-- {
		if t := string(rs[:n]) + "…"; fyne.MeasureText(t, size, style).Width <= width {
			return t
		}
	}
	return ""
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
	// The comparison charts draw the current run in the theme's warning
	// colour (their style's first series) and each kept run in its own.
	mine := th.Color(theme.ColorNameWarning, v)
	radius := th.Size(theme.SizeNameInputRadius)
	r.radius = radius
	textSize := th.Size(theme.SizeNameSubHeadingText)
	bigSize := th.Size(theme.SizeNameHeadingText)
	bodySize := th.Size(theme.SizeNameText)
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
	// Two networks: each digit's percentages at body size, one line each.
	r.textSize = bodySize
	r.lineHeight = fyne.MeasureText("0", bodySize, bold).Height
	r.pairHeight = max(r.rowHeight, 2*r.lineHeight)
	// Room for a run's name in its short form, as long as the shapes of
	// the settings make it, beside the widest verdict.
	r.legendWidth = 3*r.gap + r.lineHeight*0.7 + fyne.MeasureText(legendRoom, bodySize, fyne.TextStyle{}).Width +
		fyne.MeasureText("reads 0 (100.0%)", bodySize, bold).Width

	r.note.SetText(p.note)
	r.note.Hidden = p.note == ""
	r.hint.Text = p.hint
	r.hint.Color = muted
	r.hint.TextSize = textSize
	r.hint.Hidden = p.probs != nil

	two := p.otherName != ""
	curVerdict, otherVerdict := p.Verdicts()
	for i, l := range []struct {
		name, verdict string
		c             color.Color
	}{{p.ownLabel(), curVerdict, mine}, {p.otherName, otherVerdict, p.otherColor}} {
		ll := &r.legend[i]
		ll.full = l.name
		ll.name.Color, ll.name.TextSize = fg, bodySize
		ll.verdict.Text = l.verdict
		ll.verdict.Color, ll.verdict.TextSize, ll.verdict.TextStyle = fg, bodySize, bold
		ll.swatch.FillColor = l.c
		ll.swatch.CornerRadius = radius / 2
		for _, o := range []fyne.CanvasObject{ll.swatch, ll.name, ll.verdict} {
			if two && p.probs != nil {
				o.Show()
			} else {
				o.Hide()
			}
		}
	}

	for i := range r.rows {
		row := &r.rows[i]
		row.label.Color, row.label.TextSize, row.label.TextStyle = fg, textSize, fyne.TextStyle{}
		row.percent.Color, row.percent.TextSize, row.percent.TextStyle = fg, textSize, fyne.TextStyle{}
		row.bar.FillColor = muted
		row.track.FillColor = track
		row.track.CornerRadius = radius
		row.percent.Text = ""
		if p.probs != nil {
			row.percent.Text = percent(p.probs[i])
		}
		row.track2.Hidden, row.percent2.Hidden = !two, !two
		row.percent2.Text = ""
		if !two {
			if i == p.predicted {
				row.label.Color, row.label.TextSize, row.label.TextStyle = primary, bigSize, bold
				row.percent.Color, row.percent.TextStyle = primary, bold
				row.bar.FillColor = primary
			}
			continue
		}
		// Two networks: every bar in its network's colour, each winner's
		// percentage in bold, and the digit large where either wins.
		row.bar.FillColor, row.bar2.FillColor = mine, p.otherColor
		row.percent.TextSize = bodySize
		row.track2.FillColor, row.track2.CornerRadius = track, radius
		row.percent2.Color, row.percent2.TextSize, row.percent2.TextStyle = fg, bodySize, fyne.TextStyle{}
		if p.other != nil {
			row.percent2.Text = percent(p.other[i])
		}
		if i == p.predicted {
			row.percent.TextStyle = bold
		}
		if i == p.otherPredicted {
			row.percent2.TextStyle = bold
		}
		if i == p.predicted || i == p.otherPredicted {
			row.label.TextSize, row.label.TextStyle = bigSize, bold
		}
	}
}
