#!/usr/bin/env bash
# The cost of authentication and TLS on braid bench, in one sitting: three
# servers on this machine (plain; a users file; a users file and TLS), each
# written with the same braid bench run, ROUNDS times in turn.
#
#   EVENTS=200000 SIZE=100 ROUNDS=3 scripts/auth-bench.sh
set -euo pipefail
EVENTS=${EVENTS:-200000}
SIZE=${SIZE:-100}
ROUNDS=${ROUNDS:-3}
MODE=${MODE:-write}

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/braid" "$root/cmd/braid"
braid="$work/braid"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
token=$("$braid" auth add-user bench --admin --file "$work/users.json" 2>/dev/null)

pids=()
start() { # variable, name, extra serve flags...: sets the variable to the gRPC address
  local var=$1 name=$2; shift 2
  local g h
  g=$(free_port) h=$(free_port)
  "$braid" serve --data "$work/$name" --grpc "127.0.0.1:$g" --http "127.0.0.1:$h" "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do grep -q "braid serving" "$work/$name.log" && break; sleep 0.1; done
  printf -v "$var" '%s' "127.0.0.1:$g"
}
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
start plain plain
start auth auth --auth-file "$work/users.json"
start tls tls --auth-file "$work/users.json" --tls-cert "$work/cert.pem" --tls-key "$work/key.pem"

run() { # label, flags...
  local label=$1; shift
  printf '%-10s ' "$label"
  "$braid" bench --mode "$MODE" --events "$EVENTS" --size "$SIZE" --json "$@" | python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
print("write %.0f events/s (append p50 %.2f ms, p99 %.2f ms), read %.0f events/s" % (
    r["write_events_per_s"], r["append_p50_ms"], r["append_p99_ms"], r.get("read_events_per_s", 0)))'
}
for i in $(seq "$ROUNDS"); do
  echo "round $i"
  run plain --addr "$plain"
  run token --addr "$auth" --token "$token"
  run token+tls --addr "$tls" --token "$token" --tls-ca "$work/cert.pem"
done
