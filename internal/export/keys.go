// Package export copies streams to S3 and back: one object per event (or
// per run of events of a segment) keyed by its event pointer, so that an
// S3 listing is per-segment offset order with predecessor segments first,
// and a manifest of the stream's segments for restoring per-key order.
//
// # Layout
//
// Under the export's prefix, stream SCOPE/STREAM is exported to
//
//	SCOPE/STREAM/<segment id>-<offset>-<length>   one event (or batch)
//	SCOPE/STREAM/manifest.json                    the manifest
//
// Event keys start with a hex digit and "manifest.json" with "m", so the
// manifest lists after every event key of its stream.
package export

import (
	"fmt"
	"strings"

	"github.com/braidstream/braid/wire"
)

// ManifestName is the manifest's object name in a stream's prefix.
const ManifestName = "manifest.json"

// StreamPrefix is the key prefix of stream's objects, "SCOPE/STREAM/".
func StreamPrefix(stream string) string { return stream + "/" }

// EventKey is the key of the object of the event (or batch starting) at p
// of stream.
func EventKey(stream string, p wire.EventPointer) string {
	return StreamPrefix(stream) + p.String()
}

// ManifestKey is the key of stream's manifest.
func ManifestKey(stream string) string { return StreamPrefix(stream) + ManifestName }

// ParseEventKey parses the pointer of an event key of stream; ok is false
// for keys that are not event keys (the manifest, foreign objects).
func ParseEventKey(stream, key string) (p wire.EventPointer, ok bool) {
	rest, found := strings.CutPrefix(key, StreamPrefix(stream))
	if !found || len(rest) != wire.PointerTextLen {
		return wire.EventPointer{}, false
	}
	p, err := wire.ParsePointer(rest)
	if err != nil {
		return wire.EventPointer{}, false
	}
	p.Stream = stream
	return p, true
}

// SegmentPrefix is the key prefix of one segment's objects.
func SegmentPrefix(stream string, segment uint64) string {
	return fmt.Sprintf("%s%016x-", StreamPrefix(stream), segment)
}

// StartAfter is the ListObjectsV2 StartAfter that lists from the object
// at p on: the key of p without its length, which sorts after every key
// of a lower offset and before p's own.
func StartAfter(stream string, p wire.EventPointer) string {
	return fmt.Sprintf("%s%016x-%016x", StreamPrefix(stream), p.SegmentID, p.Offset)
}
