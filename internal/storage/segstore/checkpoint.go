package segstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"path/filepath"

	"github.com/braidstream/braid/internal/storage/wal"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

const checkpointMagic = "BRCK"

type checkpointFile struct {
	LSN uint64 `json:"lsn"`
	// ReplayLSN is the first WAL record recovery reads (0: LSN+1): the
	// oldest holding data that is not in tier 2 yet. Records up to LSN
	// give back only that data; the rest of what they did is here.
	ReplayLSN uint64 `json:"replay_lsn,omitempty"`
	// Replay is where record ReplayLSN starts, so that recovery skips
	// the log before it (zero: read the WAL from its start).
	Replay     wal.Position `json:"replay,omitzero"`
	NextHandle uint64       `json:"next_handle"`
	// Epoch is the owner epoch of the container that wrote it (0 on a
	// single node): an owner of a lower epoch may not load it.
	Epoch uint64 `json:"epoch,omitempty"`
	// ReplayEpoch is the epoch in force just before ReplayLSN (the last
	// counted record's): replay starts its epoch rule there, skipping
	// records of lower epochs. It is below Epoch when the replay starts
	// in records of an earlier owner that this one replayed itself.
	ReplayEpoch uint64         `json:"replay_epoch,omitempty"`
	Segments    []segmentState `json:"segments"`
	// Garbage lists tier-2 keys, and prefixes ending in "/", still to be
	// deleted: truncated chunks and deleted segments.
	Garbage []string `json:"garbage,omitempty"`
}

// replayLSN is the first record recovery must read.
func (ck *checkpointFile) replayLSN() uint64 {
	if ck.ReplayLSN == 0 {
		return ck.LSN + 1
	}
	return ck.ReplayLSN
}

type segmentState struct {
	Handle  uint64                  `json:"handle"`
	Name    string                  `json:"name"`
	Length  int64                   `json:"length"`
	Start   int64                   `json:"start"`
	Sealed  bool                    `json:"sealed,omitempty"`
	Writers map[string]*writerState `json:"writers,omitempty"`
	// Flushed is how much of the segment is in tier 2, in Chunks.
	Flushed int64   `json:"flushed"`
	Chunks  []chunk `json:"chunks,omitempty"`
	// Times is the time index, encoded by encodeTimes.
	Times []byte `json:"times,omitempty"`
}

func encodeCheckpoint(ck *checkpointFile) ([]byte, error) {
	body, err := json.Marshal(ck)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 8, 8+len(body))
	copy(out, checkpointMagic)
	binary.BigEndian.PutUint32(out[4:], crc32.Checksum(body, castagnoli))
	return append(out, body...), nil
}

func decodeCheckpoint(b []byte) (*checkpointFile, error) {
	if len(b) < 8 || !bytes.Equal(b[:4], []byte(checkpointMagic)) {
		return nil, errors.New("not a checkpoint (bad magic)")
	}
	if crc32.Checksum(b[8:], castagnoli) != binary.BigEndian.Uint32(b[4:]) {
		return nil, errors.New("checkpoint checksum mismatch")
	}
	var ck checkpointFile
	if err := json.Unmarshal(b[8:], &ck); err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	return &ck, nil
}

// checkpointName names the container's checkpoint in errors.
func (c *container) checkpointName() string {
	if _, ok := c.opts.Checkpoints.(fileCheckpoints); ok {
		return filepath.Join(c.dir, "checkpoint")
	}
	return fmt.Sprintf("the checkpoint of container %d", c.id)
}

