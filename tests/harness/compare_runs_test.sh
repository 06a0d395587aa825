#!/usr/bin/env bash
# compare_runs_test.sh SMRBENCH - `smrbench compare` on run folders as
# smrbench run writes them now (fixtures alone missed that it could not
# read them): two fresh sweeps compare, as they do from two machines; a
# run.json from before seeds were strings (integers beyond int64) still
# reads; rows not measured in full are left out and said, as is an
# unfinished set; an unknown --reference is named with what is allowed;
# sets merged from several machines are matched per machine.
. "$(dirname "$0")/../common/test_lib.sh"
bin=$1
fixtures=$tests/fixtures/compare

# A as machine alpha, B as machine beta.
for set in A:alpha B:beta; do
  "$bin" run -s stack -r none,ebr -t 1 -n 3 -d 0.3 --host-label "${set#*:}" -o "$tmp/${set%:*}" \
    --quiet 2>/dev/null || no "the sweep $set failed"
done

# compare_ok WHAT PATTERN ARGS...: exit 0 or 1 (a verdict), nothing on stderr, stdout matching PATTERN
compare_ok() {
  local what=$1 pattern=$2
  shift 2
  "$bin" compare "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ $rc -le 1 ] && [ ! -s "$tmp/err" ] && grep -Eq -- "$pattern" "$tmp/out"; then ok; else
    no "$what: exit $rc, stdout must match /$pattern/"; cat "$tmp/out" "$tmp/err"; fi
}

compare_ok "two fresh sweeps of two machines" '^stack/ebr/threads:1/r50 ' "$tmp/A" "$tmp/B"
compare_ok "a run.json with integer seeds beyond int64" '^stack/ebr/threads:1/r50 ' \
  "$fixtures/run_old_format" "$tmp/A"

# An interrupted row with an absurd throughput: left out, said; the set unfinished, said.
mkdir "$tmp/C"
sed -e '/"scheme": "ebr".*"rep": 0,/{s/"status": "ok", "failure": null/"status": "interrupted", "failure": "interrupted during warmup"/;s/"ops_per_sec": [0-9.]*/"ops_per_sec": 1e15/}' \
    -e 's/^  "complete": true,/  "complete": false,/' "$tmp/A/run.json" >"$tmp/C/run.json"
compare_ok "an interrupted row left out" 'note: BASE: 1 row\(s\) left out, not measured in full: 1 interrupted, 0 failed' \
  "$tmp/C" "$tmp/B"
compare_ok "an unfinished set said" '^note: BASE is an unfinished sweep' "$tmp/C" "$tmp/B"
grep -E '^stack/ebr/threads:1/r50 ' "$tmp/out" | awk '{ exit !($2 + 0 < 1000) }' && ok ||
  { no "the interrupted row was compared"; cat "$tmp/out"; }
# the same in the older format: "complete": false on the row, no status
mkdir "$tmp/D"
sed -e '/"scheme": "ebr".*"rep": 0,/{s/"complete": true/"complete": false/;s/"ops_per_sec": [0-9.]*/"ops_per_sec": 1e15/}' \
  "$fixtures/run_old_format/run.json" >"$tmp/D/run.json"
compare_ok "an incomplete row of the older format left out" 'note: BASE: 1 row\(s\) left out' "$tmp/D" "$tmp/B"

# --reference that the sets did not measure
"$bin" compare "$tmp/A" "$tmp/B" --reference zzz >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
  grep -q "\-\-reference: 'zzz' is not a scheme measured in '$tmp/A'; allowed: peers, none, ebr" "$tmp/err" &&
  ok || { no "--reference zzz: exit $rc"; cat "$tmp/err"; }

