package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/braidstream/braid"
	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/internal/promtext"
)

// TestWatermarksEndToEnd: writers note event times, a reader group reads;
// the stream's watermark, the group's and a reader's time window advance,
// seen through the Go client, the HTTP API and /metrics.
func TestWatermarksEndToEnd(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 90*time.Second)
	const stream = "wm/events"
	createStream(t, c, stream, 2)
	grp := c.ReaderGroup("wm/g")
	if _, err := grp.Create(ctx, braid.ReaderGroupConfig{Streams: []braid.GroupStream{{Stream: stream}}}); err != nil {
		t.Fatal(err)
	}
	base := time.Now().Add(-time.Hour).Truncate(time.Second)
	at := func(sec int) time.Time { return base.Add(time.Duration(sec) * time.Second) }
	wa, err := c.NewWriter(ctx, stream, braid.WithWriterID("A"))
	if err != nil {
		t.Fatal(err)
	}
	wb, err := c.NewWriter(ctx, stream, braid.WithWriterID("B"))
	if err != nil {
		t.Fatal(err)
	}
	// Round k: each writer writes 5 events over several keys, then A
	// notes 10k s and B 10k+5 s: the watermark is A's.
	round := func(k int) {
		t.Helper()
		for i := range 5 {
			wa.Write(ctx, fmt.Sprintf("a%d", i), []byte(fmt.Sprintf("A%d-%d", k, i)))
			wb.Write(ctx, fmt.Sprintf("b%d", i), []byte(fmt.Sprintf("B%d-%d", k, i)))
		}
		if err := wa.NoteTime(ctx, at(10*k)); err != nil {
			t.Fatal(err)
		}
		if err := wb.NoteTime(ctx, at(10*k+5)); err != nil {
			t.Fatal(err)
		}
	}
	waitWatermark := func(want time.Time) braid.Watermark {
		t.Helper()
		var wm braid.Watermark
		waitUntil(t, "the watermark at "+want.Format(time.RFC3339), 20*time.Second, func() bool {
			wm, err = c.Watermark(ctx, stream)
			if err != nil {
				t.Fatal(err)
			}
			return wm.Time.Equal(want)
		})
		return wm
	}
	for k := 1; k <= 3; k++ {
		round(k)
	}
	wm := waitWatermark(at(30))
	if len(wm.Writers) != 2 || !wm.Writers[0].Active || !wm.Writers[1].Active {
		t.Fatalf("writers %+v, want A and B active", wm.Writers)
	}
	if !wm.Upper.Equal(at(35)) {
		t.Fatalf("upper %v, want %v", wm.Upper, at(35))
	}

	r, err := grp.NewReader(ctx, "r1", braid.WithManualCommit())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close(ctx)
	readN := func(n int) {
		t.Helper()
		for range n {
			if _, err := r.Read(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if err := r.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// Before reading: near the head, and the first mark ahead.
	tw, err := r.TimeWindow(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	if !tw.NearHead() {
		t.Fatalf("window before reading %+v, want no lower bound", tw)
	}
	readN(30)
	tw, err = r.TimeWindow(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	if !tw.Lower.Equal(at(30)) || !tw.NearTail() {
		t.Fatalf("window after reading everything %+v, want lower %v, no upper", tw, at(30))
	}
	info, err := grp.Describe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.TimeWindows[stream]; !got.Lower.Equal(at(30)) {
		t.Fatalf("group watermark %+v, want %v", got, at(30))
	}

	// It advances: another round, read by the group.
	round(4)
	waitWatermark(at(40))
	tw, _ = r.TimeWindow(ctx, stream)
	if !tw.Lower.Equal(at(30)) || tw.NearTail() || tw.Upper.Before(at(40)) {
		t.Fatalf("window before reading round 4 %+v, want lower %v and an upper of at least %v", tw, at(30), at(40))
	}
	readN(10)
	tw, _ = r.TimeWindow(ctx, stream)
	if !tw.Lower.Equal(at(40)) {
		t.Fatalf("window after round 4 %+v, want lower %v", tw, at(40))
	}

	// A closes: it stops holding the watermark back at once.
	if err := wa.Close(ctx); err != nil {
		t.Fatal(err)
	}
	wm = waitWatermark(at(45))
	if len(wm.Writers) != 1 || wm.Writers[0].Writer != "B" {
		t.Fatalf("writers after A closed %+v, want B alone", wm.Writers)
	}
	if err := wb.Close(ctx); err != nil {
		t.Fatal(err)
	}

	// The HTTP API shows the same.
	var hw struct {
		Watermark string  `json:"watermark"`
		Lag       float64 `json:"lag_seconds"`
	}
	getJSON(t, "http://"+ts.HTTPAddr()+"/v1/streams/wm/events/watermark", &hw)
	if hw.Watermark != at(45).UTC().Format(time.RFC3339Nano) || hw.Lag < 3500 {
		t.Fatalf("HTTP watermark %+v, want %v, lag over an hour", hw, at(45))
	}
	var hg struct {
		TimeWindows map[string]struct{ Lower, Upper string } `json:"time_windows"`
	}
	getJSON(t, "http://"+ts.HTTPAddr()+"/v1/groups/wm/g", &hg)
	// The group read everything: it passed the mark made when A left.
	if got := hg.TimeWindows[stream].Lower; got != at(45).UTC().Format(time.RFC3339Nano) {
		t.Fatalf("HTTP group window %+v, want lower %v", hg.TimeWindows, at(45))
	}
	var hwin struct{ Lower, Upper string }
	getJSON(t, "http://"+ts.HTTPAddr()+"/v1/streams/wm/events/window?position="+url.QueryEscape(info.Position[0].String()), &hwin)
	if hwin.Lower != at(30).UTC().Format(time.RFC3339Nano) {
		t.Fatalf("HTTP window of the group's old position %+v, want lower %v", hwin, at(30))
	}

	// And /metrics.
	set, err := promtext.Scrape(ctx, http.DefaultClient, "http://"+ts.HTTPAddr()+"/metrics")
	if err != nil {
		t.Fatal(err)
	}
	if got := set.Max("braid_stream_watermark_seconds", "scope", "wm", "stream", "events"); got != float64(at(45).Unix()) {
		t.Fatalf("braid_stream_watermark_seconds %v, want %v", got, at(45).Unix())
	}
	if got := set.Max("braid_stream_watermark_lag_seconds", "scope", "wm", "stream", "events"); got < 3500 {
		t.Fatalf("braid_stream_watermark_lag_seconds %v, want over an hour", got)
	}
}

// TestNoteTimeRefusals: what a writer cannot note.
func TestNoteTimeRefusals(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	createStream(t, c, "wm/refused", 1)
	anon, err := c.NewWriter(ctx, "wm/refused", braid.WithoutWriterID())
	if err != nil {
		t.Fatal(err)
	}
	defer anon.Close(ctx)
	if err := anon.NoteTime(ctx, time.Now()); err == nil {
		t.Fatal("an anonymous writer noted time")
	} else {
		t.Log(err)
	}
	w, err := c.NewWriter(ctx, "wm/refused", braid.WithWriterID("W"))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(ctx)
	now := time.Now()
	if err := w.NoteTime(ctx, now); err != nil {
		t.Fatal(err)
	}
	if err := w.NoteTime(ctx, now.Add(-time.Second)); err == nil {
		t.Fatal("a time going back was taken")
	} else {
		t.Log(err)
	}

	// A raw client claiming a position past a segment's end, or a
	// segment of another stream, is refused naming it.
	data := braidv1.NewDataServiceClient(rawConn(t, ts.GRPCAddr()))
	for _, pos := range [][]*braidv1.SegmentOffset{
		{{SegmentId: 0, Offset: 1 << 40}},
		{{SegmentId: 7, Offset: 0}},
	} {
		_, err := data.NoteTime(ctx, &braidv1.NoteTimeRequest{Scope: "wm", Stream: "refused", WriterId: "raw",
			TimeUnixNanos: now.UnixNano(), Position: pos})
		if status.Code(err) != codes.InvalidArgument {
			t.Fatalf("NoteTime at %v: %v, want InvalidArgument", pos, err)
		}
		t.Log(err)
	}
	// An HTTP time in Unix milliseconds past 2262 (microseconds sent as
	// milliseconds) is refused, not wrapped around.
	req, _ := http.NewRequest("POST", "http://"+ts.HTTPAddr()+"/v1/streams/wm/refused/events", strings.NewReader("x"))
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("Braid-Writer-Id", "h")
	req.Header.Set("Braid-Event-Number", "1")
	req.Header.Set("Braid-Time", fmt.Sprint(now.UnixMicro()))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "Braid-Time") {
		t.Fatalf("Braid-Time in microseconds: %d %s", resp.StatusCode, body)
	}
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", u, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}

// TestTimeNotingAndTimeout: a writer that notes wall-clock time by itself
// makes a watermark near now; the stream's timeout is its own; a silent
// writer stops holding the watermark once it passes.
func TestTimeNotingAndTimeout(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 60*time.Second)
	const stream = "wm/auto"
	if _, err := c.CreateStream(ctx, stream, braid.StreamConfig{Segments: 2, CreateScope: true, TimestampTimeout: 2 * time.Second}); err != nil {
		t.Fatal(err)
	}
	if info, err := c.GetStream(ctx, stream); err != nil || info.TimestampTimeout != 2*time.Second {
		t.Fatalf("stream's timeout %v (%v), want 2s", info.TimestampTimeout, err)
	}
	auto, err := c.NewWriter(ctx, stream, braid.WithWriterID("auto"), braid.WithTimeNoting(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer auto.Close(ctx)
	// A writer that noted a time long ago and then fell silent.
	old, err := c.NewWriter(ctx, stream, braid.WithWriterID("old"), braid.WithTimeKeptOnClose())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := old.NoteTime(ctx, start.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		auto.Write(ctx, fmt.Sprint(i), []byte("x"))
	}
	// While "old" holds it, the watermark stays an hour back; once its
	// 2 s pass, it follows the clock.
	waitUntil(t, "the watermark to follow the clock", 20*time.Second, func() bool {
		wm, err := c.Watermark(ctx, stream)
		if err != nil {
			t.Fatal(err)
		}
		return wm.Time.After(start) && wm.Timeout == 2*time.Second
	})
	if time.Since(start) < 2*time.Second {
		t.Fatal("the silent writer stopped holding the watermark before its timeout")
	}
}
