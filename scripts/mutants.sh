#!/usr/bin/env bash
# The standing mutation check: plant each known bug (scripts/mutants/<name>.patch)
# in a scratch copy of this tree, build it, run the tests that should catch it,
# and report which caught it. The report's verdicts, the patch format, where
# the scratch copies live and the exit status: docs/testing.md, "The mutation
# check".
#
#   scripts/mutants.sh [--quick] [--builds LIST] [--runs N] [--out FILE] [NAME...]
#
#   NAME...      mutants to run (default: every scripts/mutants/*.patch)
#   --quick      release build only, and each run stops at the first failing test
#   --builds L   release,asan,tsan: replaces each mutant's own `# builds:` line
#   --runs N     run the suite N times per build (default 1): the catch rate
#   --out FILE   also write the report there (atomically)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

usage() {
  echo "usage: scripts/mutants.sh [--quick] [--builds release,asan,tsan] [--runs N] [--out FILE] [NAME...]" >&2
  exit 2
}

quick=0 builds_override="" runs=1 out="" names=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --builds) [ $# -ge 2 ] || usage; builds_override=$2; shift ;;
    --runs) [ $# -ge 2 ] || usage; runs=$2; shift ;;
    --out) [ $# -ge 2 ] || usage; out=$2; shift ;;
    -h|--help) usage ;;
    -*) echo "scripts/mutants.sh: unknown option '$1'; allowed: --quick, --builds, --runs, --out" >&2; exit 2 ;;
    *) names+=("$1") ;;
  esac
  shift
done
case "$runs" in
  ''|*[!0-9]*|0) echo "scripts/mutants.sh: --runs takes a whole number >= 1, not '$runs'" >&2; exit 2 ;;
esac
if [ -n "$builds_override" ]; then
  for b in ${builds_override//,/ }; do
    case "$b" in release|asan|tsan) ;; *)
      echo "scripts/mutants.sh: --builds: unknown build '$b'; allowed: release, asan, tsan" >&2; exit 2 ;;
    esac
  done
