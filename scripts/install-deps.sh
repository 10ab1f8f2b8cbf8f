#!/usr/bin/env bash
# Installs, with apt-get, the Debian 12 packages Plaza builds, runs and tests with.
# Idempotent and quick on a rerun: it asks dpkg first and calls apt-get only for what
# is missing. Usage: scripts/install-deps.sh [build|test|bench]...
# "test" also installs the browser tests' npm packages (tests/browser/package-lock.json).
set -euo pipefail

build_packages=(
  build-essential cmake ninja-build ccache mold pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libpq-dev libsodium-dev libssl-dev libcurl4-openssl-dev zlib1g-dev
  libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev prometheus-cpp-dev
  libhowardhinnant-date-dev tzdata libicu-dev libvips-dev
)
# chromium and its fonts for the browser tests (tests/browser), which also need the
# machine's Node.js and npm for their node_modules.
test_packages=(googletest libgtest-dev libgmock-dev postgresql-15 curl chromium fonts-liberation)
bench_packages=(libbenchmark-dev wrk nginx-light curl jq chromium)

wanted=("${build_packages[@]}")
browser_tests=false
for set in "$@"; do
  case "$set" in
    build) ;;
    test) wanted+=("${test_packages[@]}"); browser_tests=true ;;
    bench) wanted+=("${bench_packages[@]}") ;;
    *) echo "install-deps: unknown package set '$set' (build, test, bench)" >&2; exit 2 ;;
  esac
done

# `npm ci` in tests/browser, skipped when node_modules already holds what
# package-lock.json lists (npm ci would delete and reinstall it every time).
install_browser_test_modules() {
  local dir
  dir="$(cd "$(dirname "$0")/.." && pwd)/tests/browser"
  if cmp -s "$dir/package-lock.json" "$dir/node_modules/.plaza-installed-lock.json"; then
    return 0
  fi
  if ! command -v npm >/dev/null; then
    echo "install-deps: the browser tests need Node.js 20 and npm, which are not on this machine" >&2
    exit 1
  fi
  echo "install-deps: npm ci in tests/browser"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$dir/package-lock.json" "$dir/node_modules/.plaza-installed-lock.json"
}

missing=()
for package in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  if $browser_tests; then install_browser_test_modules; fi
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: these packages are missing and installing them needs root: ${missing[*]}" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may have no package lists yet; fetch them only when the install needs them.
if ! apt-get install -y --no-install-recommends "${missing[@]}"; then
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi
# Debian starts a cluster when postgresql is installed; tests use their own throwaway one.
if [[ " ${missing[*]} " == *" postgresql-15 "* ]] && command -v pg_ctlcluster >/dev/null; then
  pg_ctlcluster 15 main stop >/dev/null 2>&1 || true
fi
if $browser_tests; then install_browser_test_modules; fi
