#!/usr/bin/env bash
# cli_test.sh SMRBENCH - bad input gets one line on stderr, exit 2 and no
# results folder; a good run writes summary.csv, series.csv and run.json.
. "$(dirname "$0")/../common/test_lib.sh"
bin=$1

bad() { # bad DESCRIPTION ARGS...
  local what=$1; shift
  local out="$tmp/out-$pass-$fail"
  "$bin" run -d 0.05 --warmup 0 -o "$out" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
  local rc=$? lines
  lines=$(wc -l <"$tmp/stderr")
  if [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] && [ ! -e "$out" ] && [ ! -s "$tmp/stdout" ]; then
    ok
  else
    no "$what ($*): exit $rc, $lines stderr lines, folder left: $([ -e "$out" ] && echo yes || echo no)"
    cat "$tmp/stderr"
  fi
}

bad "zero threads" -t 0
bad "negative threads" -t -1
bad "reversed range" -t 4-1
bad "empty list item" -t 1,,2
bad "too many threads" -t 5000
bad "mix over 100" -m 150
bad "mix not a number" -m abc
bad "unknown scheme" -r foo
bad "unknown scheme in list" -r ebr,foo
bad "unknown structure" -s nosuch
bad "zero duration" -d 0
bad "duration not a number" -d 1s
bad "zero reps" -n 0
bad "bad pin policy" --pin diagonal
bad "pin to a missing PU" --pin 4095
bad "bad format" --format xml
bad "unknown flag" --bogus
bad "missing value" -m
bad "positional argument" extra
bad "bad seed" --seed -3
bad "bad sample" --sample 0
bad "zipf theta zero" --dist zipf:0
bad "zipf theta not a number" --dist zipf:abc
bad "unknown distribution" --dist gauss
bad "more writers than threads" -t 1,2 --writers 3
bad "malformed stall" --stall 1:2
bad "stall negative length" --stall 0@0:-1
bad "stall thread out of range" -t 1,2 --stall 2@0:1
bad "stall after the window" -t 2 --stall 0@5:1
bad "tune: unknown scheme" --tune foo.R=1
bad "tune: unknown tunable" -r hp --tune hp.X=1
bad "tune: malformed" -r hp --tune hp.R
bad "tune: not a number" -r hp --tune hp.R=abc
bad "tune: out of range" -r hp --tune hp.R=-1
bad "tune: scheme not in the run" -r ebr --tune hp.R=128
bad "opt: unknown option" --opt stack.nope=1
bad "opt: unknown structure" --opt nosuch.x=1
bad "unknown allocator" --alloc tcmalloc
bad "native provider of another structure" -s stack -r dbmap-epochs
bad "scheme that never reclaims for dbmap" -s dbmap -r none
bad "dbmap: wait mode out of range" -s dbmap -r ebr --opt dbmap.wait=2
bad "dbmap: publish_every 0" -s dbmap -r ebr --opt dbmap.publish_every=0
bad "--plot takes no value" --plot=yes
# duplicates would be counted as repetitions
bad "scheme named twice" -r ebr,ebr
bad "thread count named twice" -t 1,1
bad "thread count in a list and a range" -t 1-2,2
bad "structure named twice" -s stack,stack
# combinations that cannot mean what they say
bad "--writers with -m" -t 2 --writers 1 -m 50
bad "-k with a keyless structure" -s stack -k 100
bad "--dist with a keyless structure" -s stack --dist zipf:0.9
bad "stall beyond the window" --stall 0@0.01:1e9
bad "stall ends after the window" -d 1 --stall 0@0.5:0.6
bad "unknown isolation" --isolation threads
bad "cell timeout zero" --cell-timeout 0
bad "cell timeout without child processes" --isolation single --cell-timeout 5
bad "host label with a space" --host-label "lab a"
bad "host label with a comma" --host-label a,b
bad "empty host label" --host-label ""

