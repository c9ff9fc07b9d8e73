package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/limits"
	"github.com/braidstream/braid/wire"
)

// Ingester appends the events of HTTP requests with the Go client's Writer
// (braid's one append engine: routing by key, batching per segment, event
// numbers, following splits and merges, back-pressure), over the server's
// in-process gRPC connection. The HTTP layer only translates: a request is
// one Writer, its events the Writer's events, their Acks the answer.
//
// A request with a writer id and event numbers is idempotent: the Writer
// numbers its events across the stream from the request's first number
// (braid.WithStreamNumbers), so that a retry of a request resumes what the
// first attempt stored, and events already stored are answered as
// duplicates.
type Ingester struct {
	client *braid.Client
	hits   *limits.Hits
	log    *slog.Logger
	// batchBytes and inflightBytes are the Writers' batch and in-flight
	// bounds.
	batchBytes    int
	inflightBytes int

	// writers holds the idempotent sessions open, by scope/stream/writer:
	// a second session of a writer waits for the first to end, so that it
	// learns the writer's last numbers after every append of the first
	// was answered (a client may retry before the server has noticed that
	// the first attempt's connection broke).
	mu      sync.Mutex
	writers map[string]chan struct{}
}

// NewIngester makes an Ingester that appends through client (connected to
// this server); hits (may be nil) counts the limits clients meet.
func NewIngester(client *braid.Client, hits *limits.Hits, log *slog.Logger) *Ingester {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Ingester{client: client, hits: hits, log: log,
		batchBytes: 4 << 20, inflightBytes: 32 << 20,
		writers: map[string]chan struct{}{}}
}

// retryTimeout is how long a request's Writer retries appends the store
// refuses for a while (STORAGE_FULL, UNAVAILABLE): not long, since the
// answer tells the client, whose retry of the request is idempotent with a
// writer id.
const retryTimeout = time.Second

// appendResult is the outcome of one event.
type appendResult struct {
	// Pointer is where the event is stored; its Length is 0 for a
	// duplicate whose position the store no longer remembers.
	Pointer   wire.EventPointer
	Duplicate bool
}

// sessionConfig configures one request's appends.
type sessionConfig struct {
	Scope, Stream string
	// Writer and FirstEvent make the session idempotent (Writer "" for
	// none): event i gets number FirstEvent+i.
	Writer     string
	FirstEvent int64
	// MaxEvent bounds one payload.
	MaxEvent int
	// OnAck is called once per event with its outcome, in the order of
	// the events, from the goroutine that calls Add and Close.
	OnAck func(index int64, r appendResult)
	// Time, if set, is noted by the writer once the events are durable
	// (Writer.NoteTime); it stays in the watermark after the request.
	Time time.Time
}

// session appends the events of one request. Add, Close and abort are
// called from one goroutine.
type session struct {
	ctx     context.Context
	cfg     sessionConfig
	w       *braid.Writer
	release func() // ends the writer's claim (Ingester.claim)
	// keyless is the key of events without one in a session that is not
	// idempotent: one random key, so that they keep the request's order
	// (an idempotent Writer does the same with a key of its id).
	keyless string
	next    int64       // index of the next event
	acks    []braid.Ack // of events not yet reported, oldest first
	done    int64       // index of acks[0]
	err     error       // the first failure; the session stops
}

// open starts a session on a stream. The caller must end it with Close or
// abort.
func (in *Ingester) open(ctx context.Context, cfg sessionConfig) (*session, error) {
	release, err := in.claim(ctx, cfg)
	if err != nil {
		return nil, err
	}
	opts := []braid.WriterOption{braid.WithMaxBatchBytes(in.batchBytes), braid.WithMaxInflightBytes(in.inflightBytes),
		braid.WithRetryTimeout(retryTimeout)}
	s := &session{ctx: ctx, cfg: cfg, release: release}
	if cfg.Writer != "" {
		opts = append(opts, braid.WithWriterID(cfg.Writer), braid.WithStreamNumbers(cfg.FirstEvent), braid.WithTimeKeptOnClose())
	} else {
		// No id: nothing to deduplicate, and nothing for the store
		// to keep per request.
		opts = append(opts, braid.WithoutWriterID())
		var b [16]byte
		_, _ = rand.Read(b[:])
		s.keyless = "\x00" + hex.EncodeToString(b[:])
	}
	w, err := in.client.NewWriter(ctx, cfg.Scope+"/"+cfg.Stream, opts...)
	if err != nil {
		if errors.Is(err, braid.ErrEventNumberGap) {
			in.hits.Hit("event-number-gap")
		}
		release()
		return nil, err
	}
	s.w = w
	return s, nil
}

