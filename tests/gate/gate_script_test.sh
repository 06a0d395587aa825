#!/usr/bin/env bash
# gate_script_test.sh BUILD_DIR - scripts/gate/gate.sh's decisions, on a small
# suite and doctored baselines (GATE_BASELINE): unchanged passes; ebr made
# 40 % faster in the baseline (so this build looks 40 % slower) is flagged,
# confirmed by the second set and fails; the same on a baseline from
# another CPU is reported, not enforced; no build, exit 2.
. "$(dirname "$0")/../common/test_lib.sh"
build=$(cd "$1" && pwd)
export GATE_RUNS=6 GATE_MIN_TIME=0.01 GATE_INSN=0 GATE_THRESHOLD=25 GATE_BASELINE_SETS=2 GATE_BASELINE_GAP=0
export GATE_SUITE='^enter_leave/(none|ebr|hp|qsbr)/threads:1$'
gate() { # WANT_EXIT 'REGEX of stdout' BASELINE [ARGS]
  local want=$1 pattern=$2 rc=0
  GATE_BASELINE=$3 "$repo/scripts/gate/gate.sh" "${4:-$build}" >"$tmp/out" 2>&1 || rc=$?
  if [ $rc -eq "$want" ] && grep -Eq -- "$pattern" "$tmp/out"; then
    ok
  else
    no "gate on $(basename "$3"): exit $rc (want $want), want /$pattern/"
    cat "$tmp/out"
  fi
}
# scale DIR_IN DIR_OUT FACTOR: ebr's enter_leave times multiplied
scale() {
  mkdir -p "$2"
  cp "$1/machine.txt" "$2/"
  for f in "$1"/*.json; do
    awk -v k="$3" '/"name": / { ebr = index($0, "\"enter_leave/ebr/") > 0 }
      ebr && /"(cpu|real)_time": / { sub(/: [^,]*/, ": " ($2 + 0) * k) } { print }' \
      "$f" >"$2/$(basename "$f")"
  done
}

GATE_BASELINE=$tmp/base "$repo/scripts/gate/gate.sh" --refresh "$build" >"$tmp/refresh" 2>&1 ||
  { echo "FAIL refreshing a baseline"; cat "$tmp/refresh"; exit 1; }
scale "$tmp/base" "$tmp/faster" 0.6
grep -q '"cpu_time": ' "$tmp/faster/set1-run-1.json" && ! cmp -s "$tmp/base/set1-run-1.json" "$tmp/faster/set1-run-1.json" ||
  { echo "FAIL the doctored baseline is not doctored"; exit 1; }
scale "$tmp/base" "$tmp/othercpu" 0.6
echo "Another CPU, family 0 model 0 stepping 0" >"$tmp/othercpu/machine.txt"

gate 0 '^== gate: passed' "$tmp/base"
gate 1 'timing regression confirmed: enter_leave/ebr/threads:1 *$' "$tmp/faster"
gate 1 'confirming with 6 more runs' "$tmp/faster"
gate 0 'NOT ENFORCED' "$tmp/othercpu"
gate 2 'no .*/nosuch/smrbench; build first' "$tmp/base" "$tmp/nosuch"
test_finish "gate script"
