package braid_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid"
)

// TestReaderStreamDeleted: a reader following a stream that is deleted
// under it ends with an error that says so and matches ErrNotFound, also
// when a stream of the same name is created at once.
func TestReaderStreamDeleted(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	for _, recreate := range []bool{false, true} {
		const stream = "test/gone"
		createStream(t, c, stream, 2)
		writeEvents(t, c, ctx, stream, 0, 4)
		r, err := c.NewReader(ctx, stream)
		if err != nil {
			t.Fatal(err)
		}
		for range 4 {
			if _, err := r.Next(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if err := c.DeleteStream(ctx, stream); err != nil {
			t.Fatal(err)
		}
		if recreate {
			createStream(t, c, stream, 2)
		}
		_, err = r.Next(ctx)
		want := "read test/gone: stream test/gone was deleted"
		if !errors.Is(err, braid.ErrNotFound) || err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("recreated %v: Next after the delete = %v, want %q matching ErrNotFound", recreate, err, want)
		}
		if _, again := r.Next(ctx); again == nil || again.Error() != err.Error() {
			t.Errorf("recreated %v: Next again = %v, want %v", recreate, again, err)
		}
		r.Close()
		if recreate {
			if err := c.DeleteStream(ctx, stream); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestGroupReaderStreamDeleted: a group reader waiting at the tail of a
// stream deleted under it ends with NOT_FOUND, never the bare "segment not
// found" of its segment's read.
func TestGroupReaderStreamDeleted(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	const stream = "test/gone-grp"
	createStream(t, c, stream, 2)
	writeEvents(t, c, ctx, stream, 0, 4)
	rg := c.ReaderGroup("test/gone-g")
	if _, err := rg.Create(ctx, braid.ReaderGroupConfig{Streams: []braid.GroupStream{{Stream: stream}}}); err != nil {
		t.Fatal(err)
	}
	r, err := rg.NewReader(ctx, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close(ctx)
	for n := 0; n < 4; {
		ev, err := r.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ev.Checkpoint == "" {
			n++
		}
	}
	if err := c.DeleteStream(ctx, stream); err != nil {
		t.Fatal(err)
	}
	for {
		ev, err := r.Read(ctx)
		if err == nil && ev.Checkpoint != "" {
			continue
		}
		if err == nil {
			t.Fatalf("read an event after the delete: %q", ev.Data)
		}
		if !errors.Is(err, braid.ErrNotFound) || strings.Contains(err.Error(), "segment not found") {
			t.Fatalf("Read after the stream's delete = %v, want NOT_FOUND naming the stream or group", err)
		}
		t.Logf("Read after the delete: %v", err)
		break
	}
}
