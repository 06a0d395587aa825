#!/usr/bin/env bash
# gate_test.sh BUILD_DIR - the timing gate proves itself with the test binary
# smrbench-planted, judged by the gate's own rule (docs/gate.md, with the
# settings of scripts/gate/rule.sh): runs with a 30 % slowdown planted in ebr's
# enter are flagged against unplanted runs of the same binary; two sets of
# unplanted runs are not flagged at a 25 % threshold. Relative only: no
# absolute time is asserted.
. "$(dirname "$0")/../common/test_lib.sh"
build=$1
export GATE_SUITE='^enter_leave/(none|ebr|hp)/threads:1$'
runs=8
measure() { # SET PERCENT
  SMR_TEST_PLANT_EBR_PERCENT=$2 "$repo/scripts/gate/runs.sh" "$tmp/$1" $runs "$build/smrbench-planted" \
    2>>"$tmp/log" || { echo "FAIL measuring $1"; cat "$tmp/log"; exit 1; }
}
measure A 0
measure C 30
measure B 0
. "$repo/scripts/gate/rule.sh"

# ebr must be flagged. Other schemes are not required to pass unflagged:
# on a loaded 2-CPU machine noise alone moved an unplanted one 13 %.
threshold=5
rc=0
gate_compare "$tmp/A" "$tmp/C" || rc=$?
flagged=$(gate_regressed "$tmp/C.csv")
if [ $rc -eq 1 ] && [[ " $flagged " == *" enter_leave/ebr/threads:1 "* ]]; then
  ok
else
  no "the planted 30 % slowdown in ebr was not flagged (exit $rc)"
fi
threshold=25
rc=0
gate_compare "$tmp/A" "$tmp/B" || rc=$?
[ $rc -eq 0 ] && ok ||
  { no "two unplanted sets flagged at 25 % (exit $rc)"; }
cat "$tmp/C.compare" "$tmp/B.compare"
test_finish gate
