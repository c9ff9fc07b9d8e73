package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
	"github.com/braidstream/braid/internal/storage/segstore"
)

// TestReadFromTime: a read from a time gives the events appended at or
// after it and none before, in every segment: through the Go client and
// the HTTP read route, with the data in tier 2, and after a restart.
func TestReadFromTime(t *testing.T) {
	dir := t.TempDir()
	cfg := server.Config{DataDir: dir, Storage: segstore.Options{ChunkSize: 1 << 10, FlushInterval: 10 * time.Millisecond}}
	ts := servertest.Start(t, cfg)
	c := dial(t, ts)
	ctx := testCtx(t, 60*time.Second)
	const stream = "ti/events"
	createStream(t, c, stream, 3)
	write := func(prefix string, n int) []string {
		t.Helper()
		w, err := c.NewWriter(ctx, stream)
		if err != nil {
			t.Fatal(err)
		}
		var sent []string
		for i := range n {
			p := fmt.Sprintf("%s-%03d", prefix, i)
			w.Write(ctx, fmt.Sprint("key", i), []byte(p))
			sent = append(sent, p)
		}
		if err := w.Close(ctx); err != nil {
			t.Fatal(err)
		}
		return sent
	}
	write("A", 60)
	at := time.Now()
	b := write("B", 60)
	slices.Sort(b)

	check := func(when string, ts *servertest.Server, c *braid.Client) {
		t.Helper()
		evs := readAll(t, c, stream, braid.FromTime(at), braid.UntilTail())
		var got []string
		for _, e := range evs {
			got = append(got, string(e.Data))
		}
		slices.Sort(got)
		if !slices.Equal(got, b) {
			t.Fatalf("%s: the Go client read %d events from the time (%v…), want B's %d", when, len(got), head(got), len(b))
		}
		got = got[:0]
		from := "time:" + at.UTC().Format(time.RFC3339Nano)
		for range 100 {
			var page struct {
				Events []struct {
					Data string `json:"data"`
				} `json:"events"`
				Position string `json:"position"`
			}
			getJSON(t, "http://"+ts.HTTPAddr()+"/v1/streams/ti/events/events?from="+url.QueryEscape(from), &page)
			if len(page.Events) == 0 {
				break
			}
			for _, e := range page.Events {
				got = append(got, e.Data)
			}
			from = page.Position
		}
		slices.Sort(got)
		if !slices.Equal(got, b) {
			t.Fatalf("%s: HTTP read %d events from the time (%v…), want B's %d", when, len(got), head(got), len(b))
		}
	}
	waitUntil(t, "the data to reach tier 2", 20*time.Second, func() bool { return unflushed(t, ts.HTTPAddr()) == 0 })
	check("in tier 2", ts, c)
	// A time before everything reads everything; a bad time is refused.
	if all := readAll(t, c, stream, braid.FromTime(at.Add(-time.Hour)), braid.UntilTail()); len(all) != 120 {
		t.Fatalf("from an hour before: %d events, want 120", len(all))
	}
	resp, err := http.Get("http://" + ts.HTTPAddr() + "/v1/streams/ti/events/events?from=time:yesterday")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("from=time:yesterday: %s, want 400", resp.Status)
	}

	ts.Stop(t)
	ts = servertest.New(t, cfg)
	check("after a restart", ts, dial(t, ts))
}

func head(s []string) []string { return s[:min(len(s), 3)] }
