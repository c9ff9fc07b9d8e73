package group

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/braidstream/braid/internal/controller"
)

// Info describes a group.
type Info struct {
	Scope, Name string
	Config      Config
	Generation  int64
	Readers     []ReaderInfo
	Segments    []SegmentInfo
	// Position is the group's cut per stream.
	Position map[string]map[uint64]int64
	// LagBytes is the data between the committed offsets and the tails,
	// successors included; LagEvents estimates it in events (-1 before
	// any event was read).
	LagBytes, LagEvents int64
	Checkpoints         []Checkpoint
	Finished            bool
	Created             time.Time
}

// ReaderInfo is one reader of a group.
type ReaderInfo struct {
	ID       string
	Segments []uint64
	LastSeen time.Time
}

// SegmentInfo is one segment being read.
type SegmentInfo struct {
	Stream    string
	ID        uint64
	Low, High float64
	Offset    int64
	End       int64
	Tail      int64
	Reader    string
}

func (g *group) info(ctx context.Context) *Info {
	g.mu.Lock()
	rec := *g.rec
	rec.Active = slices.Clone(rec.Active)
	for i, a := range rec.Active {
		c := *a
		rec.Active[i] = &c
	}
	rec.Done = slices.Clone(rec.Done)
	out := &Info{Scope: g.scope, Name: g.short, Config: rec.Config, Generation: rec.Generation,
		Checkpoints: slices.Clone(rec.Checkpoints), Finished: len(rec.Active) == 0, Created: rec.Created}
	owners := map[segKey]string{}
	for _, mem := range g.readers {
		ri := ReaderInfo{ID: mem.id, LastSeen: mem.lastSeen}
		for k := range mem.segs {
			ri.Segments = append(ri.Segments, k.ID)
			owners[k] = mem.id
		}
		slices.Sort(ri.Segments)
		out.Readers = append(out.Readers, ri)
	}
	g.mu.Unlock()
	slices.SortFunc(out.Readers, func(a, b ReaderInfo) int { return strings.Compare(a.ID, b.ID) })

	succ := g.successors(ctx)
	out.Position = rec.position(succ)
	recs := map[string]*controller.StreamRecord{}
	length := func(k segKey) (int64, int64, bool) {
		srec, ok := recs[k.Stream]
		if !ok {
			srec, _ = g.m.stream(ctx, k.Stream)
			recs[k.Stream] = srec
		}
		if srec == nil {
			return 0, 0, false
		}
		in, err := g.m.segs.Info(ctx, controller.SegmentName(srec.Scope, srec.Name, k.ID))
		if err != nil {
			return 0, 0, false
		}
		return in.Start, in.Length, true
	}
	seen := map[segKey]bool{}
	var frontier []segKey
	for _, a := range rec.Active {
		seen[a.segKey] = true
		_, tail, _ := length(a.segKey)
		out.Segments = append(out.Segments, SegmentInfo{Stream: a.Stream, ID: a.ID, Low: a.Low, High: a.High,
			Offset: a.Offset, End: a.End, Tail: tail, Reader: owners[a.segKey]})
		end := tail
		if a.End >= 0 {
			end = min(end, a.End)
		} else {
			frontier = append(frontier, a.segKey)
		}
		out.LagBytes += max(end-a.Offset, 0)
	}
	for _, d := range rec.Done {
		seen[d.segKey] = true
		if !d.Last {
			frontier = append(frontier, d.segKey)
		}
	}
	// Successors not started yet, to their ends (or end cuts).
	for len(frontier) > 0 {
		k := frontier[0]
		frontier = frontier[1:]
		for _, s := range succ(k) {
			if seen[s] {
				continue
			}
			seen[s] = true
			start, tail, ok := length(s)
			if !ok {
				continue
			}
			if sp := rec.spec(s.Stream); sp != nil {
				if end, ok := sp.End[s.ID]; ok {
					out.LagBytes += max(min(end, tail)-start, 0)
					continue
				}
			}
			out.LagBytes += max(tail-start, 0)
			frontier = append(frontier, s)
		}
	}
	out.LagEvents = -1
	if rec.ReadEvents > 0 && rec.ReadBytes > 0 {
		out.LagEvents = int64(float64(out.LagBytes)*float64(rec.ReadEvents)/float64(rec.ReadBytes) + 0.5)
	}
	return out
}
