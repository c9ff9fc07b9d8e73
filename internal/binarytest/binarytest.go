// Package binarytest builds the braid binary for tests that run it as a
// user does (test/fault, test/cli).
package binarytest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Build builds ./cmd/braid of this module into dir and returns the
// binary's path.
func Build(dir string) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, "braid")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "./cmd/braid")
	cmd.Dir = root
	var buf bytes.Buffer
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/braid in %s: %v\n%s", root, err, buf.String())
	}
	return out, nil
}

// moduleRoot finds the directory of the module's go.mod.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err == nil {
		if gomod := strings.TrimSpace(string(out)); gomod != "" && gomod != os.DevNull {
			return filepath.Dir(gomod), nil
		}
	}
	// Fall back to the layout: tests run in test/<name> under the root.
	root, aerr := filepath.Abs(filepath.Join("..", ".."))
	if aerr != nil {
		return "", aerr
	}
	if _, serr := os.Stat(filepath.Join(root, "go.mod")); serr != nil {
		return "", fmt.Errorf("module root not found (go env GOMOD: %v; %v)", err, serr)
	}
	return root, nil
}
