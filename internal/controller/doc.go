// Package controller owns stream metadata: scopes, streams, their epochs and
// segment layouts. It keeps metadata in a meta.Store and drives the segment
// store through a small interface, so segment data and metadata stay apart.
//
// Keys in the metadata store:
//
//	scopes/<scope>              JSON scopeRecord
//	streams/<scope>/<stream>    JSON StreamRecord
//	retention/<scope>/<stream>  JSON retentionLog: the stream's tail cuts
//	                            recorded by retention passes, oldest first
//	retired/<scope>/<stream>    JSON retiredRecord: the epoch the name's next
//	                            stream starts at, once a stream was deleted
//
// A stream goes creating -> active (-> sealed) -> deleting -> gone. Each
// step is written before the segment work it announces, so a crash half-way
// is finished by Recover at the next start: a creating stream gets its
// missing segments, a deleting stream loses its remaining segments and then
// its record. A create that fails while the server runs (a full disk) rolls
// back instead: the client was told it failed, and the name stays free. One
// that could not finish or roll back (Recover on a full disk) stays hidden
// until the next create of its name clears it.
//
// Quotas (Quota) bound the streams and the segments of current epochs over
// the whole server; creates and scales past them fail with
// ErrQuotaExceeded.
//
// Retention: a stream's Config may hold a retention policy, by time or by
// size. RunRetention runs RetentionPass every interval; a pass records each
// such stream's tail cut (with the time and the stream's total bytes) and
// truncates the stream at the recorded cut the policy chooses, through the
// same checks as TruncateStream. Records the stream's start has passed are
// dropped; a full list is thinned (every other record goes) rather than cut
// at the old end, so that it keeps spanning the same time. Deleting a stream
// deletes its records before its stream record.
//
// Segments are named "<scope>/<stream>/<segment id as 16 hex>" in the segment
// store; the id is epoch<<32 | number. The first epoch of a stream with n
// segments splits the key space [0,1) into n equal ranges. It is epoch 0,
// or, for a name whose earlier stream was deleted, the epoch after that
// stream's last: segment ids (and so store names, pointers and cuts) of a
// deleted stream never name a segment of a new one.
package controller
