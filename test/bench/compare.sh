#!/usr/bin/env bash
# Throughput of keyslot node against real redis-server, measured in the same
# run with the same redis-benchmark settings, reported as ratios. Only the
# commands keyslot serves today are measured; the list grows with the node.
#
# usage: test/bench/compare.sh path/to/keyslot
set -euo pipefail
bin=${1:-bin/keyslot}
tests=${BENCH_TESTS:-ping_inline,ping_mbulk}
requests=${BENCH_REQUESTS:-200000}
clients=${BENCH_CLIENTS:-50}
pipeline=${BENCH_PIPELINE:-16}

for tool in redis-server redis-benchmark; do
  command -v $tool >/dev/null || { echo "compare.sh: $tool not found (apt-get install redis-server redis-tools)"; exit 1; }
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ping() { for _ in $(seq 100); do redis-cli -p "$1" ping >/dev/null 2>&1 && return 0; sleep 0.05; done; echo "no PONG on $1"; exit 1; }

work=$(mktemp -d)
rport=$(free_port); kport=$(free_port)
redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" --logfile "$work/redis.log" &
rpid=$!
"$bin" node --port "$kport" --bind 127.0.0.1 --log-level warn >"$work/keyslot.log" 2>&1 &
kpid=$!
trap 'kill $rpid $kpid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
wait_ping "$rport"; wait_ping "$kport"

run() { redis-benchmark -p "$1" -t "$tests" -n "$requests" -c "$clients" -P "$pipeline" --csv -q 2>/dev/null | tail -n +2; }

echo "redis-benchmark -t $tests -n $requests -c $clients -P $pipeline (requests/s)"
printf '%-14s %14s %14s %8s\n' test redis-server keyslot ratio
join -t, <(run "$rport" | sort) <(run "$kport" | sort) | while IFS=, read -r name r _ _ _ _ _ _ k _; do
  name=${name//\"/}; r=${r//\"/}; k=${k//\"/}
  awk -v n="$name" -v r="$r" -v k="$k" 'BEGIN { printf "%-14s %14.0f %14.0f %8.2f\n", n, r, k, k / r }'
done
