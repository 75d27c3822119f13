package drawpad

import (
	"errors"
	"fmt"
	"image"
	"math"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/chart"
	"github.com/mnistplayground/mnistplayground/ui/state"
	"github.com/mnistplayground/mnistplayground/ui/widgets"
)

// hintTooSmall is what the pad says of a dot or a scratch: a digit needs
// more ink than that to be read at all.
const hintTooSmall = "Too little ink to read: draw the digit larger"

// Job asks the network for its answer on the drawing, or on an input
// given as it is (a test image).
type Job struct {
	img   image.Image // the pad's drawing; nil when it is blank
	x     []float32   // an input to read as it is, instead of img
	model *engine.Model
	// other is a second network to read the same input, nil for none.
	other *engine.Model
	// scale multiplies the output scores before the softmax in the
	// explanation, to show the naive softmax overflow.
	scale float64
	gen   uint64
}

// Prediction is the answer: the network's input as it sees it, its ten
// probabilities and the explanation of how it came to them, or nothing when
// there is no drawing or no network.
type Prediction struct {
	// tooSmall is set when the drawing has too little ink to read.
	tooSmall bool
	input    *image.Gray
	probs    []float32
	explain  *engine.Explanation
	// other are the second network's probabilities, nil without one.
	other []float32
	gen   uint64
}

// Predictor turns drawings into Predictions on its own goroutine. Only
// that goroutine touches it: it keeps the last drawing's preprocessed input,
// since during training the drawing stays while the model changes with every
// snapshot.
type Predictor struct {
	lastImg image.Image
	lastX   []float32
	// The second network's latest answer, and what it answered: a
	// snapshot brings the pad's network anew, but the compared run's stays.
	other      *engine.Model
	otherX     []float32
	otherProbs []float32
}

// Predict preprocesses the drawing (as MNIST was made: cropped, scaled into
// 20×20, centred by mass in 28×28) and runs the network on it.
func (pr *Predictor) Predict(job Job) Prediction {
	out := Prediction{gen: job.gen}
	if job.img == nil && job.x == nil {
		return out
	}
	x := pr.lastX
	if job.x != nil {
		x = job.x
	} else if job.img != pr.lastImg {
		var err error
		x, err = engine.Preprocess(job.img)
		if err != nil {
			out.tooSmall = errors.Is(err, engine.ErrTooSmall)
			if !errors.Is(err, engine.ErrNothingDrawn) {
				fyne.LogError("preprocessing the drawing", err)
			}
			x = nil
		}
		pr.lastImg, pr.lastX = job.img, x
	}
	if x == nil {
		return out
	}
	out.input = engine.InputImage(x)
	if job.model != nil {
		e := job.model.Explain(x, max(job.scale, 1))
		out.probs, out.explain = e.Probabilities, &e
	}
	if job.other != nil {
		if job.other != pr.other || len(pr.otherX) == 0 || &pr.otherX[0] != &x[0] {
			pr.other, pr.otherX, pr.otherProbs = job.other, x, job.other.Predict(x)
		}
		out.other = pr.otherProbs
	}
	return out
}

// compareNone is the choice of no second network.
const compareNone = "none"

// View is the "draw a digit" column: the pad, the 28×28 input the
// network gets, and its ten probabilities with the winner highlighted;
// beside them, if chosen, the probabilities of a kept run's network on the
// same input.
type View struct {
	Pad     *Pad
	Preview *Preview
	Probs   *Probabilities
	Clear   *widget.Button
	// Pen sets the pen's width: thin for a small digit in a corner.
	Pen *widgets.Slider
	// Compare chooses a kept run whose network reads the drawing too:
	// none, or one of the kept runs in their order.
	Compare *widgets.Choice
	content fyne.CanvasObject

	kept []state.KeptRun // the workspace's kept runs, as last updated
	// against is the ID of the kept run compared with, 0 for none: a run is
	// known by its ID, since a name may change, runs shift when an older one
	// goes, and a racing run's snapshot moves on as it trains.
	against int

	img     image.Image // the current drawing, nil when blank
	input   []float32   // a test image put on the pad's input, nil for none
	about   string      // what that test image is
	scale   float64     // what the explanation multiplies the scores by
	model   *engine.Model
	note    string // where the answers come from
	shown   Prediction
	gen     uint64
	request func(Job)
	// OnDraw is called when the user draws, so that the window can take the
	// keyboard back from a field.
	OnDraw func()
	// OnShown is called with every answer shown, for the views that explain
	// it.
	OnShown func(Prediction)
	// OnPen is called with a new pen width, to remember it.
	OnPen func(float64)
}

