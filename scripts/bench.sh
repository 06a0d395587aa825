#!/usr/bin/env bash
# Quick start, part 1: install what is missing, build (Release), run the
# default comparison (stack, every scheme, 1..PUs threads), print a table and
# draw the figures (results/<timestamp>/plots/). Extra arguments go to
# `smrbench run`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
dir=$(scripts/build.sh release)
exec "$dir/smrbench" run --plot "$@"
