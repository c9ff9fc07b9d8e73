package layout

import (
	"bufio"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// importRule is one rule on what a set of packages may import. Only direct
// imports are checked; a rule on a package that others build on (such as
// internal/vfs) is what keeps a path through it closed.
type importRule struct {
	// name is the rule as a failure states it.
	name string
	// applies reports whether the rule holds for the package at import path
	// pkg.
	applies func(pkg string) bool
	// tests is whether the package's _test.go files are held to the rule
	// too.
	tests bool
	// forbids reports whether the rule forbids importing imp.
	forbids func(imp string) bool
}

// under returns a matcher for p and every package below it.
func under(p string) func(string) bool {
	return func(s string) bool { return s == p || strings.HasPrefix(s, p+"/") }
}

// is returns a matcher for p alone.
func is(p string) func(string) bool {
	return func(s string) bool { return s == p }
}

// anyOf returns a matcher for what any of ms matches.
func anyOf(ms ...func(string) bool) func(string) bool {
	return func(s string) bool {
		for _, m := range ms {
			if m(s) {
				return true
			}
		}
		return false
	}
}

// importRules returns the rules for the module at path mod.
func importRules(mod string) []importRule {
	in := func(p string) string { return mod + "/" + p }
	return []importRule{
		{
			name:    "the public client (root package braid) imports nothing from internal/",
			applies: is(mod),
			// The client's own tests in package braid_test start a real
			// server (internal/server) to talk to; what users import is the
			// non-test files.
			tests:   false,
			forbids: under(in("internal")),
		},
		{
			name:    "the storage engine (internal/storage/...) imports no network, metadata or controller code",
			applies: under(in("internal/storage")),
			tests:   true,
			forbids: anyOf(
				// Network: the standard library's net (no part of the
				// engine needs even its errors), gRPC, the generated
				// service code, the public client and the two APIs.
				under("net"),
				under("google.golang.org/grpc"),
				under(in("api")),
				is(mod),
				under(in("internal/grpcapi")),
				under(in("internal/httpapi")),
				// Metadata and control: what decides about streams sits
				// above the engine and calls into it.
				under(in("internal/meta")),
				under(in("internal/controller")),
				under(in("internal/group")),
				under(in("internal/autoscale")),
				// Wiring and the command line build on everything.
				under(in("internal/server")),
				under(in("internal/cli")),
			),
		},
		{
			name:    "tier 2 (internal/tier2/...) imports nothing of braid's but internal/vfs",
			applies: under(in("internal/tier2")),
			tests:   true,
			// Its own packages are allowed: s3 implements the interface and
			// tier2test is the conformance suite every backend runs.
			forbids: func(imp string) bool {
				return under(mod)(imp) &&
					!under(in("internal/tier2"))(imp) &&
					!is(in("internal/vfs"))(imp)
			},
		},
		{
			name:    "internal/vfs imports nothing of braid's (the storage engine and tier 2 both build on it)",
			applies: is(in("internal/vfs")),
			tests:   true,
			forbids: under(mod),
		},
		{
			name:    "the HTTP API (internal/httpapi) does not import the gRPC API: both share the error table (internal/errclass)",
			applies: under(in("internal/httpapi")),
			forbids: under(in("internal/grpcapi")),
		},
	}
}

// goFile is what the rules need of one Go file.
type goFile struct {
	rel     string // path from the module root, slash-separated
	pkg     string // import path of its directory
	test    bool   // a _test.go file
	imports []imported
	sleeps  []int // lines that use time.Sleep (non-test files only)
}

type imported struct {
	path string
	line int
}

// violations reports how f breaks rules, one message per import and rule.
func violations(rules []importRule, f goFile) []string {
	var msgs []string
	for _, r := range rules {
		if !r.applies(f.pkg) || (f.test && !r.tests) {
			continue
		}
		for _, imp := range f.imports {
			if r.forbids(imp.path) {
				msgs = append(msgs, fmt.Sprintf("%s:%d: imports %q, which breaks the rule: %s",
					f.rel, imp.line, imp.path, r.name))
			}
		}
	}
	return msgs
}

// sleepLines returns the lines of file that use time.Sleep: as time.Sleep
// under whatever name the file imports "time", or as Sleep when it
// dot-imports it. A use that is not a call (f := time.Sleep) counts too.
func sleepLines(fset *token.FileSet, file *ast.File) []int {
	names := map[string]bool{}
	dot := false
	for _, spec := range file.Imports {
		if p, err := strconv.Unquote(spec.Path.Value); err != nil || p != "time" {
			continue
		}
		switch {
		case spec.Name == nil:
			names["time"] = true
		case spec.Name.Name == ".":
			dot = true
		case spec.Name.Name != "_":
			names[spec.Name.Name] = true
		}
	}
	if len(names) == 0 && !dot {
		return nil
	}
	var lines []int
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if id, ok := n.X.(*ast.Ident); ok && names[id.Name] && n.Sel.Name == "Sleep" {
				lines = append(lines, fset.Position(n.Pos()).Line)
			}
		case *ast.Ident:
			if dot && n.Name == "Sleep" {
				lines = append(lines, fset.Position(n.Pos()).Line)
			}
		}
		return true
	})
	return lines
}

