#!/usr/bin/env bash
# `make lint`: clang-format (no diff allowed) and clang-tidy (.clang-tidy; findings are
# errors) over Plaza's own sources, using the dev build's compile_commands.json.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t sources < <(git ls-files '*.cpp' '*.h' ':!:**/test_*' )
echo "lint: clang-format on ${#sources[@]} files"
clang-format --dry-run --Werror "${sources[@]}"

mapfile -t units < <(git ls-files 'core/src/*.cpp' 'store/src/*.cpp' 'modules/*/src/*.cpp' 'http/src/*.cpp' \
  'api/src/*.cpp' 'web/src/*.cpp' 'app/src/*.cpp' ':!:*_test.cpp')
echo "lint: clang-tidy on ${#units[@]} translation units"
clang-tidy -p build/dev --quiet "${units[@]}"
