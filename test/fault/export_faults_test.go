package fault

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestExportThrottledAndDropped exports through a proxy that answers every
// 7th PUT with 503 SlowDown and drops the connection of every 11th in the
// middle of its body: the export retries with backoff and ends with every
// event exactly once. With a single attempt per request it fails, saying
// why, and a run after that finishes the job.
func TestExportThrottledAndDropped(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	r := newExportRig(t, ctx, "ex/faults", 300)
	px := newS3Proxy(t, r.gw.endpoint())
	px.SlowDownEvery, px.DropEvery = 7, 11
	r.endpoint = px.endpoint()

	res := r.run("export", "s3://"+r.bucket+"/once", "--stream", r.stream, "--s3-attempts", "1")
	if res.code != 1 || !strings.Contains(res.stderr, "run again to continue") {
		t.Errorf("with one attempt per request: exit %d, %q; want 1 and a failed request named", res.code, res.stderr)
	}
	if !strings.Contains(res.stderr, "SlowDown") && !strings.Contains(res.stderr, "EOF") && !strings.Contains(res.stderr, "connection reset") {
		t.Errorf("the failure does not say what S3 answered: %q", res.stderr)
	}
	r.mustRun("export", "s3://"+r.bucket+"/once", "--stream", r.stream)
	r.checkExactlyOnce("once")

	slow0, drop0 := px.slowDowns.Load(), px.drops.Load()
	res = r.mustRun("export", "s3://"+r.bucket+"/faulty", "--stream", r.stream, "--parallel", "16")
	if px.slowDowns.Load() == slow0 || px.drops.Load() == drop0 {
		t.Fatalf("the proxy injected %d SlowDowns and %d drops: the test did not test", px.slowDowns.Load()-slow0, px.drops.Load()-drop0)
	}
	t.Logf("%d PUTs, %d answered SlowDown, %d dropped mid-body: %s", px.puts.Load(), px.slowDowns.Load()-slow0, px.drops.Load()-drop0, strings.TrimSpace(res.stderr))
	r.checkExactlyOnce("faulty")
	r.checkPosition("faulty")
}

// TestExportBadInput runs export, export ls and import with bad URLs,
// flags, buckets and credentials: each ends at once with exit 2 (the
// command line) or 1 (what S3 or braid said), naming what was wrong.
func TestExportBadInput(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r := newExportRig(t, ctx, "ex/bad", 30)
	ok := "s3://" + r.bucket + "/p"
	for _, tc := range []struct {
		name string
		env  []string
		args []string
		code int
		want string
	}{
		{"not a URL", nil, []string{"export", "export-bucket/p", "--stream", r.stream}, 2, `scheme must be "s3"`},
		{"bad bucket name", nil, []string{"export", "s3://Bad_Bucket/p", "--stream", r.stream}, 2, "bucket name"},
		{"endpoint in URL", nil, []string{"export", "s3://127.0.0.1:9000/p", "--stream", r.stream}, 2, "not a server address"},
		{"no stream", nil, []string{"export", ok}, 2, "missing --stream"},
		{"bad stream", nil, []string{"export", ok, "--stream", "nostream"}, 2, "want scope/stream"},
		{"bad batch", nil, []string{"export", ok, "--stream", r.stream, "--batch", "lots"}, 2, "invalid --batch"},
		{"bad parallel", nil, []string{"export", ok, "--stream", r.stream, "--parallel", "0"}, 2, "invalid --parallel"},
		{"to with follow", nil, []string{"export", ok, "--stream", r.stream, "--follow", "--to", "tail"}, 2, "do not go together"},
		{"bad endpoint", nil, []string{"export", ok, "--stream", r.stream, "--s3-endpoint", "ftp://x"}, 2, "invalid S3 endpoint"},
		{"missing bucket", nil, []string{"export", "s3://no-such-bucket/p", "--stream", r.stream}, 1, `bucket "no-such-bucket" does not exist`},
		{"wrong secret", []string{"AWS_SECRET_ACCESS_KEY=wrong"}, []string{"export", ok, "--stream", r.stream}, 1, "access denied"},
		{"unknown stream", nil, []string{"export", ok, "--stream", "ex/nope"}, 1, "not found"},
		{"ls without stream", nil, []string{"export", "ls", ok}, 2, "s3://BUCKET/PREFIX/SCOPE/STREAM"},
		{"ls bad pointer", nil, []string{"export", "ls", ok + "/" + r.stream, "--from", "12-34"}, 2, "invalid --from"},
		{"import of nothing", nil, []string{"import", ok + "/ex/none", "--stream", "ex/copy"}, 1, "no export of ex/none"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := r.braidCmd(ctx, tc.args...)
			cmd.Env = append(cmd.Env, tc.env...)
			res := runCmd(t, cmd)
			if res.code != tc.code || !strings.Contains(res.stderr, tc.want) {
				t.Errorf("braid %s: exit %d, %q; want exit %d and %q", strings.Join(tc.args, " "), res.code, strings.TrimSpace(res.stderr), tc.code, tc.want)
			}
			if strings.Count(strings.TrimSpace(res.stderr), "\n") > 1 {
				t.Errorf("braid %s: the error takes more than two lines: %q", strings.Join(tc.args, " "), res.stderr)
			}
		})
	}
}
