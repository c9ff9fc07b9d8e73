#!/usr/bin/env bash
# The HTTP data path against a fresh `braid serve --fsync=always`, next to the
# gRPC client on the same server and fio on the same disk, in one sitting:
#
#   1. fio (if installed): sequential 1 MiB writes with an fsync after each,
#      the disk's fsync'd write bandwidth;
#   2. upload: a SIZE random file with `curl -T` to
#      PUT /v1/streams/bench/http/file?split=bytes:1048576;
#   3. download: GET /v1/streams/bench/http/blob with curl to /dev/null (as
#      braid bench's reads discard), then again through sha256sum to check
#      the bytes against the original;
#   4. upload with split=lines (a text file of 200-byte lines, SIZE bytes);
#   5. gRPC: `braid bench` writing and reading SIZE of 1 MiB events to one
#      segment.
#
#   scripts/bench-http.sh           (./braid must be built: make build)
#
# Environment: BENCH_DIR (where data and files go, default $TMPDIR or /tmp), REPEAT (runs, default 3),
# BRAID (default ./braid), SIZE_MIB (default 1024), KEEP=1 keeps the files.
# MB is 10^6 bytes.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
braid="${BRAID:-./braid}"
size_mib="${SIZE_MIB:-1024}"
for tool in curl sha256sum; do
	command -v "$tool" >/dev/null 2>&1 || { echo "bench-http: $tool is needed" >&2; exit 1; }
done
[ -x "$braid" ] || { echo "bench-http: no executable $braid; run 'make build' first" >&2; exit 1; }

base="${BENCH_DIR:-${TMPDIR:-/tmp}}"
work="$(mktemp -d "${base%/}/braid-bench-http.XXXXXX")"
pid=""
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	if [ "${KEEP:-}" != 1 ]; then rm -rf "$work"; else echo "kept $work"; fi
}
trap cleanup EXIT

mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / s / 1e6 }'; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

if command -v fio >/dev/null 2>&1; then
	fio --name=seqfsync --filename="$work/fio.dat" --rw=write --bs=1M --size=1G \
		--fdatasync=1 --ioengine=psync --output-format=json >"$work/fio.json"
	rm -f "$work/fio.dat"
	fio_bw=$(python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["jobs"][0]["write"]["bw_bytes"] / 1e6))' "$work/fio.json")
	echo "fio: 1 GiB of 1 MiB writes, fdatasync after each: $fio_bw MB/s"
else
	fio_bw=""
	echo "fio not installed: no disk figure (apt-get install fio)"
fi
ratio() { [ -n "$fio_bw" ] && awk -v a="$1" -v b="$fio_bw" 'BEGIN { printf " (%.2f of fio)", a / b }'; }

grpc_port=$((20000 + RANDOM % 10000))
http_port=$((grpc_port + 1))
"$braid" serve --data "$work/data" --grpc "127.0.0.1:$grpc_port" --http "127.0.0.1:$http_port" \
	--log-level warn 2>"$work/server.log" &
pid=$!
url="http://127.0.0.1:$http_port"
for _ in $(seq 100); do curl -sf "$url/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -sf "$url/readyz" >/dev/null || { echo "server did not come up:"; cat "$work/server.log"; exit 1; }

head -c "$((size_mib << 20))" /dev/urandom >"$work/file.bin"
sync "$work/file.bin" # written back now, not while the server fsyncs
bytes=$(stat -c %s "$work/file.bin")
base64 -w 199 "$work/file.bin" | head -c "$bytes" >"$work/file.txt" || true # head closes the pipe early
sync "$work/file.txt"

# The runs alternate HTTP and gRPC on one server, REPEAT times: on a shared
# disk single runs vary by tens of percent.
for r in $(seq "${REPEAT:-3}"); do
	echo "-- run $r"
	curl -sf -X PUT "$url/v1/streams/bench/http$r" -H 'Content-Type: application/json' -d '{"create_scope": true}' >/dev/null

	t0=$(now)
	curl -sSf -T "$work/file.bin" -H 'Content-Type: application/octet-stream' \
		"$url/v1/streams/bench/http$r/file?split=bytes:1048576" -o "$work/up.json"
	t1=$(now)
	up=$(secs "$t0" "$t1")
	echo "upload   $size_mib MiB split=bytes:1048576: ${up}s, $(mbps "$bytes" "$up") MB/s$(ratio "$(mbps "$bytes" "$up")")"

	t0=$(now)
	curl -sSf "$url/v1/streams/bench/http$r/blob" -o /dev/null
	t1=$(now)
	down=$(secs "$t0" "$t1")
	same=no
	[ "$(sha256sum <"$work/file.bin")" = "$(curl -sSf "$url/v1/streams/bench/http$r/blob" | sha256sum)" ] && same=yes
	echo "download $size_mib MiB blob to /dev/null: ${down}s, $(mbps "$bytes" "$down") MB/s; a second download's SHA-256 equals the file's: $same"

	curl -sf -X PUT "$url/v1/streams/bench/lines$r" -H 'Content-Type: application/json' -d '{}' >/dev/null
	t0=$(now)
	curl -sSf -T "$work/file.txt" "$url/v1/streams/bench/lines$r/file?split=lines" -o "$work/up-lines.json"
	t1=$(now)
	lines=$(secs "$t0" "$t1")
	events=$(sed -n 's/.*"events": \([0-9]*\).*/\1/p' "$work/up-lines.json")
	echo "upload   $size_mib MiB split=lines ($events events of 200 bytes): ${lines}s, $(mbps "$bytes" "$lines") MB/s$(ratio "$(mbps "$bytes" "$lines")")"
	"$braid" bench --addr "127.0.0.1:$grpc_port" --stream "bench/grpc$r" --segments 1 \
		--events "$size_mib" --size 1048576 --producers 1 | sed -n '3,4p'
done
