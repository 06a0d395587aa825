#!/usr/bin/env bash
# trees_run_test.sh SMRBENCH SMRBENCH_FAULTS - the tree and the queue
# through smrbench: `smrbench list` shows both; every scheme's bst and
# queue cells validate themselves (the tree reports insert and delete
# success rates, its key range defaults to 100,000 and its prefill to half
# of it; the keyless queue keeps the default prefill and refuses -k); a
# tree cell whose validation fails (one successful insert too many handed
# to it: SMRBENCH_TEST_FAULT=miscount, smrbench-faults only) becomes a
# failed row naming the census, exit 1, while the queue, which keeps its
# own counts, stays valid.
. "$(dirname "$0")/../common/test_lib.sh"
bin=$1 faults=$2

"$bin" list >"$tmp/list"
for st in bst queue; do
  grep -q "^  $st  *[A-Z]" "$tmp/list" && ok || no "smrbench list: no line for $st"
done

out=$tmp/all
"$bin" run -s bst,queue -r all -t 1,2 -d 0.2 --warmup 0.05 -o "$out" --quiet 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] && ok || { no "every scheme: exit $rc"; cat "$tmp/err"; }
s=$out/summary.csv
schemes=$("$bin" list | awk '/^schemes:/ { on = 1; next } /^[a-z]/ { on = 0 } on && /^  [a-z]/ { print $1 }')
for sc in $schemes; do
  [ "$sc" = dbmap-epochs ] && continue
  for t in 1 2; do
    for st in bst queue; do
      st_ok=$(col "$s" status $st "$sc" $t)
      [ "$st_ok" = ok ] && ok || no "$st/$sc/$t: status '$st_ok' ($(col "$s" failure $st "$sc" $t))"
    done
    [ "$(col "$s" keys bst "$sc" $t)" = 100000 ] && [ "$(col "$s" prefill bst "$sc" $t)" = 50000 ] &&
      ok || no "bst/$sc/$t: keys/prefill $(col "$s" keys bst "$sc" $t)/$(col "$s" prefill bst "$sc" $t)"
    awk -v a="$(col "$s" insert_success bst "$sc" $t)" -v b="$(col "$s" delete_success bst "$sc" $t)" \
      'BEGIN { exit !(a > 0.3 && a < 0.7 && b > 0.3 && b < 0.7) }' && ok ||
      no "bst/$sc/$t: success rates '$(col "$s" insert_success bst "$sc" $t)' '$(col "$s" delete_success bst "$sc" $t)'"
    [ "$(col "$s" prefill queue "$sc" $t)" = 1024 ] && ok ||
      no "queue/$sc/$t: prefill $(col "$s" prefill queue "$sc" $t), want 1024"
  done
done

# The queue reads no keys.
"$bin" run -s queue -r ebr -t 1 -d 0.1 -k 10 -o "$tmp/k" --quiet 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q "^smrbench.*-k: no structure of this run uses keys" "$tmp/err" && ok ||
  no "queue with -k: exit $rc, $(cat "$tmp/err")"

# A miscount must fail the tree's validation in that cell only.
SMRBENCH_TEST_FAULT=miscount:ebr:2 "$faults" run -s bst,queue -r ebr,hp -t 1,2 -d 0.1 \
  --warmup 0 -o "$tmp/bad" --quiet 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && ok || { no "miscount: exit $rc, want 1"; cat "$tmp/err"; }
b=$tmp/bad/summary.csv
[ "$(col "$b" status bst ebr 2)" = failed ] &&
  col "$b" failure bst ebr 2 | grep -q "^validation: bst holds [0-9]* keys" && ok ||
  no "miscount bst: '$(col "$b" failure bst ebr 2)'"
for c in ebr/1 hp/1 hp/2; do
  [ "$(col "$b" status bst "${c%/*}" "${c#*/}")" = ok ] && ok || no "miscount: bst/$c not ok"
done
[ "$(col "$b" status queue ebr 2)" = ok ] && ok || no "miscount: queue/ebr/2 not ok"

test_finish trees-run
