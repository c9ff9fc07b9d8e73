package bench

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/braidstream/braid"
)

// SuiteConfig says how to run the standard suite (see Suite).
type SuiteConfig struct {
	// Stream names the suite's streams: each workload writes a new stream
	// Stream-<unix seconds>-<workload>, in Stream's scope.
	Stream string
	// Duration is each workload's write time (its Config.Duration).
	Duration time.Duration
	// DiskDir is the directory whose file system MeasureDisk measures: the
	// server's data directory.
	DiskDir string
	// DiskDuration is the disk measurement's time (zero: Duration).
	DiskDuration time.Duration
	// KeyCount, HTTPAddr and FlushTimeout are passed to every workload, as
	// in Config.
	KeyCount     int
	HTTPAddr     string
	FlushTimeout time.Duration
	// Progress and Warn are as in Config. Progress phases are named after
	// the workloads ("1 write", ...).
	Progress Progress
	Warn     func(msg string)
	// Now names the streams; zero: time.Now.
	Now func() time.Time
}

// The suite's workloads, in the order Suite runs them.
var (
	suiteWrite1K = Config{Size: 1024, Producers: 4, Segments: 16, Inflight: 256}
	suiteSmall   = Config{Size: 100, Producers: 4, Segments: 1, Inflight: 1024}
	suiteSingle  = Config{Size: 1024, Producers: 1, Segments: 1, Inflight: 1}
)

// SuiteWorkloads describes the workloads, one line each, for help texts.
const SuiteWorkloads = `  1  write: 1 KiB events, 4 producers, 16 segments, inflight 256: MB/s, append p99
  2  write: 100 B events, 4 producers, 1 segment, inflight 1024: events/s
  3  write: 1 KiB events, 1 producer, 1 segment, inflight 1: append p50, p99
  4  tail: workload 1 again, with one tail reader per segment: end-to-end p99
  5  catch-up: workload 1's stream read from its head, one reader per segment: MB/s`

// SuiteResult is what Suite measured: the disk, each workload's full
// result, and the table built from them. The JSON form is the one "braid
// bench --suite --json" prints.
type SuiteResult struct {
	Suite           string        `json:"suite"` // "standard"
	DurationSeconds float64       `json:"duration_s"`
	Disk            DiskResult    `json:"disk"`
	Rows            []SuiteRow    `json:"rows"`
	Write1K         Result        `json:"write_1k"`
	WriteSmall      Result        `json:"write_100b"`
	WriteSingle     Result        `json:"write_single"`
	Tail            TailResult    `json:"tail"`
	Catchup         CatchupResult `json:"catchup"`
}

// SuiteRow is one figure of the suite beside the disk's: Ratio is
// Braid/Disk, a share of the disk for rates and a multiple of one fdatasync
// for latencies (0 if the disk figure is 0).
type SuiteRow struct {
	Workload  int     `json:"workload"`
	What      string  `json:"what"`   // the workload, in words
	Figure    string  `json:"figure"` // what Braid measures, with its unit
	Braid     float64 `json:"braid"`
	DiskWhat  string  `json:"disk_figure"` // what Disk is, with its unit
	Disk      float64 `json:"disk"`
	Ratio     float64 `json:"ratio"`
	BraidNote string  `json:"braid_note,omitempty"` // another unit of Braid, for reading
}

