// Command braid is the braid stream store: its server, its admin tool and its
// load generator, in one binary. See "braid --help".
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/braidstream/braid/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
