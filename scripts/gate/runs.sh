#!/usr/bin/env bash
# The regression gate's timing suite, measured RUNS times, one process each:
#   scripts/gate/runs.sh OUTDIR RUNS MICRO_COMMAND...
# e.g. scripts/gate/runs.sh /tmp/new 10 build/smrbench micro
# writes OUTDIR/run-01.json ... (Google Benchmark JSON), the set that
# `smrbench compare` reads from a folder: one value per file and entry.
#
# The suite (docs/gate.md says why these, and why one process per run):
# every scheme's enter_leave, protect and alloc, one thread, one
# repetition of GATE_MIN_TIME seconds (default 0.05) per run. GATE_SUITE,
# a --benchmark_filter, replaces it (tests).
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: scripts/gate/runs.sh OUTDIR RUNS MICRO_COMMAND..." >&2; exit 2; }
out=$1
runs=$2
shift 2
suite=${GATE_SUITE:-'^(enter_leave|protect|alloc)/[^/]+/threads:1$'}
mkdir -p "$out"
for i in $(seq -w 1 "$runs"); do
  "$@" --benchmark_filter="$suite" --benchmark_min_time="${GATE_MIN_TIME:-0.05}" \
       --benchmark_format=json >"$out/run-$i.json.part"
  mv "$out/run-$i.json.part" "$out/run-$i.json"
done
