package sql

import (
	"os"
	"strings"
	"testing"
)

func TestCatalog(t *testing.T) {
	for _, f := range Funcs() {
		if f.Name != strings.ToLower(f.Name) || f.Signature == "" || f.Doc == "" || f.MinArgs < 1 {
			t.Errorf("bad catalog entry %+v", f)
		}
		if g, ok := LookupFunc(strings.ToUpper(f.Name)); !ok || g.Name != f.Name {
			t.Errorf("LookupFunc(%q) = %v, %v", strings.ToUpper(f.Name), g, ok)
		}
		if f.MaxArgs >= 0 && f.MaxArgs < f.MinArgs {
			t.Errorf("%s: MaxArgs %d < MinArgs %d", f.Name, f.MaxArgs, f.MinArgs)
		}
	}
	for _, name := range []string{"avg", "sum", "count", "tumble"} {
		if _, ok := windowFuncs[name]; ok == (name != "tumble") {
			t.Errorf("window function %q: %v", name, ok)
		}
	}
	if _, ok := LookupFunc("tumble"); ok {
		t.Error("TUMBLE is in the catalog of functions")
	}
	for _, c := range []struct{ in, want string }{
		{"avgg", "avg"}, {"lowr", "lower"}, {"cnt", ""}, {"coalese", "coalesce"}, {"tumbel", "tumble"},
		{"xyzzy", ""}, {"count_distinc", "count_distinct"}, {strings.Repeat("a", 100), ""},
	} {
		if got := suggestFunc(c.in); got != c.want {
			t.Errorf("suggestFunc(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestDocs checks that docs/sql.md lists every function and option.
func TestDocs(t *testing.T) {
	b, err := os.ReadFile("../../../docs/sql.md")
	if err != nil {
		t.Skipf("no docs: %v", err)
	}
	doc := string(b)
	for _, f := range Funcs() {
		if !strings.Contains(doc, "`"+f.Name+"(") && !strings.Contains(doc, ", "+f.Name+"(") {
			t.Errorf("docs/sql.md does not describe %s", f.Signature)
		}
	}
	for _, name := range optionNames() {
		if !strings.Contains(doc, "| `"+name+"` |") {
			t.Errorf("docs/sql.md does not list the option %s", name)
		}
	}
	for _, w := range windowFuncs {
		if !strings.Contains(doc, w.signature) {
			t.Errorf("docs/sql.md does not describe %s", w.signature)
		}
	}
}
