#!/usr/bin/env bash
# run_shard_test.sh SMRBENCH - `smrbench run --shard I/N` and `--plan`:
#   the shards' plans are disjoint and together are the whole plan, every
#   scheme of a block in one shard; shards run for real hold exactly the
#   cells of the same sweep run whole (structure, scheme, threads, rep),
#   and their run.json carry the same plan id and their shard; the id
#   follows what defines the cells and not where results go; a bad --shard
#   is one line, exit 2, nothing written.
bin=$(realpath "$1")
. "$(dirname "$0")/../common/test_lib.sh"
cells() { grep -v '^#' "$1"; } # a --plan listing's cell lines
plan_id() { sed -n 's/^# plan \([0-9a-f]*\).*/\1/p' "$1"; }
json_id() { sed -n 's/.*"plan": {"id": "\([0-9a-f]*\)".*/\1/p' "$1"; }
keys() { tail -n +2 "$1/summary.csv" | cut -d, -f1-3,5 | sort; } # structure,scheme,threads,rep

sweep=(run -s stack,list -r ebr,hp,none -t 1,2 -n 3 -d 0.05 --warmup 0 --sample 5 --quiet)
"$bin" "${sweep[@]}" --plan >"$tmp/whole" || no "--plan failed"
[ "$(cells "$tmp/whole" | wc -l)" -eq 36 ] && ok || no "--plan lists $(cells "$tmp/whole" | wc -l) cells, want 36"
grep -q '^# 36 cell(s) here of 36 in 12 block(s)' "$tmp/whole" && ok || { no "--plan's summary"; cat "$tmp/whole"; }
for n in 1 3 5 12 13; do
  : >"$tmp/union"
  for ((i = 0; i < n; i++)); do
    "$bin" "${sweep[@]}" --shard "$i/$n" --plan >"$tmp/p$i" || no "--shard $i/$n --plan failed"
    [ "$(plan_id "$tmp/p$i")" = "$(plan_id "$tmp/whole")" ] || no "shard $i/$n has another plan id"
    cells "$tmp/p$i" >>"$tmp/union"
    # every block (its number, last field) lies in shard block mod n, whole
    awk -v i="$i" -v n="$n" '$5 % n != i { bad = 1 } END { exit bad }' <(cells "$tmp/p$i") ||
      no "shard $i/$n holds a block of another shard"
  done
  diff <(sort "$tmp/union") <(cells "$tmp/whole" | sort) >/dev/null && ok ||
    no "the $n shards' plans are not the whole plan, each cell once"
done
# A block's schemes run interleaved in one shard: 3 schemes per block line-up.
[ "$(cells "$tmp/p0" | awk '{ print $5 }' | uniq -c | awk '$1 != 3' | wc -l)" -eq 0 ] && ok ||
  no "a block of shard 0/13 is split"

# Real runs: two shards against the whole sweep.
"$bin" "${sweep[@]}" -o "$tmp/all" || no "the unsharded run failed"
"$bin" "${sweep[@]}" --shard 0/2 -o "$tmp/s0" || no "shard 0/2 failed"
"$bin" "${sweep[@]}" --shard 1/2 -o "$tmp/s1" || no "shard 1/2 failed"
diff <(cat <(keys "$tmp/s0") <(keys "$tmp/s1") | sort) <(keys "$tmp/all") >/dev/null && ok ||
  no "the two shards' cells are not the unsharded run's, each once"
[ -n "$(keys "$tmp/s0")" ] && [ -n "$(keys "$tmp/s1")" ] && ok || no "a shard ran nothing"
id=$(json_id "$tmp/all/run.json")
[ -n "$id" ] && [ "$(json_id "$tmp/s0/run.json")" = "$id" ] && [ "$(json_id "$tmp/s1/run.json")" = "$id" ] &&
  [ "$id" = "$(plan_id "$tmp/whole")" ] && ok || no "plan ids differ: $id vs the shards' run.json"
grep -q '"shard": {"index": 1, "count": 2}}' "$tmp/s1/run.json" && grep -q '"shard": null}' "$tmp/all/run.json" &&
  grep -q '"complete": true' "$tmp/s1/run.json" && ok || no "run.json does not record the shard"

# The id: the same for another -o or --format, another for another window.
"$bin" "${sweep[@]}" -o "$tmp/elsewhere" --format csv --plan >"$tmp/p-o"
"$bin" run -s stack,list -r ebr,hp,none -t 1,2 -n 3 -d 0.06 --warmup 0 --sample 5 --plan >"$tmp/p-d"
[ "$(plan_id "$tmp/p-o")" = "$(plan_id "$tmp/whole")" ] && ok || no "-o or --format changed the plan id"
[ "$(plan_id "$tmp/p-d")" != "$(plan_id "$tmp/whole")" ] && ok || no "-d did not change the plan id"
[ ! -e "$tmp/elsewhere" ] && ok || no "--plan wrote a folder"

# Bad --shard: one line naming the flag, exit 2, nothing written.
for bad in 2/2 1 a/b 0/0 -1/2 1/2x "1/ 2" 0/65537; do
  "$bin" "${sweep[@]}" --shard "$bad" -o "$tmp/bad" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "^smrbench: --shard: '$bad' is not a shard; allowed: I/N" "$tmp/err" &&
    [ ! -e "$tmp/bad" ] && ok || { no "--shard '$bad': exit $rc"; cat "$tmp/err"; }
done

test_finish run_shard