// NewView builds the view; request hands a job to the predictor.
func NewView(kit *widgets.Kit, request func(Job)) *View {
	d := &View{
		Pad:     NewPad(),
		Preview: NewPreview(),
		Probs:   NewProbabilities(),
		request: request,
	}
	d.Pad.OnChanged = d.drawn
	d.Clear = kit.Button("Clear (C)", theme.ContentClearIcon(), d.Pad.Clear)
	d.Pen = kit.Slider(MinPen, MaxPen, 0.01, func(w float64) {
		d.Pad.SetPen(w)
		if d.OnPen != nil {
			d.OnPen(w)
		}
	})
	d.Pen.SetValueQuietly(DefaultPen)
	d.Compare = kit.Choice([]string{compareNone}, func(i int) { d.CompareWith(i - 1) })
	d.Compare.PlaceHolder = compareNone
	d.Compare.SetIndexQuietly(0)
	title := widgets.Title("Draw a digit")
	pen := container.NewBorder(nil, nil, widget.NewLabel("Pen"), nil, d.Pen)
	compare := container.NewBorder(nil, nil, widget.NewLabel("Compare with"), nil, d.Compare)
	tools := container.NewVBox(container.NewGridWithColumns(2, d.Clear, pen), compare)
	left := container.New(&padColumn{}, d.Pad, tools, d.Preview)
	d.content = container.NewBorder(container.NewVBox(title, widget.NewSeparator()), nil, nil, nil,
		container.New(&besidePad{}, left, d.Probs))
	return d
}

// drawn is the pad's OnChanged.
func (d *View) drawn(img image.Image) {
	if d.Pad.Empty() {
		img = nil
	} else if d.OnDraw != nil {
		d.OnDraw()
	}
	d.img, d.input = img, nil
	d.ask()
}

// SetInput puts an input of 784 values in 0..1 (a test image) where the
// drawing's would go: the network reads it as it is, and the note says
// what it is, until the next stroke or Clear.
func (d *View) SetInput(x []float32, note string) {
	d.Pad.Clear()
	d.img, d.input, d.about = nil, x, note
	d.Probs.SetNote(note)
	d.ask()
}

// SetPen sets the pen's width, as the program's change (a remembered
// preference).
func (d *View) SetPen(width float64) {
	d.Pen.SetValueQuietly(width)
	d.Pad.SetPen(width)
}

// SetScale sets what the explanation multiplies the output scores by.
func (d *View) SetScale(scale float64) {
	if scale == d.scale {
		return
	}
	d.scale = scale
	if d.img != nil || d.input != nil {
		d.ask()
	}
}

// SetModel changes the network that answers and the note that says which
// one it is.
func (d *View) SetModel(m *engine.Model, note string) {
	d.note = note
	if d.input != nil {
		d.Probs.SetNote(d.about)
	} else {
		d.Probs.SetNote(note)
	}
	if m == d.model {
		return
	}
	d.model = m
	if d.img != nil || d.input != nil {
		d.ask()
	}
}

// ask hands the drawing and the model to the predictor. A blank pad is
// cleared at once; there is nothing to compute.
func (d *View) ask() {
	d.gen++
	if d.img == nil && d.input == nil {
		d.shown = Prediction{gen: d.gen}
		d.Preview.Clear()
		d.Probs.Clear()
		if d.OnShown != nil {
			d.OnShown(d.shown)
		}
		return
	}
	d.request(Job{img: d.img, x: d.input, model: d.model, other: d.otherModel(), scale: d.scale, gen: d.gen})
}

// Show displays a Prediction, unless a newer one has been asked for since.
func (d *View) Show(p Prediction) {
	if p.gen != d.gen {
		return
	}
	d.shown = p
	if d.OnShown != nil {
		d.OnShown(p)
	}
	if p.input == nil {
		d.Preview.Clear()
		if p.tooSmall {
			d.Probs.ClearSaying(hintTooSmall)
		} else {
			d.Probs.Clear()
		}
		return
	}
	d.Preview.Set(p.input)
	if p.probs == nil {
		d.Probs.Clear()
		return
	}
	d.Probs.Set(p.probs)
	d.Probs.SetOther(p.other)
}

// CompareWith compares the current network with kept run i's, as the
// workspace last listed them; an index out of range compares with none.
func (d *View) CompareWith(i int) {
	id := 0
	if i >= 0 && i < len(d.kept) {
		id = d.kept[i].ID
	}
	d.compare(id)
}

// compare makes the network of the kept run of ID id the second one to
// read the drawing, 0 for none, and asks both for their answers.
func (d *View) compare(id int) {
	before := d.otherModel()
	d.against = id
	d.follow()
	if d.otherModel() != before {
		d.again()
	}
}

// follow brings the choice up to date with the kept runs: their names,
// and the compared run's name and colour, or none when it is no longer
// kept (dropped to make room, or a new workspace).
func (d *View) follow() {
	at := -1
	options := []string{compareNone}
	for i, k := range d.kept {
		// Two runs may share a name; the list tells them apart, since a
		// pick is known by its text.
		name := k.Name
		for n := 2; slices.Contains(options, name); n++ {
			name = fmt.Sprintf("%s (%d)", k.Name, n)
		}
		options = append(options, name)
		if k.ID == d.against {
			at = i
		}
	}
	if at < 0 {
		d.against = 0
	}
	if !slices.Equal(options, d.Compare.Options) {
		d.Compare.Options = options
		d.Compare.Refresh()
	}
	if d.Compare.SelectedIndex() != at+1 {
		d.Compare.SetIndexQuietly(at + 1)
	}
	if at < 0 {
		d.Probs.Compare("", nil)
		return
	}
	// The colour the comparison charts draw this kept run in.
	d.Probs.Compare(d.kept[at].Name, chart.RunColor(d.kept[at].ID))
}