fi
if [ ${#names[@]} -eq 0 ]; then
  for f in scripts/mutants/*.patch; do names+=("$(basename "$f" .patch)"); done
fi
for n in "${names[@]}"; do
  [ -f "scripts/mutants/$n.patch" ] || {
    echo "scripts/mutants.sh: no mutant '$n' (scripts/mutants/$n.patch); see scripts/mutants/" >&2
    exit 2
  }
done
if [ -n "$out" ]; then
  touch "$out" 2>/dev/null || { echo "scripts/mutants.sh: --out: cannot write '$out'" >&2; exit 2; }
fi

command -v patch >/dev/null || {
  echo "scripts/mutants.sh: needs patch (Debian: apt-get install patch)" >&2
  exit 2
}

scratch=${SMR_MUTANTS_DIR:-/tmp/smrbench-mutants}
mkdir -p "$scratch"
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  # Paths below the scratch folder hash alike for every mutant.
  export CCACHE_BASEDIR=$scratch CCACHE_NOHASHDIR=1
fi

# The sources as they are now (tracked and untracked, not ignored).
rm -rf "$scratch/base"
mkdir -p "$scratch/base"
git ls-files -z -co --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$scratch/base"

header() { sed -n "s/^# $2: //p" "$1" | head -n 1; }

cmake_args() {
  case "$1" in
    release) echo "-DCMAKE_BUILD_TYPE=Release" ;;
    asan) echo "-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSMR_SANITIZE=address" ;;
    tsan) echo "-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSMR_SANITIZE=thread" ;;
  esac
}

# The executables behind the tests matching a regex (their target names),
# from ctest's own list: add_test([=[NAME]=] "/path/to/program" ...).
targets_of() {
  sed -n 's/^add_test(\[=\[\([^]]*\)\]=\] "\([^"]*\)".*$/\1 \2/p' "$1/tests/CTestTestfile.cmake" |
    while read -r name program; do
      if [[ $name =~ $2 ]]; then basename "$program"; fi
    done | sort -u
}

# One ctest run; prints "FIRST SECONDS FAILED..." (FIRST "-" if all passed).
run_suite() {
  local dir=$1 regex=$2 log=$3 stop=()
  [ "$quick" -eq 1 ] && stop=(--stop-on-failure)
  (cd "$dir" && ctest -R "$regex" -j "$(nproc)" --timeout 120 "${stop[@]}" --output-on-failure) \
    >"$log" 2>&1 || true
  # "  3/12 Test  #41: protect_litmus_hp ......***Failed    0.52 sec"
  awk '/Test +#[0-9]+: / && !/ Passed / && !/Skipped|Not Run/ {
         for (i = 1; i <= NF; i++) if ($i ~ /^#[0-9]+:$/) name = $(i + 1)
         sec = $(NF - 1); failed = failed " " name; if (!first) { first = name; at = sec } }
       END { if (!first) print "-"; else print first, at, failed }' "$log"
}

report=$(mktemp)
trap 'rm -f "$report"' EXIT
{
  echo "# Mutation check, $(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ' + uncommitted changes')"
  echo
  echo "Machine: $(nproc) CPUs, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1); runs per build: $runs$([ "$quick" -eq 1 ] && echo ', --quick')."
  echo
  echo "| mutant | build | result | caught by (first) | its time | runs caught | every failing test |"
  echo "|---|---|---|---|---|---|---|"
} >"$report"

status=0
for name in "${names[@]}"; do
  patchfile=$root/scripts/mutants/$name.patch
  regex=$(header "$patchfile" tests)
  builds=$(header "$patchfile" builds)
  [ -n "$builds_override" ] && builds=$builds_override
  [ "$quick" -eq 1 ] && builds=release
  dir=$scratch/$name
  rm -rf "$dir"
  mkdir -p "$dir"
  cp -a "$scratch/base" "$dir/src"
  if ! patch -p1 -F0 --dry-run -s -d "$dir/src" <"$patchfile" >"$dir/patch.log" 2>&1; then
    echo "| $name | - | **stale** (the patch no longer applies: $dir/patch.log) | | | | |" >>"$report"
    echo "$name: stale" >&2
    status=1
    continue
  fi
  patch -p1 -F0 -s -d "$dir/src" <"$patchfile" >/dev/null
  for b in ${builds//,/ }; do
    bdir=$dir/build-$b
    echo "$name: $b build" >&2
    # shellcheck disable=SC2046
    if ! cmake -S "$dir/src" -B "$bdir" $(cmake_args "$b") "${launcher[@]}" >"$dir/$b-configure.log" 2>&1 ||
       ! targets=$(targets_of "$bdir" "$regex") || [ -z "$targets" ] ||
       ! cmake --build "$bdir" -j "$(nproc)" --target $targets >"$dir/$b-build.log" 2>&1; then
      echo "| $name | $b | **broken** (does not build, or no test matches: $dir/$b-*.log) | | | | |" >>"$report"
      echo "$name: $b: broken" >&2
      status=1
      continue
    fi
    caught=0 first="" at="" failing=""
    for r in $(seq 1 "$runs"); do
      echo "$name: $b run $r/$runs" >&2
      read -r f a rest < <(run_suite "$bdir" "$regex" "$dir/$b-run$r.log")
      if [ "$f" != "-" ]; then
        caught=$((caught + 1))
        [ -z "$first" ] && first=$f && at=$a
        for t in $rest; do case " $failing " in *" $t "*) ;; *) failing="$failing $t" ;; esac; done
      fi
    done
    if [ "$caught" -gt 0 ]; then
      echo "| $name | $b | caught | $first | $at s | $caught/$runs |$failing |" >>"$report"
    else
      echo "| $name | $b | **survived** | | | 0/$runs | |" >>"$report"
      status=1
    fi
    [ "$caught" -eq "$runs" ] || status=1
    echo "$name: $b: caught in $caught of $runs runs${first:+ (first: $first)}" >&2
  done
done

{
  echo
  echo "What each mutant is and which tests it runs against: the header of scripts/mutants/<name>.patch."
  echo "Logs: $scratch/<name>/."
  for name in "${names[@]}"; do
    echo "- \`$name\`: $(header "$root/scripts/mutants/$name.patch" what)"
  done
} >>"$report"
cat "$report"
if [ -n "$out" ]; then
  cp "$report" "$out.tmp.$$" && mv "$out.tmp.$$" "$out"
fi
exit $status
