#!/usr/bin/env bash
# How often the timing gate sees a planted slowdown, and how often it flags
# two measurements of the same build:
#   scripts/gate_power.sh [TRIALS] [BUILD_DIR] [OUT]     (20, build, results/gate-power-<UTC>)
#   scripts/gate_power.sh --evaluate OUT [BUILD_DIR]     judge kept sets again (GATE_THRESHOLD)
#
# Every trial measures four independent sets of GATE_RUNS (20) runs of the
# gate's suite (scripts/gate_runs.sh) with the test binary smrbench-planted:
# A and B unplanted, C with SMR_TEST_PLANT_EBR_PERCENT=$PLANT_LOW (5) and D
# with $PLANT_HIGH (10), in the order A C B D. Then, as scripts/gate.sh
# would (threshold GATE_THRESHOLD, 5 %):
#   false alarm   compare A B flags any entry
#   detection     compare A C (and B D) flags enter_leave/ebr/threads:1
# and, over all trials pooled, the slowdown each plant really caused. The
# sets stay in OUT, so --evaluate can judge them at other thresholds.
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
[ -x "$planted" ] || { echo "gate_power: no $planted; build first" >&2; exit 2; }
mkdir -p "$out"

measure() { # SET_DIR PERCENT
  SMR_TEST_PLANT_EBR_PERCENT=$2 scripts/gate_runs.sh "$1" "$runs" "$planted" 2>>"$out/log"
}
verdict() { # BASE NEW -> "1 <flagged entries>" or "0"
  local rc=0 report
  report=$("$build/smrbench" compare "$1" "$2" --threshold "$threshold") || rc=$?
  echo "$report" >"$2.compare"
  [ $rc -le 1 ] || { echo "gate_power: compare failed on $1 $2" >&2; exit 1; }
  echo "$rc $(echo "$report" | awk '$NF == "REGRESSED" { printf "%s ", $1 }')"
}

if [ $evaluate_only = 0 ]; then
  for t in $(seq -w 1 "$trials"); do
    dir=$out/trial-$t
    measure "$dir/A" 0; measure "$dir/C" "$low"; measure "$dir/B" 0; measure "$dir/D" "$high"
    echo "trial $t measured" >>"$out/log"
  done
fi

false_alarms=0; seen_low=0; seen_high=0
echo "trial  false-alarm(A,B)  detect-$low%(A,C)  detect-$high%(B,D)   flagged"
for dir in "$out"/trial-*; do
  read -r fa_rc fa_list <<<"$(verdict "$dir/A" "$dir/B")" || true
  read -r lo_rc lo_list <<<"$(verdict "$dir/A" "$dir/C")" || true
  read -r hi_rc hi_list <<<"$(verdict "$dir/B" "$dir/D")" || true
  fa=$fa_rc
  lo=$([[ " ${lo_list:-} " == *" $entry "* ]] && echo 1 || echo 0)
  hi=$([[ " ${hi_list:-} " == *" $entry "* ]] && echo 1 || echo 0)
  false_alarms=$((false_alarms + fa)); seen_low=$((seen_low + lo)); seen_high=$((seen_high + hi))
  printf "%5s  %16s  %16s  %17s   A,B: %s| A,C: %s| B,D: %s\n" "${dir##*-}" "$fa" "$lo" "$hi" \
    "${fa_list:-}" "${lo_list:-}" "${hi_list:-}"
done

# The slowdown each plant caused: every unplanted run against every planted one.
pool() { # NAME SET... : one folder of links to every run of those sets
  mkdir -p "$out/pooled-$1"
  for s in "${@:2}"; do
    for f in "$out"/trial-*/"$s"/run-*.json; do
      ln -sf "$(realpath "$f")" "$out/pooled-$1/$(basename "$(dirname "$(dirname "$f")")")-$s-$(basename "$f")"
    done
  done
}
[ -d "$out/pooled-unplanted" ] || { pool unplanted A B; pool low C; pool high D; }
effect() { "$build/smrbench" compare "$out/pooled-unplanted" "$out/pooled-$1" --threshold 0 |
           awk -v e="$entry" '$1 == e { print $4 }'; }
echo "over $trials trials of $runs runs per set, threshold $threshold %:"
echo "  false alarms (A vs B flags anything):  $false_alarms / $trials"
echo "  detected, plant $low % (measured $(effect low)):   $seen_low / $trials"
echo "  detected, plant $high % (measured $(effect high)):  $seen_high / $trials"
echo "sets kept in $out"
