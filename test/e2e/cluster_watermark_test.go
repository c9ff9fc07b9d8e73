package e2e

import (
	"testing"
	"time"

	"github.com/braidstream/braid"
)

// TestClusterWatermark: two writers of one stream note times through
// different nodes of a cluster; the watermark, asked through either node,
// is the least over both (one node keeps each stream's watermarks, the
// other forwards to it). When a node stops, the writers move to the other
// node and the watermark goes on from where it was, never back.
func TestClusterWatermark(t *testing.T) {
	n1, n2 := twoNodeCluster(t)
	ca := dialAddr(t, n1.GRPCAddr()+","+n2.GRPCAddr())
	cb := dialAddr(t, n2.GRPCAddr()+","+n1.GRPCAddr())
	ctx := testCtx(t, 90*time.Second)
	const stream = "cw/s"
	createStream(t, ca, stream, 2)
	base := time.Now().Add(-time.Hour).Truncate(time.Second)
	at := func(sec int) time.Time { return base.Add(time.Duration(sec) * time.Second) }
	wa, err := ca.NewWriter(ctx, stream, braid.WithWriterID("A"))
	if err != nil {
		t.Fatal(err)
	}
	wb, err := cb.NewWriter(ctx, stream, braid.WithWriterID("B"))
	if err != nil {
		t.Fatal(err)
	}
	round := func(a, b int) {
		t.Helper()
		for i := range 5 {
			wa.Write(ctx, "a", []byte{byte(i)})
			wb.Write(ctx, "b", []byte{byte(i)})
		}
		if err := wa.NoteTime(ctx, at(a)); err != nil {
			t.Fatal(err)
		}
		if err := wb.NoteTime(ctx, at(b)); err != nil {
			t.Fatal(err)
		}
	}
	waitAt := func(c *braid.Client, want time.Time) {
		t.Helper()
		waitUntil(t, "the watermark at "+want.Format(time.RFC3339), 30*time.Second, func() bool {
			wm, err := c.Watermark(ctx, stream)
			if err != nil {
				return false
			}
			if wm.Time.After(want) {
				t.Fatalf("the watermark is at %v, past the least writer's %v", wm.Time, want)
			}
			return wm.Time.Equal(want)
		})
	}
	round(5, 10)
	waitAt(ca, at(5))
	waitAt(cb, at(5))
	round(15, 20)
	waitAt(ca, at(15))
	if wm, err := cb.Watermark(ctx, stream); err != nil || len(wm.Writers) != 2 {
		t.Fatalf("through the other node: %+v %v, want both writers", wm, err)
	}

	n1.Stop(t)
	round(25, 30)
	waitUntil(t, "the watermark past 15 s after the stop", 60*time.Second, func() bool {
		wm, err := cb.Watermark(ctx, stream)
		if err != nil {
			return false
		}
		if wm.Time.Before(at(15)) {
			t.Fatalf("the watermark went back to %v", wm.Time)
		}
		return wm.Time.Equal(at(25))
	})
}
