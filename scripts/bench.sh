#!/usr/bin/env bash
# `make bench`: HTTP throughput and latency with wrk, as ratios to nginx serving a small
# static file on this machine in the same run (machines here are shared and noisy, so
# only same-session ratios compare), then the Google Benchmark kernels. Prints a table;
# bench/RESULTS.md records the figures.
#
# Settings (environment): DURATION (default 10s), THREADS (2), CONNECTIONS (64),
# IO_THREADS (Plaza's I/O threads, 1 as in `plaza serve`), BUILD_DIR (build/bench; configured with the bench
# preset if it is not yet).
#
# Plaza runs as in production: log level info, so the access log writes one line per
# request (to a file here, as stderr would be under a service manager).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh

duration=${DURATION:-10s}
threads=${THREADS:-2}
connections=${CONNECTIONS:-64}
# One I/O thread, Plaza's default: wrk runs on the same two cores, and a second I/O
# thread makes four busy threads on two cores, which doubles the p99 of plaza and nginx
# alike (bench/RESULTS.md, 2026-11-24).
io_threads=${IO_THREADS:-1}
build_dir=${BUILD_DIR:-build/bench}

scripts/install-deps.sh build bench
[ -f "$build_dir/build.ninja" ] || cmake --preset bench -B "$build_dir" >/dev/null
cmake --build "$build_dir" -j "$(nproc)" --target plaza plaza_http_bench
plaza=$build_dir/app/plaza

begin_bench_run bench

nginx_port=$(free_port)
start_nginx_baseline "$work" "$nginx_port"

# Plaza: a seeded SQLite database and an API token for the authenticated endpoint.
plaza_port=$(free_port)
db="$work/plaza.db"
"$plaza" seed-demo --database "$db" >/dev/null
"$plaza" serve --database "$db" --listen "127.0.0.1:$plaza_port" --data-dir "$work" --log-level info \
  --worker-threads 4 --io-threads "$io_threads" > "$work/plaza.log" 2>&1 &
plaza_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$plaza_port/healthz" >/dev/null && break; sleep 0.1; done

# An API token, obtained as an integration would: log in as the demo owner, mint a token.
api="http://127.0.0.1:$plaza_port/api/v1/shops/aurelle"
session=$(curl -sf -c "$work/cookies" -H 'Content-Type: application/json' \
  -d '{"email":"owner@aurelle.example","password":"aurelle-demo-owner"}' "$api/staff/session")
csrf=$(sed -E 's/.*"csrf_token":"([^"]+)".*/\1/' <<<"$session")
created=$(curl -sf -b "$work/cookies" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
  -d '{"name":"bench","scopes":["webhooks:write"]}' "$api/api-tokens")
token=$(sed -E 's/.*"token":"([^"]+)".*/\1/' <<<"$created")
curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"url":"http://127.0.0.1:9/bench","event_types":["order.placed"]}' "$api/webhooks" >/dev/null

# Runs wrk and prints "requests/s p50 p99" (latencies in ms); error answers are no measurement.
measure() {
  local rps p50 p99 bad
  read -r rps p50 p99 bad < <(wrk_run "$threads" "$connections" "$duration" "$@")
  if [ "$bad" != 0 ]; then
    echo "bench: $* answered $bad non-2xx responses" >&2
    exit 1
  fi
  echo "$rps $p50 $p99"
}

read -r nginx_rps nginx_p50 nginx_p99 < <(measure "http://127.0.0.1:$nginx_port/healthz")
read -r health_rps health_p50 health_p99 < <(measure "http://127.0.0.1:$plaza_port/healthz")
read -r api_rps api_p50 api_p99 < <(measure -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$plaza_port/api/v1/shops/aurelle/webhooks")

echo
echo "wrk -t$threads -c$connections -d$duration on $(nproc) cores, plaza --io-threads $io_threads, $(date -u +%Y-%m-%dT%H:%MZ)"
printf '| %-44s | %12s | %8s | %8s | %12s |\n' "target" "requests/s" "p50 ms" "p99 ms" "vs nginx"
printf '|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..46})" "--------------" "----------" "----------" "--------------"
printf '| %-44s | %12s | %8s | %8s | %12s |\n' "nginx static file (baseline)" "$nginx_rps" "$nginx_p50" "$nginx_p99" "1.00"
printf '| %-44s | %12s | %8s | %8s | %12s |\n' "plaza GET /healthz" "$health_rps" "$health_p50" "$health_p99" "$(ratio "$health_rps" "$nginx_rps")"
printf '| %-44s | %12s | %8s | %8s | %12s |\n' "plaza GET webhooks (API token, SQLite read)" "$api_rps" "$api_p50" "$api_p99" "$(ratio "$api_rps" "$nginx_rps")"
echo

for kernel in "$build_dir"/bench/*_bench; do
  [ -x "$kernel" ] && "$kernel" --benchmark_min_time=0.2
done
