#!/usr/bin/env bash
# Storefront page benchmarks (part of `make bench`): server time of the home, collection
# and product pages under wrk as ratios to nginx serving a small static file in the same
# run; the weight of each page (HTML, stylesheet and scripts, raw and gzipped); and
# Lighthouse (npm, mobile settings, Debian's Chromium) scores for the same three pages.
#
# Settings (environment): BUILD_DIR (build/bench), PLAZA (a plaza binary instead of
# BUILD_DIR's; nothing is built when set), DATABASE (a seeded SQLite file to copy instead
# of the demo shop), DURATION (10s), THREADS (2), CONNECTIONS (32), IO_THREADS (2),
# WORKER_THREADS (4), LIGHTHOUSE=0 skips Lighthouse.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh

duration=${DURATION:-10s}
threads=${THREADS:-2}
connections=${CONNECTIONS:-32}
build_dir=${BUILD_DIR:-build/bench}

scripts/install-deps.sh build bench
command -v npm >/dev/null || { echo "bench-pages: Lighthouse needs Node.js and npm" >&2; exit 1; }
if [ -z "${PLAZA:-}" ]; then
  [ -f "$build_dir/build.ninja" ] || cmake --preset bench -B "$build_dir" >/dev/null
  cmake --build "$build_dir" -j "$(nproc)" --target plaza
fi
plaza=${PLAZA:-$build_dir/app/plaza}
if [ "${LIGHTHOUSE:-1}" = 1 ]; then
  (cd bench/pages && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

begin_bench_run pages

nginx_port=$(free_port)
start_nginx_baseline "$work" "$nginx_port"

port=$(free_port)
db="$work/plaza.db"
if [ -n "${DATABASE:-}" ]; then
  cp "$DATABASE" "$db"
else
  "$plaza" seed-demo --database "$db" >/dev/null
fi
"$plaza" serve --database "$db" --listen "127.0.0.1:$port" --data-dir "$work" --log-level info \
  --worker-threads "${WORKER_THREADS:-4}" --io-threads "${IO_THREADS:-2}" >"$work/plaza.log" 2>&1 &
plaza_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.1; done

# The pages measured: the first collection and the first product the home page links to.
curl -sf "$base/" >"$work/home.html"
collection=$(grep -o 'href="/collections/[^"?]*"' "$work/home.html" | head -1 | sed -E 's/href="([^"]*)"/\1/')
product=$(grep -o 'href="/products/[^"?]*"' "$work/home.html" | head -1 | sed -E 's/href="([^"]*)"/\1/')
if [ -z "$collection" ] || [ -z "$product" ]; then
  echo "bench-pages: the home page links to no collection or no product" >&2
  exit 1
fi
pages=("/" "$collection" "$product")

echo
echo "Server time: wrk -t$threads -c$connections -d$duration on $(nproc) cores, load average" \
  "$(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
printf '| %-34s | %10s | %7s | %7s | %8s |\n' "target" "requests/s" "p50 ms" "p99 ms" "vs nginx"
printf '|%s|%s|%s|%s|%s|\n' "------------------------------------" "------------" "---------" "---------" "----------"
read -r nginx_rps nginx_p50 nginx_p99 _ < <(wrk_run "$threads" "$connections" "$duration" \
  "http://127.0.0.1:$nginx_port/healthz")
printf '| %-34s | %10s | %7s | %7s | %8s |\n' "nginx static file (baseline)" "$nginx_rps" "$nginx_p50" "$nginx_p99" "1.00"
for page in "${pages[@]}"; do
  read -r rps p50 p99 bad < <(wrk_run "$threads" "$connections" "$duration" "$base$page")
  if [ "$bad" != 0 ]; then
    echo "bench-pages: $page answered $bad non-2xx responses" >&2
    exit 1
  fi
  printf '| %-34s | %10s | %7s | %7s | %8s |\n' "GET $page" "$rps" "$p50" "$p99" "$(ratio "$rps" "$nginx_rps")"
done

# Page weight: the HTML and every same-origin stylesheet and script it links.
gz() { gzip -9c | wc -c; }
echo
echo "Page weight (bytes; gzip -9 for the compressed column)"
printf '| %-34s | %9s | %9s | %12s | %12s | %12s |\n' "page" "HTML" "HTML gz" "CSS+JS" "CSS+JS gz" "scripts gz"
printf '|%s|%s|%s|%s|%s|%s|\n' "------------------------------------" "-----------" "-----------" "--------------" \
  "--------------" "--------------"
for page in "${pages[@]}"; do
  curl -sf "$base$page" >"$work/page.html"
  html=$(wc -c <"$work/page.html")
  html_gz=$(gz <"$work/page.html")
  assets=0 assets_gz=0 scripts_gz=0
  for asset in $(grep -oE '(href|src)="/assets/[^"]*"' "$work/page.html" | sed -E 's/^(href|src)="([^"]*)"/\2/' | sort -u); do
    curl -sf "$base$asset" >"$work/asset"
    assets=$((assets + $(wc -c <"$work/asset")))
    size_gz=$(gz <"$work/asset")
    assets_gz=$((assets_gz + size_gz))
    [[ "$asset" == *.js* ]] && scripts_gz=$((scripts_gz + size_gz))
  done
  printf '| %-34s | %9s | %9s | %12s | %12s | %12s |\n' "$page" "$html" "$html_gz" "$assets" "$assets_gz" "$scripts_gz"
done

[ "${LIGHTHOUSE:-1}" = 1 ] || exit 0
echo
echo "Lighthouse $(bench/pages/node_modules/.bin/lighthouse --version), mobile (default emulation and throttling), $(chromium --version 2>/dev/null)"
printf '| %-34s | %11s | %13s | %14s | %5s |\n' "page" "performance" "accessibility" "best practices" "SEO"
printf '|%s|%s|%s|%s|%s|\n' "------------------------------------" "-------------" "---------------" "----------------" "-------"
chrome_flags="--headless=new --disable-gpu"
[ "$(id -u)" -eq 0 ] && chrome_flags="$chrome_flags --no-sandbox"
for page in "${pages[@]}"; do
  bench/pages/node_modules/.bin/lighthouse "$base$page" --quiet --chrome-path=/usr/bin/chromium \
    --chrome-flags="$chrome_flags" --only-categories=performance,accessibility,best-practices,seo \
    --output=json --output-path="$work/lighthouse.json" >/dev/null 2>"$work/lighthouse.log" || {
    echo "bench-pages: Lighthouse failed on $page:" >&2
    tail -20 "$work/lighthouse.log" >&2
    exit 1
  }
  read -r perf a11y practices seo < <(jq -r '[.categories.performance.score, .categories.accessibility.score,
    .categories["best-practices"].score, .categories.seo.score] | map(. * 100 | round) | @tsv' "$work/lighthouse.json")
  printf '| %-34s | %11s | %13s | %14s | %5s |\n' "$page" "$perf" "$a11y" "$practices" "$seo"
  # What cost points, so a score below 100 says why.
  jq -r '[.audits[] | select(.score != null and .score < 0.9 and .scoreDisplayMode != "informative"
    and .scoreDisplayMode != "manual" and .scoreDisplayMode != "notApplicable") | "\(.id) (\(.score))"]
    | if length > 0 then "    below 0.9: " + join(", ") else empty end' "$work/lighthouse.json"
done
