package braid

import (
	"context"
	"time"

	braidv1 "github.com/braidstream/braid/api/braid/v1"
)

// EphemeralInfo describes an ephemeral stream or scope and its holders.
type EphemeralInfo struct {
	// Kind is "stream" or "scope"; Stream is empty for a scope.
	Kind, Scope, Stream string
	// Owner is the first holder's name.
	Owner   string
	Grace   time.Duration
	Created time.Time
	// State is "live" or "deleting".
	State   string
	Holders []EphemeralHolder
	// EmptySince is when the last holder went (zero while it has
	// holders); the deletion follows Grace after it.
	EmptySince time.Time
}

// EphemeralHolder is one holder of an ephemeral stream or scope.
type EphemeralHolder struct {
	ID, Name string
	Lease    time.Duration
	Attached time.Time
	Expires  time.Time
}

// HolderLease is a holder made by AttachHolder, whose lease the caller
// renews itself (KeepAliveHolders) and ends (DetachHolder).
type HolderLease struct {
	ID      string
	Expires time.Time
	Created bool
	Info    EphemeralInfo
}

// AttachHolder attaches a holder to the ephemeral stream SCOPE/STREAM, or
// with stream "" to the ephemeral scope, creating it when create is set,
// and leaves renewing the lease to the caller: for programs that keep
// leases themselves (the HTTP API; EphemeralStream renews by itself).
func (c *Client) AttachHolder(ctx context.Context, scope, stream, holder string, lease, grace time.Duration, create bool, cfg StreamConfig) (HolderLease, error) {
	name := scope
	req := &braidv1.AttachRequest{Scope: scope, Stream: stream, Holder: holder, LeaseMs: lease.Milliseconds(), Create: create, GraceMs: grace.Milliseconds()}
	if stream != "" {
		name += "/" + stream
		pc, err := cfg.proto(name)
		if err != nil {
			return HolderLease{}, err
		}
		req.Config = pc
	}
	resp, err := c.eph.Attach(ctx, req)
	if err != nil {
		return HolderLease{}, fromStatus("attach to ephemeral "+name, err)
	}
	return HolderLease{ID: resp.GetHolderId(), Expires: time.UnixMilli(resp.GetExpiresUnixMs()), Created: resp.GetCreated(), Info: ephemeralInfo(resp.GetEphemeral())}, nil
}

// KeepAliveHolders renews holders' leases (with lease, if > 0, as their
// new lease). It returns their new expiry times; ids the server no longer
// knows are in unknown.
func (c *Client) KeepAliveHolders(ctx context.Context, ids []string, lease time.Duration) (expires map[string]time.Time, unknown []string, err error) {
	resp, err := c.eph.KeepAlive(ctx, &braidv1.KeepAliveRequest{HolderIds: ids, LeaseMs: lease.Milliseconds()})
	if err != nil {
		return nil, nil, fromStatus("keep holders alive", err)
	}
	expires = make(map[string]time.Time, len(resp.GetExpiresUnixMs()))
	for id, ms := range resp.GetExpiresUnixMs() {
		expires[id] = time.UnixMilli(ms)
	}
	return expires, resp.GetUnknown(), nil
}

// DetachHolder detaches holder id.
func (c *Client) DetachHolder(ctx context.Context, id string) error {
	if _, err := c.eph.Detach(ctx, &braidv1.DetachRequest{HolderId: id}); err != nil {
		return fromStatus("detach holder "+id, err)
	}
	return nil
}

// DescribeEphemeral describes an ephemeral stream (stream set) or scope;
// ErrNotFound when it is not ephemeral.
func (c *Client) DescribeEphemeral(ctx context.Context, scope, stream string) (EphemeralInfo, error) {
	resp, err := c.eph.GetEphemeral(ctx, &braidv1.GetEphemeralRequest{Scope: scope, Stream: stream})
	if err != nil {
		name := scope
		if stream != "" {
			name += "/" + stream
		}
		return EphemeralInfo{}, fromStatus("describe ephemeral "+name, err)
	}
	return ephemeralInfo(resp.GetEphemeral()), nil
}

// ListEphemeral lists the server's ephemeral streams and scopes.
func (c *Client) ListEphemeral(ctx context.Context) ([]EphemeralInfo, error) {
	resp, err := c.eph.ListEphemeral(ctx, &braidv1.ListEphemeralRequest{})
	if err != nil {
		return nil, fromStatus("list ephemeral", err)
	}
	out := make([]EphemeralInfo, 0, len(resp.GetEphemeral()))
	for _, e := range resp.GetEphemeral() {
		out = append(out, ephemeralInfo(e))
	}
	return out, nil
}

func ephemeralInfo(e *braidv1.Ephemeral) EphemeralInfo {
	out := EphemeralInfo{Kind: e.GetKind(), Scope: e.GetScope(), Stream: e.GetStream(), Owner: e.GetOwner(),
		Grace: time.Duration(e.GetGraceMs()) * time.Millisecond, Created: unixMilli(e.GetCreatedUnixMs()), State: e.GetState()}
	if ms := e.GetEmptySinceUnixMs(); ms > 0 {
		out.EmptySince = unixMilli(ms)
	}
	for _, h := range e.GetHolders() {
		out.Holders = append(out.Holders, EphemeralHolder{ID: h.GetId(), Name: h.GetName(),
			Lease: time.Duration(h.GetLeaseMs()) * time.Millisecond, Attached: unixMilli(h.GetAttachedUnixMs()), Expires: unixMilli(h.GetExpiresUnixMs())})
	}
	return out
}

