#!/usr/bin/env bash
# Quick start, part 2: install what is missing, build the Release, ASan+UBSan
# and TSan variants, and run the whole test suite (ctest) in each.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
status=0
for variant in release asan tsan; do
  echo "== $variant build" >&2
  dir=$(scripts/build.sh "$variant")
  echo "== $variant tests" >&2
  (cd "$dir" && ctest -j "$(nproc)" --output-on-failure --timeout 300) || status=1
done
exit $status
