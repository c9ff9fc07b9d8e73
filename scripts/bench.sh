#!/usr/bin/env bash
# The three benchmark runs of the write path, against a fresh
# `braid serve --fsync=always`, next to a fio measurement of the same disk
# taken in the same sitting.
#
#   make bench                  (builds ./braid, then runs this script)
#   scripts/bench.sh            (from anywhere, once ./braid is built)
#
# Environment:
#   BENCH_DIR   where the temporary data directory and the fio files go
#               (default: $TMPDIR or /tmp). Put it on the disk you want to
#               measure; tmpfs measures memory, not a disk.
#   BRAID       the braid binary (default: ./braid in the repository root)
#   KEEP=1      keep the temporary directory (server log, data) afterwards
#
# Output: tool and disk figures, one JSON line per run (as `braid bench
# --json` prints it), then a summary table. MB is 10^6 bytes; braid's MB/s
# counts event payloads only (not the 8-byte frame headers).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

braid="${BRAID:-./braid}"
if [ ! -x "$braid" ]; then
	echo "bench: no executable $braid; run 'make build' first (or 'make bench')" >&2
	exit 1
fi
if ! command -v curl >/dev/null 2>&1; then
	echo "bench: curl is needed to wait for the server (apt-get install curl)" >&2
	exit 1
fi

base="${BENCH_DIR:-${TMPDIR:-/tmp}}"
work="$(mktemp -d "${base%/}/braid-bench.XXXXXX")"
server_pid=""

# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
	local rc=$?
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
		kill -TERM "$server_pid" 2>/dev/null || true
		# Graceful shutdown takes a few seconds at most; do not hang on it.
		for _ in $(seq 100); do
			kill -0 "$server_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	if [ "${KEEP:-0}" = 1 ] || [ "$rc" -ne 0 ]; then
		echo "bench: kept $work (server log: $work/serve.log)" >&2
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

have() { command -v "$1" >/dev/null 2>&1; }

# jsonq FILE PYTHON_EXPR JQ_EXPR: evaluates an expression over the JSON in FILE
# (python3 sees it as d, jq as .), printing nothing if neither tool is there
# or the field is missing.
jsonq() {
	if have python3; then
		python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
try:
    v = eval(sys.argv[2])
except (KeyError, IndexError, TypeError):
    sys.exit(0)
print(round(v, 3) if isinstance(v, float) else v)
' "$1" "$2" 2>/dev/null || true
	elif have jq; then
		jq -r "($3) // empty" "$1" 2>/dev/null || true
	fi
}

# field FILE KEY prints a top-level number of the one-line JSON object in FILE
# (what braid bench --json prints), with or without a JSON tool.
field() {
	if have python3 || have jq; then
		jsonq "$1" "d['$2']" ".$2"
	else
		sed -n "s/.*\"$2\": *\([-0-9.eE+]*\).*/\1/p" "$1"
	fi
}

# free_port prints a TCP port on 127.0.0.1 that nothing listens on.
free_port() {
	local p
	for _ in $(seq 200); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	echo "bench: no free port found" >&2
	return 1
}

# --- where and what ----------------------------------------------------------

echo "== braid bench  $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (modified)')"
echo "host:    $(uname -srm), $(nproc) cpus"
echo "dir:     $work ($(stat -f -c %T "$work") file system, $(df -h --output=avail "$work" | tail -n 1 | tr -d ' ') free)"
if [ "$(stat -f -c %T "$work")" = tmpfs ]; then
	echo "warning: $work is on tmpfs: fsync is free there, so these figures say nothing about a disk (set BENCH_DIR)" >&2
fi

# --- the disk, measured with fio ---------------------------------------------

fio_mbps=""
fio_iops=""
echo
if ! have fio; then
	echo "== disk: fio is not installed (apt-get install fio); no disk figures, no ratios"
else
	echo "== disk (fio in $work: 1 GiB of fdatasync'd 1 MiB writes, then at most 15 s of 4 KiB ones)"
