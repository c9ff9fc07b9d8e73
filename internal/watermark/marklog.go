package watermark

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"google.golang.org/protobuf/proto"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/wire"
)

// SegmentStore is what the mark log needs of the segment store.
type SegmentStore interface {
	Create(ctx context.Context, name string) error
	AppendWait(ctx context.Context, name string, req segstore.AppendRequest) (segstore.Result, error)
	Read(ctx context.Context, name string, offset int64, maxBytes int, wait bool) (segstore.ReadResult, error)
	Info(ctx context.Context, name string) (segstore.Info, error)
	Truncate(ctx context.Context, name string, offset int64) error
	Delete(ctx context.Context, name string) error
}

// LogName is the segment that holds a stream's marks. Data segments are
// named scope/stream/<16 hex digits>, so it is never one of them.
func LogName(scope, stream string) string { return scope + "/" + stream + "/marks" }

// maxMarkBytes bounds one stored mark (a cut of every segment of a
// stream of the largest size fits).
const maxMarkBytes = 1 << 20

func encodeMark(m *Mark) []byte {
	p := &braidv1.Watermark{LowerUnixNanos: m.Lower, UpperUnixNanos: m.Upper, MadeUnixMs: m.Made.UnixMilli()}
	for _, id := range sortedIDs(m.Cut) {
		p.Cut = append(p.Cut, &braidv1.SegmentOffset{SegmentId: id, Offset: m.Cut[id]})
	}
	b, _ := proto.Marshal(p) // a message of scalars cannot fail to encode
	return wire.AppendFrame(nil, b)
}

func decodeMark(payload []byte, at int64) (*Mark, error) {
	var p braidv1.Watermark
	if err := proto.Unmarshal(payload, &p); err != nil {
		return nil, err
	}
	m := &Mark{Lower: p.GetLowerUnixNanos(), Upper: p.GetUpperUnixNanos(), Made: time.UnixMilli(p.GetMadeUnixMs()),
		Cut: make(map[uint64]int64, len(p.GetCut())), at: at}
	for _, so := range p.GetCut() {
		m.Cut[so.GetSegmentId()] = so.GetOffset()
	}
	return m, nil
}

func sortedIDs(cut map[uint64]int64) []uint64 {
	ids := make([]uint64, 0, len(cut))
	for id := range cut {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// loadMarks reads a stream's mark log, thinned as of now as it goes (so a
// long log never is in memory whole); none if it does not exist.
func loadMarks(ctx context.Context, st SegmentStore, name string, now time.Time) ([]*Mark, error) {
	info, err := st.Info(ctx, name)
	if errors.Is(err, segstore.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var marks []*Mark
	thinAt := thinEvery
	for off := info.Start; off < info.Length; {
		res, err := st.Read(ctx, name, off, 1<<20, false)
		if err != nil {
			return nil, fmt.Errorf("reading mark log %s at %d: %w", name, off, err)
		}
		if len(res.Data) == 0 {
			break
		}
		if _, err := wire.ScanFrames(res.Data, maxMarkBytes, func(o int, payload []byte) error {
			m, err := decodeMark(payload, res.Offset+int64(o))
			if err != nil {
				return fmt.Errorf("mark at %d of %s: %w", res.Offset+int64(o), name, err)
			}
			marks = append(marks, m)
			if len(marks) >= thinAt {
				marks = thin(marks, now)
				thinAt = len(marks) + thinEvery
			}
			return nil
		}); err != nil {
			return nil, err
		}
		off = res.Offset + int64(len(res.Data))
	}
	return thin(marks, now), nil
}

// appendMark stores m at the end of the mark log, creating the log first.
func appendMark(ctx context.Context, st SegmentStore, name string, m *Mark) error {
	req := segstore.AppendRequest{Events: 1, Data: encodeMark(m)}
	res, err := st.AppendWait(ctx, name, req)
	if errors.Is(err, segstore.ErrNotFound) {
		if err = st.Create(ctx, name); err != nil && !errors.Is(err, segstore.ErrExists) {
			return err
		}
		res, err = st.AppendWait(ctx, name, req)
	}
	if err != nil {
		return err
	}
	m.at = res.Offset
	return nil
}

func isNotFound(err error) bool { return errors.Is(err, segstore.ErrNotFound) }
