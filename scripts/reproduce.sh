#!/usr/bin/env bash
# Re-run a published experiment of the field in its shape, on this machine:
#   scripts/reproduce.sh hashmap [OUT]   the hash-map experiment of the IBR,
#                                        Hyaline and Crystalline papers
#   scripts/reproduce.sh bst [OUT]       the tree experiment of the Hyaline
#                                        and SCOT papers (Natarajan-Mittal)
# It builds (Release), then runs every scheme on the experiment's structure
# and key range, half of it prefilled, with 50 % inserts / 50 % deletes and
# with 90 % lookups, at 1 to 2 x the PUs threads, 5 repetitions; then the
# same with thread 1 stalled inside an operation for most of each window.
# Results go to OUT (default results/published/<experiment>/): mixes/ and
# stall/ (each a results folder with its figures) and SUMMARY.md, the
# medians beside the published shape; docs/published.md compares them.
# Environment: REPRO_DURATION (seconds per window, default 2), REPRO_REPS
# (default 5), REPRO_THREADS (default 1..2 x PUs).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  echo "usage: scripts/reproduce.sh hashmap|bst [OUT]" >&2
  exit 2
}
[ $# -ge 1 ] && [ $# -le 2 ] || usage
experiment=$1
case "$experiment" in
  hashmap) structure=hashmap keys=100000 published="" ;;
  bst) structure=bst keys=100000
       published="Published shapes (other machines, 50/50 insert/delete): the Hyaline artifact at 144
threads on 72 cores, relative to ebr: hyaline 1.28x, hp 1.11x, he 0.53x; the SCOT artifact at
384 threads, 100,000 keys, Mops/s: ebr 236.7, hyaline 215.4, ibr 177.4, he 177.4, hp 172.5,
none (leaky) 323.4." ;;
  *) echo "scripts/reproduce.sh: unknown experiment '$experiment'; allowed: hashmap, bst" >&2; exit 2 ;;
esac
out=${2:-results/published/$experiment}
duration=${REPRO_DURATION:-2}
reps=${REPRO_REPS:-5}
pus=$(nproc)
threads=${REPRO_THREADS:-1-$((2 * pus))}
stall_threads=${REPRO_THREADS:-2-$((2 * pus))}
[ -e "$out" ] && { echo "scripts/reproduce.sh: '$out' exists; move it away first" >&2; exit 2; }

scripts/deps.sh
bin=$(scripts/build.sh release)/smrbench
mkdir -p "$out"
common=(-s "$structure" -r all -k "$keys" --prefill $((keys / 2)) -d "$duration" --warmup 0.5
        -n "$reps" --quiet)

# 50 % insert / 50 % delete (-m 0) and 90 % lookup (-m 90) in one sweep per
# mix, so each mix's schemes are interleaved within every repetition.
for mix in 0 90; do
  "$bin" run "${common[@]}" -t "$threads" -m "$mix" -o "$out/mix-r$mix" --plot
done
# Thread 1 stalls inside an operation from 10 % of each window to 90 %.
stall_start=$(awk -v d="$duration" 'BEGIN { printf "%g", d * 0.1 }')
stall_len=$(awk -v d="$duration" 'BEGIN { printf "%g", d * 0.8 }')
"$bin" run "${common[@]}" -t "$stall_threads" -m 0 --stall "1@$stall_start:$stall_len" \
  -o "$out/stall-r0" --plot

# SUMMARY.md: medians per scheme relative to ebr at the largest thread
# count, for each sweep, as the published figures are read.
{
  echo "# $experiment: medians of $reps runs, relative to ebr at the largest thread count"
  echo
  echo "Machine: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $pus PUs;"
  echo "built at $(git describe --always --dirty); $(date -u +%Y-%m-%dT%H:%MZ)."
  [ -n "$published" ] && { echo; echo "$published"; }
  for run in mix-r0 mix-r90 stall-r0; do
    echo
    echo "## $run"
    echo
    echo "| scheme | threads | Mops/s (median) | min..max | vs ebr | unreclaimed peak (median) | vs ebr |"
    echo "|---|---|---|---|---|---|---|"
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
      $c["status"] != "ok" { next }
      { t = $c["threads"]; if (t > maxt) maxt = t
        k = $c["scheme"] SUBSEP t; n[k]++; v[k, n[k]] = $c["ops_per_sec"] / 1e6
        p[k, n[k]] = $c["unreclaimed_peak"]; seen[$c["scheme"]] = 1 }
      function med(a, k, m,   i, j, x, tmp) {
        for (i = 1; i <= m; i++) tmp[i] = a[k, i]
        for (i = 2; i <= m; i++) { x = tmp[i]; for (j = i - 1; j >= 1 && tmp[j] > x; j--) tmp[j + 1] = tmp[j]; tmp[j + 1] = x }
        return m % 2 ? tmp[(m + 1) / 2] : (tmp[m / 2] + tmp[m / 2 + 1]) / 2 }
      function lo(a, k, m,   i, x) { x = a[k, 1]; for (i = 2; i <= m; i++) if (a[k, i] < x) x = a[k, i]; return x }
      function hi(a, k, m,   i, x) { x = a[k, 1]; for (i = 2; i <= m; i++) if (a[k, i] > x) x = a[k, i]; return x }
      END {
        e = "ebr" SUBSEP maxt; et = med(v, e, n[e]); ep = med(p, e, n[e])
        for (s in seen) { k = s SUBSEP maxt; if (!n[k]) continue
          printf "| %s | %d | %.3f | %.3f..%.3f | %.2fx | %.0f | %s |\n", s, maxt, med(v, k, n[k]),
            lo(v, k, n[k]), hi(v, k, n[k]), (et > 0 ? med(v, k, n[k]) / et : 0), med(p, k, n[k]),
            (ep > 0 ? sprintf("%.3fx", med(p, k, n[k]) / ep) : "-") } }' "$out/$run/summary.csv" |
      sort -t'|' -k6,6gr
  done
} >"$out/SUMMARY.md"
echo "results: $out/ (SUMMARY.md, and each sweep's folder with its plots/)"
