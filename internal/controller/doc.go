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
//
// A stream goes creating -> active (-> sealed) -> deleting -> gone. Each
// step is written before the segment work it announces, so a crash half-way
// is finished by Recover at the next start: a creating stream gets its
// missing segments, a deleting stream loses its remaining segments and then
// its record.
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
// store; the id is epoch<<32 | number. Epoch 0 of a stream with n segments
// splits the key space [0,1) into n equal ranges.
package controller