// loadCheckpoint restores the state the checkpoint describes. A container
// without one gets an empty checkpoint written first, unless tier 2 already
// holds chunks for it: then the tier-2 location belongs to another data
// directory, and sharing it would destroy that one's data.
func (c *container) loadCheckpoint(ctx context.Context) (*checkpointFile, error) {
	b, err := c.opts.Checkpoints.Load(ctx, c.id)
	if errors.Is(err, fs.ErrNotExist) {
		objs, err := c.t2.List(ctx, containerPrefix(c.id), "", 1)
		if err != nil {
			return nil, fmt.Errorf("checking tier 2 for container %d: %w", c.id, err)
		}
		if len(objs) > 0 {
			return nil, fmt.Errorf("tier 2 holds chunks of container %d (%s) but %s has no checkpoint: the tier-2 location belongs to another data directory (give each data directory its own location)",
				c.id, objs[0].Key, c.dir)
		}
		ck := &checkpointFile{NextHandle: 1}
		b, err := encodeCheckpoint(ck)
		if err == nil {
			err = c.opts.Checkpoints.Save(ctx, c.id, 0, c.epoch, b)
		}
		return ck, err
	}
	if err != nil {
		return nil, err
	}
	ck, err := decodeCheckpoint(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.checkpointName(), err)
	}
	if ck.Epoch > c.epoch {
		return nil, fmt.Errorf("%w: %s was written by epoch %d, after this owner's epoch %d", ErrFenced, c.checkpointName(), ck.Epoch, c.epoch)
	}
	c.appliedLSN = ck.LSN
	c.nextHandle = max(ck.NextHandle, 1)
	c.garbage = ck.Garbage
	for _, st := range ck.Segments {
		if err := st.check(); err != nil {
			return nil, fmt.Errorf("%s: %w", c.checkpointName(), err)
		}
		s := newSegment(st.Handle, st.Name)
		s.length, s.start, s.sealed = st.Length, st.Start, st.Sealed
		s.flushed, s.chunks = st.Flushed, st.Chunks
		if s.times, err = decodeTimes(st.Times); err != nil {
			return nil, fmt.Errorf("%s: segment %s: time index: %w", c.checkpointName(), st.Name, err)
		}
		if n := len(s.times); n > 0 {
			s.lastTime = s.times[n-1].Time
		}
		if st.Writers != nil {
			s.writers = st.Writers
		}
		c.segs[st.Name] = s
		c.handles[st.Handle] = s
	}
	return ck, nil
}

// check reports a segment state that cannot be right.
func (st *segmentState) check() error {
	if st.Start < 0 || st.Start > st.Length || st.Flushed < 0 || st.Flushed > st.Length {
		return fmt.Errorf("segment %s: start %d, tier 2 up to %d, length %d", st.Name, st.Start, st.Flushed, st.Length)
	}
	prev := int64(-1)
	for _, k := range st.Chunks {
		if k.Offset < prev || k.Length < 1 || k.end() > st.Flushed {
			return fmt.Errorf("segment %s: chunk %d+%d out of order or past %d", st.Name, k.Offset, k.Length, st.Flushed)
		}
		prev = k.end()
	}
	return nil
}

// snapshot returns the checkpoint of the current state. The caller makes
// sure that the state is durable in the WAL (a barrier, or the flusher
// stopped).
func (c *container) snapshot() *checkpointFile {
	c.mu.RLock()
	defer c.mu.RUnlock()
	ck := &checkpointFile{LSN: c.appliedLSN, NextHandle: c.nextHandle, Epoch: c.epoch, Garbage: append([]string(nil), c.garbage...)}
	ck.ReplayLSN, ck.Replay = c.appliedLSN+1, c.appliedPos
	for _, s := range c.segs {
		st := segmentState{Handle: s.handle, Name: s.name, Length: s.length, Start: s.start, Sealed: s.sealed,
			Flushed: s.flushed, Chunks: append([]chunk(nil), s.chunks...)}
		st.Times = encodeTimes(s.times)
		if len(s.writers) > 0 {
			st.Writers = make(map[string]*writerState, len(s.writers))
			for k, w := range s.writers {
				st.Writers[k] = &writerState{Last: w.Last, History: append([]appendRef(nil), w.History...)}
			}
		}
		ck.Segments = append(ck.Segments, st)
		if len(s.mem) > 0 && s.mem[0].lsn < ck.ReplayLSN {
			ck.ReplayLSN, ck.Replay = s.mem[0].lsn, s.mem[0].pos
		}
	}
	if c.wal != nil {
		ck.ReplayEpoch = c.wal.EpochBefore(ck.ReplayLSN)
	}
	return ck
}

// writeCheckpoint writes ck and then truncates the WAL before its replay
// point. Only the storage writer (or Close, after it stopped) calls it.
func (c *container) writeCheckpoint(ck *checkpointFile) (err error) {
	defer func() {
		result := "ok"
		if err != nil {
			result = "error"
		}
		c.m.checkpoints.WithLabelValues(c.lbl, result).Inc()
	}()
	b, err := encodeCheckpoint(ck)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), tier2Timeout)
	defer cancel()
	if err := c.opts.Checkpoints.Save(ctx, c.id, ck.LSN, c.epoch, b); err != nil {
		return fmt.Errorf("write checkpoint: %w", err)
	}
	return nil
}
