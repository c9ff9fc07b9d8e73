#!/usr/bin/env bash
# Measures braid's cluster mode on this machine, in one sitting: a one-node
# cluster, then a three-node one, each over the same etcd and S3 server
# (versitygw, posix backend, on the local disk), with braid bench:
#
#   - throughput: EVENTS events of SIZE bytes from 4 producers into a stream
#     of 8 segments (its writes and reads);
#   - latency: one producer, one event in flight (each ack waits for its
#     S3 PUT): p50 and p99;
#   - S3 requests: the log PUTs (group commits), tier-2 PUTs (chunks and
#     checkpoints) per second per container during the throughput run, as
#     the nodes' /metrics count them, with what they would cost per
#     container per month at $0.005 per 1,000 PUTs.
#
#   scripts/cluster-bench.sh [EVENTS] [SIZE]      (default 200000 100)
#
# COMMIT_INTERVAL=10ms passes --commit-interval to the cluster's nodes.
#
# It also runs the same two benches against a single braid server on its
# embedded default (local fsync'd WAL), for scale.
set -euo pipefail

events=${1:-200000}
size=${2:-100}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d /tmp/braid-cluster-bench.XXXXXX)
mkdir -p "$dir/bin"
export GOFLAGS=${GOFLAGS:--buildvcs=false}
(cd "$root" && go build -o "$dir/bin/braid" ./cmd/braid && go build -o "$dir/bin/etcd" go.etcd.io/etcd/server/v3)
gw=$(command -v versitygw || true)
if [ -z "$gw" ]; then
	GOBIN="$dir/bin" go install github.com/versity/versitygw/cmd/versitygw@v1.8.0
	gw="$dir/bin/versitygw"
fi

pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	[ -n "${KEEP:-}" ] || rm -rf "$dir"
}
trap cleanup EXIT

mkdir -p "$dir/etcd" "$dir/s3/braid"
"$dir/bin/etcd" --data-dir "$dir/etcd" --log-level error \
	--listen-client-urls http://127.0.0.1:2479 --advertise-client-urls http://127.0.0.1:2479 \
	--listen-peer-urls http://127.0.0.1:2480 --initial-advertise-peer-urls http://127.0.0.1:2480 \
	--initial-cluster default=http://127.0.0.1:2480 >"$dir/etcd.log" 2>&1 &
pids+=($!)
export ROOT_ACCESS_KEY=braidbench ROOT_SECRET_KEY=braidbenchsecret
"$gw" --port 127.0.0.1:7170 posix "$dir/s3" >"$dir/s3.log" 2>&1 &
pids+=($!)
export AWS_ACCESS_KEY_ID=$ROOT_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$ROOT_SECRET_KEY

# sum METRIC [LABEL-FILTER] over the nodes' /metrics.
sum() {
	local metric=$1 filter=${2:-}
	for h in "${https[@]}"; do curl -sf "http://$h/metrics"; done |
		awk -v m="$metric" -v f="$filter" '$1 ~ "^"m"({|$)" && index($1, f) { s += $2 } END { printf "%d", s }'
}

# run NAME KIND -- BENCH-ARGS: one braid bench run, with the requests the
# nodes made meanwhile (KIND s3: log and tier-2 PUTs per container and
# their monthly cost; wal: group commits).
run() {
	local name=$1 kind=$2
	shift 3
	local p0 q0 t0 out p1 q1 t1
	p0=$(sum braid_wal_batch_operations_count)
	q0=$(sum braid_tier2_request_seconds_count 'op="put"')
	t0=$(date +%s.%N)
	out=$("$dir/bin/braid" --addr "$addrs" bench --json "$@")
	t1=$(date +%s.%N)
	p1=$(sum braid_wal_batch_operations_count)
	q1=$(sum braid_tier2_request_seconds_count 'op="put"')
	echo "  $name: $out"
	if [ "$kind" = wal ]; then
		awk -v a="$p0" -v b="$p1" -v s="$t0" -v e="$t1" 'BEGIN { printf "    group commits (fsyncs) over %.1f s: %.1f/s\n", e - s, (b - a) / (e - s) }'
		return
	fi
	awk -v a="$p0" -v b="$p1" -v c="$q0" -v d="$q1" -v s="$t0" -v e="$t1" -v k="$containers" 'BEGIN {
		secs = e - s; log_ps = (b - a) / secs / k; t2_ps = (d - c) / secs / k
		printf "    S3 PUTs per container over %.1f s: %.1f/s to the log, %.1f/s to tier 2: $%.0f per container-month at $0.005 per 1,000\n",
			secs, log_ps, t2_ps, (log_ps + t2_ps) * 2592000 * 0.005 / 1000
	}'
}

# bench LABEL ADDRS STREAM [KIND]: the throughput and latency runs.
bench() {
	local label=$1 stream=$3 kind=${4:-s3}
	addrs=$2
	echo "$label"
	run "throughput (4 producers)" "$kind" -- --stream "$stream/tp" --segments 8 --events "$events" --size "$size" --producers 4
	run "latency (1 producer, 1 in flight)" "$kind" -- --stream "$stream/lat" --segments 8 --events 3000 --size "$size" --producers 1 --inflight 1
}

ready() { # wait until every container of the cluster has a live owner
	for _ in $(seq 1 300); do
		if [ "$(curl -sf "http://${https[0]}/v1/cluster" | grep -oE '"live": ?true' | wc -l)" -eq "$containers" ]; then
			return 0
		fi
		sleep 0.1
	done
	echo "the cluster did not come up" >&2
	exit 1
}

containers=4
for n in 1 3; do
	nodes=()
	https=()
	addrs=""
	for i in $(seq 1 "$n"); do
		g=$((7500 + 100 * n + 10 * i))
		mkdir -p "$dir/c$n-n$i"
		"$dir/bin/braid" serve --data "$dir/c$n-n$i" --node-id "n$i" --containers "$containers" \
			--grpc "127.0.0.1:$g" --http "127.0.0.1:$((g + 1))" \
			--cluster "etcd://127.0.0.1:2479/bench$n" --lease-ttl 2s --commit-interval "${COMMIT_INTERVAL:-0s}" \
			--tier2 "s3://braid/bench$n" --s3-endpoint http://127.0.0.1:7170 --s3-path-style \
			>"$dir/c$n-n$i.log" 2>&1 &
		nodes+=($!)
		pids+=($!)
		https+=("127.0.0.1:$((g + 1))")
		addrs=${addrs:+$addrs,}127.0.0.1:$g
	done
	ready
	bench "$n-node cluster ($addrs):" "$addrs" "c$n"
	for p in "${nodes[@]}"; do kill "$p"; done
	for p in "${nodes[@]}"; do wait "$p" 2>/dev/null || true; done
done

mkdir -p "$dir/single"
"$dir/bin/braid" serve --data "$dir/single" --grpc 127.0.0.1:7600 --http 127.0.0.1:7601 >"$dir/single.log" 2>&1 &
pids+=($!)
https=(127.0.0.1:7601)
containers=1
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:7601/metrics >/dev/null && break; sleep 0.1; done
bench "single server, embedded default (local WAL, fsync per group commit):" 127.0.0.1:7600 single wal
