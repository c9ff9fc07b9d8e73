// Package s3log is a container's durable log kept in S3 (segstore.Log), for
// cluster mode: one object per group commit, at consecutive slots, each
// written create-if-absent (PutObject with If-None-Match: *), so that S3
// itself decides which owner's write a slot holds.
//
// # Objects
//
// Slot s of container k is the object log/<k>/<s as 16 hex digits>:
//
//	"BRSL" | version 1 | kind u8 | 2 zero bytes | container u32 |
//	epoch u64 | slot u64 | payload length u32 | crc32c u32 | payload
//
// big-endian; the CRC (Castagnoli) covers every byte before it and the
// payload. The slot is the record's LSN. Kind 0 is the container's record
// (empty: a fence); kind 1 a truncation mark, whose payload is the slot
// (u64) below which its owner deletes the log.
//
// # Writing
//
// An owner has up to Window records in flight (one PUT each): it writes
// slot s only once every slot up to s-Window has landed, and acknowledges
// records in slot order. The first failure fails the log; records after it
// that landed are never acknowledged.
//
// # Fencing
//
// An owner with epoch e (from etcd; epochs grow with every owner change)
// replays the log from its checkpoint's LSN up to the first missing slot f
// and writes an empty record (a fence) there; then it writes fences at the
// Window-1 slots after f (closing the window), and its own records start
// at f+Window. If another object took f meanwhile it is read like any
// other and the owner tries the next slot. From then on:
//
//   - an earlier owner cannot get f acknowledged: it meets 412 there, and
//     since it acknowledges in slot order, everything it acknowledged is
//     below f, and the new owner replayed it;
//   - records an earlier owner had in flight past f either landed before
//     the window was closed (their epoch is lower than the fence's before
//     them: they were never acknowledged, and replay skips them) or never
//     land;
//   - a record with a higher epoch than the owner's own means it has been
//     deposed: the log fails with segstore.ErrFenced.
//
// Neither argument uses clocks or leases: etcd only decides who should own
// a container. A write whose answer was lost (the object landed, the
// connection did not) is resolved by reading the slot back: the owner's own
// epoch and the same bytes mean it landed.
//
// # Truncation
//
// TruncateBefore deletes a prefix of the slots but never the last one
// acknowledged, so that the log's tail is always there to be found, and
// never a fence: the slot a deposed owner writes next is inside the fences
// of the successor that deposed it, and were it deleted, that owner's
// create-if-absent would land there and be acknowledged, unseen by any
// replay. A fence is the log's only object of exactly the header's size,
// so a listing tells them apart; they cost Window small objects per owner
// change.
//
// Before it deletes, the owner writes a truncation mark at its next slot,
// with nothing in flight: only an owner whose mark landed (below any
// successor's fence) deletes, and a successor that replays the mark from a
// start below it knows the slots under it may be gone. A replay that meets
// a mark above its start answers segstore.ErrLogMoved, and the container
// recovers again from the newer checkpoint (written before the mark). So
// does a replay that finds its first missing slot s followed by a slot at
// s+Window or later, or by a mark: no owner writes that far past a slot in
// flight, and a mark means every slot before it had landed, so s was
// deleted. Any other missing slot is the tail, and where the new owner
// fences. A deposed owner that does not yet know it was deposed cannot
// delete what its successor needs: its mark meets the fence first.
package s3log

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/internal/storage/wal"
	"github.com/braidstream/braid/internal/tier2"
)

// Bucket is what the log needs of an object store; *s3.Store has it.
type Bucket interface {
	// Create stores data at key only if no object is there; an error
	// wrapping s3.ErrExists otherwise.
	Create(ctx context.Context, key string, data []byte, meta map[string]string) error
	GetRange(ctx context.Context, key string, off, length int64) ([]byte, error)
	List(ctx context.Context, prefix, after string, limit int) ([]tier2.ObjectInfo, error)
	Delete(ctx context.Context, key string) error
}

// Options configure a Log.
type Options struct {
	Bucket    Bucket
	Container int
	// Epoch is this owner's epoch, at least 1.
	Epoch uint64
	// RetryFor is how long one record's write is retried through errors
	// that say nothing about the slot (5xx after the SDK's own retries,
	// dropped connections) before the log fails (default 1 min).
	RetryFor time.Duration
	// MaxRecordSize bounds a payload (default 32 MiB).
	MaxRecordSize int
	// ReadAhead is how many slots replay fetches at once (default 16).
	ReadAhead int
	// CheckEvery, with OnFenced, makes the log check every so often
	// whether a successor fenced it (Check), and call OnFenced once it
	// did. 0: no checks.
	CheckEvery time.Duration
	OnFenced   func()
	Logger     *slog.Logger
}

