package bench

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/wire"
)

// splitCut deals the segments of cut out to at most n shares (n <= 0: one
// per segment), in turn, so that each reader reads its own segments. There
// are never more shares than segments, and never an empty one.
func splitCut(cut braid.StreamCut, n int) []braid.StreamCut {
	if n <= 0 || n > len(cut.Segments) {
		n = len(cut.Segments)
	}
	shares := make([]braid.StreamCut, n)
	for i := range shares {
		shares[i].Stream = cut.Stream
	}
	for i, s := range cut.Segments {
		shares[i%n].Segments = append(shares[i%n].Segments, s)
	}
	return shares
}

// restrictCut returns the part of cut that names the segments of share.
func restrictCut(cut, share braid.StreamCut) (braid.StreamCut, error) {
	out := braid.StreamCut{Stream: cut.Stream, Segments: make([]wire.SegmentOffset, 0, len(share.Segments))}
	for _, s := range share.Segments {
		off, ok := cut.Offset(s.SegmentID)
		if !ok {
			return braid.StreamCut{}, fmt.Errorf("the stream's segments changed during the run: segment %016x is gone", s.SegmentID)
		}
		out.Segments = append(out.Segments, wire.SegmentOffset{SegmentID: s.SegmentID, Offset: off})
	}
	return out, nil
}

// cutBytes returns how many segment bytes lie between from and until
// (which names at least from's segments).
func cutBytes(from, until braid.StreamCut) int64 {
	var n int64
	for _, s := range from.Segments {
		if end, ok := until.Offset(s.SegmentID); ok && end > s.Offset {
			n += end - s.Offset
		}
	}
	return n
}

// readBounded reads the stream with one reader per share of the segments
// (see splitCut), all at once, each from its share's offsets to until's,
// and returns the events
// and payload bytes read and the time from opening the readers to the last
// one's end. Progress counts the events.
func readBounded(ctx context.Context, c *braid.Client, cfg Config, shares []braid.StreamCut, until braid.StreamCut) (events, bytes int64, elapsed time.Duration, err error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	readers := make([]*braid.Reader, 0, len(shares))
	defer func() {
		for _, r := range readers {
			r.Close()
		}
	}()
	begin := time.Now()
	for _, share := range shares {
		end, err := restrictCut(until, share)
		if err != nil {
			return 0, 0, 0, err
		}
		r, err := c.NewReader(ctx, cfg.Stream, braid.FromCut(share), braid.UntilCut(end))
		if err != nil {
			return 0, 0, 0, fmt.Errorf("read %s: %w", cfg.Stream, err)
		}
		readers = append(readers, r)
	}
	var (
		mu       sync.Mutex
		lastDone time.Time
		wg       sync.WaitGroup
	)
	for _, r := range readers {
		wg.Go(func() {
			var n, b int64
			unreported := 0
			defer func() {
				cfg.Progress.Add(unreported)
				mu.Lock()
				defer mu.Unlock()
				events += n
				bytes += b
			}()
			for {
				ev, err := r.Next(ctx)
				if err == io.EOF {
					now := time.Now()
					mu.Lock()
					if now.After(lastDone) {
						lastDone = now
					}
					mu.Unlock()
					return
				}
				if err != nil {
					cancel(fmt.Errorf("read %s: %w", cfg.Stream, err))
					return
				}
				n++
				b += int64(len(ev.Data))
				if unreported++; unreported == progressEvery {
					cfg.Progress.Add(unreported)
					unreported = 0
				}
			}
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return 0, 0, 0, err
	}
	return events, bytes, lastDone.Sub(begin), nil
}
