package queryjob

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/wire"
)

// chunkSize bounds one event of a checkpoint in the state stream.
const chunkSize = 4 << 20

// maxCheckpoint bounds a checkpoint (state and outboxes).
const maxCheckpoint = 256 << 20

// checkpoint is what the state stream holds: the engine's state at an
// input position, and the results (and late events) computed up to it,
// which are appended after the checkpoint is committed.
//
// Encoded as JSON, then cut into events of at most chunkSize bytes; the
// record's checkpointRef lists them.
type checkpoint struct {
	Version int64  `json:"version"`
	Engine  []byte `json:"engine"`
	// Output and Writer are the stream and writer id the outbox is
	// appended with (a version's own); Late and LateWriter the late
	// outbox's.
	Output     string `json:"output"`
	Writer     string `json:"writer"`
	Late       string `json:"late,omitempty"`
	LateWriter string `json:"late_writer,omitempty"`
	// Seq is the stream number of Outbox[0] (and of the next result
	// when Outbox is empty); LateSeq of LateOutbox[0].
	Seq        int64       `json:"seq"`
	Outbox     []outResult `json:"outbox,omitempty"`
	LateSeq    int64       `json:"late_seq"`
	LateOutbox [][]byte    `json:"late_outbox,omitempty"`
}

// outResult is one result to append: its routing key and JSON.
type outResult struct {
	Key  string          `json:"k"`
	Data json.RawMessage `json:"d"`
}

// saveCheckpoint appends ck to the state stream, waits until it is
// durable, and returns the pointers of its chunks.
func saveCheckpoint(ctx context.Context, w *braid.Writer, ck *checkpoint) ([]string, error) {
	b, err := json.Marshal(ck)
	if err != nil {
		return nil, fmt.Errorf("encoding a checkpoint: %w", err)
	}
	if len(b) > maxCheckpoint {
		return nil, fmt.Errorf("the query's checkpoint is %d bytes, more than the %d bytes a checkpoint may hold: lower max_groups or the window size", len(b), maxCheckpoint)
	}
	var acks []braid.Ack
	for len(b) > 0 {
		n := min(len(b), chunkSize)
		acks = append(acks, w.Write(ctx, "", b[:n:n]))
		b = b[n:]
	}
	out := make([]string, 0, len(acks))
	for _, a := range acks {
		p, err := a.Wait(ctx)
		if err != nil {
			return nil, fmt.Errorf("saving a checkpoint: %w", err)
		}
		if p.Offset < 0 {
			return nil, fmt.Errorf("saving a checkpoint: the state stream did not say where it stored a chunk")
		}
		out = append(out, p.Qualified())
	}
	return out, nil
}

// loadCheckpoint reads the checkpoint ref points to.
func loadCheckpoint(ctx context.Context, c *braid.Client, ref *checkpointRef) (*checkpoint, error) {
	var buf bytes.Buffer
	for i, t := range ref.Chunks {
		p, err := braid.ParsePointer(t)
		if err != nil {
			return nil, fmt.Errorf("checkpoint %d, chunk %d: %w", ref.Count, i, err)
		}
		b, err := c.Fetch(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("reading checkpoint %d, chunk %d at %s: %w", ref.Count, i, t, err)
		}
		if buf.Len()+len(b) > maxCheckpoint {
			return nil, fmt.Errorf("checkpoint %d is larger than %d bytes", ref.Count, maxCheckpoint)
		}
		buf.Write(b)
	}
	var ck checkpoint
	if err := json.Unmarshal(buf.Bytes(), &ck); err != nil {
		return nil, fmt.Errorf("checkpoint %d is damaged: %w", ref.Count, err)
	}
	if ck.Version != ref.Version {
		return nil, fmt.Errorf("checkpoint %d is of version %d, its record says %d", ref.Count, ck.Version, ref.Version)
	}
	return &ck, nil
}

// firstChunkCut is the state stream cut at a checkpoint's first chunk:
// what may be truncated once the checkpoint is committed.
func firstChunkCut(stream string, ref *checkpointRef) (braid.StreamCut, bool) {
	if ref == nil || len(ref.Chunks) == 0 {
		return braid.StreamCut{}, false
	}
	p, err := braid.ParsePointer(ref.Chunks[0])
	if err != nil {
		return braid.StreamCut{}, false
	}
	return braid.StreamCut{Stream: stream, Segments: []wire.SegmentOffset{{SegmentID: p.SegmentID, Offset: p.Offset}}}, true
}
