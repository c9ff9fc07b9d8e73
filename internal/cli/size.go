package cli

import (
	"math"

	"github.com/dustin/go-humanize"
)

// parseByteSize parses a size flag: plain bytes or a number with a unit
// (512MiB, 2GiB, 1.5GB, 64k).
func parseByteSize(flag, v string) (int64, error) {
	n, err := humanize.ParseBytes(v)
	if err != nil || n > math.MaxInt64 {
		return 0, usagef("invalid %s %q: want a size such as 512MiB, 2GiB or 1048576", flag, v)
	}
	return int64(n), nil
}
