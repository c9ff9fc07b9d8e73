package httpapi

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/braidstream/braid"
)

// The live results of a query go to every subscriber from one reader of
// its output stream (a feed), which renders each result's SSE message once.
// A feed keeps its last feedRing messages, so that a subscriber that
// reconnects with a Last-Event-ID among them resumes from the feed too;
// an older id gets a reader of its own (the output stream's event stream).
// A feed never waits for a subscriber: one whose buffer is full is told it
// lags and is dropped, and resumes with its last id. The query itself never
// waits for either: it only appends to its output stream.

const (
	// feedRing is how many recent messages a feed keeps for resumes.
	feedRing = 1024
	// subBuffer is how many messages a subscriber may be behind.
	subBuffer = 512
)

// hub holds the feeds, one per output stream with subscribers.
type hub struct {
	a     *API
	mu    sync.Mutex
	feeds map[string]*feed
	wg    sync.WaitGroup // the feeds' goroutines
}

func newHub(a *API) *hub { return &hub{a: a, feeds: map[string]*feed{}} }

type feed struct {
	stream string
	cancel context.CancelFunc

	mu      sync.Mutex // guards the fields below
	ring    []feedMsg
	startID string // the reader's start position, once it has one
	subs    map[*subscriber]struct{}
	err     error // why the feed ended
	ended   bool
}

type feedMsg struct {
	id   string // the position just after the result
	line []byte // its SSE message
}

type subscriber struct {
	ch      chan feedMsg
	gone    chan struct{} // closed when dropped (lagging) or the feed ended
	lagging bool
	startID string // the id to open the response with
}

// subscribe attaches a subscriber to stream's feed, replaying the feed's
// messages after last (when last is set). It reports false when last is
// not among the feed's recent messages: the caller then reads on its own.
func (h *hub) subscribe(stream, last string) (*feed, *subscriber, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f := h.feeds[stream]
	if f == nil {
		if last != "" {
			return nil, nil, false // nothing to resume from
		}
		// The reader opens here, so that the first subscriber's
		// response starts at a known position.
		ctx, cancel := context.WithCancel(h.a.stop)
		rd, err := h.a.client.NewReader(ctx, stream, braid.FromTail(), braid.WithReadAhead(h.a.limits.ReadAheadBytes))
		if err != nil {
			cancel()
			return nil, nil, false // the caller's own read says why
		}
		f = &feed{stream: stream, cancel: cancel, subs: map[*subscriber]struct{}{}, startID: rd.Position().String()}
		h.feeds[stream] = f
		h.wg.Add(1)
		go func() {
			defer h.wg.Done()
			defer rd.Close()
			f.run(ctx, rd)
		}()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ended {
		return nil, nil, false
	}
	s := &subscriber{ch: make(chan feedMsg, subBuffer), gone: make(chan struct{})}
	from := len(f.ring)
	if last != "" {
		from = -1
		if last == f.startID {
			from = 0
		}
		for i, m := range f.ring {
			if m.id == last {
				from = i + 1
			}
		}
		if from < 0 || len(f.ring)-from > subBuffer {
			return nil, nil, false
		}
		s.startID = last
	} else if len(f.ring) > 0 {
		s.startID = f.ring[len(f.ring)-1].id
	} else {
		s.startID = f.startID
	}
	for _, m := range f.ring[from:] {
		s.ch <- m
	}
	f.subs[s] = struct{}{}
	return f, s, true
}

// unsubscribe detaches s; the feed stops with its last subscriber.
func (h *hub) unsubscribe(f *feed, s *subscriber) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f.mu.Lock()
	delete(f.subs, s)
	empty := len(f.subs) == 0
	f.mu.Unlock()
	if empty && h.feeds[f.stream] == f {
		delete(h.feeds, f.stream)
		f.cancel()
	}
}

// wait waits for the feeds' goroutines (after the API's stop).
func (h *hub) wait() { h.wg.Wait() }

// run reads the output stream from its tail and fans its results out.
func (f *feed) run(ctx context.Context, rd *braid.Reader) {
	end := func(err error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.ended, f.err = true, err
		for s := range f.subs {
			close(s.gone)
			delete(f.subs, s)
		}
	}
	for {
		ev, err := rd.Next(ctx)
		if err != nil {
			end(err)
			return
		}
		m := feedMsg{id: ev.Position().String(), line: appendSSEEvent(nil, ev, false)}
		f.mu.Lock()
		if len(f.ring) >= feedRing {
			f.ring = append(f.ring[:0], f.ring[len(f.ring)-feedRing/2:]...)
		}
		f.ring = append(f.ring, m)
		for s := range f.subs {
			select {
			case s.ch <- m:
			default:
				s.lagging = true
				close(s.gone)
				delete(f.subs, s)
			}
		}
		f.mu.Unlock()
	}
}

// queryResults serves GET /v1/queries/{name}/results.
func (a *API) queryResults(w http.ResponseWriter, r *http.Request) error {
	name, err := queryName(r)
	if err != nil {
		return err
	}
	q, err := a.client.GetQuery(r.Context(), name)
	if err != nil {
		return err
	}
	last := r.Header.Get("Last-Event-ID")
	if v := r.URL.Query().Get("last_event_id"); v != "" && last == "" {
		last = v
	}
	if r.URL.Query().Get("from") == "" {
		if f, s, ok := a.hub.subscribe(q.Output, last); ok {
			defer a.hub.unsubscribe(f, s)
			return a.serveFeed(w, r, f, s)
		}
	}
	if r.URL.Query().Get("from") == "" && last == "" {
		// Live, as the feed would have been.
		v := r.URL.Query()
		v.Set("from", "tail")
		r.URL.RawQuery = v.Encode()
	}
	scope, stream, _ := strings.Cut(q.Output, "/")
	r.SetPathValue("scope", scope)
	r.SetPathValue("stream", stream)
	return a.streamEvents(w, r)
}

// serveFeed writes a subscriber's messages as an event stream.
func (a *API) serveFeed(w http.ResponseWriter, r *http.Request, f *feed, s *subscriber) error {
	ctx, cancel := a.requestCtx(r.Context())
	defer cancel()
	out := a.startEventStream(w)
	bw := bufio.NewWriterSize(out, 64<<10)
	flush := func() bool { return bw.Flush() == nil && out.Flush() == nil }
	if s.startID != "" {
		bw.WriteString("id: " + s.startID + "\n\n")
	}
	if !flush() {
		return nil
	}
	keep := time.NewTimer(sseKeepalive)
	defer keep.Stop()
	for {
		select {
		case m := <-s.ch:
			bw.Write(m.line)
			for n := len(s.ch); n > 0; n-- {
				bw.Write((<-s.ch).line)
			}
		case <-s.gone:
			for n := len(s.ch); n > 0; n-- {
				bw.Write((<-s.ch).line)
			}
			f.mu.Lock()
			lagging, ferr := s.lagging, f.err
			f.mu.Unlock()
			if lagging {
				data, _ := json.Marshal(map[string]string{"message": "this subscriber fell behind the results; reconnect with the last event id to go on from there"})
				bw.WriteString("event: lagging\ndata: ")
				bw.Write(data)
				bw.WriteString("\n\n")
			} else if ferr != nil && ctx.Err() == nil {
				writeSSEError(bw, ferr)
			}
			flush()
			return nil
		case <-keep.C:
			bw.WriteString(": keepalive\n\n")
		case <-ctx.Done():
			return nil
		}
		if !flush() {
			return nil
		}
		keep.Reset(sseKeepalive)
	}
}