# the message names what is wrong, not just "malformed"
"$bin" run -d 0.05 --stall 0@0:0 -o "$tmp/stall0" >/dev/null 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 2 ] && grep -q "0 seconds.*LEN > 0" "$tmp/stderr" && [ ! -e "$tmp/stall0" ]; then
  ok; else no "--stall 0@0:0: exit $rc"; cat "$tmp/stderr"; fi
"$bin" run -d 0.05 -r ebr --tune ebr.threshold=99999999999999999999 -o "$tmp/tune-big" >/dev/null 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 2 ] && grep -q "99999999999999999999 is out of range" "$tmp/stderr" &&
   ! grep -q 9223372036854775807 "$tmp/stderr"; then ok; else
  no "--tune overflow: exit $rc"; cat "$tmp/stderr"; fi

# smrbench list takes no argument, its columns line up, --version says what was built
expect_bad "list with an argument" "$bin" list extra
"$bin" list >"$tmp/list" 2>&1
# the column after each scheme or structure name starts at the same offset on every line
cols=$(awk '/^  [^ ]+ +[^ ]/ { match($0, /^  [^ ]+ +/); print RLENGTH }' "$tmp/list" | sort -u | wc -l)
if [ "$cols" -eq 1 ] && grep -q '^  dbmap-epochs ' "$tmp/list"; then ok; else
  no "list alignment: $cols different columns"; cat "$tmp/list"; fi
"$bin" --version >"$tmp/version" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -Eq '^smrbench [0-9]+\.[0-9]+ \(git [^,]+, [A-Za-z]+ build' "$tmp/version"; then
  ok; else no "--version: exit $rc"; cat "$tmp/version"; fi

# unwritable -o: a path below a regular file
touch "$tmp/file"
"$bin" run -d 0.05 -o "$tmp/file/sub" >/dev/null 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/stderr")" -eq 1 ]; then ok; else
  no "unwritable -o: exit $rc"; cat "$tmp/stderr"; fi

# a good run; with --format csv the folder is named on stderr, stdout is the csv alone
"$bin" run -s stack -r none,ebr,hp -t 1,2 -d 0.1 --warmup 0 -n 2 -o "$tmp/good" --format csv \
  >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
rows=$(($(wc -l <"$tmp/good/summary.csv" 2>/dev/null || echo 0) - 1))
if [ $rc -eq 0 ] && [ "$rows" -eq 12 ] && [ -s "$tmp/good/series.csv" ] && [ -s "$tmp/good/run.json" ] &&
   head -1 "$tmp/good/summary.csv" | grep -q '^structure,scheme,threads,mix,rep,duration_s,ops,ops_per_sec,unreclaimed_peak,unreclaimed_mean,unreclaimed_final,rss_peak_kib,p50_ns,p99_ns,max_ns' &&
   awk -F, 'NR==1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
            $col["teardown_ok"] != 1 || $col["complete"] != 1 || $col["allocator"] !~ /^glibc/ { bad = 1 }
            END { exit bad }' "$tmp/good/summary.csv" &&
   [ -z "$(ls -A "$tmp/good" | grep tmp)" ]; then
  ok
else
  no "good run: exit $rc, $rows rows"; cat "$tmp/stderr"
fi
# the csv on stdout is the summary
if cmp -s "$tmp/stdout" "$tmp/good/summary.csv"; then ok; else
  no "--format csv differs from summary.csv"; fi
if grep -qx "results: $tmp/good/" "$tmp/stderr"; then ok; else
  no "--format csv: the results folder is not named on stderr"; cat "$tmp/stderr"; fi
# every row ok; seeds, which pass 2^63, are strings; the real compile flags are recorded
if awk -F, 'NR==1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
            $col["status"] != "ok" || $col["failure"] != "" { bad = 1 } END { exit bad }' "$tmp/good/summary.csv" &&
   grep -q '"seed": "1"' "$tmp/good/run.json" && grep -Eq '"thread_seed": \["[0-9]+"' "$tmp/good/run.json" &&
   ! grep -Eq '[^"0-9][0-9]{20}|[^"0-9]9[3-9][0-9]{17}' "$tmp/good/run.json" &&
   grep -Eq '"c_flags": "[^"]*-std=c11' "$tmp/good/run.json" && grep -Eq '"c_flags": "[^"]*-O' "$tmp/good/run.json" &&
   grep -q '"definitions": "[^"]*_GNU_SOURCE' "$tmp/good/run.json" && grep -q '"isolation": "process"' "$tmp/good/run.json"
