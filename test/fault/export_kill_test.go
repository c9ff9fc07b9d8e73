package fault

import (
	"context"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/export"
)

// TestExportKilled SIGKILLs `braid export` at random moments, several
// times, and runs it again each time; in the end every event is in the
// bucket exactly once (one object per pointer, the right bytes, nothing
// else), in per-event and in batched mode.
func TestExportKilled(t *testing.T) {
	seed := crashSeed(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	r := newExportRig(t, ctx, "ex/killed", 3000)
	rng := rand.New(rand.NewSource(seed))
	// PUTs through a proxy that delays each, so that a run lasts long
	// enough to be killed at several points, saved positions included.
	px := newS3Proxy(t, r.gw.endpoint())
	px.Delay = 10 * time.Millisecond
	r.endpoint = px.endpoint()

	t.Run("event", func(t *testing.T) {
		kills := r.killCycles(t, rng, "ev", 4, "--parallel", "4")
		res := r.mustRun("export", "s3://"+r.bucket+"/ev", "--stream", r.stream, "--parallel", "8")
		t.Logf("after %d kills: %s", kills, strings.TrimSpace(res.stderr))
		r.checkExactlyOnce("ev")
		r.checkPosition("ev")
	})
	t.Run("batch", func(t *testing.T) {
		kills := r.killCycles(t, rng, "bt", 4, "--parallel", "1", "--batch", "256B")
		res := r.mustRun("export", "s3://"+r.bucket+"/bt", "--stream", r.stream, "--parallel", "8", "--batch", "256B")
		t.Logf("after %d kills: %s", kills, strings.TrimSpace(res.stderr))
		r.checkBatches("bt")
		r.checkPosition("bt")
	})
}

// killCycles starts the export into prefix up to cycles times and SIGKILLs
// it once it has written a random number of objects more, and on every
// other cycle also saved a new position in its manifest; it returns how
// many runs it killed (a run may finish first).
func (r *exportRig) killCycles(t *testing.T, rng *rand.Rand, prefix string, cycles int, extra ...string) int {
	t.Helper()
	kills := 0
	for cycle := range cycles {
		before := r.countObjects(prefix)
		pos := r.position(prefix)
		more := 10 + rng.Intn(100)
		saved := func() bool { return cycle%2 == 0 || r.position(prefix) != pos }
		cmd := r.braidCmd(r.ctx, append([]string{"export", "s3://" + r.bucket + "/" + prefix, "--stream", r.stream}, extra...)...)
		var out lockedBuffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		finished := false
		deadline := time.Now().Add(time.Minute)
	wait:
		for r.countObjects(prefix) < before+more || !saved() {
			select {
			case err := <-exited:
				if err != nil {
					t.Fatalf("cycle %d: export failed: %v\n%s", cycle, err, out.String())
				}
				finished = true
				break wait
			case <-time.After(pollInterval):
			}
			if time.Now().After(deadline) {
				t.Fatalf("cycle %d: the export wrote no %d objects more within a minute\n%s", cycle, more, out.String())
			}
		}
		if finished {
			t.Logf("cycle %d: the export finished before the kill", cycle)
			break
		}
		cmd.Process.Kill()
		<-exited
		kills++
		t.Logf("cycle %d: killed after %d objects (position %s)", cycle, r.countObjects(prefix), r.position(prefix))
	}
	return kills
}

// position is the export's saved position, "" before it saved one.
func (r *exportRig) position(prefix string) string {
	b, err := r.store(prefix).GetRange(r.ctx, export.ManifestKey(r.stream), 0, -1)
	if err != nil {
		return ""
	}
	m, err := export.DecodeManifest(b)
	if err != nil {
		r.t.Fatalf("manifest: %v", err)
	}
	return m.Position
}

// checkPosition checks that the manifest's position is the stream's tail.
func (r *exportRig) checkPosition(prefix string) {
	r.t.Helper()
	tail, err := r.c.TailCut(r.ctx, r.stream)
	if err != nil {
		r.t.Fatal(err)
	}
	if m := r.manifest(prefix, r.stream); m.Position != tail.String() {
		r.t.Errorf("manifest position %s, the stream's tail %s", m.Position, tail)
	}
}

// checkBatches checks a batched export: its objects, decoded, hold every
// event of each segment once, in offset order, each batch named by its
// first event, with no gap and no overlap.
func (r *exportRig) checkBatches(prefix string) {
	r.t.Helper()
	want := map[uint64][]string{} // segment -> pointer:payload, in offset order
	for _, ev := range r.events {
		want[ev.Pointer.SegmentID] = append(want[ev.Pointer.SegmentID], ev.Pointer.String()+"="+string(ev.Data))
	}
	got := map[uint64][]string{}
	st := r.store(prefix)
	for _, k := range r.objects(prefix, r.stream) {
		p, ok := export.ParseEventKey(r.stream, k)
		if !ok {
			continue
		}
		body, err := st.GetRange(r.ctx, k, 0, -1)
		if err != nil {
			r.t.Fatal(err)
		}
		evs, err := export.DecodeBatch(body, 0)
		if err != nil {
			r.t.Fatalf("object %s: %v", k, err)
		}
		for i, ev := range evs {
			ptr := p
			ptr.Offset += int64(ev.Start)
			ptr.Length = int32(ev.Length)
			if i == 0 && ptr.String() != p.String() {
				r.t.Errorf("batch %s starts with event %s", k, ptr)
			}
			got[p.SegmentID] = append(got[p.SegmentID], ptr.String()+"="+string(ev.Payload))
		}
	}
	for seg, w := range want {
		if !slices.Equal(got[seg], w) {
			r.t.Errorf("segment %016x: the batches hold %d events, the segment %d (or another order, or doubles)%s", seg, len(got[seg]), len(w), firstDiff(got[seg], w))
		}
	}
}

func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("; first difference at %d: %s, want %s", i, a[i], b[i])
		}
	}
	return ""
}
