#!/usr/bin/env bash
# Commerce benchmarks (part of `make bench`): the flash sale (BUYERS buyers at once for
# STOCK units) and place-order throughput (ORDERS orders from CONCURRENCY clients, ample
# stock) with bench/flash_sale.cpp, on SQLite, on PostgreSQL, and with two Plaza processes
# on one PostgreSQL database; then wrk on the storefront routes and add-to-cart, as ratios
# to nginx serving a small static file in the same run (the machines are shared and noisy).
#
# Settings (environment): BUILD_DIR (build/bench), PLAZA and DRIVER (plaza and
# plaza_flash_sale binaries instead of BUILD_DIR's; nothing is built when both are set), BUYERS (300), STOCK (100), ORDERS (2000), CONCURRENCY (32), DURATION (10s),
# THREADS (2), CONNECTIONS (64), IO_THREADS (2), WORKER_THREADS (4), PRODUCTS (extra demo
# products for the catalog runs, 1000), PG_DSN (a PostgreSQL server whose user may create
# databases; default $PLAZA_TEST_PG_DSN; the PostgreSQL runs are skipped without one).
#
# BACKENDS (default "sqlite postgresql postgresql-2proc") picks the checkout runs; WRK=0
# skips the wrk runs; WRK_BACKENDS (default "sqlite") picks the engines of the wrk runs
# ("sqlite postgresql" for both).
#
# Seeding a large catalog takes minutes, so a seeded database can be reused:
# SEEDED_SQLITE=<file> is copied instead of seeding, SEEDED_PG=<database> (on the PG_DSN
# server) is the template of each fresh PostgreSQL database. Make them once with
# `plaza seed-demo --database <file or URL> --products N`; PRODUCTS then only labels
# the results.
#
# Each backend gets a fresh database: a SQLite file in a temporary directory, or a new
# PostgreSQL database (created and dropped here). The shop is the demo shop; the products
# are imported from a two-row Shopify CSV and the stock, market and shipping rate are set
# through the admin API as the demo owner.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh

build_dir=${BUILD_DIR:-build/bench}
buyers=${BUYERS:-300}
stock=${STOCK:-100}
orders=${ORDERS:-2000}
concurrency=${CONCURRENCY:-32}
duration=${DURATION:-10s}
threads=${THREADS:-2}
connections=${CONNECTIONS:-64}
io_threads=${IO_THREADS:-2}
worker_threads=${WORKER_THREADS:-4}
products=${PRODUCTS:-1000}
pg_dsn=${PG_DSN:-${PLAZA_TEST_PG_DSN:-}}

if [ -z "${PLAZA:-}" ] || [ -z "${DRIVER:-}" ]; then
  [ -f "$build_dir/build.ninja" ] || cmake --preset bench -B "$build_dir" >/dev/null
  cmake --build "$build_dir" -j "$(nproc)" --target plaza plaza_flash_sale
fi
plaza=$(realpath "${PLAZA:-$build_dir/app/plaza}")
driver=$(realpath "${DRIVER:-$build_dir/bench/plaza_flash_sale}")

work=$(mktemp -d /tmp/plaza-bench-commerce-XXXXXX)
pids=()
pg_databases=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  for name in "${pg_databases[@]}"; do psql -q "$pg_dsn" -c "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1; done
  rm -rf "$work"
}
trap cleanup EXIT


# serve DATABASE LOGNAME: starts Plaza on a free port; sets $port.
serve() {
  port=$(free_port)
  "$plaza" serve --database "$1" --listen "127.0.0.1:$port" --data-dir "$work" --log-level info \
    --worker-threads "$worker_threads" --io-threads "$io_threads" >"$work/$2.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 200); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 0.1; done
  echo "plaza did not start; see $work/$2.log" >&2
  cat "$work/$2.log" >&2
  exit 1
}

stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  pids=()
}

# fresh_pg NAME: creates database plaza_bench_<pid>_NAME on the PG_DSN server; sets $dsn.
fresh_pg() {
  local name="plaza_bench_$$_$1"
  psql -q "$pg_dsn" -c "CREATE DATABASE $name${SEEDED_PG:+ TEMPLATE $SEEDED_PG}" >/dev/null
  pg_databases+=("$name")
  dsn="${pg_dsn%/*}/$name"
}

