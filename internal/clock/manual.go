package clock

import (
	"sync"
	"time"
)

// Manual is a clock whose time a test moves by hand; its tickers and
// timers are real (they only pace loops that read Now). It is safe for
// concurrent use.
type Manual struct {
	mu  sync.Mutex
	now time.Time
}

// NewManual returns a manual clock at t.
func NewManual(t time.Time) *Manual { return &Manual{now: t} }

// Now implements Clock.
func (m *Manual) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.now
}

// Add moves the clock by d.
func (m *Manual) Add(d time.Duration) {
	m.mu.Lock()
	m.now = m.now.Add(d)
	m.mu.Unlock()
}

// Set moves the clock to t.
func (m *Manual) Set(t time.Time) {
	m.mu.Lock()
	m.now = t
	m.mu.Unlock()
}

// NewTicker implements Clock with a real ticker.
func (*Manual) NewTicker(d time.Duration) Ticker { return Real{}.NewTicker(d) }

// NewTimer implements Clock with a real timer.
func (*Manual) NewTimer(d time.Duration) Timer { return Real{}.NewTimer(d) }
