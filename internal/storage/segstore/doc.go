// Package segstore is braid's segment store: it keeps segments (append-only
// sequences of framed events) durable and readable.
//
// # Containers
//
// Segments are sharded over a fixed number of containers by a hash of the
// segment name. Each container owns its segments outright: one write-ahead
// log, one flusher goroutine, one storage writer goroutine, one checkpoint.
// On disk a container is a directory:
//
//	<dir>/containers/<k>/wal/<lsn>.wal       write-ahead log (package wal)
//	<dir>/containers/<k>/checkpoint          last checkpoint (see below)
//
// and in tier 2 (package tier2; <dir>/tier2 by default) each segment's
// data is a sequence of chunks, segments/<k>/<h>/<offset> (16-hex handle
// and offset; see offload.go).
//
// # Data path
//
// An append is validated on the caller's goroutine (whole frames, CRCs, event
// count), then queued. The flusher takes everything queued (up to a batch
// bound), decides each operation against the container state (dedupe by
// writer event number, gaps, seals), encodes the accepted ones as one WAL
// record, writes it and syncs once (group commit), and only then applies the
// batch to memory (segment lengths, writer state, read index) and calls every
// waiter back with the result. Nothing waits on a timer to form a batch: a
// batch is whatever queued while the previous sync ran.
//
// Committed bytes live in the read index (memory) until the storage writer
// stores them in tier 2 as chunks (offload.go); it then checkpoints and
// truncates the WAL before the oldest record whose data is not in tier 2.
// Reads below the flushed length go to tier 2 through the block cache
// (cold.go), above it to memory. Readers at the tail wait on a channel that
// the flusher closes when the segment grows or is sealed. Appends wait, and
// then fail with ErrTier2Behind, while a container holds more than its share
// of MaxUnflushed.
//
// # WAL entries
//
// A WAL record's payload is a sequence of entries; integers are uvarints:
//
//	append:   0x01 handle offset len(writer) writer firstEvent lastEvent len(data) data
//	create:   0x02 handle len(name) name
//	seal:     0x03 handle
//	truncate: 0x04 handle offset
//	delete:   0x05 handle
//
// data is the segment bytes themselves: whole events, each an 8-byte header
// (length, CRC32C) and its payload (package wire). Segment bytes hold nothing
// else.
//
// # Checkpoint
//
// "BRCK", a 4-byte big-endian CRC32C of the rest, then JSON: the LSN it
// covers, the oldest WAL record holding data not in tier 2 and its position
// (recovery reads from there, restoring only that data from records up to
// the LSN), the next handle, for each segment its handle, name, length,
// start (truncation point), seal flag, writer states, tier-2 length and
// chunk list, and the tier-2 garbage still to delete. The state is taken
// through the flusher after a sync (a barrier op), chunks are stored before
// the checkpoint that lists them, and WAL files are removed only after it.
//
// # Failures
//
// A failed WAL write or sync fails the container for good: every queued and
// later append gets ErrStorageFailed, since a failed fsync may have lost
// pages and retrying it would lie. A full disk when the WAL needs a new file
// fails only the batch at hand with ErrStorageFull, and asks the storage
// writer for a round that moves everything to tier 2 (so that the WAL file
// can be used again, or removed); every later batch tries again, so appends
// succeed again as soon as the disk has the space for the next WAL record
// (package wal: a file whose records are all in a checkpoint is reused, and
// a new file gets what fits). A WAL file made short for want of space also
// asks for such a round, so that a WAL short of space keeps little.
package segstore
