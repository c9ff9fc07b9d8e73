package fault

import (
	"context"
	"encoding/json"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid"
)

// TestExportJobSurvivesServerKill registers a server-run export job
// (braid export --detach), writes more events while SIGKILLing the server
// at random moments of the export, and checks that the job, restarted with
// the server, ends with every event in the bucket exactly once; then that
// stop, start and delete do what they say.
func TestExportJobSurvivesServerKill(t *testing.T) {
	seed := crashSeed(t)
	rng := rand.New(rand.NewSource(seed))
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	r := newExportRig(t, ctx, "ex/job", 600)
	// Slow PUTs, so that kills land in the middle of the export.
	px := newS3Proxy(t, r.gw.endpoint())
	px.Delay = 5 * time.Millisecond
	r.endpoint = px.endpoint()

	res := r.mustRun("export", "s3://"+r.bucket+"/job", "--stream", r.stream, "--detach", "--name", "j1", "--parallel", "4")
	if !strings.Contains(res.stderr, "export job j1 runs on the server") {
		t.Errorf("--detach printed %q", res.stderr)
	}
	for cycle := range 3 {
		before := r.countObjects("job")
		r.write(600+300*cycle, 300)
		more := 20 + rng.Intn(200)
		if !waitFor(ctx, time.Minute, func() bool { return r.countObjects("job") >= before+more }) {
			t.Fatalf("cycle %d: the job wrote no %d objects more within a minute\n%s", cycle, more, r.srv.output(8<<10))
		}
		if err := r.srv.kill(); err != nil {
			t.Fatal(err)
		}
		t.Logf("cycle %d: server killed with %d objects in the bucket", cycle, r.countObjects("job"))
		if err := r.srv.start(ctx); err != nil {
			t.Fatal(err)
		}
	}
	r.events = r.readAll(r.stream)
	tail, err := r.c.TailCut(ctx, r.stream)
	if err != nil {
		t.Fatal(err)
	}
	var st braid.ExportStatus
	if !waitFor(ctx, 2*time.Minute, func() bool {
		st, err = r.c.GetExport(ctx, "j1")
		return err == nil && st.Position == tail.String()
	}) {
		t.Fatalf("the job did not reach the tail %s: %+v, %v\n%s", tail, st, err, r.srv.output(8<<10))
	}
	if st.State != "running" || st.LagBytes != 0 || st.Lag != 0 {
		t.Errorf("a caught-up job: state %s, lag %d bytes, %s; want running and 0", st.State, st.LagBytes, st.Lag)
	}
	r.checkExactlyOnce("job")

	// describe -o json, as a script reads it.
	var desc struct {
		Name, State, Position string
		LagBytes              int64 `json:"lag_bytes"`
	}
	out := r.mustRun("export", "describe", "j1", "-o", "json")
	if err := json.Unmarshal([]byte(out.stdout), &desc); err != nil {
		t.Fatalf("describe -o json: %v\n%s", err, out.stdout)
	}
	if desc.Name != "j1" || desc.Position != tail.String() || desc.LagBytes != 0 {
		t.Errorf("describe -o json: %+v", desc)
	}

	// Stopped, it exports nothing; started, it catches up.
	r.mustRun("export", "stop", "j1")
	n := r.countObjects("job")
	r.write(1500, 50)
	if st, _ := r.c.GetExport(ctx, "j1"); st.State != "stopped" {
		t.Errorf("a stopped job is %s", st.State)
	}
	if got := r.countObjects("job"); got != n {
		t.Errorf("a stopped job wrote %d objects", got-n)
	}
	r.mustRun("export", "start", "j1")
	if !waitFor(ctx, time.Minute, func() bool { return r.countObjects("job") == n+50 }) {
		t.Errorf("the started job has %d objects, want %d", r.countObjects("job"), n+50)
	}
	r.mustRun("export", "delete", "j1")
	if jobs, err := r.c.ListExports(ctx); err != nil || len(jobs) != 0 {
		t.Errorf("after delete: %v, %v", jobs, err)
	}
	if res := r.run("export", "describe", "j1"); res.code != 1 || !strings.Contains(res.stderr, "not found") {
		t.Errorf("describe of a deleted job: exit %d, %q", res.code, res.stderr)
	}
	if got := r.countObjects("job"); got != n+50 {
		t.Errorf("delete left %d objects, want the %d exported", got, n+50)
	}
}
