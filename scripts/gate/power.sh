#!/usr/bin/env bash
# How often the timing gate sees a planted slowdown, and how often it flags
# a build that did not change (docs/gate.md: the rule, the design of the
# trials and the figures measured):
#   scripts/gate/power.sh [TRIALS] [BUILD_DIR] [OUT]     (20, build, results/gate-power-<UTC>)
#   scripts/gate/power.sh --evaluate OUT [BUILD_DIR]     judge kept sets again (GATE_THRESHOLD)
#
# Every trial measures, with the test binary smrbench-planted, six sets of
# GATE_RUNS (20) runs of the gate's whole suite (scripts/gate/runs.sh):
# N1 N2 unplanted, C1 C2 with SMR_TEST_PLANT_EBR_PERCENT=$PLANT_LOW (5),
# D1 D2 with $PLANT_HIGH (10). Each set is judged by the gate's own
# settings (scripts/gate/rule.sh) against a baseline pooled from the N1
# of three trials far from it; set 2 confirms set 1 (compare --confirm).
set -euo pipefail
cd "$(dirname "$0")/../.."
evaluate_only=0
if [ "${1:-}" = --evaluate ]; then
  evaluate_only=1
  out=$(realpath "${2:?usage: scripts/gate/power.sh --evaluate OUT [BUILD_DIR]}")
  build=${3:-build}
  trials=$(ls -d "$out"/trial-* | wc -l)
else
  trials=${1:-20}
  build=${2:-build}
  out=${3:-results/gate-power-$(date -u +%Y%m%dT%H%M%SZ)}
  mkdir -p "$out"
  out=$(realpath "$out")
fi
runs=${GATE_RUNS:-20}
threshold=${GATE_THRESHOLD:-5}
low=${PLANT_LOW:-5}
high=${PLANT_HIGH:-10}
planted=$build/smrbench-planted
entry='enter_leave/ebr/threads:1'
[ -x "$planted" ] || { echo "gate power: no $planted; build first" >&2; exit 2; }
[ "$trials" -ge 5 ] || { echo "gate power: needs at least 5 trials" >&2; exit 2; }
. scripts/gate/rule.sh
mkdir -p "$out"

measure() { # SET_DIR PERCENT
  SMR_TEST_PLANT_EBR_PERCENT=$2 scripts/gate/runs.sh "$1" "$runs" "$planted" 2>>"$out/log"
}

if [ $evaluate_only = 0 ]; then
  for t in $(seq -w 1 "$trials"); do
    dir=$out/trial-$t
    measure "$dir/N1" 0; measure "$dir/N2" 0
    measure "$dir/C1" "$low"; measure "$dir/C2" "$low"
    measure "$dir/D1" "$high"; measure "$dir/D2" "$high"
    echo "trial $t measured $(date -u +%H:%M:%S)" >>"$out/log"
  done
fi

