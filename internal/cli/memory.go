package cli

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// physicalMemory is the machine's memory in bytes from /proc/meminfo, or 0
// where that is unknown (then memory-sized flags are not bounded by it).
func physicalMemory() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			kb, err := strconv.ParseInt(fields[1], 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}
