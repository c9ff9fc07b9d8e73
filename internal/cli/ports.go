package cli

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// braid's two ports, as the messages about mixing them up name them.
const portsHint = "by default braid serves gRPC on 7470 and HTTP on 7471"

// checkAddr checks --addr before any dial: a gRPC address is host:port,
// with no scheme; a cluster's nodes may be listed, comma-separated.
func checkAddr(addr string) error {
	if strings.Contains(addr, ",") {
		for _, a := range strings.Split(addr, ",") {
			if err := checkAddr(strings.TrimSpace(a)); err != nil {
				return err
			}
		}
		return nil
	}
	if scheme, rest, ok := strings.Cut(addr, "://"); ok {
		return usagef("invalid --addr %q: want the gRPC address as host:port, without %s:// (try --addr %s; %s)", addr, scheme, rest, portsHint)
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		if strings.Contains(err.Error(), "missing port") {
			return usagef("invalid --addr %q: no port; want host:port, e.g. --addr %s:7470", addr, addr)
		}
		return usagef("invalid --addr %q: want host:port, e.g. 127.0.0.1:7470", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return usagef("invalid --addr %q: port %q is not a number from 1 to 65535", addr, port)
	}
	_ = host // empty means this host, as net.Dial takes it
	return nil
}

// wrongPortError is a peer that speaks the other of braid's two
// protocols; retrying does not help.
type wrongPortError struct{ msg string }

func (e *wrongPortError) Error() string { return e.msg }

// grpcDialHint rewrites a gRPC dial error whose peer speaks HTTP/1 (the
// HTTP port, most likely) into one line that says so.
func grpcDialHint(addr string, err error) error {
	msg := err.Error()
	if strings.Contains(msg, "server preface") || strings.Contains(msg, "looked like an HTTP/1.1 header") {
		return &wrongPortError{fmt.Sprintf("%s answers HTTP/1.1, not gRPC: is it braid's HTTP port? --addr takes the gRPC port (%s)", addr, portsHint)}
	}
	return nil
}

// httpDialHint rewrites an HTTP client error whose peer speaks HTTP/2
// frames without TLS (the gRPC port, most likely) into one line that says
// so.
func httpDialHint(addr string, err error) error {
	if strings.Contains(err.Error(), `malformed HTTP response "\x00\x00`) {
		return &wrongPortError{fmt.Sprintf("%s answers gRPC (HTTP/2), not HTTP/1.1: is it braid's gRPC port? --http takes the HTTP port (%s)", addr, portsHint)}
	}
	return nil
}

// checkListenAddr checks a listen address of braid serve: host:port, the
// host may be empty (every interface), port 0 picks a free one.
func checkListenAddr(flag, addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		if _, nerr := strconv.Atoi(addr); nerr == nil {
			return usagef("invalid --%s %q: want host:port: 127.0.0.1:%s for this machine only (or, with --insecure, :%s on every interface)", flag, addr, addr, addr)
		}
		return usagef("invalid --%s %q: want host:port, e.g. 127.0.0.1:%s or :%s", flag, addr, defaultPort(flag), defaultPort(flag))
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return usagef("invalid --%s %q: port %q is not a number from 0 to 65535", flag, addr, port)
	}
	return nil
}

// defaultPort is braid's default port of a listen flag.
func defaultPort(flag string) string {
	if flag == "http" {
		return "7471"
	}
	return "7470"
}
