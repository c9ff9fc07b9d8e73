package segstore_test

import (
	"testing"

	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/internal/storage/segstore/logtest"
)

// TestLocalLogConformance runs the durable-log suite against the local
// WAL, with 4 MiB files: the 1 MiB record spans most of one.
func TestLocalLogConformance(t *testing.T) {
	logtest.Run(t, func(t *testing.T) logtest.Opener {
		dir := t.TempDir()
		return func(t *testing.T, _ uint64) segstore.Log {
			l, err := segstore.OpenLocalLog(dir, 4<<20)
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
	})
}
