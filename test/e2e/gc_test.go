package e2e

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// after waits until d has passed since t: it separates the times of what
// the test does, so that "inactive since t" is exact.
func after(t0 time.Time, d time.Duration) {
	for time.Since(t0) < d {
		time.Sleep(time.Millisecond) // the clock is the condition
	}
}

// TestGCInactive: of four streams, the one neither written nor read since
// a mark is listed and collected; one written since, one only read since,
// and an ephemeral one are kept; the deletion is in the cleanup log.
func TestGCInactive(t *testing.T) {
	ts := servertest.New(t, server.Config{GCMinInactive: time.Millisecond})
	ctx := testCtx(t, 30*time.Second)
	c := dial(t, ts)
	for _, s := range []string{"old/idle", "old/written", "old/read"} {
		createStream(t, c, s, 1)
	}
	writeEvents(t, c, ctx, "old/read", 0, 3)
	if _, err := c.EphemeralStream(ctx, "old/ephemeral"); err != nil {
		t.Fatal(err)
	}
	created := time.Now()
	after(created, 20*time.Millisecond)
	mark := time.Now()
	// The streams written or read after the mark stay active for the
	// collect below only while it comes less than this after the listing
	// (the inactivity it asks for is the time since the mark): ample for
	// a loaded machine.
	const margin = 2 * time.Second
	after(mark, margin)
	writeEvents(t, c, ctx, "old/written", 0, 1)
	readAll(t, c, "old/read", braid.UntilTail())

	// The server notes a read once its response is sent, which may be
	// just after the reader has it: look until the note is there.
	var inactive time.Duration
	var found []braid.InactiveStream
	var names []string
	deadline := time.Now().Add(10 * time.Second)
	for {
		inactive = time.Since(mark)
		var err error
		if found, err = c.ListInactive(ctx, "old", inactive); err != nil {
			t.Fatal(err)
		}
		names = names[:0]
		for _, s := range found {
			names = append(names, s.Stream)
		}
		if slices.Equal(names, []string{"old/idle"}) || time.Now().After(deadline) {
			break
		}
	}
	if !slices.Equal(names, []string{"old/idle"}) {
		t.Fatalf("inactive for %s: %v, want only old/idle", inactive, names)
	}
	if !found[0].LastWrite.IsZero() || !found[0].LastRead.IsZero() {
		t.Errorf("old/idle: %+v, want no write and no read seen", found[0])
	}
	deleted, skipped, err := c.CollectInactive(ctx, []string{"old/idle", "old/written", "old/ephemeral"}, inactive)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(deleted, []string{"old/idle"}) || !strings.HasPrefix(skipped["old/written"], "active") || !strings.HasPrefix(skipped["old/ephemeral"], "ephemeral") {
		t.Errorf("collect: deleted %v, skipped %v", deleted, skipped)
	}
	if !gone(t, c, "old/idle") || gone(t, c, "old/written") || gone(t, c, "old/read") {
		t.Error("the wrong streams went")
	}
	log, _, err := c.CleanupLog(ctx, 0, 10)
	if err != nil || len(log) != 1 || log[0].Name != "old/idle" || log[0].Rule != "inactive" {
		t.Errorf("cleanup log %+v, %v", log, err)
	}
	if _, err := c.ListInactive(ctx, "", 0); err == nil {
		t.Error("an inactivity of 0 was taken")
	}
}

// TestGCScopePolicy: a scope's inactive-ttl deletes its idle stream by
// itself and keeps the one written to; the deletion is logged with rule
// inactive-ttl; a scope without the policy is left alone.
func TestGCScopePolicy(t *testing.T) {
	ts := servertest.New(t, server.Config{GCMinInactive: time.Millisecond, GCPolicyInterval: 50 * time.Millisecond})
	ctx := testCtx(t, 30*time.Second)
	c := dial(t, ts)
	for _, s := range []string{"tidy/idle", "tidy/busy", "other/idle"} {
		createStream(t, c, s, 1)
	}
	if err := c.SetInactiveTTL(ctx, "tidy", 500*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if ps, err := c.InactiveTTLs(ctx); err != nil || ps["tidy"] != 500*time.Millisecond {
		t.Fatalf("policies %v, %v", ps, err)
	}
	w, err := c.NewWriter(ctx, "tidy/busy")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(ctx)
	waitUntil(t, "the idle stream of the tidy scope to go", 10*time.Second, func() bool {
		if _, err := w.Write(ctx, "k", []byte("still here")).Wait(ctx); err != nil {
			t.Fatalf("write to the busy stream: %v", err)
		}
		return gone(t, c, "tidy/idle")
	})
	if gone(t, c, "tidy/busy") || gone(t, c, "other/idle") {
		t.Error("the policy took a busy stream or another scope's")
	}
	var log []braid.CleanupEntry
	waitUntil(t, "the deletion in the cleanup log", 10*time.Second, func() bool {
		log, _, err = c.CleanupLog(ctx, 0, 10)
		return err == nil && len(log) > 0
	})
	if log[0].Name != "tidy/idle" || log[0].Rule != "inactive-ttl" || !strings.Contains(log[0].Reason, "scope tidy inactive-ttl") {
		t.Errorf("cleanup log %+v", log[0])
	}
	if err := c.SetInactiveTTL(ctx, "tidy", 0); err != nil {
		t.Fatal(err)
	}
	if ps, _ := c.InactiveTTLs(ctx); len(ps) != 0 {
		t.Errorf("a removed policy stays: %v", ps)
	}
	if err := c.SetInactiveTTL(ctx, "nosuch", time.Hour); !errors.Is(err, braid.ErrNotFound) {
		t.Errorf("a policy for a missing scope: %v", err)
	}
}
