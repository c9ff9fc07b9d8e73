package braid

import (
	"context"
	"errors"
	"time"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/wire"
)

// Watermark is a stream's latest watermark: every writer that notes time
// and is active will write nothing older than Time after Cut. It is the
// least time over those writers (Pravega's low watermark).
type Watermark struct {
	// Time is the watermark; zero while no writer noted time.
	Time time.Time
	// Upper is the greatest time the writers noted when it was made.
	Upper time.Time
	// Cut is where it holds: past it, no event is older than Time.
	Cut StreamCut
	// Made is when the server made it.
	Made time.Time
	// Writers are the writers that noted time, active or not.
	Writers []WriterTime
	// Timeout is the stream's timestamp aggregation timeout: a writer
	// silent for longer no longer holds the watermark back.
	Timeout time.Duration
}

// WriterTime is what the server knows of a writer that notes time.
type WriterTime struct {
	Writer   string
	Time     time.Time // the last time it noted
	Reported time.Time // when it noted it
	Position StreamCut // where it was then
	// Active is false once the writer was silent for longer than the
	// stream's timeout.
	Active bool
}

// TimeWindow bounds the times of the events around a position. Lower is
// zero near the head of the stream (before any watermark was passed);
// Upper is zero near the tail (no watermark lies ahead yet).
type TimeWindow struct {
	// Lower: every event read from the position on was written at or
	// after it.
	Lower time.Time
	// Upper: the events just before the position were written at or
	// before it.
	Upper time.Time
}

// NearHead reports whether the window has no lower bound.
func (w TimeWindow) NearHead() bool { return w.Lower.IsZero() }

// NearTail reports whether the window has no upper bound.
func (w TimeWindow) NearTail() bool { return w.Upper.IsZero() }

func timeWindowFrom(p *braidv1.GetTimeWindowResponse) TimeWindow {
	var w TimeWindow
	if p.GetHasLower() {
		w.Lower = time.Unix(0, p.GetLowerUnixNanos())
	}
	if p.GetHasUpper() {
		w.Upper = time.Unix(0, p.GetUpperUnixNanos())
	}
	return w
}

func cutOf(stream string, segs []*braidv1.SegmentOffset) StreamCut {
	cut := StreamCut{Stream: stream, Segments: make([]wire.SegmentOffset, 0, len(segs))}
	for _, s := range segs {
		cut.Segments = append(cut.Segments, wire.SegmentOffset{SegmentID: s.GetSegmentId(), Offset: s.GetOffset()})
	}
	sortBySegment(cut.Segments)
	return cut
}

// Watermark returns a stream's latest watermark and the writers that note
// time on it.
func (c *Client) Watermark(ctx context.Context, stream string) (Watermark, error) {
	scope, name, err := splitStream(stream)
	if err != nil {
		return Watermark{}, err
	}
	resp, err := c.data.GetWatermark(ctx, &braidv1.GetWatermarkRequest{Scope: scope, Stream: name})
	if err != nil {
		return Watermark{}, fromStatus("get the watermark of "+stream, err)
	}
	wm := Watermark{Timeout: time.Duration(resp.GetTimestampAggregationTimeoutMs()) * time.Millisecond}
	if m := resp.GetWatermark(); m != nil {
		wm.Time, wm.Upper = time.Unix(0, m.GetLowerUnixNanos()), time.Unix(0, m.GetUpperUnixNanos())
		wm.Cut, wm.Made = cutOf(stream, m.GetCut()), time.UnixMilli(m.GetMadeUnixMs())
	}
	for _, w := range resp.GetWriters() {
		wm.Writers = append(wm.Writers, WriterTime{Writer: w.GetWriterId(), Time: time.Unix(0, w.GetTimeUnixNanos()),
			Reported: time.UnixMilli(w.GetReportedUnixMs()), Position: cutOf(stream, w.GetPosition()), Active: w.GetActive()})
	}
	return wm, nil
}

// TimeWindowAt returns the time window of a position in a stream: a
// reader's position, or a group's committed cut.
func (c *Client) TimeWindowAt(ctx context.Context, cut StreamCut) (TimeWindow, error) {
	scope, name, err := splitStream(cut.Stream)
	if err != nil {
		return TimeWindow{}, err
	}
	resp, err := c.data.GetTimeWindow(ctx, &braidv1.GetTimeWindowRequest{Scope: scope, Stream: name, Position: cutProto(cut)})
	if err != nil {
		return TimeWindow{}, fromStatus("get a time window of "+cut.Stream, err)
	}
	return timeWindowFrom(resp), nil
}

// TimeWindow returns the time window of the reader's position (after the
// last event Next returned). Call it from the goroutine that calls Next.
func (r *Reader) TimeWindow(ctx context.Context) (TimeWindow, error) {
	return r.c.TimeWindowAt(ctx, r.Position())
}

