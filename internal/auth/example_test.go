package auth_test

import (
	"fmt"

	"github.com/braidstream/braid/internal/auth"
)

func ExampleParseUsers() {
	u, err := auth.ParseUsers([]byte(auth.DocFile))
	if err != nil {
		fmt.Println(err)
		return
	}
	s := auth.StaticStore(u)
	alice, _ := s.ByName("alice")
	fmt.Println(alice.Can(auth.PermWrite, "demo"), alice.Can(auth.PermWrite, "ops"), alice.Can(auth.PermRead, "ops"))
	fmt.Println(alice.Check(auth.PermAdmin, "demo"))
	ops, _ := s.ByName("ops@example.com")
	fmt.Println(ops.Can(auth.PermCluster, ""), ops.Can(auth.PermPprof, ""))
	// Output:
	// true false true
	// alice may not administer scope "demo" (roles: *=read, demo=write)
	// true true
}

func ExampleParseAuthorization() {
	token, hash, err := auth.NewToken()
	if err != nil {
		fmt.Println(err)
		return
	}
	var u auth.Users
	if err := u.Add(auth.User{Name: "alice", TokenSHA256: hash, Scopes: map[string]auth.Role{"demo": auth.RoleRead}}); err != nil {
		fmt.Println(err)
		return
	}
	s := auth.StaticStore(&u)

	// A front end, for each request:
	tok, err := auth.ParseAuthorization("Bearer " + token)
	if err != nil {
		fmt.Println(err)
		return
	}
	id, err := s.Authenticate(tok)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(id.Name, id.Check(auth.PermWrite, "demo"))
	_, err = s.Authenticate("braid_guess")
	fmt.Println(err)
	// Output:
	// alice alice may not write scope "demo" (roles: demo=read)
	// auth: invalid token
}
