#!/usr/bin/env bash
# The product page with its community sections at the scale of issue 5 (100,000 profiles,
# 1,000,000 posts, 5,000,000 follows): server time under wrk of a product page WITH
# community posts and one WITHOUT, each anonymous and signed in as a customer who follows
# buyers, on SQLite and PostgreSQL, as ratios to nginx serving a small static file in the
# same run, and Plaza's CPU time per request. Not part of `make bench`: it needs a shop
# seeded by plaza_social_feeds (about half an hour on SQLite) and copies 0.5 GB (SQLite)
# and 1.5 GB (PostgreSQL) each run.
#
#   scripts/bench-community-pages.sh
#
# The seeded feeds shop has posts tagging product ids 1..1,000 but no shop, products or
# orders. Each run works on a copy and makes those real: the demo shop (`plaza seed-demo
# --products 1000`) becomes shop 1 with markets, stock, shipping and 1,061 products, so ids
# 1..1,000 are sellable products; the demo customer camille.m follows the 50 profiles
# 2..51; every profile with an even id has a paid order (those among the 50 for the
# product WITH posts, the others spread over the first 1,000 products), and every third
# profile plus the 50 share their purchases, so her product page says "25 people you
# follow bought this".
#
# Settings (environment): BUILD_DIR (build/bench), PLAZA (a plaza binary instead of
# BUILD_DIR's; nothing is built when set), FEEDS_SQLITE (/tmp/feeds-bench/feeds.db, copied,
# never changed), FEEDS_PG (postgresql://plaza-pgtest@127.0.0.1:<port in
# /tmp/plaza-pg-feeds/port>/plaza: a database seeded by plaza_social_feeds; the run
# copies it with CREATE DATABASE … TEMPLATE, so nobody may be connected to it, and drops
# the copy), BACKENDS ("sqlite postgresql"), DURATION (10s), THREADS (2), CONNECTIONS
# (32), IO_THREADS (2), WORKER_THREADS (4).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh

duration=${DURATION:-10s}
threads=${THREADS:-2}
connections=${CONNECTIONS:-32}
build_dir=${BUILD_DIR:-build/bench}
backends=${BACKENDS:-sqlite postgresql}
feeds_sqlite=${FEEDS_SQLITE:-/tmp/feeds-bench/feeds.db}
if [ -z "${FEEDS_PG:-}" ] && [ -f /tmp/plaza-pg-feeds/port ]; then
  FEEDS_PG="postgresql://plaza-pgtest@127.0.0.1:$(cat /tmp/plaza-pg-feeds/port)/plaza"
fi
feeds_pg=${FEEDS_PG:-}

if [ -z "${PLAZA:-}" ]; then
  [ -f "$build_dir/build.ninja" ] || cmake --preset bench -B "$build_dir" >/dev/null
  cmake --build "$build_dir" -j "$(nproc)" --target plaza
fi
plaza=${PLAZA:-$build_dir/app/plaza}

# Profiles 1..100,000 of the seed carry customer ids equal to their own; they move out of
# the way of the demo's customers, whose profiles need their customer ids to be free.
customer_offset=1000000000
# Product 999 is tagged by ten seeded posts; the last but one product (lab-999, id 1,060)
# by none. Both are generated lab products in stock with one variant.
with_id=999

pg_copy=""
begin_bench_run community-pages
end_community_run() {
  end_bench_run
  [ -n "$pg_copy" ] && psql -q "${feeds_pg%/*}/postgres" -c "DROP DATABASE IF EXISTS $pg_copy" >/dev/null
  return 0
}
trap end_community_run EXIT

