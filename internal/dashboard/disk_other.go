//go:build !linux && !darwin

package dashboard

import "errors"

// DiskUsage is not available on this system.
func DiskUsage(string) (total, free uint64, err error) {
	return 0, 0, errors.New("disk usage is not available on this system")
}
