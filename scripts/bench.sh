#!/usr/bin/env bash
# braid's benchmarks, next to fio measurements of the same disk taken in the
# same sitting:
#
#   - the three write-path runs (a, b, c) against a fresh
#     `braid serve --fsync=always`;
#   - a tail-read run (t) on that server: readers follow a stream while it is
#     written;
#   - catch-up reads from tier 2: data written, moved to tier 2, then read
#     back from the start by one reader per segment, from a directory tier 2
#     (d) and from S3 (s, a local versitygw; skipped if versitygw is not on
#     PATH), each against its own fresh server with a read cache much smaller
#     than the data.
#
#   make bench                  (builds ./braid, then runs this script)
#   scripts/bench.sh            (from anywhere, once ./braid is built)
#
# Environment:
#   BENCH_DIR   where the temporary data directories and the fio files go
#               (default: $TMPDIR or /tmp). Put it on the disk you want to
#               measure; tmpfs measures memory, not a disk.
#   BRAID       the braid binary (default: ./braid in the repository root)
#   KEEP=1      keep the temporary directory (server logs, data) afterwards
#   RUNS        the runs to do, by label (default "a b c t d s"; "u", the
#               standard suite of `braid bench --suite`, only when named)
#   SUITE_DURATION  run u's --suite-duration (default 10s)
#   CATCHUP_EVENTS  1 KiB events each catch-up run writes (default 500000,
#               about 512 MB)
#   CATCHUP_CACHE   the catch-up servers' --cache-size (default 32MiB)
#   DROP_CACHES=1   after each catch-up run, restart its server, drop the
#               kernel's page cache (needs root; affects the whole machine)
#               and read the stream again (runs d-cold, s-cold): tier 2
#               then comes from the disk rather than from memory
#
# Output: tool and disk figures, one JSON line per run (as `braid bench
# --json` prints it), then summary tables. MB is 10^6 bytes; braid's MB/s
# counts event payloads only (not the 8-byte frame headers).
# docs/benchmarks.md says what each figure means.
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
vgw_pid=""

# stop_pid PID stops a process this script started: SIGTERM, then SIGKILL
# after 10 s (a graceful shutdown takes a few seconds at most; do not hang on
# it).
stop_pid() {
	local pid="$1"
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
}

# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
	local rc=$?
	stop_pid "$server_pid"
	stop_pid "$vgw_pid"
	if [ "${KEEP:-0}" = 1 ] || [ "$rc" -ne 0 ]; then
		echo "bench: kept $work (server logs: $work/serve-*.log)" >&2
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
fio_read_mbps=""
fio_iops=""
echo
if ! have fio; then
	echo "== disk: fio is not installed (apt-get install fio); no disk figures, no ratios"
else
	echo "== disk (fio in $work: 1 GiB of fdatasync'd 1 MiB writes, read back with O_DIRECT; then at most 15 s of 4 KiB fdatasync'd writes)"
fi
if have fio && ! { fio --name=seqfsync --filename="$work/fio.dat" --rw=write --bs=1M --size=1G \
	--fdatasync=1 --ioengine=psync --output-format=json >"$work/fio-seq.json" &&
	fio --name=seqread --filename="$work/fio.dat" --rw=read --bs=1M --size=1G \
		--direct=1 --ioengine=psync --output-format=json >"$work/fio-read.json" &&
	fio --name=fdatasync4k --filename="$work/fio4k.dat" --rw=write --bs=4k --size=64M \
		--fdatasync=1 --ioengine=psync --runtime=15 --output-format=json >"$work/fio-4k.json"; }; then
	echo "fio failed (see above); no disk figures, no ratios"
	rm -f "$work/fio.dat" "$work/fio4k.dat"