// moduleRoot finds the directory of the go.mod above the working directory
// and the module path it declares.
func moduleRoot(t *testing.T) (dir, mod string) {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		f, err := os.Open(filepath.Join(dir, "go.mod"))
		if err == nil {
			defer f.Close()
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if m, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
					return dir, strings.Trim(strings.TrimSpace(m), `"`)
				}
			}
			t.Fatalf("%s: no module line (%v)", f.Name(), sc.Err())
		}
		if !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// loadModule parses every Go file of the module at root, skipping what the
// go command skips (testdata, directories starting with . or _) and nested
// modules. Files are read whatever their build constraints.
func loadModule(t *testing.T, root, mod string) []goFile {
	t.Helper()
	fset := token.NewFileSet()
	var files []goFile
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			name := d.Name()
			if p == root {
				return nil
			}
			if name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") {
			return nil
		}
		f := goFile{rel: rel, pkg: mod, test: strings.HasSuffix(rel, "_test.go")}
		if dir := path.Dir(rel); dir != "." {
			f.pkg = mod + "/" + dir
		}
		mode := parser.SkipObjectResolution
		if f.test {
			mode |= parser.ImportsOnly
		}
		file, err := parser.ParseFile(fset, p, nil, mode)
		if err != nil {
			return err
		}
		for _, spec := range file.Imports {
			ip, err := strconv.Unquote(spec.Path.Value)
			if err != nil {
				return fmt.Errorf("%s: %w", rel, err)
			}
			f.imports = append(f.imports, imported{ip, fset.Position(spec.Pos()).Line})
		}
		if !f.test {
			f.sleeps = sleepLines(fset, file)
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestImportRules(t *testing.T) {
	root, mod := moduleRoot(t)
	files := loadModule(t, root, mod)
	for _, r := range importRules(mod) {
		// A rule that holds for no file would pass whatever the code did:
		// a moved or renamed package must move its rule too.
		n := 0
		for _, f := range files {
			if r.applies(f.pkg) && (!f.test || r.tests) {
				n++
			}
		}
		if n == 0 {
			t.Errorf("no Go file is held to the rule %q: update the rule to the packages' new paths", r.name)
		}
	}
	for _, f := range files {
		for _, msg := range violations(importRules(mod), f) {
			t.Error(msg)
		}
	}
}

func TestNoTimeSleep(t *testing.T) {
	root, mod := moduleRoot(t)
	nonTest := 0
	for _, f := range loadModule(t, root, mod) {
		if f.test {
			continue
		}
		nonTest++
		for _, line := range f.sleeps {
			t.Errorf("%s:%d: uses time.Sleep, which breaks the rule: no time.Sleep in non-test Go files (wait on a channel, a context or the clock)",
				f.rel, line)
		}
	}
	if nonTest == 0 {
		t.Error("found no non-test Go files in the module")
	}
}

// TestRulesFire checks the rules against imports made up for the purpose,
// so that a rule that matches nothing is caught even while the code keeps
// every rule.
func TestRulesFire(t *testing.T) {
	const mod = "example.com/m"
	tests := []struct {
		pkg, imp string
		test     bool
		want     string // a word of the broken rule's name, "" for none
	}{
		{pkg: mod, imp: mod + "/internal/clock", want: "public client"},
		{pkg: mod, imp: mod + "/internal/server", test: true},
		{pkg: mod, imp: mod + "/wire"},
		{pkg: mod, imp: "google.golang.org/grpc"},
		{pkg: mod + "/internal/storage/wal", imp: "net", want: "storage engine"},
		{pkg: mod + "/internal/storage/wal", imp: "net/http", want: "storage engine"},
		{pkg: mod + "/internal/storage/segstore", imp: "google.golang.org/grpc/codes", want: "storage engine"},
		{pkg: mod + "/internal/storage/segstore", imp: mod + "/internal/meta", want: "storage engine"},
		{pkg: mod + "/internal/storage/segstore", imp: mod + "/internal/controller", want: "storage engine"},
		{pkg: mod + "/internal/storage/segstore", imp: mod + "/internal/grpcapi", test: true, want: "storage engine"},
		{pkg: mod + "/internal/storage/segstore", imp: mod + "/internal/httpapi", want: "storage engine"},
		{pkg: mod + "/internal/storage/segstore", imp: mod + "/internal/group", want: "storage engine"},
		{pkg: mod + "/internal/storage/segstore", imp: mod + "/internal/server", want: "storage engine"},
		{pkg: mod + "/internal/storage/segstore", imp: mod + "/internal/groupx"},
		{pkg: mod + "/internal/storage/segstore", imp: "netx"},
		{pkg: mod + "/internal/storage/segstore", imp: mod + "/internal/tier2"},
		{pkg: mod + "/internal/storage/segstore", imp: mod + "/internal/vfs"},
		{pkg: mod + "/internal/tier2", imp: mod + "/internal/storage/wal", want: "tier 2"},
		{pkg: mod + "/internal/tier2", imp: mod + "/internal/storage/vfs", want: "tier 2"},
		{pkg: mod + "/internal/tier2/s3", imp: mod + "/internal/clock", test: true, want: "tier 2"},
		{pkg: mod + "/internal/tier2/s3", imp: mod + "/internal/tier2"},
		{pkg: mod + "/internal/tier2", imp: mod + "/internal/vfs"},
		{pkg: mod + "/internal/tier2", imp: "net/http"},
		{pkg: mod + "/internal/vfs", imp: mod + "/internal/clock", want: "internal/vfs"},
		{pkg: mod + "/internal/vfs", imp: "syscall"},
		{pkg: mod + "/internal/httpapi", imp: mod + "/internal/grpcapi", want: "HTTP API"},
		{pkg: mod + "/internal/httpapi", imp: mod + "/internal/errclass"},
	}
	rules := importRules(mod)
	for _, tt := range tests {
		f := goFile{rel: "x.go", pkg: tt.pkg, test: tt.test, imports: []imported{{tt.imp, 3}}}
		msgs := violations(rules, f)
		switch {
		case tt.want == "" && len(msgs) != 0:
			t.Errorf("%s importing %q (test %v): got %q, want no violation", tt.pkg, tt.imp, tt.test, msgs)
		case tt.want != "" && len(msgs) != 1:
			t.Errorf("%s importing %q (test %v): got %q, want one violation of the %s rule", tt.pkg, tt.imp, tt.test, msgs, tt.want)
		case tt.want != "":
			for _, part := range []string{"x.go:3", strconv.Quote(tt.imp), tt.want} {
				if !strings.Contains(msgs[0], part) {
					t.Errorf("message %q does not name %q", msgs[0], part)
				}
			}
		}
	}
}

func TestSleepLines(t *testing.T) {
	tests := []struct {
		name, src string
		want      []int
	}{
		{"call", "package p\nimport \"time\"\nfunc f() {\n\ttime.Sleep(1)\n}\n", []int{4}},
		{"alias", "package p\nimport t \"time\"\nfunc f() { t.Sleep(1) }\n", []int{3}},
		{"value", "package p\nimport \"time\"\nvar s = time.Sleep\n", []int{3}},
		{"dot", "package p\nimport . \"time\"\nfunc f() { Sleep(1) }\n", []int{3}},
		{"other", "package p\nimport \"time\"\nfunc f() { time.After(1) }\n", nil},
		{"not time", "package p\nimport time \"example.com/clock\"\nfunc f() { time.Sleep(1) }\n", nil},
		{"no import", "package p\ntype c struct{}\nfunc (c) Sleep() {}\nvar time c\nfunc f() { time.Sleep() }\n", nil},
	}
	for _, tt := range tests {
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, "x.go", tt.src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := sleepLines(fset, file); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s: got lines %v, want %v", tt.name, got, tt.want)
		}
	}
}
