#!/usr/bin/env bash
# plot_test.sh bad-input SMRBENCH FIXTURE
#   A folder without results, bad arguments, no gnuplot on PATH, and every
#   kind of corrupt file (a cut or short row, a field of the wrong type or
#   range, rotated columns, a repeated result, a run.json of the wrong
#   shape): one line on stderr naming the file, the line or result and the
#   field, exit 2, and DIR/plots neither created nor changed (no gnuplot
#   needed: the files are checked before gnuplot is looked for).
# plot_test.sh figures SMRBENCH FIXTURE PLOT_SCRIPTS GNUPLOT
#   Plotting the committed fixture writes every figure, PNG, SVG and PDF,
#   with nothing on stderr (a gnuplot warning fails); only ok results are
#   drawn and the figures say what was left out; files of earlier versions
#   (no status column) and with extra columns still plot; the scripts
#   redraw by hand; a set of several machines draws a column of panels per
#   machine with shared axes, a set of one as before; a script that fails
#   leaves DIR/plots untouched.
#   GNUPLOT is what CMake found at configure time: empty means skip (77).
. "$(dirname "$0")/../common/test_lib.sh"
mode=$1 bin=$2 fixture=$3
ko() { no "$*"; [ -s "$tmp/stderr" ] && sed 's/^/  stderr: /' "$tmp/stderr"; }

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

# The folder's files as names, sizes and times: a bad input must not change them.
snapshot() { (cd "$1" && find . -printf '%p %s %T@\n' | sort); }

# bad_file DESCRIPTION DIR TEXT...: bad_plot on DIR, whose plots/ (made
# here) must come out unchanged, and the line must hold each TEXT.
bad_file() {
  local what=$1 dir=$2 before after t; shift 2
  mkdir -p "$dir/plots" && echo earlier >"$dir/plots/throughput.png"
  before=$(snapshot "$dir")
  "$bin" plot "$dir" >"$tmp/stdout" 2>"$tmp/stderr"
  local rc=$? lines
  lines=$(wc -l <"$tmp/stderr")
  after=$(snapshot "$dir")
  if [ "$rc" -ne 2 ] || [ "$lines" -ne 1 ] || [ -s "$tmp/stdout" ] || [ "$before" != "$after" ]; then
    ko "$what: exit $rc, $lines stderr lines$([ "$before" != "$after" ] && echo ', folder changed')"
    return
  fi
  for t in "$@"; do
    grep -qF -- "$t" "$tmp/stderr" || { ko "$what: the line does not say '$t'"; return; }
  done
  ok
}

