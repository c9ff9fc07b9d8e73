package s3log

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/braidstream/braid/internal/storage/segstore"
	"github.com/braidstream/braid/internal/storage/wal"
	"github.com/braidstream/braid/internal/tier2/s3"
)

// faultyTransport injects faults into an owner's S3 requests, at random
// (seeded): a PUT that lands but whose answer is lost, 500 and 503
// answers that never reach the server, a 412 for a slot nobody wrote
// (what S3 answers a conditional PUT racing a failed one), and slow
// requests.
type faultyTransport struct {
	next aws.HTTPClient

	mu     sync.Mutex
	rng    *rand.Rand
	counts map[string]int
}

func (f *faultyTransport) roll() (string, time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var kind string
	switch x := f.rng.Float64(); {
	case x < 0.10:
		kind = "lost answer"
	case x < 0.17:
		kind = "500"
	case x < 0.24:
		kind = "503"
	case x < 0.28:
		kind = "412"
	case x < 0.40:
		kind = "slow"
	}
	f.counts[kind]++
	return kind, time.Duration(f.rng.Intn(30)) * time.Millisecond
}

func answer(req *http.Request, code int, body string) *http.Response {
	return &http.Response{StatusCode: code, Status: http.StatusText(code), Header: http.Header{"Content-Type": {"application/xml"}},
		Body: io.NopCloser(strings.NewReader(body)), Request: req, ContentLength: int64(len(body))}
}

func (f *faultyTransport) Do(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodPut {
		return f.next.Do(req)
	}
	kind, delay := f.roll()
	switch kind {
	case "lost answer":
		resp, err := f.next.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		return nil, errors.New("injected: connection reset after the request was sent")
	case "500", "503":
		code := map[string]int{"500": 500, "503": 503}[kind]
		return answer(req, code, "<Error><Code>InternalError</Code><Message>injected</Message></Error>"), nil
	case "412":
		return answer(req, 412, "<Error><Code>PreconditionFailed</Code><Message>injected</Message></Error>"), nil
	case "slow":
		time.Sleep(delay)
	}
	return f.next.Do(req)
}

// TestTransportFaults: an owner appends through a transport that loses
// answers, fails with 5xx and 412, and is slow, while a second owner takes
// over in the middle: every record the first acknowledged is replayed by
// the second exactly once, in order, and nothing it did not acknowledge
// appears after the takeover's fence.
func TestTransportFaults(t *testing.T) {
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	backend := s3mem.New()
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	if err := backend.CreateBucket("log"); err != nil {
		t.Fatal(err)
	}
	ft := &faultyTransport{rng: rand.New(rand.NewSource(seed)), counts: map[string]int{}}
	faulty, err := s3.New(context.Background(), s3.Config{Bucket: "log", Endpoint: srv.URL, AccessKey: "a", SecretKey: "b", PathStyle: true,
		MaxAttempts: 2, WrapHTTPClient: func(c aws.HTTPClient) aws.HTTPClient { ft.next = c; return ft }})
	if err != nil {
		t.Fatal(err)
	}
	clean, err := s3.New(context.Background(), s3.Config{Bucket: "log", Endpoint: srv.URL, AccessKey: "a", SecretKey: "b", PathStyle: true})
	if err != nil {
		t.Fatal(err)
	}

	first, err := Open(Options{Bucket: faulty, Container: 7, Epoch: 1, RetryFor: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	noop := func(uint64, wal.Position, []byte) error { return nil }
	if err := first.Replay(context.Background(), segstore.LogStart{LSN: 1}, noop, nil); err != nil {
		t.Fatal(err)
	}
	var acked []string
	const before, total = 150, 300
	for i := range total {
		if i == before {
			// A new owner takes over on a clean transport while the
			// first still runs.
			second, err := Open(Options{Bucket: clean, Container: 7, Epoch: 2})
			if err != nil {
				t.Fatal(err)
			}
			if err := second.Replay(context.Background(), segstore.LogStart{LSN: 1}, noop, nil); err != nil {
				t.Fatal(err)
			}
			second.Close()
		}
		p := fmt.Sprintf("record %d", i)
		if _, err := first.Append([]byte(p), true); err != nil {
			if i < before {
				t.Fatalf("append %d before the takeover: %v", i, err)
			}
			if !errors.Is(err, segstore.ErrFenced) {
				t.Fatalf("append %d after the takeover: %v, want ErrFenced", i, err)
			}
			break
		}
		if i >= before {
			t.Fatalf("append %d after the takeover was acknowledged", i)
		}
		acked = append(acked, p)
	}
	t.Logf("faults injected into PUTs: %v", ft.counts)
	for _, k := range []string{"lost answer", "500", "503", "412"} {
		if ft.counts[k] == 0 {
			t.Errorf("no %q fault was injected: the test proved less than it says", k)
		}
	}
	var replayed []string
	third, err := Open(Options{Bucket: clean, Container: 7, Epoch: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	if err := third.Replay(context.Background(), segstore.LogStart{LSN: 1}, func(_ uint64, _ wal.Position, p []byte) error {
		if len(p) > 0 {
			replayed = append(replayed, string(p))
		}
		return nil
	}, nil); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(replayed) != fmt.Sprint(acked) {
		t.Fatalf("replayed %d records, acknowledged %d:\nreplayed %q\nacked    %q", len(replayed), len(acked), replayed, acked)
	}
	slots, err := Inspect(context.Background(), clean, 7)
	if err != nil {
		t.Fatal(err)
	}
	if bad := CheckOwners(slots); len(bad) > 0 {
		t.Fatalf("owners: %v", bad)
	}
}
