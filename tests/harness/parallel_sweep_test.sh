#!/usr/bin/env bash
# parallel_sweep_test.sh SMRBENCH - scripts/parallel-sweep.sh with GNU
#   parallel on this machine (':', no ssh): bad launcher input is one line,
#   exit 2, no folder; a sweep of 4 blocks in 3 shards, with smrbench
#   copied to a staging folder and back and with --shared, leaves exactly
#   the cells of the same sweep run unsharded, each shard's run.json naming
#   its shard, and the merged set the same cells. Skips (77) only without
#   GNU parallel when not root; as root it installs it.
bin=$(realpath "$1")
. "$(dirname "$0")/../common/test_lib.sh"
. "$tests/common/sweep_lib.sh"
need_packages parallel

sweep=(-s stack -r ebr,hp -t 1,2 -n 2 -d 0.05 --warmup 0 --sample 5 --quiet) # 4 blocks, 8 cells
launch=("$repo/scripts/parallel-sweep.sh" --bin "$bin")

bad_launch "no host" --shards 3 -- "${sweep[@]}"
bad_launch "more shards than blocks" --shards 5 : -- "${sweep[@]}"
bad_launch "-o among the run flags" --shards 3 : "${sweep[@]}" -o"$tmp/bad-o"
bad_launch "--shard among the run flags" --shards 3 : -- "${sweep[@]}" --shard=0/3
bad_launch "a bad run flag" --shards 3 : -- "${sweep[@]}" -m 150
bad_launch "--shards without a value" : --shards
no_bad_folder

"$bin" run "${sweep[@]}" -o "$tmp/whole" || no "the unsharded run failed"
for mode in staged shared; do
  out=$tmp/$mode
  extra=()
  [ $mode = shared ] && extra=(--shared)
  "${launch[@]}" "${extra[@]}" --shards 3 --out "$out" : -- "${sweep[@]}" >"$tmp/$mode.log" 2>&1
  rc=$?
  check_sweep $mode "$out" 3 "$tmp/whole" "$tmp/$mode.log"
  [ "$(awk 'NR > 1 && $7 == 0' "$out/joblog" | wc -l)" -eq 3 ] && ok || { no "$mode: the joblog"; cat "$out/joblog"; }
  [ ! -e "$out/.stage" ] && ok || no "$mode: the staging folder is left"
  ! has_merge || [ $rc -eq 0 ] && ok || { no "$mode: exit $rc"; cat "$tmp/$mode.log"; }
done
test_finish parallel_sweep
