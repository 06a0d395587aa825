#!/usr/bin/env bash
# Quick start, part 1: install what is missing, build (Release), run the
# default comparison (stack, every scheme, 1..PUs threads) and print a table.
# Extra arguments go to `smrbench run`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
dir=$(scripts/build.sh release)
exec "$dir/smrbench" run "$@"
