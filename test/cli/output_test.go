package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// okOut runs the binary and fails the test unless it exits 0.
func okOut(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	res := braid(t, stdin, args...)
	if res.code != 0 {
		t.Fatalf("braid %s: exit %d\n%s%s", strings.Join(args, " "), res.code, res.stdout, res.stderr)
	}
	return res.stdout
}

// decodeJSON parses out into v, which must be the whole output.
func decodeJSON(t *testing.T, what, out string, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v\n%s", what, err, out)
	}
	if dec.More() {
		t.Fatalf("%s: more than one JSON value\n%s", what, out)
	}
}

// The documented shapes (docs/cli.md), decoded strictly: a field the
// binary prints that is not here fails the test.
type (
	retentionOut struct {
		Type     string  `json:"type"`
		MinTime  *string `json:"min_time"`
		MaxTime  *string `json:"max_time"`
		MinBytes *int64  `json:"min_bytes"`
		MaxBytes *int64  `json:"max_bytes"`
	}
	scalingOut struct {
		Kind        string `json:"kind"`
		Target      int64  `json:"target"`
		ScaleFactor int    `json:"scale_factor"`
		MinSegments int    `json:"min_segments"`
	}
	streamOut struct {
		Name             string        `json:"name"`
		Scope            string        `json:"scope"`
		Stream           string        `json:"stream"`
		SegmentCount     int           `json:"segment_count"`
		Sealed           bool          `json:"sealed"`
		Created          *time.Time    `json:"created"`
		Retention        *retentionOut `json:"retention"`
		Scaling          *scalingOut   `json:"scaling"`
		TimestampTimeout string        `json:"timestamp_timeout"`
	}
	streamCreateOut struct {
		streamOut
		ScopeCreated bool `json:"scope_created"`
	}
	streamDescribeOut struct {
		streamOut
		Segments []struct {
			ID          string  `json:"id"`
			KeyLow      float64 `json:"key_low"`
			KeyHigh     float64 `json:"key_high"`
			Length      int64   `json:"length"`
			StartOffset int64   `json:"start_offset"`
			Sealed      bool    `json:"sealed"`
		} `json:"segments"`
		Epochs []struct {
			Epoch    uint32     `json:"epoch"`
			Created  *time.Time `json:"created"`
			Current  bool       `json:"current"`
			Segments []struct {
				ID      string  `json:"id"`
				KeyLow  float64 `json:"key_low"`
				KeyHigh float64 `json:"key_high"`
				Sealed  bool    `json:"sealed"`
			} `json:"segments"`
		} `json:"epochs"`
		Watermark struct {
			Time    *time.Time        `json:"time"`
			Upper   *time.Time        `json:"upper"`
			Cut     *string           `json:"cut"`
			Made    *time.Time        `json:"made"`
			Writers []json.RawMessage `json:"writers"`
		} `json:"watermark"`
	}
	groupStreamOut struct {
		Stream string `json:"stream"`
		From   string `json:"from"`
		Until  string `json:"until"`
	}
	groupOut struct {
		Name          string           `json:"name"`
		Scope         string           `json:"scope"`
		Group         string           `json:"group"`
		Streams       []groupStreamOut `json:"streams"`
		ReaderTimeout string           `json:"reader_timeout"`
		Generation    int64            `json:"generation"`
		ReaderCount   int              `json:"reader_count"`
		LagBytes      int64            `json:"lag_bytes"`
		LagEvents     *int64           `json:"lag_events"`
		Finished      bool             `json:"finished"`
		Created       *time.Time       `json:"created"`
	}
	cutOut struct {
		Stream string `json:"stream"`
		Cut    string `json:"cut"`
	}
	groupDescribeOut struct {
		groupOut
		Readers  []json.RawMessage `json:"readers"`
		Segments []struct {
			Stream    string  `json:"stream"`
			ID        string  `json:"id"`
			KeyLow    float64 `json:"key_low"`
			KeyHigh   float64 `json:"key_high"`
			Reader    *string `json:"reader"`
			Offset    int64   `json:"offset"`
			Tail      int64   `json:"tail"`
			EndOffset *int64  `json:"end_offset"`
			Lag       int64   `json:"lag"`
		} `json:"segments"`
		Position    []cutOut `json:"position"`
		TimeWindows []struct {
			Stream string     `json:"stream"`
			Lower  *time.Time `json:"lower"`
			Upper  *time.Time `json:"upper"`
		} `json:"time_windows"`
		Checkpoints []json.RawMessage `json:"checkpoints"`
	}
)

