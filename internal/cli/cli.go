// Package cli is braid's command line: the server (serve), stream and scope
// administration, writing, reading and fetching events, and the load
// generator (bench). Every remote operation goes through the public client,
// package braid; only serve touches the server's internals.
//
// Run is the whole program; cmd/braid only turns signals into a context and
// the returned code into an exit status.
package cli

import (
	"context"
	"errors"
	"fmt"
	"github.com/braidstream/braid/internal/buildinfo"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1 // the operation failed
	exitUsage = 2 // the command line was wrong; nothing was done
)

// env is what the commands read from and write to.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// Run runs the braid command line with args (without the program name) and
// returns the process exit code: 0 on success, 1 when the operation failed,
// 2 when the command line was wrong. Errors are printed to stderr as
// "braid: <message>". ctx ends long-running commands (serve, read --follow,
// bench) cleanly.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if args == nil {
		args = []string{} // cobra falls back to os.Args for nil
	}
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	root := newRootCmd(e)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "braid: %s\n", message(err))
	var ue *usageError
	if errors.As(err, &ue) {
		if cmd == nil {
			cmd = root
		}
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
		return exitUsage
	}
	var ie *inputError
	if errors.As(err, &ie) {
		return exitUsage
	}
	return exitError
}

// inputError is bad input that is not the command line's fault (a query
// with problems, shown above it): exit 2, without the usage hint.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

// message is the text printed after "braid: ". Errors of the client and the
// wire package carry their own package prefix; it is dropped so that the
// line does not say "braid: braid: ...".
func message(err error) string {
	msg := err.Error()
	for _, p := range []string{"braid: ", "wire: "} {
		msg = strings.TrimPrefix(msg, p)
	}
	return msg
}

// usageError is a wrong command line: unknown command or flag, a missing or
// extra argument, or an argument or flag value that cannot be right. Run
// exits with code 2 for it.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

// badArg makes a usage error from a parse or validation error of the wire
// package, dropping its package prefix.
func badArg(err error) error {
	return &usageError{err: errors.New(message(err))}
}

const rootLong = `braid is a durable, ordered stream store: a stream is a braid of parallel
segments over the routing-key space. This one binary is the server, the admin
tool and the load generator.

Streams are named SCOPE/STREAM, reader groups SCOPE/GROUP. Every command
names the server the same way: --addr for its gRPC port (default
127.0.0.1:7470, or $BRAID_ADDR) and --http for its HTTP port (default
127.0.0.1:7471, or $BRAID_HTTP; upload, download and version use it).

A server that authenticates wants a token: --token (or $BRAID_TOKEN), as
braid auth add-user printed it, goes with every request. --tls-ca FILE (or
$BRAID_TLS_CA) connects over TLS, to a server whose certificate that CA
signed (--tls alone: one of the system's CAs); --tls-cert and --tls-key
present a client certificate to a server that asks for one (mTLS). With
any TLS flag, gRPC and --http both use TLS (host:port means https://).

Exit status: 0 on success, 1 when the operation failed, 2 when the command
line was wrong (unknown command or flag, bad name, pointer or stream cut).`

const rootExample = `  braid serve --data ./braid-data
  braid stream create demo/events --segments 4
  printf 'one\ntwo\n' | braid write demo/events --key user-1
  braid read demo/events --format json
  braid group create demo/billing --stream demo/events
  braid read --group demo/billing --reader worker-1
  braid bench --events 100000 --size 1024`

func newRootCmd(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:           "braid",
		Short:         "braid: a durable stream store",
		Long:          rootLong,
		Example:       rootExample,
		SilenceErrors: true,
		SilenceUsage:  true,
		Version:       buildinfo.Version(),
	}
	root.SetVersionTemplate("braid {{.Version}}\n")
	pf := root.PersistentFlags()
	pf.String("addr", envOr("BRAID_ADDR", defaultAddr), "server gRPC address, host:port, or a cluster's nodes as host:port,host:port,... ($BRAID_ADDR sets the default)")
	pf.String("http", envOr("BRAID_HTTP", defaultHTTPAddr), "server HTTP address, host:port or an http(s):// URL ($BRAID_HTTP sets the default)")
	addSecurityFlags(pf)
	groupOf(root)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &usageError{err: err}
	})
	root.AddCommand(
		newServeCmd(e),
		newScopeCmd(e),
		newStreamCmd(e),
		newWriteCmd(e),
		newReadCmd(e),
		newGroupCmd(e),
		newFetchCmd(e),
		newUploadCmd(e),
		newDownloadCmd(e),
		newExportCmd(e),
		newImportCmd(e),
		newEphemeralCmd(e),
		newQueryCmd(e),
		newGCCmd(e),
		newAuthCmd(e),
		newBenchCmd(e),
		newVersionCmd(e),
	)
	addCompletion(root)
	documentBuiltins(root)
	return root
}

// documentBuiltins gives cobra's own commands, help and completion, the
// examples every braid command has, and says how to install completion.
func documentBuiltins(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		switch c.Name() {
		case "help":
			c.Example = "  braid help stream create"
		case "completion":
			c.Long = strings.TrimSpace(c.Long) + `

The scripts complete commands and flags, and also the names of scopes,
streams and reader groups, which they ask the server named by --addr for
(giving up after 2 s: a server that is down offers nothing).`
			c.Example = `  source <(braid completion bash)
  braid completion zsh > "${fpath[1]}/_braid"`
			for _, sh := range c.Commands() {
				sh.Example = "  " + shellExamples[sh.Name()]
			}
		}
	}
}

// shellExamples installs the completion script of each shell.
var shellExamples = map[string]string{
	"bash":       "braid completion bash > /etc/bash_completion.d/braid",
	"zsh":        `braid completion zsh > "${fpath[1]}/_braid"`,
	"fish":       "braid completion fish > ~/.config/fish/completions/braid.fish",
	"powershell": "braid completion powershell | Out-String | Invoke-Expression",
}

// groupOf makes cmd, which only holds subcommands, fail with a usage error
// when it is run without one or with an unknown one (by default cobra
// prints help and succeeds).
func groupOf(cmd *cobra.Command) {
	cmd.Args = cobra.ArbitraryArgs
	cmd.SuggestionsMinimumDistance = 2
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			names := make([]string, 0, len(cmd.Commands()))
			for _, c := range cmd.Commands() {
				if c.IsAvailableCommand() {
					names = append(names, c.Name())
				}
			}
			return usagef("%s needs a command: %s", cmd.CommandPath(), strings.Join(names, ", "))
		}
		msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			msg += fmt.Sprintf(" (did you mean %q?)", s[0])
		}
		return usagef("%s", msg)
	}
}

// argNames returns a positional-argument check that wants exactly the named
// arguments and names the missing or extra one.
func argNames(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < len(names) {
			return usagef("%s: missing %s", cmd.CommandPath(), names[len(args)])
		}
		if len(args) > len(names) {
			return usagef("%s: unexpected argument %q", cmd.CommandPath(), args[len(names)])
		}
		return nil
	}
}

// envOr is the environment variable name, or def when it is unset or
// empty.
func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
