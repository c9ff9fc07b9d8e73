package braid_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc"

	"github.com/braidstream/braid"
	braidv1 "github.com/braidstream/braid/api/braid/v1"
)

// BenchmarkWriter measures one writer of one client against an in-process
// server (fsync before every acknowledgement), with 64 routing keys over 4
// segments.
func BenchmarkWriter(b *testing.B) {
	for _, size := range []int{100, 1024} {
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			ts := startServer(b, b.TempDir(), "127.0.0.1:0")
			defer ts.Stop(b)
			c := dialAddr(b, ts.GRPCAddr())
			createStream(b, c, "bench/w", 4)
			ctx := context.Background()
			w, err := c.NewWriter(ctx, "bench/w")
			if err != nil {
				b.Fatal(err)
			}
			defer w.Close(ctx)
			keys := make([]string, 64)
			for i := range keys {
				keys[i] = fmt.Sprintf("key-%d", i)
			}
			payload := make([]byte, size)
			b.SetBytes(int64(size))
			b.ReportAllocs()
			start, cpu := time.Now(), cpuTime()
			for i := 0; b.Loop(); i++ {
				w.Write(ctx, keys[i%len(keys)], payload)
			}
			if err := w.Flush(ctx); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

// BenchmarkReader measures reading back a stream written before the timer
// starts.
func BenchmarkReader(b *testing.B) {
	ts := startServer(b, b.TempDir(), "127.0.0.1:0")
	defer ts.Stop(b)
	c := dialAddr(b, ts.GRPCAddr())
	createStream(b, c, "bench/r", 4)
	ctx := context.Background()
	w, err := c.NewWriter(ctx, "bench/r")
	if err != nil {
		b.Fatal(err)
	}
	payload := make([]byte, 100)
	const n = 200000
	for i := range n {
		w.Write(ctx, fmt.Sprint(i%64), payload)
	}
	if err := w.Close(ctx); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(100)
	b.ReportAllocs()
	var r *braid.Reader
	defer func() {
		if r != nil {
			r.Close()
		}
	}()
	start, cpu := time.Now(), cpuTime()
	for b.Loop() {
		if r == nil {
			if r, err = c.NewReader(ctx, "bench/r", braid.UntilTail()); err != nil {
				b.Fatal(err)
			}
		}
		_, err := r.Next(ctx)
		if errors.Is(err, io.EOF) {
			r.Close()
			r = nil
			continue
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
}

// cpuTime returns the CPU time (user and system) the process used so far,
// in nanoseconds: a cost measure that other load on the machine disturbs
// less than wall time.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// sinkServer acknowledges every batch at once without storing it, to
// measure the client alone.
type sinkServer struct {
	braidv1.UnimplementedStreamServiceServer
	braidv1.UnimplementedDataServiceServer
}

func (sinkServer) ListScopes(context.Context, *braidv1.ListScopesRequest) (*braidv1.ListScopesResponse, error) {
	return &braidv1.ListScopesResponse{}, nil
}

func (sinkServer) Append(stream braidv1.DataService_AppendServer) error {
	open, err := stream.Recv()
	if err != nil {
		return err
	}
	segs := []*braidv1.SegmentRange{{SegmentId: 0, KeyLow: 0, KeyHigh: 0.25}, {SegmentId: 1, KeyLow: 0.25, KeyHigh: 0.5}, {SegmentId: 2, KeyLow: 0.5, KeyHigh: 0.75}, {SegmentId: 3, KeyLow: 0.75, KeyHigh: 1}}
	if err := stream.Send(&braidv1.AppendResponse{Kind: &braidv1.AppendResponse_Opened{Opened: &braidv1.AppendOpened{Writer: open.GetOpen().GetWriter(), Segments: segs}}}); err != nil {
		return err
	}
	var off [4]int64
	for {
		req, err := stream.Recv()
		if err != nil {
			return nil
		}
		acks := &braidv1.AppendAcks{}
		for _, b := range req.GetBatches().GetBatches() {
			acks.Acks = append(acks.Acks, &braidv1.AppendAck{Writer: b.GetWriter(), BatchId: b.GetBatchId(), SegmentId: b.GetSegmentId(), Offset: off[b.GetSegmentId()], Length: int64(len(b.GetEvents()))})
			off[b.GetSegmentId()] += int64(len(b.GetEvents()))
		}
		if err := stream.Send(&braidv1.AppendResponse{Kind: &braidv1.AppendResponse_Acks{Acks: acks}}); err != nil {
			return err
		}
	}
}

// BenchmarkWriterClientOnly measures the writer against a server that
// stores nothing.
func BenchmarkWriterClientOnly(b *testing.B) {
	for _, size := range []int{100, 1024} {
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			gs := grpc.NewServer(grpc.MaxRecvMsgSize(64<<20), grpc.InitialWindowSize(4<<20), grpc.InitialConnWindowSize(16<<20))
			braidv1.RegisterStreamServiceServer(gs, sinkServer{})
			braidv1.RegisterDataServiceServer(gs, sinkServer{})
			done := make(chan struct{})
			go func() {
				defer close(done)
				gs.Serve(ln)
			}()
			defer func() {
				gs.Stop()
				<-done
			}()
			c := dialAddr(b, ln.Addr().String())
			ctx := context.Background()
			w, err := c.NewWriter(ctx, "bench/w")
			if err != nil {
				b.Fatal(err)
			}
			defer w.Close(ctx)
			keys := make([]string, 64)
			for i := range keys {
				keys[i] = fmt.Sprintf("key-%d", i)
			}
			payload := make([]byte, size)
			b.SetBytes(int64(size))
			b.ReportAllocs()
			start, cpu := time.Now(), cpuTime()
			for i := 0; b.Loop(); i++ {
				w.Write(ctx, keys[i%len(keys)], payload)
			}
			if err := w.Flush(ctx); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}