# case_dir NAME: a fresh copy of the fixture to spoil.
case_dir() { fixture_copy "$1"; echo "$tmp/$1"; }
# csv_edit FILE PYTHON: rewrite a CSV with a Python statement on rows (a
# list of lists, the header first) and col(name), its index.
csv_edit() {
  python3 -c "
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
col = rows[0].index
$2
csv.writer(open(sys.argv[1], 'w', newline=''), lineterminator='\n').writerows(rows)" "$1"
}
# set_field FILE LINE COLUMN VALUE: a CSV field by its column's name.
set_field() { csv_edit "$1" "rows[$2 - 1][col('$3')] = '$4'"; }
# json_edit FILE PYTHON: rewrite run.json with a Python expression on d.
json_edit() {
  python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
$2
json.dump(d, open(sys.argv[1], 'w'))" "$1"
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
  grep -q "no summary.csv" "$tmp/stderr" || ko "folder without results: summary.csv not named"
  head -1 "$fixture/summary.csv" >"$tmp/header-only/summary.csv"
  bad_plot "summary.csv with a header only" "$tmp/header-only" "$tmp/header-only"
  cut -d, -f1-7 "$fixture/summary.csv" >"$tmp/no-ops/summary.csv"
  bad_plot "summary.csv without ops_per_sec" "$tmp/no-ops" "$tmp/no-ops"
  cp "$fixture/summary.csv" "$tmp/bad-json/"
  head -c 500 "$fixture/run.json" >"$tmp/bad-json/run.json"
  bad_plot "truncated run.json" "$tmp/bad-json" "$tmp/bad-json"

  # summary.csv, field by field (line numbers count the header as 1)
  d=$(case_dir cut); head -c -40 "$fixture/summary.csv" >"$d/summary.csv"
  bad_file "summary.csv cut short" "$d" summary.csv "line 22" "cut short"
  d=$(case_dir short-row); sed -i '5s/,[^,]*,[^,]*,[^,]*$//' "$d/summary.csv"
  bad_file "a row with fields missing" "$d" summary.csv "line 5 has"
  # field_case NAME FILE LINE COLUMN VALUE [TEXT...]: that field spoilt is
  # refused, the line names the file, the line and the column.
  field_case() {
    local d; d=$(case_dir "$1")
    set_field "$d/$2" "$3" "$4" "$5"
    bad_file "$2 line $3, $4='$5'" "$d" "$2 line $3, column $4" "${@:6}"
  }
  field_case abc summary.csv 3 ops_per_sec abc "'abc'"
  field_case negative summary.csv 4 rss_peak_kib -5
  field_case nan summary.csv 6 p99_ns nan
  field_case inf summary.csv 7 ops_per_sec inf
  field_case hex summary.csv 7 ops 0x10
  field_case zero-threads summary.csv 8 threads 0
  field_case bad-mix summary.csv 8 mix r150
  field_case bad-flag summary.csv 9 teardown_ok 2
  field_case bad-status summary.csv 9 status bogus
  field_case no-status summary.csv 10 status ''
  field_case ok-unmeasured summary.csv 11 ops_per_sec '' "the row says ok"
  field_case series-abc series.csv 30 t_ms abc
  d=$(case_dir rotated); csv_edit "$d/summary.csv" "rows[1:] = [r[1:] + r[:1] for r in rows[1:]]"
  bad_file "rotated columns" "$d" "summary.csv line 2, column threads"
  d=$(case_dir repeat); sed -n 2p "$fixture/summary.csv" >>"$d/summary.csv"
  bad_file "a repeated result" "$d" "line 23 repeats line 2"
  d=$(case_dir dup-column); sed -i '1s/,p999_ns,/,p99_ns,/' "$d/summary.csv"
  bad_file "a column named twice" "$d" "'p99_ns' appears twice"
  d=$(case_dir no-verdict)
  csv_edit "$d/summary.csv" "rows = [[f for i, f in enumerate(r) if rows[0][i] not in ('status', 'failure', 'complete')] for r in rows]"
  bad_file "neither status nor complete" "$d" "neither a status column"
  d=$(case_dir quote); sed -i '12s/,ok,$/,ok,"unclosed/' "$d/summary.csv"
  bad_file "an unclosed quote" "$d" "line 12" quote
  d=$(case_dir all-failed); csv_edit "$d/summary.csv" "for r in rows[1:]: r[col('status')] = 'failed'"
  bad_file "no ok result" "$d" "none of its 21 results is ok"
  d=$(case_dir empty-summary); : >"$d/summary.csv"
  bad_file "an empty summary.csv" "$d" summary.csv empty

  # series.csv
  d=$(case_dir series-cut); head -c -7 "$fixture/series.csv" >"$d/series.csv"
  bad_file "series.csv cut short" "$d" series.csv "cut short"
  d=$(case_dir series-no-rss); cut -d, -f1-8 "$fixture/series.csv" >"$d/series.csv"
  bad_file "series.csv without rss_kib" "$d" series.csv rss_kib

  # run.json's shape. json_case NAME PYTHON TEXT...: run.json edited (d is
  # the document) is refused with a line that says each TEXT.
  json_case() {
    local d; d=$(case_dir "$1")
    json_edit "$d/run.json" "$2"
    bad_file "run.json: $2" "$d" run.json "${@:3}"
  }
  json_case json-empty 'd = {}' "results is missing"
  json_case json-list 'd = [1, 2]' "top level is a list"
  json_case json-threads 'd["results"][3]["threads"] = "2"' 'results[3].threads is "2"'
  json_case json-status 'd["results"][4]["status"] = "fine"' 'results[4].status'
  json_case json-stall 'd["flags"]["stall"] = {"thread": 1}' "flags.stall.start_s is missing"
  json_case json-seed 'd["results"][5]["thread_seed"] = ["12ab", 3]' "results[5].thread_seed"
  json_case json-counts 'd["results"][6]["thread_reclaimed"] = [1, -2]' "results[6].thread_reclaimed"
  json_case json-tool 'd["tool"] = "other"' 'tool is "other"'
  json_case json-repeat 'd["results"].append(d["results"][0])' "results[21] repeats results[0]"
  d=$(case_dir json-dup-key); sed -i 's/"tool": "smrbench",/"tool": "smrbench", "tool": "smrbench",/' "$d/run.json"
  bad_file "a key twice in run.json" "$d" run.json "line 2"

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
  test_finish "plot bad input"
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

# every_figure DIR: each figure as a PNG, a well-formed SVG and a PDF, and its data.
every_figure() {
  local f
  for f in $figures; do
    [ "$(head -c 5 "$1/plots/$f.pdf" 2>/dev/null)" = "%PDF-" ] && tail -c 8 "$1/plots/$f.pdf" | grep -q '%%EOF' ||
      { echo "  $f.pdf missing or cut short"; return 1; }
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
check_text() { # FIGURE TEXT [DIR]
  if grep -qF -- "$2" "${3:-$svg}/$1.svg"; then ok; else ko "${3:-$svg}/$1.svg lacks '$2'"; fi
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
check_text balance "freed outside the benchmark threads"
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

# Only ok results are drawn: the interrupted run of stack/ebr at 3 threads
# (1774 Mops/s over a microsecond) and the failed one of stack/hp are left
# out, the figures say so, and stdout names them with their reasons.
for f in throughput memory rss latency balance; do
  check_text $f "2 of 21 runs left out: 1 failed, 1 interrupted"
done
if awk '/^# stack r50 ebr$/ { b = 1; next } /^#/ { b = 0 } b && $1 == 3 { found = $5 == 1 && $2 < 100 } END { exit !found }' \
   "$svg/data/throughput.dat" && grep -q '^tp_ymax\[1\] = [0-9.]*$' "$svg/data/meta.gp" &&
   awk -F' = ' '/^tp_ymax\[1\]/ { exit !($2 < 100) }' "$svg/data/meta.gp"; then ok; else
  ko "throughput.dat: the interrupted run is counted"; fi
if grep -q '^# stack r50 ebr, 3 threads, repetition 1$' "$svg/data/series.dat"; then ok; else
  ko "series.dat: stack/ebr's curve is not its first ok repetition"; fi
if grep -qF 'left out: stack hp, 3 threads, r50, rep 2: failed: killed by signal 11 (SIGSEGV), 0.2 s into the window' "$tmp/stdout" &&
   grep -qF 'left out: stack ebr, 3 threads, r50, rep 0: interrupted: cut short by SIGINT' "$tmp/stdout"; then ok; else
  ko "stdout does not name the results left out"; fi
# Bytes in binary units only; nodes only where bytes do not tell them
# (dbmap's native epochs count no bytes), else the node size is named.
check_text memory "nodes of 16 B"
check_text memory "unreclaimed nodes"
if ! grep -qE '[0-9] (kB|MB|GB)<' "$svg/memory.svg" && grep -qE '[0-9] (KiB|MiB)<' "$svg/memory.svg" &&
   grep -q '^mem_nodes_row\[1\] = 0$' "$svg/data/meta.gp" && grep -q '^mem_nodes_row\[2\] = 1$' "$svg/data/meta.gp"
then ok; else ko "memory: units or the rows of nodes"; fi

# Plotting again replaces the figures.
if quiet_plot "$tmp/run" && every_figure "$tmp/run"; then ok; else ko "plot the same folder again"; fi

# The scripts by hand, as the README says: each redraws its figure, quietly.
for f in $figures; do
  rm -f "$tmp/run/plots/$f.png" "$tmp/run/plots/$f.svg" "$tmp/run/plots/$f.pdf"
  (cd "$tmp" && "$gnuplot" -d -e "dir='$tmp/run'" "$scripts/$f.gp") >"$tmp/stdout" 2>"$tmp/stderr"
  rc=$?
  if [ $rc -eq 0 ] && [ ! -s "$tmp/stderr" ] && [ -s "$tmp/run/plots/$f.png" ] && [ -s "$tmp/run/plots/$f.svg" ] &&
     [ -s "$tmp/run/plots/$f.pdf" ]
  then ok; else ko "gnuplot -e \"dir='...'\" $f.gp: exit $rc"; fi
done

# Files written before the status column (complete and teardown_ok give
# the verdict; seeds as bare 64-bit numbers) still plot, quietly.
d=$tmp/legacy
fixture_copy legacy
csv_edit "$d/summary.csv" "rows = [[f for i, f in enumerate(r) if rows[0][i] not in ('status', 'failure')] for r in rows if r[4] != '2']"
json_edit "$d/run.json" 'd["results"] = [{k: v for k, v in r.items() if k not in ("status", "failure")} for r in d["results"] if r["rep"] != 2]'
sed -i 's/"\([0-9]\{6,\}\)"/\1/g' "$d/run.json"
if quiet_plot "$d" && grep -q '10451216379200822465' "$d/run.json"; then ok; else ko "plot files without a status column"; fi
check_text throughput "1 of 20 runs left out: 1 interrupted" "$d/plots"

# Columns other writers add (in the middle, at the end) change nothing.
d=$tmp/extra
fixture_copy extra
csv_edit "$d/summary.csv" "rows = [r[:5] + [r[0] == 'structure' and 'machine' or 'vm'] + r[5:] + [r[0] == 'structure' and 'later' or '1'] for r in rows]"
csv_edit "$d/series.csv" "rows = [r[:2] + [r[0] == 'structure' and 'zone' or 'x,y'] + r[2:] for r in rows]"
if quiet_plot "$d" && cmp -s "$d/plots/data/throughput.dat" "$svg/data/throughput.dat" &&
   cmp -s "$d/plots/data/series.dat" "$svg/data/series.dat"; then ok; else ko "extra columns change the figures"; fi

# An unfinished set (run.json says complete false) says so; the isolation
# run.json records is in the footnote and the RSS figure's title.
d=$tmp/unfinished
fixture_copy unfinished
json_edit "$d/run.json" 'd["complete"] = False; d["isolation"] = "process"'
if quiet_plot "$d"; then ok; else ko "plot an unfinished set"; fi
check_text memory "unfinished set" "$d/plots"
check_text throughput "unfinished set" "$d/plots"
check_text balance "isolation process" "$d/plots"
check_text rss "RSS (isolation process)" "$d/plots"

# A series.csv with a header only (a run cut short before its first
# sample) is sound: no memory figure, the rest drawn.
fixture_copy header-series
head -1 "$fixture/series.csv" >"$tmp/header-series/series.csv"
if quiet_plot "$tmp/header-series" && [ ! -e "$tmp/header-series/plots/memory.png" ] &&
   [ -s "$tmp/header-series/plots/throughput.png" ]; then ok; else ko "a series.csv with a header only"; fi

# A missing series.csv or run.json is named (exit 0: the rest is drawn).
for f in series.csv run.json; do
  fixture_copy "no-$f"
  rm "$tmp/no-$f/$f"
  "$bin" plot "$tmp/no-$f" >"$tmp/stdout" 2>"$tmp/stderr"
  rc=$?
  if [ $rc -eq 0 ] && grep -q "has no $f" "$tmp/stderr" && [ -s "$tmp/no-$f/plots/throughput.png" ]; then ok; else
    ko "without $f: exit $rc"; fi
done

# Eleven schemes and more: the memory and RSS figures become one small
# multiple per family, none in each as the reference; the balance figure
# says why none is not in it. (The fixture's stack results, copied under
# other schemes' names; none's copies reclaim nothing.)
d=$tmp/eleven
fixture_copy eleven
more="none qsbr urcu ck-epoch hp-asym ck-hp he ibr hyaline"
csv_edit "$d/summary.csv" "rows += [r[:1] + [s] + r[2:] for s in '$more'.split() for r in rows[1:] if r[0] == 'stack' and r[1] == 'hp' and r[-2] == 'ok']"
csv_edit "$d/series.csv" "rows += [r[:1] + [s] + r[2:] for s in '$more'.split() for r in rows[1:] if r[0] == 'stack' and r[1] == 'hp']"
json_edit "$d/run.json" 'import copy
for s in "'"$more"'".split():
    for r in [r for r in d["results"] if r["structure"] == "stack" and r["scheme"] == "hp" and r["status"] == "ok"]:
        c = copy.deepcopy(r); c["scheme"] = s; d["results"].append(c)
        if s == "none": c["reclaimed"] = 0; c["thread_reclaimed"] = [0] * len(c["thread_reclaimed"])'
if quiet_plot "$d"; then ok; else ko "plot eleven schemes"; fi
for t in epochs "hazard pointers" eras; do check_text memory "$t" "$d/plots"; check_text rss "$t" "$d/plots"; done
check_text balance "not shown, freed nothing: none" "$d/plots"

# Several machines (a merged set): the fixture as machine alpha and as beta,
# beta with twice the throughput, ten times the latency, three times the
# unreclaimed memory and a window half as long again. Every figure draws a
# column per machine (a row per structure and mix) and every panel of a row
# the same axes: the larger machine's. run.json describes alpha ("machine");
# beta falls back to its machine string, or with "machines" (what merge
# writes) to its own description. A set of one machine draws as before.
# machine_set NAME MACHINES: the fixture with a machine column, as each of
# MACHINES (alpha, or alpha and beta) with beta's values scaled.
machine_set() {
  local d=$tmp/$1 m="'${2// /\', \'}'"
  fixture_copy "$1"
  # as_machine FILE SCALE: FILE's rows once per machine, SCALE ({column: factor}) for beta.
  as_machine() {
    csv_edit "$1" "
named = {'alpha': 'alpha (AMD EPYC)', 'beta': 'beta (Other CPU; 2 GHz)'}
def scaled(r, m):
    return ['%.15g' % (float(v) * $2[rows[0][i]]) if m == 'beta' and v and rows[0][i] in $2 else v
            for i, v in enumerate(r)] + [named[m]]
rows = [rows[0] + ['machine']] + [scaled(r, m) for m in [$m] for r in rows[1:]]"
  }
  as_machine "$d/summary.csv" "{'ops_per_sec': 2, 'p50_ns': 10, 'p99_ns': 10, 'p999_ns': 10, 'max_ns': 10}"
  as_machine "$d/series.csv" "{'t_ms': 1.5, 'unreclaimed': 3, 'unreclaimed_bytes': 3, 'rss_kib': 3}"
  json_edit "$d/run.json" "import copy
d['machine']['label'] = 'alpha'
out = []
for m in [$m]:
    for r in d['results']:
        c = copy.deepcopy(r); out.append(c)
        c['machine'] = m == 'alpha' and 'alpha (AMD EPYC)' or 'beta (Other CPU; 2 GHz)'
        if m == 'beta' and c['ops_per_sec'] is not None: c['ops_per_sec'] *= 2
d['results'] = out"
}
# meta NAME DIR: a variable's value in DIR's meta.gp.
meta() { sed -n "s/^$(printf '%s' "$1" | sed 's/[][]/\\&/g') = //p" "$2/plots/data/meta.gp"; }
# same_range DIR VAR I J: VAR[I] and VAR[J] are set and equal.
same_range() {
  local a b
  a=$(meta "$2[$3]" "$1") b=$(meta "$2[$4]" "$1")
  if [ -n "$a" ] && [ "$a" = "$b" ]; then ok; else ko "$1: $2[$3] = '$a', $2[$4] = '$b': not the same range"; fi
}

d=$tmp/machines
machine_set machines "alpha beta"
if quiet_plot "$d" && every_figure "$d"; then ok; else ko "plot a set of two machines"; fi
# Panels: per figure 2 structure-mix rows (stack, dbmap) of 2 machines.
for v in "machines = 2" "tp_n = 4" "tp_rows = 2" "mem_n = 4" "mem_rows = 2" "lat_n = 4" "bal_n = 4" \
         "pub_n = 2" 'tp_cell[4] = 4' 'tp_mcol[2] = 2' 'tp_grow[3] = 2' 'mem_mcol[3] = 1' \
         'tp_title[1] = "alpha: stack, 50 % reads"' 'tp_title[2] = "beta: stack, 50 % reads"' \
         'mem_title[4] = "beta: dbmap, writer thread 0, 3 threads"'; do
  grep -qxF -- "$v" "$d/plots/data/meta.gp" && ok || ko "two machines: meta.gp lacks '$v'"
done
# Each row's panels share their axes, beta's: above the one-machine fixture's.
for v in tp_ymax tp_xmin tp_xmax lat_ymin lat_ymax mem_tmax mem_bytes_max mem_nodes_max mem_rss_max pub_ymax; do
  same_range "$d" "$v" 1 2
  [ "$v" = pub_ymax ] || same_range "$d" "$v" 3 4
done
awk -v a="$(meta 'tp_ymax[1]' "$d")" -v b="$(meta 'tp_ymax[1]' "$tmp/run")" 'BEGIN { exit !(a > 1.9 * b) }' &&
  ok || ko "two machines: tp_ymax[1] is not beta's"
awk -v a="$(meta 'lat_ymax[1]' "$d")" -v b="$(meta 'lat_ymax[1]' "$tmp/run")" 'BEGIN { exit !(a >= 10 * b) }' &&
  ok || ko "two machines: lat_ymax[1] is not beta's"
# The data: beta's throughput is its own (twice alpha's), its curves its own.
awk '/^# stack r50 hp$/ { n++ } n && !/^#/ && NF { v[n] = v[n] ? v[n] : $2 } END { exit !(n == 2 && v[2] > 1.99 * v[1] && v[2] < 2.01 * v[1]) }' \
  "$d/plots/data/throughput.dat" && ok || ko "two machines: throughput.dat lacks beta's own stack/hp"
[ "$(grep -c '^# ' "$d/plots/data/series.dat")" -eq $((2 * $(grep -c '^# ' "$svg/data/series.dat") - 2)) ] &&
  ok || ko "two machines: series.dat does not hold each machine's curves"
# The figures: a column per machine, titled; the footnote names each machine.
for f in memory rss; do
  grep -qx ' width="960" height="[0-9]*"' "$d/plots/$f.svg" && ok || ko "two machines: $f.svg is not two columns wide (2 x 480 px)"
done
check_text throughput "beta: dbmap, writer thread 0" "$d/plots"
check_text memory "alpha: stack, 50 % reads, 3 threads" "$d/plots"
check_text latency "alpha: AMD EPYC; 1 package, 1 NUMA node, 2 cores" "$d/plots"
check_text latency "beta (Other CPU; 2 GHz)" "$d/plots"
check_text balance "allocator glibc" "$d/plots"
# run.json's "machines" (a merged set) describes beta.
json_edit "$d/run.json" 'd["machines"] = [dict(d["machine"]), {"label": "beta", "cpu_model": "Other CPU, 2 GHz", "topology": "2 packages", "kernel": "Linux 7"}]'
if quiet_plot "$d"; then ok; else ko "plot two machines with run.json's machines"; fi
check_text latency "beta: Other CPU, 2 GHz; 2 packages; Linux 7" "$d/plots"

# One machine, named in a machine column: the same figures as without it.
d=$tmp/one-machine
machine_set one-machine alpha
if quiet_plot "$d"; then ok; else ko "plot a set of one machine"; fi
for f in $figures; do
  cmp -s "$d/plots/$f.svg" "$svg/$f.svg" && ok || ko "one machine: $f.svg differs from the fixture's"
done
grep -qx 'machines = 1' "$d/plots/data/meta.gp" && ok || ko "one machine: machines is not 1"

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

test_finish "plot figures"