fi
if have fio && ! { fio --name=seqfsync --filename="$work/fio.dat" --rw=write --bs=1M --size=1G \
	--fdatasync=1 --ioengine=psync --output-format=json >"$work/fio-seq.json" &&
	fio --name=fdatasync4k --filename="$work/fio4k.dat" --rw=write --bs=4k --size=64M \
		--fdatasync=1 --ioengine=psync --runtime=15 --output-format=json >"$work/fio-4k.json"; }; then
	echo "fio failed (see above); no disk figures, no ratios"
	rm -f "$work/fio.dat" "$work/fio4k.dat"
elif have fio; then
	rm -f "$work/fio.dat" "$work/fio4k.dat"
	if have python3 || have jq; then
		fio_mbps="$(jsonq "$work/fio-seq.json" "d['jobs'][0]['write']['bw_bytes'] / 1e6" '.jobs[0].write.bw_bytes / 1e6')"
		fio_iops="$(jsonq "$work/fio-4k.json" "d['jobs'][0]['write']['iops']" '.jobs[0].write.iops')"
		p50="$(jsonq "$work/fio-4k.json" "d['jobs'][0]['sync']['lat_ns']['percentile']['50.000000'] / 1e3" '.jobs[0].sync.lat_ns.percentile["50.000000"] / 1e3')"
		p99="$(jsonq "$work/fio-4k.json" "d['jobs'][0]['sync']['lat_ns']['percentile']['99.000000'] / 1e3" '.jobs[0].sync.lat_ns.percentile["99.000000"] / 1e3')"
	else
		# No JSON tool: take the first matching line after the section's name.
		fio_mbps="$(awk '/"write" *:/ {w = 1} w && /"bw_bytes"/ {gsub(/[^0-9]/, ""); printf "%.1f", $0 / 1e6; exit}' "$work/fio-seq.json")"
		fio_iops="$(awk '/"write" *:/ {w = 1} w && /"iops"/ {sub(/.*: */, ""); sub(/,.*/, ""); printf "%.0f", $0; exit}' "$work/fio-4k.json")"
		p50="$(awk '/"sync" *:/ {s = 1} s && /"50.000000"/ {sub(/.*: */, ""); sub(/,.*/, ""); printf "%.0f", $0 / 1e3; exit}' "$work/fio-4k.json")"
		p99="$(awk '/"sync" *:/ {s = 1} s && /"99.000000"/ {sub(/.*: */, ""); sub(/,.*/, ""); printf "%.0f", $0 / 1e3; exit}' "$work/fio-4k.json")"
	fi
	# Round for display (and for the ratios below).
	fio_mbps="$(awk -v v="$fio_mbps" 'BEGIN { if (v != "") printf "%.1f", v }')"
	fio_iops="$(awk -v v="$fio_iops" 'BEGIN { if (v != "") printf "%.0f", v }')"
	p50="$(awk -v v="$p50" 'BEGIN { if (v != "") printf "%.0f", v }')"
	p99="$(awk -v v="$p99" 'BEGIN { if (v != "") printf "%.0f", v }')"
	echo "1 MiB sequential writes, fdatasync each: ${fio_mbps:-?} MB/s"
	echo "4 KiB writes, fdatasync each:            ${fio_iops:-?} IOPS, fdatasync p50 ${p50:-?} us, p99 ${p99:-?} us"
fi

# --- the server --------------------------------------------------------------

grpc_port="$(free_port)"
http_port="$(free_port)"
while [ "$http_port" = "$grpc_port" ]; do http_port="$(free_port)"; done
grpc="127.0.0.1:$grpc_port"
http="127.0.0.1:$http_port"

echo
echo "== server: $braid serve --fsync=always --data $work/data --grpc $grpc --http $http"
"$braid" serve --fsync=always --data "$work/data" --grpc "$grpc" --http "$http" \
	</dev/null >"$work/serve.log" 2>&1 &
server_pid=$!

deadline=$((SECONDS + 30))
until curl -fsS --max-time 1 "http://$http/readyz" >/dev/null 2>&1; do
	if ! kill -0 "$server_pid" 2>/dev/null; then
		echo "bench: the server exited; its log:" >&2
		cat "$work/serve.log" >&2
		exit 1
	fi
	if [ "$SECONDS" -ge "$deadline" ]; then
		echo "bench: the server was not ready within 30 s; its log:" >&2
		cat "$work/serve.log" >&2
		exit 1
	fi
	sleep 0.1
