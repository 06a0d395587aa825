#!/usr/bin/env bash
# The regression gate's timing suite, measured RUNS times, one process each:
#   scripts/gate_runs.sh OUTDIR RUNS MICRO_COMMAND...
# e.g. scripts/gate_runs.sh /tmp/new 10 build/smrbench micro
# writes OUTDIR/run-01.json ... (Google Benchmark JSON), the set that
# `smrbench compare` reads from a folder: one value per file and entry.
#
# The suite: every scheme's enter_leave, protect and alloc, one thread, one
# repetition of GATE_MIN_TIME seconds (default 0.05) per run. (retire is
# gated by its instruction counts: its reference, `none`, takes a fresh
# page every 64 retires, whose cost swamps the ratio.) GATE_SUITE, a
# --benchmark_filter, replaces it (tests).
# Separate processes make what a process fixes at random (placement on a
# CPU, heap and stack addresses) vary between values instead of shifting
# a whole set, and within one run a scheme's measurement sits next to the
# `none` it is divided by.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: scripts/gate_runs.sh OUTDIR RUNS MICRO_COMMAND..." >&2; exit 2; }
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
