package segstore

import (
	"bytes"
	"reflect"
	"testing"
)

// seedEntries has one entry of each kind, with small and large values.
var seedEntries = []entry{
	{Kind: entryCreate, Handle: 1, Name: "scope/stream/0"},
	{Kind: entryCreate, Handle: 1 << 40, Name: ""},
	{Kind: entryAppend, Handle: 1, Offset: 0, Data: frames("hello", "world")},
	{Kind: entryAppend, Handle: 7, Offset: 1 << 40, Writer: "w-1", FirstEvent: 1, LastEvent: 2, Data: frames("a", "b")},
	{Kind: entryAppend, Handle: 300, Offset: 1 << 62, Writer: "w", FirstEvent: 1 << 62, LastEvent: 1 << 62, Data: frames("")},
	{Kind: entrySeal, Handle: 1},
	{Kind: entryTruncate, Handle: 2, Offset: 4096},
	{Kind: entryDelete, Handle: 128},
}

func encodeEntries(es []entry) []byte {
	var b []byte
	for i := range es {
		b = appendEntry(b, &es[i])
	}
	return b
}

func decodeAll(b []byte) ([]entry, error) {
	var out []entry
	err := decodeEntries(b, func(e *entry) error {
		c := *e
		c.Data = append([]byte(nil), e.Data...)
		out = append(out, c)
		return nil
	})
	return out, err
}

func TestEntryRoundTrip(t *testing.T) {
	for _, e := range seedEntries {
		b := encodeEntries([]entry{e})
		got, err := decodeAll(b)
		if err != nil || len(got) != 1 {
			t.Fatalf("decode %+v: %v (%d entries)", e, err, len(got))
		}
		if e.Data == nil {
			got[0].Data = nil
		}
		if !reflect.DeepEqual(got[0], e) {
			t.Fatalf("decoded %+v, want %+v", got[0], e)
		}
	}
	all := encodeEntries(seedEntries)
	got, err := decodeAll(all)
	if err != nil || len(got) != len(seedEntries) {
		t.Fatalf("decode all: %v (%d entries)", err, len(got))
	}
	if !bytes.Equal(encodeEntries(got), all) {
		t.Fatal("re-encoding differs")
	}
}

func TestDecodeEntriesErrors(t *testing.T) {
	valid := encodeEntries(seedEntries[3:4])
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"unknown kind", []byte{9, 1}},
		{"kind only", []byte{byte(entrySeal)}},
		{"truncated data", valid[:len(valid)-1]},
		{"truncated varint", []byte{byte(entryTruncate), 1, 0x80}},
		{"varint overflow", append([]byte{byte(entrySeal)}, bytes.Repeat([]byte{0xff}, 11)...)},
		{"offset out of range", []byte{byte(entryTruncate), 1, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40}},
		{"huge name length", []byte{byte(entryCreate), 1, 0xff, 0xff, 0xff, 0xff, 0x0f, 'a'}},
		{"non-minimal varint", []byte{byte(entrySeal), 0x81, 0x00}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := decodeAll(tc.b); err == nil {
				t.Fatalf("decoded % x without error", tc.b)
			}
		})
	}
}

// FuzzDecodeEntries: decoding never panics, and whatever decodes re-encodes
// to exactly the same bytes (so one record has one meaning).
func FuzzDecodeEntries(f *testing.F) {
	for i := range seedEntries {
		f.Add(encodeEntries(seedEntries[i : i+1]))
	}
	f.Add(encodeEntries(seedEntries))
	f.Add([]byte{})
	f.Add([]byte{byte(entryAppend), 1, 0, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := decodeAll(b)
		if err != nil {
			return
		}
		for _, e := range got {
			if e.Offset < 0 || e.FirstEvent < 0 || e.LastEvent < 0 {
				t.Fatalf("decoded a negative number: %+v", e)
			}
		}
		if re := encodeEntries(got); !bytes.Equal(re, b) {
			t.Fatalf("% x decodes to %+v, which encodes to % x", b, got, re)
		}
	})
}

// FuzzDecodeCheckpoint: the checkpoint decoder never panics, and whatever it
// accepts encodes back to a checkpoint that decodes to the same state.
func FuzzDecodeCheckpoint(f *testing.F) {
	good, _ := encodeCheckpoint(&checkpointFile{LSN: 9, NextHandle: 3, Segments: []segmentState{
		{Handle: 1, Name: "a/b/0000000000000000", Length: 100, Start: 8, Sealed: true,
			Writers: map[string]*writerState{"w": {Last: 4, History: []appendRef{{First: 1, Last: 4, Offset: 0, Length: 100}}}}},
	}})
	f.Add(good)
	f.Add([]byte("BRCK\x00\x00\x00\x00{}"))
	f.Add([]byte("nope"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ck, err := decodeCheckpoint(b)
		if err != nil {
			return
		}
		again, err := encodeCheckpoint(ck)
		if err != nil {
			t.Fatalf("re-encoding an accepted checkpoint: %v", err)
		}
		ck2, err := decodeCheckpoint(again)
		if err != nil {
			t.Fatalf("re-encoded checkpoint rejected: %v", err)
		}
		if ck2.LSN != ck.LSN || len(ck2.Segments) != len(ck.Segments) {
			t.Fatalf("round trip changed the checkpoint")
		}
	})
}
