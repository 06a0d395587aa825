#!/usr/bin/env bash
# The performance regression gate (.ci/run runs it after the tests):
#   scripts/gate.sh [BUILD_DIR]             check this build against results/baselines/
#   scripts/gate.sh --refresh [BUILD_DIR]   measure the baselines anew (then commit them)
#
# 1. Instruction counts of the single-threaded primitives under callgrind
#    (scripts/insn.sh check): deterministic, within INSN_TOLERANCE (2) %.
# 2. Timing: GATE_RUNS (20) runs of the micro suite (scripts/gate_runs.sh),
#    each scheme as a ratio to `none` measured in the same run, against the
#    runs in results/baselines/micro/ with smrbench compare: an entry fails
#    when it is GATE_THRESHOLD (5) % worse and the U test gives p < 0.05.
#    Ratios still differ between CPU models, so the timing half is enforced
#    only on the CPU model the baseline was measured on; elsewhere it is
#    reported, and a --refresh on that machine type makes it count.
# BUILD_DIR defaults to build (scripts/build.sh release).
set -euo pipefail
cd "$(dirname "$0")/.."
refresh=0
if [ "${1:-}" = --refresh ]; then
  refresh=1
  shift
fi
build=${1:-build}
runs=${GATE_RUNS:-20}
threshold=${GATE_THRESHOLD:-5}
base=results/baselines/micro
[ -x "$build/smrbench" ] || { echo "gate: no $build/smrbench; build first" >&2; exit 2; }
start=$(date +%s)

if [ $refresh = 1 ]; then
  scripts/insn.sh refresh "$build"
  rm -rf "$base.new"
  scripts/gate_runs.sh "$base.new" "$runs" "$build/smrbench" micro 2>/dev/null
  rm -rf "$base"
  mv "$base.new" "$base"
  echo "gate: wrote $base ($runs runs) in $(( $(date +%s) - start )) s"
  exit 0
fi

status=0
echo "== gate: instruction counts (scripts/insn.sh check)"
scripts/insn.sh check "$build" || { rc=$?; [ $rc -eq 77 ] || status=1; }

echo "== gate: timing, $runs runs against $base (threshold $threshold %)"
new=$(mktemp -d)
trap 'rm -rf "$new"' EXIT
scripts/gate_runs.sh "$new/runs" "$runs" "$build/smrbench" micro 2>"$new/log" ||
  { cat "$new/log" >&2; exit 1; }
cpu_model() { sed -n 's/^ *"cpu_model": "\(.*\)",*$/\1/p' "$1" | head -n 1; }
was=$(cpu_model "$(ls "$base"/*.json | head -n 1)")
now=$(cpu_model "$new/runs/run-$(seq -w 1 "$runs" | head -n 1).json")
rc=0
"$build/smrbench" compare "$base" "$new/runs" --threshold "$threshold" || rc=$?
if [ $rc -eq 1 ] && [ "$was" != "$now" ]; then
  echo "gate: timing regressions NOT ENFORCED: the baseline was measured on '$was', this is" \
       "'$now' (scripts/gate.sh --refresh on this machine type)"
elif [ $rc -ne 0 ]; then
  status=1
fi
echo "== gate: $( [ $status -eq 0 ] && echo passed || echo FAILED ) in $(( $(date +%s) - start )) s"
exit $status