const (
	magic      = "BRSL"
	version    = 1
	headerSize = 4 + 4 + 4 + 8 + 8 + 4 + 4
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Log is a segstore.Log in S3. See the package documentation.
type Log struct {
	opts   Options
	prefix string
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup // watchFence, answer, writes in flight

	next     atomic.Uint64 // the slot the next record goes to (wmu)
	acked    atomic.Uint64 // the slot after the last one acknowledged
	tokens   chan struct{} // one per record in flight (Window)
	acks     chan *pending // records in flight, in slot order
	from     uint64        // where the replay started
	maxEpoch uint64        // highest epoch replayed (flusher)
	failed   error         // sticky (wmu)
	closing  bool          // Close was called (wmu)

	wmu sync.Mutex // serializes writes (Append, truncation marks); guards failed

	mu     sync.Mutex // guards oldest and marks; serializes TruncateBefore
	oldest uint64     // lowest slot that may still exist
	// marks are where the counted records' epoch rose, from the replay's
	// start on: EpochBefore reads them.
	marks []epochMark

	skipped atomic.Int64 // records of deposed owners met at our slots
}

var _ segstore.Log = (*Log)(nil)

// epochMark says that counted records from slot on have epoch or more.
type epochMark struct{ slot, epoch uint64 }

// rise records that the counted records' epoch rose to epoch at slot.
func (l *Log) rise(slot, epoch uint64) {
	l.mu.Lock()
	l.marks = append(l.marks, epochMark{slot, epoch})
	l.mu.Unlock()
}

// EpochBefore implements segstore.Log: the epoch of the counted records
// just before lsn, which a replay from lsn must start its epoch rule
// with. lsn must not be below the replay's start.
func (l *Log) EpochBefore(lsn uint64) uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	var e uint64
	for _, m := range l.marks {
		if m.slot >= lsn {
			break
		}
		e = m.epoch
	}
	return e
}

