//go:build linux || darwin

package dashboard

import "syscall"

// DiskUsage is the total and free (available to unprivileged users)
// bytes of the filesystem holding dir.
func DiskUsage(dir string) (total, free uint64, err error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, 0, err
	}
	bs := uint64(st.Bsize)
	return uint64(st.Blocks) * bs, uint64(st.Bavail) * bs, nil
}
