// Package auth is braid's authentication core: a file of users with hashed
// tokens and roles per scope, the tokens themselves, the parsing of an
// Authorization header, and a Store that serves the file's users to the
// gRPC and HTTP front ends and reloads the file when it changes.
//
// # The users file
//
// The users file is JSON (braid auth add-user writes it, mode 0600):
//
//	{
//	  "version": 1,
//	  "users": [
//	    {
//	      "name": "alice",
//	      "token_sha256": "5e2bf57d3f40c4b6df69daf1936cb766f832374b4fc0259a7cbff06e2f70f269",
//	      "admin": false,
//	      "metrics": false,
//	      "scopes": {
//	        "*": "read",
//	        "demo": "write"
//	      }
//	    },
//	    {
//	      "name": "ops@example.com",
//	      "token_sha256": "0f3c7a0b2c6e2a0f5a0b0f6c2b8f1e5d4a3c2b1a0f9e8d7c6b5a493827160504",
//	      "admin": true,
//	      "metrics": true,
//	      "scopes": {}
//	    }
//	  ]
//	}
//
// The fields:
//
//   - version: 1, the only version (required).
//   - users: the users, in any order (an absent list is an empty one).
//   - name: 1 to 64 bytes of A-Z a-z 0-9 . _ - @, unique in the file
//     (exactly: names are case-sensitive). For a client that presents a
//     certificate (mTLS) it is the certificate's common name.
//   - token_sha256: the SHA-256 of the user's whole token ("braid_..."), as
//     64 lowercase hex digits. Tokens are never stored, only their hashes,
//     and no two users have the same hash. A user without the field has no
//     token and can only be authenticated by a client certificate.
//   - admin: true makes the user a cluster admin (see below). Default false.
//   - metrics: true lets the user read /metrics. Default false.
//   - scopes: the user's role in each scope, "read", "write" or "admin";
//     the scope "*" means every scope. Scope names are 1 to 250 bytes of
//     A-Z a-z 0-9 . _ -, not starting with _ and not "." or "..".
//
// ParseUsers is strict: unknown or misspelt fields (also in another case),
// duplicate fields, null values, wrong types, another version, bad hashes,
// names, scopes or roles are refused with an error naming the user (its
// index in the list and its name) and the field. A file is at most 4 MiB
// and holds at most 10,000 users.
//
// # Permissions
//
// Roles are ordered, each including the ones before it:
//
//   - read: read the scope's streams (read, fetch, download, describe,
//     list; reader groups reading them).
//   - write: read, and write to the scope's streams.
//   - admin: write, and administer the scope: create, delete and scale its
//     streams, its reader groups, exports, queries and ephemeral leases.
//
// A user's role in a scope is the greater of its role there and its role in
// "*". Scopes starting with _ are internal: no role reaches them, only a
// cluster admin.
//
// The Perm values a front end asks Identity.Can about are PermRead,
// PermWrite and PermAdmin on a named scope, and three that are not about a
// scope:
//
//   - PermCluster: cluster admins only (the users with "admin": true):
//     creating and deleting scopes, server-wide settings. A cluster admin
//     may also do everything else.
//   - PermMetrics: reading /metrics, for cluster admins and the users with
//     "metrics": true.
//   - PermPprof: /debug/pprof, for cluster admins only.
//
// The scope perms need a scope: Can(PermRead, "") is false for everyone,
// cluster admins included, since "some scope" is not a scope (a listing
// asks VisibleScope of each scope it would show instead). PermCluster,
// PermMetrics and PermPprof ignore the scope.
//
// # Tokens
//
// A token is "braid_" followed by 43 characters of base64url: 32 random
// bytes. Clients send it as "Authorization: Bearer <token>" (HTTP) or in
// the "authorization" metadata (gRPC); ParseAuthorization takes it out of
// the header and Store.Authenticate finds its user by the token's hash.
//
// # Reloading
//
// A Store polls the file (Store.Run) and serves its new users as soon as it
// changes: braid auth add-user, token, grant and revoke edit the file and
// need no server restart. A new file that cannot be read or is not valid is
// logged and the old users stay in force, so a half-edited file locks
// nobody out; to take everyone's access away, write a file with no users.
package auth
