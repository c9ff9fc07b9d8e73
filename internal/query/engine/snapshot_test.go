package engine

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/query/sql"
)

// splitRun processes events with Ticks between them on a fake clock; at
// split (≥ 0) it snapshots the engine (before taking that event's
// results) and goes on with a new engine restored from the snapshot.
func splitRun(t *testing.T, q *sql.Query, events []genEvent, split int) ([]Result, []Late, Stats) {
	t.Helper()
	clock := newClock()
	clock.t = t0.Add(24 * time.Hour)
	e := mustNew(t, q, clock)
	var res []Result
	var late []Late
	for i, g := range events {
		e.Process(g.Event)
		if i%5 == 0 {
			clock.Add(300 * time.Millisecond)
			e.Tick()
		}
		if i == split {
			b, err := e.Snapshot()
			if err != nil {
				t.Fatal(err)
			}
			e = mustNew(t, q, clock)
			if err := e.Restore(b); err != nil {
				t.Fatalf("restore: %v", err)
			}
		}
		res = append(res, e.TakeResults()...)
		late = append(late, e.TakeLate()...)
	}
	clock.Add(time.Hour)
	e.Tick()
	res = append(res, e.TakeResults()...)
	return res, late, e.Stats()
}

func TestSnapshotRestore(t *testing.T) {
	seed := testSeed(t)
	rng := rand.New(rand.NewPCG(seed, 1))
	events := generate(seed, genConfig{n: 1500, sensors: 6, step: 60 * time.Millisecond,
		disorder: 2 * time.Second, lateProb: 0.03, lateBy: 20 * time.Second, missing: 0.1, bad: 0.01, sensorSkew: true})
	with := ` WITH (watermark_delay = '1s', allowed_lateness = '500ms', late = 't.late', idle_timeout = '30m')`
	every := ` EMIT EVERY INTERVAL '1' SECOND`
	queries := []struct{ name, text string }{
		{"tumble", `SELECT ` + allAggs + ` FROM t.s GROUP BY TUMBLE(ts, INTERVAL '3' SECOND), sensor` + every + with},
		{"hop", `SELECT ` + allAggs + ` FROM t.s GROUP BY HOP(ts, INTERVAL '1' SECOND, INTERVAL '4' SECOND), sensor` + every + with},
		{"session", `SELECT ` + allAggs + ` FROM t.s GROUP BY SESSION(ts, INTERVAL '1500' MILLISECOND), sensor` + every + with},
		{"session max", `SELECT ` + allAggs + ` FROM t.s GROUP BY SESSION(ts, INTERVAL '2' SECOND, INTERVAL '6' SECOND), sensor HAVING count(*) > 1` + with},
		{"count", `SELECT ` + allAggs + ` FROM t.s GROUP BY COUNT_WINDOW(7), sensor` + every},
		{"projection", `SELECT sensor, temp * 2 AS t2 FROM t.s WHERE hum > 30`},
	}
	for _, qt := range queries {
		t.Run(qt.name, func(t *testing.T) {
			q := mustParse(t, qt.text)
			wantRes, wantLate, wantStats := splitRun(t, q, events, -1)
			early := 0
			for _, r := range wantRes {
				if !r.Final {
					early++
				}
			}
			t.Logf("%d results (%d early), %d late or future, stats %+v", len(wantRes), early, len(wantLate), wantStats)
			if len(wantRes) == 0 || (q.Emit.Every > 0) != (early > 0) || (q.Window != nil && q.Window.Kind != sql.Count) != (len(wantLate) > 0) {
				t.Fatal("the test does not cover what it should")
			}
			for round := 0; round < 3; round++ {
				split := rng.IntN(len(events))
				res, late, stats := splitRun(t, q, events, split)
				if len(res) != len(wantRes) {
					t.Fatalf("split at %d: %d results, want %d", split, len(res), len(wantRes))
				}
				for i := range res {
					if fmt.Sprint(res[i]) != fmt.Sprint(wantRes[i]) {
						t.Fatalf("split at %d: result %d\n%v\nwant\n%v", split, i, res[i], wantRes[i])
					}
				}
				if fmt.Sprint(late) != fmt.Sprint(wantLate) {
					t.Fatalf("split at %d: late events differ", split)
				}
				a, _ := json.Marshal(stats)
				b, _ := json.Marshal(wantStats)
				if !bytes.Equal(a, b) {
					t.Fatalf("split at %d: stats\n%s\nwant\n%s", split, a, b)
				}
			}
			checkSums(t, wantStats)
		})
	}
}

func TestRestoreErrors(t *testing.T) {
	q := mustParse(t, `SELECT sensor, count(*) AS n, count_distinct(hum) AS d, approx_percentile(temp, 0.5) AS p
		FROM t.s GROUP BY SESSION(ts, INTERVAL '5' SECOND), sensor`)
	e := mustNew(t, q, nil)
	for _, g := range generate(7, genConfig{n: 200, sensors: 3, step: 10 * time.Millisecond}) {
		e.Process(g.Event)
	}
	snap, err := e.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	restore := func(q *sql.Query, b []byte) error { return mustNew(t, q, nil).Restore(b) }
	if err := restore(q, snap); err != nil {
		t.Fatal(err)
	}
	other := mustParse(t, `SELECT sensor, count(*) AS n, count_distinct(hum) AS d, approx_percentile(temp, 0.5) AS p
		FROM t.s GROUP BY SESSION(ts, INTERVAL '6' SECOND), sensor`)
	if err := restore(other, snap); err == nil || !strings.Contains(err.Error(), "another query") {
		t.Errorf("other query: %v", err)
	}
	if err := e.Restore(snap); err == nil || !strings.Contains(err.Error(), "fresh") {
		t.Errorf("used engine: %v", err)
	}
	damaged := bytes.Clone(snap)
	damaged[len(damaged)/2] ^= 1
	if err := restore(q, damaged); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("damaged: %v", err)
	}
	if err := restore(q, snap[:len(snap)-9]); err == nil {
		t.Error("truncated snapshot restored")
	}
	v2 := bytes.Clone(snap)
	v2[4] = 9
	if err := restore(q, v2); err == nil || !strings.Contains(err.Error(), "version 9") {
		t.Errorf("version: %v", err)
	}
	if err := restore(q, []byte("{}")); err == nil {
		t.Error("garbage restored")
	}
	// Changed bytes under a valid checksum: an error or a state, never a
	// panic.
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		b := bytes.Clone(snap)
		body := b[len(snapMagic)+1+32 : len(b)-4]
		for j := 0; j < 1+rng.IntN(3); j++ {
			body[rng.IntN(len(body))] = byte(rng.IntN(256))
		}
		if rng.IntN(4) == 0 {
			b = append(b[:len(b)-4-rng.IntN(len(body))], 0, 0, 0, 0)
		}
		end := len(b) - 4
		binary.LittleEndian.PutUint32(b[end:], crc32.ChecksumIEEE(b[:end]))
		f := mustNew(t, q, nil)
		if f.Restore(b) == nil {
			for _, g := range generate(8, genConfig{n: 50, sensors: 3, step: time.Second}) {
				f.Process(g.Event)
			}
			f.Tick()
			f.AdvanceWatermark(time.Now())
			f.Stats()
		}
	}
}
