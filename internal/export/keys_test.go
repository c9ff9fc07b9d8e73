package export_test

import (
	"cmp"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/export"
	"github.com/braidstream/braid/wire"
)

// TestKeysSortAsDocumented: event keys sort by segment, then offset;
// StartAfter(p) sorts after the keys of lower offsets and before p's own;
// SegmentPrefix prefixes exactly its segment's keys; the manifest sorts
// after every event key; ParseEventKey inverts EventKey.
func TestKeysSortAsDocumented(t *testing.T) {
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(uint64(seed), 0))
	const stream = "sc/st"
	var ps []wire.EventPointer
	for range 500 {
		p := wire.EventPointer{Stream: stream, SegmentID: uint64(r.Uint32N(4))<<32 | uint64(r.Uint32N(3)), Offset: r.Int64N(1 << r.IntN(63)), Length: int32(wire.HeaderSize + r.IntN(1<<r.IntN(31-wire.HeaderSize)))}
		if r.IntN(4) == 0 {
			p.SegmentID = r.Uint64()
		}
		ps = append(ps, p)
	}
	for _, p := range ps {
		key := export.EventKey(stream, p)
		if q, ok := export.ParseEventKey(stream, key); !ok || q != p {
			t.Fatalf("ParseEventKey(%q) = %v, %v; want %v", key, q, ok, p)
		}
		if _, ok := export.ParseEventKey("sc/other", key); ok {
			t.Fatalf("ParseEventKey of another stream accepted %q", key)
		}
		if key >= export.ManifestKey(stream) {
			t.Fatalf("event key %q does not sort before the manifest", key)
		}
		if !strings.HasPrefix(key, export.SegmentPrefix(stream, p.SegmentID)) {
			t.Fatalf("%q does not start with its segment's prefix %q", key, export.SegmentPrefix(stream, p.SegmentID))
		}
		sa := export.StartAfter(stream, p)
		if sa >= key {
			t.Fatalf("StartAfter %q does not sort before its pointer's key %q", sa, key)
		}
		for _, q := range ps {
			qk := export.EventKey(stream, q)
			if q.SegmentID != p.SegmentID && strings.HasPrefix(qk, export.SegmentPrefix(stream, p.SegmentID)) {
				t.Fatalf("%q has the prefix of segment %016x", qk, p.SegmentID)
			}
			if c := strings.Compare(key, qk); c != cmpPointer(p, q) {
				t.Fatalf("keys %q and %q compare %d, their pointers %d", key, qk, c, cmpPointer(p, q))
			}
			if q.SegmentID == p.SegmentID && q.Offset < p.Offset && qk >= sa {
				t.Fatalf("StartAfter(%v) = %q does not sort after %q, of a lower offset", p, sa, qk)
			}
			if q.SegmentID == p.SegmentID && q.Offset >= p.Offset && qk <= sa {
				t.Fatalf("StartAfter(%v) = %q sorts after %q, at or past its offset", p, sa, qk)
			}
		}
	}
	lettered := export.EventKey(stream, wire.EventPointer{SegmentID: 0xab, Offset: 0xcd, Length: 0xef})
	for _, bad := range []string{export.ManifestKey(stream), stream + "/", lettered + "0", lettered[:len(lettered)-1],
		"sc/st2/" + lettered[len(stream)+1:], strings.ToUpper(lettered[:len(stream)+1]) + strings.ToUpper(lettered[len(stream)+1:])} {
		if p, ok := export.ParseEventKey(stream, bad); ok {
			t.Errorf("ParseEventKey(%q) = %v, true", bad, p)
		}
	}
}

func cmpPointer(p, q wire.EventPointer) int {
	if c := cmp.Compare(p.SegmentID, q.SegmentID); c != 0 {
		return c
	}
	if c := cmp.Compare(uint64(p.Offset), uint64(q.Offset)); c != 0 {
		return c
	}
	return cmp.Compare(uint64(p.Length), uint64(q.Length))
}
