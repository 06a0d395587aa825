#!/usr/bin/env bash
# run_signals_test.sh SMRBENCH - a sweep ended by a signal keeps every
# finished cell: SIGINT, SIGTERM and SIGHUP end the window early (exit
# 128+N, the cell marked interrupted, the set incomplete); kill -9 loses
# at most the cell in progress. An interrupt during warmup is no
# measurement, and an interrupt ends a stall.
. "$(dirname "$0")/../common/test_lib.sh"
bin=$1
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT

# rows CSV: data rows; results JSON: results in run.json
rows() { echo $(($(wc -l 2>/dev/null <"$1" || echo 1) - 1)); }
results() { grep -o '"structure": ' "$1" 2>/dev/null | wc -l; }
# wait_rows CSV N: until CSV has N data rows (at most 120 s, however loaded the machine)
wait_rows() {
  for _ in $(seq 1200); do [ "$(rows "$1")" -ge "$2" ] && return 0; sleep 0.1; done
  return 1
}
# status_column CSV: the status of every row, one a line
status_column() {
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) n[$i] = i; next } { print $n["status"] }' "$1"
}

# Ctrl-C during warmup: the cell has no window, so no numbers (before: 1774
# Mops/s from a 1 us "window"), left out of the table, exit 130.
"$bin" run -r ebr -t 1 -d 0.5 --warmup 60 -n 2 -o "$tmp/warm" >"$tmp/stdout" 2>"$tmp/stderr" &
pid=$!
pids+=($pid)
sleep 1
kill -INT $pid
wait $pid
rc=$?
s=$tmp/warm/summary.csv
[ $rc -eq 130 ] && ok || { no "SIGINT in warmup: exit $rc, want 130"; cat "$tmp/stderr"; }
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) n[$i] = i; next }
  { bad = bad || $n["status"] != "interrupted" || $n["failure"] !~ /^interrupted during (warmup|prefill)$/ ||
          $n["ops_per_sec"] != "" || $n["duration_s"] != "" || $n["complete"] != 0 }
  END { exit bad || NR != 2 }' "$s" && ok || { no "SIGINT in warmup: the row"; cat "$s"; }
grep -q '"complete": false' "$tmp/warm/run.json" && grep -q '"ops_per_sec": null' "$tmp/warm/run.json" &&
  ok || no "SIGINT in warmup: run.json"
grep -Eq '^stack +ebr +1 +r50 +0 +- .*\(1 interrupted: left out\)$' "$tmp/stdout" &&
  grep -qx 'results (incomplete): '"$tmp/warm/" "$tmp/stdout" && ok ||
  { no "SIGINT in warmup: the table"; cat "$tmp/stdout"; }

# SIGTERM and SIGHUP midway: like Ctrl-C. kill -9 midway: every finished cell is kept.
for sig in TERM HUP KILL; do
  out=$tmp/$sig
  "$bin" run -r none,ebr,hp,qsbr,he -t 1 -d 1 --warmup 0 -o "$out" --quiet 2>"$tmp/stderr" &
  pid=$!
  pids+=($pid)
  if ! wait_rows "$out/summary.csv" 2; then
    no "$sig: no two cells written in 120 s"
    continue
  fi
  kill -$sig $pid
  wait $pid 2>/dev/null # (no "Killed" from bash)
  rc=$?
  n=$(rows "$out/summary.csv")
  case $sig in TERM) want=143 ;; HUP) want=129 ;; KILL) want=137 ;; esac
  [ $rc -eq $want ] && ok || { no "$sig: exit $rc, want $want"; cat "$tmp/stderr"; }
  # every row a finished cell (ok), but the last, which a catchable signal cut short
  statuses=$(status_column "$out/summary.csv" | sort | uniq -c | tr -s ' ')
  if [ $sig = KILL ]; then
    [ "$statuses" = " $n ok" ] && ok || no "$sig: statuses $statuses"
  else
    [ "$(status_column "$out/summary.csv" | head -n $((n - 1)) | grep -vc '^ok$')" -eq 0 ] &&
      status_column "$out/summary.csv" | tail -1 | grep -Eq '^(ok|interrupted)$' && ok ||
      no "$sig: statuses $statuses"
  fi
  # the three files hold the same cells; the set says it is unfinished
  cells=$(cut -d, -f1-4 "$out/series.csv" | tail -n +2 | sort -u | wc -l)
  [ "$n" -ge 2 ] && [ "$(results "$out/run.json")" -eq "$n" ] && [ "$cells" -le "$n" ] &&
    grep -q '"complete": false' "$out/run.json" && [ -z "$(ls -A "$out" | grep tmp)" ] && ok ||
    no "$sig: $n rows, $(results "$out/run.json") in run.json, $cells curves"
done

# An interrupt ends a stall: thread 1 stalls for 60 s from 0.2 s on; Ctrl-C
# at 1.5 s must not wait for it (before: it did, for the whole minute).
"$bin" run -r ebr -t 2 -d 61 --warmup 0 --stall 1@0.2:60 -o "$tmp/stall" --quiet 2>"$tmp/stderr" &
pid=$!
pids+=($pid)
sleep 1.5
kill -INT $pid
for _ in $(seq 300); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $pid 2>/dev/null; then
  no "Ctrl-C during a stall: still running 30 s later"
else
  wait $pid
  rc=$?
  [ $rc -eq 130 ] && grep -q ',interrupted,interrupted' "$tmp/stall/summary.csv" && ok ||
    { no "Ctrl-C during a stall: exit $rc"; cat "$tmp/stderr" "$tmp/stall/summary.csv"; }
fi

test_finish signals
