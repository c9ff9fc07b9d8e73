package segstore

import "github.com/braidstream/braid/internal/storage/wal"

// OpenLocalLog opens a local WAL in dir as a Log, for the conformance
// suite (log_conformance_test.go).
func OpenLocalLog(dir string, fileSize int64) (Log, error) {
	w, err := wal.Open(wal.Options{Dir: dir, FileSize: fileSize, MaxRecordSize: 2 << 20})
	if err != nil {
		return nil, err
	}
	return localLog{w}, nil
}
