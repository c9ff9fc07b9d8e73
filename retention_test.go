package braid_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/braidstream/braid"
	braidv1 "github.com/braidstream/braid/api/braid/v1"
)

// Retention policies round-trip through the server, and only they can be
// updated. (That retention truncates, and that reads below then fail with
// TRUNCATED, is tested in internal/controller over the real segment store;
// TestTruncateStream in test/e2e shows the same truncation path to clients.)
func TestRetentionPolicy(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)

	bySize := &braid.RetentionPolicy{Type: braid.RetentionBySize, MinBytes: 512 << 20, MaxBytes: 10 << 30}
	info, err := c.CreateStream(ctx, "ret/s", braid.StreamConfig{Segments: 2, Retention: bySize, CreateScope: true})
	if err != nil {
		t.Fatal(err)
	}
	if info.Retention == nil || *info.Retention != *bySize {
		t.Fatalf("created with retention %+v, want %+v", info.Retention, bySize)
	}
	if info, err := c.GetStream(ctx, "ret/s"); err != nil || info.Retention == nil || *info.Retention != *bySize {
		t.Fatalf("get: retention %+v (%v), want %+v", info.Retention, err, bySize)
	}
	createStream(t, c, "ret/none", 1)
	streams, err := c.ListStreams(ctx, "ret")
	if err != nil || len(streams) != 2 || streams[1].Retention == nil || streams[0].Retention != nil {
		t.Fatalf("list: %+v %v", streams, err)
	}

	byTime := &braid.RetentionPolicy{Type: braid.RetentionByTime, MinTime: time.Hour, MaxTime: 7 * 24 * time.Hour}
	info, err = c.UpdateStream(ctx, "ret/s", braid.StreamConfig{Retention: byTime})
	if err != nil || info.Retention == nil || *info.Retention != *byTime || info.Segments != 2 {
		t.Fatalf("update to by time: %+v %v", info, err)
	}
	if info, err := c.GetStream(ctx, "ret/s"); err != nil || *info.Retention != *byTime {
		t.Fatalf("get after update: %+v %v", info.Retention, err)
	}
	if _, err := c.UpdateStream(ctx, "ret/s", braid.StreamConfig{Segments: 3, Retention: byTime}); !errors.Is(err, braid.ErrInvalidArgument) ||
		!strings.Contains(err.Error(), "segments cannot be changed (ret/s has 2, the update asks for 3)") {
		t.Fatalf("update of segments: %v", err)
	}
	if info, err := c.UpdateStream(ctx, "ret/s", braid.StreamConfig{Segments: 2}); err != nil || info.Retention != nil {
		t.Fatalf("update removing the policy: %+v %v", info, err)
	}
	if _, err := c.UpdateStream(ctx, "ret/nope", braid.StreamConfig{}); !errors.Is(err, braid.ErrNotFound) {
		t.Fatalf("update of a missing stream: %v", err)
	}

	// The client's own checks.
	for _, tc := range []struct {
		cfg  braid.StreamConfig
		want string
	}{
		{braid.StreamConfig{Retention: &braid.RetentionPolicy{}}, "retention: Type RetentionType(0): want RetentionByTime or RetentionBySize"},
		{braid.StreamConfig{Retention: &braid.RetentionPolicy{Type: braid.RetentionByTime}}, "retention: MaxTime 0s must be at least 1ms"},
		{braid.StreamConfig{Retention: &braid.RetentionPolicy{Type: braid.RetentionByTime, MinTime: 2 * time.Hour, MaxTime: time.Hour}}, "MinTime 2h0m0s is more than MaxTime 1h0m0s"},
		{braid.StreamConfig{Retention: &braid.RetentionPolicy{Type: braid.RetentionByTime, MaxTime: time.Hour, MaxBytes: 1}}, "MinBytes and MaxBytes must be 0 with RetentionByTime"},
		{braid.StreamConfig{Retention: &braid.RetentionPolicy{Type: braid.RetentionBySize, MaxBytes: -1}}, "MaxBytes -1 must be positive"},
		{braid.StreamConfig{Retention: &braid.RetentionPolicy{Type: braid.RetentionBySize, MinBytes: 2, MaxBytes: 1}}, "MinBytes 2 is more than MaxBytes 1"},
		{braid.StreamConfig{CreateScope: true}, "CreateScope is for CreateStream only"},
	} {
		if _, err := c.UpdateStream(ctx, "ret/s", tc.cfg); !errors.Is(err, braid.ErrInvalidArgument) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("update with %+v: %v, want ErrInvalidArgument with %q", tc.cfg, err, tc.want)
		}
	}
	if _, err := c.CreateStream(ctx, "ret/bad", braid.StreamConfig{Retention: &braid.RetentionPolicy{Type: braid.RetentionBySize}}); !errors.Is(err, braid.ErrInvalidArgument) {
		t.Errorf("create with a bad policy: %v", err)
	}
}

