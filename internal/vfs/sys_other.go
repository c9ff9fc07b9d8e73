//go:build !linux

package vfs

import (
	"os"
	"syscall"
)

func fdatasync(f *os.File) error { return f.Sync() }

func fallocate(*os.File, int64) error { return syscall.EOPNOTSUPP }
