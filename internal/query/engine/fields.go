package engine

import (
	"strings"

	"github.com/braidstream/braid/internal/query/sql"
)

// fieldSet registers the field paths a query reads and arranges them as a
// tree, so the JSON scanner decodes only those and skips the rest.
type fieldSet struct {
	names []string // field id → path text (Field.String)
	ids   map[string]int
	root  *pathNode
}

// pathNode is one step of a referenced path. id is the field id of the
// path ending here, or -1 when the path only passes through; below lists
// the ids of the paths that go on through it.
type pathNode struct {
	id       int
	children map[string]*pathNode
	below    []int
}

func newFieldSet() *fieldSet {
	return &fieldSet{ids: map[string]int{}, root: &pathNode{id: -1}}
}

// add registers a field path and returns its id.
func (fs *fieldSet) add(f *sql.Field) int {
	key := strings.Join(f.Path, "\x00")
	if id, ok := fs.ids[key]; ok {
		return id
	}
	id := len(fs.names)
	fs.ids[key] = id
	fs.names = append(fs.names, f.String())
	n := fs.root
	for i, p := range f.Path {
		if i > 0 {
			n.below = append(n.below, id) // a node the path passes through
		}
		if n.children == nil {
			n.children = map[string]*pathNode{}
		}
		c := n.children[p]
		if c == nil {
			c = &pathNode{id: -1}
			n.children[p] = c
		}
		n = c
	}
	n.id = id
	return id
}

// row holds what expressions read: the current event's fields (valid
// where seen[id] == gen), and when results are made, the group's values,
// the aggregates' results and the window's bounds.
type row struct {
	fields []value
	seen   []uint64
	gen    uint64
	// appendTime is the event's append time, 0 when unknown.
	appendTime int64

	groupVals        []value
	aggVals          []value
	winStart, winEnd value
}

func (r *row) field(id int) value {
	if r.seen[id] != r.gen {
		return null
	}
	return r.fields[id]
}

func (r *row) set(id int, v value) {
	r.fields[id] = v
	r.seen[id] = r.gen
}
