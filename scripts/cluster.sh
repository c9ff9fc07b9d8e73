#!/usr/bin/env bash
# Runs a three-node braid cluster on this machine: one etcd, one S3 server
# (versitygw, posix backend) and three braid nodes, each its own process,
# all on loopback ports. Ctrl-C stops everything; the data stays in DIR.
#
#   scripts/cluster.sh [DIR]          (default: ./braid-cluster)
#
# Then, from another terminal:
#   braid --addr 127.0.0.1:7470,127.0.0.1:7480,127.0.0.1:7490 stream create demo/events --segments 8
#   seq 100000 | braid --addr 127.0.0.1:7470,127.0.0.1:7480,127.0.0.1:7490 write demo/events
#   kill -9 "$(cat DIR/n2.pid)"       # a node dies; its containers move within the lease (10 s)
#   open http://127.0.0.1:7471/#/cluster
set -euo pipefail

dir=${1:-./braid-cluster}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$dir/bin" "$dir/s3/braid" "$dir/etcd"
dir=$(cd "$dir" && pwd)
export GOFLAGS=${GOFLAGS:--buildvcs=false}

echo "building braid and etcd (etcd at the version go.mod pins) into $dir/bin"
(cd "$root" && go build -o "$dir/bin/braid" ./cmd/braid && go build -o "$dir/bin/etcd" go.etcd.io/etcd/server/v3)
gw=$(command -v versitygw || true)
if [ -z "$gw" ]; then
	echo "installing versitygw into $dir/bin"
	GOBIN="$dir/bin" go install github.com/versity/versitygw/cmd/versitygw@v1.8.0
	gw="$dir/bin/versitygw"
fi

pids=()
cleanup() {
	trap - INT TERM EXIT
	echo "stopping the cluster"
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

start() { # name, then the command
	local name=$1
	shift
	"$@" >>"$dir/$name.log" 2>&1 &
	pids+=($!)
	echo $! >"$dir/$name.pid"
	echo "started $name (pid $!, log $dir/$name.log)"
}

start etcd "$dir/bin/etcd" --data-dir "$dir/etcd" --log-level warn \
	--listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
	--listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
	--initial-cluster default=http://127.0.0.1:2380
export ROOT_ACCESS_KEY=braidcluster ROOT_SECRET_KEY=braidclustersecret
start s3 "$gw" --port 127.0.0.1:7070 posix "$dir/s3" # the directory s3/braid is the bucket "braid"

export AWS_ACCESS_KEY_ID=$ROOT_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$ROOT_SECRET_KEY
for i in 1 2 3; do
	g=$((7460 + 10 * i))
	mkdir -p "$dir/n$i"
	start "n$i" "$dir/bin/braid" serve --data "$dir/n$i" --node-id "n$i" \
		--grpc "127.0.0.1:$g" --http "127.0.0.1:$((g + 1))" \
		--cluster etcd://127.0.0.1:2379 \
		--tier2 s3://braid/cluster --s3-endpoint http://127.0.0.1:7070 --s3-path-style
done

cat <<EOT

three nodes: gRPC 127.0.0.1:7470, :7480, :7490; dashboards http://127.0.0.1:7471/#/cluster, :7481, :7491
  export BRAID_ADDR=127.0.0.1:7470,127.0.0.1:7480,127.0.0.1:7490
  braid stream create demo/events --segments 8 && seq 100000 | braid write demo/events
  kill -9 \$(cat $dir/n2.pid)     # then watch its containers move on the dashboard
Ctrl-C stops the cluster.
EOT
wait