// otherModel is the compared run's network, nil for none. A racing run's
// changes as it trains, and the pad asks it again.
func (d *View) otherModel() *engine.Model {
	if i := slices.IndexFunc(d.kept, func(k state.KeptRun) bool { return k.ID == d.against }); d.against != 0 && i >= 0 {
		return d.kept[i].Final.Model
	}
	return nil
}

// again drops the second network's answer on show, which is no longer the
// chosen network's, and asks for both answers anew.
func (d *View) again() {
	d.shown.other = nil
	d.Probs.SetOther(nil)
	if d.img != nil || d.input != nil {
		d.ask()
	}
}

// padColumn stacks the pad, the Clear button and the preview: the pad as
// large a square as the width allows, the button under it, and the preview
// taking what height is left, so that the pixels the network sees grow on a
// tall screen.
type padColumn struct{}

// Layout places the three objects.
func (padColumn) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	btn, pv := objs[1].MinSize(), objs[2].MinSize()
	side := max(0, min(size.Width, size.Height-pv.Height-btn.Height-2*pad))
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, side))
	objs[1].Move(fyne.NewPos(0, side+pad))
	objs[1].Resize(fyne.NewSize(size.Width, btn.Height))
	y := side + btn.Height + 2*pad
	objs[2].Move(fyne.NewPos(0, y))
	objs[2].Resize(fyne.NewSize(size.Width, max(0, size.Height-y)))
}

// MinSize keeps the pad's, the button's and the preview's minimums.
func (padColumn) MinSize(objs []fyne.CanvasObject) fyne.Size {
	a, b, c := objs[0].MinSize(), objs[1].MinSize(), objs[2].MinSize()
	return fyne.NewSize(max(a.Width, b.Width, c.Width), a.Height+b.Height+c.Height+2*theme.Padding())
}

// besidePad places the pad's column and the probabilities side by side.
// The probabilities take probsPart of a wide column, so that their bars stay
// long enough to compare on a large screen, and their minimum in a narrow
// one, where the pad needs the width more.
type besidePad struct{}

// probsPart is the share of the drawing column the probabilities take when
// that is more than their minimum.
const probsPart = 0.36

// Layout places the pad's column left and the probabilities right.
func (besidePad) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	left, right := objs[0].MinSize(), objs[1].MinSize()
	w := max(right.Width, float32(math.Round(float64(size.Width*probsPart))))
	w = min(w, max(right.Width, size.Width-left.Width-pad))
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(max(0, size.Width-w-pad), size.Height))
	objs[1].Move(fyne.NewPos(size.Width-w, 0))
	objs[1].Resize(fyne.NewSize(w, size.Height))
}

// MinSize puts the two minimums side by side.
func (besidePad) MinSize(objs []fyne.CanvasObject) fyne.Size {
	a, b := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(a.Width+theme.Padding()+b.Width, max(a.Height, b.Height))
}

// Content is the view's widgets.
func (d *View) Content() fyne.CanvasObject { return d.content }

// Update answers with the workspace's network, and follows its kept runs
// for the comparison.
func (d *View) Update(ws *state.Workspace) {
	before := d.otherModel()
	d.kept = ws.Kept
	d.Probs.SetCurrentName(ws.CurrentName())
	d.follow()
	if d.otherModel() != before {
		d.again()
	}
	d.SetModel(ws.Model, ws.ModelNote())
}

// NewJob asks for the answer of model on the drawing img.
func NewJob(img image.Image, model *engine.Model) Job { return Job{img: img, model: model} }

// HasProbabilities reports whether the answer holds the network's
// probabilities.
func (p Prediction) HasProbabilities() bool { return p.probs != nil }

// Model is the network the pad answers with.
func (d *View) Model() *engine.Model { return d.model }

// Note says where the answers come from.
func (d *View) Note() string { return d.note }

// HasPrediction reports whether the probabilities shown are an answer to
// the drawing.
func (d *View) HasPrediction() bool { return d.shown.probs != nil }

// Shown is the answer on show.
func (d *View) Shown() Prediction { return d.shown }

// Current reports whether the answer on show is to the latest question.
func (d *View) Current() bool { return d.shown.gen == d.gen }

// Input is the network's input as it sees it, nil without a drawing.
func (p Prediction) Input() *image.Gray { return p.input }

// Probabilities are the network's ten probabilities, nil without a
// drawing or a network.
func (p Prediction) Probabilities() []float32 { return p.probs }

// OtherProbabilities are the compared network's ten probabilities, nil
// without a drawing or a comparison.
func (p Prediction) OtherProbabilities() []float32 { return p.other }

// Explanation is how the network came to its answer, nil without a drawing
// or a network.
func (p Prediction) Explanation() *engine.Explanation { return p.explain }
