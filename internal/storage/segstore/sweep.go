package segstore

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
)

// sweepDeposed deletes the container's chunks that earlier owners wrote
// and that ck, this owner's checkpoint (durable already), does not
// reference: what a deposed owner flushed after its last checkpoint, or
// after its successor fenced it, and never got recorded. An owner only
// ever adds chunks of its own epoch to its state, so a chunk of an earlier
// epoch that its checkpoint leaves out is referenced by no checkpoint any
// later owner loads. Chunks of this epoch or later, and of a single node
// (no epoch), are left alone. It runs once per ownership (cluster mode).
func (c *container) sweepDeposed(ctx context.Context, ck *checkpointFile) (int, error) {
	keep := map[string]bool{}
	for _, st := range ck.Segments {
		for _, k := range st.Chunks {
			keep[k.key(c.id, st.Handle)] = true
		}
	}
	for _, g := range ck.Garbage {
		keep[g] = true // collectGarbage's
	}
	swept := 0
	for after := ""; ; {
		lctx, cancel := context.WithTimeout(ctx, tier2Timeout)
		objs, err := c.t2.List(lctx, containerPrefix(c.id), after, 1000)
		cancel()
		if err != nil {
			return swept, err
		}
		for _, o := range objs {
			after = o.Key
			e, ok := chunkEpoch(o.Key)
			if !ok || e >= c.epoch || keep[o.Key] || keep[o.Key[:strings.LastIndexByte(o.Key, '/')+1]] {
				continue
			}
			dctx, cancel := context.WithTimeout(ctx, tier2Timeout)
			err := c.t2.Delete(dctx, o.Key)
			cancel()
			if err != nil {
				c.m.tier2Errors.WithLabelValues("delete").Inc()
				return swept, err
			}
			swept++
		}
		if len(objs) < 1000 {
			break
		}
	}
	if swept > 0 {
		c.log.Info("deleted chunks earlier owners wrote and no checkpoint references", slog.Int("chunks", swept), slog.Uint64("epoch", c.epoch))
	}
	return swept, nil
}

// chunkEpoch is the owner epoch in a chunk's key (…/<offset>-e<epoch>).
func chunkEpoch(key string) (uint64, bool) {
	i := strings.LastIndex(key, "-e")
	if i < 0 || strings.ContainsRune(key[i:], '/') {
		return 0, false
	}
	e, err := strconv.ParseUint(key[i+2:], 10, 64)
	return e, err == nil
}
