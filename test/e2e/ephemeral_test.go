package e2e

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid"
	braidv1 "github.com/braidstream/braid/api/braid/v1"
)

// gone reports whether stream no longer exists.
func gone(t *testing.T, c *braid.Client, stream string) bool {
	_, err := c.GetStream(testCtx(t, 5*time.Second), stream)
	return errors.Is(err, braid.ErrNotFound)
}

// TestEphemeralLastDetach: three clients hold one ephemeral stream; it
// lives through the first two detaching and goes after the third.
func TestEphemeralLastDetach(t *testing.T) {
	ts := newServer(t)
	ctx := testCtx(t, 30*time.Second)
	var holds []*braid.Ephemeral
	for i := range 3 {
		c := dial(t, ts)
		e, err := c.EphemeralStream(ctx, "work/shared", braid.WithLease(2*time.Second), braid.WithEphemeralConfig(braid.StreamConfig{Segments: 2}))
		if err != nil {
			t.Fatal(err)
		}
		if e.Created() != (i == 0) {
			t.Errorf("holder %d: created %v", i, e.Created())
		}
		holds = append(holds, e)
	}
	c := dial(t, ts)
	writeEvents(t, c, ctx, "work/shared", 0, 10)
	for _, e := range holds[:2] {
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
	}
	// Wait until the third holder's lease was renewed past the time
	// its first lease would have run out: reaper passes ran meanwhile.
	eph := braidv1.NewEphemeralServiceClient(rawConn(t, ts.GRPCAddr()))
	first := time.Now().Add(2 * time.Second)
	waitUntil(t, "the last holder's lease to be renewed past its first", 10*time.Second, func() bool {
		resp, err := eph.GetEphemeral(ctx, &braidv1.GetEphemeralRequest{Scope: "work", Stream: "shared"})
		if err != nil {
			t.Fatalf("the ephemeral stream went with a holder left: %v", err)
		}
		hs := resp.GetEphemeral().GetHolders()
		return len(hs) == 1 && time.UnixMilli(hs[0].GetExpiresUnixMs()).After(first.Add(time.Second))
	})
	if gone(t, c, "work/shared") {
		t.Fatal("the stream went with a holder left")
	}
	if err := holds[2].Err(); err != nil {
		t.Fatalf("the third hold: %v", err)
	}
	if err := holds[2].Close(); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the stream to go after the last detach", 10*time.Second, func() bool { return gone(t, c, "work/shared") })
	var log []braid.CleanupEntry
	waitUntil(t, "the deletion in the cleanup log", 10*time.Second, func() bool {
		var err error
		log, _, err = c.CleanupLog(ctx, 0, 100)
		return err == nil && len(log) > 0
	})
	if e := log[len(log)-1]; e.Name != "work/shared" || e.Kind != "stream" || e.Rule != "ephemeral" || e.Reason != "the last holder detached" {
		t.Errorf("cleanup log entry %+v", e)
	}
}

// TestEphemeralLeaseExpires: a holder that stops renewing (its process
// died: here a raw call with no client behind it) goes a lease later, and
// the stream with it.
func TestEphemeralLeaseExpires(t *testing.T) {
	ts := newServer(t)
	ctx := testCtx(t, 30*time.Second)
	conn := rawConn(t, ts.GRPCAddr())
	resp, err := braidv1.NewEphemeralServiceClient(conn).Attach(ctx, &braidv1.AttachRequest{
		Scope: "crash", Stream: "tmp", Holder: "doomed", LeaseMs: 1000, Create: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !resp.GetCreated() || resp.GetHolderId() == "" {
		t.Fatalf("attach: %+v", resp)
	}
	c := dial(t, ts)
	if gone(t, c, "crash/tmp") {
		t.Fatal("the stream was not created")
	}
	start := time.Now()
	waitUntil(t, "the stream to go once the lease ran out", 10*time.Second, func() bool { return gone(t, c, "crash/tmp") })
	t.Logf("deleted %s after the attach (lease 1 s, reaper every 1 s)", time.Since(start).Round(10*time.Millisecond))
	var log []braid.CleanupEntry
	waitUntil(t, "the deletion in the cleanup log", 10*time.Second, func() bool {
		var err error
		log, _, err = c.CleanupLog(ctx, 0, 10)
		return err == nil && len(log) > 0
	})
	if len(log) != 1 || !strings.Contains(log[0].Reason, "lease ran out (doomed)") {
		t.Errorf("cleanup log %+v; want the lease that ran out named", log)
	}
}

// TestEphemeralScopeAndClientClose: Client.Close detaches everything it
// holds; an ephemeral scope takes its streams and reader groups with it.
func TestEphemeralScopeAndClientClose(t *testing.T) {
	ts := newServer(t)
	ctx := testCtx(t, 30*time.Second)
	holder := dialAddr(t, ts.GRPCAddr())
	if _, err := holder.EphemeralScope(ctx, "area", braid.WithLease(5*time.Second)); err != nil {
		t.Fatal(err)
	}
	c := dial(t, ts)
	createStream(t, c, "area/a", 1)
	createStream(t, c, "area/b", 2)
	if _, err := c.ReaderGroup("area/g").Create(ctx, braid.ReaderGroupConfig{Streams: []braid.GroupStream{{Stream: "area/a"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.EphemeralStream(ctx, "area/a"); !errors.Is(err, braid.ErrInvalidArgument) || !strings.Contains(err.Error(), "not ephemeral") {
		t.Errorf("attach to a plain stream as ephemeral: %v, want INVALID_ARGUMENT saying it is not ephemeral", err)
	}
	holder.Close()
	waitUntil(t, "the scope to go with its streams", 10*time.Second, func() bool {
		scopes, err := c.ListScopes(ctx)
		return err == nil && len(scopes) == 0
	})
	if !gone(t, c, "area/a") || !gone(t, c, "area/b") {
		t.Error("a stream outlived its ephemeral scope")
	}
	if groups, err := c.ListReaderGroups(ctx, "area"); err == nil && len(groups) > 0 {
		t.Errorf("reader groups outlived their scope: %v", groups)
	}
}

// TestEphemeralDeletedUnderWriterAndReader: a writer and a following
// reader of an ephemeral stream that goes get a clear error, not a hang.
func TestEphemeralDeletedUnderWriterAndReader(t *testing.T) {
	ts := newServer(t)
	ctx := testCtx(t, 30*time.Second)
	c := dial(t, ts)
	h, err := c.EphemeralStream(ctx, "gone/soon")
	if err != nil {
		t.Fatal(err)
	}
	w, err := c.NewWriter(ctx, "gone/soon")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(ctx, "k", []byte("one")).Wait(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := c.NewReader(ctx, "gone/soon")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Next(ctx); err != nil {
		t.Fatal(err)
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the stream to go", 10*time.Second, func() bool { return gone(t, c, "gone/soon") })
	if _, err := r.Next(ctx); !errors.Is(err, braid.ErrNotFound) || !strings.Contains(err.Error(), "deleted") {
		t.Errorf("reader of the deleted stream: %v, want NOT_FOUND saying deleted", err)
	}
	_, err = w.Write(ctx, "k", []byte("two")).Wait(ctx)
	if err == nil || ctx.Err() != nil {
		t.Errorf("writer of the deleted stream: %v (ctx %v), want an error before the deadline", err, ctx.Err())
	}
	t.Logf("writer: %v", err)
	w.Close(ctx)
}
