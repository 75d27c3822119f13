package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/mnistplayground/mnistplayground/engine"
	"github.com/mnistplayground/mnistplayground/engine/enginetest"
	"github.com/mnistplayground/mnistplayground/ui/state"
)

// uiLoop stands in for Fyne's event loop in a test. Under the test driver
// fyne.Do runs a function at once on the calling goroutine, which would let
// the session's bridge touch widgets while the test reads them; instead the
// playground's background goroutines hand their functions to the loop, and
// the test goroutine runs them while it waits, as Fyne's own goroutine does
// in the app.
type uiLoop struct {
	q chan func()
}

func newUILoop() *uiLoop { return &uiLoop{q: make(chan func())} }

// do is the playground's Options.do: it waits until the test has run f.
func (l *uiLoop) do(f func()) {
	done := make(chan struct{})
	l.q <- func() {
		defer close(done)
		f()
	}
	<-done
}

// until runs the handed functions until cond holds, and fails the test if it
// does not within ten seconds.
func (l *uiLoop) until(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case f := <-l.q:
			f()
		case <-time.After(5 * time.Millisecond):
		case <-deadline:
			t.Fatalf("waited 10 s for %s", what)
		}
	}
}

// pump runs the handed functions for d, for checks that something does not
// happen.
func (l *uiLoop) pump(d time.Duration) {
	end := time.After(d)
	for {
		select {
		case f := <-l.q:
			f()
		case <-end:
			return
		}
	}
}

// tinyMNIST is a small learnable stand-in for MNIST, 1,200 training and
// 300 test images: a network learns it in an epoch or two, so a test sees
// accuracy climb within milliseconds.
func tinyMNIST() *engine.MNIST { return enginetest.MNIST(1200, 300) }

// smallConfig trains a 784-32-10 ReLU network in batches of 50: 24 steps an
// epoch on tinyMNIST.
func smallConfig(epochs int) *engine.TrainConfig {
	c := engine.DefaultConfig()
	c.Arch = engine.MNISTArch([]int{32}, []engine.Activation{engine.ReLU}, engine.CrossEntropy)
	c.Batch = 50
	c.Epochs = epochs
	return &c
}

// harness is a playground in a test window, with the loop that plays its UI
// goroutine.
type harness struct {
	t    testing.TB
	p    *Shell
	w    fyne.Window
	loop *uiLoop
}

// newHarness opens a playground on tinyMNIST (unless opts says otherwise)
// and waits until its data has loaded. Everything it starts is stopped when
// the test ends.
func newHarness(t testing.TB, opts Options) *harness {
	t.Helper()
	test.NewTempApp(t)
	h := &harness{t: t, loop: newUILoop()}
	opts.do = h.loop.do
	opts.logf = func(string, ...any) {}
	if opts.LoadData == nil {
		data := tinyMNIST()
		opts.LoadData = func() (*engine.MNIST, error) { return data, nil }
	}
	if opts.Config == nil {
		opts.Config = smallConfig(2)
	}
	if opts.PublishEvery == 0 {
		opts.PublishEvery = 5 * time.Millisecond
	}
	// Not test.NewTempWindow: a test may close the window itself, and the
	// test driver does not take a window closed twice.
	h.w = test.NewWindow(widget.NewLabel(""))
	closed := false
	h.w.SetOnClosed(func() { closed = true })
	t.Cleanup(func() {
		if !closed {
			h.w.Close()
		}
	})
	h.p = New(h.w, opts)
	h.w.SetContent(h.p)
	h.w.Resize(fyne.NewSize(1280, 800))
	t.Cleanup(h.shutdown)
	h.loop.until(t, "MNIST to load", func() bool { return h.p.ws.Data != state.DataLoading })
	return h
}

// shutdown stops every goroutine of the playground, running what they hand
// over meanwhile.
func (h *harness) shutdown() {
	done := h.p.stop()
	h.loop.until(h.t, "the playground's goroutines to end", func() bool {
		select {
		case <-done:
			return true
		default:
			return false
		}
	})
}

// until waits for cond, running the playground's UI work meanwhile.
func (h *harness) until(what string, cond func() bool) {
	h.t.Helper()
	h.loop.until(h.t, what, cond)
}

// step is the step count of the latest snapshot applied, -1 for none.
func (h *harness) step() int {
	if h.p.ws.Last == nil {
		return -1
	}
	return h.p.ws.Last.Step
}

// state is the state of the latest snapshot applied.
func (h *harness) state() engine.State {
	if h.p.ws.Last == nil {
		return engine.Idle
	}
	return h.p.ws.Last.State
}

// keepARun trains the settings' network to its end, then changes the
// first layer's size to 16, which discards the trained network after
// asking (answered yes) and keeps its run. It returns the kept run's final
// snapshot.
func (h *harness) keepARun() *engine.Snapshot {
	h.t.Helper()
	p := h.p
	p.start()
	h.until("the first run", func() bool { return p.ws.Run != nil && p.ws.Run.Ended && h.state() == engine.Done })
	first := p.ws.Last
	p.views.settings.Layers[0].Size.SetText("16")
	p.views.settings.Layers[0].Size.FocusLost()
	p.TypedKey(&fyneReturn)
	h.until("the new network", func() bool { return p.ws.Net.Hidden[0] == 16 })
	return first
}
