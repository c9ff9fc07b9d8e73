// Package wal is braid's write-ahead log: tier 1, what makes an append
// durable before it is acknowledged.
//
// A log is a directory of pre-allocated files. Each file is named after the
// sequence number (LSN) of its first record, as 16 lower-case hex digits and
// ".wal". Files are pre-allocated (FileSize, 64 MiB by default) and filled
// with zeros, so that fdatasync has neither a size change nor unwritten
// extents to commit, only data. A background goroutine prepares the next
// file ahead of time ("spare.tmp"), so starting a new file is a rename on
// the commit path.
//
// A full disk (ENOSPC) is met in three ways, none of which changes the
// format or the sync rules:
//
//   - a file whose records are all obsolete (TruncateBefore, or the LSN
//     Replay started from, has passed them: a checkpoint covers them) is
//     not left for a new one: the next file starts in it, renamed after the
//     next LSN and written from its start, as a recycled file is. That
//     needs no space at all;
//   - otherwise, when FileSize does not fit, the new file is short:
//     FileSize/64, or if that does not fit either, just the record at hand
//     (rounded up to 4 KiB). A file is still pre-allocated whole before
//     records go in; a log whose current file is short prepares no spare,
//     which would take the space other logs need, and tries FileSize again
//     at the next file;
//   - a failed pre-allocation fails only that append and leaves no file
//     behind; the next append tries again, so the log resumes as soon as
//     the disk has the space for its next record.
//
// A file is a sequence of records, then zeros:
//
//	+------------+------------+-------------+------------------+
//	| length u32 | crc32c u32 |   lsn u64   | payload (length) |
//	+------------+------------+-------------+------------------+
//	  big-endian   of lsn and    big-endian
//	               payload
//
// length is never zero, so a zero header marks the end of the written part.
// LSNs are consecutive across files. The payload is opaque to this package:
// the segment store writes one record per group commit (a batch of
// operations), so one write and one sync cover one record, and a crash can
// only tear the last record.
//
// Recovery (Replay) reads records one at a time and then examines one window
// after the last valid record (one maximum record; with interval syncing, in
// the last file, the rest of the file), never the whole pre-allocated file.
// Decoding stops at the first position p where no valid record with the
// expected LSN starts. Then:
//
//   - a valid record with the expected LSN or a later one anywhere in the
//     window (in the default mode, or in any file but the last) means damage
//     in the middle: a *CorruptionError naming the file and offset, and the
//     log refuses to open (every record was synced before the next was
//     written, so only the last one can be torn);
//   - a header at p that carries the expected LSN, but whose record fails
//     its checksum or runs off the file, is a torn tail: the window is
//     zeroed, the tail is reported through the callback, and the log
//     continues at p;
//   - anything else (zeros, or bytes from a recycled file's previous life,
//     whose LSNs are all older) is simply the end of the log. With interval
//     syncing, unsynced records that survived a torn one may lie after p:
//     they are zeroed too, so that they can never be read back later.
//
// A recycled file keeps its old bytes after the end of the log; that is why
// the end is recognised by LSN, not by zeros.
//
// Files must hold consecutive LSNs, except that records below the LSN replay
// starts from may be missing (a checkpoint covers them): a file that a
// checkpoint made obsolete may outlive it, and when the records end before
// that LSN, appending starts a new file named after it.
//
// Invariants: one goroutine (the owner) calls Append and Sync; TruncateBefore
// and Files may run beside it. A failed write or sync leaves the log failed
// for good (a failed fsync may have dropped dirty pages, so retrying it would
// lie), except that a failure to pre-allocate the next file (disk full)
// fails only that append. Records are written only inside pre-allocated
// space, and a file is used again only after the sync that ends its last
// record and once its new name is durable (a failed directory sync there
// fails the log: under its old name, new records would read as a gap).
package wal
