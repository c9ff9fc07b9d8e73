package tier2test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// FindVersityGW returns the path of the versitygw binary (a real S3 server
// the S3 tests run against), or "": $BRAID_VERSITYGW, then PATH, then each
// GOPATH's bin (where `go install` puts it).
func FindVersityGW() string {
	if p := os.Getenv("BRAID_VERSITYGW"); p != "" {
		return p
	}
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		for _, dir := range filepath.SplitList(strings.TrimSpace(string(out))) {
			p := filepath.Join(dir, "bin", "versitygw")
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	return ""
}