// CleanupEntry is one deletion the server made by itself: an ephemeral
// stream or scope whose holders went, or a stale stream collected.
type CleanupEntry struct {
	Time   time.Time
	Action string // "delete"
	Kind   string // "stream" or "scope"
	Name   string
	// Rule is what made it: "ephemeral", "inactive" or "inactive-ttl".
	Rule   string
	Reason string
	Offset int64
}

// CleanupLog reads the server's cleanup log from offset (0: the start), at
// most limit entries (0: 100); next is where to read on.
func (c *Client) CleanupLog(ctx context.Context, offset int64, limit int) (entries []CleanupEntry, next int64, err error) {
	resp, err := c.eph.GetCleanupLog(ctx, &braidv1.GetCleanupLogRequest{FromOffset: offset, Limit: uint32(max(limit, 0))})
	if err != nil {
		return nil, offset, fromStatus("read the cleanup log", err)
	}
	for _, e := range resp.GetEntries() {
		entries = append(entries, CleanupEntry{Time: unixMilli(e.GetTimeUnixMs()), Action: e.GetAction(), Kind: e.GetKind(),
			Name: e.GetName(), Rule: e.GetRule(), Reason: e.GetReason(), Offset: e.GetOffset()})
	}
	return entries, resp.GetNextOffset(), nil
}

// InactiveStream is a stream with no append and no read for a while.
type InactiveStream struct {
	Stream  string // SCOPE/STREAM
	Created time.Time
	// LastWrite and LastRead are zero when none was seen.
	LastWrite, LastRead time.Time
	SizeBytes           int64
}

// ListInactive lists the streams of scope (all scopes when "") with no
// append and no read for inactive (at least a minute). Ephemeral streams
// and those of ephemeral scopes are never listed.
func (c *Client) ListInactive(ctx context.Context, scope string, inactive time.Duration) ([]InactiveStream, error) {
	resp, err := c.eph.ListInactive(ctx, &braidv1.ListInactiveRequest{Scope: scope, InactiveMs: inactive.Milliseconds()})
	if err != nil {
		return nil, fromStatus("list inactive streams", err)
	}
	out := make([]InactiveStream, 0, len(resp.GetStreams()))
	for _, s := range resp.GetStreams() {
		is := InactiveStream{Stream: s.GetScope() + "/" + s.GetStream(), Created: unixMilli(s.GetCreatedUnixMs()), SizeBytes: s.GetSizeBytes()}
		if ms := s.GetLastWriteUnixMs(); ms > 0 {
			is.LastWrite = unixMilli(ms)
		}
		if ms := s.GetLastReadUnixMs(); ms > 0 {
			is.LastRead = unixMilli(ms)
		}
		out = append(out, is)
	}
	return out, nil
}

// CollectInactive deletes those of streams that are still inactive for
// inactive (each checked again on the server), recording each deletion in
// the cleanup log; skipped says, per stream not deleted, why.
func (c *Client) CollectInactive(ctx context.Context, streams []string, inactive time.Duration) (deleted []string, skipped map[string]string, err error) {
	resp, err := c.eph.CollectInactive(ctx, &braidv1.CollectInactiveRequest{Streams: streams, InactiveMs: inactive.Milliseconds()})
	if err != nil {
		return nil, nil, fromStatus("collect inactive streams", err)
	}
	skipped = map[string]string{}
	for _, s := range resp.GetSkipped() {
		skipped[s.GetStream()] = s.GetReason()
	}
	return resp.GetDeleted(), skipped, nil
}

// SetInactiveTTL sets scope's inactive-ttl policy (0 removes it): the
// server then deletes, by itself, the scope's streams with no append and
// no read for ttl, recording each in the cleanup log.
func (c *Client) SetInactiveTTL(ctx context.Context, scope string, ttl time.Duration) error {
	if _, err := c.eph.SetInactiveTTL(ctx, &braidv1.SetInactiveTTLRequest{Scope: scope, InactiveTtlMs: ttl.Milliseconds()}); err != nil {
		return fromStatus("set the inactive-ttl of scope "+scope, err)
	}
	return nil
}

// InactiveTTLs returns the scopes' inactive-ttl policies.
func (c *Client) InactiveTTLs(ctx context.Context) (map[string]time.Duration, error) {
	resp, err := c.eph.ListInactiveTTLs(ctx, &braidv1.ListInactiveTTLsRequest{})
	if err != nil {
		return nil, fromStatus("list inactive-ttl policies", err)
	}
	out := map[string]time.Duration{}
	for _, p := range resp.GetPolicies() {
		out[p.GetScope()] = time.Duration(p.GetInactiveTtlMs()) * time.Millisecond
	}
	return out, nil
}
