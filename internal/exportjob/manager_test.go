package exportjob_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"go.uber.org/goleak"

	"github.com/braidstream/braid/internal/clienttest"
	"github.com/braidstream/braid/internal/exportjob"
	"github.com/braidstream/braid/internal/meta"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// newManager is a manager on its own metadata store, with a client of an
// in-process server that has stream ex/s.
func newManager(t *testing.T, path string) (*exportjob.Manager, func()) {
	t.Helper()
	ts := servertest.New(t, server.Config{})
	c := clienttest.Dial(t, ts.GRPCAddr())
	if _, err := c.GetStream(context.Background(), "ex/s"); err != nil {
		clienttest.CreateStream(t, c, "ex/s", 2)
	}
	store, err := meta.OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	m := exportjob.New(store, nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	if err := m.Start(ctx, c); err != nil {
		t.Fatal(err)
	}
	return m, func() {
		m.Close()
		cancel()
		store.Close()
	}
}

// unreachable is a job whose bucket does not exist on an in-process S3
// server: its attempts fail at once (404 is not retried), and it retries.
func unreachable(t *testing.T) exportjob.Job {
	fake := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	t.Cleanup(fake.Close)
	return exportjob.Job{Name: "j1", Stream: "ex/s", URL: "s3://nobucket/p", Endpoint: fake.URL, PathStyle: true}
}

func TestManagerLifecycle(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "k")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "s")
	t.Setenv("AWS_REGION", "us-east-1")
	ctx := clienttest.Ctx(t, 30*time.Second)
	path := filepath.Join(t.TempDir(), "meta.db")
	m, stop := newManager(t, path)
	unreachable := unreachable(t)
	st, err := m.Create(ctx, unreachable)
	if err != nil {
		t.Fatal(err)
	}
	if st.Job.Name != "j1" || st.State == exportjob.StateStopped {
		t.Fatalf("created: %+v", st)
	}
	clienttest.WaitUntil(t, "the job to fail and say why", 20*time.Second, func() bool {
		st, _ = m.Get("j1")
		return st.State == exportjob.StateRetrying && strings.Contains(st.LastError, "nobucket")
	})
	if st.Failures < 1 {
		t.Errorf("failures %d after a failed attempt", st.Failures)
	}
	for _, tc := range []struct {
		job  exportjob.Job
		want error
	}{
		{unreachable, exportjob.ErrExists},                 // the name
		{withName(unreachable, "j2"), exportjob.ErrExists}, // the place
		{withName(withStream(unreachable, "ex/none"), "j3"), exportjob.ErrStreamNotFound},
		{withName(withStream(unreachable, "nostream"), "j4"), exportjob.ErrInvalid},
		{withName(exportjob.Job{Stream: "ex/s", URL: "http://x"}, "j5"), exportjob.ErrInvalid},
		{withName(unreachable, "bad/name"), exportjob.ErrInvalid},
	} {
		if _, err := m.Create(ctx, tc.job); !errors.Is(err, tc.want) {
			t.Errorf("create %+v: %v, want %v", tc.job, err, tc.want)
		}
	}
	if st, err := m.Stop(ctx, "j1"); err != nil || st.State != exportjob.StateStopped {
		t.Fatalf("stop: %+v, %v", st, err)
	}
	if _, err := m.Get("nope"); !errors.Is(err, exportjob.ErrNotFound) {
		t.Errorf("get of a missing job: %v", err)
	}
	stop()

	// A stopped job stays stopped across a restart; started, it runs.
	m, stop = newManager(t, path)
	defer stop()
	if jobs := m.List(); len(jobs) != 1 || jobs[0].State != exportjob.StateStopped {
		t.Fatalf("after a restart: %+v", jobs)
	}
	if st, err := m.Resume(ctx, "j1"); err != nil || st.State == exportjob.StateStopped {
		t.Fatalf("start: %+v, %v", st, err)
	}
	if err := m.Delete(ctx, "j1"); err != nil {
		t.Fatal(err)
	}
	if jobs := m.List(); len(jobs) != 0 {
		t.Errorf("after delete: %+v", jobs)
	}
	if err := m.Delete(ctx, "j1"); !errors.Is(err, exportjob.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
}

func withName(j exportjob.Job, n string) exportjob.Job   { j.Name = n; return j }
func withStream(j exportjob.Job, s string) exportjob.Job { j.Stream = s; return j }
