package braid_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/wire"
)

// event is a test event: key and per-key sequence number in the payload.
func event(key string, seq, pad int) []byte {
	return fmt.Appendf(nil, "%s#%06d#%s", key, seq, strings.Repeat("x", pad))
}

func parseEvent(t testing.TB, data []byte) (key string, seq int) {
	t.Helper()
	parts := strings.SplitN(string(data), "#", 3)
	if len(parts) != 3 {
		t.Fatalf("bad event %q", data)
	}
	if _, err := fmt.Sscanf(parts[1], "%d", &seq); err != nil {
		t.Fatalf("bad event %q: %v", data, err)
	}
	return parts[0], seq
}

// readAll reads stream until io.EOF with opts (which should bound the read).
func readAll(t testing.TB, c *braid.Client, stream string, opts ...braid.ReaderOption) []braid.Event {
	t.Helper()
	evs, _ := readToEOF(t, testCtx(t, 30*time.Second), c, stream, opts...)
	return evs
}

func TestWriteReadRoundTrip(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	const stream = "test/roundtrip"
	createStream(t, c, stream, 4)
	ctx := testCtx(t, 30*time.Second)

	w, err := c.NewWriter(ctx, stream, braid.WithMaxBatchBytes(4<<10))
	if err != nil {
		t.Fatal(err)
	}
	const keys, perKey = 20, 150
	type written struct {
		data []byte
		ack  braid.Ack
	}
	var all []written
	for i := range perKey {
		for k := range keys {
			key := fmt.Sprintf("key-%d", k)
			data := event(key, i, (i*k)%300)
			all = append(all, written{data, w.Write(ctx, key, data)})
		}
	}
	// Some events without a key, spread over the segments.
	for i := range 40 {
		data := event("", i, 10)
		all = append(all, written{data, w.Write(ctx, "", data)})
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	ptrs := map[braid.EventPointer][]byte{}
	segsUsed := map[uint64]bool{}
	for i, wr := range all {
		select {
		case <-wr.ack.Done():
		default:
			t.Fatalf("event %d not done after Flush", i)
		}
		p, err := wr.ack.Wait(ctx)
		if err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		if p.Stream != stream || p.Offset < 0 || int(p.Length) != wire.FrameSize(len(wr.data)) {
			t.Fatalf("event %d: pointer %+v", i, p)
		}
		if _, dup := ptrs[p]; dup {
			t.Fatalf("event %d: pointer %v given twice", i, p)
		}
		ptrs[p] = wr.data
		segsUsed[p.SegmentID] = true
	}
	if len(segsUsed) != 4 {
		t.Errorf("events went to %d segments, want 4", len(segsUsed))
	}
	if err := w.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}

	evs := readAll(t, c, stream, braid.UntilTail())
	if len(evs) != len(all) {
		t.Fatalf("read %d events, wrote %d", len(evs), len(all))
	}
	next := map[string]int{}
	keyPoint := map[string]uint64{}
	for _, ev := range evs {
		want, ok := ptrs[ev.Pointer]
		if !ok {
			t.Fatalf("read event at %v that no ack named", ev.Pointer)
		}
		if !bytes.Equal(ev.Data, want) {
			t.Fatalf("event at %v: read %q, wrote %q", ev.Pointer, ev.Data, want)
		}
		key, seq := parseEvent(t, ev.Data)
		if key == "" {
			continue
		}
		if seq != next[key] {
			t.Fatalf("key %s: read seq %d, want %d (per-key order)", key, seq, next[key])
		}
		next[key]++
		if s, ok := keyPoint[key]; ok && s != ev.Pointer.SegmentID {
			t.Fatalf("key %s in segments %x and %x", key, s, ev.Pointer.SegmentID)
		}
		keyPoint[key] = ev.Pointer.SegmentID
	}

	// Fetch by pointer returns the exact bytes; pointer text round-trips.
	n := 0
	for p, want := range ptrs {
		if n++; n > 50 {
			break
		}
		got, err := c.Fetch(ctx, p)
		if err != nil {
			t.Fatalf("Fetch %v: %v", p, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("Fetch %v = %q, want %q", p, got, want)
		}
		q, err := braid.ParsePointer(p.Qualified())
		if err != nil || q != p {
			t.Fatalf("ParsePointer(%q) = %+v, %v; want %+v", p.Qualified(), q, err, p)
		}
		q, err = braid.ParsePointer(p.String())
		if err != nil || q.Stream != "" || q.SegmentID != p.SegmentID || q.Offset != p.Offset || q.Length != p.Length {
			t.Fatalf("ParsePointer(%q) = %+v, %v", p.String(), q, err)
		}
	}
}

func TestFetchEmptyAndLargeEvents(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	const stream = "test/sizes"
	createStream(t, c, stream, 1)
	ctx := testCtx(t, 30*time.Second)
	w, err := c.NewWriter(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(ctx)
	big := bytes.Repeat([]byte("0123456789abcdef"), wire.DefaultMaxEventSize/16)
	for _, data := range [][]byte{{}, []byte("a"), big, []byte("after the big one")} {
		p, err := w.Write(ctx, "k", data).Wait(ctx)
		if err != nil {
			t.Fatalf("write %d bytes: %v", len(data), err)
		}
		got, err := c.Fetch(ctx, p)
		if err != nil {
			t.Fatalf("Fetch %v: %v", p, err)
		}
		if !bytes.Equal(got, data) || got == nil {
			t.Fatalf("Fetch %v: got %d bytes (nil %v), want %d", p, len(got), got == nil, len(data))
		}
	}
	evs := readAll(t, c, stream, braid.UntilTail())
	if len(evs) != 4 || len(evs[2].Data) != len(big) {
		t.Fatalf("read %d events", len(evs))
	}
}

func TestPositionResumesAfterEvent(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	const stream = "test/position"
	createStream(t, c, stream, 3)
	ctx := testCtx(t, 30*time.Second)
	w, err := c.NewWriter(ctx, stream, braid.WithMaxBatchBytes(512))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		key := fmt.Sprintf("k%d", i%7)
		w.Write(ctx, key, event(key, i, i%50))
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	all := readAll(t, c, stream, braid.UntilTail())
	if len(all) != 300 {
		t.Fatalf("read %d events, want 300", len(all))
	}
	for _, i := range []int{0, 1, 57, 150, 298, 299} {
		pos := all[i].Position()
		// The text form round-trips too.
		parsed, err := braid.ParseStreamCut(pos.String())
		if err != nil {
			t.Fatalf("ParseStreamCut(%q): %v", pos.String(), err)
		}
		if parsed.Stream = stream; !parsed.Equal(pos) {
			t.Fatalf("cut %v round-tripped to %v", pos, parsed)
		}
		rest := readAll(t, c, stream, braid.FromCut(parsed), braid.UntilTail())
		seen := map[braid.EventPointer]bool{}
		for _, ev := range all[:i+1] {
			seen[ev.Pointer] = true
		}
		for _, ev := range rest {
			if seen[ev.Pointer] {
				t.Fatalf("resuming after event %d read %v again", i, ev.Pointer)
			}
			seen[ev.Pointer] = true
		}
		if len(seen) != len(all) {
			t.Fatalf("resuming after event %d: %d + %d events, want %d", i, i+1, len(rest), len(all))
		}
	}

	// The reader's position after the last event is the tail.
	r, err := c.NewReader(ctx, stream, braid.UntilTail())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	head, err := c.HeadCut(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Position().Equal(head) {
		t.Fatalf("position before Next %v, want head %v", r.Position(), head)
	}
	for {
		if _, err := r.Next(ctx); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
	}
	tail, err := c.TailCut(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Position().Equal(tail) || !all[299].Position().Equal(tail) {
		t.Fatalf("position at end %v / %v, want tail %v", r.Position(), all[299].Position(), tail)
	}
}

func TestReaderFromPointer(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	const stream = "test/frompointer"
	createStream(t, c, stream, 2)
	ctx := testCtx(t, 30*time.Second)
	w, err := c.NewWriter(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	var acks []braid.Ack
	for i := range 50 {
		acks = append(acks, w.Write(ctx, "one-key", event("one-key", i, 0)))
		w.Write(ctx, fmt.Sprintf("other-%d", i), []byte("other"))
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	p, err := acks[20].Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	evs := readAll(t, c, stream, braid.FromPointer(p), braid.UntilTail())
	var got []int
	for _, ev := range evs {
		if ev.Pointer.SegmentID != p.SegmentID {
			t.Fatalf("FromPointer read segment %x, want only %x", ev.Pointer.SegmentID, p.SegmentID)
		}
		if string(ev.Data) == "other" {
			continue
		}
		_, seq := parseEvent(t, ev.Data)
		got = append(got, seq)
	}
	if len(got) != 30 || got[0] != 20 || got[29] != 49 {
		t.Fatalf("FromPointer read one-key events %v, want 20..49", got)
	}
}

func TestBoundedReadEOF(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	const stream = "test/bounded"
	createStream(t, c, stream, 3)
	ctx := testCtx(t, 30*time.Second)

	// An empty stream: at once.
	if evs := readAll(t, c, stream, braid.UntilTail()); len(evs) != 0 {
		t.Fatalf("empty stream: %d events", len(evs))
	}
	w, err := c.NewWriter(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(ctx)
	for i := range 10 {
		w.Write(ctx, fmt.Sprint(i), []byte("before"))
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	mid, err := c.TailCut(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		w.Write(ctx, fmt.Sprint(i), []byte("after"))
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	evs := readAll(t, c, stream, braid.UntilCut(mid))
	if len(evs) != 10 {
		t.Fatalf("read %d events until the cut, want 10", len(evs))
	}
	for _, ev := range evs {
		if string(ev.Data) != "before" {
			t.Fatalf("read %q before the cut", ev.Data)
		}
	}
	evs = readAll(t, c, stream, braid.FromCut(mid), braid.UntilTail())
	if len(evs) != 10 {
		t.Fatalf("read %d events after the cut, want 10", len(evs))
	}
	if evs := readAll(t, c, stream, braid.FromTail(), braid.UntilTail()); len(evs) != 0 {
		t.Fatalf("tail to tail: %d events", len(evs))
	}
	// io.EOF stays.
	r, err := c.NewReader(ctx, stream, braid.FromCut(mid), braid.UntilCut(mid))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for range 2 {
		if _, err := r.Next(ctx); err != io.EOF {
			t.Fatalf("Next = %v, want io.EOF", err)
		}
	}
}

func TestFollowingReader(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	const stream = "test/follow"
	createStream(t, c, stream, 2)
	ctx := testCtx(t, 30*time.Second)
	w, err := c.NewWriter(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(ctx)
	w.Write(ctx, "a", []byte("old"))
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := c.NewReader(ctx, stream, braid.FromTail())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()

	// Next waits for events written after it started.
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	_, err = r.Next(short)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Next on an idle stream = %v, want deadline exceeded", err)
	}
	for i := range 20 {
		w.Write(ctx, fmt.Sprintf("k%d", i), fmt.Appendf(nil, "new-%d", i))
	}
	seen := map[string]bool{}
	for len(seen) < 20 {
		ev, err := r.Next(ctx)
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		seen[string(ev.Data)] = true
	}
	if seen["old"] {
		t.Fatal("FromTail read an old event")
	}
	// Close ends a waiting Next's reader; Next then reports it closed.
	r.Close()
	if _, err := r.Next(ctx); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("Next after Close = %v", err)
	}
}

func TestSealedStreamEnds(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	const stream = "test/sealed"
	createStream(t, c, stream, 2)
	ctx := testCtx(t, 30*time.Second)
	w, err := c.NewWriter(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(ctx)
	if _, err := w.Write(ctx, "a", []byte("one")).Wait(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := c.NewReader(ctx, stream) // following
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := c.SealStream(ctx, stream); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(ctx, "a", []byte("two")).Wait(ctx); !errors.Is(err, braid.ErrSealed) {
		t.Fatalf("write after seal: %v, want ErrSealed", err)
	}
	if err := w.Flush(ctx); !errors.Is(err, braid.ErrSealed) {
		t.Fatalf("Flush after a sealed write: %v, want ErrSealed", err)
	}
	if ev, err := r.Next(ctx); err != nil || string(ev.Data) != "one" {
		t.Fatalf("Next = %q, %v", ev.Data, err)
	}
	if _, err := r.Next(ctx); err != io.EOF {
		t.Fatalf("Next at the end of a sealed stream = %v, want io.EOF", err)
	}
	if _, err := c.NewWriter(ctx, stream); !errors.Is(err, braid.ErrSealed) {
		t.Fatalf("NewWriter on a sealed stream: %v, want ErrSealed", err)
	}
}

func TestAdmin(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	created, err := c.CreateScope(ctx, "adm")
	if err != nil || !created {
		t.Fatalf("CreateScope = %v, %v", created, err)
	}
	if created, err := c.CreateScope(ctx, "adm"); err != nil || created {
		t.Fatalf("CreateScope again = %v, %v", created, err)
	}
	info, err := c.CreateStream(ctx, "adm/s1", braid.StreamConfig{Segments: 3})
	if err != nil {
		t.Fatal(err)
	}
	if info.Scope != "adm" || info.Name != "s1" || info.Segments != 3 || len(info.Epochs) != 1 || len(info.Epochs[0].Segments) != 3 || info.ScopeCreated || info.Created.IsZero() {
		t.Fatalf("CreateStream info %+v", info)
	}
	if _, err := c.CreateStream(ctx, "adm/s1", braid.StreamConfig{}); !errors.Is(err, braid.ErrAlreadyExists) {
		t.Fatalf("CreateStream twice: %v", err)
	}
	info, err = c.CreateStream(ctx, "adm2/s2", braid.StreamConfig{CreateScope: true})
	if err != nil || !info.ScopeCreated || info.Segments != 1 {
		t.Fatalf("CreateStream with scope = %+v, %v", info, err)
	}
	scopes, err := c.ListScopes(ctx)
	if err != nil || strings.Join(scopes, ",") != "adm,adm2" {
		t.Fatalf("ListScopes = %v, %v", scopes, err)
	}
	w, err := c.NewWriter(ctx, "adm/s1")
	if err != nil {
		t.Fatal(err)
	}
	p, err := w.Write(ctx, "k", []byte("12345")).Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(ctx); err != nil {
		t.Fatal(err)
	}
	info, err = c.GetStream(ctx, "adm/s1")
	if err != nil || len(info.Current) != 3 {
		t.Fatalf("GetStream = %+v, %v", info, err)
	}
	var total int64
	for _, s := range info.Current {
		total += s.Length
		if s.ID == p.SegmentID && s.Length != int64(p.Length) {
			t.Fatalf("segment %x length %d, want %d", s.ID, s.Length, p.Length)
		}
	}
	if total != 13 {
		t.Fatalf("total length %d, want 13", total)
	}
	streams, err := c.ListStreams(ctx, "adm")
	if err != nil || len(streams) != 1 || streams[0].Name != "s1" {
		t.Fatalf("ListStreams = %+v, %v", streams, err)
	}
	if err := c.DeleteScope(ctx, "adm"); err == nil {
		t.Fatal("DeleteScope of a scope with streams succeeded")
	}
	// A reader following the stream when it is deleted gets a clear
	// not-found error, not a hang.
	follower, err := c.NewReader(ctx, "adm/s1", braid.FromTail())
	if err != nil {
		t.Fatal(err)
	}
	defer follower.Close()
	followErr := make(chan error, 1)
	go func() {
		_, err := follower.Next(ctx)
		followErr <- err
	}()
	if err := c.DeleteStream(ctx, "adm/s1"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetStream(ctx, "adm/s1"); !errors.Is(err, braid.ErrNotFound) {
		t.Fatalf("GetStream after delete: %v", err)
	}
	if _, err := c.NewReader(ctx, "adm/s1"); !errors.Is(err, braid.ErrNotFound) {
		t.Fatalf("NewReader after delete: %v", err)
	}
	select {
	case err := <-followErr:
		if !errors.Is(err, braid.ErrNotFound) {
			t.Fatalf("following reader after delete: %v, want ErrNotFound", err)
		}
	case <-ctx.Done():
		t.Fatal("a reader following a deleted stream never returned")
	}
	if _, err := c.Fetch(ctx, p); !errors.Is(err, braid.ErrNotFound) {
		t.Fatalf("Fetch after delete: %v", err)
	}
	if err := c.DeleteScope(ctx, "adm"); err != nil {
		t.Fatal(err)
	}
}

func TestErrors(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	createStream(t, c, "err/s", 1)

	t.Run("unknown stream", func(t *testing.T) {
		_, err := c.NewWriter(ctx, "err/nope")
		if !errors.Is(err, braid.ErrNotFound) || !strings.Contains(err.Error(), "nope") {
			t.Fatalf("NewWriter: %v", err)
		}
		var be *braid.Error
		if !errors.As(err, &be) || be.Code != wire.CodeNotFound {
			t.Fatalf("error %T %v is not a NOT_FOUND *braid.Error", err, err)
		}
		if _, err := c.NewReader(ctx, "err/nope"); !errors.Is(err, braid.ErrNotFound) {
			t.Fatalf("NewReader: %v", err)
		}
		if _, err := c.GetStream(ctx, "nope/nope"); !errors.Is(err, braid.ErrNotFound) {
			t.Fatalf("GetStream: %v", err)
		}
		if _, err := c.CreateStream(ctx, "nope/s", braid.StreamConfig{}); !errors.Is(err, braid.ErrNotFound) {
			t.Fatalf("CreateStream in a missing scope: %v", err)
		}
		if _, err := c.Fetch(ctx, braid.EventPointer{Stream: "err/nope", Length: 8}); !errors.Is(err, braid.ErrNotFound) {
			t.Fatalf("Fetch: %v", err)
		}
		// A segment the stream does not have.
		r, err := c.NewReader(ctx, "err/s", braid.FromCut(braid.StreamCut{Segments: []wire.SegmentOffset{{SegmentID: 77, Offset: 0}}}))
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if _, err := r.Next(ctx); !errors.Is(err, braid.ErrNotFound) {
			t.Fatalf("Next on a missing segment: %v", err)
		}
	})

	t.Run("oversized event", func(t *testing.T) {
		w, err := c.NewWriter(ctx, "err/s")
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close(ctx)
		ack := w.Write(ctx, "k", make([]byte, wire.DefaultMaxEventSize+1))
		select {
		case <-ack.Done():
		default:
			t.Fatal("oversized write not failed at once")
		}
		_, err = ack.Wait(ctx)
		if !errors.Is(err, braid.ErrEventTooLarge) || !strings.Contains(err.Error(), fmt.Sprint(wire.DefaultMaxEventSize+1)) {
			t.Fatalf("oversized write: %v", err)
		}
		// The writer still works.
		if _, err := w.Write(ctx, "k", []byte("fine")).Wait(ctx); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("bad names", func(t *testing.T) {
		for _, name := range []string{"", "noslash", "a/b/c", "sc ope/s", "s/_internal", "s/" + strings.Repeat("x", 251)} {
			checks := map[string]error{}
			_, checks["NewWriter"] = c.NewWriter(ctx, name)
			_, checks["NewReader"] = c.NewReader(ctx, name)
			_, checks["CreateStream"] = c.CreateStream(ctx, name, braid.StreamConfig{})
			_, checks["GetStream"] = c.GetStream(ctx, name)
			_, checks["TailCut"] = c.TailCut(ctx, name)
			checks["SealStream"] = c.SealStream(ctx, name)
			for op, err := range checks {
				if !errors.Is(err, braid.ErrInvalidArgument) || !strings.HasPrefix(err.Error(), "braid: invalid") {
					t.Errorf("%s(%.20q): %v", op, name, err)
				}
			}
		}
		if _, err := c.CreateScope(ctx, "bad scope"); !errors.Is(err, braid.ErrInvalidArgument) || !strings.Contains(err.Error(), `"bad scope"`) {
			t.Errorf("CreateScope: %v", err)
		}
		if _, err := c.CreateStream(ctx, "err/many", braid.StreamConfig{Segments: 5000}); !errors.Is(err, braid.ErrInvalidArgument) || !strings.Contains(err.Error(), "5000") {
			t.Errorf("CreateStream with 5000 segments: %v", err)
		}
		if _, err := c.NewWriter(ctx, "err/s", braid.WithMaxBatchBytes(-1), braid.WithWriterID(strings.Repeat("w", 300))); !errors.Is(err, braid.ErrInvalidArgument) ||
			!strings.Contains(err.Error(), "writer id") || !strings.Contains(err.Error(), "batch") {
			t.Errorf("NewWriter with bad options: %v", err)
		}
	})

	t.Run("bad pointers and cuts", func(t *testing.T) {
		if _, err := braid.ParsePointer("0000-zz"); !errors.Is(err, braid.ErrInvalidArgument) || !strings.Contains(err.Error(), `"0000-zz"`) {
			t.Errorf("ParsePointer: %v", err)
		}
		if _, err := braid.ParseStreamCut("v9.xx"); !errors.Is(err, braid.ErrInvalidArgument) || !strings.Contains(err.Error(), "version") {
			t.Errorf("ParseStreamCut: %v", err)
		}
		if _, err := c.Fetch(ctx, braid.EventPointer{SegmentID: 1, Length: 9}); !errors.Is(err, braid.ErrInvalidArgument) || !strings.Contains(err.Error(), "no stream") {
			t.Errorf("Fetch without stream: %v", err)
		}
		if _, err := c.Fetch(ctx, braid.EventPointer{Stream: "err/s", Length: 3}); !errors.Is(err, braid.ErrInvalidArgument) {
			t.Errorf("Fetch with a short length: %v", err)
		}
		if _, err := c.Fetch(ctx, braid.EventPointer{Stream: "err/s", SegmentID: 0, Offset: 1, Length: 9}); !errors.Is(err, braid.ErrInvalidArgument) {
			t.Errorf("Fetch off an event boundary: %v", err)
		}
		if _, err := c.NewReader(ctx, "err/s", braid.FromCut(braid.StreamCut{Stream: "err/other", Segments: []wire.SegmentOffset{{SegmentID: 0, Offset: 0}}})); !errors.Is(err, braid.ErrInvalidArgument) {
			t.Errorf("FromCut of another stream: %v", err)
		}
		if _, err := c.NewReader(ctx, "err/s", braid.FromCut(braid.StreamCut{})); !errors.Is(err, braid.ErrInvalidArgument) {
			t.Errorf("FromCut of an empty cut: %v", err)
		}
		if _, err := c.NewReader(ctx, "err/s", braid.UntilCut(braid.StreamCut{Segments: []wire.SegmentOffset{{SegmentID: 99, Offset: 0}}})); !errors.Is(err, braid.ErrInvalidArgument) {
			t.Errorf("UntilCut missing a segment: %v", err)
		}
	})

	t.Run("closed writer", func(t *testing.T) {
		w, err := c.NewWriter(ctx, "err/s")
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(ctx); err != nil {
			t.Fatalf("second Close: %v", err)
		}
		if _, err := w.Write(ctx, "k", []byte("late")).Wait(ctx); !errors.Is(err, braid.ErrWriterClosed) {
			t.Fatalf("write after Close: %v", err)
		}
		if _, err := (braid.Ack{}).Wait(ctx); err == nil {
			t.Fatal("zero Ack waited without error")
		}
	})

	t.Run("unreachable server", func(t *testing.T) {
		addr := freeAddr(t)
		_, err := braid.Dial(context.Background(), addr)
		if !errors.Is(err, braid.ErrUnavailable) || !strings.Contains(err.Error(), addr) {
			t.Fatalf("Dial of a closed port: %v", err)
		}
		short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		_, err = braid.Dial(short, addr)
		if err == nil || !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, braid.ErrUnavailable) {
			t.Fatalf("Dial with a deadline: %v", err)
		}
	})

	t.Run("canceled call", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := c.ListScopes(cctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("ListScopes with a canceled context: %v", err)
		}
	})
}

func TestWriterIDReuseDetected(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	const stream = "test/reuse"
	createStream(t, c, stream, 1)
	ctx := testCtx(t, 30*time.Second)
	w1, err := c.NewWriter(ctx, stream, braid.WithWriterID("fixed"))
	if err != nil {
		t.Fatal(err)
	}
	if w1.ID() != "fixed" {
		t.Fatalf("ID() = %q", w1.ID())
	}
	if _, err := w1.Write(ctx, "k", []byte("first")).Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if err := w1.Close(ctx); err != nil {
		t.Fatal(err)
	}
	w2, err := c.NewWriter(ctx, stream, braid.WithWriterID("fixed"))
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close(ctx)
	_, err = w2.Write(ctx, "k", []byte("second")).Wait(ctx)
	if !errors.Is(err, braid.ErrInvalidArgument) || !strings.Contains(err.Error(), "reused") {
		t.Fatalf("write with a reused writer id: %v", err)
	}
	if evs := readAll(t, c, stream, braid.UntilTail()); len(evs) != 1 {
		t.Fatalf("%d events stored", len(evs))
	}
}