// The server checks policies itself, for clients in other languages.
func TestRetentionPolicyServerChecks(t *testing.T) {
	ts := newServer(t)
	c := dial(t, ts)
	ctx := testCtx(t, 30*time.Second)
	createStream(t, c, "ret/s", 1)
	conn, err := grpc.NewClient(ts.GRPCAddr(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	admin := braidv1.NewStreamServiceClient(conn)
	byTime := func(min, max int64) *braidv1.RetentionPolicy {
		return &braidv1.RetentionPolicy{Policy: &braidv1.RetentionPolicy_ByTime{ByTime: &braidv1.RetentionByTime{MinMs: min, MaxMs: max}}}
	}
	bySize := func(min, max int64) *braidv1.RetentionPolicy {
		return &braidv1.RetentionPolicy{Policy: &braidv1.RetentionPolicy_BySize{BySize: &braidv1.RetentionBySize{MinBytes: min, MaxBytes: max}}}
	}
	for _, tc := range []struct {
		name string
		cfg  *braidv1.StreamConfig
		want string
	}{
		{"no config", nil, "no config"},
		{"empty policy", &braidv1.StreamConfig{Retention: &braidv1.RetentionPolicy{}}, "retention policy sets neither by_time nor by_size"},
		{"no max time", &braidv1.StreamConfig{Retention: byTime(0, 0)}, "retention: max time 0s must be positive"},
		{"min over max time", &braidv1.StreamConfig{Retention: byTime(2000, 1000)}, "retention: min time 2s is more than max time 1s"},
		{"time overflow", &braidv1.StreamConfig{Retention: byTime(0, 1<<62)}, "retention by time: max_ms 4611686018427387904 is too large"},
		{"no max bytes", &braidv1.StreamConfig{Retention: bySize(0, 0)}, "retention: max bytes 0 must be positive"},
		{"negative min bytes", &braidv1.StreamConfig{Retention: bySize(-1, 10)}, "retention: min bytes -1 must not be negative"},
		{"segments", &braidv1.StreamConfig{Segments: 5}, "segments cannot be changed"},
	} {
		_, err := admin.UpdateStream(ctx, &braidv1.UpdateStreamRequest{Scope: "ret", Stream: "s", Config: tc.cfg})
		if st, _ := status.FromError(err); st.Code() != codes.InvalidArgument || !strings.Contains(st.Message(), tc.want) {
			t.Errorf("%s: %v, want InvalidArgument with %q", tc.name, err, tc.want)
		}
	}
	_, err = admin.CreateStream(ctx, &braidv1.CreateStreamRequest{Scope: "ret", Stream: "t", Config: &braidv1.StreamConfig{Retention: bySize(5, 1)}})
	if st, _ := status.FromError(err); st.Code() != codes.InvalidArgument || !strings.Contains(st.Message(), "min bytes 5 is more than max bytes 1") {
		t.Errorf("create with min over max: %v", err)
	}
	// Milliseconds round-trip exactly.
	resp, err := admin.UpdateStream(ctx, &braidv1.UpdateStreamRequest{Scope: "ret", Stream: "s", Config: &braidv1.StreamConfig{Retention: byTime(1, 1234567)}})
	if err != nil || resp.GetStream().GetConfig().GetRetention().GetByTime().GetMaxMs() != 1234567 || resp.GetStream().GetConfig().GetRetention().GetByTime().GetMinMs() != 1 {
		t.Fatalf("update by time: %v %v", resp, err)
	}
}
