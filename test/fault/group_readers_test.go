package fault

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/braidstream/braid"
)

// groupReaders read one stream through a reader group, each reader on a
// client of its own (which knows every node, in another order), until
// stopped, and count each event they read.
type groupReaders struct {
	mu    sync.Mutex
	seen  map[eventID]int
	bad   int               // events that did not parse
	errs  map[string]int    // read errors, by kind
	fatal map[string]string // readers that stopped, and why

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// startGroupReaders creates group over stream and starts n readers.
func startGroupReaders(ctx context.Context, t *testing.T, addrs []string, group, stream string, n int) *groupReaders {
	t.Helper()
	g := &groupReaders{seen: map[eventID]int{}, errs: map[string]int{}, fatal: map[string]string{}}
	rctx, cancel := context.WithCancel(ctx)
	g.cancel = cancel
	for i := range n {
		order := append(append([]string(nil), addrs[i%len(addrs):]...), addrs[:i%len(addrs)]...)
		dctx, dcancel := context.WithTimeout(ctx, 30*time.Second)
		c, err := braid.Dial(dctx, strings.Join(order, ","))
		dcancel()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		if i == 0 {
			if _, err := c.ReaderGroup(group).Create(ctx, braid.ReaderGroupConfig{Streams: []braid.GroupStream{{Stream: stream}}}); err != nil {
				t.Fatalf("create reader group %s: %v", group, err)
			}
		}
		r, err := c.ReaderGroup(group).NewReader(ctx, fmt.Sprintf("r%d", i))
		if err != nil {
			t.Fatalf("reader %d of %s: %v", i, group, err)
		}
		g.wg.Add(1)
		go func() {
			defer g.wg.Done()
			defer r.Close(context.Background())
			g.read(rctx, fmt.Sprintf("r%d", i), r)
		}()
	}
	return g
}

func (g *groupReaders) read(ctx context.Context, name string, r *braid.GroupReader) {
	for ctx.Err() == nil {
		ev, err := r.Read(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			var be *braid.Error
			kind := err.Error()
			if errors.As(err, &be) {
				kind = string(be.Code)
			}
			g.mu.Lock()
			g.errs[kind]++
			if g.errs[kind] > 1000 {
				g.fatal[name] = err.Error()
				g.mu.Unlock()
				return
			}
			g.mu.Unlock()
			continue
		}
		if ev.Checkpoint != "" {
			continue
		}
		id, err := parsePayload(ev.Data)
		g.mu.Lock()
		if err != nil {
			g.bad++
		} else {
			g.seen[id]++
		}
		g.mu.Unlock()
	}
}

// missing returns how many of ids the readers have not read yet.
func (g *groupReaders) missing(ids map[eventID]bool) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for id := range ids {
		if g.seen[id] == 0 {
			n++
		}
	}
	return n
}

// stop stops the readers and waits for them; it returns what they read:
// distinct events, events read more than once, and the read errors.
func (g *groupReaders) stop() (distinct, again, bad int, errs map[string]int, fatal map[string]string) {
	g.cancel()
	g.wg.Wait()
	for _, k := range g.seen {
		distinct++
		if k > 1 {
			again++
		}
	}
	return distinct, again, g.bad, g.errs, g.fatal
}
