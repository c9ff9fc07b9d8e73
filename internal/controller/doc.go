// Package controller owns stream metadata: scopes, streams, their epochs and
// segment layouts. It keeps metadata in a meta.Store and drives the segment
// store through a small interface, so segment data and metadata stay apart.
//
// Keys in the metadata store:
//
//	scopes/<scope>              JSON scopeRecord
//	streams/<scope>/<stream>    JSON StreamRecord
//
// A stream goes creating -> active (-> sealed) -> deleting -> gone. Each
// step is written before the segment work it announces, so a crash half-way
// is finished by Recover at the next start: a creating stream gets its
// missing segments, a deleting stream loses its remaining segments and then
// its record.
//
// Segments are named "<scope>/<stream>/<segment id as 16 hex>" in the segment
// store; the id is epoch<<32 | number. Epoch 0 of a stream with n segments
// splits the key space [0,1) into n equal ranges.
package controller
