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
func Build(dir string) (string, error) { return BuildPackage(dir, "braid", "./cmd/braid") }

// BuildPackage builds a main package (of this module, or of a module it
// requires at the version go.mod pins, such as etcd's server) into dir as
// name and returns the binary's path.
func BuildPackage(dir, name, pkg string) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, name)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	cmd.Dir = root
	var buf bytes.Buffer
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build %s in %s: %v\n%s", pkg, root, err, buf.String())
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