done
grep -m 1 'braid serving' "$work/serve.log" || true

# metric NAME prints the value of an unlabelled metric from /metrics (0 if
# it is not there).
metric() {
	curl -fsS --max-time 5 "http://$http/metrics" | awk -v n="$1" '$1 == n {v = $2} END {print v + 0}' || true
}

# --- the runs ----------------------------------------------------------------

ts="$(date -u +%Y%m%d-%H%M%S)"
runs=(
	"a|--events 200000 --size 1024 --producers 4 --segments 16 --inflight 256"
	"b|--events 1000000 --size 100 --producers 4 --segments 1 --inflight 1024"
	"c|--events 5000 --size 1024 --producers 1 --segments 1 --inflight 1"
)
failed=0
: >"$work/results"
for run in "${runs[@]}"; do
	label="${run%%|*}"
	read -r -a args <<<"${run#*|}"
	stream="bench/$label-$ts"
	echo
	echo "== run $label: braid bench --stream $stream ${args[*]} --json"
	syncs0="$(metric braid_wal_sync_seconds_count)"
	ops0="$(metric braid_wal_batch_operations_sum)"
	if ! "$braid" bench --addr "$grpc" --stream "$stream" "${args[@]}" --json </dev/null >"$work/run-$label.json"; then
		echo "bench: run $label failed" >&2
		failed=1
		continue
	fi
	cat "$work/run-$label.json"
	syncs1="$(metric braid_wal_sync_seconds_count)"
	ops1="$(metric braid_wal_batch_operations_sum)"
	awk -v l="$label" -v s0="$syncs0" -v s1="$syncs1" -v o0="$ops0" -v o1="$ops1" \
		'BEGIN { printf "%s %.0f %.0f\n", l, s1 - s0, o1 - o0 }' >>"$work/results"
done

# --- summary -----------------------------------------------------------------

# pct A B prints A as a percentage of B.
pct() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) print "-"; else if (100 * a / b < 10) printf "%.1f%%", 100 * a / b; else printf "%.0f%%", 100 * a / b }'
}

echo
echo "== summary (fsync=always; MB = 10^6 bytes of payload; 'of disk' = write MB/s / fio 1 MiB fdatasync MB/s)"
printf '%-4s %10s %12s %9s %9s %9s %10s %9s %11s\n' run "events/s" "write MB/s" "of disk" "p50 ms" "p99 ms" "read MB/s" "commits" "ops/commit"
while read -r label syncs ops; do
	f="$work/run-$label.json"
	eps="$(field "$f" write_events_per_s)"
	mbps="$(field "$f" write_mb_per_s)"
	p50="$(field "$f" append_p50_ms)"
	p99="$(field "$f" append_p99_ms)"
	rmbps="$(field "$f" read_mb_per_s)"
	ratio="-"
	if [ -n "$fio_mbps" ] && [ -n "$mbps" ]; then
		ratio="$(pct "$mbps" "$fio_mbps")"
	fi
	per="-"
	if [ "${syncs:-0}" -gt 0 ]; then
		per="$(awk -v o="$ops" -v s="$syncs" 'BEGIN { printf "%.1f", o / s }')"
	fi
	printf '%-4s %10s %12s %9s %9s %9s %10s %9s %11s\n' "$label" "${eps:-?}" "${mbps:-?}" "$ratio" "${p50:-?}" "${p99:-?}" "${rmbps:-?}" "$syncs" "$per"
done <"$work/results"
if [ -n "$fio_iops" ] && [ -s "$work/run-c.json" ]; then
	c_eps="$(field "$work/run-c.json" write_events_per_s)"
	echo "(run c can commit one event per fdatasync at best: its ${c_eps:-?} events/s are $(pct "${c_eps:-0}" "$fio_iops") of fio's ${fio_iops} 4 KiB fdatasync IOPS)"
fi
echo "(commits = WAL group commits during the run, all containers; ops/commit = append batches per commit)"

exit "$failed"
