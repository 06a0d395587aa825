#!/usr/bin/env bash
# How often the timing gate sees a planted slowdown, and how often it flags
# a build that did not change:
#   scripts/gate_power.sh [TRIALS] [BUILD_DIR] [OUT]     (20, build, results/gate-power-<UTC>)
#   scripts/gate_power.sh --evaluate OUT [BUILD_DIR]     judge kept sets again (GATE_THRESHOLD)
#
# Every trial measures, with the test binary smrbench-planted, GATE_RUNS
# (20) runs per set (scripts/gate_runs.sh), in this order:
#   N1 N2   unplanted, the gate's whole suite
#   C1 C2   SMR_TEST_PLANT_EBR_PERCENT=$PLANT_LOW (5)
#   D1 D2   SMR_TEST_PLANT_EBR_PERCENT=$PLANT_HIGH (10)
# The plant touches ebr's enter only, so C and D measure the enter_leave
# family alone and take the other families' values from N1 and N2 (run by
# run), which keeps every comparison at the gate's ~30 entries (Holm's
# correction depends on their number) at a third of the time.
# Each trial is judged, by scripts/gate_rule.sh, against a baseline measured
# far from it in time, as a committed baseline is, and pooled from three
# sets minutes apart, as scripts/gate.sh --refresh measures one: the N1 of
# the three trials half the trials away. Set 1 is what the gate measures
# first, set 2 its confirmation:
#   false alarm      an entry flagged in N1 (single) / in N1 and in N2 (confirmed)
#   detection        enter_leave/ebr/threads:1 flagged in C1 / in C1 and C2 (D alike)
# and, pooled over all trials, the slowdown each plant really caused.
set -euo pipefail
cd "$(dirname "$0")/.."
evaluate_only=0
if [ "${1:-}" = --evaluate ]; then
  evaluate_only=1
  out=${2:?usage: scripts/gate_power.sh --evaluate OUT [BUILD_DIR]}
  build=${3:-build}
  trials=$(ls -d "$out"/trial-* | wc -l)
else
  trials=${1:-20}
  build=${2:-build}
  out=${3:-results/gate-power-$(date -u +%Y%m%dT%H%M%SZ)}
fi
runs=${GATE_RUNS:-20}
threshold=${GATE_THRESHOLD:-5}
low=${PLANT_LOW:-5}
high=${PLANT_HIGH:-10}
planted=$build/smrbench-planted
entry='enter_leave/ebr/threads:1'
family='^enter_leave/[^/]+/threads:1$'
[ -x "$planted" ] || { echo "gate_power: no $planted; build first" >&2; exit 2; }
[ "$trials" -ge 5 ] || { echo "gate_power: needs at least 5 trials" >&2; exit 2; }
. scripts/gate_rule.sh
mkdir -p "$out"

# splice PLANTED UNPLANTED OUT: PLANTED's benchmarks (one family) and
# UNPLANTED's of every other family, as one Google Benchmark file.
splice() {
  awk -v fam="\"name\": \"enter_leave/" '
    FNR == 1 { file++ }
    /^  "benchmarks": \[/ { inb = 1; if (file == 1) print; next }
    inb && /^  \]/ { inb = 0; done = 1; next }
    inb && /^    \{/ { blk = $0 "\n"; keep = 0; next }
    inb && /^    \},?$/ {
      if ((file == 1) || !keep) { sub(/,$/, ""); blocks[++n] = blk "    }" }
      next
    }
    inb { blk = blk $0 "\n"; if (index($0, fam)) keep = 1; next }
    file == 1 && !inb && !done { print; next }
    { next }
    END {
      for (i = 1; i <= n; i++) print blocks[i] (i < n ? "," : "")
      print "  ]"; print "}"
    }
  ' "$1" "$2" >"$3"
}

measure() { # SET_DIR PERCENT [FAMILY]
  GATE_SUITE=${3:-} SMR_TEST_PLANT_EBR_PERCENT=$2 \
    scripts/gate_runs.sh "$1${3:+.family}" "$runs" "$planted" 2>>"$out/log"
  if [ -n "${3:-}" ]; then
    mkdir -p "$1"
    for f in "$1.family"/run-*.json; do
      splice "$f" "$(dirname "$1")/N${1: -1}/$(basename "$f")" "$1/$(basename "$f")"
    done
  fi
}

