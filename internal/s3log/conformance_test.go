package s3log

import (
	"testing"

	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/internal/storage/segstore/logtest"
)

// TestConformance runs the durable-log suite against the S3 slot log; each
// reopen is a new owner (a higher epoch), as a failover is.
func TestConformance(t *testing.T) {
	logtest.Run(t, func(t *testing.T) logtest.Opener {
		b := bucket(t)
		return func(t *testing.T, epoch uint64) segstore.Log {
			l, err := Open(Options{Bucket: b, Container: 2, Epoch: epoch})
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
	})
}
