package cli

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"time"
)

// insecureWarnEvery is how often a server serving beyond this machine
// without authentication says so again.
const insecureWarnEvery = time.Hour

// beyondLoopback reports whether a listen address is reachable from other
// machines: every address but localhost and loopback IPs (a host name other
// than localhost counts as reachable: it may resolve to anything).
func beyondLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return true
	}
	if strings.EqualFold(host, "localhost") {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}

// exposed lists the listen flags whose addresses reach beyond this machine.
func exposed(addrs ...[2]string) []string {
	var out []string
	for _, a := range addrs {
		if beyondLoopback(a[1]) {
			out = append(out, "--"+a[0]+" "+a[1])
		}
	}
	return out
}

// checkExposure refuses listen addresses beyond this machine unless they
// are secured (a users file and TLS) or insecure is set: otherwise anyone
// who reached such a port could read, write and delete every stream, or
// tokens would cross the network in clear text.
func checkExposure(insecure, auth, tls bool, addrs ...[2]string) error {
	ex := exposed(addrs...)
	if len(ex) == 0 || insecure || auth && tls {
		return nil
	}
	var missing string
	switch {
	case !auth && !tls:
		missing = "with no authentication and no TLS: anyone who reaches it could read, write and delete every stream"
	case !auth:
		missing = "with no authentication: anyone who reaches it could read, write and delete every stream"
	default:
		missing = "with no TLS: tokens and events would cross the network in clear text"
	}
	return usagef("%s listens beyond this machine %s. Give --auth-file (users made with braid auth add-user) and --tls-cert/--tls-key, "+
		"or listen on 127.0.0.1 (the default), or give --insecure to serve it as it is (the server then says so at start and every hour); see docs/security.md",
		strings.Join(ex, " and "), missing)
}

// warnInsecure logs that the server serves beyond this machine without
// authentication.
func warnInsecure(log *slog.Logger, ex []string) {
	log.Warn("INSECURE: braid serves beyond this machine without authentication and TLS (--insecure): whoever reaches it may read, write and delete streams, or see tokens in clear text",
		"listen", strings.Join(ex, ", "))
}

// warnInsecureHourly repeats warnInsecure every insecureWarnEvery until
// ctx ends.
func warnInsecureHourly(ctx context.Context, log *slog.Logger, ex []string) {
	t := time.NewTicker(insecureWarnEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			warnInsecure(log, ex)
		}
	}
}