elif have fio; then
	rm -f "$work/fio.dat" "$work/fio4k.dat"
	if have python3 || have jq; then
		fio_mbps="$(jsonq "$work/fio-seq.json" "d['jobs'][0]['write']['bw_bytes'] / 1e6" '.jobs[0].write.bw_bytes / 1e6')"
		fio_read_mbps="$(jsonq "$work/fio-read.json" "d['jobs'][0]['read']['bw_bytes'] / 1e6" '.jobs[0].read.bw_bytes / 1e6')"
		fio_iops="$(jsonq "$work/fio-4k.json" "d['jobs'][0]['write']['iops']" '.jobs[0].write.iops')"
		p50="$(jsonq "$work/fio-4k.json" "d['jobs'][0]['sync']['lat_ns']['percentile']['50.000000'] / 1e3" '.jobs[0].sync.lat_ns.percentile["50.000000"] / 1e3')"
		p99="$(jsonq "$work/fio-4k.json" "d['jobs'][0]['sync']['lat_ns']['percentile']['99.000000'] / 1e3" '.jobs[0].sync.lat_ns.percentile["99.000000"] / 1e3')"
	else
		# No JSON tool: take the first matching line after the section's name.
		fio_mbps="$(awk '/"write" *:/ {w = 1} w && /"bw_bytes"/ {gsub(/[^0-9]/, ""); printf "%.1f", $0 / 1e6; exit}' "$work/fio-seq.json")"
		fio_read_mbps="$(awk '/"read" *:/ {r = 1} r && /"bw_bytes"/ {gsub(/[^0-9]/, ""); printf "%.1f", $0 / 1e6; exit}' "$work/fio-read.json")"
		fio_iops="$(awk '/"write" *:/ {w = 1} w && /"iops"/ {sub(/.*: */, ""); sub(/,.*/, ""); printf "%.0f", $0; exit}' "$work/fio-4k.json")"
		p50="$(awk '/"sync" *:/ {s = 1} s && /"50.000000"/ {sub(/.*: */, ""); sub(/,.*/, ""); printf "%.0f", $0 / 1e3; exit}' "$work/fio-4k.json")"
		p99="$(awk '/"sync" *:/ {s = 1} s && /"99.000000"/ {sub(/.*: */, ""); sub(/,.*/, ""); printf "%.0f", $0 / 1e3; exit}' "$work/fio-4k.json")"
	fi
	# Round for display (and for the ratios below).
	fio_mbps="$(awk -v v="$fio_mbps" 'BEGIN { if (v != "") printf "%.1f", v }')"
	fio_read_mbps="$(awk -v v="$fio_read_mbps" 'BEGIN { if (v != "") printf "%.1f", v }')"
	fio_iops="$(awk -v v="$fio_iops" 'BEGIN { if (v != "") printf "%.0f", v }')"
	p50="$(awk -v v="$p50" 'BEGIN { if (v != "") printf "%.0f", v }')"
	p99="$(awk -v v="$p99" 'BEGIN { if (v != "") printf "%.0f", v }')"
	echo "1 MiB sequential writes, fdatasync each: ${fio_mbps:-?} MB/s"
	echo "1 MiB sequential reads, O_DIRECT:        ${fio_read_mbps:-?} MB/s"
	echo "4 KiB writes, fdatasync each:            ${fio_iops:-?} IOPS, fdatasync p50 ${p50:-?} us, p99 ${p99:-?} us"
fi

# --- the servers -------------------------------------------------------------

# start_server NAME ARGS... starts `braid serve ARGS...` on free ports,
# logging to $work/serve-NAME.log, and waits until it is ready. It sets
# server_pid, grpc and http.
start_server() {
	local name="$1" log="$work/serve-$1.log" gp hp deadline
	shift
	gp="$(free_port)"
	hp="$(free_port)"
	while [ "$hp" = "$gp" ]; do hp="$(free_port)"; done
	grpc="127.0.0.1:$gp"
	http="127.0.0.1:$hp"
	echo
	echo "== server $name: $braid serve $* --grpc $grpc --http $http"
	"$braid" serve "$@" --grpc "$grpc" --http "$http" </dev/null >>"$log" 2>&1 &
	server_pid=$!
	deadline=$((SECONDS + 30))
	until curl -fsS --max-time 1 "http://$http/readyz" >/dev/null 2>&1; do
		if ! kill -0 "$server_pid" 2>/dev/null; then
			echo "bench: the server exited; its log:" >&2
			cat "$log" >&2
			exit 1
		fi
		if [ "$SECONDS" -ge "$deadline" ]; then
			echo "bench: the server was not ready within 30 s; its log:" >&2
			cat "$log" >&2
			exit 1
		fi
		sleep 0.1
	done
	grep 'braid serving' "$log" | tail -n 1 || true
}

stop_server() {
	stop_pid "$server_pid"
	server_pid=""
}

# metric NAME prints the value of an unlabelled metric from /metrics (0 if
# it is not there).
metric() {
	curl -fsS --max-time 5 "http://$http/metrics" | awk -v n="$1" '$1 == n {v = $2} END {print v + 0}' || true
}

