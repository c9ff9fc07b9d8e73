package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/wire"
)

// Defaults of the remote flags.
const (
	defaultAddr    = "127.0.0.1:7470"
	defaultTimeout = 30 * time.Second
	// dialTimeout bounds reaching the server, also for commands without
	// --timeout, whose work may rightly take long (write, read, bench).
	dialTimeout = 10 * time.Second
)

// remote holds the flags of a command that talks to a server: the
// persistent --addr of the root command, and --timeout. The persistent
// TLS and token flags (security.go) go with every dial.
type remote struct {
	cmd     *cobra.Command
	addr    string        // --addr, as of the last dial
	timeout time.Duration // 0: no limit; only for commands with --timeout
	// reconnect is --reconnect-timeout, for commands that read or write
	// for long (0: the client's default).
	reconnect time.Duration
}

// addReconnectFlag adds --reconnect-timeout: how long the command's
// readers and writers ride out a server that is down or restarting.
func (r *remote) addReconnectFlag(cmd *cobra.Command) {
	cmd.Flags().DurationVar(&r.reconnect, "reconnect-timeout", 2*time.Minute,
		"while the server is down or restarting, keep reconnecting this long before failing")
}

// addFlags adds --timeout when withTimeout is set; --addr is the root
// command's (persistent, BRAID_ADDR).
func (r *remote) addFlags(cmd *cobra.Command, withTimeout bool) {
	r.cmd = cmd
	if withTimeout {
		cmd.Flags().DurationVar(&r.timeout, "timeout", defaultTimeout, "give up after this long (0: no limit)")
	}
}

// withTimeout bounds ctx by --timeout.
func (r *remote) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if r.timeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, r.timeout)
}

// errDialTimeout ends a dial that took dialTimeout.
var errDialTimeout = errors.New("dial timeout")

// dial connects to the server. braid.Dial waits for a server to come up
// until its context's deadline, and fails at the first refused connection
// if there is none. A command line should fail fast, so dial runs under a
// context without deadline that is canceled when ctx ends or after
// dialTimeout.
func (r *remote) dial(ctx context.Context) (*braid.Client, error) {
	if f := r.cmd.Flag("addr"); f != nil {
		r.addr = f.Value.String()
	}
	if err := checkAddr(r.addr); err != nil {
		return nil, err
	}
	if r.cmd.Flags().Changed("reconnect-timeout") && r.reconnect <= 0 {
		return nil, usagef("invalid --reconnect-timeout %s: want a positive duration, such as 30s or 10m", r.reconnect)
	}
	sec, err := securityOf(r.cmd)
	if err != nil {
		return nil, err
	}
	opts, err := sec.grpcOptions(r.addr)
	if err != nil {
		return nil, err
	}
	dctx, cancel := context.WithCancelCause(context.WithoutCancel(ctx))
	defer cancel(nil)
	stop := context.AfterFunc(ctx, func() { cancel(context.Cause(ctx)) })
	defer stop()
	timer := time.AfterFunc(dialTimeout, func() { cancel(errDialTimeout) })
	defer timer.Stop()

	c, err := braid.Dial(dctx, r.addr, append(opts, braid.WithReconnectTimeout(r.reconnect))...)
	switch {
	case err == nil:
		return c, nil
	case ctx.Err() != nil:
		return nil, r.failed(ctx, "connect to "+r.addr, err)
	case errors.Is(context.Cause(dctx), errDialTimeout):
		return nil, fmt.Errorf("cannot reach braid server at %s (gave up after %s)", r.addr, dialTimeout)
	}
	// Before grpcDialHint: a TLS server hanging up on plain text fails
	// reading the server preface too.
	if hint := sec.hint(ctx, "--addr", r.addr, sec.tls, err); hint != nil {
		return nil, hint
	}
	if hint := grpcDialHint(r.addr, err); hint != nil {
		return nil, hint
	}
	return nil, fmt.Errorf("cannot reach braid server at %s: %s", r.addr, message(err))
}

// failed wraps err of operation op, telling a timeout or an interrupt apart
// from an error the server sent.
func (r *remote) failed(ctx context.Context, op string, err error) error {
	switch {
	case errors.Is(context.Cause(ctx), context.DeadlineExceeded):
		return fmt.Errorf("%s: timed out after %s (--timeout)", op, r.timeout)
	case errors.Is(ctx.Err(), context.Canceled):
		return fmt.Errorf("%s: interrupted", op)
	}
	msg := message(err)
	if r.reconnect > 0 && errors.Is(err, braid.ErrUnavailable) && !strings.Contains(msg, "gave up after retrying") {
		return fmt.Errorf("%s: the server at %s stayed unreachable past --reconnect-timeout %s: %s", op, r.addr, r.reconnect, strings.TrimPrefix(msg, op+": "))
	}
	if strings.HasPrefix(msg, op+": ") {
		return errors.New(msg) // the client's error already names the operation
	}
	return fmt.Errorf("%s: %s", op, msg)
}

// streamArg checks a SCOPE/STREAM argument.
func streamArg(s string) (string, error) {
	if _, _, err := wire.SplitStream(s); err != nil {
		return "", badArg(err)
	}
	return s, nil
}

// scopeArg checks a SCOPE argument.
func scopeArg(s string) (string, error) {
	if err := wire.ValidateScopeName(s); err != nil {
		return "", badArg(err)
	}
	return s, nil
}
