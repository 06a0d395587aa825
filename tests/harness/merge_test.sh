#!/usr/bin/env bash
# merge_test.sh SMRBENCH - `smrbench merge -o OUT DIR...` (docs/merge.md):
#   three shards merged hold the unsharded run's cells, each once, and
#   `plot` and `compare` read the set; two machines of one plan keep both
#   machines' rows; a missing shard is written, marked incomplete, exit 1,
#   named on stderr; a cell twice, another plan (without --allow-mixed) and
#   bad arguments are one line, exit 2, and no OUT (nor its temporary
#   folder); files from before the machine column get it filled; --force
#   replaces a merged set. The manifest: run.json's machine.manifest has
#   every member, read from a given sysfs tree, and merge names the member
#   that differs between two machines.
bin=$(realpath "$1")
. "$(dirname "$0")/../common/test_lib.sh"
cd "$tmp" || exit 1
keys() { tail -n +2 "$1/summary.csv" | cut -d, -f1-5 | sort; } # structure,scheme,threads,mix,rep
machines() { awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "machine") c = i; next }
                      { print $c }' "$1/summary.csv" | sort -u; }
rows() { tail -n +2 "$1" | wc -l; }
# nothing written: neither OUT nor OUT.tmp-*
nothing() { [ ! -e "$1" ] && [ -z "$(find . -maxdepth 1 -name "$1.tmp-*")" ]; }
# refused DESCRIPTION OUT PATTERN ARGS...: exit 2, one line matching PATTERN, nothing written
refused() {
  local what=$1 out=$2 pattern=$3 rc
  shift 3
  "$bin" merge "$@" >out.txt 2>err.txt
  rc=$?
  [ $rc -eq 2 ] && [ "$(wc -l <err.txt)" -eq 1 ] && grep -q -- "$pattern" err.txt && nothing "$out" &&
    ok || { no "$what: exit $rc, want 2, one line matching '$pattern', no $out"; cat err.txt; }
}

sweep=(run -s stack -r ebr,none -t 1,2 -n 2 -d 0.05 --warmup 0 --sample 5 --quiet)
"$bin" "${sweep[@]}" -o all || no "the unsharded run failed"
for i in 0 1 2; do "$bin" "${sweep[@]}" --shard $i/3 -o s$i || no "shard $i/3 failed"; done

# Three shards: the whole sweep's cells, each once, complete.
"$bin" merge -o m s0 s1 s2 >out.txt 2>err.txt
rc=$?
[ $rc -eq 0 ] && [ ! -s err.txt ] && ok || { no "merging 3 shards: exit $rc"; cat err.txt; }
diff <(keys m) <(keys all) >/dev/null && ok || no "the merged shards' cells are not the unsharded run's"
[ "$(jq -r .complete m/run.json)" = true ] && [ "$(jq '.merged.inputs | length' m/run.json)" -eq 3 ] &&
  [ "$(jq '.results | length' m/run.json)" -eq "$(rows m/summary.csv)" ] &&
  [ "$(jq -r .plan.id m/run.json)" = "$(jq -r .plan.id all/run.json)" ] && ok ||
  no "the merged run.json: complete, inputs, results or plan id wrong"
[ "$(rows m/series.csv)" -eq $(($(rows s0/series.csv) + $(rows s1/series.csv) + $(rows s2/series.csv))) ] &&
  ok || no "series.csv does not hold every shard's curve"
grep -q '^results: m/$' out.txt && ! grep -q 'differs:' out.txt && ok ||
  { no "the report: where it wrote, or a difference between identical machines"; cat out.txt; }
[ -z "$(find . -maxdepth 1 -name 'm.tmp-*')" ] && ok || no "a temporary folder was left"
# The set reads like a run's: compare (against the whole run: a verdict, 0 or 1, as two
# repetitions are judged by the threshold alone; against itself: 0) and plot.
"$bin" compare all m >cmp.txt 2>cmp.err
rc=$?
[ $rc -le 1 ] && [ ! -s cmp.err ] && grep -q '^stack/ebr/threads:2/r50 ' cmp.txt && ok ||
  { no "compare all m: exit $rc"; cat cmp.txt cmp.err; }
