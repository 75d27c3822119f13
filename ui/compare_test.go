package ui

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/ui/chart"
)

// shownTexts are the texts obj shows in window w.
func shownTexts(w fyne.Window, obj fyne.CanvasObject) []string {
	size := w.Canvas().Size()
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(obj).Subtract(obj.Position())
	var out []string
	for _, t := range visibleTexts(obj, at, fyne.NewPos(0, 0), fyne.NewPos(size.Width, size.Height)) {
		out = append(out, t.text)
	}
	return out
}

// closeTo reports whether got holds want's values, as far as a float32
// forward pass repeats.
func closeTo(got, want []float32) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if math.Abs(float64(got[i]-want[i])) > 1e-5 {
			return false
		}
	}
	return true
}

// reads is the legend's verdict on probs.
func reads(probs []float32) string {
	d := engine.Argmax(probs)
	return fmt.Sprintf("reads %d (%.1f%%)", d, 100*probs[d])
}

func TestThePadComparesTheCurrentNetworkWithAKeptRun(t *testing.T) {
	h := newHarness(t, Options{Config: smallConfig(1)})
	p := h.p
	// A change of the network's shape discards the run, after asking: it is
	// kept. The second run trains a network of its own.
	first := h.keepARun()
	p.start()
	h.until("the second run", func() bool { return p.ws.Run != nil && p.ws.Run.Ended && h.state() == engine.Done })
	if len(p.ws.Kept) != 1 || p.ws.Kept[0].Final != first {
		t.Fatalf("kept runs %d, want the first", len(p.ws.Kept))
	}
	d := p.views.draw
	p.panels.choose(panelDraw)
	if got := d.Compare.Options; !slices.Equal(got, []string{"none", p.ws.Kept[0].Name}) {
		t.Fatalf("the choice offers %q, want none and the kept run", got)
	}
	if d.Compare.Selected != "none" {
		t.Errorf("the choice starts at %q, want none", d.Compare.Selected)
	}

	// Choose the kept run, then draw: both networks read the drawing.
	d.Compare.SetSelectedIndex(1)
	if name, c := d.Probs.Comparing(); name != p.ws.Kept[0].Name || c != chart.RunColor(p.ws.Kept[0].ID) {
		t.Errorf("the pad compares with %q in %v, want %q in the charts' colour %v", name, c, p.ws.Kept[0].Name, chart.RunColor(p.ws.Kept[0].ID))
	}
	both := func() bool {
		cur, other := d.Probs.Values()
		return d.Current() && cur != nil && other != nil
	}
	check := func(when string) {
		t.Helper()
		x := d.Shown().Explanation().Input
		wantCur, wantOther := p.ws.Model.Predict(x), first.Model.Predict(x)
		cur, other := d.Probs.Values()
		if !closeTo(cur, wantCur) {
			t.Errorf("%s: the current network's bars show %v, want %v", when, cur, wantCur)
		}
		if !closeTo(other, wantOther) {
			t.Errorf("%s: the kept run's bars show %v, want %v", when, other, wantOther)
		}
		texts := shownTexts(h.w, d.Probs)
		for _, want := range []string{"current", reads(wantCur), reads(wantOther)} {
			if !slices.Contains(texts, want) {
				t.Errorf("%s: the window does not show %q; it shows %q", when, want, texts)
			}
		}
		// The legend names the kept run, in its crowded legends' short form
		// where the column is narrow.
		name := p.ws.Kept[0].Name
		if !slices.Contains(texts, name) && !slices.Contains(texts, chart.ShortName(name)) {
			t.Errorf("%s: the legend does not name %q; it shows %q", when, name, texts)
		}
		for i := range 10 {
			for _, v := range []float32{wantCur[i], wantOther[i]} {
				if want := fmt.Sprintf("%.1f%%", 100*v); !slices.Contains(texts, want) {
					t.Errorf("%s: digit %d's %s is not shown", when, i, want)
				}
			}
		}
	}
	h.drawSeven()
	h.until("both networks' answers", both)
	check("a 7")
	// A new stroke is a new question for both.
	before := slices.Clone(d.Shown().OtherProbabilities())
	pad := d.Pad
	from, to := fyne.NewPos(pad.Size().Width*0.2, pad.Size().Height*0.5), fyne.NewPos(pad.Size().Width*0.8, pad.Size().Height*0.55)
	pad.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: from}})
	pad.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: to}, Dragged: fyne.NewDelta(to.X-from.X, to.Y-from.Y)})
	pad.DragEnd()
	h.until("both answers to the new drawing", func() bool {
		return both() && !slices.Equal(d.Shown().OtherProbabilities(), before)
	})
	check("a crossed 7")

	// None drops the second network's answer at once, and asks it no more.
	d.Compare.SetSelectedIndex(0)
	if _, other := d.Probs.Values(); other != nil {
		t.Error("the kept run's bars stay after choosing none")
	}
	h.drawSeven()
	h.until("the current network's answer", func() bool { return d.Current() && d.HasPrediction() })
	if d.Shown().OtherProbabilities() != nil {
		t.Error("the kept run's network still reads the drawing after choosing none")
	}
	if texts := shownTexts(h.w, d.Probs); slices.Contains(texts, "current") {
		t.Errorf("the legend stays after choosing none: %q", texts)
	}

	// The Runs view's button compares with its run, and brings the pad
	// forward.
	p.panels.choose(panelRuns)
	test.Tap(p.views.runs.Rows[0].Compare)
	if name, _ := d.Probs.Comparing(); name != p.ws.Kept[0].Name || d.Compare.SelectedIndex() != 1 {
		t.Errorf("after Compare on pad the pad compares with %q (choice %d)", name, d.Compare.SelectedIndex())
	}
	if !p.panels.shown(panelDraw) {
		t.Error("Compare on pad does not show the pad")
	}
	h.until("both answers again", both)
	check("compared from the Runs view")

	// Another discarded run is kept after it; compared with that one, the
	// pad follows it when the older run goes (as the oldest beyond the
	// twelve kept goes) and its colour with it.
	second := p.ws.Last
	p.views.settings.Layers[0].Size.SetText("24")
	p.views.settings.Layers[0].Size.FocusLost()
	p.TypedKey(&fyneReturn)
	h.until("the third network", func() bool { return p.ws.Net.Hidden[0] == 24 })
	if len(p.ws.Kept) != 2 || p.ws.Kept[1].Final != second {
		t.Fatalf("kept runs %d, want the first two", len(p.ws.Kept))
	}
	d.Compare.SetSelectedIndex(2)
	if _, other := d.Probs.Values(); other != nil {
		t.Error("the first run's bars stay while the second run's are asked for")
	}
	if name, c := d.Probs.Comparing(); name != p.ws.Kept[1].Name || c != chart.RunColor(p.ws.Kept[1].ID) {
		t.Errorf("the pad compares with %q in %v, want the second kept run in %v", name, c, chart.RunColor(p.ws.Kept[1].ID))
	}
	h.until("the second run's answer", func() bool {
		return both() && closeTo(d.Shown().OtherProbabilities(), second.Model.Predict(d.Shown().Explanation().Input))
	})
	p.ws.Kept = slices.Delete(p.ws.Kept, 0, 1)
	p.refresh()
	if name, c := d.Probs.Comparing(); name != p.ws.Kept[0].Name || c != chart.RunColor(p.ws.Kept[0].ID) || d.Compare.SelectedIndex() != 1 {
		t.Errorf("after the older run went the pad compares with %q in %v (choice %d), want the same run in %v", name, c, d.Compare.SelectedIndex(), chart.RunColor(p.ws.Kept[0].ID))
	}
	if _, other := d.Probs.Values(); other == nil {
		t.Error("the compared run's bars went with another run")
	}

	// The compared run is dropped (or the workspace is new): the pad falls
	// back to none.
	p.ws.Kept = nil
	p.refresh()
	if name, _ := d.Probs.Comparing(); name != "" || d.Compare.SelectedIndex() != 0 || !slices.Equal(d.Compare.Options, []string{"none"}) {
		t.Errorf("with no run kept the pad compares with %q, choice %d of %q", name, d.Compare.SelectedIndex(), d.Compare.Options)
	}
	if _, other := d.Probs.Values(); other != nil {
		t.Error("a dropped run's bars stay")
	}
	h.drawSeven()
	h.until("the answer without the dropped run", func() bool { return d.Current() && d.HasPrediction() })
	if d.Shown().OtherProbabilities() != nil {
		t.Error("a dropped run's network still reads the drawing")
	}
}