start_server main --fsync=always --data "$work/data"

# --- the write runs ----------------------------------------------------------

# selected LABEL says whether RUNS asks for run LABEL.
selected() {
	case " ${RUNS:-a b c t d s} " in *" $1 "*) return 0 ;; esac
	return 1
}

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
	selected "$label" || continue
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

# --- the read runs -----------------------------------------------------------

# Each read run appends "LABEL|WHAT" to $work/read-results.
: >"$work/read-results"

# Tail reads, on the fsync=always server: one reader per segment follows the
# stream while run a's load writes it.
if selected t; then
	stream="bench/t-$ts"
	args=(--mode tail --events 200000 --size 1024 --producers 4 --segments 16 --inflight 256)
	echo
	echo "== run t (tail reads): braid bench --stream $stream ${args[*]} --json"
	if "$braid" bench --addr "$grpc" --stream "$stream" "${args[@]}" --json </dev/null >"$work/run-t.json"; then
		cat "$work/run-t.json"
		echo "t|tail, fsync=always" >>"$work/read-results"
	else
		echo "bench: run t failed" >&2
		failed=1
	fi
fi

# The standard suite (only when RUNS names u): its own table, each figure
# beside the data directory's fdatasync'd bandwidth as braid measures it in
# the same run (fio's figures above are the same disk, for comparison).
if selected u; then
	args=(--suite --suite-duration "${SUITE_DURATION:-10s}" --data "$work/data" --http "$http" --stream "bench/u-$ts")
	echo
	echo "== run u (standard suite): braid bench ${args[*]}"
	if ! "$braid" bench --addr "$grpc" "${args[@]}" </dev/null; then
		echo "bench: run u failed" >&2
		failed=1
	fi
fi
stop_server

# Catch-up reads: each against its own server, whose read cache is much
# smaller than the data, whose storage writer moves data to tier 2 within a
# second, and whose WAL is synced every 10 ms (the write phase only fills
# the stream).
catchup_events="${CATCHUP_EVENTS:-500000}"
catchup_cache="${CATCHUP_CACHE:-32MiB}"
catchup_args=(--mode catchup --events "$catchup_events" --size 1024 --producers 4 --segments 16 --inflight 256)

# catchup LABEL WHAT SERVE_ARGS... runs a catch-up run against a fresh
# server started with SERVE_ARGS (its tier 2), and with DROP_CACHES=1 a
# second one, LABEL-cold, after restarting the server and dropping the page
# cache.
catchup() {
	local label="$1" what="$2" stream="bench/$1-$ts"
	shift 2
	local serve=(--fsync=interval:10ms --cache-size "$catchup_cache" --flush-interval 1s --data "$work/data-$label" "$@")
	start_server "$label" "${serve[@]}"
	echo
	echo "== run $label (catch-up reads, $what): braid bench --stream $stream ${catchup_args[*]} --http $http --json"
	if ! "$braid" bench --addr "$grpc" --http "$http" --stream "$stream" "${catchup_args[@]}" --json </dev/null >"$work/run-$label.json"; then
		echo "bench: run $label failed" >&2
		failed=1
		stop_server
		return
	fi
	cat "$work/run-$label.json"
	echo "$label|catch-up, $what" >>"$work/read-results"
	if [ "${DROP_CACHES:-0}" = 1 ]; then
		stop_server
		start_server "$label" "${serve[@]}"
		sync
		if ! echo 3 2>/dev/null >/proc/sys/vm/drop_caches; then
			echo "bench: cannot drop the page cache (not root?); no run $label-cold" >&2
			stop_server
			return
		fi
		echo
		echo "== run $label-cold (server restarted, page cache dropped): braid bench --stream $stream --mode catchup --read-only --http $http --json"
		if "$braid" bench --addr "$grpc" --http "$http" --stream "$stream" --mode catchup --read-only --json </dev/null >"$work/run-$label-cold.json"; then
			cat "$work/run-$label-cold.json"
			echo "$label-cold|catch-up, $what, cold" >>"$work/read-results"
		else
			echo "bench: run $label-cold failed" >&2
			failed=1
		fi
	fi
	stop_server
}

if selected d; then
	catchup d "directory tier 2" --tier2 "$work/tier2-d"
fi