// TimeWindow returns the time window in stream of the group's position
// with this reader's own segments where it has read them to (after the
// last event Read returned): its lower bound is the group's watermark as
// this reader sees it. Call it from the goroutine that calls Read.
func (r *GroupReader) TimeWindow(ctx context.Context, stream string) (TimeWindow, error) {
	info, err := r.group.Describe(ctx)
	if err != nil {
		return TimeWindow{}, err
	}
	cut := StreamCut{Stream: stream}
	for _, p := range info.Position {
		if p.Stream == stream {
			cut = p
		}
	}
	for _, p := range r.publicPositions() {
		if p.Stream == stream {
			cut = cut.With(p.SegmentID, p.Offset)
		}
	}
	return r.c.TimeWindowAt(ctx, cut)
}

// errTimeBack is NoteTime's error for a time before the last one noted.
var errTimeBack = errors.New("time goes back")

// NoteTime tells the stream that this writer will write nothing older than
// t from now on: readers' time windows and the stream's watermark (the
// least time over its writers) follow. It waits until every event written
// before it is acknowledged, then reports t with the writer's position
// (per segment, the end of its acknowledged events). Times must not go
// back. A writer made WithoutWriterID cannot note time. Close removes the
// writer from the watermark at once (unless WithTimeKeptOnClose); a writer
// that stops noting holds it back for the stream's timestamp aggregation
// timeout.
func (w *Writer) NoteTime(ctx context.Context, t time.Time) error {
	if w.opts.anonymous {
		return newError(wire.CodeInvalidArgument, "note time on "+w.stream+": the writer was made WithoutWriterID, and a watermark needs a writer id")
	}
	w.timeMu.Lock()
	defer w.timeMu.Unlock()
	at := t.UnixNano()
	if at < w.notedTime {
		return newError(wire.CodeInvalidArgument, "note time on "+w.stream+": "+t.UTC().Format(time.RFC3339Nano)+" is before "+
			time.Unix(0, w.notedTime).UTC().Format(time.RFC3339Nano)+", the time the writer noted last: "+errTimeBack.Error())
	}
	if err := w.settle(ctx); err != nil {
		return err
	}
	w.mu.Lock()
	if w.broken != nil {
		err := w.broken
		w.mu.Unlock()
		return err
	}
	var pos []*braidv1.SegmentOffset
	for id, sg := range w.byID {
		if sg.acked > 0 {
			pos = append(pos, &braidv1.SegmentOffset{SegmentId: id, Offset: sg.acked})
		}
	}
	w.mu.Unlock()
	req := &braidv1.NoteTimeRequest{Scope: w.scope, Stream: w.name, WriterId: w.opts.id, TimeUnixNanos: at, Position: pos}
	var pause retryPause
	for {
		_, err := w.client.data.NoteTime(ctx, req)
		if err == nil {
			w.notedTime = at
			return nil
		}
		err = fromStatus("note time on "+w.stream, err)
		if !errors.Is(err, ErrUnavailable) {
			return err
		}
		if perr := pause.wait(ctx, nil); perr != nil {
			return err
		}
	}
}

// WithTimeNoting makes the writer note the wall-clock time every interval
// (Writer.NoteTime with time.Now()), so that the stream has a watermark
// without the application noting times itself. A failed report is tried
// again at the next tick.
func WithTimeNoting(every time.Duration) WriterOption {
	return func(o *writerOptions) { o.noteEvery = every }
}

// WithTimeKeptOnClose leaves the writer's last noted time in the stream's
// watermark after Close, until the same writer id notes again or the
// stream's timestamp aggregation timeout passes: for a writer that works
// as a series of short Writers with one id (as the HTTP API's appends do).
func WithTimeKeptOnClose() WriterOption {
	return func(o *writerOptions) { o.keepTime = true }
}

// noteLoop notes the wall-clock time every interval until the writer
// stops.
func (w *Writer) noteLoop(ctx context.Context, every time.Duration) {
	defer w.wg.Done()
	tk := time.NewTicker(every)
	defer tk.Stop()
	for {
		select {
		case <-w.stop:
			return
		case <-ctx.Done():
			return
		case <-tk.C:
		}
		nctx, cancel := context.WithTimeout(ctx, max(every, time.Second))
		_ = w.NoteTime(nctx, time.Now()) // tried again at the next tick
		cancel()
	}
}

// releaseTime removes a closing writer from the stream's watermark.
func (w *Writer) releaseTime(ctx context.Context) {
	w.timeMu.Lock()
	noted := w.notedTime
	w.timeMu.Unlock()
	if noted == 0 || w.opts.keepTime {
		return
	}
	_, _ = w.client.data.NoteTime(ctx, &braidv1.NoteTimeRequest{Scope: w.scope, Stream: w.name, WriterId: w.opts.id, Closed: true})
}
