package drawpad

import (
	"math"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

func newTestProbabilities(t *testing.T) (*Probabilities, *probRenderer) {
	t.Helper()
	test.NewTempApp(t)
	p := NewProbabilities()
	w := test.NewTempWindow(t, p)
	w.Resize(fyne.NewSize(500, 600))
	return p, test.TempWidgetRenderer(t, p).(*probRenderer)
}

func TestProbabilitiesSet(t *testing.T) {
	tests := []struct {
		name     string
		probs    []float32
		want     int
		wantText [Digits]string
	}{
		{
			name:     "confident seven",
			probs:    []float32{0.001, 0.002, 0.01, 0.02, 0.001, 0.003, 0.0005, 0.931, 0.0214, 0.01},
			want:     7,
			wantText: [Digits]string{"0.1%", "0.2%", "1.0%", "2.0%", "0.1%", "0.3%", "0.1%", "93.1%", "2.1%", "1.0%"},
		},
		{
			name:     "certain zero",
			probs:    []float32{1, 0, 0, 0, 0, 0, 0, 0, 0, 0},
			want:     0,
			wantText: [Digits]string{"100.0%", "0.0%", "0.0%", "0.0%", "0.0%", "0.0%", "0.0%", "0.0%", "0.0%", "0.0%"},
		},
		{
			name:     "uniform: the first of a tie",
			probs:    []float32{0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1},
			want:     0,
			wantText: [Digits]string{"10.0%", "10.0%", "10.0%", "10.0%", "10.0%", "10.0%", "10.0%", "10.0%", "10.0%", "10.0%"},
		},
		{
			name:     "nine",
			probs:    []float32{0.05, 0.05, 0.05, 0.05, 0.3, 0.05, 0.05, 0.05, 0.05, 0.3001},
			want:     9,
			wantText: [Digits]string{"5.0%", "5.0%", "5.0%", "5.0%", "30.0%", "5.0%", "5.0%", "5.0%", "5.0%", "30.0%"},
		},
	}
	p, r := newTestProbabilities(t)
	th := p.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	primary := th.Color(theme.ColorNamePrimary, v)
	for _, tt := range tests {
		p.Set(tt.probs)
		if got, ok := p.Predicted(); !ok || got != tt.want {
			t.Errorf("%s: Predicted() = %d, %v; want %d, true", tt.name, got, ok, tt.want)
		}
		if !r.hint.Hidden {
			t.Errorf("%s: the hint shows with a prediction", tt.name)
		}
		track := r.rows[0].track.Size().Width
		for i, row := range r.rows {
			if row.percent.Text != tt.wantText[i] {
				t.Errorf("%s: digit %d shows %q, want %q", tt.name, i, row.percent.Text, tt.wantText[i])
			}
			if got, want := row.bar.Size().Width, track*tt.probs[i]; math.Abs(float64(got-want)) > 0.5 {
				t.Errorf("%s: bar %d is %.1f wide, want %.1f", tt.name, i, got, want)
			}
			if tt.probs[i] == 0 && !row.bar.Hidden {
				t.Errorf("%s: bar %d is drawn for 0%%", tt.name, i)
			}
			highlighted := row.bar.FillColor == primary && row.label.TextStyle.Bold && row.label.Color == primary
			if highlighted != (i == tt.want) {
				t.Errorf("%s: digit %d highlighted = %v, want %v", tt.name, i, highlighted, i == tt.want)
			}
			if i == tt.want && row.label.TextSize <= r.rows[(i+1)%Digits].label.TextSize {
				t.Errorf("%s: the predicted label is not larger than the others", tt.name)
			}
		}
	}
}

func TestProbabilitiesRejectsBadInput(t *testing.T) {
	p, r := newTestProbabilities(t)
	good := []float32{0, 0, 0.9, 0, 0, 0, 0, 0, 0, 0.1}
	nan := float32(math.NaN())
	tests := []struct {
		name  string
		probs []float32
	}{
		{"nil", nil},
		{"empty", []float32{}},
		{"nine values", good[:9]},
		{"eleven values", append(append([]float32{}, good...), 0)},
		{"NaN", []float32{nan, 0, 0, 0, 0, 0, 0, 0, 0, 1}},
		{"infinity", []float32{float32(math.Inf(1)), 0, 0, 0, 0, 0, 0, 0, 0, 0}},
		{"negative", []float32{-0.1, 1.1, 0, 0, 0, 0, 0, 0, 0, 0}},
	}
	for _, tt := range tests {
		p.Set(good)
		p.Set(tt.probs)
		if d, ok := p.Predicted(); ok {
			t.Errorf("%s: Predicted() = %d, true; want no prediction", tt.name, d)
		}
		if r.hint.Hidden || r.hint.Text != hintInvalid {
			t.Errorf("%s: hint %q hidden=%v, want %q shown", tt.name, r.hint.Text, r.hint.Hidden, hintInvalid)
		}
		for i, row := range r.rows {
			if !row.bar.Hidden || row.percent.Text != "" {
				t.Errorf("%s: digit %d still shows a bar or %q", tt.name, i, row.percent.Text)
			}
		}
	}
}

func TestProbabilitiesClearAndNote(t *testing.T) {
	p, r := newTestProbabilities(t)
	if r.hint.Hidden || r.hint.Text != hintNoDigit {
		t.Errorf("new panel: hint %q hidden=%v, want %q shown", r.hint.Text, r.hint.Hidden, hintNoDigit)
	}
	probs := []float32{0, 0, 0, 0.8, 0, 0, 0, 0, 0.2, 0}
	p.Set(probs)
	probs[3], probs[8] = 0, 1
	if d, _ := p.Predicted(); d != 3 || r.rows[3].percent.Text != "80.0%" {
		t.Errorf("changing the caller's slice changed the panel: predicted %d, shows %q", d, r.rows[3].percent.Text)
	}
	p.Clear()
	if _, ok := p.Predicted(); ok || r.hint.Hidden || r.hint.Text != hintNoDigit {
		t.Errorf("after Clear: prediction %v, hint %q hidden=%v; want none and %q shown", ok, r.hint.Text, r.hint.Hidden, hintNoDigit)
	}

	size := p.MinSize()
	const note = "untrained network: random guesses"
	p.SetNote(note)
	if r.note.Hidden || r.note.Text != note {
		t.Errorf("note %q hidden=%v, want %q shown", r.note.Text, r.note.Hidden, note)
	}
	if got := p.MinSize(); got != size {
		t.Errorf("MinSize changed from %v to %v with a note; the window's layout would jump", size, got)
	}
	p.SetNote("")
	if !r.note.Hidden {
		t.Error("an empty note still shows")
	}
}

func TestProbabilitiesLayout(t *testing.T) {
	p, r := newTestProbabilities(t)
	p.Set([]float32{0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1})
	for i := 1; i < Digits; i++ {
		above, below := r.rows[i-1].label, r.rows[i].label
		if below.Position().Y < above.Position().Y+above.Size().Height {
			t.Errorf("label %d overlaps label %d", i, i-1)
		}
	}
	last := r.rows[Digits-1].label
	if bottom := last.Position().Y + last.Size().Height; bottom > r.hint.Position().Y {
		t.Errorf("the last row ends at %.1f, below the hint line at %.1f", bottom, r.hint.Position().Y)
	}
	if right := r.rows[0].percent.Position().X + r.rows[0].percent.Size().Width; right > p.Size().Width+0.01 {
		t.Errorf("percentages end at %.1f, past the widget's width %.1f", right, p.Size().Width)
	}
	test.AssertObjectRendersToMarkup(t, "probabilities.xml", p)
}

// shownText is what a label draws, row by row: its text as wrapped and
// truncated for its size.
func shownText(t *testing.T, l *widget.Label) []string {
	t.Helper()
	var rows []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *canvas.Text:
			if v.Visible() && v.Text != "" {
				rows = append(rows, v.Text)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		}
	}
	walk(l)
	return rows
}

func TestLongNoteWrapsInANarrowPanel(t *testing.T) {
	for _, note := range []string{
		"untrained network — random guesses",
		"model: mnist-784-100-10-relu.npz",
		"model (97.85% right): mnist-784-100-10-relu.npz",
		"trained: 20 epochs, 97.85% right",
	} {
		p, r := newTestProbabilities(t)
		p.SetNote(note)
		// The width the panel has beside the pad in a 1280-point window.
		p.Resize(fyne.NewSize(200, p.MinSize().Height))
		rows := shownText(t, r.note)
		joined := strings.Join(rows, " ")
		if strings.Contains(joined, "…") || strings.ReplaceAll(joined, " ", "") != strings.ReplaceAll(note, " ", "") {
			t.Errorf("note %q shows as %q at 200 points, want it whole", note, rows)
		}
	}
}
