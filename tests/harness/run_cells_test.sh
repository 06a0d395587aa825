#!/usr/bin/env bash
# run_cells_test.sh SMRBENCH SMRBENCH_FAULTS - each cell runs in a child
# process of its own: a cell that crashes, exits without a result or hangs
# becomes a failed row that names why, every other cell is kept, and a
# cell's RSS is its own, not what the cells before it left behind.
# SMRBENCH_FAULTS is smrbench built with the test-only fault hook
# (SMRBENCH_TEST_FAULT=KIND:SCHEME:THREADS, harness/run/cell.h).
. "$(dirname "$0")/../common/test_lib.sh"
bin=$1 faults=$2

# field CSV SCHEME THREADS COLUMN: COLUMN of the row of that scheme and thread count
field() {
  awk -F, -v s="$2" -v t="$3" -v c="$4" 'NR == 1 { for (i = 1; i <= NF; i++) n[$i] = i; next }
    $2 == s && $3 == t { print $n[c] }' "$1"
}

# A sweep of none, ebr, hp at 1 and 2 threads whose ebr cell at 2 threads is faulty.
for kind in crash exit hang; do
  case $kind in
    crash) why='signal 11 (SIGSEGV)'; extra=() ;;
    exit) why='exit status 3 without a result'; extra=() ;;
    hang) why='timeout after 8 s'; extra=(--cell-timeout 8) ;; # (the healthy cells too: sanitizer builds)
  esac
  out=$tmp/$kind
  SMRBENCH_TEST_FAULT=$kind:ebr:2 "$faults" run -r none,ebr,hp -t 1,2 -d 0.1 --warmup 0 -o "$out" \
    "${extra[@]}" >"$tmp/stdout" 2>"$tmp/stderr"
  rc=$?
  s=$out/summary.csv
  [ $rc -eq 1 ] && ok || { no "$kind: exit $rc, want 1 (a cell failed)"; cat "$tmp/stderr"; }
  [ "$(field "$s" ebr 2 status)" = failed ] && [ "$(field "$s" ebr 2 failure)" = "$why" ] &&
    [ -z "$(field "$s" ebr 2 ops_per_sec)" ] && ok ||
    { no "$kind: the faulty cell's row"; cat "$s"; }
  good=0
  for c in none/1 ebr/1 hp/1 none/2 hp/2; do
    [ "$(field "$s" "${c%/*}" "${c#*/}" status)" = ok ] &&
      awk "BEGIN { exit !($(field "$s" "${c%/*}" "${c#*/}" ops_per_sec) > 0) }" && good=$((good + 1))
  done
  [ $good -eq 5 ] && [ "$(wc -l <"$s")" -eq 7 ] && ok || { no "$kind: $good of 5 other cells kept"; cat "$s"; }
  grep -q "\"status\": \"failed\", \"failure\": \"$why\"" "$out/run.json" &&
    [ "$(grep -o '"status": "ok"' "$out/run.json" | wc -l)" -eq 5 ] &&
    grep -q '"complete": true' "$out/run.json" && ok || no "$kind: run.json's statuses"
  grep -q "stack/ebr 2 threads rep 0 failed: $why" "$tmp/stderr" && ok || { no "$kind: stderr"; cat "$tmp/stderr"; }
  grep -Eq '^stack +ebr +2 +r50 +0 +- .*\(1 failed: left out\)$' "$tmp/stdout" &&
    grep -q '^note: 1 run(s) left out of the medians' "$tmp/stdout" && ok ||
    { no "$kind: the table"; cat "$tmp/stdout"; }
done

# --isolation single: the crash takes the process, and with it the sweep;
# the cells finished before it are kept, marked incomplete.
# (in a subshell that reports the crash, so bash's "Segmentation fault" goes to /dev/null)
(SMRBENCH_TEST_FAULT=crash:ebr:2 "$faults" run -r none,ebr,hp -t 1,2 -d 0.1 --warmup 0 \
  --isolation single -o "$tmp/single"; echo $? >"$tmp/rc") >/dev/null 2>&1
rc=$(cat "$tmp/rc")
[ $rc -eq 139 ] && [ "$(wc -l <"$tmp/single/summary.csv")" -eq 5 ] &&
  grep -q '"isolation": "single"' "$tmp/single/run.json" &&
  grep -q '"complete": false' "$tmp/single/run.json" && ok ||
  no "single process: exit $rc (want 139), $(wc -l <"$tmp/single/summary.csv") lines"

# RSS: the cell after none starts from a fresh heap, not from what none
# left. (In one process glibc's malloc_trim gives some of it back, now and
# then; jemalloc keeps it for seconds, so there the difference always shows.
# Not in sanitizer builds: ASan's quarantine holds what every scheme frees.)
allocs=
"$bin" run -r none -t 1 -d 0.05 --warmup 0 -o "$tmp/probe" --quiet 2>/dev/null
grep -q '"sanitizer": ""' "$tmp/probe/run.json" && allocs="glibc jemalloc"
for a in $allocs; do
  "$bin" run -r none,ebr -t 1 -d 0.5 --warmup 0 --alloc $a -o "$tmp/rss-$a" --quiet 2>/dev/null
  none=$(field "$tmp/rss-$a/summary.csv" none 1 rss_peak_kib)
  kib=$(field "$tmp/rss-$a/summary.csv" ebr 1 rss_peak_kib)
  [ -n "$kib" ] && [ -n "$none" ] && [ $((2 * kib)) -lt "$none" ] && ok ||
    no "RSS of ebr after none ($a): $kib KiB, none's $none KiB"
done

test_finish cells