mapfile -t dirs < <(ls -d "$out"/trial-*)
n=${#dirs[@]}
has() { [[ " $1 " == *" $entry "* ]] && echo 1 || echo 0; }
judge() { # BASE SET [--confirm FIRST] -> the entries flagged; exits on bad input
  local rc=0
  gate_compare "$@" || rc=$?
  [ $rc -le 1 ] || { echo "gate power: compare failed on $1 $2:" >&2; cat "$2.compare" >&2; exit 1; }
  gate_regressed "$2.csv"
}
# Pooled baselines, one per trial C: the N1 runs of trials C-1, C, C+1 (mod n).
rm -rf "$out/baselines"
for c in "${!dirs[@]}"; do
  pooled=$out/baselines/around-$c
  mkdir -p "$pooled"
  for k in -1 0 1; do
    far=${dirs[$(( (c + k + n) % n ))]}
    for f in "$far"/N1/run-*.json; do ln -s "$f" "$pooled/${far##*/}-${f##*/}"; done
  done
done
# trial I OFFSET: judge trial I against the pooled baseline around trial
# I+OFFSET (mod n). Prints: the baseline's trials, the six 0/1 verdicts
# (false alarm single/confirmed, 5 % single/confirmed, 10 % single/confirmed),
# then "N1 flagged | N2 confirmed".
trial() {
  local i=$1 dir=${dirs[$1]} c=$(( ($1 + $2) % n ))
  local base=$out/baselines/around-$c
  local f1 f2 c1 c2 d1 d2
  f1=$(judge "$base" "$dir/N1"); f2=$(judge "$base" "$dir/N2" --confirm "$dir/N1")
  c1=$(judge "$base" "$dir/C1"); c2=$(judge "$base" "$dir/C2" --confirm "$dir/C1")
  d1=$(judge "$base" "$dir/D1"); d2=$(judge "$base" "$dir/D2" --confirm "$dir/D1")
  local t1=${dirs[$(( (c - 1 + n) % n ))]} t2=${dirs[$c]} t3=${dirs[$(( (c + 1) % n ))]}
  echo "${t1##*-},${t2##*-},${t3##*-}" \
    "$([ -n "${f1// /}" ] && echo 1 || echo 0) $([ -n "${f2// /}" ] && echo 1 || echo 0)" \
    "$(has "$c1") $(has "$c2") $(has "$d1") $(has "$d2") $f1| $f2"
}

# The table: each trial against the baseline half the trials away.
fa1=0 fa2=0 lo1=0 lo2=0 hi1=0 hi2=0
echo "trial  baseline (N1 of)  false-alarm 1/2  detect-$low% 1/2  detect-$high% 1/2  flagged by N1 | confirmed by N2"
for i in "${!dirs[@]}"; do
  read -r bl a b l1 l2 h1 h2 rest <<<"$(trial "$i" $((n / 2)))"
  fa1=$((fa1 + a)); fa2=$((fa2 + b)); lo1=$((lo1 + l1)); lo2=$((lo2 + l2))
  hi1=$((hi1 + h1)); hi2=$((hi2 + h2))
  printf "%5s  %-16s  %7s %-7s  %7s %-6s  %8s %-6s  %s\n" "${dirs[$i]##*-}" "$bl" \
    "$a" "$b" "$l1" "$l2" "$h1" "$h2" "$rest"
done

# More resolution on the same sets: every trial against every pooled
# baseline that stays at least 2 trials away from it.
sw=(0 0 0 0 0 0) pairs=0
for i in "${!dirs[@]}"; do
  for o in $(seq 3 $((n - 3))); do
    read -r bl v1 v2 v3 v4 v5 v6 rest <<<"$(trial "$i" "$o")"
    sw=($((sw[0] + v1)) $((sw[1] + v2)) $((sw[2] + v3)) $((sw[3] + v4)) $((sw[4] + v5)) $((sw[5] + v6)))
    pairs=$((pairs + 1))
  done
done

# The slowdown each plant caused: every unplanted run against every planted one.
pool() { # NAME SET...: one folder of links to every run of those sets
  rm -rf "$out/pooled-$1"
  mkdir -p "$out/pooled-$1"
  local s d f
  for s in "${@:2}"; do
    for d in "${dirs[@]}"; do
      for f in "$d/$s"/run-*.json; do ln -s "$f" "$out/pooled-$1/${d##*/}-$s-${f##*/}"; done
    done
  done
}
pool unplanted N1 N2; pool low C1 C2; pool high D1 D2
effect() { # NAME: the change of $entry's ratio to its peers, unplanted to NAME
  "$build/smrbench" compare "$out/pooled-unplanted" "$out/pooled-$1" --reference peers \
    --threshold 0 --format csv |
    awk -F, -v e="$entry" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
                           $col["entry"] == e { printf "%+.1f%%\n", $col["change_percent"] }' || true
}
lo_effect=$(effect low) hi_effect=$(effect high)
echo "over $n trials of $runs runs per set, threshold $threshold %, baseline the N1 of trials $((n / 2 - 1)) to $((n / 2 + 1)) away;"
echo "single: the first set flags it; confirmed: the second set confirms it too (the gate's rule)"
echo "  false alarms (N flags any entry):           single $fa1 / $n, confirmed $fa2 / $n"
echo "  detected, plant $low % (measured $lo_effect):   single $lo1 / $n, confirmed $lo2 / $n"
echo "  detected, plant $high % (measured $hi_effect):  single $hi1 / $n, confirmed $hi2 / $n"
echo "every trial against every pooled baseline at least 2 trials away ($pairs judgements, not independent):"
echo "  false alarms:       single ${sw[0]} / $pairs, confirmed ${sw[1]} / $pairs"
echo "  detected, $low % plant:  single ${sw[2]} / $pairs, confirmed ${sw[3]} / $pairs"
echo "  detected, $high % plant: single ${sw[4]} / $pairs, confirmed ${sw[5]} / $pairs"
echo "sets kept in $out"
