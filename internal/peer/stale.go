package peer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/braidstream/braid/internal/storage/segstore"
)

// ownerChecker is what a node's own store says of its ownership
// (*segstore.Store has it).
type ownerChecker interface {
	CheckOwner(ctx context.Context, name string) error
}

// definitive are the answers a node gives from the state in its memory
// that a successor may contradict: a deposed owner that has not written
// since it was deposed (idle, or cut off from etcd) does not know it yet.
var definitive = []error{
	segstore.ErrEventNumberGap, segstore.ErrEventNumberOverlap, segstore.ErrNotFound,
	segstore.ErrTruncated, segstore.ErrOffsetOutOfRange, segstore.ErrSealed,
}

// checkTimeout bounds the ownership check of one answer.
const checkTimeout = 5 * time.Second

// confirm returns err, the answer of local for segment name, once the
// container's log confirms that no successor fenced it; otherwise a
// retryable ErrNotOwner, so that the client asks again and meets the new
// owner. Only definitive answers are checked, each with one GET.
func confirm(ctx context.Context, local Local, name string, err error) error {
	if err == nil || errors.Is(err, segstore.ErrNotOwner) {
		return err
	}
	oc, ok := local.(ownerChecker)
	if !ok {
		return err
	}
	for _, d := range definitive {
		if !errors.Is(err, d) {
			continue
		}
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), checkTimeout)
		defer cancel()
		if cerr := oc.CheckOwner(cctx, name); cerr != nil {
			return fmt.Errorf("%w: %s: not answering %q: %w", segstore.ErrNotOwner, name, err, cerr)
		}
		return err
	}
	return err
}
