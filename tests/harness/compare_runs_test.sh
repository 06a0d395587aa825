#!/usr/bin/env bash
# compare_runs_test.sh SMRBENCH - `smrbench compare` on run folders as
# smrbench run writes them now (fixtures alone missed that it could not
# read them): two fresh sweeps compare; a run.json from before seeds were
# strings (integers beyond int64) still reads; rows not measured in full
# are left out and said, as is an unfinished set; an unknown --reference
# is named with what is allowed.
. "$(dirname "$0")/../common/test_lib.sh"
bin=$1
fixtures=$tests/fixtures/compare

for set in A B; do
  "$bin" run -s stack -r none,ebr -t 1 -n 3 -d 0.3 -o "$tmp/$set" --quiet 2>/dev/null ||
    no "the sweep $set failed"
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

compare_ok "two fresh sweeps" '^stack/ebr/threads:1/r50 ' "$tmp/A" "$tmp/B"
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

test_finish "compare runs"