"$bin" compare m m >cmp.txt 2>&1 && ok || { no "compare m m: exit $?"; cat cmp.txt; }
if command -v gnuplot >/dev/null; then
  "$bin" plot m >plot.txt 2>&1 && [ -s m/plots/throughput.svg ] && ok || { no "plot m failed"; cat plot.txt; }
fi

# Two machines of one plan (--host-label is not part of it): both kept.
"$bin" "${sweep[@]}" --host-label beta -o b || no "the run labelled beta failed"
"$bin" merge -o two all b >out.txt 2>err.txt
rc=$?
[ $rc -eq 0 ] && [ "$(machines two | wc -l)" -eq 2 ] && machines two | grep -q '^beta (' &&
  [ "$(rows two/summary.csv)" -eq $((2 * $(rows all/summary.csv))) ] &&
  [ "$(jq '.machines | length' two/run.json)" -eq 2 ] && [ "$(jq -r .complete two/run.json)" = true ] &&
  ok || { no "two machines: exit $rc, $(machines two | wc -l) machines"; cat err.txt; }
# Shards on one machine and a whole run on another: two copies, complete.
"$bin" merge -o mixed s0 s1 s2 b >/dev/null 2>err.txt && ok || { no "shards plus a whole copy"; cat err.txt; }

# A missing shard: written, incomplete, exit 1, named.
"$bin" merge -o gap s0 s2 >out.txt 2>err.txt
rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <err.txt)" -eq 1 ] && grep -q 'shard 1/3 missing' err.txt &&
  [ "$(jq -r .complete gap/run.json)" = false ] &&
  jq -e '.merged.missing | index("shard 1/3 missing")' gap/run.json >/dev/null && ok ||
  { no "a missing shard: exit $rc"; cat err.txt; }
# An incomplete input is said too.
cp -r s1 s1cut
jq '.complete = false' s1/run.json >s1cut/run.json
"$bin" merge -o cut s0 s1cut s2 >/dev/null 2>err.txt
[ $? -eq 1 ] && grep -q "'s1cut' is incomplete" err.txt && ok || { no "an incomplete input"; cat err.txt; }

# A cell twice is always refused, naming both folders.
cp -r s0 s0copy
refused "a shard twice" dup "in both 's0' and 's0copy'" -o dup s0 s0copy s1 s2
refused "a shard twice (--allow-mixed)" dup "in both" -o dup --allow-mixed s0 s0copy
refused "the whole run and its shard" dup "in both 'all' and 's1'" -o dup all s1
refused "the same folder twice" dup "are the same folder" -o dup s0 ./s0

# Another plan: refused naming plan.id, merged with --allow-mixed.
"$bin" run -s stack -r ebr -t 3 -n 1 -d 0.05 --warmup 0 --quiet -o other || no "the other plan's run failed"
refused "another plan" mix "plan.id differs: 'all' has \"" -o mix all other
"$bin" merge --allow-mixed -o mix all other >out.txt 2>err.txt
rc=$?
[ $rc -eq 0 ] && [ "$(jq -r .merged.allow_mixed mix/run.json)" = true ] &&
  jq -e '[.merged.differences[].member] | index("plan.id")' mix/run.json >/dev/null &&
  [ "$(jq -r .plan.id mix/run.json)" = null ] && grep -q 'differs: plan.id' out.txt && ok ||
  { no "--allow-mixed: exit $rc"; cat err.txt; }

# Bad arguments and folders.
mkdir empty
echo x >afile
refused "no -o" "" "no output folder" s0
refused "-o without a value" "" "needs a value" s0 -o
refused "no folder" none "no results folder to merge" -o none
refused "an unknown option" none "unknown option '--frobnicate'" -o none --frobnicate s0
refused "a folder that does not exist" none "cannot open 'nosuch'" -o none s0 nosuch
refused "a folder without results" none "'empty' holds no summary.csv" -o none s0 empty
refused "OUT that is an input" none "is also a folder to merge" -o s0 --force s0 s1
"$bin" merge -o m s0 s1 s2 >/dev/null 2>err.txt
[ $? -eq 2 ] && [ "$(wc -l <err.txt)" -eq 1 ] && grep -q "already holds results" err.txt &&
  [ "$(jq '.merged.inputs | length' m/run.json)" -eq 3 ] && ok || { no "OUT holding results"; cat err.txt; }
