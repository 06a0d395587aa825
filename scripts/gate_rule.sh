# The timing gate's decision rule, sourced by scripts/gate.sh and
# scripts/gate_power.sh so that the power measured is that of the gate CI
# runs. Needs $build (the build folder) and $threshold (percent).
#
# A set of runs regresses against the baseline when `smrbench compare`
# flags an entry: worse by at least the threshold, and the U test's p,
# corrected for the ~30 entries compared (Holm), below 0.05. Values are
# ratios to the geometric mean of the other schemes of the same primitive
# in the same run (--reference peers): a machine or a shared code path
# that is slower for every scheme moves nothing (the instruction counts
# watch shared code). A flagged set is confirmed by a second set measured
# after it, which tests only the flagged entries (gate_confirm): only an
# entry flagged by both fails the gate. On this 2-CPU
# VM, whole sets drift by ~1.5 % (sd of a set's median) between minutes,
# twice what the runs inside a set suggest; a drift that flags one set
# rarely flags the next.

# gate_compare BASE NEW: writes NEW.compare, prints the regressed entries
# on one line; returns compare's status (0, 1, or 2 on bad input).
gate_compare() {
  local rc=0
  "$build/smrbench" compare "$1" "$2" --reference peers --threshold "$threshold" \
    >"$2.compare" 2>&1 || rc=$?
  awk '$NF == "REGRESSED" { printf "%s ", $1 } END { print "" }' "$2.compare"
  return $rc
}

# gate_confirm BASE SECOND "FLAGGED": the flagged entries that the second
# set confirms, on one line: again at least the threshold worse, with the U
# test's p below 0.05 / k, Bonferroni over the k entries tested this time
# (the second set tests only what the first flagged). Writes SECOND.compare.
gate_confirm() {
  local k rc=0
  k=$(echo $3 | wc -w)
  [ "$k" -gt 0 ] || { echo ""; return 0; }
  "$build/smrbench" compare "$1" "$2" --reference peers --threshold "$threshold" \
    --correction none >"$2.compare" 2>&1 || rc=$?
  [ $rc -le 1 ] || { cat "$2.compare" >&2; return 2; }
  awk -v flagged=" $3 " -v k="$k" -v thr="$threshold" '
    index(flagged, " " $1 " ") {
      change = $4; sub(/%$/, "", change)
      # n/a: too few runs for the U test to decide; the threshold alone, as compare does
      if (change + 0 >= thr && ($5 == "n/a" || $5 + 0 < 0.05 / k)) printf "%s ", $1
    }
    END { print "" }' "$2.compare"
}
