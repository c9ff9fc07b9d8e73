package fault

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid"
)

// TestExportImportRoundTrip exports a stream that was split and merged
// while written, in per-event and batched mode, imports each export into a
// new stream (SIGKILLing the import once mid-way and running it again), and
// checks that per routing key the new stream holds the same events in the
// same order, in the same layouts.
func TestExportImportRoundTrip(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	r := newExportRig(t, ctx, "ex/round", 1200)
	want := perKey(r.events)
	src, err := r.c.GetStream(ctx, r.stream)
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []struct{ name, batch string }{{"event", "off"}, {"batch", "1KiB"}} {
		t.Run(mode.name, func(t *testing.T) {
			r.endpoint = r.gw.endpoint()
			r.mustRun("export", "s3://"+r.bucket+"/rt-"+mode.name, "--stream", r.stream, "--batch", mode.batch)
			target := "ex/copy-" + mode.name
			from := "s3://" + r.bucket + "/rt-" + mode.name + "/" + r.stream

			// The first import reads through a proxy that delays GETs, and
			// is killed once it has stored some events.
			px := newS3Proxy(t, r.gw.endpoint())
			px.GetDelay = 20 * time.Millisecond
			r.endpoint = px.endpoint()
			cmd := r.braidCmd(ctx, "import", from, "--stream", target, "--parallel", "2")
			var out lockedBuffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			killed, finished := false, false
			deadline := time.Now().Add(time.Minute)
		wait:
			for stored(ctx, r.c, target) < 100 {
				select {
				case err := <-exited:
					if err != nil {
						t.Fatalf("import failed: %v\n%s", err, out.String())
					}
					finished = true
					break wait
				case <-time.After(pollInterval):
				}
				if time.Now().After(deadline) {
					t.Fatalf("the import stored no 100 events within a minute\n%s", out.String())
				}
			}
			if !finished {
				cmd.Process.Kill()
				<-exited
				killed = true
			}
			t.Logf("import killed: %v, with %d bytes stored", killed, stored(ctx, r.c, target))

			r.endpoint = r.gw.endpoint()
			res := r.mustRun("import", from, "--stream", target)
			t.Log(strings.TrimSpace(res.stderr))
			got := perKey(r.readAll(target))
			for _, k := range slices.Sorted(maps.Keys(want)) {
				if !slices.Equal(got[k], want[k]) {
					t.Errorf("key %s: the import holds %d events, the source %d (or in another order)%s", k, len(got[k]), len(want[k]), firstDiff(got[k], want[k]))
				}
			}
			if len(got) != len(want) {
				t.Errorf("the import holds %d keys, the source %d", len(got), len(want))
			}
			dst, err := r.c.GetStream(ctx, target)
			if err != nil {
				t.Fatal(err)
			}
			if len(dst.Epochs) != len(src.Epochs) {
				t.Fatalf("the import has %d epochs, the source %d", len(dst.Epochs), len(src.Epochs))
			}
			for i := range src.Epochs {
				if !sameLayout(src.Epochs[i].Segments, dst.Epochs[i].Segments) {
					t.Errorf("epoch %d: the import's layout %v, the source's %v", i, dst.Epochs[i].Segments, src.Epochs[i].Segments)
				}
			}
			again := r.mustRun("import", from, "--stream", target)
			if !strings.Contains(again.stderr, "imported 0 events") {
				t.Errorf("a finished import run again: %q, want 0 events imported", again.stderr)
			}
		})
	}
}

// stored is the bytes stream holds, 0 before it exists.
func stored(ctx context.Context, c *braid.Client, stream string) int64 {
	info, err := c.GetStream(ctx, stream)
	if err != nil {
		return 0
	}
	var n int64
	for _, s := range info.Current {
		n += s.Length
	}
	return n
}

func sameLayout(a, b []braid.SegmentRange) bool {
	key := func(s []braid.SegmentRange) []braid.KeyRange {
		var out []braid.KeyRange
		for _, r := range s {
			out = append(out, braid.KeyRange{Low: r.KeyLow, High: r.KeyHigh})
		}
		slices.SortFunc(out, func(x, y braid.KeyRange) int { return cmp.Compare(x.Low, y.Low) })
		return out
	}
	return slices.Equal(key(a), key(b))
}
