package braid

import (
	"context"
	"time"
)

// Retry pacing: every loop of the client that tries a call again after a
// failure (writer sessions, stream lookups, segment reads, group sessions)
// waits between attempts with one backoff, doubling from minBackoff to
// maxBackoff. Each loop keeps its own rule for what is retried and when it
// gives up; the pacing is here.
const (
	minBackoff = 10 * time.Millisecond
	maxBackoff = time.Second
)

// retryPause is the wait before a retry. The zero value starts at minBackoff.
// It is used by one goroutine.
type retryPause struct {
	next  time.Duration
	timer *time.Timer
}

// wait sleeps the current backoff and doubles it for the next time. It
// returns nil when the time passed, errStopped when stop (which may be nil)
// is closed first, and ctx's error when ctx ends first.
func (b *retryPause) wait(ctx context.Context, stop <-chan struct{}) error {
	if b.next == 0 {
		b.next = minBackoff
	}
	if b.timer == nil {
		b.timer = time.NewTimer(b.next)
	} else {
		b.timer.Reset(b.next)
	}
	defer b.timer.Stop()
	b.next = min(2*b.next, maxBackoff)
	select {
	case <-b.timer.C:
		return nil
	case <-stop:
		return errStopped
	case <-ctx.Done():
		return ctx.Err()
	}
}

// reset makes the next wait the shortest again (after a success).
func (b *retryPause) reset() { b.next = minBackoff }
