package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/wire"
)

// TestOutputFlagBad: every command with --output rejects a value that is
// not a format as a usage error naming it, before it dials (the address
// answers nothing).
func TestOutputFlagBad(t *testing.T) {
	for _, args := range [][]string{
		{"version"},
		{"scope", "create", "demo"},
		{"scope", "list"},
		{"stream", "create", "demo/events"},
		{"stream", "list", "demo"},
		{"stream", "describe", "demo/events"},
		{"group", "create", "demo/g", "--stream", "demo/events"},
		{"group", "list", "demo"},
		{"group", "describe", "demo/g"},
		{"group", "checkpoint", "demo/g", "cp"},
		{"group", "reset", "demo/g", "--from", "head"},
	} {
		r := run(t, "", append(args, "-o", "yaml", "--addr", "127.0.0.1:1", "--http", "127.0.0.1:1")...)
		if r.code != exitUsage || !strings.Contains(r.stderr, `invalid --output "yaml": want table or json`) {
			t.Errorf("braid %s -o yaml: exit %d, stderr:\n%s", strings.Join(args, " "), r.code, r.stderr)
		}
	}
}

// TestWriteJSON: one indented value, a newline, nothing HTML-escaped, an
// empty list as [].
func TestWriteJSON(t *testing.T) {
	var b bytes.Buffer
	if err := writeJSON(&b, []scopeJSON{}); err != nil || b.String() != "[]\n" {
		t.Fatalf("empty list: %q, %v", b.String(), err)
	}
	b.Reset()
	if err := writeJSON(&b, map[string]string{"a": "<&>"}); err != nil || b.String() != "{\n  \"a\": \"<&>\"\n}\n" {
		t.Fatalf("object: %q, %v", b.String(), err)
	}
}

func TestJSONTime(t *testing.T) {
	got, err := json.Marshal(struct {
		Zero jsonTime `json:"zero"`
		At   jsonTime `json:"at"`
	}{At: jsonTime(time.Date(2026, 12, 1, 22, 29, 51, 400_000_000, time.FixedZone("CET", 3600)))})
	if want := `{"zero":null,"at":"2026-12-01T21:29:51.4Z"}`; err != nil || string(got) != want {
		t.Fatalf("got %s, %v; want %s", got, err, want)
	}
}

func TestRetentionScalingJSON(t *testing.T) {
	for _, c := range []struct {
		p    any
		want string
	}{
		{retentionJSONOf(nil), `null`},
		{retentionJSONOf(&braid.RetentionPolicy{Type: braid.RetentionByTime, MaxTime: 7 * 24 * time.Hour}), `{"type":"time","min_time":"0s","max_time":"168h0m0s"}`},
		{retentionJSONOf(&braid.RetentionPolicy{Type: braid.RetentionBySize, MinBytes: 512, MaxBytes: 1 << 30}), `{"type":"size","min_bytes":512,"max_bytes":1073741824}`},
		{scalingJSONOf(nil), `null`},
		{scalingJSONOf(&braid.ScalingPolicy{Kind: braid.ScaleByDataRate, Target: 8 << 20}), `{"kind":"bytes","target":8388608,"scale_factor":2,"min_segments":1}`},
		{scalingJSONOf(&braid.ScalingPolicy{Kind: braid.ScaleByEventRate, Target: 1000, ScaleFactor: 4, MinSegments: 2}), `{"kind":"events","target":1000,"scale_factor":4,"min_segments":2}`},
	} {
		got, err := json.Marshal(c.p)
		if err != nil || string(got) != c.want {
			t.Errorf("got %s, %v; want %s", got, err, c.want)
		}
	}
}

// TestStreamDescribeJSON: after a split, the old epoch's segment is sealed
// and not current; segments and writers are arrays; ids are hex.
func TestStreamDescribeJSON(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	s0 := braid.SegmentRange{ID: 0, KeyLow: 0, KeyHigh: 1}
	s1 := braid.SegmentRange{ID: wire.MakeSegmentID(1, 1), KeyLow: 0, KeyHigh: 0.5}
	s2 := braid.SegmentRange{ID: wire.MakeSegmentID(1, 2), KeyLow: 0.5, KeyHigh: 1}
	info := braid.StreamInfo{Scope: "demo", Name: "events", Segments: 2, Created: t0, TimestampTimeout: 30 * time.Second,
		Epochs: []braid.Epoch{{Epoch: 0, Segments: []braid.SegmentRange{s0}, Created: t0},
			{Epoch: 1, Segments: []braid.SegmentRange{s1, s2}, Created: t0.Add(time.Minute)}},
		Current: []braid.SegmentStatus{{SegmentRange: s1, Length: 10}, {SegmentRange: s2, Length: 20, StartOffset: 5, Sealed: true}}}
	got := streamDescribeJSONOf(info, braid.Watermark{})
	if got.Name != "demo/events" || got.SegmentCount != 2 || got.TimestampTimeout != "30s" || len(got.Epochs) != 2 || len(got.Segments) != 2 {
		t.Fatalf("%+v", got)
	}
	if e := got.Epochs[0]; e.Current || len(e.Segments) != 1 || !e.Segments[0].Sealed || e.Segments[0].ID != "0000000000000000" {
		t.Errorf("epoch 0: %+v", e)
	}
	if e := got.Epochs[1]; !e.Current || e.Segments[0].Sealed || !e.Segments[1].Sealed || e.Segments[0].ID != "0000000100000001" {
		t.Errorf("epoch 1: %+v", e)
	}
	if s := got.Segments[1]; s.Length != 20 || s.StartOffset != 5 || !s.Sealed || s.KeyLow != 0.5 {
		t.Errorf("segment: %+v", s)
	}
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if want := `"watermark":{"time":null,"upper":null,"cut":null,"made":null,"writers":[]}`; !strings.Contains(string(b), want) {
		t.Errorf("no watermark: %s lacks %s", b, want)
	}
}

