package fault

import (
	"bytes"
	"cmp"
	"context"
	"github.com/braidstream/braid"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/export"
)

// TestExportListing exports a stream that was split and merged while it
// was written, then checks with the AWS CLI (a separate process): the
// listing is every segment's events in offset order, older segments
// first; a StartAfter and prefix range lists exactly its events; every
// object's body is its event's bytes, with the documented metadata.
func TestExportListing(t *testing.T) {
	awsCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	r := newExportRig(t, ctx, "ex/listing", 600)
	res := r.mustRun("export", "s3://"+r.bucket+"/arch", "--stream", r.stream, "--parallel", "16")
	if !strings.Contains(res.stderr, "exported 600 events as 600 objects") {
		t.Errorf("export summary: %q", res.stderr)
	}

	var listing struct {
		Contents []struct {
			Key  string
			Size int64
		}
	}
	r.aws(&listing, "s3api", "list-objects-v2", "--bucket", r.bucket, "--prefix", "arch/"+r.stream+"/")
	var keys []string
	for _, o := range listing.Contents {
		keys = append(keys, o.Key)
	}
	// Expected: the events' pointers, by segment id (epoch first), then
	// offset; then the manifest.
	evs := slices.Clone(r.events)
	slices.SortFunc(evs, func(a, b braid.Event) int {
		if a.Pointer.SegmentID != b.Pointer.SegmentID {
			return cmp.Compare(a.Pointer.SegmentID, b.Pointer.SegmentID)
		}
		return cmp.Compare(uint64(a.Pointer.Offset), uint64(b.Pointer.Offset))
	})
	var want []string
	for _, ev := range evs {
		want = append(want, "arch/"+export.EventKey(r.stream, ev.Pointer))
	}
	want = append(want, "arch/"+export.ManifestKey(r.stream))
	if !slices.Equal(keys, want) {
		t.Fatalf("listing of %d keys is not the events in segment, offset order then the manifest (%d keys);\nfirst keys: %v\nwant: %v", len(keys), len(want), keys[:min(5, len(keys))], want[:min(5, len(want))])
	}
	// Predecessors list before successors: every sealed segment's id is
	// below its successors'.
	m := r.manifest("arch", r.stream)
	if len(m.Epochs) != 3 {
		t.Fatalf("manifest has %d epochs, want 3 (created, split, merge)", len(m.Epochs))
	}
	for _, s := range m.Segments {
		for _, n := range s.Successors {
			if n <= s.ID {
				t.Errorf("successor %s of %s sorts before it", n, s.ID)
			}
		}
		if s.Sealed && !s.Complete {
			t.Errorf("sealed segment %s not complete in the manifest", s.ID)
		}
	}
	tail, err := r.c.TailCut(ctx, r.stream)
	if err != nil {
		t.Fatal(err)
	}
	if m.Position != tail.String() {
		t.Errorf("manifest position %s, the stream's tail %s", m.Position, tail)
	}

	// A range of one segment, selected with one request: the segment's
	// prefix and StartAfter just before the first pointer.
	var seg []braid.Event
	for _, ev := range evs {
		if ev.Pointer.SegmentID == evs[len(evs)/2].Pointer.SegmentID {
			seg = append(seg, ev)
		}
	}
	if len(seg) < 10 {
		t.Fatalf("segment %016x has %d events, want 10 or more", evs[len(evs)/2].Pointer.SegmentID, len(seg))
	}
	lo, hi := seg[2], seg[len(seg)-3]
	n := len(seg) - 4
	var page struct {
		Contents []struct{ Key string }
	}
	r.aws(&page, "s3api", "list-objects-v2", "--bucket", r.bucket,
		"--prefix", "arch/"+export.SegmentPrefix(r.stream, lo.Pointer.SegmentID),
		"--start-after", "arch/"+export.StartAfter(r.stream, lo.Pointer),
		"--max-keys", strconv.Itoa(n), "--no-paginate")
	var got []string
	for _, o := range page.Contents {
		got = append(got, o.Key)
	}
	var wantRange []string
	for _, ev := range seg[2 : len(seg)-2] {
		wantRange = append(wantRange, "arch/"+export.EventKey(r.stream, ev.Pointer))
	}
	if !slices.Equal(got, wantRange) {
		t.Errorf("range [%s, %s]: aws listed %d keys, want %d: %v", lo.Pointer, hi.Pointer, len(got), len(wantRange), got)
	}
	ls := r.mustRun("export", "ls", "s3://"+r.bucket+"/arch/"+r.stream, "--from", lo.Pointer.String(), "--to", hi.Pointer.String())
	if lines := strings.Fields(ls.stdout); !slices.Equal(lines, wantRange) {
		t.Errorf("braid export ls of the range printed %d keys, want %d", len(lines), len(wantRange))
	}

	// Every body is the event's bytes: the AWS CLI downloads them all.
	dir := t.TempDir()
	r.aws(nil, "s3", "cp", "--recursive", "--only-show-errors", "s3://"+r.bucket+"/arch/"+r.stream+"/", dir)
	for _, ev := range r.events {
		b, err := os.ReadFile(filepath.Join(dir, ev.Pointer.String()))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, ev.Data) {
			t.Fatalf("object %s holds %q, the event %q", ev.Pointer, b, ev.Data)
		}
	}
	h := r.head("arch/" + export.EventKey(r.stream, lo.Pointer))
	for k, v := range map[string]string{
		"braid-stream":  r.stream,
		"braid-segment": lo.Pointer.String()[:16],
		"braid-offset":  strconv.FormatInt(lo.Pointer.Offset, 10),
		"braid-length":  strconv.Itoa(int(lo.Pointer.Length)),
	} {
		if h.Metadata[k] != v {
			t.Errorf("object %s: metadata %s = %q, want %q", lo.Pointer, k, h.Metadata[k], v)
		}
	}
	if _, err := time.Parse(time.RFC3339Nano, h.Metadata["braid-append-time"]); err != nil {
		t.Errorf("object %s: braid-append-time %q: %v", lo.Pointer, h.Metadata["braid-append-time"], err)
	}

	// Running the finished export again writes nothing.
	again := r.mustRun("export", "s3://"+r.bucket+"/arch", "--stream", r.stream, "--json")
	if !strings.Contains(again.stdout, `"objects":0,`) || !strings.Contains(again.stdout, `"done":true`) {
		t.Errorf("a second run printed %q, want 0 objects and done", again.stdout)
	}
}
