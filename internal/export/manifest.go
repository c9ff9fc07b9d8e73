package export

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/wire"
)

// ManifestFormat names the manifest's format and version.
const ManifestFormat = "braid-export/1"

// Modes of an export.
const (
	ModeEvent = "event" // one object per event
	ModeBatch = "batch" // one object per run of events of a segment
)

// Manifest describes one stream's export: the stream's segments with their
// lineage, and how far the export got. It is rewritten as the export goes;
// every event before Position is in the bucket.
type Manifest struct {
	Format string `json:"format"`
	Stream string `json:"stream"`
	// StreamCreated tells one incarnation of the stream's name from a
	// later one (a stream deleted and created again): an export refuses
	// to mix them under one prefix.
	StreamCreated time.Time `json:"stream_created"`
	Mode          string    `json:"mode"`
	// Start is where the export started: "head" or a stream cut.
	Start string `json:"start"`
	// Position is a stream cut: every event before it is exported. A
	// restarted export reads on from here.
	Position string    `json:"position"`
	Updated  time.Time `json:"updated"`
	// Objects and Bytes count what this export has written (objects of
	// earlier runs included; objects found already there are not).
	Objects int64 `json:"objects"`
	Bytes   int64 `json:"bytes"`
	// Epochs lists the stream's layouts, oldest first, as of Updated.
	Epochs []ManifestEpoch `json:"epochs"`
	// Segments lists every segment of Epochs with its lineage and what of
	// it is exported, by id.
	Segments []ManifestSegment `json:"segments"`
	// Gaps lists the ranges the export could not copy because the stream
	// was truncated (retention) before the export got there: the events
	// between From and To are missing from the bucket.
	Gaps []Gap `json:"gaps,omitempty"`
}

// Gap is a range of the stream that was truncated before it was exported.
type Gap struct {
	From  string    `json:"from"` // the export's position then
	To    string    `json:"to"`   // where the stream's readable data started
	Found time.Time `json:"found"`
}

// ManifestEpoch is one layout of the stream's segments.
type ManifestEpoch struct {
	Epoch    uint32    `json:"epoch"`
	Created  time.Time `json:"created"`
	Segments []string  `json:"segments"` // ids, 16 hex, in key order
}

// ManifestSegment is one segment and its export state.
type ManifestSegment struct {
	ID           string   `json:"id"` // 16 hex: epoch<<32 | number
	Epoch        uint32   `json:"epoch"`
	KeyLow       float64  `json:"key_low"`
	KeyHigh      float64  `json:"key_high"`
	Predecessors []string `json:"predecessors,omitempty"`
	Successors   []string `json:"successors,omitempty"`
	// Sealed is set once a scale (or the stream's seal) ended the
	// segment; Length is then final.
	Sealed bool `json:"sealed"`
	// ExportedFrom and ExportedTo bound the offsets exported: every event
	// in [from, to) is in the bucket. Both are absent for a segment the
	// export has not reached (or that lies before its start).
	ExportedFrom *int64 `json:"exported_from,omitempty"`
	ExportedTo   *int64 `json:"exported_to,omitempty"`
	// Complete is set when the segment is sealed and exported to its end.
	Complete bool `json:"complete"`
}

// segID prints a segment id as the manifest does.
func segID(id uint64) string { return fmt.Sprintf("%016x", id) }

// lineage is a stream's segments and how they follow each other, from its
// epochs.
type lineage struct {
	segs  map[uint64]*ManifestSegment
	order []uint64 // by id: epoch, then number
	succ  map[uint64][]uint64
	pred  map[uint64][]uint64
}

