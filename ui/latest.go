package ui

import (
	"context"
	"sync"
	"time"
)

// latest hands the newest of a stream of jobs to one background goroutine.
// Submitting never blocks and never queues: a job that the goroutine has not
// started yet is replaced by a newer one, the way a session's snapshot
// channel replaces an unread snapshot. A slow consumer (drawing charts,
// asking the network) then costs frames, never a growing backlog, and the
// UI goroutine that submits never waits for it.
type latest[T any] struct {
	mu   sync.Mutex
	job  T
	have bool
	wake chan struct{}
}

func newLatest[T any]() *latest[T] {
	return &latest[T]{wake: make(chan struct{}, 1)}
}

// submit offers job, replacing any job not yet taken.
func (l *latest[T]) submit(job T) {
	l.mu.Lock()
	l.job, l.have = job, true
	l.mu.Unlock()
	l.signal()
}

func (l *latest[T]) signal() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// take returns the pending job, if there is one.
func (l *latest[T]) take() (T, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	job, ok := l.job, l.have
	var zero T
	l.job, l.have = zero, false
	return job, ok
}

// run calls work with each job taken until ctx is done. After a job it
// rests for rest(time the job took), so that a stream of jobs costs a
// bounded share of a core: charts drawn 60 times a second would take a core
// from training and show nothing a person can follow.
func (l *latest[T]) run(ctx context.Context, rest func(took time.Duration) time.Duration, work func(job T)) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-l.wake:
		}
		job, ok := l.take()
		if !ok {
			continue
		}
		start := time.Now()
		work(job)
		if d := rest(time.Since(start)); d > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(d):
			}
		}
	}
}
