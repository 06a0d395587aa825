#!/usr/bin/env bash
# Instruction counts of every scheme's single-threaded primitives (enter_leave,
# protect, retire: the batches smrbench micro times) under valgrind's callgrind,
# per operation, against the committed baseline results/baselines/insn.csv.
#
#   scripts/insn.sh check [BUILD_DIR]     fail (1) if a count moved more than INSN_TOLERANCE
#                                         percent (default 2) either way; 77 = skipped
#   scripts/insn.sh refresh [BUILD_DIR]   rewrite the baseline from this build
#   scripts/insn.sh show [BUILD_DIR]      print the counts as CSV
#
# Counts depend on the compiler and build type, not on the machine: the
# baseline names the toolchain it was taken with, and a check with another
# one is skipped (77). BUILD_DIR defaults to build (a Release build).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-check}
build=${2:-build}
baseline=results/baselines/insn.csv
tolerance=${INSN_TOLERANCE:-2}
# Shown, not enforced: urcu's retire is call_rcu, which wakes liburcu's
# worker thread with a futex only when that thread sleeps, so its count
# depends on the worker's timing (two modes about 20 % apart).
unchecked="urcu/retire"
case "$mode" in check|refresh|show) ;; *)
  echo "scripts/insn.sh: unknown mode '$mode'; allowed: check, refresh, show" >&2; exit 2 ;;
esac
if ! command -v valgrind >/dev/null; then
  echo "insn: valgrind not installed (Debian: apt-get install valgrind): skipped" >&2; exit 77
fi
[ -x "$build/insn_count" ] || { echo "insn: no $build/insn_count; build first" >&2; exit 2; }

toolchain=$("$build/insn_count" --describe)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# One process per scheme, so no scheme's counts depend on the ones before it
# (liburcu's call_rcu thread outlives its domain); --separate-threads: the
# measuring thread's counts alone.
for scheme in $("$build/insn_count" --list); do
  valgrind --tool=callgrind --collect-atstart=no --separate-threads=yes \
    --callgrind-out-file="$work/cg.$scheme.%p" "$build/insn_count" "$scheme" >"$work/log" 2>&1 ||
    { cat "$work/log" >&2; exit 1; }
done
# Each dump names its batch ("insn SCHEME PRIMITIVE N") and its instruction total.
awk '/^desc: Trigger: Client Request: insn / { name = $6 "," $7; n = $8 }
     /^summary: / && name != "" { printf "%s,%.2f\n", name, $2 / n; name = "" }' "$work"/cg.*-01 |
  sort >"$work/counts.csv"
[ -s "$work/counts.csv" ] || { echo "insn: callgrind wrote no counts" >&2; cat "$work/log" >&2; exit 1; }

case "$mode" in
show)
  echo "scheme,primitive,insn_per_op"; cat "$work/counts.csv" ;;
refresh)
  { echo "# toolchain: $toolchain"
    echo "scheme,primitive,insn_per_op"
    cat "$work/counts.csv"; } >"$baseline"
  echo "insn: wrote $baseline ($(wc -l <"$work/counts.csv") counts, $toolchain)" ;;
check)
  [ -f "$baseline" ] || { echo "insn: no $baseline (scripts/insn.sh refresh)" >&2; exit 2; }
  want=$(sed -n 's/^# toolchain: //p' "$baseline")
  if [ "$want" != "$toolchain" ]; then
    echo "insn: the baseline is for '$want', this build is '$toolchain': skipped" \
         "(scripts/insn.sh refresh with this toolchain to check it)" >&2
    exit 77
  fi
  grep -v -e '^#' -e '^scheme,' "$baseline" | sort >"$work/base.csv"
  join -t, -a1 -a2 -e missing -o 0,1.2,2.2 \
    <(awk -F, '{print $1"/"$2","$3}' "$work/base.csv" | sort) \
    <(awk -F, '{print $1"/"$2","$3}' "$work/counts.csv" | sort) |
  awk -F, -v tol="$tolerance" -v unchecked=" $unchecked " '
    BEGIN { printf "%-24s %12s %12s %8s\n", "scheme/primitive", "baseline", "now", "change"; bad = 0 }
    $2 == "missing" { printf "%-24s %12s %12s %8s  new (not in the baseline)\n", $1, "-", $3, ""; next }
    $3 == "missing" { printf "%-24s %12s %12s %8s  NOT MEASURED\n", $1, $2, "-", ""; bad = 1; next }
    { ch = ($2 > 0) ? 100 * ($3 - $2) / $2 : 0; v = ""
      if (index(unchecked, " " $1 " ")) v = "(not checked: timing-dependent)"
      else if (ch > tol) { v = "MORE INSTRUCTIONS"; bad = 1 }
      else if (ch < -tol) { v = "fewer (refresh the baseline)"; bad = 1 }
      printf "%-24s %12.2f %12.2f %+7.1f%%  %s\n", $1, $2, $3, ch, v }
    END { exit bad }' && status=0 || status=1
  if [ $status -ne 0 ]; then
    echo "insn: instruction counts moved by more than ${tolerance}% (scripts/insn.sh refresh if intended)" >&2
  else
    echo "insn: every count within ${tolerance}% of $baseline"
  fi
  exit $status ;;
esac
