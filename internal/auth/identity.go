package auth

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Perm is a permission a request needs, asked of an Identity with Can.
type Perm uint8

// The permissions. The zero Perm is none of them, and nobody has it.
const (
	// PermRead is reading a scope's streams.
	PermRead Perm = iota + 1
	// PermWrite is writing to a scope's streams.
	PermWrite
	// PermAdmin is administering a scope: creating, deleting and scaling
	// its streams; its reader groups, exports, queries and ephemeral
	// leases.
	PermAdmin
	// PermCluster is what only a cluster admin may do: create and delete
	// scopes, change server-wide settings. The scope is ignored.
	PermCluster
	// PermMetrics is reading /metrics (cluster admins and metrics users).
	// The scope is ignored.
	PermMetrics
	// PermPprof is /debug/pprof (cluster admins only). The scope is
	// ignored.
	PermPprof
)

var permNames = [...]string{PermRead: "read", PermWrite: "write", PermAdmin: "admin",
	PermCluster: "cluster", PermMetrics: "metrics", PermPprof: "pprof"}

// String returns the permission's name: read, write, admin, cluster,
// metrics or pprof.
func (p Perm) String() string {
	if p >= PermRead && int(p) < len(permNames) {
		return permNames[p]
	}
	return fmt.Sprintf("Perm(%d)", p)
}

// onScope reports whether p is a permission on a scope (which must be
// named).
func (p Perm) onScope() bool { return p == PermRead || p == PermWrite || p == PermAdmin }

// role is the role a scope permission needs.
func (p Perm) role() Role {
	switch p {
	case PermRead:
		return RoleRead
	case PermWrite:
		return RoleWrite
	case PermAdmin:
		return RoleAdmin
	}
	return RoleNone
}

// Identity is who made a request: a user of the users file, or Anonymous.
// It is a value: copies are cheap and never change.
type Identity struct {
	// Name is the user's name; "" for Anonymous.
	Name string

	admin   bool
	metrics bool
	node    bool            // another node of the cluster
	scopes  map[string]Role // shared by copies, never changed
}

// NodeName is the name of Node: not a valid user name, so no user of the
// users file can have it.
const NodeName = "(cluster node)"

// Node is the identity of another node of the cluster, which proved it
// with the cluster's peer secret. A call it forwards was authorized where
// it came in (the caller's node checked the caller), so a node may do
// everything, and only a node may call the peer service.
var Node = Identity{Name: NodeName, admin: true, metrics: true, node: true}

// IsNode reports whether id is Node.
func (id Identity) IsNode() bool { return id.node }

// Anonymous is the identity of a request without credentials, the zero
// Identity: it can do nothing.
var Anonymous = Identity{}

// identityOf makes the identity of a user.
func identityOf(u User) Identity {
	return Identity{Name: u.Name, admin: u.Admin, metrics: u.Metrics, scopes: maps.Clone(u.Scopes)}
}

// IsAnonymous reports whether id is Anonymous (no user).
func (id Identity) IsAnonymous() bool { return id.Name == "" }

// IsAdmin reports whether id is a cluster admin.
func (id Identity) IsAdmin() bool { return id.Name != "" && id.admin }

// Roles returns id's roles per scope (a copy), AllScopes ("*") for every
// scope. A cluster admin's are as in the file, though it may do
// everything.
func (id Identity) Roles() map[string]Role {
	if id.scopes == nil {
		return map[string]Role{}
	}
	return maps.Clone(id.scopes)
}

// Role returns id's role in scope: the greater of its role there and its
// role in "*"; RoleAdmin for a cluster admin; RoleNone for an empty scope
// and for internal scopes (starting with _), except for a cluster admin.
func (id Identity) Role(scope string) Role {
	switch {
	case id.Name == "" || scope == "":
		return RoleNone
	case id.admin:
		return RoleAdmin
	case scope[0] == '_':
		return RoleNone
	}
	return max(id.scopes[scope], id.scopes[AllScopes])
}

// Can reports whether id has permission p, on scope for PermRead, PermWrite
// and PermAdmin. Those need a scope: with scope "" ("some scope") Can is
// false for everyone, cluster admins too; filter a listing with
// VisibleScope instead. Passing AllScopes ("*") asks about every scope at
// once. PermCluster, PermMetrics and PermPprof ignore scope. Anonymous can
// nothing, nor can anyone do an unknown Perm.
func (id Identity) Can(p Perm, scope string) bool {
	if id.Name == "" {
		return false
	}
	switch p {
	case PermRead, PermWrite, PermAdmin:
		return id.Role(scope) >= p.role()
	case PermCluster, PermPprof:
		return id.admin
	case PermMetrics:
		return id.admin || id.metrics
	}
	return false
}

// VisibleScope reports whether id may see scope in a listing: whether it
// has at least read on it.
func (id Identity) VisibleScope(scope string) bool { return id.Can(PermRead, scope) }

// Check returns nil if id Can do p on scope, or else a *DeniedError (which
// matches ErrDenied).
func (id Identity) Check(p Perm, scope string) error {
	if id.Can(p, scope) {
		return nil
	}
	return &DeniedError{Who: id.Name, Perm: p, Scope: scope, Roles: id.RolesText()}
}

// RolesText describes what id may do, as in the DeniedError messages:
// "admin", "metrics" and the scopes' roles ("*=read, demo=write"),
// separated by commas; "none" when it is nothing.
func (id Identity) RolesText() string {
	if id.Name == "" {
		return "none"
	}
	return rolesText(id.admin, id.metrics, id.scopes)
}

func rolesText(admin, metrics bool, scopes map[string]Role) string {
	var parts []string
	if admin {
		parts = append(parts, "admin")
	}
	if metrics {
		parts = append(parts, "metrics")
	}
	for _, s := range slices.Sorted(maps.Keys(scopes)) {
		parts = append(parts, s+"="+scopes[s].String())
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// String returns the name, "anonymous" for Anonymous.
func (id Identity) String() string {
	if id.Name == "" {
		return "anonymous"
	}
	return id.Name
}

// DeniedError is a permission an identity does not have. Its message says
// who, what and the identity's roles, as in
//
//	alice may not write scope "demo" (roles: demo=read)
//
// and never holds a token.
type DeniedError struct {
	Who   string // the identity's name; "" for Anonymous
	Perm  Perm   // what it may not do
	Scope string // where: the scope of PermRead, PermWrite, PermAdmin
	Roles string // what it may do (Identity.RolesText)
}

func (e *DeniedError) Error() string {
	who := e.Who
	if who == "" {
		who = "anonymous"
	}
	roles := e.Roles
	if roles == "" {
		roles = "none"
	}
	return fmt.Sprintf("%s may not %s (roles: %s)", who, e.action(), roles)
}

// action is what was denied, for the message.
func (e *DeniedError) action() string {
	if e.Perm.onScope() {
		verb := map[Perm]string{PermRead: "read", PermWrite: "write", PermAdmin: "administer"}[e.Perm]
		switch {
		case e.Scope == "":
			return verb + " without naming a scope"
		case e.Scope == AllScopes:
			return verb + " every scope"
		case e.Scope[0] == '_':
			return verb + " internal scope " + quote(e.Scope)
		}
		return verb + " scope " + quote(e.Scope)
	}
	switch e.Perm {
	case PermCluster:
		return "administer the cluster (cluster admins only)"
	case PermMetrics:
		return "read /metrics"
	case PermPprof:
		return "use /debug/pprof (cluster admins only)"
	}
	return "do " + e.Perm.String()
}

// Is makes a *DeniedError match ErrDenied.
func (e *DeniedError) Is(target error) bool { return target == ErrDenied }
