package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/braidstream/braid/internal/auth"
)

// defaultUsersFile is the users file of the auth commands without --file
// or $BRAID_USERS_FILE.
const defaultUsersFile = "braid-users.json"

const authLong = `Manage a users file: the users a server lets in, their tokens and their
roles. These commands edit the file here, without a server; a server that
uses the file reads it again by itself when it changes, so a new user, a new
token, a grant or a revoke takes effect within seconds, with no restart.
add-user creates the file (mode 0600) if it does not exist.

A user's token is shown once, when it is made: the file keeps only its
SHA-256. A client gives it with --token or $BRAID_TOKEN, or over HTTP as the
header "Authorization: Bearer <token>".

Roles are per scope, each including the ones before it:
  read    read the scope's streams
  write   read, and write to them
  admin   write, and create, delete and scale the scope's streams; its
          reader groups, exports, queries and ephemeral leases
The scope "*" is every scope; a user's role in a scope is the greater of its
role there and in "*". --admin makes a cluster admin, who may do everything,
also create and delete scopes, read /metrics and use /debug/pprof;
--metrics lets a user read /metrics.

--file names the file: by default $BRAID_USERS_FILE, or ./braid-users.json.`

func newAuthCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "auth",
		Short: "Manage the users file: users, their tokens and roles",
		Long:  authLong,
		Example: `  braid auth add-user alice --role demo=write --role '*=read'
  braid auth add-user ops --admin --file /etc/braid/users.json
  braid auth list
  braid auth grant alice --role demo=admin
  braid auth token alice
  braid auth revoke alice`,
	}
	groupOf(cmd)
	cmd.AddCommand(
		newAuthAddUserCmd(e),
		newAuthTokenCmd(e),
		newAuthListCmd(e),
		newAuthGrantCmd(e),
		newAuthRevokeCmd(e),
	)
	return cmd
}

// addUsersFileFlag adds --file to cmd.
func addUsersFileFlag(cmd *cobra.Command) *string {
	path := new(string)
	cmd.Flags().StringVar(path, "file", envOr("BRAID_USERS_FILE", defaultUsersFile), "`path` of the users file ($BRAID_USERS_FILE sets the default)")
	return path
}

// userArg checks a user name argument.
func userArg(name string) error {
	if err := auth.ValidateUserName(name); err != nil {
		return usagef("invalid user name: %s", err)
	}
	return nil
}

// parseRoleFlags parses the values of --role, SCOPE=ROLE; with none set,
// the role may be "none" (RoleNone: take the scope's role away).
func parseRoleFlags(values []string, none bool) (map[string]auth.Role, error) {
	want := "read, write or admin"
	if none {
		want = "read, write, admin or none"
	}
	roles := make(map[string]auth.Role, len(values))
	for _, v := range values {
		scope, name, ok := strings.Cut(v, "=")
		if !ok {
			return nil, usagef(`invalid --role %q: want SCOPE=ROLE, e.g. demo=write or "*=read" (roles: %s)`, v, want)
		}
		if err := auth.ValidateScope(scope); err != nil {
			return nil, usagef("invalid --role %q: %s", v, err)
		}
		role, err := auth.ParseRole(name)
		switch {
		case err == nil:
		case none && name == "none":
			role = auth.RoleNone
		default:
			return nil, usagef("invalid --role %q: unknown role %q (want %s)", v, name, want)
		}
		if _, dup := roles[scope]; dup {
			return nil, usagef("invalid --role %q: scope %s has a role already in another --role", v, scope)
		}
		roles[scope] = role
	}
	return roles, nil
}

// loadUsers reads the users file; a missing one is an error that says how
// to make it.
func loadUsers(path string) (*auth.Users, error) {
	u, err := auth.LoadUsers(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("users file %s does not exist (braid auth add-user creates it; --file or $BRAID_USERS_FILE names another)", path)
	}
	if err != nil {
		return nil, errors.New(strings.TrimPrefix(err.Error(), "auth: "))
	}
	return u, nil
}