// Suite runs the standard workloads (SuiteWorkloads) against the server c
// is connected to, each on a new stream for cfg.Duration, after measuring
// the fsync'd write bandwidth of cfg.DiskDir with MeasureDisk, and returns
// every result and the table of braid's figures beside the disk's.
func Suite(ctx context.Context, c *braid.Client, cfg SuiteConfig) (SuiteResult, error) {
	if cfg.DiskDir == "" {
		return SuiteResult{}, errNoDiskDir
	}
	if cfg.Duration <= 0 {
		return SuiteResult{}, fmt.Errorf("suite-duration: want more than 0, got %v", cfg.Duration)
	}
	if cfg.Progress == nil {
		cfg.Progress = noProgress{}
	}
	now := time.Now
	if cfg.Now != nil {
		now = cfg.Now
	}
	prefix := fmt.Sprintf("%s-%d-", cfg.Stream, now().Unix())
	config := func(w Config, name string) Config {
		w.Stream = prefix + name
		w.Events = math.MaxInt32 // Duration ends the write
		w.Duration = cfg.Duration
		w.KeyCount = cfg.KeyCount
		w.HTTPAddr = cfg.HTTPAddr
		w.FlushTimeout = cfg.FlushTimeout
		w.Progress = &phased{p: cfg.Progress, name: name}
		w.Warn = cfg.Warn
		w.SkipRead = true // workload 5 reads
		return w
	}

	res := SuiteResult{Suite: "standard", DurationSeconds: cfg.Duration.Seconds()}
	dd := cfg.DiskDuration
	if dd <= 0 {
		dd = cfg.Duration
	}
	var err error
	cfg.Progress.Start("disk", -1)
	res.Disk, err = MeasureDisk(ctx, cfg.DiskDir, dd)
	cfg.Progress.Finish()
	if err != nil {
		return SuiteResult{}, err
	}
	w1 := config(suiteWrite1K, "1-write")
	if res.Write1K, err = Run(ctx, c, w1); err != nil {
		return SuiteResult{}, fmt.Errorf("workload 1: %w", err)
	}
	if res.WriteSmall, err = Run(ctx, c, config(suiteSmall, "2-write")); err != nil {
		return SuiteResult{}, fmt.Errorf("workload 2: %w", err)
	}
	if res.WriteSingle, err = Run(ctx, c, config(suiteSingle, "3-write")); err != nil {
		return SuiteResult{}, fmt.Errorf("workload 3: %w", err)
	}
	if res.Tail, err = Tail(ctx, c, config(suiteWrite1K, "4-tail")); err != nil {
		return SuiteResult{}, fmt.Errorf("workload 4: %w", err)
	}
	cu := w1
	cu.Progress = &phased{p: cfg.Progress, name: "5-catchup"}
	cu.ReadOnly = true
	if res.Catchup, err = Catchup(ctx, c, cu); err != nil {
		return SuiteResult{}, fmt.Errorf("workload 5: %w", err)
	}
	if res.Catchup.Events < res.Write1K.Events {
		return SuiteResult{}, fmt.Errorf("workload 5: read %d events of %s, but workload 1 wrote %d", res.Catchup.Events, w1.Stream, res.Write1K.Events)
	}
	res.Rows = SuiteRows(res.Disk, res.Write1K, res.WriteSmall, res.WriteSingle, res.Tail, res.Catchup)
	return res, nil
}

// SuiteRows builds the suite's table from its results: one row per figure,
// each beside the disk figure it compares with.
func SuiteRows(disk DiskResult, w1, small, single Result, tail TailResult, cu CatchupResult) []SuiteRow {
	const (
		what1 = "write 1 KiB, 4 producers, 16 segments, inflight 256"
		what2 = "write 100 B, 4 producers, 1 segment, inflight 1024"
		what3 = "write 1 KiB, 1 producer, 1 segment, inflight 1"
		what4 = "tail read during workload 1"
		what5 = "catch-up read of workload 1"
	)
	mbps := "fdatasync'd MB/s"
	p50, p99 := "fdatasync p50 ms", "fdatasync p99 ms"
	// Workload 2's disk figure is the disk's bandwidth in 100-byte
	// payloads: the events/s it could take if an event cost only its bytes.
	smallSize := max(small.Size, 1)
	rows := []SuiteRow{
		{Workload: 1, What: what1, Figure: "write MB/s", Braid: w1.WriteMBPerSec, DiskWhat: mbps, Disk: disk.MBPerSec},
		{Workload: 1, What: what1, Figure: "append p99 ms", Braid: w1.AppendP99Ms, DiskWhat: p99, Disk: disk.FsyncP99Ms},
		{Workload: 2, What: what2, Figure: "write events/s", Braid: small.WriteEventsPerSec,
			DiskWhat: fmt.Sprintf("fdatasync'd MB/s in %d-B events/s", smallSize), Disk: round(disk.MBPerSec*1e6/float64(smallSize), 0),
			BraidNote: fmt.Sprintf("%.2f MB/s", small.WriteMBPerSec)},
		{Workload: 3, What: what3, Figure: "append p50 ms", Braid: single.AppendP50Ms, DiskWhat: p50, Disk: disk.FsyncP50Ms},
		{Workload: 3, What: what3, Figure: "append p99 ms", Braid: single.AppendP99Ms, DiskWhat: p99, Disk: disk.FsyncP99Ms},
		{Workload: 4, What: what4, Figure: "end-to-end p99 ms", Braid: tail.EndToEndP99Ms, DiskWhat: p99, Disk: disk.FsyncP99Ms},
		{Workload: 5, What: what5, Figure: "read MB/s", Braid: cu.ReadMBPerSec, DiskWhat: mbps, Disk: disk.MBPerSec},
	}
	for i := range rows {
		if rows[i].Disk > 0 {
			rows[i].Ratio = round(rows[i].Braid/rows[i].Disk, 3)
		}
	}
	return rows
}

// phased is a Progress whose phases carry a workload's name.
type phased struct {
	p    Progress
	name string
}

func (p *phased) Start(phase string, total int64) { p.p.Start(p.name+" "+phase, total) }
func (p *phased) Add(n int)                       { p.p.Add(n) }
func (p *phased) Finish()                         { p.p.Finish() }
