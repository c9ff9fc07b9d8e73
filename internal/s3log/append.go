package s3log

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/internal/storage/wal"
	"github.com/braidstream/braid/internal/tier2/s3"
)

// Window is how many records an owner has in flight at most: it writes
// slot s only once every slot up to s-Window has landed. Replay relies on
// it (a missing slot with a slot Window or more after it present was
// truncated, not lost in flight), so it is part of the format, not an
// option.
const Window = 8

// pending is one record in flight, or a barrier (no slot) that is answered
// in its turn.
type pending struct {
	slot    uint64
	barrier bool
	done    func(uint64, error)
	res     chan error // the write's outcome (buffered)
}

// startPipeline starts the goroutine that answers records in slot order;
// Replay calls it once the log is fenced.
func (l *Log) startPipeline() {
	l.tokens = make(chan struct{}, Window)
	l.acks = make(chan *pending, Window)
	l.wg.Add(1)
	go l.answer()
}

// AppendAsync implements segstore.AsyncLog: it writes payload at the next
// slot while up to Window-1 earlier records are still in flight, and calls
// done with the slot once it and every record before it landed, or with
// the error that failed the log (then every later record fails too). A nil
// payload writes nothing: its done comes in its turn, with the log's
// state. AppendAsync waits while Window records are in flight.
func (l *Log) AppendAsync(payload []byte, done func(uint64, error)) {
	select {
	case l.tokens <- struct{}{}:
	case <-l.ctx.Done():
		done(0, fmt.Errorf("%w: s3log: container %d: log closed", wal.ErrFailed, l.opts.Container))
		return
	}
	p := &pending{done: done, res: make(chan error, 1), barrier: payload == nil}
	l.wmu.Lock()
	if l.closing {
		l.wmu.Unlock()
		<-l.tokens
		done(0, fmt.Errorf("%w: s3log: container %d: log closed", wal.ErrFailed, l.opts.Container))
		return
	}
	switch {
	case l.failed != nil:
		p.res <- l.failed
	case len(payload) > l.opts.MaxRecordSize:
		p.res <- fmt.Errorf("s3log: record of %d bytes exceeds %d", len(payload), l.opts.MaxRecordSize)
	case p.barrier:
		p.res <- nil
	case len(payload) == 0:
		p.res <- errors.New("s3log: an empty record (the log's fences are its only empty records)")
	default:
		p.slot = l.next.Load()
		l.next.Store(p.slot + 1)
		data := l.encodeKind(p.slot, l.opts.Epoch, kindRecord, payload)
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			p.res <- l.writeSlot(p.slot, data)
		}()
	}
	l.acks <- p // room: every pending holds a token
	l.wmu.Unlock()
}

// answer calls the pendings' done in slot order. The first failure fails
// the log: records after it that landed are never acknowledged (a
// successor's fence, or the hole the failed one leaves, keeps every replay
// from counting them).
func (l *Log) answer() {
	defer l.wg.Done()
	for {
		var p *pending
		select {
		case p = <-l.acks:
		case <-l.ctx.Done():
			l.failRest()
			return
		}
		var err error
		select {
		case err = <-p.res:
		case <-l.ctx.Done():
			err = fmt.Errorf("s3log: container %d: log closed: %w", l.opts.Container, l.ctx.Err())
		}
		l.wmu.Lock()
		if l.failed != nil {
			err = l.failed
		} else if err != nil {
			if !errors.Is(err, wal.ErrFailed) {
				err = fmt.Errorf("%w: %w", wal.ErrFailed, err)
			}
			l.failed = err
		}
		if err == nil && !p.barrier {
			l.acked.Store(p.slot + 1)
		}
		l.wmu.Unlock()
		p.done(p.slot, err)
		<-l.tokens
	}
}

// failRest answers what is still queued once the log is closed.
func (l *Log) failRest() {
	for {
		select {
		case p := <-l.acks:
			p.done(p.slot, fmt.Errorf("%w: s3log: container %d: log closed", wal.ErrFailed, l.opts.Container))
		default:
			return
		}
	}
}

