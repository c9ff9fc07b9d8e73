package braid

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"google.golang.org/grpc"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/wire"
)

// readSegmentStream reads one segment with ReadSegment from req.Offset,
// checking every frame, and hands each response to emit (base offset, data,
// event starts, commit times if req asked for them, whether the read is
// done). It reconnects from where it was
// while the server is unavailable, for up to the client's reconnect timeout. It returns
// nil once done (or when emit returns false), ctx's error when ctx ends,
// and the error that stopped it otherwise.
func readSegmentStream(ctx context.Context, c *Client, req *braidv1.ReadSegmentRequest, what string,
	emit func(base int64, data []byte, starts []uint32, times []*braidv1.CommitTime, done bool) bool) error {
	off, end := req.GetOffset(), req.GetEndOffset()
	var bo retryPause
	var outage time.Time
	for {
		req.Offset = off
		stop, err := func() (bool, error) {
			stream, err := c.data.ReadSegment(ctx, req, grpc.ForceCodecV2(dataCodec{}))
			if err != nil {
				return false, err
			}
			for {
				resp, err := stream.Recv()
				if err != nil {
					return false, err
				}
				outage = time.Time{}
				bo.reset()
				if resp.GetOffset() != off {
					return false, newError(wire.CodeInternal, fmt.Sprintf("%s: the server sent offset %d, want %d", what, resp.GetOffset(), off))
				}
				data := resp.GetEvents()
				var starts []uint32
				_, err = wire.ScanFrames(data, 0, func(o int, _ []byte) error {
					starts = append(starts, uint32(o))
					return nil
				})
				if err != nil {
					var fe *wire.FrameError
					if errors.As(err, &fe) {
						return false, newError(wire.CodeCorrupt, fmt.Sprintf("%s: bad event frame at offset %d: %s", what, off+fe.Offset, fe.Reason))
					}
					return false, err
				}
				base := off
				off += int64(len(data))
				done := resp.GetEndOfSegment() || end > 0 && off >= end
				if len(starts) > 0 || done {
					if !emit(base, data, starts, resp.GetCommitTimes(), done) {
						return true, nil
					}
				}
				if done {
					return true, nil
				}
			}
		}()
		switch {
		case stop:
			return nil
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, io.EOF):
			if !req.GetFollow() {
				return newError(wire.CodeInvalidArgument, fmt.Sprintf("%s: the segment ends at offset %d, before the end offset %d", what, off, end))
			}
			err = newError(wire.CodeUnavailable, what+": the server ended the read")
		}
		err = fromStatus(what, err)
		if codeOf(err) == wire.CodeNotFound {
			return streamGone(ctx, c, req.GetScope(), req.GetStream(), req.GetSegmentId(), err)
		}
		if codeOf(err) != wire.CodeUnavailable {
			return err
		}
		if outage.IsZero() {
			outage = time.Now()
		} else if time.Since(outage) > c.reconnect {
			return err
		}
		if err := bo.wait(ctx, nil); err != nil {
			return err
		}
	}
}

// streamGone is the error of a read of segment id of scope/name that failed with err
// (NOT_FOUND): when the stream was deleted, or deleted and created anew
// (the new stream has other segments), an error that says so, of code
// NOT_FOUND; otherwise err. A reader that follows the tail of a stream
// deleted under it meets this.
func streamGone(ctx context.Context, c *Client, scope, name string, id uint64, err error) error {
	stream := scope + "/" + name
	info, gerr := c.GetStream(ctx, stream)
	switch {
	case codeOf(gerr) == wire.CodeNotFound:
		return newError(wire.CodeNotFound, fmt.Sprintf("read %s: stream %s was deleted", stream, stream))
	case gerr != nil:
		return err
	}
	for _, e := range info.Epochs {
		for _, s := range e.Segments {
			if s.ID == id {
				return err
			}
		}
	}
	return newError(wire.CodeNotFound, fmt.Sprintf("read %s: stream %s was deleted (a new stream of that name has been created since)", stream, stream))
}

// appendTime returns the time of the event at offset off from a response's
// commit times (sorted by offset), starting the search at *i, which it
// moves up: events are looked up in order. It is the zero time when the
// times do not say.
func appendTime(times []*braidv1.CommitTime, i *int, off int64) time.Time {
	for *i+1 < len(times) && times[*i+1].GetOffset() <= off {
		*i++
	}
	if *i >= len(times) || times[*i].GetOffset() > off || times[*i].GetTimeUnixNanos() <= 0 {
		return time.Time{}
	}
	return time.Unix(0, times[*i].GetTimeUnixNanos())
}
