package group

import (
	"context"
	"sync"
)

// queue holds the messages waiting for one reader's session, without
// bound: messages are small and few (one per membership change).
type queue struct {
	mu     sync.Mutex
	items  []*Assignment
	signal chan struct{} // 1-buffered
	err    error
}

func newQueue() *queue { return &queue{signal: make(chan struct{}, 1)} }

func (q *queue) push(a *Assignment) {
	q.mu.Lock()
	if q.err == nil {
		q.items = append(q.items, a)
	}
	q.mu.Unlock()
	select {
	case q.signal <- struct{}{}:
	default:
	}
}

func (q *queue) close(err error) {
	q.mu.Lock()
	if q.err == nil {
		q.err = err
	}
	q.mu.Unlock()
	select {
	case q.signal <- struct{}{}:
	default:
	}
}

// next returns the waiting messages, waiting for some; once closed it
// returns what is left and then the error.
func (q *queue) next(ctx context.Context) ([]*Assignment, error) {
	for {
		q.mu.Lock()
		items, err := q.items, q.err
		q.items = nil
		q.mu.Unlock()
		if len(items) > 0 {
			return items, nil
		}
		if err != nil {
			return nil, err
		}
		select {
		case <-q.signal:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