if [ $evaluate_only = 0 ]; then
  for t in $(seq -w 1 "$trials"); do
    dir=$out/trial-$t
    measure "$dir/N1" 0; measure "$dir/N2" 0
    measure "$dir/C1" "$low" "$family"; measure "$dir/C2" "$low" "$family"
    measure "$dir/D1" "$high" "$family"; measure "$dir/D2" "$high" "$family"
    echo "trial $t measured $(date -u +%H:%M:%S)" >>"$out/log"
  done
fi

mapfile -t dirs < <(ls -d "$out"/trial-*)
n=${#dirs[@]}
fa1=0 fa2=0 lo1=0 lo2=0 hi1=0 hi2=0
has() { [[ " $1 " == *" $entry "* ]] && echo 1 || echo 0; }
judge() { # BASE SET -> flagged entries; exits on bad input
  local rc=0 list
  list=$(gate_compare "$1" "$2") || rc=$?
  [ $rc -le 1 ] || { echo "gate_power: compare failed on $1 $2:" >&2; cat "$2.compare" >&2; exit 1; }
  echo "$list"
}
echo "trial  baseline (N1 of)   false-alarm 1/2   detect-$low% 1/2   detect-$high% 1/2   flagged in N1 | N2"
for i in "${!dirs[@]}"; do
  dir=${dirs[$i]}
  base=$out/baselines/for-${dir##*-}
  rm -rf "$base"; mkdir -p "$base"
  for k in -1 0 1; do
    far=${dirs[$(( (i + n / 2 + k + n) % n ))]}
    for f in "$far"/N1/run-*.json; do ln -s "$(realpath "$f")" "$base/${far##*-}-$(basename "$f")"; done
  done
  f1=$(judge "$base" "$dir/N1"); f2=$(judge "$base" "$dir/N2")
  c1=$(judge "$base" "$dir/C1"); c2=$(judge "$base" "$dir/C2")
  d1=$(judge "$base" "$dir/D1"); d2=$(judge "$base" "$dir/D2")
  a=$([ -n "${f1// /}" ] && echo 1 || echo 0)
  b=$([ -n "$(gate_confirmed "$f1" "$f2" | tr -d ' ')" ] && echo 1 || echo 0)
  l1=$(has "$c1"); l2=$(( l1 && $(has "$c2") ))
  h1=$(has "$d1"); h2=$(( h1 && $(has "$d2") ))
  fa1=$((fa1 + a)); fa2=$((fa2 + b)); lo1=$((lo1 + l1)); lo2=$((lo2 + l2))
  hi1=$((hi1 + h1)); hi2=$((hi2 + h2))
  printf "%5s  %8s   %7s %-7s   %7s %-6s   %8s %-6s   %s| %s\n" "${dir##*-}" \
    "$(ls "$base" | sed 's/-run.*//' | sort -u | tr '\n' ' ')" "$a" "$b" "$l1" "$l2" "$h1" "$h2" "$f1" "$f2"
done

# The slowdown each plant caused: every unplanted run against every planted one.
pool() { # NAME SET...: one folder of links to every run of those sets
  rm -rf "$out/pooled-$1"
  mkdir -p "$out/pooled-$1"
  local s f
  for s in "${@:2}"; do
    for f in "$out"/trial-*/"$s"/run-*.json; do
      ln -s "$(realpath "$f")" "$out/pooled-$1/$(basename "$(dirname "$(dirname "$f")")")-$s-$(basename "$f")"
    done
  done
}
pool unplanted N1 N2; pool low C1 C2; pool high D1 D2
effect() { "$build/smrbench" compare "$out/pooled-unplanted" "$out/pooled-$1" --reference peers \
             --threshold 0 | awk -v e="$entry" '$1 == e { print $4 }'; }
echo "over $n trials of $runs runs per set, threshold $threshold %, baseline the N1 of trials $((n / 2 - 1)) to $((n / 2 + 1)) away;"
echo "single: the first set flags it; confirmed: the second set flags it too (the gate's rule)"
echo "  false alarms (N flags any entry):           single $fa1 / $n, confirmed $fa2 / $n"
echo "  detected, plant $low % (measured $(effect low)):   single $lo1 / $n, confirmed $lo2 / $n"
echo "  detected, plant $high % (measured $(effect high)):  single $hi1 / $n, confirmed $hi2 / $n"
echo "sets kept in $out"
