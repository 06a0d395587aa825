#!/usr/bin/env bash
# run_folder_test.sh SMRBENCH [tmpfs] - the results folder is never
# silently reused or overwritten, and a write that fails keeps a consistent
# set and says so:
#   default names are unique (three runs started in one second, three
#   folders); -o onto a folder holding results is refused unless --force,
#   which replaces the whole set, figures included; a file-size limit
#   (RLIMIT_FSIZE) stops the sweep with exit 3 and the cells written before.
# With "tmpfs": the same on a full filesystem, a 24 KiB tmpfs mounted in a
# private mount namespace (unshare -rm); skipped (77) where that is refused.
. "$(dirname "$0")/../common/test_lib.sh"
bin=$(realpath "$1")
rows() { echo $(($(wc -l 2>/dev/null <"$1" || echo 1) - 1)); }

# full_disk_checks WHAT DIR RC STDOUT STDERR: a sweep whose writes failed midway
full_disk_checks() {
  local what=$1 dir=$2 rc=$3 out=$4 err=$5 n
  n=$(rows "$dir/summary.csv")
  [ "$rc" -eq 3 ] && ok || { no "$what: exit $rc, want 3"; cat "$err"; }
  grep -q "the folder keeps the $n cell(s) written before, marked incomplete; the sweep stops" "$err" &&
    [ "$n" -ge 1 ] && ok || { no "$what: stderr does not say what was kept ($n rows)"; cat "$err"; }
  [ "$(grep -o '"structure": ' "$dir/run.json" | wc -l)" -eq "$n" ] &&
    [ "$(cut -d, -f1-4 "$dir/series.csv" | tail -n +2 | sort -u | wc -l)" -eq "$n" ] &&
    grep -q '"complete": false' "$dir/run.json" && [ -z "$(ls -A "$dir" | grep tmp)" ] && ok ||
    no "$what: the files disagree ($n rows, $(grep -o '"structure": ' "$dir/run.json" | wc -l) in run.json)"
  grep -q "^results (incomplete, writing failed): " "$out" && ! grep -q '^results: ' "$out" && ok ||
    { no "$what: stdout claims the results"; cat "$out"; }
}

# A sweep big enough to outgrow 24 KiB: run.json gains about 1.1 KiB a cell.
sweep=(run -r none,ebr,hp,qsbr,he,ibr,hyaline -t 1,2 -n 2 -d 0.05 --warmup 0 --sample 1)

if [ "${2:-}" = tmpfs ]; then
  mkdir "$tmp/mnt"
  unshare -rm sh -c "mount -t tmpfs -o size=24k tmpfs '$tmp/mnt'" 2>/dev/null ||
    { echo "skipped: cannot mount a tmpfs in a private mount namespace here"; exit 77; }
  unshare -rm sh -c "mount -t tmpfs -o size=24k tmpfs '$tmp/mnt' &&
    '$bin' ${sweep[*]} -o '$tmp/mnt/full' >'$tmp/stdout' 2>'$tmp/stderr'; echo \$? >'$tmp/rc';
    cp -r '$tmp/mnt/full' '$tmp/kept'"
  full_disk_checks "disk full (tmpfs)" "$tmp/kept" "$(cat "$tmp/rc")" "$tmp/stdout" "$tmp/stderr"
  grep -q 'No space left on device' "$tmp/stderr" && ok || no "tmpfs: not ENOSPC"
  echo "folder (tmpfs): $pass passed, $fail failed"
  [ "$fail" -eq 0 ]
  exit
fi

# Three runs started in the same second get three folders.
mkdir "$tmp/cwd"
(cd "$tmp/cwd" && for i in 1 2 3; do "$bin" run -r none -t 1 -d 0.05 --warmup 0 --quiet 2>/dev/null & done; wait)
n=$(ls "$tmp/cwd/results" | wc -l)
whole=0
for d in "$tmp"/cwd/results/*/; do [ "$(rows "$d/summary.csv")" -eq 1 ] && whole=$((whole + 1)); done
[ "$n" -eq 3 ] && [ $whole -eq 3 ] && ok || { no "3 runs at once: $n folders, $whole whole"; ls -l "$tmp/cwd/results"; }

# -o onto earlier results: refused, the old set untouched; --force replaces it all.
"$bin" run -r none -t 1 -d 0.05 --warmup 0 -o "$tmp/old" --quiet 2>/dev/null
mkdir -p "$tmp/old/plots" && touch "$tmp/old/plots/throughput.png"
before=$(cat "$tmp/old/summary.csv" "$tmp/old/run.json" | md5sum)
"$bin" run -r ebr -t 1 -d 0.05 --warmup 0 -o "$tmp/old" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/stderr")" -eq 1 ] && grep -q -- '--force' "$tmp/stderr" &&
  [ ! -s "$tmp/stdout" ] && [ "$(cat "$tmp/old/summary.csv" "$tmp/old/run.json" | md5sum)" = "$before" ] &&
  [ -e "$tmp/old/plots/throughput.png" ] && ok || { no "-o onto results: exit $rc"; cat "$tmp/stderr"; }
"$bin" run -r ebr -t 1 -d 0.05 --warmup 0 -o "$tmp/old" --force --quiet 2>"$tmp/stderr"
rc=$?
[ $rc -eq 0 ] && [ ! -e "$tmp/old/plots" ] && [ "$(rows "$tmp/old/summary.csv")" -eq 1 ] &&
  grep -q '^stack,ebr,' "$tmp/old/summary.csv" && ! grep -q '"scheme": "none"' "$tmp/old/run.json" && ok ||
  { no "--force: exit $rc"; cat "$tmp/stderr"; ls -R "$tmp/old"; }
# an empty folder, or one with other files, is fine, and the other files stay
mkdir "$tmp/empty" "$tmp/other" && echo notes >"$tmp/other/notes.txt"
"$bin" run -r ebr -t 1 -d 0.05 --warmup 0 -o "$tmp/empty" --quiet 2>/dev/null &&
  "$bin" run -r ebr -t 1 -d 0.05 --warmup 0 -o "$tmp/other" --quiet 2>/dev/null &&
  [ "$(cat "$tmp/other/notes.txt")" = notes ] && ok || no "-o onto an empty folder or one with other files"

# A file-size limit midway (RLIMIT_FSIZE, SIGXFSZ ignored: writes fail with EFBIG).
(trap '' XFSZ; ulimit -f 10; exec "$bin" "${sweep[@]}" -o "$tmp/fsize") >"$tmp/stdout" 2>"$tmp/stderr"
full_disk_checks "file size limit" "$tmp/fsize" $? "$tmp/stdout" "$tmp/stderr"

test_finish folder