func newLineage(info braid.StreamInfo) *lineage {
	l := &lineage{segs: map[uint64]*ManifestSegment{}, succ: map[uint64][]uint64{}, pred: map[uint64][]uint64{}}
	var prev []braid.SegmentRange
	for i, ep := range info.Epochs {
		cur := map[uint64]bool{}
		for _, s := range ep.Segments {
			cur[s.ID] = true
			if _, ok := l.segs[s.ID]; !ok {
				l.segs[s.ID] = &ManifestSegment{ID: segID(s.ID), Epoch: wire.SegmentEpoch(s.ID), KeyLow: s.KeyLow, KeyHigh: s.KeyHigh}
				l.order = append(l.order, s.ID)
			}
		}
		if i > 0 {
			was := map[uint64]bool{}
			for _, p := range prev {
				was[p.ID] = true
			}
			for _, p := range prev {
				if cur[p.ID] {
					continue
				}
				l.segs[p.ID].Sealed = true
				for _, s := range ep.Segments {
					if !was[s.ID] && s.KeyLow < p.KeyHigh && p.KeyLow < s.KeyHigh {
						l.succ[p.ID] = append(l.succ[p.ID], s.ID)
						l.pred[s.ID] = append(l.pred[s.ID], p.ID)
					}
				}
			}
		}
		prev = ep.Segments
	}
	if info.Sealed && len(info.Epochs) > 0 {
		for _, s := range info.Epochs[len(info.Epochs)-1].Segments {
			l.segs[s.ID].Sealed = true
		}
	}
	slices.Sort(l.order)
	return l
}

// ancestors returns every segment that precedes one of ids, transitively.
func (l *lineage) ancestors(ids []uint64) map[uint64]bool {
	out := map[uint64]bool{}
	stack := slices.Clone(ids)
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, p := range l.pred[id] {
			if !out[p] {
				out[p] = true
				stack = append(stack, p)
			}
		}
	}
	return out
}

// buildManifest describes info's segments and what of them lies between
// the cuts start and pos. lengths holds where the export saw each
// segment end (this run's or an earlier one's): the end of a segment the
// export has read past.
func buildManifest(m *Manifest, info braid.StreamInfo, start, pos braid.StreamCut, lengths map[uint64]int64) {
	l := newLineage(info)
	m.Epochs = m.Epochs[:0]
	for _, ep := range info.Epochs {
		me := ManifestEpoch{Epoch: ep.Epoch, Created: ep.Created.UTC()}
		for _, s := range ep.Segments {
			me.Segments = append(me.Segments, segID(s.ID))
		}
		m.Epochs = append(m.Epochs, me)
	}
	startAt := map[uint64]int64{}
	var startIDs []uint64
	for _, s := range start.Segments {
		startAt[s.SegmentID] = s.Offset
		startIDs = append(startIDs, s.SegmentID)
	}
	before := l.ancestors(startIDs) // not part of the export
	posAt := map[uint64]int64{}
	var posIDs []uint64
	for _, s := range pos.Segments {
		posAt[s.SegmentID] = s.Offset
		posIDs = append(posIDs, s.SegmentID)
	}
	done := l.ancestors(posIDs)
	m.Segments = m.Segments[:0]
	for _, id := range l.order {
		s := *l.segs[id]
		for _, p := range l.pred[id] {
			s.Predecessors = append(s.Predecessors, segID(p))
		}
		for _, n := range l.succ[id] {
			s.Successors = append(s.Successors, segID(n))
		}
		if !before[id] {
			from, inStart := startAt[id]
			if !inStart {
				from = 0
			}
			switch to, inPos := posAt[id]; {
			case inPos:
				s.ExportedFrom, s.ExportedTo = &from, &to
			case done[id]:
				end := max(lengths[id], from)
				s.ExportedFrom, s.ExportedTo = &from, &end
				s.Complete = true
			}
		}
		m.Segments = append(m.Segments, s)
	}
}

// encodeManifest is the manifest's JSON, indented for people.
func encodeManifest(m *Manifest) []byte {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		panic(err) // only plain values
	}
	return append(b, '\n')
}

// DecodeManifest parses and checks a manifest.
func DecodeManifest(b []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("manifest: %v", err)
	}
	if m.Format != ManifestFormat {
		return nil, fmt.Errorf("manifest: format %q, want %q", m.Format, ManifestFormat)
	}
	if m.Mode != ModeEvent && m.Mode != ModeBatch {
		return nil, fmt.Errorf("manifest: mode %q, want %q or %q", m.Mode, ModeEvent, ModeBatch)
	}
	if _, err := wire.ParseStreamCut(m.Position); err != nil && m.Position != "" {
		return nil, fmt.Errorf("manifest: position: %v", err)
	}
	return &m, nil
}
