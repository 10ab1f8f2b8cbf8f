#!/usr/bin/env bash
# `make test`: installs what is missing, builds the dev and the ASan+UBSan configurations,
# starts a throwaway PostgreSQL cluster on loopback as a non-root user, and runs the whole
# suite on both configurations. Ends with ctest's summary; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc)
# Each CI run is a fresh clone in a new directory: compile paths relative to the tree so
# ccache's results carry over from one clone to the next.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
scripts/install-deps.sh build test

started=$(date +%s)
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$jobs"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
echo "test: build took $(( $(date +%s) - started )) s"

pg_dir=$(mktemp -d /tmp/plaza-pg-XXXXXX)
trap 'scripts/pg-test-cluster.sh stop "$pg_dir" >/dev/null 2>&1 || true' EXIT
PLAZA_TEST_PG_DSN=$(scripts/pg-test-cluster.sh start "$pg_dir")
export PLAZA_TEST_PG_DSN
export PLAZA_REQUIRE_PG=1
echo "test: PostgreSQL at $PLAZA_TEST_PG_DSN"

# The sanitizers' reports are errors: any leak or undefined behaviour fails the run.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

status=0
echo "test: suite (dev build)"
ctest --preset dev || status=1
# The sanitizers look for memory and undefined-behaviour errors in Plaza's own code, which
# is the same above the storage layer on both engines: the ASan build runs the suite on
# SQLite, and on PostgreSQL only the storage layer's tests, where the two engines' code
# differs. The dev build has already run every test on both.
echo "test: suite (ASan+UBSan build: everything on SQLite, the storage layer on PostgreSQL)"
ctest --preset asan -E '/postgres( |$)' || status=1
ctest --preset asan -L '^plaza_store_tests$' -R '/postgres( |$)' || status=1
exit $status
