package ui

import (
	"github.com/mnistplayground/mnistplayground/ui/state"
)

// refresh brings every view, the buttons and the status line up to date
// with the workspace, and asks for the charts that changed.
func (s *Shell) refresh() {
	v := &s.views
	if cfg, err := v.settings.Config(); err == nil && s.data != nil {
		v.training.SetPlan(cfg, s.data.Train.Len())
	}
	for _, u := range []interface{ Update(*state.Workspace) }{v.settings, v.training, v.layers, v.flow, v.weights, v.confusion, v.draw, v.inside, v.runs} {
		u.Update(s.ws)
	}
	s.bar.update(s.ws, v.settings.Valid())
	s.ChartsChanged()
}

// Scale is the window's device pixels per point.
func (s *Shell) Scale() float32 { return s.win.Canvas().Scale() }

// Release gives the keyboard back to the window's shortcuts.
func (s *Shell) Release() {
	if c := s.win.Canvas(); c.Focused() != nil {
		c.Unfocus()
	}
}

// ChartsChanged hands the render worker the charts on show, at their
// current sizes and in the current theme. It is cheap: the worker skips
// what it has already drawn.
func (s *Shell) ChartsChanged() {
	if s.panels == nil {
		return // still being built
	}
	s.renders.submit(s.chartJob())
}

// chartJob is every chart on show, with its size and the look.
func (s *Shell) chartJob() renderJob {
	v := &s.views
	job := renderJob{}
	job.style, job.styleGen = s.look.current(v.training.Loss)
	for _, c := range s.chartViews {
		if !s.panels.shown(c.panel) {
			continue
		}
		specs := c.charts
		for _, sp := range specs() {
			if w, h := sp.Target.Pixels(); w > 0 && h > 0 {
				job.charts = append(job.charts, sizedSpec{Spec: sp, w: w, h: h})
			}
		}
	}
	return job
}
