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

// checkExposure refuses listen addresses beyond this machine unless
// insecure: braid has no authentication or TLS of its own yet, so anyone
// who reached such a port could read, write and delete every stream.
func checkExposure(insecure bool, addrs ...[2]string) error {
	ex := exposed(addrs...)
	if len(ex) == 0 || insecure {
		return nil
	}
	return usagef("%s listens beyond this machine, and braid has no authentication or TLS yet: anyone who reaches it could read, write and delete every stream. "+
		"Listen on 127.0.0.1 (the default) and reach braid over an SSH tunnel or an authenticating TLS proxy, or give --insecure to serve it as it is "+
		"(the server then says so at start and every hour)", strings.Join(ex, " and "))
}

// warnInsecure logs that the server serves beyond this machine without
// authentication.
func warnInsecure(log *slog.Logger, ex []string) {
	log.Warn("INSECURE: braid serves beyond this machine without authentication or TLS (--insecure): anyone who reaches it can read, write and delete every stream",
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
