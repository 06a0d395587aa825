# shellcheck shell=bash
# sweep_args.sh - what the sweep launchers (scripts/slurm/sweep.sh,
# scripts/parallel-sweep.sh) share, sourced after they set $me (the name
# their messages start with) and $repo:
#   bad MESSAGE          one line on stderr, exit 2
#   sweep_option NAME VALUE
#                        takes --shards, --out, --bin (returns 1 on another)
#   sweep_check FLAGS... checks the options and smrbench run's flags, then
#                        creates $out (made absolute) with the sweep's plan
#                        (plan.txt) and a copy of smrbench that every shard
#                        runs ($bin, DIR/smrbench), and sets $shards and
#                        $blocks
# Nothing is created before every check has passed.

bad() {
  echo "$me: $*" >&2
  exit 2
}

shards="" out="" bin=""

sweep_option() {
  case "$1" in
    --shards) shards=$2 ;;
    --out) out=$2 ;;
    --bin) bin=$2 ;;
    *) return 1 ;;
  esac
}

# The launcher picks the results folder and the shard of each job: an -o,
# --shard or --plan among the run flags would fight it. getopt_long takes
# any unambiguous prefix of a long option (--ou, --sha, --pla) and -o glued
# to its value, so those count too.
refuse_owned_flags() {
  local a name
  for a in "$@"; do
    name=${a%%=*}
    case "$name" in
      -o*) bad "'$a' among the smrbench run flags: the results go to --out DIR/shard-I; allowed: run flags other than -o, --shard, --plan" ;;
      --ou | --out) bad "'$a' among the smrbench run flags: the results go to --out DIR/shard-I; allowed: run flags other than -o, --shard, --plan" ;;
      --sha | --shar | --shard) bad "'$a' among the smrbench run flags: each job runs its own shard; allowed: run flags other than -o, --shard, --plan, and --shards N before them" ;;
      --pla | --plan) bad "'$a' among the smrbench run flags: a sweep runs; to see its plan: smrbench run FLAGS --plan; allowed: run flags other than -o, --shard, --plan" ;;
    esac
  done
}

sweep_check() {
  refuse_owned_flags "$@"
  case "$shards" in
    "") bad "--shards: missing; allowed: --shards N, the number of jobs (machines), 1..the sweep's blocks" ;;
    *[!0-9]* | 0* | ??????*) bad "--shards: '$shards' is not a shard count; allowed: an integer 1..the sweep's blocks" ;;
  esac
  [ -n "$bin" ] || bin=$repo/build/smrbench
  [ -f "$bin" ] && [ -x "$bin" ] ||
    bad "--bin: '$bin' is not an executable; allowed: a built smrbench (scripts/build.sh release makes build/smrbench)"
  bin=$(realpath "$bin")

  # smrbench judges its own flags: its one line, as it wrote it.
  local plan rc
  plan=$("$bin" run "$@" --plan 2>&1)
  rc=$?
  if [ $rc -ne 0 ]; then
    [ $rc -eq 2 ] && { echo "$plan" >&2; exit 2; }
    bad "--bin: '$bin' run --plan failed (exit $rc): $(echo "$plan" | head -n 1)"
  fi
  blocks=$(echo "$plan" | sed -n 's/^# .* in \([0-9]*\) block(s).*/\1/p')
  [ -n "$blocks" ] || bad "--bin: '$bin' run --plan printed no block count; allowed: a smrbench with --shard and --plan"
  [ "$shards" -le "$blocks" ] ||
    bad "--shards: $shards jobs for a sweep of $blocks block(s) would leave jobs idle; allowed: 1..$blocks"

  [ -n "$out" ] || out=results/sweep-$(date -u +%Y%m%dT%H%M%SZ)
  if [ -e "$out" ]; then
    [ -d "$out" ] && [ -z "$(ls -A "$out")" ] ||
      bad "--out: '$out' exists and is not an empty folder; allowed: a new folder (the shards go to DIR/shard-I, the merged set to DIR/merged)"
  fi
  mkdir -p "$out" 2>/dev/null && [ -w "$out" ] || bad "--out: cannot create '$out'; allowed: a writable folder"
  out=$(realpath "$out")
  echo "$plan" >"$out/plan.txt"
  # A copy: a rebuild while shards wait in a queue cannot change what the
  # later ones run, and the results keep the binary that made them.
  cp "$bin" "$out/smrbench"
  bin=$out/smrbench
}
