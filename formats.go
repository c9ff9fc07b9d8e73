package braid

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/wire"
)

// EventPointer says where one event lives: stream, segment id, the offset
// of the event's header in the segment, and its framed length (the 8-byte
// header included). Its String form is "<16 hex>-<16 hex>-<8 hex>", and
// Qualified puts "scope/stream/" in front. See wire.EventPointer.
type EventPointer = wire.EventPointer

// StreamCut is a position in a stream: an event-boundary offset for each
// segment. Its String form is "v1." followed by base64url. See
// wire.StreamCut.
type StreamCut = wire.StreamCut

// ParsePointer parses an event pointer's text, "<segment>-<offset>-<length>"
// or the qualified "scope/stream/<segment>-<offset>-<length>" (which also
// sets Stream). The error, an INVALID_ARGUMENT *Error, quotes the input and
// says what was wrong.
func ParsePointer(s string) (EventPointer, error) {
	p, err := wire.ParsePointer(s)
	if err != nil {
		return EventPointer{}, invalidArg(err)
	}
	return p, nil
}

// ParseStreamCut parses a stream cut's text ("v1.…"). The result has an
// empty Stream. The error, an INVALID_ARGUMENT *Error, quotes the input and
// says what was wrong.
func ParseStreamCut(s string) (StreamCut, error) {
	c, err := wire.ParseStreamCut(s)
	if err != nil {
		return StreamCut{}, invalidArg(err)
	}
	return c, nil
}

// Fetch reads back the one event p points to and returns exactly the payload
// that was written. p.Stream must be set ("scope/stream"). The server
// verifies the event's checksum before returning it. Reading an event that was truncated or deleted fails
// with ErrTruncated (or ErrNotFound for a deleted stream), never with other
// bytes.
func (c *Client) Fetch(ctx context.Context, p EventPointer) ([]byte, error) {
	if p.Stream == "" {
		return nil, newError(wire.CodeInvalidArgument, "fetch "+p.String()+": the event pointer names no stream (want scope/stream/"+p.String()+")")
	}
	scope, name, err := splitStream(p.Stream)
	if err != nil {
		return nil, err
	}
	if p.Offset < 0 || p.Length < wire.HeaderSize {
		return nil, newError(wire.CodeInvalidArgument, fmt.Sprintf("fetch %s: invalid event pointer (offset %d, length %d; want offset >= 0 and length >= %d)", p.Qualified(), p.Offset, p.Length, wire.HeaderSize))
	}
	resp, err := c.data.FetchEvent(ctx, &braidv1.FetchEventRequest{
		Scope: scope, Stream: name, SegmentId: p.SegmentID, Offset: p.Offset, Length: p.Length,
	})
	if err != nil {
		return nil, fromStatus("fetch "+p.Qualified(), err)
	}
	data := resp.GetData()
	if len(data) != int(p.Length)-wire.HeaderSize {
		return nil, newError(wire.CodeCorrupt, fmt.Sprintf("fetch %s: server returned %d bytes for an event of %d", p.Qualified(), len(data), int(p.Length)-wire.HeaderSize))
	}
	if data == nil {
		data = []byte{}
	}
	return data, nil
}

// sortBySegment orders a cut's segments by id, as its text form requires.
func sortBySegment(segs []wire.SegmentOffset) {
	slices.SortFunc(segs, func(a, b wire.SegmentOffset) int { return cmp.Compare(a.SegmentID, b.SegmentID) })
}

// ParseTimeSpec parses the time of a "time:" start position, the part
// after "time:": an RFC 3339 time ("2026-12-03T10:00:00Z", fractions of a
// second allowed) or a duration before now ("-5m", "-1h30m"; Go's
// duration syntax, with the minus sign).
func ParseTimeSpec(spec string, now time.Time) (time.Time, error) {
	if strings.HasPrefix(spec, "-") {
		d, err := time.ParseDuration(spec[1:])
		if err != nil || d < 0 {
			return time.Time{}, newError(wire.CodeInvalidArgument, fmt.Sprintf("time %q: not a duration before now (want -5m, -1h30m)", spec))
		}
		return now.Add(-d), nil
	}
	t, err := time.Parse(time.RFC3339Nano, spec)
	if err != nil {
		return time.Time{}, newError(wire.CodeInvalidArgument, fmt.Sprintf("time %q: not an RFC 3339 time (2026-12-03T10:00:00Z) nor a duration before now (-5m)", spec))
	}
	if t.UnixNano() <= 0 {
		return time.Time{}, newError(wire.CodeInvalidArgument, fmt.Sprintf("time %q: before 1970", spec))
	}
	return t, nil
}
