# shellcheck shell=bash
# sweep_lib.sh - what the sweep launchers' tests share, sourced after
# test_lib.sh with $bin set and the launcher's command line in $launch:
#   bad_launch WHAT ARGS...
#                        the launcher with ARGS is bad input (one line, exit
#                        2), given an --out of its own that must not appear
#   no_bad_folder        no bad_launch created its --out
#   cell_keys DIR        the cells of DIR/summary.csv, sorted:
#                        structure,scheme,threads,mix,rep
#   has_merge            whether $bin has `smrbench merge` (not yet on every
#                        branch: without it the merged set goes unchecked)
#   check_sweep WHAT OUT N WHOLE LOG...
#                        OUT/shard-0..N-1 each name their shard in run.json
#                        and together hold WHOLE's cells, each once, and so
#                        does OUT/merged where there is a merge; the LOGs'
#                        ends are shown on a failure
bad_runs=0
bad_launch() {
  local what=$1
  shift
  bad_runs=$((bad_runs + 1))
  expect_bad "$what" "${launch[@]}" --out "$tmp/bad-$bad_runs" "$@"
}

no_bad_folder() { [ -z "$(ls -d "$tmp"/bad-* 2>/dev/null)" ] && ok || no "bad input left a folder"; }

cell_keys() { tail -n +2 "$1/summary.csv" | cut -d, -f1-5 | sort; }

has_merge() { ! "$bin" merge 2>&1 | grep -q "unknown command 'merge'"; }

check_sweep() {
  local what=$1 out=$2 n=$3 whole=$4 i
  shift 4
  for ((i = 0; i < n; i++)); do
    grep -q "\"shard\": {\"index\": $i, \"count\": $n}}" "$out/shard-$i/run.json" 2>/dev/null && ok ||
      { no "$what: shard-$i/run.json is not shard $i/$n"; tail -n 20 "$@"; }
  done
  diff <(for ((i = 0; i < n; i++)); do cell_keys "$out/shard-$i"; done | sort) <(cell_keys "$whole") && ok ||
    no "$what: the $n shards' cells are not the unsharded run's, each once"
  if has_merge; then
    diff <(cell_keys "$out/merged") <(cell_keys "$whole") && ok ||
      { no "$what: the merged set's cells are not the unsharded run's"; tail -n 20 "$@"; }
  else
    echo "NOTE $what: smrbench merge is not in this build: the merged set is not checked"
  fi
}
