#!/usr/bin/env bash
# Installs, with apt-get, the Debian 12 packages Plaza builds, runs and tests with.
# Idempotent and quick on a rerun: it asks dpkg first and calls apt-get only for what
# is missing. Usage: scripts/install-deps.sh [build|test|bench]...
set -euo pipefail

build_packages=(
  build-essential cmake ninja-build ccache mold pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libpq-dev libsodium-dev libssl-dev libcurl4-openssl-dev
  libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev prometheus-cpp-dev
  libhowardhinnant-date-dev tzdata
)
test_packages=(googletest libgtest-dev libgmock-dev postgresql-15 curl)
bench_packages=(libbenchmark-dev wrk nginx-light curl)

wanted=("${build_packages[@]}")
for set in "$@"; do
  case "$set" in
    build) ;;
    test) wanted+=("${test_packages[@]}") ;;
    bench) wanted+=("${bench_packages[@]}") ;;
    *) echo "install-deps: unknown package set '$set' (build, test, bench)" >&2; exit 2 ;;
  esac
done

missing=()
for package in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

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