// TestOutputJSON: each command's -o json against a server with a stream
// of 2 segments, 2 events and a group: the documented shape with the
// expected values; lists are arrays, [] when empty.
func TestOutputJSON(t *testing.T) {
	ts := servertest.New(t, server.Config{})
	addr := "--addr=" + ts.GRPCAddr()

	var created streamCreateOut
	decodeJSON(t, "stream create", okOut(t, "", "stream", "create", "demo/events", "--segments", "2", "--retention-time", "7d", "-o", "json", addr), &created)
	if created.Name != "demo/events" || created.Scope != "demo" || created.Stream != "events" || created.SegmentCount != 2 ||
		!created.ScopeCreated || created.Retention == nil || created.Retention.Type != "time" || *created.Retention.MaxTime != "168h0m0s" ||
		created.Retention.MinBytes != nil || created.Scaling != nil || created.Created == nil {
		t.Errorf("stream create: %+v", created)
	}
	okOut(t, "a\nb\n", "write", "demo/events", addr)

	out := okOut(t, "", "scope", "list", "-o", "json", addr)
	var scopes []struct {
		Name string `json:"name"`
	}
	decodeJSON(t, "scope list", out, &scopes)
	if len(scopes) != 1 || scopes[0].Name != "demo" {
		t.Errorf("scope list: %s", out)
	}
	var sc struct {
		Name    string `json:"name"`
		Created bool   `json:"created"`
	}
	decodeJSON(t, "scope create", okOut(t, "", "scope", "create", "empty", "-o", "json", addr), &sc)
	if sc.Name != "empty" || !sc.Created {
		t.Errorf("scope create: %+v", sc)
	}

	out = okOut(t, "", "stream", "list", "demo", "-o", "json", addr)
	var streams []streamOut
	decodeJSON(t, "stream list", out, &streams)
	if len(streams) != 1 || streams[0].Name != "demo/events" || streams[0].SegmentCount != 2 || streams[0].Sealed ||
		streams[0].TimestampTimeout == "" || !strings.Contains(out, `"created": "`) || !strings.Contains(out, `Z",`) {
		t.Errorf("stream list: %s", out)
	}
	if d := time.Since(*streams[0].Created); d < 0 || d > time.Minute {
		t.Errorf("stream list: created %s", streams[0].Created)
	}
	for _, args := range [][]string{{"stream", "list", "empty"}, {"group", "list", "empty"}, {"group", "list", "demo"}} {
		if out := okOut(t, "", append(args, "-o", "json", addr)...); out != "[]\n" {
			t.Errorf("%s -o json: %q, want []", strings.Join(args, " "), out)
		}
	}

	out = okOut(t, "", "stream", "describe", "demo/events", "-o", "json", addr)
	var desc streamDescribeOut
	decodeJSON(t, "stream describe", out, &desc)
	var length int64
	for _, s := range desc.Segments {
		length += s.Length
	}
	if desc.Name != "demo/events" || len(desc.Segments) != 2 || desc.Segments[0].ID != "0000000000000000" || desc.Segments[1].ID != "0000000000000001" ||
		desc.Segments[0].KeyHigh != 0.5 || desc.Segments[1].KeyLow != 0.5 || desc.Segments[1].KeyHigh != 1 || length == 0 ||
		len(desc.Epochs) != 1 || !desc.Epochs[0].Current || len(desc.Epochs[0].Segments) != 2 || desc.Epochs[0].Segments[0].Sealed ||
		desc.Watermark.Time != nil || desc.Watermark.Writers == nil {
		t.Errorf("stream describe: %s", out)
	}

	out = okOut(t, "", "group", "create", "demo/billing", "--stream", "demo/events", "-o", "json", addr)
	var g groupOut
	decodeJSON(t, "group create", out, &g)
	if g.Name != "demo/billing" || g.Scope != "demo" || g.Group != "billing" || len(g.Streams) != 1 || g.Streams[0].Stream != "demo/events" ||
		!strings.HasPrefix(g.Streams[0].From, "v1.") || g.Streams[0].Until != "none" || g.ReaderTimeout != "10s" {
		t.Errorf("group create: %s", out)
	}

	out = okOut(t, "", "group", "list", "demo", "-o", "json", addr)
	var groups []groupOut
	decodeJSON(t, "group list", out, &groups)
	if len(groups) != 1 || groups[0].Name != "demo/billing" || groups[0].ReaderCount != 0 || groups[0].LagBytes != length ||
		groups[0].LagEvents != nil || groups[0].Finished || groups[0].Created == nil {
		t.Errorf("group list (lag %d bytes expected): %s", length, out)
	}

	out = okOut(t, "", "group", "describe", "demo/billing", "-o", "json", addr)
	var gd groupDescribeOut
	decodeJSON(t, "group describe", out, &gd)
	if gd.Name != "demo/billing" || gd.Readers == nil || len(gd.Readers) != 0 || len(gd.Segments) != 2 || gd.Segments[0].Reader != nil ||
		gd.Segments[0].EndOffset != nil || gd.Segments[0].Lag+gd.Segments[1].Lag != length || len(gd.Position) != 1 ||
		gd.Position[0].Stream != "demo/events" || gd.Checkpoints == nil || len(gd.Checkpoints) != 0 {
		t.Errorf("group describe: %s", out)
	}
	if !strings.Contains(out, `"checkpoints": []`) || !strings.Contains(out, `"readers": []`) {
		t.Errorf("group describe: empty lists not []: %s", out)
	}

	out = okOut(t, "", "group", "reset", "demo/billing", "--from", "head", "-o", "json", addr)
	decodeJSON(t, "group reset", out, &g)
	if g.Name != "demo/billing" || g.Generation != 1 {
		t.Errorf("group reset: %s", out)
	}
	var updated streamOut
	out = okOut(t, "", "stream", "update", "demo/events", "--retention-size", "1GiB", "-o", "json", addr)
	decodeJSON(t, "stream update", out, &updated)
	if updated.Name != "demo/events" || updated.Retention == nil || updated.Retention.Type != "size" ||
		updated.Retention.MaxBytes == nil || *updated.Retention.MaxBytes != 1<<30 || updated.Retention.MaxTime != nil {
		t.Errorf("stream update: %s", out)
	}

	var scaled struct {
		Name     string     `json:"name"`
		Epoch    uint32     `json:"epoch"`
		Created  *time.Time `json:"created"`
		Segments []struct {
			ID      string  `json:"id"`
			KeyLow  float64 `json:"key_low"`
			KeyHigh float64 `json:"key_high"`
			New     bool    `json:"new"`
		} `json:"segments"`
	}
	out = okOut(t, "", "stream", "scale", "demo/events", "--split", "0000000000000001", "-o", "json", addr)
	decodeJSON(t, "stream scale", out, &scaled)
	if scaled.Name != "demo/events" || scaled.Epoch != 1 || scaled.Created == nil || len(scaled.Segments) != 3 ||
		scaled.Segments[0].ID != "0000000000000000" || scaled.Segments[0].New ||
		scaled.Segments[1].ID != "0000000100000002" || !scaled.Segments[1].New || scaled.Segments[1].KeyLow != 0.5 ||
		scaled.Segments[2].KeyHigh != 1 || !scaled.Segments[2].New {
		t.Errorf("stream scale: %s", out)
	}
}

