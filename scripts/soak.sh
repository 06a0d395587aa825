#!/usr/bin/env bash
# The soak (not in CI; CI runs the short versions: stress_*, many_threads).
#   scripts/soak.sh [checked] [asan] [stall]     default: all three
#
#   checked  every (structure, scheme) pair for at least SOAK_OPS operations
#            (default 10^8) with smrbench-checked: the schemes poison what
#            they free and the nodes carry canaries, so a use after free
#            reads poison and the structure's checks abort the cell.
#   asan     the same with the ASan+UBSan build's smrbench.
#   stall    the robust schemes (`smrbench list`: "robust to a stalled
#            thread: yes") on every structure, thread 1 stalled inside an
#            operation; SOAK_STALL_SECONDS (default 600) shared out among
#            the pairs; each pair's unreclaimed peak must stay within the
#            bound run.json declares for it.
#
# Every cell runs at SOAK_THREADS threads (default 4: more than this
# machine's PUs, so preempted threads act like stalls) and is validated as
# every run is (teardown reclaims everything; keyed sets check their census).
# A pair is run in rounds until its operations reach SOAK_OPS: a first
# round of SOAK_PROBE seconds (default 5) measures its rate, a second asks
# for the rest with 20 % to spare, more rounds only if it still falls short.
# Prints one line per pair (operations, rounds, peak unreclaimed, status)
# and writes them to SOAK_OUT (default results/soak-<UTC time>)/soak.txt
# beside each round's results folder. Exit status 1 if anything failed.
# SOAK_STRUCTURES and SOAK_SCHEMES (comma lists) narrow the pairs.
set -uo pipefail
cd "$(dirname "$0")/.."

target=${SOAK_OPS:-100000000}
threads=${SOAK_THREADS:-4}
probe=${SOAK_PROBE:-5}
stall_total=${SOAK_STALL_SECONDS:-600}
out=${SOAK_OUT:-results/soak-$(date -u +%Y%m%dT%H%M%SZ)}
variants=("$@")
[ ${#variants[@]} -gt 0 ] || variants=(checked asan stall)
for v in "${variants[@]}"; do
  case "$v" in
    checked|asan|stall) ;;
    *) echo "scripts/soak.sh: unknown part '$v'; allowed: checked, asan, stall" >&2; exit 2 ;;
  esac
done
for n in "$target" "$threads" "$probe" "$stall_total"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || {
    echo "scripts/soak.sh: SOAK_OPS, SOAK_THREADS, SOAK_PROBE and SOAK_STALL_SECONDS take" \
         "positive integers; got '$n'" >&2; exit 2; }
done
if [ -e "$out" ]; then
  echo "scripts/soak.sh: $out exists; allowed: a SOAK_OUT that does not exist yet" >&2
  exit 2
fi

release=$(scripts/build.sh release) || exit 1
checked_bin=$release/smrbench-checked
asan_bin=""
if printf '%s\n' "${variants[@]}" | grep -qx asan; then
  asan_dir=$(scripts/build.sh asan) || exit 1
  asan_bin=$asan_dir/smrbench
fi
mkdir -p "$out"
report=$out/soak.txt
failures=0