func TestGroupDescribeJSON(t *testing.T) {
	g := braid.GroupInfo{Scope: "demo", Name: "billing", LagBytes: 9, LagEvents: -1,
		Config:  braid.ReaderGroupConfig{ReaderTimeout: 10 * time.Second, Streams: []braid.GroupStream{{Stream: "demo/events", FromTail: true}}},
		Readers: []braid.GroupReaderInfo{{ID: "w2", Segments: []uint64{1}}, {ID: "w1"}},
		Segments: []braid.GroupSegment{
			{Stream: "demo/events", SegmentRange: braid.SegmentRange{ID: 0, KeyHigh: 0.5}, Offset: 4, Tail: 9, EndOffset: -1},
			{Stream: "demo/events", SegmentRange: braid.SegmentRange{ID: 1, KeyLow: 0.5, KeyHigh: 1}, Offset: 4, Tail: 9, EndOffset: 6, Reader: "w2"},
		}}
	got := groupDescribeJSONOf(g)
	if got.Name != "demo/billing" || got.LagEvents != nil || got.ReaderCount != 2 || got.ReaderTimeout != "10s" ||
		len(got.Streams) != 1 || got.Streams[0].From != "tail" || got.Streams[0].Until != "none" {
		t.Fatalf("%+v", got.groupJSON)
	}
	if got.Readers[0].ID != "w1" || len(got.Readers[0].Segments) != 0 || got.Readers[1].Segments[0] != "0000000000000001" {
		t.Errorf("readers: %+v", got.Readers)
	}
	if s := got.Segments[0]; s.Reader != nil || s.EndOffset != nil || s.Lag != 5 {
		t.Errorf("waiting segment: %+v", s)
	}
	if s := got.Segments[1]; s.Reader == nil || *s.Reader != "w2" || s.EndOffset == nil || *s.EndOffset != 6 || s.Lag != 2 {
		t.Errorf("owned segment: %+v", s)
	}
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"lag_events":null`, `"position":[]`, `"checkpoints":[]`, `"time_windows":[]`, `"segments":[]`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %s", b, want)
		}
	}
}

// TestConfirm: the question is asked only with a terminal (ask non-nil)
// and without --yes; only y and yes go ahead.
func TestConfirm(t *testing.T) {
	const q = "delete stream demo/events and all its data? [y/N] "
	if err := confirm(nil, false, q, "delete stream demo/events"); err != nil {
		t.Errorf("no terminal: %v", err)
	}
	asked := 0
	answer := func(a string, err error) askFunc {
		return func(question string) (string, error) {
			asked++
			if question != q {
				t.Errorf("question %q", question)
			}
			return a, err
		}
	}
	if err := confirm(answer("n", nil), true, q, "delete stream demo/events"); err != nil || asked != 0 {
		t.Errorf("--yes: %v, asked %d times", err, asked)
	}
	for _, a := range []string{"y", "yes", "Y", " YES "} {
		if err := confirm(answer(a, nil), false, q, "delete stream demo/events"); err != nil {
			t.Errorf("answer %q: %v", a, err)
		}
	}
	for _, a := range []string{"", "n", "no", "yess", "ja"} {
		err := confirm(answer(a, nil), false, q, "delete stream demo/events")
		if err == nil || err.Error() != "delete stream demo/events: not confirmed (answer y, or give --yes)" {
			t.Errorf("answer %q: %v", a, err)
		}
	}
	boom := errors.New("boom")
	if err := confirm(answer("", boom), false, q, "x"); !errors.Is(err, boom) {
		t.Errorf("ask failed: %v", err)
	}
	if asked != 10 {
		t.Errorf("asked %d times, want 10", asked)
	}
}

// TestDeleteNoTerminal: with stdin not a terminal, delete asks nothing and
// deletes.
func TestDeleteNoTerminal(t *testing.T) {
	addr := startServer(t)
	ok(t, "", "stream", "create", "demo/events", "--addr", addr)
	ok(t, "", "group", "create", "demo/g", "--stream", "demo/events", "--addr", addr)
	if out := ok(t, "n\n", "group", "delete", "demo/g", "--addr", addr); out != "deleted reader group demo/g\n" {
		t.Errorf("group delete: %q", out)
	}
	if out := ok(t, "n\n", "stream", "delete", "demo/events", "--addr", addr); out != "deleted stream demo/events\n" {
		t.Errorf("stream delete: %q", out)
	}
	if out := ok(t, "", "scope", "delete", "demo", "-y", "--addr", addr); out != "deleted scope demo\n" {
		t.Errorf("scope delete: %q", out)
	}
	if out := ok(t, "", "scope", "list", "-o", "json", "--addr", addr); out != "[]\n" {
		t.Errorf("scope list: %q", out)
	}
}
