#!/usr/bin/env bash
# compare_test.sh SMRBENCH - `smrbench compare` on known inputs
# (tests/fixtures/compare/) with known verdicts, and bad input: one line on stderr,
# exit 2.
. "$(dirname "$0")/../common/test_lib.sh"
bin=$1
dir=$tests/fixtures/compare

# verdict DESCRIPTION EXIT_STATUS 'REGEX that stdout must match' ARGS...
verdict() {
  local what=$1 want=$2 pattern=$3
  shift 3
  "$bin" compare "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ $rc -eq "$want" ] && grep -Eq -- "$pattern" "$tmp/out" && [ ! -s "$tmp/err" ]; then
    ok
  else
    no "$what: exit $rc (want $want), stdout must match /$pattern/"
    cat "$tmp/out" "$tmp/err"
  fi
}

bad() { expect_bad "$1" "$bin" compare "${@:2}"; }

b=$dir/micro_base.json
verdict "same file: nothing regressed" 0 '^2 compared: 0 regressed, 0 improved' "$b" "$b"
verdict "ebr 20 % slower: regressed" 1 '^enter_leave/ebr/threads:1 .* \+20\.0% .* REGRESSED$' \
  "$b" "$dir/micro_slower.json"
verdict "hp unchanged beside it" 1 '^enter_leave/hp/threads:1 .* same$' "$b" "$dir/micro_slower.json"
# 8 v 8, every new value above every old one, ties inside each sample:
# the tie-corrected normal approximation gives p = 0.000923; Holm's
# correction doubles it (two entries tested, ebr's p the smaller).
verdict "U test p-value" 1 'ebr/threads:1 .* 0\.0009  REGRESSED$' "$b" "$dir/micro_slower.json" \
  --correction none
verdict "Holm-corrected p-value" 1 'ebr/threads:1 .* 0\.0018  REGRESSED$' "$b" "$dir/micro_slower.json"
verdict "Holm: significant alone, not among two" 0 'ebr/threads:1 .* 0\.0018  noise$' \
  "$b" "$dir/micro_slower.json" --alpha 0.001
verdict "no correction: significant at 0.001" 1 'ebr/threads:1 .* 0\.0009  REGRESSED$' \
  "$b" "$dir/micro_slower.json" --alpha 0.001 --correction none
# peers: ebr against the geometric mean of none and hp, each of which
# sees ebr's 20 % in its own reference as sqrt(1.2): 8.7 % better.
verdict "peers: ebr 20 % slower" 1 '^enter_leave/ebr/threads:1 .* \+20\.0% .* REGRESSED$' \
  "$b" "$dir/micro_slower.json" --reference peers
verdict "peers: the others' reference moved" 1 '^enter_leave/hp/threads:1 .* -8\.7% .* improved$' \
  "$b" "$dir/micro_slower.json" --reference peers
verdict "peers: whole machine 30 % slower" 0 '^3 compared: 0 regressed, 0 improved' \
  "$b" "$dir/micro_machine_slower.json" --reference peers
verdict "peers: run folders" 1 '^stack/ebr/threads:1/r50 .* -15\.0% .* REGRESSED$' \
  "$dir/run_base" "$dir/run_new" --reference peers
verdict "ebr 20 % faster: improved, exit 0" 0 '^enter_leave/ebr/threads:1 .* -20\.0% .* improved$' \
  "$b" "$dir/micro_faster.json"
verdict "threshold above the change: same" 0 'ebr/threads:1 .* \+20\.0% .* same$' \
  "$b" "$dir/micro_slower.json" --threshold 25
verdict "threshold given with %" 0 'threshold 25%' "$b" "$dir/micro_slower.json" --threshold 25%
verdict "whole machine 30 % slower: ratios unchanged" 0 '^2 compared: 0 regressed' \
  "$b" "$dir/micro_machine_slower.json"
verdict "the same, --raw: every entry regressed" 1 '^3 compared: 3 regressed' \
  "$b" "$dir/micro_machine_slower.json" --raw
verdict "--raw shows the reference too" 1 '^enter_leave/none/threads:1 .* REGRESSED$' \
  "$b" "$dir/micro_machine_slower.json" --raw
verdict "time units: us read as 1000 ns" 1 'ebr/threads:1 +6\.000 ns +7\.200 ns +\+20\.0%' \
  "$b" "$dir/micro_us.json" --raw
verdict "real_time instead of cpu_time" 1 'ebr/threads:1 .* REGRESSED' \
  "$b" "$dir/micro_slower.json" --metric real
verdict "failed runs left out, said once" 1 'left out: 1 in BASE, 0 in NEW' "$b" "$dir/micro_slower.json"
verdict "2 v 2 repetitions: threshold alone" 1 'too few repetitions .* threshold alone' \
  "$dir/micro_two_reps_base.json" "$dir/micro_two_reps.json"
verdict "2 v 2 repetitions: no p-value" 1 'ebr/threads:1 .* \+20\.0% +n/a  REGRESSED$' \
  "$dir/micro_two_reps_base.json" "$dir/micro_two_reps.json"
verdict "folder of runs: one value per file" 1 '^enter_leave/ebr/threads:1 .* \+15\.0% .* REGRESSED$' \
  "$dir/runs_base" "$dir/runs_slower"
verdict "run folders: throughput 15 % lower" 1 '^stack/ebr/threads:1/r50 .* -15\.0% .* REGRESSED$' \
  "$dir/run_base" "$dir/run_new"