// saveUsers writes the users file.
func saveUsers(path string, u *auth.Users) error {
	if err := auth.SaveUsers(path, u); err != nil {
		return fmt.Errorf("write users file %s: %s", path, strings.TrimPrefix(err.Error(), "auth: save users: "))
	}
	return nil
}

// getUser returns the user named name of u.
func getUser(u *auth.Users, path, name string) (auth.User, error) {
	usr, ok := u.Get(name)
	if !ok {
		return auth.User{}, fmt.Errorf("no user %q in %s (braid auth list shows the users)", name, path)
	}
	return usr, nil
}

// completeUsers completes the user names of the file of --file.
func completeUsers(path *string) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, typed string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		u, err := auth.LoadUsers(*path)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var names []string
		for _, usr := range u.List() {
			if strings.HasPrefix(usr.Name, typed) {
				names = append(names, usr.Name)
			}
		}
		return names, cobra.ShellCompDirectiveNoFileComp
	}
}

// tokenNote is what goes to stderr under a new token.
func tokenNote(what, path string) string {
	return fmt.Sprintf(`%s. The token, on stdout, is shown only this once (%s keeps only its hash).
Give it with --token or $BRAID_TOKEN, or over HTTP as "Authorization: Bearer <token>".
`, what, path)
}

// scopesText is the roles of a user per scope: "*=read, demo=write", or
// "-" for none.
func scopesText(scopes map[string]auth.Role) string {
	if len(scopes) == 0 {
		return "-"
	}
	parts := make([]string, 0, len(scopes))
	for _, s := range slices.Sorted(maps.Keys(scopes)) {
		parts = append(parts, s+"="+scopes[s].String())
	}
	return strings.Join(parts, ", ")
}

func newAuthAddUserCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "add-user NAME",
		Short: "Add a user with a new token, printed once",
		Long: `Add a user to the users file, creating the file (mode 0600) if it does not
exist, with a new token and the roles given. The token is printed on stdout,
this once only: the file keeps its SHA-256, not the token.

NAME is 1 to 64 characters of A-Z a-z 0-9 . _ - @; for a client that
authenticates with a certificate, it is the certificate's common name.
--role SCOPE=ROLE, which can be repeated, gives the user a role in a scope:
read, write or admin; the scope "*" is every scope. --admin makes the user a
cluster admin, --metrics lets it read /metrics.`,
		Example: `  braid auth add-user alice --role demo=write --role '*=read'
  braid auth add-user ops --admin
  braid auth add-user prometheus --metrics --file /etc/braid/users.json
  TOKEN=$(braid auth add-user ci --role builds=write)`,
		Args: argNames("NAME"),
	}
	path := addUsersFileFlag(cmd)
	var roleFlags []string
	var admin, metrics bool
	cmd.Flags().StringArrayVar(&roleFlags, "role", nil, "`SCOPE=ROLE`: give the user ROLE (read, write or admin) in SCOPE; scope * is every scope (repeatable)")
	cmd.Flags().BoolVar(&admin, "admin", false, "make the user a cluster admin: everything, also scopes, /metrics and /debug/pprof")
	cmd.Flags().BoolVar(&metrics, "metrics", false, "let the user read /metrics")
	var roles map[string]auth.Role
	cmd.PreRunE = func(_ *cobra.Command, args []string) error {
		if err := userArg(args[0]); err != nil {
			return err
		}
		var err error
		roles, err = parseRoleFlags(roleFlags, false)
		return err
	}
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		name := args[0]
		u, err := auth.LoadUsers(*path)
		created := errors.Is(err, fs.ErrNotExist)
		switch {
		case created:
			u = &auth.Users{}
		case err != nil:
			return errors.New(strings.TrimPrefix(err.Error(), "auth: "))
		}
		if _, ok := u.Get(name); ok {
			return fmt.Errorf("user %q already exists in %s (braid auth token %s gives it a new token)", name, *path, name)
		}
		token, hash, err := auth.NewToken()
		if err != nil {
			return err
		}
		if err := u.Add(auth.User{Name: name, TokenSHA256: hash, Admin: admin, Metrics: metrics, Scopes: roles}); err != nil {
			return errors.New(strings.TrimPrefix(err.Error(), "auth: "))
		}
		if err := saveUsers(*path, u); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, token)
		what := fmt.Sprintf("added user %s to %s", name, *path)
		if created {
			what = fmt.Sprintf("created %s with user %s", *path, name)
		}
		fmt.Fprint(e.stderr, tokenNote(what, *path))
		return nil
	}
	return cmd
}

func newAuthTokenCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token NAME",
		Short: "Give a user a new token, printed once (the old one stops working)",
		Long: `Give a user of the users file a new token, printed on stdout this once only.
The old token stops working as soon as the server reads the file again
(within seconds); the user's roles stay as they are.`,
		Example: `  braid auth token alice
  braid auth token alice --file /etc/braid/users.json`,
		Args: argNames("NAME"),
	}
	path := addUsersFileFlag(cmd)
	cmd.ValidArgsFunction = completeUsers(path)
	cmd.PreRunE = func(_ *cobra.Command, args []string) error { return userArg(args[0]) }
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		u, err := loadUsers(*path)
		if err != nil {
			return err
		}
		usr, err := getUser(u, *path, args[0])
		if err != nil {
			return err
		}
		token, hash, err := auth.NewToken()
		if err != nil {
			return err
		}
		usr.TokenSHA256 = hash
		if err := u.Update(usr); err != nil {
			return errors.New(strings.TrimPrefix(err.Error(), "auth: "))
		}
		if err := saveUsers(*path, u); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, token)
		fmt.Fprint(e.stderr, tokenNote(fmt.Sprintf("new token for user %s (the old one stops working when the server reloads %s)", usr.Name, *path), *path))
		return nil
	}
	return cmd
}

// authUserJSON is one user of "braid auth list -o json": never its hash.
type authUserJSON struct {
	Name     string            `json:"name"`
	Admin    bool              `json:"admin"`
	Metrics  bool              `json:"metrics"`
	HasToken bool              `json:"has_token"`
	Scopes   map[string]string `json:"scopes"` // scope: role; {} when none
}

func newAuthListCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the users of the users file and their roles (never their tokens)",
		Long: `List the users of the users file, sorted by name: whether each is a cluster
admin, may read /metrics, has a token (a user without one can only come in
with a client certificate), and its role in each scope. Neither tokens nor
their hashes are shown.`,
		Example: `  braid auth list
  braid auth list --file /etc/braid/users.json -o json`,
		Args: argNames(),
	}
	path := addUsersFileFlag(cmd)
	out := addOutputFlag(cmd, `an array of {"name", "admin", "metrics", "has_token", "scopes"}`)
	cmd.PreRunE = func(cmd *cobra.Command, _ []string) error { return checkOutputFlag(cmd) }
	cmd.RunE = func(_ *cobra.Command, _ []string) error {
		u, err := loadUsers(*path)
		if err != nil {
			return err
		}
		users := u.List()
		if out.json() {
			list := make([]authUserJSON, 0, len(users))
			for _, usr := range users {
				scopes := make(map[string]string, len(usr.Scopes))
				for s, r := range usr.Scopes {
					scopes[s] = r.String()
				}
				list = append(list, authUserJSON{Name: usr.Name, Admin: usr.Admin, Metrics: usr.Metrics,
					HasToken: usr.TokenSHA256 != "", Scopes: scopes})
			}
			return writeJSON(e.stdout, list)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tADMIN\tMETRICS\tTOKEN\tROLES")
		for _, usr := range users {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", usr.Name, yesNo(usr.Admin), yesNo(usr.Metrics), yesNo(usr.TokenSHA256 != ""), scopesText(usr.Scopes))
		}
		return tw.Flush()
	}
	return cmd
}

func newAuthGrantCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "grant NAME",
		Short: "Change a user's roles: a role in a scope, cluster admin, metrics",
		Long: `Change what a user of the users file may do; its token stays the same.
--role SCOPE=ROLE (repeatable) sets the user's role in a scope to read, write
or admin, replacing the one it had there; none takes it away. --admin and
--metrics make the user a cluster admin or a reader of /metrics;
--admin=false and --metrics=false take that away. The server applies the
change when it reads the file again (within seconds).`,
		Example: `  braid auth grant alice --role demo=admin
  braid auth grant alice --role '*=read' --role old=none
  braid auth grant ops --admin
  braid auth grant prometheus --metrics=false`,
		Args: argNames("NAME"),
	}
	path := addUsersFileFlag(cmd)
	cmd.ValidArgsFunction = completeUsers(path)
	var roleFlags []string
	var admin, metrics bool
	cmd.Flags().StringArrayVar(&roleFlags, "role", nil, "`SCOPE=ROLE`: set the user's ROLE in SCOPE to read, write or admin, or take it away with none (repeatable)")
	cmd.Flags().BoolVar(&admin, "admin", false, "make the user a cluster admin (--admin=false: no longer)")
	cmd.Flags().BoolVar(&metrics, "metrics", false, "let the user read /metrics (--metrics=false: no longer)")
	var roles map[string]auth.Role
	cmd.PreRunE = func(cmd *cobra.Command, args []string) error {
		if err := userArg(args[0]); err != nil {
			return err
		}
		if len(roleFlags) == 0 && !cmd.Flags().Changed("admin") && !cmd.Flags().Changed("metrics") {
			return usagef("%s: nothing to change: give --role, --admin or --metrics", cmd.CommandPath())
		}
		var err error
		roles, err = parseRoleFlags(roleFlags, true)
		return err
	}
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		u, err := loadUsers(*path)
		if err != nil {
			return err
		}
		usr, err := getUser(u, *path, args[0])
		if err != nil {
			return err
		}
		for scope, role := range roles {
			if role == auth.RoleNone {
				delete(usr.Scopes, scope)
			} else {
				usr.Scopes[scope] = role
			}
		}
		if cmd.Flags().Changed("admin") {
			usr.Admin = admin
		}
		if cmd.Flags().Changed("metrics") {
			usr.Metrics = metrics
		}
		if err := u.Update(usr); err != nil {
			return errors.New(strings.TrimPrefix(err.Error(), "auth: "))
		}
		if err := saveUsers(*path, u); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "user %s: %s\n", usr.Name, usr.RolesText())
		return nil
	}
	return cmd
}

func newAuthRevokeCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "revoke NAME",
		Short: "Remove a user from the users file: its token stops working",
		Long: `Remove a user from the users file. Its token stops working as soon as the
server reads the file again (within seconds).`,
		Example: `  braid auth revoke alice
  braid auth revoke alice --yes --file /etc/braid/users.json`,
		Args: argNames("NAME"),
	}
	path := addUsersFileFlag(cmd)
	cmd.ValidArgsFunction = completeUsers(path)
	cmd.PreRunE = func(_ *cobra.Command, args []string) error {
		if err := userArg(args[0]); err != nil {
			return err
		}
		// Before the question: is there anyone to revoke?
		u, err := loadUsers(*path)
		if err != nil {
			return err
		}
		_, err = getUser(u, *path, args[0])
		return err
	}
	addConfirm(e, cmd,
		func(args []string) string {
			return fmt.Sprintf("revoke user %s (remove it from %s)? [y/N] ", args[0], *path)
		},
		func(args []string) string { return "revoke user " + args[0] })
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		u, err := loadUsers(*path)
		if err != nil {
			return err
		}
		if !u.Remove(args[0]) {
			return fmt.Errorf("no user %q in %s (braid auth list shows the users)", args[0], *path)
		}
		if err := saveUsers(*path, u); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "revoked user %s\n", args[0])
		return nil
	}
	return cmd
}
