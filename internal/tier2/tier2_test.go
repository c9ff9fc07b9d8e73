package tier2_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/braidstream/braid/internal/tier2"
	"github.com/braidstream/braid/internal/tier2/tier2test"
	"github.com/braidstream/braid/internal/vfs"
)

func TestMem(t *testing.T) {
	tier2test.Run(t, func(*testing.T) tier2.Store { return tier2.NewMem() })
}

func TestDir(t *testing.T) {
	tier2test.Run(t, func(t *testing.T) tier2.Store {
		d, err := tier2.NewDir(nil, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return d
	})
}

// A Put that fails half-way (here: the sync) leaves no object and no
// listable temporary file behind.
func TestDirFailedPutLeavesNothing(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	efs := vfs.NewErrorFS(vfs.OS{})
	d, err := tier2.NewDir(efs, root)
	if err != nil {
		t.Fatal(err)
	}
	efs.SetInjector(func(op vfs.Op, path string) error {
		if op == vfs.OpSync {
			return os.ErrPermission
		}
		return nil
	})
	if err := d.Put(ctx, "s/0001", []byte("data")); err == nil || !strings.Contains(err.Error(), "s/0001") {
		t.Fatalf("Put with failing sync: %v", err)
	}
	efs.SetInjector(nil)
	if got, err := d.List(ctx, "", "", 0); err != nil || len(got) != 0 {
		t.Fatalf("after a failed put: %v, %v", got, err)
	}
	ents, _ := os.ReadDir(filepath.Join(root, "s"))
	if len(ents) != 0 {
		t.Fatalf("files left behind: %v", ents)
	}
}