// TestOutputBad: -o yaml is a usage error naming the value, and nothing
// is done.
func TestOutputBad(t *testing.T) {
	ts := servertest.New(t, server.Config{})
	addr := "--addr=" + ts.GRPCAddr()
	for _, args := range [][]string{
		{"scope", "list"},
		{"stream", "create", "demo/events"},
		{"stream", "list", "demo"},
		{"stream", "describe", "demo/events"},
		{"group", "list", "demo"},
		{"group", "describe", "demo/g"},
		{"stream", "update", "demo/events", "--no-retention"},
		{"stream", "scale", "demo/events", "--split", "0"},
	} {
		res := braid(t, "", append(args, "-o", "yaml", addr)...)
		if res.code != 2 || !strings.Contains(res.stderr, `invalid --output "yaml": want table or json`) || res.stdout != "" {
			t.Errorf("braid %s -o yaml: exit %d\n%s%s", strings.Join(args, " "), res.code, res.stdout, res.stderr)
		}
	}
	if out := okOut(t, "", "scope", "list", "-o", "json", addr); out != "[]\n" {
		t.Errorf("stream create -o yaml made something: %s", out)
	}
}

// TestDeleteConfirm: delete --yes deletes; without a terminal on stdin no
// question is asked (even with an answer waiting there); the help says so.
func TestDeleteConfirm(t *testing.T) {
	ts := servertest.New(t, server.Config{})
	addr := "--addr=" + ts.GRPCAddr()
	okOut(t, "", "stream", "create", "demo/a", addr)
	okOut(t, "", "stream", "create", "demo/b", addr)
	okOut(t, "", "group", "create", "demo/g", "--stream", "demo/a", addr)

	res := braid(t, "n\n", "group", "delete", "demo/g", addr)
	if res.code != 0 || res.stdout != "deleted reader group demo/g\n" || res.stderr != "" {
		t.Errorf("group delete without a terminal: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	res = braid(t, "", "stream", "delete", "demo/a", "--yes", addr)
	if res.code != 0 || res.stdout != "deleted stream demo/a\n" || res.stderr != "" {
		t.Errorf("stream delete --yes: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	res = braid(t, "n\n", "stream", "delete", "demo/b", addr)
	if res.code != 0 || res.stdout != "deleted stream demo/b\n" || res.stderr != "" {
		t.Errorf("stream delete without a terminal: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	res = braid(t, "", "scope", "delete", "demo", "-y", addr)
	if res.code != 0 || res.stdout != "deleted scope demo\n" {
		t.Errorf("scope delete -y: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	if out := okOut(t, "", "scope", "list", "-o", "json", addr); out != "[]\n" {
		t.Errorf("after the deletes: %s", out)
	}
	for _, c := range []string{"stream", "scope", "group"} {
		help := okOut(t, "", c, "delete", "--help")
		if !strings.Contains(help, "no question is asked") || !strings.Contains(help, "-y, --yes") {
			t.Errorf("%s delete --help:\n%s", c, help)
		}
	}
}

// TestDeleteConfirmTerminal: with stdin a terminal (a pseudo-terminal made
// by util-linux script), delete asks and deletes only on y or yes.
func TestDeleteConfirmTerminal(t *testing.T) {
	scriptBin, err := exec.LookPath("script")
	if err != nil {
		t.Skip("no script command to make a terminal")
	}
	if v, err := exec.Command(scriptBin, "--version").Output(); err != nil || !strings.Contains(string(v), "util-linux") {
		t.Skip("script is not util-linux's")
	}
	ts := servertest.New(t, server.Config{})
	addr := "--addr=" + ts.GRPCAddr()
	okOut(t, "", "stream", "create", "demo/events", addr)
	// script prints the terminal's output (question, echo, messages) on
	// its stdout and exits with braid's code.
	onTerminal := func(answer string) result {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, scriptBin, "-qec", bin+" stream delete demo/events "+addr, "/dev/null")
		cmd.Stdin = strings.NewReader(answer)
		cmd.Env = append(os.Environ(), "NO_COLOR=1")
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		res := result{stdout: out.String(), stderr: errb.String()}
		var ee *exec.ExitError
		switch {
		case ctx.Err() != nil:
			t.Fatalf("script: did not end within 60 s\n%s", res.stdout)
		case errors.As(err, &ee):
			res.code = ee.ExitCode()
		case err != nil:
			t.Fatalf("script: %v", err)
		}
		return res
	}
	const question = "delete stream demo/events and all its data? [y/N] "
	for _, answer := range []string{"n\n", "\n", "nope\n"} {
		res := onTerminal(answer)
		if res.code != 1 || !strings.Contains(res.stdout, question) ||
			!strings.Contains(res.stdout, "delete stream demo/events: not confirmed (answer y, or give --yes)") {
			t.Errorf("answer %q: exit %d\n%s%s", answer, res.code, res.stdout, res.stderr)
		}
	}
	if out := okOut(t, "", "stream", "list", "demo", addr); !strings.Contains(out, "events") {
		t.Fatalf("the stream went without a yes:\n%s", out)
	}
	res := onTerminal("yes\n")
	if res.code != 0 || !strings.Contains(res.stdout, question) || !strings.Contains(res.stdout, "deleted stream demo/events") {
		t.Errorf("answer yes: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	if out := okOut(t, "", "stream", "list", "demo", "-o", "json", addr); out != "[]\n" {
		t.Errorf("after yes: %s", out)
	}
}