verdict "run folders: hp unchanged" 1 '^stack/hp/threads:1/r50 .* same$' "$dir/run_base" "$dir/run_new"
verdict "run.json given directly" 1 'stack/ebr/threads:1/r50 .* REGRESSED' \
  "$dir/run_base/run.json" "$dir/run_new/run.json"
verdict "dbmap rows have no none: said" 1 '2 entries have no .none. measured alongside' \
  "$dir/run_base" "$dir/run_new"
verdict "another reference" 0 '^stack/ebr/threads:1/r50 .* same$' \
  "$dir/run_base" "$dir/run_base" --reference hp
verdict "help" 0 'Mann-Whitney' --help
# Machine-readable reports: the same rows and verdicts as the table.
verdict "CSV: header" 1 '^entry,base,new,change_percent,p,verdict$' "$b" "$dir/micro_slower.json" \
  --format csv
verdict "CSV: a row" 1 '^enter_leave/ebr/threads:1,[0-9.]+,[0-9.]+,20\.0000,0\.00184[0-9]*,REGRESSED$' \
  "$b" "$dir/micro_slower.json" --format csv
verdict "CSV: no p-value left empty" 1 '^enter_leave/ebr/threads:1,.*,20\.0000,,REGRESSED$' \
  "$dir/micro_two_reps_base.json" "$dir/micro_two_reps.json" --format csv
verdict "JSON: a row" 1 '"entry": "enter_leave/ebr/threads:1",' "$b" "$dir/micro_slower.json" \
  --format json
verdict "JSON: the summary" 1 '"regressed": 1,' "$b" "$dir/micro_slower.json" --format json
verdict "JSON: notes" 1 '"runs that reported an error were left out: 1 in BASE, 0 in NEW"' \
  "$b" "$dir/micro_slower.json" --format json
# --confirm: NEW tests only what FIRST flagged (here ebr, k = 1), at alpha / k, uncorrected.
verdict "confirm: flagged twice, regressed" 1 \
  '^enter_leave/ebr/threads:1 .* \+20\.0% +0\.0009  REGRESSED$' "$b" "$dir/micro_slower.json" \
  --confirm "$dir/micro_slower.json"
verdict "confirm: only the flagged entries" 1 '^1 compared: 1 regressed' "$b" \
  "$dir/micro_slower.json" --confirm "$dir/micro_slower.json"
verdict "confirm: alpha / k said" 1 "confirming the 1 entries '.*micro_slower.json' flagged" \
  "$b" "$dir/micro_slower.json" --confirm "$dir/micro_slower.json"
verdict "confirm: not seen again, not regressed" 0 '^enter_leave/ebr/threads:1 .* improved$' \
  "$b" "$dir/micro_faster.json" --confirm "$dir/micro_slower.json"
verdict "confirm: nothing flagged, nothing to confirm" 0 'flagged nothing against BASE' \
  "$b" "$dir/micro_slower.json" --confirm "$b"
verdict "confirm: CSV" 1 '^enter_leave/ebr/threads:1,.*,REGRESSED$' "$b" "$dir/micro_slower.json" \
  --confirm "$dir/micro_slower.json" --format csv

bad "no arguments"
bad "one argument" "$b"
bad "three arguments" "$b" "$b" "$b"
bad "missing file" "$b" "$tmp/nope.json"
bad "not JSON" "$dir/not_json.json" "$b"
bad "neither micro nor run" "$b" "$dir/neither.json"
bad "micro against run" "$b" "$dir/run_base"
bad "empty folder" "$b" "$tmp"
bad "threshold not a number" "$b" "$b" --threshold abc
bad "negative threshold" "$b" "$b" --threshold -1
bad "alpha out of range" "$b" "$b" --alpha 2
bad "unknown metric" "$b" "$b" --metric wall
bad "unknown correction" "$b" "$b" --correction bonferroni
bad "unknown option" "$b" "$b" --bogus
bad "missing value" "$b" "$b" --threshold
bad "no entries in common" "$b" "$dir/micro_other.json"
bad "reference not measured" "$b" "$b" --reference nosuch
# Run folders go through the checked loader (runset.h): a result repeated is refused.
mkdir "$tmp/repeat"
cat >"$tmp/repeat/run.json" <<'EOF'
{"tool": "smrbench", "complete": true, "results": [
 {"structure": "stack", "scheme": "none", "threads": 1, "mix": "r50", "rep": 0, "status": "ok", "ops_per_sec": 1e6},
 {"structure": "stack", "scheme": "ebr", "threads": 1, "mix": "r50", "rep": 0, "status": "ok", "ops_per_sec": 2e6},
 {"structure": "stack", "scheme": "ebr", "threads": 1, "mix": "r50", "rep": 0, "status": "ok", "ops_per_sec": 3e6}]}
EOF
bad "a run.json repeating a result" "$dir/run_base" "$tmp/repeat"
"$bin" compare "$dir/run_base" "$tmp/repeat" 2>&1 >/dev/null | grep -q 'results\[2\] repeats results\[1\]' &&
  ok || { no "the repeated result is not named"; }
bad "unknown format" "$b" "$b" --format xml
bad "confirm: missing set" "$b" "$b" --confirm "$tmp/nope.json"
bad "confirm: a run against micro" "$b" "$b" --confirm "$dir/run_base"

test_finish compare
