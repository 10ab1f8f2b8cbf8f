#!/usr/bin/env bash
# `make lint`: clang-format (no diff allowed) and clang-tidy (.clang-tidy; findings are
# errors) over Plaza's own sources, using a dev build's compile_commands.json.
#
#   scripts/lint.sh [paths...]
#
# Paths (git pathspecs, e.g. `http modules/identity`) narrow both checks to those files;
# without them every source is checked. The build directory is $LINT_BUILD_DIR
# (default build/dev); it must have been configured, e.g. `cmake --preset dev -B build/lint`.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${LINT_BUILD_DIR:-build/dev}
if [ ! -f "$build_dir/compile_commands.json" ]; then
  echo "lint: no $build_dir/compile_commands.json; configure it first (cmake --preset dev -B $build_dir)" >&2
  exit 2
fi

scope=("$@")
# Tracked files and new ones not yet added (ignored files excluded).
files() { git ls-files --cached --others --exclude-standard "$@"; }
in_scope() {
  if [ ${#scope[@]} -eq 0 ]; then
    files "$@"
  else
    # Both sets of pathspecs must match: the requested paths and the kind of file.
    comm -12 <(files "$@" | sort) <(files -- "${scope[@]}" | sort)
  fi
}

mapfile -t sources < <(in_scope '*.cpp' '*.h' ':!:**/test_*')
echo "lint: clang-format on ${#sources[@]} files"
[ ${#sources[@]} -eq 0 ] || clang-format --dry-run --Werror "${sources[@]}"

mapfile -t units < <(in_scope 'core/src/*.cpp' 'store/src/*.cpp' 'modules/*/src/*.cpp' 'http/src/*.cpp' \
  'api/src/*.cpp' 'web/src/*.cpp' 'app/src/*.cpp' ':!:*_test.cpp')
echo "lint: clang-tidy on ${#units[@]} translation units ($build_dir)"
[ ${#units[@]} -gt 0 ] || exit 0

# The build precompiles Beast and Asio with GCC; clang cannot read GCC's .gch files, so
# clang-tidy gets the same commands without the forced include (the sources include
# every header they use themselves).
database=$(mktemp -d /tmp/plaza-lint-XXXXXX)
trap 'rm -rf "$database"' EXIT
sed -E 's# -Winvalid-pch -include [^ ]*/cmake_pch\.hxx##g' "$build_dir/compile_commands.json" \
  > "$database/compile_commands.json"
# GCC-only warning switches (e.g. -Wno-restrict for GCC 12) are unknown to clang.
clang-tidy -p "$database" --quiet --extra-arg=-Wno-unknown-warning-option "${units[@]}"
