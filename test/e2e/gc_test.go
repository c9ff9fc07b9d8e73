package e2e

import (
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
	after(mark, 20*time.Millisecond)
	writeEvents(t, c, ctx, "old/written", 0, 1)
	readAll(t, c, "old/read", braid.UntilTail())

	inactive := time.Since(mark)
	found, err := c.ListInactive(ctx, "old", inactive)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range found {
		names = append(names, s.Stream)
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
