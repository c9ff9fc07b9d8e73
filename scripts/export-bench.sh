#!/usr/bin/env bash
# Export throughput against a local S3 server (versitygw), beside the
# stream's own read throughput, in one sitting: writes EVENTS events of
# SIZE bytes over SEGMENTS segments, then times a catch-up read of the
# stream (braid bench --mode catchup --read-only), `braid export` in
# per-event mode and `braid export --batch` into fresh prefixes.
#
#   EVENTS=20000 SIZE=1024 scripts/export-bench.sh
#   EVENTS=200000 PER_EVENT=0 scripts/export-bench.sh   # batched only
#
# Needs versitygw on PATH (go install github.com/versity/versitygw/cmd/versitygw@v1.8.0).
set -euo pipefail
EVENTS=${EVENTS:-20000}
SIZE=${SIZE:-1024}
SEGMENTS=${SEGMENTS:-4}
PARALLEL=${PARALLEL:-64}
BATCH=${BATCH:-8MiB}
PER_EVENT=${PER_EVENT:-1}

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/braid" "$root/cmd/braid"
braid="$work/braid"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
s3port=$(free_port) grpc=$(free_port) http=$(free_port)

mkdir -p "$work/s3/bench"
ROOT_ACCESS_KEY=benchkey ROOT_SECRET_KEY=benchsecret123 versitygw --port "127.0.0.1:$s3port" posix "$work/s3" >"$work/s3.log" 2>&1 &
"$braid" serve --data "$work/data" --grpc "127.0.0.1:$grpc" --http "127.0.0.1:$http" >"$work/serve.log" 2>&1 &
export BRAID_ADDR="127.0.0.1:$grpc" AWS_ACCESS_KEY_ID=benchkey AWS_SECRET_ACCESS_KEY=benchsecret123 AWS_REGION=us-east-1 AWS_ENDPOINT_URL="http://127.0.0.1:$s3port" AWS_CA_BUNDLE=
for _ in $(seq 100); do "$braid" scope list >/dev/null 2>&1 && break; sleep 0.1; done

"$braid" bench --stream bench/x --segments "$SEGMENTS" --events "$EVENTS" --size "$SIZE" --skip-read --json >"$work/write.json"
bytes=$((EVENTS * SIZE))
rate() { # name seconds
	awk -v n="$1" -v s="$2" -v e="$EVENTS" -v b="$bytes" 'BEGIN { printf "%-22s %8.2f s  %10.0f events/s  %8.1f MB/s\n", n, s, e/s, b/s/1e6 }'
}
timed() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>"$work/last.err" || { cat "$work/last.err"; exit 1; }; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }

echo "events: $EVENTS x $SIZE B over $SEGMENTS segments; export --parallel $PARALLEL; batch $BATCH"
rate "read (catch-up)" "$(timed "$braid" bench --stream bench/x --mode catchup --read-only)"
if [ "$PER_EVENT" = 1 ]; then
	rate "export, per event" "$(timed "$braid" export s3://bench/ev --stream bench/x --parallel "$PARALLEL")"
fi
rate "export, batched" "$(timed "$braid" export s3://bench/bt --stream bench/x --parallel "$PARALLEL" --batch "$BATCH")"
