package segstore

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/braidstream/braid/internal/storage/wal"
)

// Log is a container's durable log (tier 1): what makes a batch of
// operations durable before it is acknowledged. A single node uses the
// local write-ahead log (package wal, see OpenLocalLog); a cluster uses a
// log of objects in S3 whose slots a deposed owner cannot write (package
// s3log).
//
// One goroutine (the container's flusher) calls Append and Sync;
// TruncateBefore and Files may run beside it, from the storage writer.
type Log interface {
	// Replay calls fn, in LSN order, for every record of the log from
	// start.LSN on, and leaves the log ready to append after the last.
	// It is called once, before any Append. A log shared between owners
	// also fences its earlier owners here: once Replay returns, no record
	// they write afterwards is ever read back.
	Replay(ctx context.Context, start LogStart, fn func(lsn uint64, at wal.Position, payload []byte) error, torn func(wal.TornTail)) error
	// NextLSN is the LSN the next Append gets at the least (a log may
	// skip LSNs: slots an earlier owner wrote and that do not count).
	NextLSN() uint64
	// End is where the next record starts, a replay hint (the zero
	// Position when the log has none).
	End() wal.Position
	// Append writes one record and returns its LSN; with sync it is
	// durable when Append returns. A failure that leaves the log unusable
	// wraps wal.ErrFailed.
	Append(payload []byte, sync bool) (uint64, error)
	// Sync makes every appended record durable.
	Sync() error
	// ShortFile reports that the log's current file is smaller than usual
	// (the disk is short of space).
	ShortFile() bool
	// TruncateBefore drops records below lsn: a checkpoint covers them.
	TruncateBefore(lsn uint64) error
	// EpochBefore is the owner epoch of the last record before lsn that
	// counts (0 for a log without epochs): a checkpoint whose replay
	// starts at lsn records it, and that replay starts its epoch rule
	// with it (LogStart.Epoch). lsn is at or after the replay's start.
	EpochBefore(lsn uint64) uint64
	// Check reports whether another owner has fenced the log since this
	// one replayed it (ErrFenced): a cluster node asks before it answers
	// from memory what a successor might answer otherwise. Logs that only
	// one owner ever writes answer nil. Safe beside Append.
	Check(ctx context.Context) error
	// Files is how many files or objects the log holds, for a metric.
	Files() int
	// Close releases the log.
	Close() error
}

// AsyncLog is a Log that takes several records in flight (the S3 log:
// one PUT each, several at once). The flusher pipelines appends through
// it, and acknowledges them in LSN order.
type AsyncLog interface {
	Log
	// AppendAsync queues one durable record and calls done with its LSN
	// once it and every record queued before it are durable, or with the
	// error that failed the log (then every later record fails too). done
	// calls come in AppendAsync order, from a goroutine of the log's; a
	// nil payload writes nothing and is answered in its turn. It waits
	// while the log has as many records in flight as it takes.
	AppendAsync(payload []byte, done func(lsn uint64, err error))
}

// LogStart is where a container's replay starts: the first LSN, a
// position hint, and the owner epoch in force just before that LSN (see
// Log.EpochBefore).
type LogStart struct {
	LSN   uint64
	Hint  wal.Position
	Epoch uint64
}

// LogOpener opens a container's log for an owner with the given epoch (0
// on a single node).
type LogOpener func(ctx context.Context, container int, epoch uint64) (Log, error)

// localLog is the local WAL as a Log.
type localLog struct{ *wal.Log }

// Check implements Log: a local log has one owner.
func (localLog) Check(context.Context) error { return nil }

// EpochBefore implements Log: a local log has no epochs.
func (localLog) EpochBefore(uint64) uint64 { return 0 }

func (l localLog) Replay(_ context.Context, start LogStart, fn func(uint64, wal.Position, []byte) error, torn func(wal.TornTail)) error {
	return l.ReplayAt(start.LSN, start.Hint, fn, torn)
}

// openLocalLog opens container id's WAL in its directory.
func (o *Options) openLocalLog(id int) (Log, error) {
	w, err := wal.Open(wal.Options{
		FS:             o.FS,
		Dir:            filepath.Join(containerDir(o.Dir, id), "wal"),
		FileSize:       o.WALFileSize,
		MaxRecordSize:  o.maxRecord(),
		SyncEveryWrite: o.FsyncInterval == 0,
	})
	if err != nil {
		return nil, err
	}
	return localLog{w}, nil
}

// openLog opens container id's log: the configured one, or the local WAL.
func (o *Options) openLog(ctx context.Context, id int, epoch uint64) (Log, error) {
	if o.OpenLog == nil {
		return o.openLocalLog(id)
	}
	l, err := o.OpenLog(ctx, id, epoch)
	if err != nil {
		return nil, fmt.Errorf("opening the log: %w", err)
	}
	return l, nil
}
