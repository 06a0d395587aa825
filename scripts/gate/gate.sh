#!/usr/bin/env bash
# The performance regression gate (.ci/run runs it after the tests); its
# rule, what it measures and why are in docs/gate.md:
#   scripts/gate/gate.sh [BUILD_DIR]             check this build against results/baselines/
#   scripts/gate/gate.sh --refresh [BUILD_DIR]   measure the baselines anew (then commit them)
# 1. instruction counts (scripts/insn.sh check); 2. timing: GATE_RUNS (20)
# runs (scripts/gate/runs.sh) against results/baselines/micro/, judged by
# `smrbench compare` with the gate's settings (scripts/gate/rule.sh), a
# flag confirmed by a second set (compare --confirm).
# BUILD_DIR defaults to build (scripts/build.sh release). Knobs: GATE_RUNS,
# GATE_THRESHOLD (5), GATE_BASELINE_SETS (3) and GATE_BASELINE_GAP (60 s)
# for --refresh; for tests: GATE_BASELINE replaces results/baselines/micro,
# GATE_INSN=0 skips the instruction counts, GATE_MIN_TIME and GATE_SUITE
# shrink the timing suite.
set -euo pipefail
cd "$(dirname "$0")/../.."
refresh=0
if [ "${1:-}" = --refresh ]; then
  refresh=1
  shift
fi
build=${1:-build}
runs=${GATE_RUNS:-20}
threshold=${GATE_THRESHOLD:-5}
base=${GATE_BASELINE:-results/baselines/micro}
insn=${GATE_INSN:-1}
[ -x "$build/smrbench" ] || { echo "gate: no $build/smrbench; build first" >&2; exit 2; }
start=$(date +%s)
machine() {
  awk -F': ' '/^model name/ { n = $2 } /^cpu family/ { f = $2 } /^model\t/ { m = $2 }
              /^stepping/ { s = $2 }
              END { printf "%s, family %s model %s stepping %s\n", n, f, m, s }' /proc/cpuinfo
}

if [ $refresh = 1 ]; then
  [ "$insn" = 0 ] || scripts/insn.sh refresh "$build"
  rm -rf "$base.new"
  sets=${GATE_BASELINE_SETS:-3}
  for s in $(seq 1 "$sets"); do
    [ "$s" = 1 ] || sleep "${GATE_BASELINE_GAP:-60}"
    scripts/gate/runs.sh "$base.new/set-$s" "$runs" "$build/smrbench" micro 2>/dev/null
    for f in "$base.new/set-$s"/run-*.json; do mv "$f" "$base.new/set$s-$(basename "$f")"; done
    rmdir "$base.new/set-$s"
  done
  machine >"$base.new/machine.txt"
  rm -rf "$base"
  mv "$base.new" "$base"
  echo "gate: wrote $base ($sets sets of $runs runs) in $(( $(date +%s) - start )) s"
  exit 0
fi

status=0
if [ "$insn" = 0 ]; then
  echo "== gate: instruction counts skipped (GATE_INSN=0)"
else
  echo "== gate: instruction counts (scripts/insn.sh check)"
  scripts/insn.sh check "$build" || { rc=$?; [ $rc -eq 77 ] || status=1; }
fi

echo "== gate: timing, $runs runs against $base (threshold $threshold %, peers, Holm)"
. scripts/gate/rule.sh
new=$(mktemp -d)
trap 'rm -rf "$new"' EXIT
measure() { # SET
  scripts/gate/runs.sh "$new/$1" "$runs" "$build/smrbench" micro 2>"$new/log" ||
    { cat "$new/log" >&2; exit 1; }
}
measure first
rc=0
gate_compare "$base" "$new/first" || rc=$?
cat "$new/first.compare"
confirmed=""
if [ $rc -eq 1 ]; then
  echo "== gate: flagged: $(gate_regressed "$new/first.csv")- confirming with $runs more runs"
  measure second
  rc2=0
  gate_compare "$base" "$new/second" --confirm "$new/first" || rc2=$?
  cat "$new/second.compare"
  [ $rc2 -le 1 ] || rc=2
  confirmed=$(gate_regressed "$new/second.csv")
  [ -n "${confirmed// /}" ] || { confirmed=""; echo "== gate: not confirmed by the second set: drift, not a regression"; }
fi
was=$(cat "$base/machine.txt" 2>/dev/null || echo "an unrecorded CPU")
now=$(machine)
if [ $rc -eq 2 ]; then
  status=1
elif [ -n "$confirmed" ] && [ "$was" != "$now" ]; then
  echo "gate: timing regressions NOT ENFORCED: the baseline was measured on '$was', this is" \
       "'$now' (scripts/gate/gate.sh --refresh on this machine type)"
elif [ -n "$confirmed" ]; then
  echo "== gate: timing regression confirmed: $confirmed"
  status=1
fi
echo "== gate: $( [ $status -eq 0 ] && echo passed || echo FAILED ) in $(( $(date +%s) - start )) s"
exit $status
