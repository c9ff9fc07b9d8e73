package grpcapi

import (
	"context"
	"errors"
	"strings"
	"time"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/internal/activity"
	"github.com/braidstream/braid/internal/audit"
	"github.com/braidstream/braid/internal/controller"
	"github.com/braidstream/braid/wire"
)

// MinInactive bounds gc's inactivity threshold from below by default: a
// shorter one would collect streams between a program's writes.
const MinInactive = time.Minute

// lastActive is when rec was last written or read, or created.
func lastActive(rec *controller.StreamRecord, ts activity.Times) time.Time {
	t := rec.Created
	if ts.Write.After(t) {
		t = ts.Write
	}
	if ts.Read.After(t) {
		t = ts.Read
	}
	return t
}

// inactive returns why rec may not be collected for inactive, or "".
func (s *EphemeralService) notCollectable(rec *controller.StreamRecord, inactive time.Duration, now time.Time) string {
	if _, ok := s.m.Get(rec.Scope, rec.Name); ok {
		return "ephemeral: it goes with its holders"
	}
	if _, ok := s.m.Get(rec.Scope, ""); ok {
		return "in an ephemeral scope: it goes with the scope"
	}
	if since := now.Sub(lastActive(rec, s.activity.Get(rec.Scope, rec.Name))); since < inactive {
		return "active " + since.Round(time.Second).String() + " ago"
	}
	return ""
}

func (s *EphemeralService) ListInactive(ctx context.Context, req *braidv1.ListInactiveRequest) (*braidv1.ListInactiveResponse, error) {
	inactive := time.Duration(req.GetInactiveMs()) * time.Millisecond
	if inactive < s.minInactive {
		return nil, toStatus(invalidArg("inactive %s: at least %s", inactive, s.minInactive))
	}
	scopes := []string{req.GetScope()}
	if req.GetScope() == "" {
		var err error
		if scopes, err = s.ctrl.ListScopes(ctx); err != nil {
			return nil, toStatus(err)
		}
	}
	now := time.Now()
	resp := &braidv1.ListInactiveResponse{}
	for _, scope := range scopes {
		recs, err := s.ctrl.ListStreams(ctx, scope)
		if err != nil {
			return nil, toStatus(err)
		}
		for _, rec := range recs {
			if s.notCollectable(rec, inactive, now) != "" {
				continue
			}
			ts := s.activity.Get(rec.Scope, rec.Name)
			is := &braidv1.InactiveStream{Scope: rec.Scope, Stream: rec.Name, CreatedUnixMs: rec.Created.UnixMilli()}
			if !ts.Write.IsZero() {
				is.LastWriteUnixMs = ts.Write.UnixMilli()
			}
			if !ts.Read.IsZero() {
				is.LastReadUnixMs = ts.Read.UnixMilli()
			}
			if info, err := s.admin.GetStream(ctx, &braidv1.GetStreamRequest{Scope: rec.Scope, Stream: rec.Name}); err == nil {
				for _, seg := range info.GetSegments() {
					is.SizeBytes += seg.GetLength() - seg.GetStartOffset()
				}
			}
			resp.Streams = append(resp.Streams, is)
		}
	}
	return resp, nil
}

func (s *EphemeralService) CollectInactive(ctx context.Context, req *braidv1.CollectInactiveRequest) (*braidv1.CollectInactiveResponse, error) {
	inactive := time.Duration(req.GetInactiveMs()) * time.Millisecond
	if inactive < s.minInactive {
		return nil, toStatus(invalidArg("inactive %s: at least %s", inactive, s.minInactive))
	}
	if len(req.GetStreams()) > 10000 {
		return nil, toStatus(invalidArg("%d streams: at most 10000 per call", len(req.GetStreams())))
	}
	resp := &braidv1.CollectInactiveResponse{}
	for _, name := range req.GetStreams() {
		scope, stream, err := wire.SplitStream(name)
		if err != nil {
			resp.Skipped = append(resp.Skipped, &braidv1.SkippedStream{Stream: name, Reason: strings.TrimPrefix(err.Error(), "wire: ")})
			continue
		}
		rec, err := s.ctrl.GetStream(ctx, scope, stream)
		if err != nil {
			reason := err.Error()
			if errors.Is(err, controller.ErrStreamNotFound) || errors.Is(err, controller.ErrScopeNotFound) {
				reason = "not found"
			}
			resp.Skipped = append(resp.Skipped, &braidv1.SkippedStream{Stream: name, Reason: reason})
			continue
		}
		now := time.Now()
		if why := s.notCollectable(rec, inactive, now); why != "" {
			resp.Skipped = append(resp.Skipped, &braidv1.SkippedStream{Stream: name, Reason: why})
			continue
		}
		last := lastActive(rec, s.activity.Get(scope, stream))
		if err := s.ctrl.DeleteStream(ctx, scope, stream); err != nil {
			resp.Skipped = append(resp.Skipped, &braidv1.SkippedStream{Stream: name, Reason: "delete failed: " + err.Error()})
			continue
		}
		resp.Deleted = append(resp.Deleted, name)
		_ = s.log.Record(ctx, audit.Entry{Action: "delete", Kind: "stream", Name: name, Rule: audit.RuleInactive,
			Reason: "no append and no read since " + last.UTC().Format(time.RFC3339) + " (braid gc --inactive " + inactive.String() + ")"})
	}
	return resp, nil
}
