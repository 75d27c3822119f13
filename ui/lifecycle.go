package ui

import (
	"time"
)

// closeRequested stops training before the window goes: the session's
// context is cancelled, and the window closes once every goroutine has
// returned, or after closeTimeout if one does not.
func (s *Shell) closeRequested() {
	if s.ws.Closing || s.dialogs.quitting {
		return
	}
	q := s.ws.QuitQuestion()
	if q == nil {
		s.quit()
		return
	}
	s.dialogs.quitting = true
	s.confirm(q, func(ok bool) {
		s.dialogs.quitting = false
		if ok {
			s.quit()
		}
	})
}

// quit stops training and closes the window.
func (s *Shell) quit() {
	if s.ws.Closing {
		return
	}
	s.ws.Closing = true
	if !s.win.FullScreen() {
		size := s.win.Canvas().Size()
		s.prefs.setFloat(prefWidth, float64(size.Width))
		s.prefs.setFloat(prefHeight, float64(size.Height))
	}
	s.refresh()
	done := s.stop()
	go func() {
		select {
		case <-done:
		case <-time.After(closeTimeout):
		}
		s.opts.do(func() {
			s.life.closed.Store(true)
			s.win.Close()
		})
	}()
}

// closeTimeout bounds how long closing waits for training to stop: one
// mini-batch of the largest network takes well under a second.
const closeTimeout = 3 * time.Second

// stop cancels every goroutine of the shell and returns a channel that is
// closed when they have all returned. The UI goroutine must keep running
// meanwhile: the goroutines hand their last results to it.
func (s *Shell) stop() <-chan struct{} {
	s.life.cancel()
	done := make(chan struct{})
	go func() {
		s.life.wg.Wait()
		close(done)
	}()
	return done
}
