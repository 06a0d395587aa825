#!/usr/bin/env bash
# keyed_run_test.sh SMRBENCH SMRBENCH_FAULTS - the keyed sets through the
# run loop: every scheme's list and hashmap cells validate themselves and
# report insert and delete success rates; -k and --prefill default to the
# structure's key range and half of it; a cell whose validation fails (one
# successful insert too many handed to it: SMRBENCH_TEST_FAULT=miscount,
# smrbench-faults only) becomes a failed row naming the census, exit 1.
. "$(dirname "$0")/../common/test_lib.sh"
bin=$1 faults=$2

out=$tmp/all
"$bin" run -s list,hashmap -r all -t 1,2 -d 0.2 --warmup 0.05 -o "$out" --quiet 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] && ok || { no "every scheme: exit $rc"; cat "$tmp/err"; }
s=$out/summary.csv
schemes=$("$bin" list | awk '/^schemes:/ { on = 1; next } /^[a-z]/ { on = 0 } on && /^  [a-z]/ { print $1 }')
for st in list hashmap; do
  want_keys=1000; [ $st = hashmap ] && want_keys=100000
  for sc in $schemes; do
    [ "$sc" = dbmap-epochs ] && continue
    for t in 1 2; do
      st_ok=$(col "$s" status $st "$sc" $t)
      [ "$st_ok" = ok ] && ok || no "$st/$sc/$t: status '$st_ok' ($(col "$s" failure $st "$sc" $t))"
      [ "$(col "$s" keys $st "$sc" $t)" = $want_keys ] &&
        [ "$(col "$s" prefill $st "$sc" $t)" = $((want_keys / 2)) ] && ok ||
        no "$st/$sc/$t: keys/prefill $(col "$s" keys $st "$sc" $t)/$(col "$s" prefill $st "$sc" $t)"
      # Half the keys present, uniform keys: about half the inserts and deletes succeed.
      awk -v a="$(col "$s" insert_success $st "$sc" $t)" -v b="$(col "$s" delete_success $st "$sc" $t)" \
        'BEGIN { exit !(a > 0.3 && a < 0.7 && b > 0.3 && b < 0.7) }' && ok ||
        no "$st/$sc/$t: success rates '$(col "$s" insert_success $st "$sc" $t)' '$(col "$s" delete_success $st "$sc" $t)'"
    done
  done
done
# run.json carries the counts, null for a keyless structure.
"$bin" run -s stack,list -r ebr -t 1 -d 0.1 --warmup 0 -o "$tmp/json" --quiet 2>/dev/null
grep -q '"structure": "list".*"keys": 1000, "prefill": 500, "prefilled": 500, "inserts": [0-9]' "$tmp/json/run.json" &&
  grep -q '"structure": "stack".*"prefilled": null, "inserts": null' "$tmp/json/run.json" && ok ||
  no "run.json: keyed counts of list, nulls of stack"
[ "$(col "$tmp/json/summary.csv" insert_success stack ebr 1)" = "" ] && ok ||
  no "summary.csv: stack has an insert success rate"

# -k and --prefill given win over the defaults.
"$bin" run -s list -r hp -t 2 -d 0.1 --warmup 0 -k 64 --prefill 10 -o "$tmp/given" --quiet 2>/dev/null
[ "$(col "$tmp/given/summary.csv" keys list hp 2)" = 64 ] &&
  [ "$(col "$tmp/given/summary.csv" prefill list hp 2)" = 10 ] &&
  [ "$(col "$tmp/given/summary.csv" status list hp 2)" = ok ] && ok || no "-k 64 --prefill 10"

# A miscount must fail the validation of that cell only.
SMRBENCH_TEST_FAULT=miscount:ebr:2 "$faults" run -s list,hashmap -r ebr,hp -t 1,2 -d 0.1 \
  --warmup 0 -o "$tmp/bad" --quiet 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && ok || { no "miscount: exit $rc, want 1"; cat "$tmp/err"; }
for st in list hashmap; do
  [ "$(col "$tmp/bad/summary.csv" status $st ebr 2)" = failed ] &&
    col "$tmp/bad/summary.csv" failure $st ebr 2 | grep -q "^validation: $st holds [0-9]* keys" && ok ||
    no "miscount $st: '$(col "$tmp/bad/summary.csv" failure $st ebr 2)'"
  for c in ebr/1 hp/1 hp/2; do
    [ "$(col "$tmp/bad/summary.csv" status $st "${c%/*}" "${c#*/}")" = ok ] && ok ||
      no "miscount: $st/$c not ok"
  done
done
grep -q "validation failed: list holds" "$tmp/err" && ok || no "miscount: no message on stderr"

test_finish keyed-run
