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
	seq  uint64 // jobs submitted so far
	wake chan struct{}
}

func newLatest[T any]() *latest[T] {
	return &latest[T]{wake: make(chan struct{}, 1)}
}

// submit offers job, replacing any job not yet taken.
func (l *latest[T]) submit(job T) {
	l.mu.Lock()
	l.job, l.have = job, true
	l.seq++
	l.mu.Unlock()
	l.signal()
}

// resubmit offers job again if nothing has been submitted since the
// submission numbered seq: the worker put off part of it and wants it back
// later, but a newer job supersedes it.
func (l *latest[T]) resubmit(job T, seq uint64) {
	l.mu.Lock()
	if l.seq != seq || l.have {
		l.mu.Unlock()
		return
	}
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

// take returns the pending job, if there is one, with the number of jobs
// submitted up to it.
func (l *latest[T]) take() (T, uint64, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	job, ok := l.job, l.have
	var zero T
	l.job, l.have = zero, false
	return job, l.seq, ok
}

// run calls work with each job taken, and its number for resubmit, until
// ctx is done. After a job it rests
// for at least every, so that a stream of jobs costs at most one call per
// period: charts drawn 60 times a second would take a core from training
// and show nothing a person can follow.
func (l *latest[T]) run(ctx context.Context, every time.Duration, work func(job T, seq uint64)) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-l.wake:
		}
		job, seq, ok := l.take()
		if !ok {
			continue
		}
		start := time.Now()
		work(job, seq)
		if rest := every - time.Since(start); rest > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(rest):
			}
		}
	}
}
