package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/braidstream/braid/internal/vfs"
)

// DiskResult is the fsync'd write bandwidth of a directory's file system,
// as MeasureDisk measured it. MB is 10^6 bytes.
type DiskResult struct {
	Dir string `json:"dir"`
	// MBPerSec is the bytes written over the time from the first write to
	// the last fdatasync's return.
	MBPerSec float64 `json:"mb_per_s"`
	// Fdatasync latency percentiles, in milliseconds: one call after each
	// 1 MiB block.
	FsyncP50Ms float64 `json:"fdatasync_p50_ms"`
	FsyncP99Ms float64 `json:"fdatasync_p99_ms"`
	Blocks     int     `json:"blocks"`
	Seconds    float64 `json:"seconds"`
}

// Disk measurement parameters: fio's "1 MiB sequential writes, fdatasync
// each" of scripts/bench.sh, bounded in time as well as in size.
const (
	diskBlock    = 1 << 20
	diskMaxBytes = 1 << 30
)

// MeasureDisk appends 1 MiB blocks to a new temporary file in dir, with an
// fdatasync (the call the WAL commits with) after each, for d or until
// 1 GiB is written, whichever comes first, and removes the file. At least
// one block is written.
func MeasureDisk(ctx context.Context, dir string, d time.Duration) (DiskResult, error) {
	f, err := os.CreateTemp(dir, ".braid-bench-disk-*")
	if err != nil {
		return DiskResult{}, fmt.Errorf("disk measurement: %w", err)
	}
	name := f.Name()
	f.Close()
	defer os.Remove(name)
	vf, err := vfs.OS{}.OpenFile(name, os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return DiskResult{}, fmt.Errorf("disk measurement: %w", err)
	}
	defer vf.Close()

	block := payload(0, diskBlock)
	var lat []float64
	begin := time.Now()
	for written := 0; written < diskMaxBytes; written += diskBlock {
		if len(lat) > 0 && (time.Since(begin) >= d || ctx.Err() != nil) {
			break
		}
		if _, err := vf.Write(block); err != nil {
			return DiskResult{}, fmt.Errorf("disk measurement: %w", err)
		}
		t := time.Now()
		if err := vf.Sync(); err != nil {
			return DiskResult{}, fmt.Errorf("disk measurement: %w", err)
		}
		lat = append(lat, float64(time.Since(t))/float64(time.Millisecond))
	}
	elapsed := time.Since(begin)
	if err := context.Cause(ctx); err != nil {
		return DiskResult{}, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	slices.Sort(lat)
	return DiskResult{
		Dir:        abs,
		MBPerSec:   round(float64(len(lat))*diskBlock/1e6/elapsed.Seconds(), 1),
		FsyncP50Ms: round(percentile(lat, 0.50), 3),
		FsyncP99Ms: round(percentile(lat, 0.99), 3),
		Blocks:     len(lat),
		Seconds:    round(elapsed.Seconds(), 3),
	}, nil
}

// errNoDiskDir is returned when the suite has no directory to measure.
var errNoDiskDir = errors.New("bench: no directory for the disk measurement")
