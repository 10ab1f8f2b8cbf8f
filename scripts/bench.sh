#!/usr/bin/env bash
# `make bench`: HTTP throughput and latency with wrk, as ratios to nginx serving a small
# static file on this machine in the same run (machines here are shared and noisy, so
# only same-session ratios compare), then the Google Benchmark kernels. Prints a table;
# bench/RESULTS.md records the figures.
#
# Settings (environment): DURATION (default 10s), THREADS (2), CONNECTIONS (64),
# IO_THREADS (Plaza's I/O threads, 2), BUILD_DIR (build/bench; configured with the bench
# preset if it is not yet).
#
# Plaza runs as in production: log level info, so the access log writes one line per
# request (to a file here, as stderr would be under a service manager).
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${DURATION:-10s}
threads=${THREADS:-2}
connections=${CONNECTIONS:-64}
io_threads=${IO_THREADS:-2}
build_dir=${BUILD_DIR:-build/bench}

scripts/install-deps.sh build bench
[ -f "$build_dir/build.ninja" ] || cmake --preset bench -B "$build_dir" >/dev/null
cmake --build "$build_dir" -j "$(nproc)" --target plaza plaza_http_bench
plaza=$build_dir/app/plaza

work=$(mktemp -d /tmp/plaza-bench-XXXXXX)
cleanup() {
  [ -n "${plaza_pid:-}" ] && kill "$plaza_pid" 2>/dev/null && wait "$plaza_pid" 2>/dev/null
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# nginx: one small static JSON file, as close to Plaza's /healthz answer as a file gets.
nginx_port=$(free_port)
mkdir -p "$work/www" "$work/nginx"
printf '{"status":"ok"}' > "$work/www/healthz"
# nginx's workers run unprivileged: mktemp's 0700 directory would make every answer a 403,
# and the baseline would measure error pages.
chmod 755 "$work" "$work/www"
chmod 644 "$work/www/healthz"
cat > "$work/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  default_type application/json;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$nginx_port; root $work/www; }
}
CONF
nginx -c "$work/nginx.conf"
for _ in 1 2 3 4 5 6 7 8 9 10; do curl -fsS -o /dev/null "http://127.0.0.1:$nginx_port/healthz" && break; sleep 0.2; done
curl -fsS -o /dev/null "http://127.0.0.1:$nginx_port/healthz" || { echo "bench: the nginx baseline does not answer 200" >&2; exit 1; }

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

# Runs wrk and prints "requests/s p50 p99" (latencies in ms).
measure() {
  local out
  out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency "$@")
  # A rate of error answers is no measurement.
  if grep -q 'Non-2xx' <<<"$out"; then
    echo "bench: $* answered non-2xx responses:" >&2
    grep 'Non-2xx' <<<"$out" >&2
    exit 1
  fi
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  echo "$rps $(to_ms "$p50") $(to_ms "$p99")"
}
to_ms() {
  local value=$1
  case "$value" in
    *us) awk -v v="${value%us}" 'BEGIN {printf "%.3f", v / 1000}' ;;
    *ms) awk -v v="${value%ms}" 'BEGIN {printf "%.3f", v}' ;;
    *s) awk -v v="${value%s}" 'BEGIN {printf "%.3f", v * 1000}' ;;
  esac
}

read -r nginx_rps nginx_p50 nginx_p99 < <(measure "http://127.0.0.1:$nginx_port/healthz")
read -r health_rps health_p50 health_p99 < <(measure "http://127.0.0.1:$plaza_port/healthz")
read -r api_rps api_p50 api_p99 < <(measure -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$plaza_port/api/v1/shops/aurelle/webhooks")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
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