# admin METHOD PATH [JSON]: the admin API as the logged-in demo owner.
admin() {
  local args=(-sS -f -b "$work/cookies" -H "X-CSRF-Token: $csrf" -X "$1")
  [ $# -ge 3 ] && args+=(-H 'Content-Type: application/json' -d "$3")
  curl "${args[@]}" "$api$2"
}

# prepare DATABASE: seeds the demo shop with its products, starts Plaza, and sets up the
# flash-sale and bulk variants; sets $port, $flash_variant, $bulk_variant, $rate, $cookie.
prepare() {
  local database=$1 name=$2
  if [ -n "${SEEDED_SQLITE:-}" ] && [[ $database != postgresql://* ]]; then
    cp "$SEEDED_SQLITE" "$database"
    "$plaza" migrate --database "$database" >/dev/null
  elif [ -n "${SEEDED_PG:-}" ] && [[ $database == postgresql://* ]]; then
    "$plaza" migrate --database "$database" >/dev/null
  else
    "$plaza" seed-demo --database "$database" --products "$products" >/dev/null 2>&1 ||
      "$plaza" seed-demo --database "$database" >/dev/null
  fi
  serve "$database" "$name"
  api="http://127.0.0.1:$port/api/v1/shops/aurelle"
  local session
  session=$(curl -sSf -c "$work/cookies" -H 'Content-Type: application/json' \
    -d '{"email":"owner@aurelle.example","password":"aurelle-demo-owner"}' "$api/staff/session")
  csrf=$(jq -r .csrf_token <<<"$session")
  cookie="plaza_staff=$(awk '$6 == "plaza_staff" {print $7}' "$work/cookies")"
  local market
  market=$(admin GET /markets | jq '[.markets[] | select(.is_default)][0].id // empty')
  if [ -z "$market" ]; then
    market=$(admin POST /markets \
      '{"handle":"bench-eu","name":"Europe","countries":["FR"],"currency":"EUR","prices_include_tax":true,"is_default":true}' |
      jq .id)
  fi
  {
    head -1 app/demo/aurelle-products.csv
    echo 'bench-flash-drop,Flash Drop,<p>Limited.</p>,Aurelle,,Serum,,TRUE,Title,Default Title,,,,,BENCH-FLASH,300,shopify,0,deny,manual,49.00,,TRUE,TRUE,,,,,FALSE,,,,g,,,active'
    echo 'bench-bulk,Bulk Serum,<p>Plenty.</p>,Aurelle,,Serum,,TRUE,Title,Default Title,,,,,BENCH-BULK,300,shopify,0,deny,manual,19.00,,TRUE,TRUE,,,,,FALSE,,,,g,,,active'
  } >"$work/products.csv"
  "$plaza" import shopify-products --database "$database" --shop aurelle "$work/products.csv" >/dev/null
  # The two imported variants are the newest ids priced in the default market.
  local after=0 page ids=""
  while page=$(admin GET "/markets/$market/prices?after=$after&limit=500" | jq '.prices[].variant_id') &&
    [ -n "$page" ]; do
    ids+=$'\n'$page
    after=$(tail -1 <<<"$page")
  done
  flash_variant=$(grep . <<<"$ids" | sort -n | tail -2 | head -1)
  bulk_variant=$(grep . <<<"$ids" | sort -n | tail -1)
  local location flash_item bulk_item zone
  location=$(admin POST /inventory/locations '{"name":"Bench warehouse","priority":0}' | jq .id)
  for kind in flash bulk; do
    local sku=BENCH-${kind^^} quantity=$stock variant=$flash_variant item
    [ "$kind" = bulk ] && quantity=10000000 && variant=$bulk_variant
    item=$(admin POST /inventory/items "{\"sku\":\"$sku\"}" | jq .id)
    admin POST "/inventory/items/$item/receive" "{\"location_id\":$location,\"quantity\":$quantity,\"reason\":\"bench\"}" >/dev/null
    admin POST /inventory/variants "{\"variant_id\":$variant,\"components\":[{\"item_id\":$item,\"quantity\":1}]}" >/dev/null
  done
  # The demo shop may already ship to France; a country belongs to one zone only.
  zone=$(admin GET /shipping/zones | jq '[.zones[] | select(any(.destinations[]; .country == "FR"))][0].id // empty')
  [ -n "$zone" ] ||
    zone=$(admin POST /shipping/zones '{"name":"Bench France","destinations":[{"country":"FR"}]}' | jq .id)
  rate=$(admin POST "/shipping/zones/$zone/rates" \
    '{"name":"Standard","kind":"flat","currency":"EUR","price_minor":490,"transit_min_days":2,"transit_max_days":4}' | jq .id)
}

results=()
# run LABEL ARGS…: the driver; its key=value line goes to the results.
run() {
  local label=$1
  shift
  local line
  line=$("$driver" --variant "$flash_variant" --rate "$rate" --staff-cookie "$cookie" "$@" 2>"$work/driver.err") || true
  results+=("$label $line")
  echo "$label $line"
  [ -s "$work/driver.err" ] && sed 's/^/    /' "$work/driver.err"
  return 0
}

commerce() {
  local label=$1 database=$2
  prepare "$database" "$label"
  local ports=$port
  if [ "${3:-}" = two ]; then
    serve "$database" "$label-2"
    ports="$ports,$port"
  fi
  run "$label flash" --mode flash --ports "$ports" --buyers "$buyers" --stock "$stock"
  "$plaza" inventory check --database "$database" >"$work/check.txt" 2>&1 && echo "  ledger check: ok" ||
    { echo "  ledger check FAILED:"; sed 's/^/    /' "$work/check.txt"; }
  run "$label throughput" --mode throughput --ports "$ports" --orders "$orders" --concurrency "$concurrency" \
    --variant "$bulk_variant"
  stop_all
}

for backend in ${BACKENDS:-sqlite postgresql postgresql-2proc}; do
  case $backend in
    sqlite) commerce sqlite "$work/plaza.db" ;;
    postgresql*)
      if [ -z "$pg_dsn" ]; then
        echo "PG_DSN / PLAZA_TEST_PG_DSN not set: $backend skipped"
        continue
      fi
      fresh_pg "${backend//-/_}"
      commerce "$backend" "$dsn" "$([ "$backend" = postgresql-2proc ] && echo two)"
      ;;
  esac
done
[ "${WRK:-1}" = 1 ] || exit 0

# wrk: nginx baseline, then storefront reads and add-to-cart on a fresh SQLite shop.
nginx_port=$(free_port)
start_nginx_baseline "$work" "$nginx_port"

wrk_rows=()
nginx_rps=
# measure LABEL WRK-ARGS…; the first run of each backend's set is nginx, the baseline.
measure() {
  local label=$1 rps p50 p99 bad
  shift
  read -r rps p50 p99 bad < <(wrk_run "$threads" "$connections" "$duration" "$@")
  [ -z "$nginx_rps" ] && nginx_rps=$rps
  wrk_rows+=("$(printf '| %-40s | %10s | %7s | %7s | %6s | %8s |' "$label" "$rps" "$p50" "$p99" \
    "$(ratio "$rps" "$nginx_rps")" "$bad")")
}

# storefront_wrk LABEL DATABASE: storefront reads and add-to-cart on a fresh shop.
storefront_wrk() {
  local label=$1
  prepare "$2" "wrk-$label"
  local base="http://127.0.0.1:$port" carts
  carts=$(for _ in $(seq "$connections"); do
    curl -sSf -H 'Content-Type: application/json' -d '{"country":"FR"}' "$api/carts" | jq -r .token
  done | paste -sd,)
  export PLAZA_SHOP=aurelle PLAZA_CARTS=$carts PLAZA_VARIANT=$bulk_variant
  local storefront=0
  if curl -sf "$api/storefront/products?country=FR&limit=24" >"$work/list.json"; then
    storefront=1
    PLAZA_HANDLES=$(jq -r '[.products[].handle] | join(",")' "$work/list.json")
    export PLAZA_HANDLES
  fi
  nginx_rps=
  wrk_rows+=("| **$label** (load average $(cut -d' ' -f1-3 /proc/loadavg)) | | | | | |")
  measure "nginx static file (baseline)" "http://127.0.0.1:$nginx_port/healthz"
  if [ "$storefront" = 1 ]; then
    measure "storefront product list (24)" -s bench/wrk/product_list.lua "$base"
    measure "storefront product by handle" -s bench/wrk/product_by_handle.lua "$base"
  else
    echo "storefront catalog routes not served by this build: list, product and search skipped"
  fi
  measure "add to cart (POST lines)" -s bench/wrk/add_to_cart.lua "$base"
  measure "shipping quote" "$api/shipping/quote?country=FR&currency=EUR&subtotal_minor=4900&weight_grams=300"
  measure "storefront markets" "$api/storefront/markets"
  # Last: on a large catalog the slowest route leaves queued requests behind it when wrk
  # stops, which would count against whatever ran next.
  if [ "$storefront" = 1 ]; then
    measure "storefront search" --timeout 10s -s bench/wrk/search.lua "$base"
  fi
  stop_all
}

for backend in ${WRK_BACKENDS:-sqlite}; do
  case $backend in
    sqlite) storefront_wrk sqlite "$work/wrk.db" ;;
    postgresql)
      if [ -z "$pg_dsn" ]; then
        echo "PG_DSN / PLAZA_TEST_PG_DSN not set: wrk on PostgreSQL skipped"
        continue
      fi
      fresh_pg wrk
      storefront_wrk postgresql "$dsn"
      ;;
  esac
done

echo
echo "plaza_flash_sale: $buyers buyers for $stock units; $orders orders from $concurrency clients;" \
  "plaza --io-threads $io_threads --worker-threads $worker_threads; $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
for line in "${results[@]}"; do echo "  $line"; done
echo
echo "wrk -t$threads -c$connections -d$duration, demo shop with $products extra products"
printf '| %-40s | %10s | %7s | %7s | %6s | %8s |\n' target "req/s" "p50 ms" "p99 ms" "×nginx" "non-2xx"
echo "|------------------------------------------|------------|---------|---------|--------|----------|"
for row in "${wrk_rows[@]}"; do echo "$row"; done
