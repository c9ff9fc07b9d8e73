package segstore

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/braidstream/braid/internal/vfs"
)

// LayoutFormat is the data directory format this build reads: 2 keeps
// segment data in tier 2 (format 1 kept it in local files).
const LayoutFormat = 2

// layoutFile is the data directory's layout file, <dir>/braid.json.
const layoutFile = "braid.json"

// layout is persisted in the data directory so that a restart with other
// flags cannot misplace segments: the container count decides which
// container holds a segment.
type layout struct {
	Format     int `json:"format"`
	Containers int `json:"containers"`
}

// CheckLayout reads the layout of the data directory dir, or writes it
// (durably: a crash leaves the old file or the new, never a torn one) when
// the directory has none, and returns the container count. containers is
// the one asked for: 0 takes the directory's (newDefault for a new
// directory); any other count must be the directory's.
func CheckLayout(fsys vfs.FS, dir string, containers, newDefault int) (int, error) {
	path := filepath.Join(dir, layoutFile)
	b, err := vfs.ReadFile(fsys, path)
	if errors.Is(err, fs.ErrNotExist) {
		if containers == 0 {
			containers = max(newDefault, 1)
		}
		b, _ := json.Marshal(layout{Format: LayoutFormat, Containers: containers})
		if err := vfs.WriteFile(fsys, path, b); err != nil {
			return 0, fmt.Errorf("writing the layout file: %w", err)
		}
		return containers, nil
	}
	if err != nil {
		return 0, err
	}
	var l layout
	if err := json.Unmarshal(b, &l); err != nil || l.Format < 1 || l.Containers < 1 {
		return 0, fmt.Errorf("%s is not a braid layout file", path)
	}
	if l.Format != LayoutFormat {
		return 0, fmt.Errorf("data directory %s has layout format %d; this braid reads format %d only (format 1 kept segment data in local files, format 2 in tier 2): start with a new data directory", dir, l.Format, LayoutFormat)
	}
	if containers != 0 && containers != l.Containers {
		return 0, fmt.Errorf("data directory %s was created with %d containers; --containers %d cannot change it", dir, l.Containers, containers)
	}
	return l.Containers, nil
}