refused "OUT a file" "" "exists and is not a folder" -o afile s0
[ "$(cat afile)" = x ] && [ -z "$(find . -maxdepth 1 -name 'afile.tmp-*')" ] && ok || no "a refused merge wrote over a file"
# --force replaces a set in one step; an empty OUT folder is fine.
"$bin" merge --force -o m s0 s1 >/dev/null 2>&1
[ $? -eq 1 ] && [ "$(jq '.merged.inputs | length' m/run.json)" -eq 2 ] &&
  [ -z "$(find . -maxdepth 1 -name 'm.*')" ] && ok || no "--force did not replace the set"
"$bin" merge -o empty s0 s1 s2 >/dev/null 2>&1 && [ -f empty/run.json ] && ok || no "an empty OUT folder"
"$bin" merge -o slash/ s0 s1 s2 >/dev/null 2>&1 && [ -f slash/run.json ] &&
  [ -z "$(find slash -name '*.tmp-*')" ] && ok || no "-o OUT/ (a trailing slash)"

# Files from before the machine column: it is filled from run.json.
cp -r s1 old
for f in summary.csv series.csv; do
  awk -F, -v OFS=, '{ NF = NF - 1; print }' s1/$f >old/$f
done
jq 'del(.results[].machine)' s1/run.json >old/run.json
"$bin" merge -o fill s0 old s2 >/dev/null 2>err.txt && diff <(keys fill) <(keys all) >/dev/null &&
  [ "$(machines fill)" = "$(machines all)" ] &&
  [ "$(jq -r '[.results[].machine] | unique | length' fill/run.json)" -eq 1 ] && ok ||
  { no "old files' machine column not filled"; cat err.txt; }

# The manifest: every member, values read from the sysfs tree given.
members='["thp_enabled","thp_defrag","cpufreq_driver","cpufreq_governor","boost","smt_active",
  "smt_control","mitigations","numa_nodes","numa_pus","hwloc_version","liburcu_version","ck_version"]'
jq -e --argjson m "$members" '.machine.manifest | keys as $k | $m - $k == []' all/run.json >/dev/null &&
  ok || no "machine.manifest lacks a member: $(jq -c .machine.manifest all/run.json)"
fake() { # fake ROOT THP: a sysfs tree with known settings
  mkdir -p "$1/sys/kernel/mm/transparent_hugepage" "$1/sys/devices/system/cpu/smt" \
    "$1/sys/devices/system/cpu/cpufreq" "$1/sys/devices/system/cpu/vulnerabilities"
  echo "$2" >"$1/sys/kernel/mm/transparent_hugepage/enabled"
  echo 1 >"$1/sys/devices/system/cpu/smt/active"
  echo 0 >"$1/sys/devices/system/cpu/cpufreq/boost"
  echo "Not affected" >"$1/sys/devices/system/cpu/vulnerabilities/meltdown"
}
fake sysa "always [madvise] never"
fake sysb "[always] madvise never"
tiny=(run -s stack -r none -t 1 -n 1 -d 0.02 --warmup 0 --quiet)
SMRBENCH_SYSFS_ROOT=$PWD/sysa "$bin" "${tiny[@]}" --host-label alpha -o pa || no "run with sysfs a failed"
SMRBENCH_SYSFS_ROOT=$PWD/sysb "$bin" "${tiny[@]}" --host-label beta -o pb || no "run with sysfs b failed"
jq -e '.machine.manifest | .thp_enabled == "madvise" and .boost == false and .smt_active == true
       and .mitigations == {"meltdown": "Not affected"} and .cpufreq_governor == null
       and .thp_defrag == null' pa/run.json >/dev/null && ok ||
  no "the manifest read from sysfs a: $(jq -c .machine.manifest pa/run.json)"
"$bin" merge -o pab pa pb >out.txt 2>err.txt
rc=$?
[ $rc -eq 0 ] && grep -q '^  differs: machine.manifest.thp_enabled: "madvise" (pa); "always" (pb)$' out.txt &&
  ! grep -q 'differs: machine.manifest.boost' out.txt &&
  jq -e '[.merged.differences[].member] | index("machine.manifest.thp_enabled")' pab/run.json >/dev/null &&
  ok || { no "merge does not name the manifest member that differs: exit $rc"; cat out.txt err.txt; }

test_finish merge