// claim waits until no other session of cfg's writer is open, and marks
// one open; release unmarks it. Sessions without a writer claim nothing.
func (in *Ingester) claim(ctx context.Context, cfg sessionConfig) (release func(), err error) {
	if cfg.Writer == "" {
		return func() {}, nil
	}
	key := cfg.Scope + "/" + cfg.Stream + "/" + cfg.Writer
	for {
		in.mu.Lock()
		busy, ok := in.writers[key]
		if !ok {
			done := make(chan struct{})
			in.writers[key] = done
			in.mu.Unlock()
			return sync.OnceFunc(func() {
				in.mu.Lock()
				delete(in.writers, key)
				in.mu.Unlock()
				close(done)
			}), nil
		}
		in.mu.Unlock()
		select {
		case <-busy:
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for an earlier request of writer %q on %s/%s to end: %w", cfg.Writer, cfg.Scope, cfg.Stream, ctx.Err())
		}
	}
}

// Add appends an event (hasKey false: no routing key). payload is copied.
func (s *session) Add(hasKey bool, key string, payload []byte) error {
	if err := s.report(false); err != nil {
		return err
	}
	idx := s.next
	if len(payload) > s.cfg.MaxEvent {
		return errorf(wire.CodeEventTooLarge, "event %d is %d bytes, over the maximum event size of %d", idx, len(payload), s.cfg.MaxEvent)
	}
	s.next++
	if !hasKey {
		key = s.keyless
	}
	s.acks = append(s.acks, s.w.Write(s.ctx, key, payload))
	return nil
}

// report hands the outcomes of the oldest events that are done to OnAck
// (with wait, of all), and returns the first failure.
func (s *session) report(wait bool) error {
	for s.err == nil && len(s.acks) > 0 {
		a := s.acks[0]
		if !wait {
			select {
			case <-a.Done():
			default:
				return nil
			}
		}
		p, err := a.Wait(s.ctx)
		if err != nil {
			s.err = err
			break
		}
		res := appendResult{Duplicate: a.Duplicate()}
		if p.Offset >= 0 {
			res.Pointer = wire.EventPointer{SegmentID: p.SegmentID, Offset: p.Offset, Length: p.Length}
		}
		s.cfg.OnAck(s.done, res)
		s.acks[0] = braid.Ack{}
		s.acks = s.acks[1:]
		s.done++
	}
	if len(s.acks) == 0 {
		s.acks = nil // let the backing array go
	}
	return s.err
}

// Close sends the events and waits until each is stored. It returns the
// first failure; events acknowledged before it are stored.
func (s *session) Close() error {
	err := s.w.Flush(s.ctx)
	if rerr := s.report(true); rerr != nil {
		err = rerr
	}
	if err == nil && !s.cfg.Time.IsZero() {
		err = s.w.NoteTime(s.ctx, s.cfg.Time)
	}
	cerr := s.w.Close(s.ctx)
	s.release()
	if err == nil {
		err = cerr
	}
	return err
}

// abortWait bounds how long a failed request waits for the events it had
// taken in to be stored or refused.
const abortWait = 5 * time.Second

// abort ends the session after a failure of the request (err), and
// returns err once the Writer is closed: the events taken in before the
// failure are stored (or refused) first. The writer's claim is released
// only then, so that a retry of the request (which waits for the claim)
// opens on the positions those events left, and is not refused for
// numbers that an append still in flight stored after its open. The
// request's context may have ended (its client went away): the wait is
// bounded by abortWait instead.
func (s *session) abort(err error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(s.ctx), abortWait)
	defer cancel()
	s.w.Close(ctx)
	s.release()
	return err
}
