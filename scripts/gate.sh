#!/usr/bin/env bash
# The performance regression gate (.ci/run runs it after the tests):
#   scripts/gate.sh [BUILD_DIR]             check this build against results/baselines/
#   scripts/gate.sh --refresh [BUILD_DIR]   measure the baselines anew (then commit them):
#       the timing baseline is GATE_BASELINE_SETS (3) sets of GATE_RUNS runs,
#       GATE_BASELINE_GAP (60) seconds apart, pooled: one set's median can sit
#       5 % off for an entry (a set-level drift), and a committed baseline
#       that is off would fail every CI run or hide a regression in every one
#
# 1. Instruction counts of the single-threaded primitives under callgrind
#    (scripts/insn.sh check): deterministic, within INSN_TOLERANCE (2) %.
# 2. Timing: GATE_RUNS (20) runs of the micro suite (scripts/gate_runs.sh)
#    against the runs in results/baselines/micro/ with smrbench compare,
#    by the rule in scripts/gate_rule.sh: each scheme as a ratio to its
#    peers in the same run; an entry fails when it is GATE_THRESHOLD (5) %
#    worse, the Holm-corrected U test gives p < 0.05, and a second set of
#    runs measured right after confirms it (the flagged entries alone
#    tested again, Bonferroni over them). Ratios still differ between
#    CPU models, so the timing half is enforced only on the CPU the
#    baseline was measured on (model name, family, model and stepping, in
#    results/baselines/micro/machine.txt: a VM's model name alone, "AMD
#    EPYC", spans generations); elsewhere it is reported, and a --refresh
#    on that machine type makes it count.
# BUILD_DIR defaults to build (scripts/build.sh release). For tests:
# GATE_BASELINE replaces results/baselines/micro, GATE_INSN=0 skips the
# instruction counts, GATE_RUNS, GATE_MIN_TIME and GATE_SUITE shrink the
# timing suite.
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
    scripts/gate_runs.sh "$base.new/set-$s" "$runs" "$build/smrbench" micro 2>/dev/null
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
. scripts/gate_rule.sh
new=$(mktemp -d)
trap 'rm -rf "$new"' EXIT
measure() { # SET
  scripts/gate_runs.sh "$new/$1" "$runs" "$build/smrbench" micro 2>"$new/log" ||
    { cat "$new/log" >&2; exit 1; }
}
measure first
rc=0
flagged=$(gate_compare "$base" "$new/first") || rc=$?
cat "$new/first.compare"
confirmed=""
if [ $rc -eq 1 ]; then
  echo "== gate: flagged: $flagged- confirming with $runs more runs"
  measure second
  rc2=0
  confirmed=$(gate_confirm "$base" "$new/second" "$flagged") || rc2=$?
  cat "$new/second.compare"
  [ $rc2 -eq 0 ] || rc=2
  [ -n "$confirmed" ] || echo "== gate: not confirmed by the second set: drift, not a regression"
fi
was=$(cat "$base/machine.txt" 2>/dev/null || echo "an unrecorded CPU")
now=$(machine)
if [ $rc -eq 2 ]; then
  status=1
elif [ -n "$confirmed" ] && [ "$was" != "$now" ]; then
  echo "gate: timing regressions NOT ENFORCED: the baseline was measured on '$was', this is" \
       "'$now' (scripts/gate.sh --refresh on this machine type)"
elif [ -n "$confirmed" ]; then
  echo "== gate: timing regression confirmed: $confirmed"
  status=1
fi
echo "== gate: $( [ $status -eq 0 ] && echo passed || echo FAILED ) in $(( $(date +%s) - start )) s"
exit $status
