#!/usr/bin/env bash
# keyslot node against real redis-server, measured in the same run with the
# same settings, reported as ratios (keyslot / redis-server):
#   1. throughput: redis-benchmark, 50 clients, without pipelining and with -P 16;
#   2. memory: resident set size after loading 1M small string keys, and after
#      loading one hash of 1M fields, into a fresh server of each kind.
#
# usage: test/bench/compare.sh path/to/keyslot
# BENCH_TESTS, BENCH_REQUESTS, BENCH_CLIENTS, BENCH_PIPELINES, BENCH_KEYS
# override the defaults; BENCH_MEMORY=0 skips the memory part and
# BENCH_PIPELINES= (empty) the throughput part.
set -euo pipefail
bin=${1:-bin/keyslot}
tests=${BENCH_TESTS:-set,get,incr,lpush,lpop,sadd,hset,spop,zadd,mset}
requests=${BENCH_REQUESTS:-200000}
clients=${BENCH_CLIENTS:-50}
pipelines=${BENCH_PIPELINES-1 16}
keys=${BENCH_KEYS:-1000000}

for tool in redis-server redis-benchmark redis-cli python3; do
  command -v $tool >/dev/null || { echo "compare.sh: $tool not found (apt-get install redis-server redis-tools)"; exit 1; }
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ping() { for _ in $(seq 100); do redis-cli -p "$1" ping >/dev/null 2>&1 && return 0; sleep 0.05; done; echo "no PONG on $1"; exit 1; }

work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

# start_pair starts a fresh redis-server and keyslot node; sets rport/kport
# and rpid/kpid.
start_pair() {
  rport=$(free_port); kport=$(free_port)
  redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" --logfile "$work/redis.log" &
  rpid=$!
  "$bin" node --port "$kport" --bind 127.0.0.1 --log-level warn >"$work/keyslot.log" 2>&1 &
  kpid=$!
  pids+=("$rpid" "$kpid")
  wait_ping "$rport"; wait_ping "$kport"
}
stop_pair() { kill "$rpid" "$kpid" 2>/dev/null; wait "$rpid" "$kpid" 2>/dev/null || true; }

ratio() { awk -v n="$1" -v r="$2" -v k="$3" 'BEGIN { printf "%-22s %14.0f %14.0f %8.2f\n", n, r, k, k / r }'; }

start_pair
for p in $pipelines; do
  run() { redis-benchmark -p "$1" -t "$tests" -n "$requests" -c "$clients" -P "$p" -r 100000 --csv -q 2>/dev/null | tail -n +2; }
  echo
  echo "throughput: redis-benchmark -t $tests -n $requests -c $clients -P $p -r 100000 (requests/s)"
  printf '%-22s %14s %14s %8s\n' test redis-server keyslot ratio
  join -t, <(run "$rport" | sort) <(run "$kport" | sort) | while IFS=, read -r name r _ _ _ _ _ _ k _; do
    ratio "${name//\"/}" "${r//\"/}" "${k//\"/}"
  done
done
stop_pair

[ "${BENCH_MEMORY:-1}" = 0 ] && exit 0

rss() { awk '/VmRSS/ { print $2 * 1024 }' "/proc/$1/status"; }
# load writes RESP commands from a generator to a server with redis-cli --pipe.
load() {
  local out
  out=$(python3 -c "$2" | redis-cli -p "$1" --pipe 2>&1 | tail -n 1)
  case "$out" in *"errors: 0,"*) ;; *) echo "loading into port $1 failed: $out"; exit 1 ;; esac
}
strings_gen="
import sys
out = sys.stdout.buffer
for i in range($keys):
    k = b'key:%012d' % i
    out.write(b'*3\r\n\$3\r\nSET\r\n\$%d\r\n%s\r\n\$3\r\nxxx\r\n' % (len(k), k))
"
hash_gen="
import sys
out = sys.stdout.buffer
n, batch = $keys, 1000
for start in range(0, n, batch):
    parts = [b'HSET', b'bighash']
    for i in range(start, min(n, start + batch)):
        parts += [b'field:%d' % i, b'value:%d' % i]
    out.write(b'*%d\r\n' % len(parts) + b''.join(b'\$%d\r\n%s\r\n' % (len(p), p) for p in parts))
"
echo
echo "memory: resident set size in bytes after loading into a fresh server"
printf '%-22s %14s %14s %8s\n' dataset redis-server keyslot ratio
for set in strings hash; do
  start_pair
  gen=strings_gen; [ $set = hash ] && gen=hash_gen
  r0=$(rss "$rpid"); k0=$(rss "$kpid")
  load "$rport" "${!gen}"; load "$kport" "${!gen}"
  sleep 1
  name="$keys string keys"; [ $set = hash ] && name="hash of $keys fields"
  ratio "$name" $(( $(rss "$rpid") - r0 )) $(( $(rss "$kpid") - k0 ))
  stop_pair
done
