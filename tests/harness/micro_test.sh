#!/usr/bin/env bash
# micro_test.sh SMRBENCH - `smrbench micro` through the Google Benchmark
# shim: a filtered run writes JSON that names what it ran (and compare
# reads it), flags pass through, bad input gets one line and exit 2.
. "$(dirname "$0")/../common/test_lib.sh"
bin=$1

# A filtered run: primitives and a structure operation, 1 and 2 threads, to a file.
filter='^(enter_leave|retire|stack_write)/(none|ebr)/(iterations:[0-9]+/)?threads:(1|2)$'
"$bin" micro --benchmark_filter="$filter" --benchmark_min_time=0.001 --benchmark_repetitions=2 \
  --benchmark_out="$tmp/out.json" --benchmark_out_format=json >"$tmp/console" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] && ok || { no "filtered run: exit $rc"; cat "$tmp/err"; }
for name in enter_leave/none/threads:1 enter_leave/ebr/threads:2 \
            retire/ebr/iterations:262144/threads:1 stack_write/none/iterations:131072/threads:2; do
  grep -q "\"run_name\": \"$name\"" "$tmp/out.json" && ok || no "JSON lacks $name"
done
n=$(grep -c '"run_type": "iteration"' "$tmp/out.json")
[ "$n" -eq 24 ] && ok || no "JSON has $n measurements, want 12 benchmarks x 2 repetitions"
grep -q '"cpu_model": ' "$tmp/out.json" && ok || no "JSON context lacks cpu_model"
grep -q '"retired_per_op": ' "$tmp/out.json" && ok || no "retire lacks its counters"
grep -q 'enter_leave/ebr/threads:1' "$tmp/console" && ok || no "console output lacks the table"
"$bin" compare "$tmp/out.json" "$tmp/out.json" >"$tmp/cmp" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q '^enter_leave/ebr/threads:2 ' "$tmp/cmp" && ok ||
  { no "compare of the JSON with itself: exit $rc"; cat "$tmp/cmp"; }

# dbmap writes at two threads finish: a thread that has done its share
# leaves the domain before Google Benchmark's closing barrier. (A QSBR
# thread still registered there held the other writer's grace period, and
# the run, forever. urcu is left out for time: its publish waits ~10 ms.)
timeout 120 "$bin" micro --benchmark_filter='^dbmap_write/(qsbr|ebr|hp|dbmap-epochs)/iterations:[0-9]+/threads:2$' \
  --benchmark_format=json >"$tmp/dbw.json" 2>"$tmp/dbw.err"
rc=$?
n=$(grep -c '"run_type": "iteration"' "$tmp/dbw.json")
[ $rc -eq 0 ] && [ "$n" -eq 4 ] && ok ||
  { no "dbmap_write at 2 threads: exit $rc (124: hung), $n of 4 measured"; cat "$tmp/dbw.err"; }

# JSON on stdout, and the list of names.
"$bin" micro --benchmark_filter='^alloc/hp/threads:1$' --benchmark_min_time=0.001 \
  --benchmark_format=json >"$tmp/stdout.json" 2>/dev/null &&
  grep -q '"run_name": "alloc/hp/threads:1"' "$tmp/stdout.json" && ok || no "JSON on stdout"
"$bin" micro --benchmark_list_tests >"$tmp/list" 2>&1
grep -q '^protect_contended/hp/threads:1$' "$tmp/list" && ! grep -q '^protect_contended/.*threads:2' "$tmp/list" &&
  grep -q '^dbmap_read/dbmap-epochs/threads:2$' "$tmp/list" && ! grep -q '^dbmap_read/none/' "$tmp/list" &&
  ok || no "benchmark list"
"$bin" micro --help >"$tmp/help" 2>&1 && grep -q 'protect_contended' "$tmp/help" && ok || no "--help"

bad() { expect_bad "$1" "$bin" micro "${@:2}"; }
bad "not a flag" extra
bad "unknown option" --bogus
bad "unknown benchmark flag" --benchmark_bogus=1
bad "bad format" --benchmark_format=xml
bad "bad out format" --benchmark_out_format=yaml
bad "zero repetitions" --benchmark_repetitions=0
bad "repetitions not a count" --benchmark_repetitions=2.5
bad "min time not a number" --benchmark_min_time=fast
bad "unwritable out" --benchmark_out="$tmp/no/such/dir/out.json"
bad "filter matches nothing" --benchmark_filter='^nosuch$' --benchmark_min_time=0.001
bad "colour neither on nor off" --benchmark_color=maybe
bad "filter that does not compile" --benchmark_filter='(enter'
# the tool's own wording, "FLAG: ... allowed: ...", not Google Benchmark's
"$bin" micro --benchmark_filter='^nosuch$' >/dev/null 2>"$tmp/err"
grep -q "^smrbench micro: --benchmark_filter: '^nosuch\$' matches no benchmark; allowed: " "$tmp/err" &&
  ok || { no "filter message"; cat "$tmp/err"; }
"$bin" micro --benchmark_color=maybe --benchmark_filter='^alloc/hp/threads:1$' >"$tmp/out" 2>"$tmp/err"
grep -q "^smrbench micro: --benchmark_color: 'maybe' is not a colour setting; allowed: auto" "$tmp/err" &&
  ! grep -q $'\033\[' "$tmp/out" && ok || { no "colour message"; cat "$tmp/err"; }
# a negative filter selects the rest, as in Google Benchmark
"$bin" micro --benchmark_filter='-^[a-z]' --benchmark_list_tests >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'matches no benchmark' "$tmp/err" && ok || { no "negative filter selecting nothing"; cat "$tmp/err"; }
"$bin" micro --benchmark_filter='-^[b-z]' --benchmark_list_tests >"$tmp/list2" 2>&1 &&
  grep -q '^alloc/hp/threads:1$' "$tmp/list2" && ! grep -q '^enter_leave/' "$tmp/list2" && ok ||
  { no "negative filter"; head "$tmp/list2"; }

test_finish micro
