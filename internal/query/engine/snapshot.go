package engine

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"maps"
	"slices"
	"time"
)

// A snapshot is the engine's whole state, in a binary form:
//
//	"BRQS" | version (uvarint) | SHA-256 of the query's canonical text |
//	state | CRC-32 (IEEE, little endian) of all before it
//
// The state holds the counters (Stats), the watermark, the greatest event
// time, the open windows with their groups' aggregates, EMIT EVERY's
// schedule, and the results and late events not yet taken: a snapshot
// taken before TakeResults gives those results again after Restore.
const (
	snapMagic   = "BRQS"
	snapVersion = 2
)

// Snapshot returns the engine's state, for Restore.
func (e *Engine) Snapshot() ([]byte, error) {
	w := &writer{b: make([]byte, 0, 4096)}
	w.b = append(w.b, snapMagic...)
	w.uvarint(snapVersion)
	w.b = append(w.b, e.hash[:]...)
	c := e.st
	for _, n := range []int64{c.eventsIn, c.matched, c.filtered, c.badJSON, c.badTime, c.typeErrors,
		c.late, c.future, c.droppedGroups, c.resultsOut, c.resultErrors} {
		w.varint(n)
	}
	w.uvarint(uint64(len(e.missing)))
	for _, n := range e.missing {
		w.varint(n)
	}
	w.str(e.lastError)
	saveTime(w, e.lastEventAt)
	saveTime(w, e.lastResultAt)
	saveTime(w, e.lastEmit)
	w.varint(e.wm)
	w.bool(e.hasWM)
	w.varint(e.maxT)
	w.bool(e.hasMax)
	ids := slices.Sorted(maps.Keys(e.sources))
	w.uvarint(uint64(len(ids)))
	for _, id := range ids {
		w.uvarint(id)
		w.varint(e.sources[id].maxT)
		w.bool(e.sources[id].has)
		saveTime(w, e.sources[id].seen)
	}
	w.uvarint(e.seq)
	w.uvarint(uint64(len(e.results)))
	for _, r := range e.results {
		w.str(r.Key)
		w.str(string(r.Data))
		saveTime(w, r.WindowStart)
		saveTime(w, r.WindowEnd)
		w.bool(r.Final)
	}
	w.uvarint(uint64(len(e.late)))
	for _, l := range e.late {
		w.str(string(l.Data))
		w.str(l.Pointer)
		w.str(l.Reason)
		saveTime(w, l.EventTime)
	}
	if e.win != nil {
		e.win.save(w)
	}
	w.b = binary.LittleEndian.AppendUint32(w.b, crc32.ChecksumIEEE(w.b))
	return w.b, nil
}

// Restore loads a snapshot into a fresh engine (one that has processed
// nothing) of the same query. It fails, leaving the engine as it was,
// when the snapshot is of another query (or the same query with other
// options), of another snapshot version, or damaged.
func (e *Engine) Restore(b []byte) error {
	if e.touched {
		return errors.New("restore: the engine has already processed events; restore into a fresh one")
	}
	head := len(snapMagic)
	if len(b) < head || string(b[:head]) != snapMagic {
		return errors.New("restore: not a query engine snapshot")
	}
	v, n := binary.Uvarint(b[head:])
	if n <= 0 {
		return errors.New("restore: snapshot damaged: bad version")
	}
	if v != snapVersion {
		return fmt.Errorf("restore: snapshot version %d, this engine reads version %d", v, snapVersion)
	}
	body := head + n
	if len(b) < body+len(e.hash)+4 {
		return errors.New("restore: snapshot damaged: truncated")
	}
	end := len(b) - 4
	if crc32.ChecksumIEEE(b[:end]) != binary.LittleEndian.Uint32(b[end:]) {
		return errors.New("restore: snapshot damaged: checksum mismatch")
	}
	if !bytes.Equal(b[body:body+len(e.hash)], e.hash[:]) {
		return errors.New("restore: the snapshot is of another query (its text or options differ)")
	}
	// Decode into a fresh engine of the same query, then take its state.
	f, err := New(e.q, Options{Now: e.now})
	if err != nil {
		return err
	}
	r := &reader{b: b[body+len(e.hash) : end]}
	f.load(r)
	if r.err == nil && len(r.b) != 0 {
		r.err = errDamaged
	}
	if r.err != nil {
		return fmt.Errorf("restore: %w", r.err)
	}
	*e = *f
	if e.win != nil {
		e.win.setEngine(e)
	}
	return nil
}

func (e *Engine) load(r *reader) {
	c := &e.st
	for _, p := range []*int64{&c.eventsIn, &c.matched, &c.filtered, &c.badJSON, &c.badTime, &c.typeErrors,
		&c.late, &c.future, &c.droppedGroups, &c.resultsOut, &c.resultErrors} {
		*p = r.varint()
	}
	if r.count() != len(e.missing) {
		r.fail()
		return
	}
	for i := range e.missing {
		e.missing[i] = r.varint()
	}
	e.lastError = r.str()
	e.lastEventAt = loadTime(r)
	e.lastResultAt = loadTime(r)
	e.lastEmit = loadTime(r)
	e.wm = r.varint()
	e.hasWM = r.bool()
	e.maxT = r.varint()
	e.hasMax = r.bool()
	if n := r.count(); n > 0 {
		e.sources = make(map[uint64]*source, n)
		for i := 0; i < n && r.err == nil; i++ {
			id := r.uvarint()
			s := &source{maxT: r.varint()}
			s.has = r.bool()
			s.seen = loadTime(r)
			e.sources[id] = s
		}
	}
	e.seq = r.uvarint()
	n := r.count()
	for i := 0; i < n && r.err == nil; i++ {
		res := Result{Key: r.str(), Data: []byte(r.str())}
		res.WindowStart = loadTime(r)
		res.WindowEnd = loadTime(r)
		res.Final = r.bool()
		e.results = append(e.results, res)
	}
	n = r.count()
	for i := 0; i < n && r.err == nil; i++ {
		l := Late{Data: []byte(r.str()), Pointer: r.str(), Reason: r.str()}
		l.EventTime = loadTime(r)
		e.late = append(e.late, l)
	}
	if e.win != nil && r.err == nil {
		e.win.load(r)
	}
}

func saveTime(w *writer, t time.Time) {
	w.bool(!t.IsZero())
	if !t.IsZero() {
		w.varint(toNanos(t))
	}
}

func loadTime(r *reader) time.Time {
	if !r.bool() {
		return time.Time{}
	}
	return fromNanos(r.varint())
}
