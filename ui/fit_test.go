package ui

import (
	"slices"
	"testing"

	"github.com/mnistplayground/mnistplayground/engine"
)

// TestAFullWorkspaceFitsEveryScreen fills the workspace as a lecture does
// (runs kept with long names, a race on, the pad comparing two networks)
// and checks that on every screen the window needs no more room than the
// screen has: a wider minimum makes the window grow past the screen's edge.
func TestAFullWorkspaceFitsEveryScreen(t *testing.T) {
	for _, sc := range screens {
		t.Run(sc.name, func(t *testing.T) {
			// The widest network the settings allow to name: six layers.
			cfg := deepUIConfig(1)
			cfg.Arch = engine.MNISTArch([]int{1024, 1024, 1024, 1024, 1024, 1024}, slices.Repeat([]engine.Activation{engine.ReLU}, 6), engine.CrossEntropy)
			cfg.Arch.Hidden = []int{16, 16, 16, 16, 16, 16}
			h := newHarness(t, Options{Config: cfg})
			setScale(t, h.w, sc.scale)
			h.w.Resize(sc.size)
			p := h.p
			p.raceActivations()
			h.until("the race to end", func() bool { return p.ws.Run.Ended && !p.ws.Racing() })
			p.ws.Rename(0, "relu 100 ×5 at a learning rate of 0.1, seed 1, batch 100, cross-entropy")
			p.raceRates()
			h.until("the second race to end", func() bool { return p.ws.Run.Ended && !p.ws.Racing() })
			h.drawSeven()
			p.views.draw.CompareWith(0)
			p.refresh()
			h.loop.pump(50e6)
			if p.ws.Last.State != engine.Done {
				t.Fatalf("state %v", p.ws.Last.State)
			}
			for view := range p.panels.list {
				p.panels.choose(view)
				if m := p.MinSize(); m.Width > sc.size.Width+0.5 || m.Height > sc.size.Height+0.5 {
					t.Errorf("with view %d (%s) forward the window needs %v, more than the %v screen", view, p.panels.list[view].name, m, sc.size)
				}
			}
			for _, v := range p.panels.list {
				if m := v.content.MinSize(); m.Width > sc.size.Width {
					t.Logf("%s needs %v", v.name, m)
				}
			}
		})
	}
}