// Append implements segstore.Log: AppendAsync, waiting for the answer.
// Every record is durable when Append returns (sync is implied).
func (l *Log) Append(payload []byte, _ bool) (uint64, error) {
	if payload == nil {
		payload = []byte{}
	}
	type answer struct {
		slot uint64
		err  error
	}
	c := make(chan answer, 1)
	l.AppendAsync(payload, func(slot uint64, err error) { c <- answer{slot, err} })
	a := <-c
	return a.slot, a.err
}

// Sync implements segstore.Log: it waits for the records in flight.
func (l *Log) Sync() error {
	c := make(chan error, 1)
	l.AppendAsync(nil, func(_ uint64, err error) { c <- err })
	return <-c
}

// drain waits until nothing is in flight and keeps it so: it holds every
// token until undrain.
func (l *Log) drain() error {
	for range Window {
		select {
		case l.tokens <- struct{}{}:
		case <-l.ctx.Done():
			return fmt.Errorf("%w: s3log: container %d: log closed", wal.ErrFailed, l.opts.Container)
		}
	}
	return nil
}

func (l *Log) undrain(n int) {
	for range n {
		<-l.tokens
	}
}

// writeSlot writes data at slot, retrying through errors that say nothing
// about the slot for opts.RetryFor. A slot holding another record is the
// end of this owner: a successor's fence, or (never, while every owner
// keeps to Window) a deposed owner's record.
func (l *Log) writeSlot(slot uint64, data []byte) error {
	return l.writeSlotAs(l.ctx, slot, data, false)
}

// writeSlotAs is writeSlot; with deposedOK a deposed owner's record at
// slot is no error (closeWindow's fences).
func (l *Log) writeSlotAs(ctx context.Context, slot uint64, data []byte, deposedOK bool) error {
	deadline := time.Now().Add(l.opts.RetryFor)
	backoff := 50 * time.Millisecond
	for {
		err := l.opts.Bucket.Create(ctx, l.key(slot), data, l.meta())
		if err == nil {
			return nil
		}
		if errors.Is(err, s3.ErrExists) {
			rec, found, gerr := l.get(ctx, slot)
			switch {
			case gerr != nil:
				err = gerr
			case !found:
				err = fmt.Errorf("slot %d answered that it exists but holds nothing (a concurrent write that failed)", slot)
			case rec.epoch == l.opts.Epoch && bytes.Equal(l.encodeKind(slot, rec.epoch, rec.kind, rec.payload), data):
				return nil // our own write, whose answer was lost
			case rec.epoch >= l.opts.Epoch:
				return l.fenced(slot, rec.epoch)
			case deposedOK:
				l.skipped.Add(1)
				return nil
			default:
				return fmt.Errorf("%w: s3log: container %d: slot %d holds a record of epoch %d, below this owner's %d, past its fence",
					wal.ErrFailed, l.opts.Container, slot, rec.epoch, l.opts.Epoch)
			}
		}
		if ctx.Err() != nil {
			return fmt.Errorf("s3log: container %d: %w", l.opts.Container, ctx.Err())
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("s3log: container %d: slot %d not written within %v: %w", l.opts.Container, slot, l.opts.RetryFor, err)
		}
		l.opts.Logger.Warn("s3log: write failed, retrying the same slot", slog.Int("container", l.opts.Container),
			slog.Uint64("slot", slot), slog.Any("err", err))
		t := time.NewTimer(backoff)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
		backoff = min(2*backoff, 2*time.Second)
	}
}

// mark writes a truncation mark for slots below upto at the next slot,
// with nothing in flight: a mark says every slot before it landed, which
// is how replay tells a truncated log from a hole left in flight.
func (l *Log) mark(upto uint64) error {
	if err := l.drain(); err != nil {
		return err
	}
	defer l.undrain(Window)
	l.wmu.Lock()
	defer l.wmu.Unlock()
	if l.failed != nil {
		return l.failed
	}
	var p [8]byte
	binary.BigEndian.PutUint64(p[:], upto)
	slot := l.next.Load()
	if err := l.writeSlot(slot, l.encodeKind(slot, l.opts.Epoch, kindTruncate, p[:])); err != nil {
		if !errors.Is(err, wal.ErrFailed) {
			err = fmt.Errorf("%w: %w", wal.ErrFailed, err)
		}
		l.failed = err
		return err
	}
	l.next.Store(slot + 1)
	l.acked.Store(slot + 1)
	return nil
}

var _ segstore.AsyncLog = (*Log)(nil)