then ok; else
  no "good run: status, seeds or build flags"; grep -o '"build": {[^}]*}' "$tmp/good/run.json"; fi

# dbmap: -r all runs it with every provider that can serve it (not none),
# the native one only with dbmap; default roles 1 writer (mix w1), reader
# and writer throughput and publish metrics filled in for dbmap, empty for
# the stack (no roles); the new columns come after the old ones.
"$bin" run -s stack,dbmap -r all -t 2 -d 0.1 --warmup 0 -o "$tmp/dbmap" --quiet 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 0 ] &&
   head -1 "$tmp/dbmap/summary.csv" | grep -q ',allocator,reader_ops_per_sec,writer_ops_per_sec,publishes,publish_p50_ns,publish_p99_ns,publish_max_ns,publish_wait_p50_ns,publish_wait_p99_ns,publish_wait_max_ns,publish_apply_p50_ns,publish_apply_p99_ns,publish_apply_max_ns,staleness_p50_ns,staleness_p99_ns,staleness_max_ns,status,failure,keys,prefill,insert_success,delete_success,machine$' &&
   awk -F, -v host="$(hostname)" 'NR==1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
            { pair[$1 "/" $2] = 1 }
            $col["teardown_ok"] != 1 { bad = 1 }
            $1 == "dbmap" && ($col["mix"] != "w1" || $col["publishes"] <= 0 ||
                              $col["publish_p99_ns"] == "" || $col["staleness_p50_ns"] == "" ||
                              $col["reader_ops_per_sec"] <= 0 || $col["writer_ops_per_sec"] <= 0) { bad = 1 }
            $1 == "stack" && ($col["publishes"] != "" || $col["reader_ops_per_sec"] != "") { bad = 1 }
            index($col["machine"], host " (") != 1 { bad = 1 }
            END { exit bad || !pair["dbmap/dbmap-epochs"] || !pair["dbmap/ebr"] || pair["dbmap/none"] ||
                  pair["stack/dbmap-epochs"] || !pair["stack/none"] }' "$tmp/dbmap/summary.csv" &&
   grep -q '"publish_wait_p99_ns": [0-9]' "$tmp/dbmap/run.json" &&
   grep -q '"reader_ops_per_sec": null' "$tmp/dbmap/run.json"
then ok; else
  no "dbmap with -r all: exit $rc"; cat "$tmp/stderr"; cut -d, -f1-4,22- "$tmp/dbmap/summary.csv"; fi

# --host-label names the host in every row's machine column (summary and
# series), in each result and in run.json's machine.label; hostname stays.
"$bin" run -s stack -r ebr -t 1 -d 0.05 --warmup 0 --host-label lab-a.1 -o "$tmp/label" --quiet \
  2>"$tmp/stderr"
rc=$?
cpu=$(grep -m1 '^model name' /proc/cpuinfo | sed 's/^[^:]*: //; s/,/;/g')
if [ $rc -eq 0 ] &&
   awk -F, -v want="lab-a.1 (${cpu:-unknown})" 'NR==1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
     $col["machine"] != want { bad = 1 } END { exit bad || NR < 2 }' "$tmp/label/summary.csv" &&
   awk -F, -v want="lab-a.1 (${cpu:-unknown})" 'NR==1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
     $col["machine"] != want { bad = 1 } END { exit bad || NR < 2 }' "$tmp/label/series.csv" &&
   grep -q '"label": "lab-a.1"' "$tmp/label/run.json" &&
   grep -q "\"hostname\": \"$(hostname)\"" "$tmp/label/run.json" &&
   grep -q '"machine": "lab-a.1 (' "$tmp/label/run.json"
then ok; else no "--host-label lab-a.1: exit $rc"; cat "$tmp/stderr"; head -3 "$tmp/label/summary.csv"; fi

