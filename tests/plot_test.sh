#!/usr/bin/env bash
# plot_test.sh bad-input SMRBENCH FIXTURE
#   A folder without results, bad arguments, no gnuplot on PATH: one line on
#   stderr, exit 2, and nothing in DIR/plots (no gnuplot needed).
# plot_test.sh figures SMRBENCH FIXTURE PLOT_SCRIPTS GNUPLOT
#   Plotting the committed fixture writes every figure, PNG and SVG, with
#   nothing on stderr (a gnuplot warning fails); the scripts redraw by hand;
#   a script that fails leaves DIR/plots untouched. GNUPLOT is what CMake
#   found at configure time: empty means skip (77).
set -u
mode=$1 bin=$2 fixture=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL $*"; [ -s "$tmp/stderr" ] && sed 's/^/  stderr: /' "$tmp/stderr"; }

# A fresh copy of the fixture.
fixture_copy() {
  rm -rf "$tmp/$1"
  mkdir -p "$tmp/$1"
  cp "$fixture"/summary.csv "$fixture"/series.csv "$fixture"/run.json "$tmp/$1/"
}

# Nothing half-written: no plots folder, no temporary folder left.
untouched() {
  [ ! -e "$1/plots" ] && [ -z "$(find "$1" -maxdepth 1 -name '.plots.*')" ]
}

# bad_plot DESCRIPTION DIR ARGS...: exit 2, one line on stderr, DIR untouched.
# (smrbench runs under `env ${only_path:+PATH=...}`, so only it sees that PATH.)
bad_plot() {
  local what=$1 dir=$2; shift 2
  env ${only_path:+PATH="$only_path"} "$bin" plot "$@" >"$tmp/stdout" 2>"$tmp/stderr"
  local rc=$? lines
  lines=$(wc -l <"$tmp/stderr")
  if [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] && [ ! -s "$tmp/stdout" ] && { [ ! -d "$dir" ] || untouched "$dir"; }; then
    ok
  else
    ko "$what: exit $rc, $lines stderr lines"
  fi
}

if [ "$mode" = bad-input ]; then
  mkdir -p "$tmp/empty" "$tmp/nobin" "$tmp/header-only" "$tmp/no-ops" "$tmp/bad-json"
  bad_plot "no folder given" "$tmp/none"
  bad_plot "two folders" "$tmp/empty" "$tmp/empty" "$tmp/empty"
  bad_plot "unknown option" "$tmp/empty" --bogus "$tmp/empty"
  bad_plot "missing folder" "$tmp/missing" "$tmp/missing"
  touch "$tmp/file"
  bad_plot "a file, not a folder" "$tmp/none" "$tmp/file"
  bad_plot "folder without results" "$tmp/empty" "$tmp/empty"
  head -1 "$fixture/summary.csv" >"$tmp/header-only/summary.csv"
  bad_plot "summary.csv with a header only" "$tmp/header-only" "$tmp/header-only"
  cut -d, -f1-7 "$fixture/summary.csv" >"$tmp/no-ops/summary.csv"
  bad_plot "summary.csv without ops_per_sec" "$tmp/no-ops" "$tmp/no-ops"
  cp "$fixture/summary.csv" "$tmp/bad-json/"
  head -c 500 "$fixture/run.json" >"$tmp/bad-json/run.json"
  bad_plot "truncated run.json" "$tmp/bad-json" "$tmp/bad-json"
  # gnuplot missing: PATH holds only an empty folder
  fixture_copy nognuplot
  only_path=$tmp/nobin bad_plot "no gnuplot on PATH" "$tmp/nognuplot" "$tmp/nognuplot"
  grep -q gnuplot "$tmp/stderr" || ko "no gnuplot on PATH: the line does not say gnuplot"
  # run --plot without gnuplot fails before running: no results folder
  env PATH="$tmp/nobin" "$bin" run -r ebr -t 1 -d 0.05 --warmup 0 -o "$tmp/run-out" --plot \
    >"$tmp/stdout" 2>"$tmp/stderr"
  rc=$?
  if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/stderr")" -eq 1 ] && [ ! -e "$tmp/run-out" ]; then ok; else
    ko "run --plot without gnuplot: exit $rc"; fi
  echo "plot bad input: $pass passed, $fail failed"
  [ $fail -eq 0 ]
  exit
fi

scripts=$4 gnuplot=$5
if [ -z "$gnuplot" ]; then
  echo "SKIP: gnuplot was not found when the build was configured"
  exit 77
fi
figures="throughput memory rss latency balance publish"

# quiet_plot DIR: smrbench plot exits 0 and prints nothing on stderr.
quiet_plot() {
  "$bin" plot "$1" >"$tmp/stdout" 2>"$tmp/stderr" && [ ! -s "$tmp/stderr" ]
}