structures=${SOAK_STRUCTURES:-$("$checked_bin" list | awk '/^structures:/{s=1; next}
  s && /^  [a-z]/{print $1}' | paste -sd,)}
# Robust schemes: the name line, then its "robust to a stalled thread" line.
robust=$("$checked_bin" list | awk '/^schemes:/{s=1; next} /^structures:/{s=0}
  s && /^  [a-z]/{name=$1} s && /robust to a stalled thread: yes/{print name}' | paste -sd,)

say() { printf '%s\n' "$*" | tee -a "$report"; }

# One cell's fields from a run.json results line ("key": value).
field() { sed -n "s/.*\"$1\": \"\{0,1\}\([^\",}]*\).*/\1/p" <<<"$2"; }

# Runs one round: smrbench run into $out/<name>; prints run.json's cell lines.
round() {
  local bin=$1 name=$2; shift 2
  "$bin" run --quiet --warmup 0.2 -t "$threads" -o "$out/$name" "$@" 2>>"$out/stderr.txt"
  grep -h '^ *{"structure"' "$out/$name/run.json" 2>/dev/null
}

soak_ops() {
  local part=$1 bin=$2
  say "== $part: every pair to $target operations at $threads threads ($bin)"
  say "$(printf '%-8s %-13s %14s %7s %14s  %s' structure scheme operations rounds peak_unrecl status)"
  local s
  for s in ${structures//,/ }; do
    local schemes=${SOAK_SCHEMES:-all}
    # Round 1: every scheme of the structure for $probe seconds.
    declare -A ops=() peak=() rounds=() status=() rate=()
    local line sc
    while IFS= read -r line; do
      sc=$(field scheme "$line")
      ops[$sc]=$(field ops "$line"); peak[$sc]=$(field unreclaimed_peak "$line")
      rounds[$sc]=1; status[$sc]=$(field status "$line")
      rate[$sc]=$(awk -v o="${ops[$sc]}" -v d="$(field duration_s "$line")" 'BEGIN{print (d > 0 ? o / d : 0)}')
    done < <(round "$bin" "$part-$s-r1" -s "$s" -r "$schemes" -d "$probe")
    if [ ${#ops[@]} -eq 0 ]; then
      say "$(printf '%-8s %-13s %14s %7s %14s  %s' "$s" - - - - "failed: no results (see $out/stderr.txt)")"
      failures=$((failures + 1)); unset ops peak rounds status rate; continue
    fi
    for sc in $(printf '%s\n' "${!ops[@]}" | sort); do
      local r=1
      while [ "${status[$sc]}" = ok ] && [ "${ops[$sc]}" -lt "$target" ] && [ $r -lt 6 ]; do
        r=$((r + 1))
        local secs
        secs=$(awk -v t="$target" -v o="${ops[$sc]}" -v v="${rate[$sc]}" \
          'BEGIN{s = v > 0 ? 1.2 * (t - o) / v : 60; if (s < 1) s = 1; if (s > 1800) s = 1800; printf "%.0f", s}')
        line=$(round "$bin" "$part-$s-$sc-r$r" -s "$s" -r "$sc" -d "$secs")
        if [ -z "$line" ]; then status[$sc]="failed: no results (see $out/stderr.txt)"; break; fi
        ops[$sc]=$((ops[$sc] + $(field ops "$line")))
        local p; p=$(field unreclaimed_peak "$line")
        [ "$p" -gt "${peak[$sc]}" ] && peak[$sc]=$p
        status[$sc]=$(field status "$line")
        rate[$sc]=$(awk -v o="$(field ops "$line")" -v d="$(field duration_s "$line")" 'BEGIN{print (d > 0 ? o / d : 0)}')
      done
      rounds[$sc]=$r
      local verdict=${status[$sc]}
      if [ "$verdict" = ok ] && [ "${ops[$sc]}" -lt "$target" ]; then verdict="short of $target"; fi
      [ "$verdict" = ok ] || failures=$((failures + 1))
      say "$(printf '%-8s %-13s %14s %7s %14s  %s' "$s" "$sc" "${ops[$sc]}" "${rounds[$sc]}" "${peak[$sc]}" "$verdict")"
    done
    unset ops peak rounds status rate
  done
}

soak_stall() {
  local pairs=0 s sc
  for s in ${structures//,/ }; do
    for sc in ${robust//,/ }; do pairs=$((pairs + 1)); done
  done
  local each=$(( stall_total / (pairs > 0 ? pairs : 1) ))
  [ "$each" -ge 5 ] || each=5
  say "== stall: robust schemes ($robust), thread 1 stalled from 1 s for $each s, $threads threads"
  say "$(printf '%-8s %-13s %14s %14s %14s  %s' structure scheme operations peak_unrecl bound status)"
  for s in ${structures//,/ }; do
    for sc in ${robust//,/ }; do
      local line
      line=$(round "$checked_bin" "stall-$s-$sc" -s "$s" -r "$sc" --stall "1@1:$each" -d $((each + 2)))
      if [ -z "$line" ]; then
        # A pair the structure refuses (e.g. dbmap with none) prints nothing here.
        grep -q "not with" "$out/stderr.txt" 2>/dev/null && continue
        say "$(printf '%-8s %-13s %14s %14s %14s  %s' "$s" "$sc" - - - "failed: no results")"
        failures=$((failures + 1)); continue
      fi
      local peak bound verdict
      peak=$(field unreclaimed_peak "$line"); bound=$(field garbage_bound "$line")
      verdict=$(field status "$line")
      if [ "$verdict" = ok ] && [ "$bound" != null ] && [ "$peak" -gt "$bound" ]; then
        verdict="peak above the declared bound"
      fi
      [ "$verdict" = ok ] || failures=$((failures + 1))
      [ "$bound" != null ] || bound=unbounded
      say "$(printf '%-8s %-13s %14s %14s %14s  %s' "$s" "$sc" "$(field ops "$line")" "$peak" "$bound" "$verdict")"
    done
  done
}

for v in "${variants[@]}"; do
  case "$v" in
    checked) soak_ops checked "$checked_bin" ;;
    asan)    soak_ops asan "$asan_bin" ;;
    stall)   soak_stall ;;
  esac
done
say "== $failures failure(s); results in $out/"
[ "$failures" -eq 0 ]