# S3 tier 2: a local versitygw (posix backend, on the same disk), started as
# the S3 backend's tests start it.
if selected s; then
	if ! have versitygw; then
		echo
		echo "== run s skipped: versitygw is not on PATH (go install github.com/versity/versitygw/cmd/versitygw@v1.8.0)"
	else
		s3_key=braidbench
		s3_secret=braidbenchsecret
		s3_addr="127.0.0.1:$(free_port)"
		mkdir -p "$work/s3"
		echo
		echo "== versitygw --port $s3_addr posix $work/s3"
		ROOT_ACCESS_KEY="$s3_key" ROOT_SECRET_KEY="$s3_secret" \
			versitygw --port "$s3_addr" posix "$work/s3" </dev/null >"$work/versitygw.log" 2>&1 &
		vgw_pid=$!
		deadline=$((SECONDS + 30))
		until [ "$(curl -s -o /dev/null --max-time 1 -w '%{http_code}' "http://$s3_addr/" || true)" != 000 ]; do
			if ! kill -0 "$vgw_pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
				echo "bench: versitygw did not start; its log:" >&2
				cat "$work/versitygw.log" >&2
				exit 1
			fi
			sleep 0.1
		done
		if ! curl -fsS --max-time 10 -X PUT --aws-sigv4 "aws:amz:us-east-1:s3" --user "$s3_key:$s3_secret" \
			-H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "http://$s3_addr/braid-bench"; then
			echo "bench: could not create the bucket braid-bench on versitygw" >&2
			exit 1
		fi
		catchup s "S3 (versitygw)" --tier2 s3://braid-bench/tier2 --s3-endpoint "http://$s3_addr" --s3-path-style \
			--s3-region us-east-1 --s3-access-key "$s3_key" --s3-secret-key "$s3_secret"
		stop_pid "$vgw_pid"
		vgw_pid=""
	fi
fi

# --- summary -----------------------------------------------------------------

# pct A B prints A as a percentage of B.
pct() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) print "-"; else if (100 * a / b < 10) printf "%.1f%%", 100 * a / b; else printf "%.0f%%", 100 * a / b }'
}

if [ -s "$work/results" ]; then
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
fi

# num FILE KEY prints a number field of a run's JSON, or - if it is missing.
num() {
	local v
	v="$(field "$1" "$2")"
	echo "${v:--}"
}

if [ -s "$work/read-results" ]; then
	echo
	echo "== read summary (MB = 10^6 bytes of payload; 'of disk' = MB/s / fio 1 MiB O_DIRECT read MB/s)"
	printf '%-7s %-34s %9s %8s %8s %8s %8s %7s %6s\n' run what "events/s" "MB/s" "of disk" "e2e p50" "e2e p99" "tier 2" "hits"
	while IFS='|' read -r label what; do
		f="$work/run-$label.json"
		case "$label" in
		t)
			eps="$(num "$f" tail_events_per_s)"
			mbps="$(num "$f" tail_mb_per_s)"
			printf '%-7s %-34s %9s %8s %8s %8s %8s %7s %6s\n' "$label" "$what" "$eps" "$mbps" - \
				"$(num "$f" e2e_p50_ms)" "$(num "$f" e2e_p99_ms)" - -
			;;
		*)
			eps="$(num "$f" read_events_per_s)"
			mbps="$(num "$f" read_mb_per_s)"
			ratio="-"
			if [ -n "$fio_read_mbps" ] && [ "$mbps" != - ]; then
				ratio="$(pct "$mbps" "$fio_read_mbps")"
			fi
			printf '%-7s %-34s %9s %8s %8s %8s %8s %7s %6s\n' "$label" "$what" "$eps" "$mbps" "$ratio" - - \
				"$(num "$f" tier2_share)" "$(num "$f" cache_hit_ratio)"
			;;
		esac
	done <"$work/read-results"
	echo "(t: readers following the stream as it is written; e2e = ms from Write to a reader receiving the event."
	echo " d, s: catch-up from tier 2 after the write, ${catchup_events} events of 1 KiB, one reader per segment, --cache-size $catchup_cache;"
	echo " tier 2 = bytes the server read from tier 2 / segment bytes read (1: all from tier 2; above 1: read-ahead re-read);"
	echo " hits = read-cache hit ratio. Without DROP_CACHES=1, tier 2 files may come from the page cache, not the disk)"
fi

exit "$failed"
