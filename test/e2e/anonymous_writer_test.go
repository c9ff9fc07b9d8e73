package e2e

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/braidstream/braid"
)

// TestAnonymousWriter: a writer without an id stores its events (the
// server keeps no state for it), and cannot be combined with an id or
// stream numbers.
func TestAnonymousWriter(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	createStream(t, c, "anon/s", 3)
	w, err := c.NewWriter(ctx, "anon/s", braid.WithoutWriterID())
	if err != nil {
		t.Fatal(err)
	}
	if w.ID() != "" {
		t.Fatalf("ID %q, want none", w.ID())
	}
	var acks []braid.Ack
	for i := range 300 {
		acks = append(acks, w.Write(ctx, fmt.Sprintf("k%d", i%5), []byte(fmt.Sprintf("e%d", i))))
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	for i, a := range acks {
		p, err := a.Wait(ctx)
		if err != nil || p.Offset < 0 || a.Duplicate() {
			t.Fatalf("event %d: %v %v duplicate %v", i, p, err, a.Duplicate())
		}
	}
	if got := readAll(t, c, "anon/s", braid.UntilTail()); len(got) != 300 {
		t.Fatalf("read %d events, want 300", len(got))
	}
	for _, opt := range []braid.WriterOption{braid.WithWriterID("x"), braid.WithStreamNumbers(1)} {
		if _, err := c.NewWriter(ctx, "anon/s", braid.WithoutWriterID(), opt); !errors.Is(err, braid.ErrInvalidArgument) {
			t.Fatalf("WithoutWriterID with another option: %v, want INVALID_ARGUMENT", err)
		}
	}
}
