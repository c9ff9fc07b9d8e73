package segstore

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/braidstream/braid/internal/vfs"
)

func TestCheckLayout(t *testing.T) {
	dir := t.TempDir()
	n, err := CheckLayout(vfs.OS{}, dir, 0, 4)
	if err != nil || n != 4 {
		t.Fatalf("new directory: %d, %v; want 4 containers", n, err)
	}
	if n, err := CheckLayout(vfs.OS{}, dir, 4, 4); err != nil || n != 4 {
		t.Fatalf("same count again: %d, %v", n, err)
	}
	if _, err := CheckLayout(vfs.OS{}, dir, 8, 4); err == nil || !strings.Contains(err.Error(), "created with 4 containers") {
		t.Fatalf("another count: %v, want a refusal naming the directory's count", err)
	}
	if err := os.WriteFile(filepath.Join(dir, layoutFile), []byte(`{"format":1,"containers":4}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := CheckLayout(vfs.OS{}, dir, 0, 4); err == nil || !strings.Contains(err.Error(), "layout format 1") {
		t.Fatalf("format 1: %v, want a refusal naming the format", err)
	}

	// The file is written durably: a failed sync leaves no layout file
	// (and no temporary one), so the next start writes it again.
	dir2 := t.TempDir()
	efs := vfs.NewErrorFS(vfs.OS{})
	efs.SetInjector(func(op vfs.Op, _ string) error {
		if op == vfs.OpSync {
			return syscall.EIO
		}
		return nil
	})
	if _, err := CheckLayout(efs, dir2, 2, 4); !errors.Is(err, syscall.EIO) {
		t.Fatalf("failed sync: %v, want EIO", err)
	}
	if ents, _ := os.ReadDir(dir2); len(ents) != 0 {
		t.Fatalf("a failed write left %d files", len(ents))
	}
	efs.SetInjector(nil)
	if n, err := CheckLayout(efs, dir2, 2, 4); err != nil || n != 2 {
		t.Fatalf("after the failure: %d, %v", n, err)
	}
}
