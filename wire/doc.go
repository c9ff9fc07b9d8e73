// Package wire holds the byte and text formats shared by the braid client
// and server: event framing in segment bytes, event pointers, stream cuts,
// routing-key hashing, scope and stream names, and error codes. Everything
// here is a stored or user-visible format; changing any of it breaks data
// already written or text users already hold.
//
// # Event frames
//
// Segment bytes hold only events, one after another, each framed as
//
//	 0               4               8
//	+---------------+---------------+----------------------+
//	| length        | crc32c        | payload              |
//	| uint32, BE    | uint32, BE    | length bytes         |
//	+---------------+---------------+----------------------+
//	  <------------ HeaderSize ----->
//
// where length is the payload's length (at most DefaultMaxEventSize unless
// configured otherwise) and crc32c is the CRC32C (Castagnoli) of the payload
// only. Nothing else is in segment bytes: no routing keys, no timestamps. See
// AppendFrame, DecodeFrame, ScanFrames and CutFrames.
//
// # Event pointers
//
// An event pointer names one event by segment id, the offset of its header
// in the segment, and its framed length (header included, so >= 8). Its text
// is fixed-width lower-case hex, 42 characters:
//
//	0000000100000002-0000000000001000-0000002a
//	|<- segment id ->|<--- offset --->|<length>
//	  epoch | number
//	  (16 hex)          (16 hex)        (8 hex)
//
// Because every field has a fixed width, sorting texts sorts pointers by
// (segment id, offset), and since a segment id is epoch<<32 | number, older
// epochs sort first. Where the context does not give the stream, it is
// written in front, "scope/stream/<pointer>", as in S3 export keys.
//
// # Stream cuts
//
// A stream cut maps segments to event-boundary offsets. Its text is
//
//	v1.<base64url, no padding, of:>
//	    uvarint(count)
//	    count x ( uvarint(segment id)  uvarint(offset) )    segment ids ascending
//	    crc32c of all bytes above, uint32 big-endian
//
// for example the empty cut is "v1.AFJ9U1E" and a cut of segment 1 at offset
// 4096 is "v1.AQGAIOsdByY". The text is URL-safe, has no '/', and is
// accepted only in the exact form String produces (minimal varints, strict
// base64), so it round-trips byte for byte. The "v1." prefix versions the
// format; a reader rejects versions it does not know. The CLI words "head"
// and "tail" are not stream cut texts.
//
// # Routing keys
//
// KeyPoint maps a routing key to a point in [0, 1) as
//
//	float64(xxhash64(key) >> 11) / 2^53
//
// and the segment whose KeyRange contains that point holds the key's events.
// This mapping is stable forever: changing it would send a key's new events
// to a different segment than its old ones and break per-key order.
//
// # Names
//
// Scope and stream names are 1 to 250 bytes of A-Z a-z 0-9 '.' '-', never
// "." or "..". A qualified stream name is "scope/stream". Names starting with
// '_' are reserved for the server's internal streams (such as
// "_mark.<stream>") and are accepted only by ValidateInternalName.
//
// # Error codes
//
// Code values such as "NOT_FOUND" or "TRUNCATED" are the machine-readable
// reason of every error braid returns: google.rpc.ErrorInfo.Reason (with
// Domain ErrorDomain) over gRPC, and the "code" field of HTTP JSON errors.
// They never change once released.
package wire