# Sets of several machines (what merge makes; here A and B in one folder):
# entries are matched per machine, each against its own machine's none.
# merged OUT EDIT DIR[:LABEL]...: the folders' rows and results in one set
# (a folder's host renamed LABEL), then the Python statement EDIT on each
# result r of run.json (compare reads run.json).
merged() {
  local out=$1 edit=$2
  shift 2
  mkdir "$out"
  python3 - "$out" "$edit" "$@" <<'PY'
import csv, json, sys
out, edit, specs = sys.argv[1], sys.argv[2], sys.argv[3:]
def relabel(machine, label):
    return label + machine[machine.index(" ("):] if label else machine
rows, results = {"summary.csv": [], "series.csv": []}, []
for spec in specs:
    d, _, label = spec.partition(":")
    for f in rows:
        table = list(csv.reader(open(d + "/" + f, newline="")))
        m = table[0].index("machine")
        for r in table[1:]:
            r[m] = relabel(r[m], label)
        rows[f] += table[1:] if rows[f] else table
    run = json.load(open(d + "/run.json"))
    for r in run["results"]:
        r["machine"] = relabel(r["machine"], label)
    results += run["results"]
for f, table in rows.items():
    csv.writer(open(out + "/" + f, "w", newline=""), lineterminator="\n").writerows(table)
run = json.load(open(specs[0].partition(":")[0] + "/run.json"))
run["results"] = results
for r in results:
    exec(edit)
json.dump(run, open(out + "/run.json", "w"), indent=1)
PY
}
merged "$tmp/AB" "pass" "$tmp/A" "$tmp/B"
merged "$tmp/AB-beta-ebr-slower" "r['ops_per_sec'] *= 0.7 if r['machine'].startswith('beta (') and r['scheme'] == 'ebr' else 1" "$tmp/A" "$tmp/B"
compare_ok "beta's ebr 30 % slower: REGRESSED on beta" '^beta \(.*\): stack/ebr/threads:1/r50 .* -30\.0% .* REGRESSED$' \
  "$tmp/AB" "$tmp/AB-beta-ebr-slower"
compare_ok "... and not on alpha" '^alpha \(.*\): stack/ebr/threads:1/r50 .* \+0\.0% .* same$' \
  "$tmp/AB" "$tmp/AB-beta-ebr-slower"
compare_ok "... two entries compared" '^2 compared: 1 regressed, 0 improved' "$tmp/AB" "$tmp/AB-beta-ebr-slower"
compare_ok "... in CSV" '^beta \(.*\): stack/ebr/threads:1/r50,.*,REGRESSED$' "$tmp/AB" "$tmp/AB-beta-ebr-slower" --format csv
compare_ok "... confirmed per machine (--confirm)" '^beta \(.*\): stack/ebr/threads:1/r50 .* REGRESSED$' \
  "$tmp/AB" "$tmp/AB-beta-ebr-slower" --confirm "$tmp/AB-beta-ebr-slower"
grep -q '^alpha' "$tmp/out" && { no "--confirm tested alpha's entry, which FIRST did not flag"; cat "$tmp/out"; } || ok
# A whole machine slower (none too): its ratios to its own none do not move.
merged "$tmp/AB-beta-slower" "r['ops_per_sec'] *= 0.5 if r['machine'].startswith('beta (') else 1" "$tmp/A" "$tmp/B"
compare_ok "beta 2x slower as a whole: nothing regressed" '^2 compared: 0 regressed, 0 improved' \
  "$tmp/AB" "$tmp/AB-beta-slower"
# A machine only NEW has: its entries unmatched and named, not compared.
merged "$tmp/ABC" "pass" "$tmp/A" "$tmp/B" "$tmp/A:gamma"
compare_ok "a machine only NEW has: unmatched" "^note: only NEW has machine 'gamma \(.*\)' \(2 entries\): unmatched, not compared$" \
  "$tmp/AB" "$tmp/ABC"
compare_ok "... the others compared" '^2 compared: 0 regressed, 0 improved' "$tmp/AB" "$tmp/ABC"
grep -q '^gamma' "$tmp/out" && { no "gamma's entries were compared"; cat "$tmp/out"; } || ok

test_finish "compare runs"
