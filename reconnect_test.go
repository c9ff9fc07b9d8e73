package braid_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/braidstream/braid"
)

// TestWriterReconnects closes the server while a writer keeps writing, and
// starts a new server on the same data directory and port: the writer must
// resend what was not acknowledged, and every event must be stored exactly
// once, in per-key order.
func TestWriterReconnects(t *testing.T) {
	dir, addr := t.TempDir(), freeAddr(t)
	ts := startServer(t, dir, addr)
	c := dialAddr(t, addr)
	const stream = "rc/s"
	createStream(t, c, stream, 3)
	ctx := testCtx(t, 2*time.Minute)
	w, err := c.NewWriter(ctx, stream, braid.WithMaxBatchBytes(1<<10))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(ctx)

	// The generator writes with a few events in flight, so that some are
	// on the wire when the server goes away, until stop is closed. It
	// reports its progress on progress.
	const keys = 13
	var (
		acks     []braid.Ack
		seq      = make([]int, keys)
		stop     = make(chan struct{})
		progress = make(chan int, 1)
		genDone  = make(chan error, 1)
	)
	go func() {
		genDone <- func() error {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return nil
				default:
				}
				k := i % keys
				key := fmt.Sprintf("key-%d", k)
				acks = append(acks, w.Write(ctx, key, event(key, seq[k], i%97)))
				seq[k]++
				if i%8 == 7 {
					if _, err := acks[i-4].Wait(ctx); err != nil {
						return fmt.Errorf("event %d: %w", i-4, err)
					}
					select {
					case progress <- i - 4:
					default:
					}
				}
			}
		}()
	}()
	// waitFor waits until the generator has n events acknowledged.
	waitFor := func(n int) {
		t.Helper()
		for {
			select {
			case i := <-progress:
				if i >= n {
					return
				}
			case err := <-genDone:
				t.Fatalf("generator stopped: %v", err)
			case <-ctx.Done():
				t.Fatal("timed out waiting for acks")
			}
		}
	}

	waitFor(500)
	ts.Stop(t) // while writing
	var last int
	select {
	case last = <-progress:
	default:
	}
	ts2 := startServer(t, dir, addr)
	defer ts2.Stop(t)
	waitFor(last + 500)
	close(stop)
	if err := <-genDone; err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatalf("Flush after the restart: %v", err)
	}
	// Close before the server does, or its graceful stop waits for the
	// append session.
	if err := w.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}

	acked := map[braid.EventPointer]int{}
	unknown := 0
	for i, a := range acks {
		p, err := a.Wait(ctx)
		if err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		if p.Offset < 0 {
			unknown++ // a duplicate whose position the server forgot
			continue
		}
		if j, dup := acked[p]; dup {
			t.Fatalf("events %d and %d both at %v", j, i, p)
		}
		acked[p] = i
	}
	t.Logf("%d events, %d acknowledged as duplicates without a position", len(acks), unknown)

	evs := readAll(t, c, stream, braid.UntilTail())
	if len(evs) != len(acks) {
		t.Fatalf("read %d events, wrote %d", len(evs), len(acks))
	}
	next := make([]int, keys)
	seen := map[string]bool{}
	for _, ev := range evs {
		if seen[string(ev.Data)] {
			t.Fatalf("event %q stored twice", ev.Data)
		}
		seen[string(ev.Data)] = true
		key, s := parseEvent(t, ev.Data)
		var k int
		if _, err := fmt.Sscanf(key, "key-%d", &k); err != nil {
			t.Fatal(err)
		}
		if s != next[k] {
			t.Fatalf("key %s: read %d, want %d", key, s, next[k])
		}
		next[k]++
		if i, ok := acked[ev.Pointer]; ok && i%keys != k {
			t.Fatalf("pointer %v of event %d names event %q", ev.Pointer, i, ev.Data)
		}
	}
	for k, n := range next {
		if n != seq[k] {
			t.Fatalf("key %d: read %d events, wrote %d", k, n, seq[k])
		}
	}
}