# sql DATABASE: runs standard input on the SQLite file or the PostgreSQL URL.
sql() {
  if [[ $1 == postgresql://* ]]; then
    psql -q -v ON_ERROR_STOP=1 -At "$1"
  else
    sqlite3 -bail "$1"
  fi
}

# prepare DATABASE: the seeded copy becomes a shop whose tagged products are for sale.
prepare() {
  local database=$1
  sql "$database" <<<"UPDATE social_profiles SET customer_id = customer_id + $customer_offset WHERE shop_id = 1 AND
    customer_id IS NOT NULL;"
  "$plaza" seed-demo --database "$database" --data-dir "$work" --products 1000 >/dev/null
  sql "$database" <<SQL
INSERT INTO social_follows (shop_id, follower_id, followee_id, created_at)
  SELECT 1, (SELECT id FROM social_profiles WHERE shop_id = 1 AND handle = 'camille.m'), id, 1763900000000
  FROM social_profiles WHERE shop_id = 1 AND id BETWEEN 2 AND 51;
UPDATE social_profiles SET following_count = following_count + 50 WHERE shop_id = 1 AND handle = 'camille.m';
UPDATE social_profiles SET followers_count = followers_count + 1 WHERE shop_id = 1 AND id BETWEEN 2 AND 51;
INSERT INTO social_purchase_sharing (shop_id, profile_id, created_at)
  SELECT 1, id, 1763900000000 FROM social_profiles
  WHERE shop_id = 1 AND id <= 100000 AND customer_id IS NOT NULL AND (id % 3 = 0 OR id <= 51);
INSERT INTO order_orders (shop_id, cart_token, customer_id, email, status, market_id, currency, prices_include_tax,
    subtotal, discount_total, shipping_total, tax_total, total, shipping_address, shipping_method, reservation_key,
    placed_at, paid_at, updated_at)
  SELECT 1, 'bench-' || id, customer_id, 'user' || id || '@bench.example', 'paid',
    (SELECT id FROM pricing_markets WHERE shop_id = 1 AND handle = 'eu'), 'EUR', 1, 1000, 0, 0, 167, 1000, '{}',
    'standard', 'bench-' || id, 1763900000000, 1763900000000, 1763900000000
  FROM social_profiles WHERE shop_id = 1 AND id <= 100000 AND customer_id IS NOT NULL AND id % 2 = 0;
INSERT INTO order_lines (shop_id, order_id, position, variant_id, product_id, title, sku, quantity, unit_price,
    discount, tax, total)
  SELECT 1, x.order_id, 0,
    (SELECT MIN(v.id) FROM catalog_variants v WHERE v.shop_id = 1 AND v.product_id = x.product_id), x.product_id,
    'Bench purchase', 'BENCH', 1, 1000, 0, 167, 1000
  FROM (SELECT o.id AS order_id, CASE WHEN o.customer_id - $customer_offset <= 51 THEN $with_id
          ELSE (o.customer_id - $customer_offset) % 1000 + 1 END AS product_id
        FROM order_orders o WHERE o.shop_id = 1 AND o.cart_token LIKE 'bench-%') x;
ANALYZE;
SQL
}

# serve DATABASE: starts Plaza on it; sets $base and $cookie (camille.m's session).
serve() {
  port=$(free_port)
  "$plaza" serve --database "$1" --listen "127.0.0.1:$port" --data-dir "$work" --log-level warn \
    --worker-threads "${WORKER_THREADS:-4}" --io-threads "${IO_THREADS:-2}" >"$work/plaza.log" 2>&1 &
  plaza_pid=$!
  base="http://127.0.0.1:$port"
  for _ in $(seq 100); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.1; done
  curl -sSf -c "$work/cookies" -H 'Content-Type: application/json' \
    -d '{"email":"camille@customers.aurelle.example","password":"aurelle-demo-customer"}' \
    "$base/api/v1/shops/aurelle/customers/session" >/dev/null
  cookie="plaza_customer=$(awk '$6 == "plaza_customer" {print $7}' "$work/cookies")"
}

# Plaza's user and system CPU so far, in clock ticks: divided by the requests of a run, the
# server's own cost of a page, which depends far less on the other load of the machine
# than latency does (on PostgreSQL the database server's share is not in it).
plaza_cpu_ticks() { awk '{print $14 + $15}' "/proc/$plaza_pid/stat"; }

stop() {
  kill "$plaza_pid"
  wait "$plaza_pid" 2>/dev/null || true
  plaza_pid=""
}

# check PAGE WHAT PATTERN [COOKIE]: fails unless the page answers 200 and shows PATTERN.
check() {
  local page=$1 what=$2 pattern=$3 args=(-sSf)
  [ -n "${4:-}" ] && args+=(-H "Cookie: $4")
  curl "${args[@]}" "$base$page" >"$work/page.html"
  grep -q -- "$pattern" "$work/page.html" || {
    echo "bench-community-pages: $page ($what) does not show: $pattern" >&2
    exit 1
  }
}

nginx_port=$(free_port)
start_nginx_baseline "$work" "$nginx_port"

echo "Product page with community sections: wrk -t$threads -c$connections -d$duration on $(nproc) cores," \
  "$(date -u +%Y-%m-%dT%H:%MZ); load average (1 min) after each run"
printf '| %-10s | %-44s | %10s | %7s | %7s | %8s | %12s | %5s |\n' "engine" "target" "requests/s" "p50 ms" \
  "p99 ms" "vs nginx" "Plaza CPU ms" "load"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' "------------" "----------------------------------------------" \
  "------------" "---------" "---------" "----------" "--------------" "-------"
for backend in $backends; do
  case $backend in
    sqlite)
      database="$work/plaza.db"
      cp "$feeds_sqlite" "$database"
      ;;
    postgresql)
      [ -n "$feeds_pg" ] || { echo "bench-community-pages: FEEDS_PG is not set" >&2; exit 1; }
      pg_copy="plaza_community_$$"
      psql -q "${feeds_pg%/*}/postgres" -c "CREATE DATABASE $pg_copy TEMPLATE ${feeds_pg##*/}" >/dev/null
      database="${feeds_pg%/*}/$pg_copy"
      ;;
    *) echo "bench-community-pages: unknown backend $backend" >&2; exit 1 ;;
  esac
  prepare "$database"
  with="/products/$(sql "$database" <<<"SELECT handle FROM catalog_products WHERE shop_id = 1 AND id = $with_id;")"
  without="/products/$(sql "$database" <<<"SELECT handle FROM catalog_products WHERE shop_id = 1 AND id =
    (SELECT MAX(id) - 1 FROM catalog_products WHERE shop_id = 1);")"
  serve "$database"
  check "$with" anonymous 'More posts about this product'
  check "$with" "signed in" '25 people you follow bought this' "$cookie"
  check "$without" anonymous 'Nobody has posted about this product yet.'
  check "$without" "signed in" 'Post about this product' "$cookie"

  read -r nginx_rps nginx_p50 nginx_p99 _ < <(wrk_run "$threads" "$connections" "$duration" \
    "http://127.0.0.1:$nginx_port/healthz")
  printf '| %-10s | %-44s | %10s | %7s | %7s | %8s | %12s | %5s |\n' "$backend" "nginx static file (baseline)" \
    "$nginx_rps" "$nginx_p50" "$nginx_p99" "1.00" "" "$(cut -d' ' -f1 /proc/loadavg)"
  for page in "$with" "$without"; do
    for viewer in anonymous "signed in"; do
      args=()
      [ "$viewer" = "signed in" ] && args=(-H "Cookie: $cookie")
      cpu_before=$(plaza_cpu_ticks)
      read -r rps p50 p99 bad < <(wrk_run "$threads" "$connections" "$duration" "${args[@]}" "$base$page")
      cpu_ms=$(awk -v t=$(($(plaza_cpu_ticks) - cpu_before)) -v hz="$(getconf CLK_TCK)" -v rps="$rps" \
        -v s="${duration%s}" 'BEGIN {printf "%.2f", t * 1000 / hz / (rps * s)}')
      if [ "$bad" != 0 ]; then
        echo "bench-community-pages: $page ($viewer) answered $bad non-2xx responses" >&2
        exit 1
      fi
      label="$page ($([ "$page" = "$with" ] && echo posts || echo no posts), $viewer)"
      printf '| %-10s | %-44s | %10s | %7s | %7s | %8s | %12s | %5s |\n' "$backend" "$label" "$rps" "$p50" "$p99" \
        "$(ratio "$rps" "$nginx_rps")" "$cpu_ms" "$(cut -d' ' -f1 /proc/loadavg)"
    done
  done
  stop
  if [ "$backend" = postgresql ]; then
    psql -q "${feeds_pg%/*}/postgres" -c "DROP DATABASE $pg_copy" >/dev/null
    pg_copy=""
  else
    rm -f "$database"
  fi
done
