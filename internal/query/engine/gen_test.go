package engine

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"
)

// The sensor-event generator: deterministic from a seed. The seed is
// printed by each test that uses it; set it with -engine.seed=N or
// BRAID_ENGINE_SEED=N to replay a failure.
var seedFlag = flag.Uint64("engine.seed", 0, "seed of the generated sensor events (0: from the clock)")

func testSeed(t testing.TB) uint64 {
	t.Helper()
	seed := *seedFlag
	if s := os.Getenv("BRAID_ENGINE_SEED"); s != "" && seed == 0 {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("BRAID_ENGINE_SEED: %v", err)
		}
		seed = n
	}
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (replay with BRAID_ENGINE_SEED=%d)", seed, seed)
	return seed
}

// t0 is the generated events' first time: 2026-01-01T00:00:00Z.
var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// genEvent is one generated event and what the test knows of it.
type genEvent struct {
	Event
	sensor  string
	ts      int64    // event time, ms since 1970
	temp    *float64 // nil: missing
	hum     float64
	badJSON bool
}

// genConfig shapes a generated stream.
type genConfig struct {
	n        int           // events
	sensors  int           // groups
	step     time.Duration // event time advance per event
	disorder time.Duration // how far an event may be older than the one before
	lateProb float64       // chance of an event much older (by up to lateBy)
	lateBy   time.Duration
	missing  float64 // chance temp is missing
	bad      float64 // chance of a bad JSON payload
	// sensorSkew makes some sensors much more frequent (sessions then
	// have gaps for the rare ones).
	sensorSkew bool
}

func generate(seed uint64, c genConfig) []genEvent {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	out := make([]genEvent, 0, c.n)
	base := t0.UnixMilli()
	for i := 0; i < c.n; i++ {
		var g genEvent
		ts := base + int64(time.Duration(i)*c.step/time.Millisecond)
		if c.disorder > 0 {
			ts -= rng.Int64N(int64(c.disorder/time.Millisecond) + 1)
		}
		if c.lateProb > 0 && rng.Float64() < c.lateProb {
			ts -= rng.Int64N(int64(c.lateBy/time.Millisecond) + 1)
		}
		g.ts = ts
		s := rng.IntN(c.sensors)
		if c.sensorSkew && rng.IntN(4) != 0 {
			s = rng.IntN(1 + c.sensors/4)
		}
		g.sensor = "s" + strconv.Itoa(s)
		if rng.Float64() >= c.missing {
			temp := float64(rng.IntN(500))/10 - 10
			g.temp = &temp
		}
		g.hum = float64(rng.IntN(100))
		g.Pointer = fmt.Sprintf("0/0:%d", i)
		g.AppendTime = t0.Add(time.Duration(i) * time.Millisecond)
		var tsText string
		if rng.IntN(2) == 0 {
			tsText = strconv.FormatInt(ts, 10)
		} else {
			tsText = `"` + time.UnixMilli(ts).UTC().Format(time.RFC3339Nano) + `"`
		}
		data := `{"sensor":"` + g.sensor + `","ts":` + tsText
		if g.temp != nil {
			data += `,"temp":` + strconv.FormatFloat(*g.temp, 'f', -1, 64)
		}
		data += `,"hum":` + strconv.FormatFloat(g.hum, 'f', -1, 64) + `,"site":"north-wing-2"}`
		if c.bad > 0 && rng.Float64() < c.bad {
			g.badJSON = true
			data = data[:len(data)/2]
		}
		g.Data = []byte(data)
		out = append(out, g)
	}
	return out
}
