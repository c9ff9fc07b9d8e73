// Package demo sets up braid's demo (braid serve --demo): a stream of
// sensor readings written by a generator, and a continuous query over it
// whose results the dashboard charts live.
package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"time"

	"github.com/braidstream/braid"
)

// Names of what the demo makes.
const (
	Stream = "demo/sensors"
	Query  = "demo-rooms"
)

// QuerySQL is the demo's query.
const QuerySQL = `-- The demo's query: per room, every 5 seconds of event time, how many
-- readings came, and the average and highest temperature.
SELECT room, count(*) AS readings, avg(temp) AS avg_temp, max(temp) AS max_temp
FROM demo.sensors
GROUP BY TUMBLE(ts, INTERVAL '5' SECOND), room
WITH (watermark_delay = '1s')
`

// Reading is one generated event.
type Reading struct {
	Sensor   string  `json:"sensor"`
	Room     string  `json:"room"`
	Temp     float64 `json:"temp"`
	Humidity float64 `json:"humidity"`
	TS       string  `json:"ts"`
}

// Generator makes sensor readings: each sensor's temperature and humidity
// wander around their room's level, with a daily swing.
type Generator struct {
	rnd     *rand.Rand
	sensors []sensorState
	next    int
}

type sensorState struct {
	id, room       string
	base, temp, rh float64
}

// NewGenerator returns a generator seeded with seed.
func NewGenerator(seed uint64) *Generator {
	rooms := []struct {
		name string
		base float64
	}{{"kitchen", 23}, {"office", 21}, {"server-room", 18}}
	g := &Generator{rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	for i := range 6 {
		r := rooms[i%len(rooms)]
		g.sensors = append(g.sensors, sensorState{id: fmt.Sprintf("s-%d", i+1), room: r.name, base: r.base, temp: r.base, rh: 45})
	}
	return g
}

// Next returns the next reading, at time t.
func (g *Generator) Next(t time.Time) Reading {
	s := &g.sensors[g.next]
	g.next = (g.next + 1) % len(g.sensors)
	day := math.Sin(2 * math.Pi * float64(t.Unix()%86400) / 86400)
	s.temp += 0.2*(s.base+1.5*day-s.temp) + g.rnd.NormFloat64()*0.3
	s.rh = min(max(s.rh+g.rnd.NormFloat64()*0.5, 20), 80)
	return Reading{Sensor: s.id, Room: s.room, Temp: math.Round(s.temp*100) / 100, Humidity: math.Round(s.rh*10) / 10,
		TS: t.UTC().Format(time.RFC3339Nano)}
}

// Run creates the demo stream (if missing), deploys the demo query (if
// missing), and writes readings at perSecond until ctx ends.
func Run(ctx context.Context, c *braid.Client, perSecond int, log *slog.Logger) error {
	if _, err := c.CreateStream(ctx, Stream, braid.StreamConfig{Segments: 2, CreateScope: true}); err != nil && !errors.Is(err, braid.ErrAlreadyExists) {
		return fmt.Errorf("demo: creating %s: %w", Stream, err)
	}
	w, err := c.NewWriter(ctx, Stream)
	if err != nil {
		return fmt.Errorf("demo: writing %s: %w", Stream, err)
	}
	defer w.Close(context.WithoutCancel(ctx))
	g := NewGenerator(uint64(time.Now().UnixNano()))
	write := func(n int) error {
		for range n {
			r := g.Next(time.Now())
			b, _ := json.Marshal(r)
			w.Write(ctx, r.Sensor, b) // failures come back from Flush
		}
		return nil
	}
	// Some readings first, so that the query's fields are found in the
	// stream when it is deployed.
	if err := write(12); err != nil {
		return fmt.Errorf("demo: writing %s: %w", Stream, err)
	}
	if err := w.Flush(ctx); err != nil {
		return fmt.Errorf("demo: writing %s: %w", Stream, err)
	}
	if _, err := c.GetQuery(ctx, Query); errors.Is(err, braid.ErrNotFound) {
		if _, _, err := c.DeployQuery(ctx, Query, QuerySQL); err != nil {
			return fmt.Errorf("demo: deploying query %s: %w", Query, err)
		}
	} else if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	log.Info("demo: writing sensor readings", "stream", Stream, "per_second", perSecond, "query", Query)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	carry := 0.0
	for i := 1; ; i++ {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		carry += float64(perSecond) / 10
		n := int(carry)
		carry -= float64(n)
		err := write(n)
		if err == nil && i%10 == 0 {
			err = w.Flush(ctx)
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("demo: writing %s: %w", Stream, err)
		}
	}
}
