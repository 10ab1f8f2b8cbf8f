#!/usr/bin/env bash
# Compares two plaza binaries on one URL path, in alternating wrk runs with the nginx
# baseline, so that both see the same phases of a noisy shared machine. Prints, per
# round, requests/s, p99 and the CPU each server spent per request (utime + stime of its
# processes over the run: steadier than throughput when the machine's speed drifts).
#
#   scripts/bench-http-compare.sh BEFORE_BINARY AFTER_BINARY
#
# Settings (environment): ROUNDS (6), DURATION (6s), URL_PATH (/healthz), IO_THREADS (1),
# THREADS (2), CONNECTIONS (64). Both binaries serve the same seeded SQLite file.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh

before=${1:?usage: $0 BEFORE_BINARY AFTER_BINARY}
after=${2:?usage: $0 BEFORE_BINARY AFTER_BINARY}
rounds=${ROUNDS:-6}
duration=${DURATION:-6s}
url_path=${URL_PATH:-/healthz}
io_threads=${IO_THREADS:-1}
threads=${THREADS:-2}
connections=${CONNECTIONS:-64}

scripts/install-deps.sh build bench
begin_bench_run http-compare
nginx_port=$(free_port)
start_nginx_baseline "$work" "$nginx_port"
"$after" seed-demo --database "$work/plaza.db" >/dev/null

server_pids=()
serve() {
  local binary=$1 port=$2
  "$binary" serve --database "$work/plaza.db" --listen "127.0.0.1:$port" --data-dir "$work" --log-level info \
    --worker-threads 4 --io-threads "$io_threads" >"$work/plaza-$port.log" 2>&1 &
  server_pids+=($!)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 0.1; done
  echo "bench: $binary did not start" >&2
  return 1
}
stop_servers() {
  for pid in "${server_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  end_bench_run
}
trap stop_servers EXIT
before_port=$(free_port)
serve "$before" "$before_port"
after_port=$(free_port)
serve "$after" "$after_port"

# cpu_ticks PID…: clock ticks of user and system time over the given processes.
cpu_ticks() {
  local ticks=0 pid
  for pid in "$@"; do ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done
  echo "$ticks"
}

# measure LABEL URL PID…: one wrk run, one table row.
measure() {
  local label=$1 url=$2
  shift 2
  local t0 t1 out requests rps p99
  t0=$(cpu_ticks "$@")
  out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency "$url")
  t1=$(cpu_ticks "$@")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(to_ms "$(awk '$1=="99%" {print $2}' <<<"$out")")
  awk -v label="$label" -v rps="$rps" -v p99="$p99" -v ticks=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" \
    -v n="$requests" 'BEGIN {printf "| %-8s | %10.0f | %8s | %8.2f |\n", label, rps, p99, ticks / hz * 1e6 / n}'
}

nginx_pids=$(pgrep -P "$(cat "$work/nginx.pid")" | tr '\n' ' ')
echo "wrk -t$threads -c$connections -d$duration on $(nproc) cores, $url_path, plaza --io-threads $io_threads"
printf '| %-8s | %10s | %8s | %8s |\n' "server" "requests/s" "p99 ms" "CPU µs/request"
for round in $(seq "$rounds"); do
  # shellcheck disable=SC2086  # one pid per word
  measure nginx "http://127.0.0.1:$nginx_port/healthz" $nginx_pids
  measure before "http://127.0.0.1:$before_port$url_path" "${server_pids[0]}"
  measure after "http://127.0.0.1:$after_port$url_path" "${server_pids[1]}"
done
