package fault

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/export"
	"github.com/braidstream/braid/internal/tier2/s3"
)

// exportRig is a braid server, a versitygw with one bucket, and a stream
// of several segments that was split and merged while it was written.
type exportRig struct {
	t      *testing.T
	ctx    context.Context
	gw     *versityGW
	srv    *server
	c      *braid.Client
	bucket string
	stream string
	// endpoint is the S3 endpoint child processes use: the server's, or
	// a fault proxy's in front of it.
	endpoint string
	events   []braid.Event // the stream's events, read back, in read order
}

const exportBucket = "export"

// newExportRig starts the servers and writes n events over 7 keys in three
// parts: into 3 segments, after a split of the middle one, and after a
// merge of the split's two halves' right neighbours.
func newExportRig(t *testing.T, ctx context.Context, stream string, n int) *exportRig {
	t.Helper()
	r := &exportRig{t: t, ctx: ctx, gw: newVersityGW(t), bucket: exportBucket, stream: stream}
	if err := r.gw.start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.gw.createBucket(ctx, r.bucket); err != nil {
		t.Fatal(err)
	}
	r.endpoint = r.gw.endpoint()
	// The server has S3 credentials for the export jobs it runs.
	r.srv = newServer(t)
	r.srv.env = []string{"AWS_ACCESS_KEY_ID=" + gwAccessKey, "AWS_SECRET_ACCESS_KEY=" + gwSecretKey, "AWS_REGION=us-east-1", "AWS_EC2_METADATA_DISABLED=true"}
	if err := r.srv.start(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := dial(ctx, r.srv)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	r.c = c
	if _, err := r.c.CreateStream(ctx, stream, braid.StreamConfig{Segments: 3, CreateScope: true}); err != nil {
		t.Fatal(err)
	}
	r.write(0, n/3)
	info, err := r.c.SplitSegment(ctx, stream, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	r.write(n/3, n/3)
	cur := info.Epochs[len(info.Epochs)-1].Segments
	slices.SortFunc(cur, func(a, b braid.SegmentRange) int { return cmp.Compare(a.KeyLow, b.KeyLow) })
	// Merge the split's upper half with segment 2.
	if _, err := r.c.MergeSegments(ctx, stream, cur[2].ID, cur[3].ID); err != nil {
		t.Fatal(err)
	}
	r.write(2*(n/3), n-2*(n/3))
	r.events = r.readAll(stream)
	if len(r.events) != n {
		t.Fatalf("read %d events of %s back, wrote %d", len(r.events), stream, n)
	}
	return r
}

// keyOf is the routing key of event i; its payload is "kK:i".
func keyOf(i int) string { return fmt.Sprintf("k%d", i%7) }

func (r *exportRig) write(from, n int) {
	r.t.Helper()
	w, err := r.c.NewWriter(r.ctx, r.stream)
	if err != nil {
		r.t.Fatal(err)
	}
	for i := from; i < from+n; i++ {
		w.Write(r.ctx, keyOf(i), fmt.Appendf(nil, "%s:%d", keyOf(i), i))
	}
	if err := w.Close(r.ctx); err != nil {
		r.t.Fatal(err)
	}
}

func (r *exportRig) readAll(stream string) []braid.Event {
	r.t.Helper()
	rd, err := r.c.NewReader(r.ctx, stream, braid.UntilTail())
	if err != nil {
		r.t.Fatal(err)
	}
	defer rd.Close()
	var out []braid.Event
	for {
		ev, err := rd.Next(r.ctx)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			r.t.Fatalf("read %s: %v", stream, err)
		}
		ev.Data = slices.Clone(ev.Data)
		out = append(out, ev)
	}
}

// perKey groups payloads by their key prefix ("kK:"), in read order.
func perKey(evs []braid.Event) map[string][]string {
	out := map[string][]string{}
	for _, ev := range evs {
		s := string(ev.Data)
		k, _, _ := strings.Cut(s, ":")
		out[k] = append(out[k], s)
	}
	return out
}

// env is the environment of a braid or aws process that talks to the
// rig's S3 server.
func (r *exportRig) env() []string {
	return append(os.Environ(),
		"AWS_ACCESS_KEY_ID="+gwAccessKey, "AWS_SECRET_ACCESS_KEY="+gwSecretKey,
		"AWS_REGION=us-east-1", "AWS_ENDPOINT_URL="+r.endpoint,
		"AWS_EC2_METADATA_DISABLED=true", "NO_COLOR=1", "BRAID_ADDR="+r.srv.grpcAddr)
}

// runResult is one run of a child process.
type runResult struct {
	stdout, stderr string
	code           int
}

// braidCmd returns the braid binary's command for args.
func (r *exportRig) braidCmd(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, r.srv.bin, args...)
	cmd.Env = r.env()
	cmd.SysProcAttr = childAttr()
	// A command still running when ctx ends prints its goroutines (Go's
	// SIGQUIT) into its stderr, for the failure to show where it hung.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGQUIT) }
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// run runs braid with args to its end (bounded by 2 minutes).
func (r *exportRig) run(args ...string) runResult {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(r.ctx, 2*time.Minute)
	defer cancel()
	return runCmd(r.t, r.braidCmd(ctx, args...))
}

func runCmd(t *testing.T, cmd *exec.Cmd) runResult {
	t.Helper()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	res := runResult{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		res.code = ee.ExitCode()
	default:
		t.Fatalf("%s: %v", strings.Join(cmd.Args, " "), err)
	}
	return res
}

// mustRun runs braid and fails the test unless it exits 0.
func (r *exportRig) mustRun(args ...string) runResult {
	r.t.Helper()
	res := r.run(args...)
	if res.code != 0 {
		r.t.Fatalf("braid %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), res.code, res.stdout, res.stderr)
	}
	return res
}

// store is an S3 client of the rig's bucket with the export prefix.
func (r *exportRig) store(prefix string) *s3.Store {
	r.t.Helper()
	st, err := s3.New(r.ctx, s3.Config{Bucket: r.bucket, Prefix: prefix, Endpoint: r.gw.endpoint(), AccessKey: gwAccessKey, SecretKey: gwSecretKey, PathStyle: true})
	if err != nil {
		r.t.Fatal(err)
	}
	return st
}

// objects lists every object of the stream's export under prefix, in
// listing order, with the store's own List (ListObjectsV2).
func (r *exportRig) objects(prefix, stream string) []string {
	r.t.Helper()
	st := r.store(prefix)
	var keys []string
	after := ""
	for {
		page, err := st.List(r.ctx, export.StreamPrefix(stream), after, 1000)
		if err != nil {
			r.t.Fatal(err)
		}
		for _, o := range page {
			keys = append(keys, o.Key)
		}
		if len(page) < 1000 {
			return keys
		}
		after = page[len(page)-1].Key
	}
}

// checkExactlyOnce checks that the export of the rig's stream under prefix
// holds one object per event, at its pointer's key, with the event's bytes
// (per-event mode), and nothing else but the manifest.
func (r *exportRig) checkExactlyOnce(prefix string) {
	r.t.Helper()
	want := map[string][]byte{}
	for _, ev := range r.events {
		want[export.EventKey(r.stream, ev.Pointer)] = ev.Data
	}
	keys := r.objects(prefix, r.stream)
	st := r.store(prefix)
	seen := 0
	for _, k := range keys {
		if k == export.ManifestKey(r.stream) {
			continue
		}
		data, ok := want[k]
		if !ok {
			r.t.Errorf("extra object %s: no event has that pointer", k)
			continue
		}
		seen++
		got, err := st.GetRange(r.ctx, k, 0, -1)
		if err != nil {
			r.t.Fatal(err)
		}
		if !bytes.Equal(got, data) {
			r.t.Errorf("object %s holds %q, the event %q", k, got, data)
		}
	}
	if seen != len(want) {
		r.t.Errorf("%d event objects, want %d (one per event)", seen, len(want))
	}
	if !slices.Contains(keys, export.ManifestKey(r.stream)) {
		r.t.Errorf("no manifest among %d objects", len(keys))
	}
}

// manifest reads and decodes the export's manifest.
func (r *exportRig) manifest(prefix, stream string) *export.Manifest {
	r.t.Helper()
	b, err := r.store(prefix).GetRange(r.ctx, export.ManifestKey(stream), 0, -1)
	if err != nil {
		r.t.Fatal(err)
	}
	m, err := export.DecodeManifest(b)
	if err != nil {
		r.t.Fatal(err)
	}
	return m
}

// countObjects is the number of objects under the export's stream prefix,
// for waiting on progress.
func (r *exportRig) countObjects(prefix string) int {
	st := r.store(prefix)
	n, after := 0, ""
	for {
		page, err := st.List(r.ctx, export.StreamPrefix(r.stream), after, 1000)
		if err != nil {
			return n
		}
		n += len(page)
		if len(page) < 1000 {
			return n
		}
		after = page[len(page)-1].Key
	}
}

// awsCLI finds the AWS CLI, skipping the test without it (failing it when
// CI=true: CI installs it).
func awsCLI(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("aws")
	if err != nil {
		const how = "the AWS CLI (aws) is not installed (Debian: apt-get install awscli)"
		if os.Getenv("CI") == "true" {
			t.Fatal(how)
		}
		t.Skip(how)
	}
	return p
}

// aws runs the AWS CLI against the rig's S3 server and decodes its JSON.
func (r *exportRig) aws(out any, args ...string) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(r.ctx, time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, awsCLI(r.t), append([]string{"--endpoint-url", r.gw.endpoint(), "--output", "json"}, args...)...)
	cmd.Env = r.env()
	res := runCmd(r.t, cmd)
	if res.code != 0 {
		r.t.Fatalf("aws %s: exit %d: %s", strings.Join(args, " "), res.code, res.stderr)
	}
	if out != nil && strings.TrimSpace(res.stdout) != "" {
		if err := json.Unmarshal([]byte(res.stdout), out); err != nil {
			r.t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, res.stdout)
		}
	}
}

// getObject reads one object with the SDK (for checks of metadata).
func (r *exportRig) head(key string) *awss3.HeadObjectOutput {
	r.t.Helper()
	st := r.store("")
	out, err := st.Client().HeadObject(r.ctx, &awss3.HeadObjectInput{Bucket: aws.String(r.bucket), Key: aws.String(key)})
	if err != nil {
		r.t.Fatal(err)
	}
	return out
}
