// Package buildinfo tells which braid this binary is, from Go's build
// information.
package buildinfo

import (
	"runtime"
	"runtime/debug"
)

// Version is the binary's version as Go's build information tells it: the
// module version when built as a dependency, else the VCS revision
// (12 hex digits, "+dirty" for a modified tree), else "devel".
func Version() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			return v
		}
	}
	rev, dirty := vcs()
	if rev == "" {
		return "devel"
	}
	return "devel-" + rev[:min(len(rev), 12)] + dirty
}

// Revision is the VCS revision the binary was built from (with "+dirty"
// for a modified tree), or "unknown".
func Revision() string {
	rev, dirty := vcs()
	if rev == "" {
		return "unknown"
	}
	return rev + dirty
}

// vcs is the revision in the build information ("" if none) and
// "+dirty" for a modified tree.
func vcs() (rev, dirty string) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "", ""
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	return rev, dirty
}

// GoVersion is the Go release the binary was built with.
func GoVersion() string { return runtime.Version() }
