package segstore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"

	"github.com/braidstream/braid/internal/tier2"
	"github.com/braidstream/braid/internal/vfs"
)

// CheckpointStore keeps containers' checkpoints. A single node keeps each
// in a file of its container's directory; a cluster keeps them in tier 2
// (TierCheckpoints), where the container's next owner finds them.
type CheckpointStore interface {
	// Load returns a container's latest checkpoint, or an error wrapping
	// fs.ErrNotExist when it has none.
	Load(ctx context.Context, container int) ([]byte, error)
	// Save stores a checkpoint covering records up to lsn, written by the
	// owner with epoch (0 on a single node). It is durable when Save
	// returns.
	Save(ctx context.Context, container int, lsn, epoch uint64, b []byte) error
}

// fileCheckpoints keeps each container's checkpoint in <dir>/containers/<k>/checkpoint.
type fileCheckpoints struct {
	fs  vfs.FS
	dir string
}

func (f fileCheckpoints) path(container int) string {
	return filepath.Join(containerDir(f.dir, container), "checkpoint")
}

func (f fileCheckpoints) Load(_ context.Context, container int) ([]byte, error) {
	return vfs.ReadFile(f.fs, f.path(container))
}

func (f fileCheckpoints) Save(_ context.Context, container int, _, _ uint64, b []byte) error {
	return vfs.WriteFile(f.fs, f.path(container), b)
}

// TierCheckpoints keeps checkpoints in tier 2 as
// checkpoints/<k>/<lsn>-<epoch> (16 hex digits each), never replacing one:
// the latest is the last in key order. Two owners of one container (one
// deposed, not knowing it yet) therefore never overwrite each other's
// checkpoint; the deposed one's cover only records below its successor's
// fence, so the successor's, with a higher LSN or epoch, sort after them.
// Save keeps the two latest and deletes older ones.
type TierCheckpoints struct {
	Store tier2.Store
}

func checkpointPrefix(container int) string { return "checkpoints/" + strconv.Itoa(container) + "/" }

// Load implements CheckpointStore.
func (t TierCheckpoints) Load(ctx context.Context, container int) ([]byte, error) {
	keys, err := t.list(ctx, container)
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("container %d: no checkpoint in tier 2: %w", container, fs.ErrNotExist)
	}
	b, err := t.Store.GetRange(ctx, keys[len(keys)-1], 0, -1)
	if errors.Is(err, tier2.ErrNotFound) {
		// Deleted between the listing and the read: a newer one is there.
		return t.Load(ctx, container)
	}
	return b, err
}

// Save implements CheckpointStore.
func (t TierCheckpoints) Save(ctx context.Context, container int, lsn, epoch uint64, b []byte) error {
	key := fmt.Sprintf("%s%016x-%016x", checkpointPrefix(container), lsn, epoch)
	if err := t.Store.Put(ctx, key, b); err != nil {
		return err
	}
	keys, err := t.list(ctx, container)
	if err != nil {
		return nil // old checkpoints stay until the next Save
	}
	for len(keys) > 2 && keys[0] < key {
		if err := t.Store.Delete(ctx, keys[0]); err != nil {
			return nil
		}
		keys = keys[1:]
	}
	return nil
}

func (t TierCheckpoints) list(ctx context.Context, container int) ([]string, error) {
	var keys []string
	after := ""
	for {
		objs, err := t.Store.List(ctx, checkpointPrefix(container), after, 1000)
		if err != nil {
			return nil, fmt.Errorf("listing checkpoints of container %d: %w", container, err)
		}
		for _, o := range objs {
			keys = append(keys, o.Key)
		}
		if len(objs) < 1000 {
			return keys, nil
		}
		after = objs[len(objs)-1].Key
	}
}