# every_figure DIR: each figure as a PNG and a well-formed SVG, and its data.
every_figure() {
  local f
  for f in $figures; do
    [ "$(head -c 8 "$1/plots/$f.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
      [ "$(stat -c %s "$1/plots/$f.png")" -gt 2000 ] || { echo "  $f.png missing or not a PNG"; return 1; }
    grep -q '<svg' "$1/plots/$f.svg" && grep -q '</svg>' "$1/plots/$f.svg" ||
      { echo "  $f.svg missing or cut short"; return 1; }
  done
  for f in meta.gp throughput.dat series.dat latency.dat balance.dat publish.dat; do
    [ -s "$1/plots/data/$f" ] || { echo "  data/$f missing"; return 1; }
  done
  untouched_tmp "$1"
}
untouched_tmp() { [ -z "$(find "$1" -name '.plots.*' -o -name '.gnuplot.log')" ]; }

fixture_copy run
if quiet_plot "$tmp/run" && every_figure "$tmp/run"; then ok; else ko "plot the fixture"; fi

# What the figures must show, read from the SVGs' text: titles, the scheme
# legend, the stall window, the footnote from run.json, both panels.
svg=$tmp/run/plots
check_text() { # FIGURE TEXT
  if grep -qF -- "$2" "$svg/$1.svg"; then ok; else ko "$1.svg lacks '$2'"; fi
}
check_text throughput "Throughput: median of 2 runs, bars min..max"
check_text throughput "dbmap-epochs"
check_text throughput "stack, 50 % reads"
check_text throughput "dbmap, writer thread 0"
check_text throughput "Mops/s (all threads)"
check_text throughput "oversubscribed"
check_text memory "thread 1 stalled"
check_text memory "unreclaimed bytes"
check_text rss "thread 1 stalled"
check_text rss "RSS (MiB)"
check_text latency "p99.9"
check_text balance "no worker thread"
check_text publish "its wait for readers"
cpu=$(sed -n 's/.*"cpu_model": "\([^"]*\)".*/\1/p' "$fixture/run.json")
check_text latency "$cpu;"
check_text balance "allocator glibc"
check_text balance "pinning compact"
# the stall window came from run.json's flags; dbmap-epochs' frees are no
# worker thread's (thread -1 in balance.dat)
if grep -q '^stall = 1' "$svg/data/meta.gp" && grep -q '^stall_from = 0.1$' "$svg/data/meta.gp" &&
   grep -q '^stall_to = 0.35$' "$svg/data/meta.gp"; then ok; else ko "meta.gp: stall window"; fi
if awk '$4 == -1 && $2 > 99 { found = 1 } END { exit !found }' "$svg/data/balance.dat"; then ok; else
  ko "balance.dat: no share freed by no worker thread"; fi

# Plotting again replaces the figures.
if quiet_plot "$tmp/run" && every_figure "$tmp/run"; then ok; else ko "plot the same folder again"; fi

# The scripts by hand, as the README says: each redraws its figure, quietly.
for f in $figures; do
  rm -f "$tmp/run/plots/$f.png" "$tmp/run/plots/$f.svg"
  (cd "$tmp" && "$gnuplot" -d -e "dir='$tmp/run'" "$scripts/$f.gp") >"$tmp/stdout" 2>"$tmp/stderr"
  rc=$?
  if [ $rc -eq 0 ] && [ ! -s "$tmp/stderr" ] && [ -s "$tmp/run/plots/$f.png" ] && [ -s "$tmp/run/plots/$f.svg" ]
  then ok; else ko "gnuplot -e \"dir='...'\" $f.gp: exit $rc"; fi
done

# A script that fails: exit 1, one line naming it, DIR/plots never created.
cp -r "$scripts" "$tmp/broken-scripts"
echo 'plot no_such_function(x)' >>"$tmp/broken-scripts/latency.gp"
fixture_copy broken
SMRBENCH_PLOT_SCRIPTS="$tmp/broken-scripts" "$bin" plot "$tmp/broken" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
if [ $rc -eq 1 ] && [ "$(wc -l <"$tmp/stderr")" -eq 1 ] && grep -q latency.gp "$tmp/stderr" &&
   untouched "$tmp/broken"; then ok; else ko "a failing script: exit $rc"; fi

# The quiet check catches a gnuplot warning (negative control).
cp -r "$scripts" "$tmp/warning-scripts"
sed -i '1i set terminal dumb; set output "/dev/null"; plot 1; set output' "$tmp/warning-scripts/rss.gp"
fixture_copy warns
if SMRBENCH_PLOT_SCRIPTS="$tmp/warning-scripts" quiet_plot "$tmp/warns"; then
  ko "a gnuplot warning went unnoticed"
else
  grep -q 'empty y range' "$tmp/stderr" && ok || ko "the warning was not passed on"
fi

echo "plot figures: $pass passed, $fail failed"
[ $fail -eq 0 ]
