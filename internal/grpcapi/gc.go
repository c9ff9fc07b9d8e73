package grpcapi

import (
	"context"
	"time"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/internal/audit"
)

func (s *EphemeralService) ListInactive(ctx context.Context, req *braidv1.ListInactiveRequest) (*braidv1.ListInactiveResponse, error) {
	found, err := s.gc.Inactive(ctx, req.GetScope(), time.Duration(req.GetInactiveMs())*time.Millisecond)
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &braidv1.ListInactiveResponse{}
	for _, f := range found {
		is := &braidv1.InactiveStream{Scope: f.Rec.Scope, Stream: f.Rec.Name, CreatedUnixMs: f.Rec.Created.UnixMilli()}
		if !f.Times.Write.IsZero() {
			is.LastWriteUnixMs = f.Times.Write.UnixMilli()
		}
		if !f.Times.Read.IsZero() {
			is.LastReadUnixMs = f.Times.Read.UnixMilli()
		}
		if info, err := s.admin.GetStream(ctx, &braidv1.GetStreamRequest{Scope: f.Rec.Scope, Stream: f.Rec.Name}); err == nil {
			for _, seg := range info.GetSegments() {
				is.SizeBytes += seg.GetLength() - seg.GetStartOffset()
			}
		}
		resp.Streams = append(resp.Streams, is)
	}
	return resp, nil
}

func (s *EphemeralService) CollectInactive(ctx context.Context, req *braidv1.CollectInactiveRequest) (*braidv1.CollectInactiveResponse, error) {
	if len(req.GetStreams()) > 10000 {
		return nil, toStatus(invalidArg("%d streams: at most 10000 per call", len(req.GetStreams())))
	}
	d := time.Duration(req.GetInactiveMs()) * time.Millisecond
	deleted, skipped, err := s.gc.Collect(ctx, req.GetStreams(), d, audit.RuleInactive, "braid gc --inactive "+d.String())
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &braidv1.CollectInactiveResponse{Deleted: deleted}
	for _, name := range req.GetStreams() {
		if why, ok := skipped[name]; ok {
			resp.Skipped = append(resp.Skipped, &braidv1.SkippedStream{Stream: name, Reason: why})
		}
	}
	return resp, nil
}

func (s *EphemeralService) SetInactiveTTL(ctx context.Context, req *braidv1.SetInactiveTTLRequest) (*braidv1.SetInactiveTTLResponse, error) {
	if err := s.gc.SetPolicy(ctx, req.GetScope(), time.Duration(req.GetInactiveTtlMs())*time.Millisecond); err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.SetInactiveTTLResponse{}, nil
}

func (s *EphemeralService) ListInactiveTTLs(ctx context.Context, _ *braidv1.ListInactiveTTLsRequest) (*braidv1.ListInactiveTTLsResponse, error) {
	ps, err := s.gc.Policies(ctx)
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &braidv1.ListInactiveTTLsResponse{}
	for _, p := range ps {
		resp.Policies = append(resp.Policies, &braidv1.InactiveTTL{Scope: p.Scope, InactiveTtlMs: p.InactiveTTL.Milliseconds()})
	}
	return resp, nil
}
