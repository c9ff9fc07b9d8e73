package export_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/export"
	"github.com/braidstream/braid/wire"
)

// buildBatch makes a batch object of payloads by the format batch.go
// documents: the frames, a big-endian uint32 start per frame, and the
// trailer "braidbx1", uint32 events, uint32 frames length.
func buildBatch(payloads [][]byte) []byte {
	var frames []byte
	var starts []uint32
	for _, p := range payloads {
		starts = append(starts, uint32(len(frames)))
		frames = wire.AppendFrame(frames, p)
	}
	n := len(frames)
	for _, s := range starts {
		frames = binary.BigEndian.AppendUint32(frames, s)
	}
	frames = append(frames, "braidbx1"...)
	frames = binary.BigEndian.AppendUint32(frames, uint32(len(starts)))
	return binary.BigEndian.AppendUint32(frames, uint32(n))
}

// TestDecodeBatch checks DecodeBatch on objects made by hand, good and
// bad.
func TestDecodeBatch(t *testing.T) {
	good := buildBatch([][]byte{[]byte("one"), {}, bytes.Repeat([]byte{'x'}, 300)})
	evs, err := export.DecodeBatch(good, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []export.BatchEvent{{Start: 0, Length: 11, Payload: []byte("one")}, {Start: 11, Length: 8, Payload: []byte{}}, {Start: 19, Length: 308, Payload: bytes.Repeat([]byte{'x'}, 300)}}
	if !reflect.DeepEqual(evs, want) {
		t.Errorf("DecodeBatch = %+v, want %+v", evs, want)
	}
	if _, err := export.DecodeBatch(good, 299); err == nil {
		t.Errorf("DecodeBatch with a maximum of 299 accepted an event of 300 bytes")
	}
	bad := map[string][]byte{
		"empty":        {},
		"trailer only": buildBatch(nil),
		"short":        good[:len(good)-1],
		"no magic":     append(bytes.Clone(good[:len(good)-16]), append([]byte("braidbx2"), good[len(good)-8:]...)...),
		"crc":          func() []byte { b := bytes.Clone(good); b[9] ^= 1; return b }(),
		"index":        func() []byte { b := bytes.Clone(good); b[len(good)-16-1]++; return b }(),
		"count":        func() []byte { b := bytes.Clone(good); b[len(good)-5]--; return b }(),
		"frames len":   func() []byte { b := bytes.Clone(good); b[len(good)-1] -= 8; return b }(),
		"extra byte":   append([]byte{0}, good...),
	}
	for name, obj := range bad {
		if evs, err := export.DecodeBatch(obj, 0); err == nil || evs != nil {
			t.Errorf("%s: DecodeBatch = %v, %v; want an error", name, evs, err)
		}
	}
}

// FuzzDecodeBatch: DecodeBatch never panics; what it accepts is made of
// frames within the object, and is exactly the object buildBatch makes of
// its payloads; and it decodes what buildBatch makes of any payloads.
func FuzzDecodeBatch(f *testing.F) {
	f.Add(buildBatch([][]byte{[]byte("event")}), 0)
	f.Add(buildBatch([][]byte{[]byte("a"), []byte("bc"), {}, []byte("def")}), 0)
	f.Add(buildBatch([][]byte{bytes.Repeat([]byte("0123456789"), 20), []byte("x")}), 100)
	f.Add(buildBatch(nil), 0)
	f.Add([]byte("braidbx1\x00\x00\x00\x01\x00\x00\x00\x00"), 0)
	f.Add([]byte("\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00braidbx1\x00\x00\x00\x01\x00\x00\x00\x08"), -1)
	f.Add([]byte{}, 0)
	f.Fuzz(func(t *testing.T, obj []byte, maxEvent int) {
		evs, err := export.DecodeBatch(obj, maxEvent)
		if err != nil {
			if evs != nil {
				t.Fatalf("DecodeBatch returned events and %v", err)
			}
		} else {
			if len(evs) == 0 {
				t.Fatal("DecodeBatch accepted an object of no events")
			}
			limit := maxEvent
			if limit <= 0 {
				limit = wire.DefaultMaxEventSize
			}
			framesEnd := len(obj) - export.BatchTrailerSize - 4*len(evs)
			var payloads [][]byte
			next := 0
			for i, ev := range evs {
				if ev.Start != next || ev.Length != wire.HeaderSize+len(ev.Payload) || ev.Start+ev.Length > framesEnd {
					t.Fatalf("event %d: start %d length %d (payload %d) after %d, in %d bytes of frames", i, ev.Start, ev.Length, len(ev.Payload), next, framesEnd)
				}
				if len(ev.Payload) > limit {
					t.Fatalf("event %d: a payload of %d bytes, above the maximum %d", i, len(ev.Payload), limit)
				}
				if !bytes.Equal(ev.Payload, obj[ev.Start+wire.HeaderSize:ev.Start+ev.Length]) {
					t.Fatalf("event %d: the payload is not the object's bytes at %d", i, ev.Start)
				}
				next = ev.Start + ev.Length
				payloads = append(payloads, ev.Payload)
			}
			if next != framesEnd {
				t.Fatalf("the events end at %d, the frames at %d", next, framesEnd)
			}
			if again := buildBatch(payloads); !bytes.Equal(again, obj) {
				t.Fatalf("the accepted object is not the batch of its events:\n got %x\nwant %x", obj, again)
			}
		}

		// Any payloads make an object that decodes to them (of the
		// first 4 KiB, for speed: split at each 0 byte).
		payloads := bytes.Split(obj[:min(len(obj), 4<<10)], []byte{0})
		built := buildBatch(payloads)
		got, err := export.DecodeBatch(built, 0)
		if err != nil {
			t.Fatalf("DecodeBatch of the batch of %q: %v", payloads, err)
		}
		if len(got) != len(payloads) {
			t.Fatalf("the batch of %d payloads decodes to %d events", len(payloads), len(got))
		}
		start := 0
		for i, ev := range got {
			if !bytes.Equal(ev.Payload, payloads[i]) || ev.Start != start || ev.Length != wire.FrameSize(len(payloads[i])) {
				t.Fatalf("event %d of the batch of %q: %+v", i, payloads, ev)
			}
			start += ev.Length
		}
	})
}

func ptr(n int64) *int64 { return &n }

// sampleManifest is a manifest as an export writes it.
func sampleManifest() []byte {
	at := time.Date(2026, 3, 4, 5, 6, 7, 890_000_000, time.UTC)
	pos := wire.StreamCut{Segments: []wire.SegmentOffset{{SegmentID: 1<<32 | 2, Offset: 4242}, {SegmentID: 2<<32 | 3, Offset: 17}}}
	m := export.Manifest{
		Format: export.ManifestFormat, Stream: "s/x", StreamCreated: at, Mode: export.ModeEvent, Start: "head",
		Position: pos.String(), Updated: at.Add(time.Hour), Objects: 12, Bytes: 3456,
		Epochs: []export.ManifestEpoch{
			{Epoch: 0, Created: at, Segments: []string{"0000000000000000", "0000000000000001"}},
			{Epoch: 1, Created: at.Add(time.Second), Segments: []string{"0000000100000002", "0000000100000003", "0000000000000001"}},
		},
		Segments: []export.ManifestSegment{
			{ID: "0000000000000000", KeyLow: 0, KeyHigh: 0.5, Successors: []string{"0000000100000002", "0000000100000003"}, Sealed: true, ExportedFrom: ptr(0), ExportedTo: ptr(999), Complete: true},
			{ID: "0000000000000001", KeyLow: 0.5, KeyHigh: 1, ExportedFrom: ptr(0), ExportedTo: ptr(17)},
			{ID: "0000000100000002", Epoch: 1, KeyLow: 0, KeyHigh: 0.25, Predecessors: []string{"0000000000000000"}, ExportedFrom: ptr(0), ExportedTo: ptr(4242)},
			{ID: "0000000100000003", Epoch: 1, KeyLow: 0.25, KeyHigh: 0.5, Predecessors: []string{"0000000000000000"}},
		},
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		panic(err)
	}
	return b
}

// normalManifest is m with its times in UTC and empty lists nil, for
// comparing manifests that mean the same.
func normalManifest(m export.Manifest) export.Manifest {
	m.StreamCreated, m.Updated = m.StreamCreated.UTC(), m.Updated.UTC()
	m.Epochs = nilIfEmpty(m.Epochs)
	m.Segments = nilIfEmpty(m.Segments)
	m.Epochs = append([]export.ManifestEpoch(nil), m.Epochs...)
	for i := range m.Epochs {
		m.Epochs[i].Created = m.Epochs[i].Created.UTC()
		m.Epochs[i].Segments = nilIfEmpty(m.Epochs[i].Segments)
	}
	m.Segments = append([]export.ManifestSegment(nil), m.Segments...)
	for i := range m.Segments {
		m.Segments[i].Predecessors = nilIfEmpty(m.Segments[i].Predecessors)
		m.Segments[i].Successors = nilIfEmpty(m.Segments[i].Successors)
	}
	return m
}

func nilIfEmpty[S ~[]E, E any](s S) S {
	if len(s) == 0 {
		return nil
	}
	return s
}

// FuzzDecodeManifest: DecodeManifest never panics, accepts only the
// format and modes it knows and a valid position, and a manifest it
// accepts encodes (json.Marshal) to one it decodes to an equal value.
func FuzzDecodeManifest(f *testing.F) {
	sample := sampleManifest()
	f.Add(sample)
	f.Add(bytes.Replace(sample, []byte(`"event"`), []byte(`"batch"`), 1))
	f.Add(bytes.Replace(sample, []byte(`"event"`), []byte(`"other"`), 1))
	f.Add(bytes.Replace(sample, []byte(`braid-export/1`), []byte(`braid-export/2`), 1))
	f.Add(bytes.Replace(sample, []byte(`"position": "v1.`), []byte(`"position": "v2.`), 1))
	f.Add(bytes.Replace(sample, []byte(`2026-03-04T05:06:07.89Z`), []byte(`2026-03-04T06:06:07.89+01:00`), 1))
	f.Add([]byte(`{"format":"braid-export/1","mode":"batch","position":""}`))
	f.Add([]byte(`{"format":"braid-export/1","mode":"event","segments":[{"predecessors":[],"exported_to":-1}],"epochs":[{"segments":[]}]}`))
	f.Add([]byte(`{"format":"braid-export/1","mode":"event","stream":"\xff","stream_created":"0000-01-01T00:00:00+01:00"}`))
	f.Add([]byte(`{"format":"braid-export/1","mode":"event","segments":[{"key_low":1e400}]}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := export.DecodeManifest(data)
		if err != nil {
			if m != nil {
				t.Fatalf("DecodeManifest returned a manifest and %v", err)
			}
			return
		}
		if m.Format != export.ManifestFormat || m.Mode != export.ModeEvent && m.Mode != export.ModeBatch {
			t.Fatalf("DecodeManifest accepted format %q mode %q", m.Format, m.Mode)
		}
		if m.Position != "" {
			if _, err := wire.ParseStreamCut(m.Position); err != nil {
				t.Fatalf("DecodeManifest accepted position %q: %v", m.Position, err)
			}
		}
		enc, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("json.Marshal of an accepted manifest: %v", err)
		}
		m2, err := export.DecodeManifest(enc)
		if err != nil {
			t.Fatalf("DecodeManifest of the re-encoded manifest %s: %v", enc, err)
		}
		if a, b := normalManifest(*m), normalManifest(*m2); !reflect.DeepEqual(a, b) {
			t.Fatalf("the manifest re-encoded decodes to another:\n got %+v\nwant %+v\n(%s)", b, a, enc)
		}
	})
}
