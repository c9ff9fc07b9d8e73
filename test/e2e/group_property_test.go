package e2e

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/braidstream/braid"
)

// TestGroupProperty runs writers over many keys and a reader group whose
// readers join and leave (and, in the crash variant, crash) while the
// stream scales up and down, and checks what the group delivered: per key,
// events new to the group come in write order; nothing is missing; without
// crashes nothing comes twice. BRAID_SEED=n replays a run's choices.
func TestGroupProperty(t *testing.T) {
	for _, crash := range []bool{false, true} {
		t.Run(fmt.Sprintf("crash=%v", crash), func(t *testing.T) { groupProperty(t, crash) })
	}
}

// propReader is one reader of the property test; its goroutine owns it.
type propReader struct {
	id     string
	client *braid.Client
	cmd    chan string // "leave" or "crash"
	done   chan struct{}
}

func groupProperty(t *testing.T, crash bool) {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("BRAID_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("BRAID_SEED: %v", err)
		}
		seed = v
	}
	t.Logf("seed %d (BRAID_SEED=%d replays this run's choices)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 1))

	const writers, keys = 3, 40
	perWriter := 1500
	if testing.Short() {
		perWriter = 500
	}
	ts := newServer(t)
	admin := dial(t, ts)
	ctx := testCtx(t, 3*time.Minute)
	createStream(t, admin, "p/s", 3)
	rg := admin.ReaderGroup("p/g")
	// A crashed reader's connection drops, which removes it at once; the
	// reader timeout is long so that a live reader starved of CPU on a
	// loaded machine is never taken for dead (which would redeliver its
	// uncommitted events, rightly, and fail the no-crash variant).
	if _, err := rg.Create(ctx, braid.ReaderGroupConfig{Streams: []braid.GroupStream{{Stream: "p/s"}}, ReaderTimeout: 30 * time.Second}); err != nil {
		t.Fatal(err)
	}

	var (
		mu    sync.Mutex
		count = map[string]int{}      // payload -> deliveries
		order = map[string][]string{} // writer/key -> payloads, in delivery order
		total atomic.Int64            // distinct payloads delivered
		wg    sync.WaitGroup
	)
	deliver := func(p string) {
		var w, k, i int
		if _, err := fmt.Sscanf(p, "w%d-k%d-%d", &w, &k, &i); err != nil {
			t.Errorf("unexpected event %q", p)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		count[p]++
		if count[p] == 1 {
			total.Add(1)
		}
		key := fmt.Sprintf("w%d-k%d", w, k)
		order[key] = append(order[key], p)
	}

	var readers []*propReader
	nextID := 0
	join := func() {
		pr := &propReader{id: fmt.Sprintf("r%d", nextID), client: dialAddr(t, ts.GRPCAddr()), cmd: make(chan string, 1), done: make(chan struct{})}
		nextID++
		r, err := pr.client.ReaderGroup("p/g").NewReader(ctx, pr.id, braid.WithAutoCommit(20*time.Millisecond))
		if err != nil {
			t.Fatalf("join %s: %v", pr.id, err)
		}
		readers = append(readers, pr)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(pr.done)
			for {
				select {
				case how := <-pr.cmd:
					if how == "crash" {
						pr.client.Close() // the connection drops: no leave
						return
					}
					if err := r.Close(ctx); err != nil {
						t.Errorf("reader %s leaving: %v", pr.id, err)
					}
					return
				default:
				}
				rctx, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
				ev, err := r.Read(rctx)
				cancel()
				switch {
				case err == nil && ev.Checkpoint == "":
					deliver(string(ev.Data))
				case err == nil:
				case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
				default:
					t.Errorf("reader %s: %v", pr.id, err)
					return
				}
			}
		}()
	}
	remove := func(how string) {
		i := rng.IntN(len(readers))
		pr := readers[i]
		readers = append(readers[:i], readers[i+1:]...)
		pr.cmd <- how
		<-pr.done
	}

	// Writers: each numbers its events per key.
	var writeWG sync.WaitGroup
	writeErr := make(chan error, writers)
	for w := range writers {
		wseed := rng.Uint64()
		writeWG.Add(1)
		go func() {
			defer writeWG.Done()
			wrng := rand.New(rand.NewPCG(wseed, 2))
			wr, err := admin.NewWriter(ctx, "p/s")
			if err != nil {
				writeErr <- err
				return
			}
			// Paced over about three seconds, so that the churn
			// happens while events flow.
			pace := time.NewTicker(3 * time.Second / time.Duration(perWriter/10))
			defer pace.Stop()
			next := make([]int, keys)
			for i := range perWriter {
				if i%10 == 0 {
					<-pace.C
				}
				k := wrng.IntN(keys)
				wr.Write(ctx, fmt.Sprintf("key-%d", k), fmt.Appendf(nil, "w%d-k%d-%06d", w, k, next[k]))
				next[k]++
				if wrng.IntN(50) == 0 {
					if err := wr.Flush(ctx); err != nil {
						writeErr <- fmt.Errorf("writer %d: %w", w, err)
						return
					}
				}
			}
			if err := wr.Close(ctx); err != nil {
				writeErr <- fmt.Errorf("writer %d: %w", w, err)
			}
		}()
	}
	writersDone := make(chan struct{})
	go func() {
		writeWG.Wait()
		close(writersDone)
	}()

	// Churn while the writers run: readers join, leave and crash, and
	// segments split and merge.
	join()
	join()
	actions := map[string]int{}
	for churning := true; churning; {
		select {
		case <-writersDone:
			churning = false
			continue
		case <-time.After(time.Duration(20+rng.IntN(60)) * time.Millisecond):
		}
		info, err := admin.GetStream(ctx, "p/s")
		if err != nil {
			t.Fatal(err)
		}
		cur := info.Epochs[len(info.Epochs)-1].Segments
		switch a := rng.IntN(5); {
		case a == 0 && len(readers) < 5:
			join()
			actions["join"]++
		case a == 1 && len(readers) > 1:
			how := "leave"
			if crash && rng.IntN(2) == 0 {
				how = "crash"
			}
			remove(how)
			actions[how]++
		case a == 2 && len(cur) < 8:
			s := cur[rng.IntN(len(cur))]
			if _, err := admin.SplitSegment(ctx, "p/s", s.ID, 2); err != nil {
				t.Fatalf("split %016x: %v", s.ID, err)
			}
			actions["split"]++
		case a == 3 && len(cur) > 2:
			i := rng.IntN(len(cur) - 1)
			if _, err := admin.MergeSegments(ctx, "p/s", cur[i].ID, cur[i+1].ID); err != nil {
				t.Fatalf("merge %016x %016x: %v", cur[i].ID, cur[i+1].ID, err)
			}
			actions["merge"]++
		}
	}
	close(writeErr)
	for err := range writeErr {
		t.Fatal(err)
	}
	t.Logf("actions: %v; %d readers at the end", actions, len(readers))

	want := int64(writers * perWriter)
	waitUntil(t, "every event delivered", time.Minute, func() bool { return total.Load() == want })
	for len(readers) > 0 {
		remove("leave")
	}
	wg.Wait()

	dups := 0
	for p, n := range count {
		if n > 1 {
			dups++
			if !crash {
				t.Errorf("%s delivered %d times in a run without crashes", p, n)
			}
		}
	}
	for key, ps := range order {
		last := ""
		seen := map[string]bool{}
		for _, p := range ps {
			if seen[p] {
				continue // a redelivery after a crash
			}
			seen[p] = true
			if p < last {
				t.Errorf("%s: %s delivered after %s", key, p, last)
			}
			last = p
		}
	}
	t.Logf("%d events, %d delivered more than once", want, dups)
}
