package bench

import (
	"testing"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

func TestSuiteRows(t *testing.T) {
	disk := DiskResult{MBPerSec: 500, FsyncP50Ms: 2, FsyncP99Ms: 4}
	rows := SuiteRows(disk,
		Result{Size: 1024, WriteMBPerSec: 250, AppendP99Ms: 20},
		Result{Size: 100, WriteEventsPerSec: 500000, WriteMBPerSec: 50},
		Result{Size: 1024, AppendP50Ms: 3, AppendP99Ms: 6},
		TailResult{EndToEndP99Ms: 40},
		CatchupResult{ReadMBPerSec: 1000},
	)
	want := []struct {
		workload    int
		figure      string
		braid, disk float64
		ratio       float64
	}{
		{1, "write MB/s", 250, 500, 0.5},
		{1, "append p99 ms", 20, 4, 5},
		{2, "write events/s", 500000, 5e6, 0.1},
		{3, "append p50 ms", 3, 2, 1.5},
		{3, "append p99 ms", 6, 4, 1.5},
		{4, "end-to-end p99 ms", 40, 4, 10},
		{5, "read MB/s", 1000, 500, 2},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d: %+v", len(rows), len(want), rows)
	}
	for i, w := range want {
		r := rows[i]
		if r.Workload != w.workload || r.Figure != w.figure || r.Braid != w.braid || r.Disk != w.disk || r.Ratio != w.ratio {
			t.Errorf("row %d: got %d %q braid %v disk %v ratio %v, want %d %q %v %v %v",
				i, r.Workload, r.Figure, r.Braid, r.Disk, r.Ratio, w.workload, w.figure, w.braid, w.disk, w.ratio)
		}
		if r.What == "" || r.DiskWhat == "" {
			t.Errorf("row %d: no description: %+v", i, r)
		}
	}
	if rows[2].BraidNote != "50.00 MB/s" {
		t.Errorf("workload 2 note %q, want 50.00 MB/s", rows[2].BraidNote)
	}

	// No disk figure: no ratio, rather than an infinity.
	for _, r := range SuiteRows(DiskResult{}, Result{WriteMBPerSec: 1}, Result{}, Result{}, TailResult{}, CatchupResult{}) {
		if r.Ratio != 0 {
			t.Errorf("%s: ratio %v without a disk figure, want 0", r.Figure, r.Ratio)
		}
	}
}

func TestMeasureDisk(t *testing.T) {
	dir := t.TempDir()
	d, err := MeasureDisk(t.Context(), dir, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if d.Blocks < 1 || d.MBPerSec <= 0 || d.FsyncP50Ms <= 0 || d.FsyncP99Ms < d.FsyncP50Ms || d.Dir != dir {
		t.Errorf("MeasureDisk: %+v", d)
	}
	if _, err := MeasureDisk(t.Context(), dir+"/missing", time.Millisecond); err == nil {
		t.Error("MeasureDisk in a missing directory: no error")
	}
}

// TestSuite runs the whole suite for a short time per workload against an
// in-process server: a smoke test of the plumbing, not a measurement.
func TestSuite(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every workload for a second (-short)")
	}
	dir := t.TempDir()
	srv := servertest.New(t, server.Config{Containers: 2, DataDir: dir})
	c, err := braid.Dial(t.Context(), srv.GRPCAddr())
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	var prog recorder
	res, err := Suite(t.Context(), c, SuiteConfig{
		Stream:       "bench/suite",
		Duration:     time.Second,
		DiskDir:      dir,
		DiskDuration: 300 * time.Millisecond,
		KeyCount:     100,
		Progress:     &prog,
		Warn:         func(string) {},
	})
	if err != nil {
		t.Fatalf("Suite: %v", err)
	}
	if len(res.Rows) != 7 {
		t.Fatalf("%d rows, want 7", len(res.Rows))
	}
	for _, r := range res.Rows {
		if r.Braid <= 0 || r.Disk <= 0 || r.Ratio <= 0 {
			t.Errorf("row %d %s: %+v", r.Workload, r.Figure, r)
		}
	}
	if res.Write1K.Segments != 16 || res.WriteSmall.Segments != 1 || res.WriteSingle.Producers != 1 {
		t.Errorf("workloads: %+v %+v %+v", res.Write1K, res.WriteSmall, res.WriteSingle)
	}
	if res.Catchup.Events != res.Write1K.Events || res.Catchup.Readers != 16 {
		t.Errorf("catch-up read %d events with %d readers; workload 1 wrote %d", res.Catchup.Events, res.Catchup.Readers, res.Write1K.Events)
	}
	if res.Tail.Events < 1 || res.Write1K.ReadEventsPerSec != 0 {
		t.Errorf("tail %+v; workload 1 read back at %v events/s, want no read-back", res.Tail, res.Write1K.ReadEventsPerSec)
	}
	if got := prog.phases; len(got) < 6 || got[0] != "disk" || got[1] != "1-write write" {
		t.Errorf("progress phases %q", got)
	}
}
