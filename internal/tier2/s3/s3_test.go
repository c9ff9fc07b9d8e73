package s3

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/braidstream/braid/internal/tier2"
	"github.com/braidstream/braid/internal/tier2/tier2test"
)

const (
	testAccessKey = "braidtestkey"
	testSecretKey = "braidtestsecret123"
)

var bucketSeq atomic.Int64

// freshStore creates a new bucket on the server at endpoint and returns a
// Store over it (with a prefix, so the key layout is exercised too).
func freshStore(t *testing.T, endpoint string) tier2.Store {
	t.Helper()
	ctx := context.Background()
	bucket := fmt.Sprintf("braid-test-%d-%d", os.Getpid(), bucketSeq.Add(1))
	s, err := New(ctx, Config{
		Bucket: bucket, Prefix: "tier2/x", Endpoint: endpoint,
		AccessKey: testAccessKey, SecretKey: testSecretKey, PathStyle: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Client().CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatalf("create bucket %s: %v", bucket, err)
	}
	return s
}

func TestConformanceFake(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: gofakes3.New(s3mem.New()).Server()}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	endpoint := "http://" + ln.Addr().String()
	tier2test.Run(t, func(t *testing.T) tier2.Store { return freshStore(t, endpoint) })
}

func freePort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestConformanceVersityGW runs the suite against a real S3 server:
// versitygw with its posix backend in a temporary directory.
func TestConformanceVersityGW(t *testing.T) {
	bin := tier2test.FindVersityGW()
	if bin == "" {
		const how = "versitygw not found (set BRAID_VERSITYGW, or install it: " +
			"go install github.com/versity/versitygw/cmd/versitygw@v1.8.0)"
		if os.Getenv("CI") == "true" {
			t.Fatal(how)
		}
		t.Skip(how)
	}
	addr := freePort(t)
	dir := t.TempDir()
	var logs strings.Builder
	cmd := exec.Command(bin, "--port", addr, "posix", dir)
	cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+testAccessKey, "ROOT_SECRET_KEY="+testSecretKey)
	cmd.Stdout = &syncWriter{b: &logs}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("versitygw output:\n%s", cmd.Stdout.(*syncWriter).String())
		}
	})

	endpoint := "http://" + addr
	probe, err := New(context.Background(), Config{
		Bucket: "probe", Endpoint: endpoint, AccessKey: testAccessKey, SecretKey: testSecretKey, PathStyle: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err := probe.Client().ListBuckets(ctx, &s3.ListBucketsInput{})
		cancel()
		if err == nil {
			break
		}
		select {
		case werr := <-exited:
			exited <- werr
			t.Fatalf("versitygw exited early (%v):\n%s", werr, cmd.Stdout.(*syncWriter).String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("versitygw at %s not ready after 20s: %v", addr, err)
		}
	}
	tier2test.Run(t, func(t *testing.T) tier2.Store { return freshStore(t, endpoint) })
}

type syncWriter struct {
	mu sync.Mutex
	b  *strings.Builder
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		in             string
		bucket, prefix string
	}{
		{"s3://my-bucket", "my-bucket", ""},
		{"s3://my-bucket/", "my-bucket", ""},
		{"s3://my.bucket/braid/tier2", "my.bucket", "braid/tier2"},
		{"s3://bkt/braid/tier2/", "bkt", "braid/tier2"},
	} {
		cfg, err := ParseURL(tc.in)
		if err != nil || cfg.Bucket != tc.bucket || cfg.Prefix != tc.prefix {
			t.Errorf("ParseURL(%q) = %+v, %v; want bucket %q prefix %q", tc.in, cfg, err, tc.bucket, tc.prefix)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"", "scheme must be \"s3\""},
		{"s3://", "missing bucket"},
		{"s3:///prefix", "missing bucket"},
		{"s3:bucket/prefix", "missing \"//\""},
		{"http://bucket/prefix", "scheme must be \"s3\""},
		{"gs://bucket", "scheme must be \"s3\""},
		{"bucket/prefix", "scheme must be \"s3\""},
		{"s3://b", "3 to 63 characters"},
		{"s3://My_Bucket", "not allowed"},
		{"s3://-bucket", "start and end"},
		{"s3://bucket:9000/p", "not a server address"},
		{"s3://key:secret@bucket/p", "credentials"},
		{"s3://bucket/p?region=x", "no query"},
		{"s3://bucket/a//b", "bad prefix"},
		{"s3://bucket/a/../b", "bad prefix"},
		{"s3://bucket/a%20b", "bad prefix"},
		{"s3://bucket/a~b", "bad prefix"},
		{"s3://bucket//", "bad prefix"},
		{"s3://bucket/%zz", "bad URL"},
	} {
		cfg, err := ParseURL(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseURL(%q) = %+v, %v; want an error containing %q", tc.in, cfg, err, tc.want)
		}
	}
	if _, err := ParseURL("s3://bucket/a//b"); !errors.Is(err, tier2.ErrInvalidKey) {
		t.Errorf("bad prefix error does not wrap ErrInvalidKey: %v", err)
	}
}

func TestNewValidates(t *testing.T) {
	ctx := context.Background()
	for _, cfg := range []Config{
		{},
		{Bucket: "ab"},
		{Bucket: "bucket", Prefix: "a//b"},
		{Bucket: "bucket", SecretKey: "s"},
	} {
		if _, err := New(ctx, cfg); err == nil {
			t.Errorf("New(%+v) succeeded", cfg)
		}
	}
	s, err := New(ctx, Config{Bucket: "bucket", Prefix: "/a/b/", AccessKey: "k", SecretKey: "s"})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.objectKey("c/d"); got != "a/b/c/d" {
		t.Errorf("objectKey = %q, want a/b/c/d", got)
	}
	s, err = New(ctx, Config{Bucket: "bucket", AccessKey: "k", SecretKey: "s"})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.objectKey("c/d"); got != "c/d" {
		t.Errorf("objectKey without prefix = %q, want c/d", got)
	}
}

// Edge cases beyond the suite: ranges that would overflow, negative
// offsets, and a missing bucket not being mistaken for a missing object.
func TestGetRangeEdges(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: gofakes3.New(s3mem.New()).Server()}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	endpoint := "http://" + ln.Addr().String()
	ctx := context.Background()
	s := freshStore(t, endpoint)
	if err := s.Put(ctx, "k", []byte("0123456789")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		off, n int64
		want   string
	}{
		{3, math.MaxInt64, "3456789"}, {0, math.MaxInt64, "0123456789"}, {-5, 2, "01"}, {9, 1, "9"}, {10, 1, ""},
	} {
		if got, err := s.GetRange(ctx, "k", tc.off, tc.n); err != nil || string(got) != tc.want {
			t.Errorf("GetRange(%d, %d) = %q, %v; want %q", tc.off, tc.n, got, err, tc.want)
		}
	}
	nb, err := New(ctx, Config{Bucket: "no-such-bucket", Endpoint: endpoint,
		AccessKey: testAccessKey, SecretKey: testSecretKey, PathStyle: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := nb.GetRange(ctx, "k", 0, -1); err == nil || errors.Is(err, tier2.ErrNotFound) || !strings.Contains(err.Error(), `"k"`) {
		t.Errorf("GetRange in a missing bucket: %v; want a non-ErrNotFound error naming the key", err)
	}
}
