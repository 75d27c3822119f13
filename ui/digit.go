package ui

import (
	"errors"
	"image"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/drawpad"
)

// predictJob asks the network for its answer on the drawing.
type predictJob struct {
	img   image.Image // the pad's drawing; nil when it is blank
	model *engine.Model
	gen   uint64
}

// prediction is the answer: the network's input as it sees it and its ten
// probabilities, or nothing when there is no drawing or no network.
type prediction struct {
	input *image.Gray
	probs []float32
	gen   uint64
}

// predictor turns drawings into predictions on its own goroutine. Only
// that goroutine touches it: it keeps the last drawing's preprocessed input,
// since during training the drawing stays while the model changes with every
// snapshot.
type predictor struct {
	lastImg image.Image
	lastX   []float32
}

// predict preprocesses the drawing (as MNIST was made: cropped, scaled into
// 20×20, centred by mass in 28×28) and runs the network on it.
func (pr *predictor) predict(job predictJob) prediction {
	out := prediction{gen: job.gen}
	if job.img == nil {
		return out
	}
	x := pr.lastX
	if job.img != pr.lastImg {
		var err error
		x, err = engine.Preprocess(job.img)
		if err != nil {
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
		out.probs = job.model.Predict(x)
	}
	return out
}

// digitPanel is the "draw a digit" column: the pad, the 28×28 input the
// network gets, and its ten probabilities with the winner highlighted.
type digitPanel struct {
	pad     *drawpad.Pad
	preview *drawpad.Preview
	probs   *drawpad.Probabilities
	clear   *widget.Button
	content fyne.CanvasObject

	img     image.Image // the current drawing, nil when blank
	model   *engine.Model
	note    string // where the answers come from
	shown   prediction
	gen     uint64
	request func(predictJob)
	// onDraw is called when the user draws, so that the window can take the
	// keyboard back from a field.
	onDraw func()
}

func newDigitPanel(request func(predictJob)) *digitPanel {
	d := &digitPanel{
		pad:     drawpad.NewPad(),
		preview: drawpad.NewPreview(),
		probs:   drawpad.NewProbabilities(),
		request: request,
	}
	d.pad.OnChanged = d.drawn
	d.clear = widget.NewButtonWithIcon("Clear (C)", theme.ContentClearIcon(), d.pad.Clear)
	title := widget.NewLabel("Draw a digit")
	title.TextStyle = fyne.TextStyle{Bold: true}
	title.SizeName = theme.SizeNameSubHeadingText
	left := container.New(&padColumn{}, d.pad, d.clear, d.preview)
	d.content = container.NewBorder(container.NewVBox(title, widget.NewSeparator()), nil, nil, nil,
		container.New(&besidePad{}, left, d.probs))
	return d
}

// drawn is the pad's OnChanged.
func (d *digitPanel) drawn(img image.Image) {
	if d.pad.Empty() {
		img = nil
	} else if d.onDraw != nil {
		d.onDraw()
	}
	d.img = img
	d.ask()
}

// setModel changes the network that answers and the note that says which
// one it is.
func (d *digitPanel) setModel(m *engine.Model, note string) {
	d.note = note
	d.probs.SetNote(note)
	if m == d.model {
		return
	}
	d.model = m
	if d.img != nil {
		d.ask()
	}
}

// ask hands the drawing and the model to the predictor. A blank pad is
// cleared at once; there is nothing to compute.
func (d *digitPanel) ask() {
	d.gen++
	if d.img == nil {
		d.shown = prediction{gen: d.gen}
		d.preview.Clear()
		d.probs.Clear()
		return
	}
	d.request(predictJob{img: d.img, model: d.model, gen: d.gen})
}

// show displays a prediction, unless a newer one has been asked for since.
func (d *digitPanel) show(p prediction) {
	if p.gen != d.gen {
		return
	}
	d.shown = p
	if p.input == nil {
		d.preview.Clear()
		d.probs.Clear()
		return
	}
	d.preview.Set(p.input)
	if p.probs == nil {
		d.probs.Clear()
		return
	}
	d.probs.Set(p.probs)
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