// Open returns container opts.Container's log for the owner with
// opts.Epoch. It makes no request: Replay does the work.
func Open(opts Options) (*Log, error) {
	if opts.Bucket == nil {
		return nil, errors.New("s3log: no bucket")
	}
	if opts.Epoch < 1 {
		return nil, fmt.Errorf("s3log: container %d: epoch %d, want at least 1", opts.Container, opts.Epoch)
	}
	if opts.RetryFor <= 0 {
		opts.RetryFor = time.Minute
	}
	if opts.MaxRecordSize <= 0 {
		opts.MaxRecordSize = 32 << 20
	}
	if opts.ReadAhead <= 0 {
		opts.ReadAhead = 16
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	l := &Log{opts: opts, prefix: "log/" + strconv.Itoa(opts.Container) + "/"}
	l.ctx, l.cancel = context.WithCancel(context.Background())
	return l, nil
}

func (l *Log) key(slot uint64) string { return fmt.Sprintf("%s%016x", l.prefix, slot) }

func (l *Log) slotOf(key string) (uint64, bool) {
	if len(key) != len(l.prefix)+16 || key[:len(l.prefix)] != l.prefix {
		return 0, false
	}
	s, err := strconv.ParseUint(key[len(l.prefix):], 16, 64)
	return s, err == nil
}

// record is one decoded slot object.
type record struct {
	epoch   uint64
	kind    byte
	payload []byte
}

// Record kinds.
const (
	kindRecord   = 0
	kindTruncate = 1
)

func (l *Log) encode(slot uint64, epoch uint64, payload []byte) []byte {
	return l.encodeKind(slot, epoch, kindRecord, payload)
}

func (l *Log) encodeKind(slot, epoch uint64, kind byte, payload []byte) []byte {
	b := make([]byte, headerSize, headerSize+len(payload))
	copy(b, magic)
	b[4] = version
	b[5] = kind
	binary.BigEndian.PutUint32(b[8:], uint32(l.opts.Container))
	binary.BigEndian.PutUint64(b[12:], epoch)
	binary.BigEndian.PutUint64(b[20:], slot)
	binary.BigEndian.PutUint32(b[28:], uint32(len(payload)))
	crc := crc32.Update(crc32.Checksum(b[:32], castagnoli), castagnoli, payload)
	binary.BigEndian.PutUint32(b[32:], crc)
	return append(b, payload...)
}

// decode checks a slot object and returns its record.
func (l *Log) decode(slot uint64, b []byte) (record, error) {
	bad := func(why string) (record, error) {
		return record{}, &wal.CorruptionError{File: l.key(slot), Reason: why}
	}
	if len(b) < headerSize || string(b[:4]) != magic {
		return bad("not a log record (bad magic or short)")
	}
	if b[4] != version {
		return bad(fmt.Sprintf("unknown record version %d", b[4]))
	}
	if c := binary.BigEndian.Uint32(b[8:]); c != uint32(l.opts.Container) {
		return bad(fmt.Sprintf("record of container %d", c))
	}
	if s := binary.BigEndian.Uint64(b[20:]); s != slot {
		return bad(fmt.Sprintf("record of slot %d", s))
	}
	n := binary.BigEndian.Uint32(b[28:])
	if int64(n) != int64(len(b)-headerSize) {
		return bad(fmt.Sprintf("payload of %d bytes, object holds %d", n, len(b)-headerSize))
	}
	crc := crc32.Update(crc32.Checksum(b[:32], castagnoli), castagnoli, b[headerSize:])
	if crc != binary.BigEndian.Uint32(b[32:]) {
		return bad("checksum mismatch")
	}
	kind := b[5]
	if kind > kindTruncate || (kind == kindTruncate && n != 8) {
		return bad(fmt.Sprintf("unknown record kind %d with %d bytes", kind, n))
	}
	return record{epoch: binary.BigEndian.Uint64(b[12:]), kind: kind, payload: b[headerSize:]}, nil
}

// get reads one slot; found is false when it holds no object.
func (l *Log) get(ctx context.Context, slot uint64) (rec record, found bool, err error) {
	b, err := l.opts.Bucket.GetRange(ctx, l.key(slot), 0, -1)
	if errors.Is(err, tier2.ErrNotFound) {
		return record{}, false, nil
	}
	if err != nil {
		return record{}, false, err
	}
	rec, err = l.decode(slot, b)
	return rec, err == nil, err
}

func (l *Log) fenced(slot, epoch uint64) error {
	return fmt.Errorf("%w: %w: container %d slot %d holds a record of epoch %d, after this owner's epoch %d",
		wal.ErrFailed, segstore.ErrFenced, l.opts.Container, slot, epoch, l.opts.Epoch)
}

func (l *Log) meta() map[string]string {
	return map[string]string{"braid-epoch": strconv.FormatUint(l.opts.Epoch, 10)}
}

// NextLSN implements segstore.Log.
func (l *Log) NextLSN() uint64 { return l.next.Load() }

// End implements segstore.Log: slots need no position hint.
func (l *Log) End() wal.Position { return wal.Position{} }

// Check implements segstore.Log: it reads the header of the slot this
// owner writes next; a record of a higher epoch there is a successor's
// fence. It costs one GET.
func (l *Log) Check(ctx context.Context) error {
	slot := l.next.Load()
	h, found, err := l.header(ctx, slot)
	if err != nil {
		return fmt.Errorf("s3log: container %d: checking slot %d: %w", l.opts.Container, slot, err)
	}
	if found && h.Epoch > l.opts.Epoch {
		return l.fenced(slot, h.Epoch)
	}
	return nil
}

// watchFence checks the log every opts.CheckEvery and calls opts.OnFenced
// once a successor fenced it, so that an owner that is not writing (idle,
// or cut off from etcd and serving reads) learns within that time.
func (l *Log) watchFence() {
	defer l.wg.Done()
	t := time.NewTicker(l.opts.CheckEvery)
	defer t.Stop()
	for {
		select {
		case <-l.ctx.Done():
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(l.ctx, l.opts.CheckEvery)
		err := l.Check(ctx)
		cancel()
		if errors.Is(err, segstore.ErrFenced) {
			l.opts.Logger.Warn("s3log: another owner fenced the log", slog.Int("container", l.opts.Container), slog.Any("err", err))
			l.opts.OnFenced()
			return
		}
	}
}

// Skipped is how many records of deposed owners this owner met at its
// slots and wrote past.
func (l *Log) Skipped() int64 { return l.skipped.Load() }

// ShortFile implements segstore.Log.
func (l *Log) ShortFile() bool { return false }

// TruncateBefore implements segstore.Log: it deletes the slots below lsn,
// but never the last one written nor any fence (see the package
// documentation). It deletes what a listing shows, so slots deleted
// before (or never written) cost nothing.
func (l *Log) TruncateBefore(lsn uint64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	upto := min(lsn, l.acked.Load()-1)
	if upto <= l.oldest {
		return nil
	}
	// The mark first: only an owner still below any successor's fence
	// deletes, and a successor replaying from below upto learns of it.
	if err := l.mark(upto); err != nil {
		return err
	}
	after := ""
	if l.oldest > 0 {
		after = l.key(l.oldest - 1)
	}
	for {
		objs, err := l.opts.Bucket.List(l.ctx, l.prefix, after, 1000)
		if err != nil {
			return fmt.Errorf("s3log: container %d: %w", l.opts.Container, err)
		}
		for _, o := range objs {
			s, ok := l.slotOf(o.Key)
			if !ok || s >= upto {
				objs = nil
				break
			}
			// A fence stays: a deposed owner's next write goes to a
			// successor's fence, and must meet it there.
			if o.Size != headerSize {
				if err := l.opts.Bucket.Delete(l.ctx, o.Key); err != nil {
					return fmt.Errorf("s3log: container %d: %w", l.opts.Container, err)
				}
			}
			after = o.Key
		}
		if len(objs) < 1000 {
			break
		}
	}
	l.oldest = upto
	// Marks below the oldest slot but the last of them are never read.
	for len(l.marks) > 1 && l.marks[1].slot <= l.oldest {
		l.marks = l.marks[1:]
	}
	return nil
}

// Files implements segstore.Log: the slots held.
func (l *Log) Files() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return int(l.next.Load() - l.oldest)
}

// Close implements segstore.Log: a write in progress ends.
func (l *Log) Close() error {
	l.cancel()
	l.wmu.Lock()
	l.closing = true
	l.wmu.Unlock()
	l.wg.Wait()
	l.failRest()
	return nil
}