# dbmap with every thread reading publishes nothing: no publish latency, not 0
"$bin" run -s dbmap -r ebr -t 2 -m 100 -d 0.1 --warmup 0 -o "$tmp/nopub" --quiet 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 0 ] &&
   awk -F, 'NR==1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
            $col["publishes"] != 0 || $col["publish_p50_ns"] != "" || $col["publish_wait_p99_ns"] != "" ||
            $col["staleness_max_ns"] != "" || $col["status"] != "ok" { bad = 1 }
            END { exit bad || NR != 2 }' "$tmp/nopub/summary.csv" &&
   grep -q '"publishes": 0, "publish_p50_ns": null' "$tmp/nopub/run.json"
then ok; else
  no "dbmap without publishes: exit $rc"; cat "$tmp/stderr"; cut -d, -f1-5,27- "$tmp/nopub/summary.csv"; fi

# dbmap with two writer threads sharing the writer handle, immediate wait
"$bin" run -s dbmap -r dbmap-epochs,hp -t 3 --writers 2 --opt dbmap.wait=1 --opt dbmap.publish_every=16 \
  -d 0.1 --warmup 0 -o "$tmp/dbmap2" --quiet 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 0 ] && [ "$(wc -l <"$tmp/dbmap2/summary.csv")" -eq 3 ] &&
   awk -F, 'NR==1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
            $col["mix"] != "w2" || $col["writer_ops_per_sec"] <= 0 || $col["publishes"] <= 0 ||
            $col["teardown_ok"] != 1 { bad = 1 } END { exit bad }' "$tmp/dbmap2/summary.csv"
then ok; else
  no "dbmap --writers 2: exit $rc"; cat "$tmp/stderr"; cat "$tmp/dbmap2/summary.csv"; fi

# --alloc: the run records the allocator that served malloc; sanitizer
# builds refuse anything but glibc (exit 2, one line)
if grep -q '"sanitizer": ""' "$tmp/good/run.json"; then
  for a in jemalloc mimalloc; do
    "$bin" run -r hp -t 1 -d 0.05 --warmup 0 --alloc $a -o "$tmp/alloc-$a" --quiet 2>"$tmp/stderr"
    rc=$?
    if [ $rc -eq 0 ] && grep -q "\"allocator\": \"$a " "$tmp/alloc-$a/run.json" &&
       grep -q ",$a " "$tmp/alloc-$a/summary.csv"; then ok; else
      no "--alloc $a: exit $rc"; cat "$tmp/stderr"; fi
  done
else
  bad "allocator in a sanitizer build" --alloc jemalloc
fi

# --tune reaches the scheme and is recorded: with R = 4096 hp holds far more
# than the 64 its default lets pile up before a scan
"$bin" run -r hp -t 1 -d 0.05 --warmup 0 --tune hp.R=4096 -o "$tmp/tune" --quiet 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 0 ] && grep -q '"tune": {"hp.R": 4096}' "$tmp/tune/run.json" &&
   awk -F, 'NR==1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
            $col["unreclaimed_peak"] < 256 { bad = 1 } END { exit bad }' "$tmp/tune/summary.csv"
then ok; else
  no "--tune hp.R=4096: exit $rc"; cat "$tmp/stderr"; head -3 "$tmp/tune/summary.csv"; fi

# Ctrl-C: what was measured is written, marked incomplete, exit 130
"$bin" run -r ebr,hp -t 1 -d 2 --warmup 0 -o "$tmp/int" --quiet 2>"$tmp/stderr" &
pid=$!
sleep 2.5
kill -INT $pid
wait $pid
rc=$?
if [ $rc -eq 130 ] && grep -q '"complete": false' "$tmp/int/run.json" 2>/dev/null &&
   [ "$(wc -l <"$tmp/int/summary.csv")" -ge 2 ] && grep -q 'interrupted' "$tmp/stderr"; then
  ok
else
  no "SIGINT: exit $rc"; cat "$tmp/stderr"
fi

test_finish cli
