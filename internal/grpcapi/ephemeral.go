package grpcapi

import (
	"context"
	"errors"
	"fmt"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
	"github.com/braidstream/braid/internal/audit"
	"github.com/braidstream/braid/internal/controller"
	"github.com/braidstream/braid/internal/ephemeral"
	"github.com/braidstream/braid/internal/gc"
	"github.com/braidstream/braid/wire"
)

// EphemeralService implements braidv1.EphemeralServiceServer.
type EphemeralService struct {
	braidv1.UnimplementedEphemeralServiceServer
	m     *ephemeral.Manager
	log   *audit.Log
	gc    *gc.Collector
	ctrl  *controller.Controller
	admin *StreamService // creates the streams and scopes
}

var _ braidv1.EphemeralServiceServer = (*EphemeralService)(nil)

// NewEphemeralService returns the ephemeral stream service.
func NewEphemeralService(m *ephemeral.Manager, log *audit.Log, collector *gc.Collector, ctrl *controller.Controller, admin *StreamService) *EphemeralService {
	return &EphemeralService{m: m, log: log, gc: collector, ctrl: ctrl, admin: admin}
}

func (s *EphemeralService) GetCleanupLog(ctx context.Context, req *braidv1.GetCleanupLogRequest) (*braidv1.GetCleanupLogResponse, error) {
	limit := int(req.GetLimit())
	switch {
	case limit == 0:
		limit = 100
	case limit > 1000:
		return nil, toStatus(invalidArg("limit %d: at most 1000", limit))
	}
	if req.GetFromOffset() < 0 {
		return nil, toStatus(invalidArg("from offset %d: want 0 or more", req.GetFromOffset()))
	}
	entries, next, err := s.log.Read(ctx, req.GetFromOffset(), limit)
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &braidv1.GetCleanupLogResponse{NextOffset: next}
	for _, e := range entries {
		resp.Entries = append(resp.Entries, &braidv1.CleanupEntry{TimeUnixMs: e.Time.UnixMilli(), Action: e.Action,
			Kind: e.Kind, Name: e.Name, Rule: e.Rule, Reason: e.Reason, Offset: e.Offset})
	}
	return resp, nil
}

func ms(d time.Duration) int64 { return d.Milliseconds() }

func (s *EphemeralService) Attach(ctx context.Context, req *braidv1.AttachRequest) (*braidv1.AttachResponse, error) {
	scope, stream := req.GetScope(), req.GetStream()
	if err := wire.ValidateScopeName(scope); err != nil {
		return nil, toStatus(invalidArg("%v", err))
	}
	if stream != "" {
		if err := wire.ValidateStreamName(stream); err != nil {
			return nil, toStatus(invalidArg("%v", err))
		}
	}
	name := scope
	if stream != "" {
		name += "/" + stream
	}
	if _, ok := s.m.Get(scope, stream); !ok {
		// Not ephemeral (yet): it must not exist as a plain one.
		var err error
		if stream != "" {
			_, err = s.ctrl.GetStream(ctx, scope, stream)
		} else {
			_, err = s.ctrl.ListStreams(ctx, scope)
		}
		switch {
		case err == nil:
			return nil, toStatus(invalidArg("%s exists and is not ephemeral: attach to an ephemeral one, or delete it first", name))
		case !errors.Is(err, controller.ErrStreamNotFound) && !errors.Is(err, controller.ErrScopeNotFound):
			return nil, toStatus(err)
		case !req.GetCreate():
			return nil, status.Errorf(codes.NotFound, "%s does not exist (attach with create to make it)", name)
		}
	}
	rec, h, created, err := s.m.Attach(ctx, scope, stream, req.GetHolder(),
		time.Duration(req.GetLeaseMs())*time.Millisecond, time.Duration(req.GetGraceMs())*time.Millisecond, req.GetCreate())
	if err != nil {
		return nil, toStatus(err)
	}
	if created {
		var cerr error
		if stream != "" {
			_, cerr = s.admin.CreateStream(ctx, &braidv1.CreateStreamRequest{Scope: scope, Stream: stream, Config: req.GetConfig(), CreateScope: true})
		} else {
			_, cerr = s.admin.CreateScope(ctx, &braidv1.CreateScopeRequest{Scope: scope})
		}
		if cerr != nil && status.Code(cerr) != codes.AlreadyExists {
			_ = s.m.Forget(context.WithoutCancel(ctx), scope, stream)
			return nil, cerr
		}
	}
	return &braidv1.AttachResponse{HolderId: h.ID, ExpiresUnixMs: h.Expires.UnixMilli(), Created: created, Ephemeral: ephemeralProto(rec)}, nil
}

func (s *EphemeralService) KeepAlive(ctx context.Context, req *braidv1.KeepAliveRequest) (*braidv1.KeepAliveResponse, error) {
	if len(req.GetHolderIds()) > 10000 {
		return nil, toStatus(invalidArg("keep-alive of %d holders: at most 10000 per call", len(req.GetHolderIds())))
	}
	exp, unknown, err := s.m.KeepAlive(req.GetHolderIds(), time.Duration(req.GetLeaseMs())*time.Millisecond)
	if err != nil {
		return nil, toStatus(err)
	}
	resp := &braidv1.KeepAliveResponse{ExpiresUnixMs: map[string]int64{}, Unknown: unknown}
	for id, t := range exp {
		resp.ExpiresUnixMs[id] = t.UnixMilli()
	}
	return resp, nil
}

func (s *EphemeralService) Detach(ctx context.Context, req *braidv1.DetachRequest) (*braidv1.DetachResponse, error) {
	if err := s.m.Detach(ctx, req.GetHolderId()); err != nil {
		return nil, toStatus(err)
	}
	return &braidv1.DetachResponse{}, nil
}

func (s *EphemeralService) GetEphemeral(ctx context.Context, req *braidv1.GetEphemeralRequest) (*braidv1.GetEphemeralResponse, error) {
	rec, ok := s.m.Get(req.GetScope(), req.GetStream())
	if !ok {
		name := req.GetScope()
		if req.GetStream() != "" {
			name += "/" + req.GetStream()
		}
		return nil, toStatus(fmt.Errorf("%w: %s", ephemeral.ErrNotFound, name))
	}
	return &braidv1.GetEphemeralResponse{Ephemeral: ephemeralProto(rec)}, nil
}

func (s *EphemeralService) ListEphemeral(ctx context.Context, _ *braidv1.ListEphemeralRequest) (*braidv1.ListEphemeralResponse, error) {
	resp := &braidv1.ListEphemeralResponse{}
	for _, r := range s.m.List() {
		resp.Ephemeral = append(resp.Ephemeral, ephemeralProto(r))
	}
	return resp, nil
}

func ephemeralProto(r ephemeral.Record) *braidv1.Ephemeral {
	out := &braidv1.Ephemeral{Kind: r.Kind, Scope: r.Scope, Stream: r.Stream, Owner: r.Owner,
		GraceMs: ms(r.Grace), CreatedUnixMs: r.Created.UnixMilli(), State: r.State}
	if !r.EmptySince.IsZero() {
		out.EmptySinceUnixMs = r.EmptySince.UnixMilli()
	}
	for _, h := range r.Holders {
		out.Holders = append(out.Holders, &braidv1.EphemeralHolder{Id: h.ID, Name: h.Name, LeaseMs: ms(h.Lease),
			AttachedUnixMs: h.Attached.UnixMilli(), ExpiresUnixMs: h.Expires.UnixMilli()})
	}
	return out
}
