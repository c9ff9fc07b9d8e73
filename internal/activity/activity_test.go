package activity

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/braidstream/braid/internal/meta"
)

type countRecorder struct{ n int }

func (c *countRecorder) Record(string, string, uint64, int, int) { c.n++ }

// TestSurvivesRestart: times noted, saved and loaded by a new tracker are
// the same; a deleted stream's are gone; batches pass on.
func TestSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")
	store, err := meta.OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	next := &countRecorder{}
	tr := New(store, next, nil)
	tr.Record("s", "written", 0, 1, 10)
	tr.Read("s", "read", 2, 20)
	tr.Read("s", "empty", 0, 0) // a read of nothing is no activity
	tr.Record("s", "gone", 0, 1, 10)
	if next.n != 2 {
		t.Errorf("%d batches passed on, want 2", next.n)
	}
	want := map[string]Times{"written": tr.Get("s", "written"), "read": tr.Get("s", "read")}
	if want["written"].Write.IsZero() || !want["written"].Read.IsZero() || want["read"].Read.IsZero() || !tr.Get("s", "empty").Read.IsZero() {
		t.Fatalf("times %+v, empty %+v", want, tr.Get("s", "empty"))
	}
	if err := tr.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if err := tr.StreamDeleted(ctx, "s", "gone"); err != nil {
		t.Fatal(err)
	}
	store.Close()

	store, err = meta.OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	tr = New(store, nil, nil)
	if err := tr.Load(ctx); err != nil {
		t.Fatal(err)
	}
	for name, w := range want {
		if got := tr.Get("s", name); !got.Write.Equal(w.Write) || !got.Read.Equal(w.Read) {
			t.Errorf("%s after a restart: %+v, want %+v", name, got, w)
		}
	}
	if got := tr.Get("s", "gone"); !got.Write.IsZero() {
		t.Errorf("a deleted stream's times came back: %+v", got)
	}
}

// TestRefreshTakesOtherNodesTimes: two nodes' trackers over one store: what
// one saves, the other's Refresh takes in, and a later time a tracker
// noted itself stays.
func TestRefreshTakesOtherNodesTimes(t *testing.T) {
	ctx := context.Background()
	store, err := meta.OpenBolt(filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	a, b := New(store, nil, nil), New(store, nil, nil)
	b.Record("s", "both", 0, 1, 10) // b's is the older
	a.Record("s", "only-a", 0, 1, 10)
	a.Read("s", "both", 1, 10)
	a.Record("s", "both", 0, 1, 10)
	if err := a.Save(ctx); err != nil {
		t.Fatal(err)
	}
	b.Read("s", "only-a", 1, 10) // b's read is the later
	if err := b.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := b.Get("s", "only-a"), a.Get("s", "only-a"); !got.Write.Equal(want.Write) || got.Read.IsZero() || got.Read.Before(want.Write) {
		t.Errorf("only-a at b: %+v; a saved %+v, b read later", got, want)
	}
	if got, want := b.Get("s", "both"), a.Get("s", "both"); !got.Write.Equal(want.Write) || !got.Read.Equal(want.Read) {
		t.Errorf("both at b: %+v, want a's later %+v", got, want)
	}
}
