#!/usr/bin/env bash
# Submit a sharded sweep to Slurm: a job array, one exclusive node per
# shard, and a job that merges the shards and plots once all of them
# succeeded. The recipe and what to check: docs/cluster.md.
#
#   scripts/slurm/sweep.sh --shards N [--out DIR] [--bin PATH] [--partition P]
#                          [--sbatch-arg ARG]... [--] SMRBENCH-RUN-FLAGS...
#
#   --shards N        array tasks 0..N-1, task I runs smrbench run --shard I/N
#   --out DIR         a new folder on the shared filesystem (default
#                     results/sweep-<UTC time>): DIR/shard-I, DIR/merged,
#                     DIR/logs/ (the jobs' output), DIR/plan.txt
#   --bin PATH        smrbench (default build/smrbench of this checkout),
#                     copied to DIR/smrbench: every node runs that one file
#   --partition P     sbatch --partition for both jobs
#   --sbatch-arg ARG  passed to sbatch for both jobs (repeat it: --account,
#                     --time, --constraint, ...)
# The run flags are checked here (smrbench run --plan) before anything is
# submitted; -o, --shard and --plan are the launcher's own and refused.
# Bad input: one line on stderr, exit 2, nothing created or submitted.
set -uo pipefail
me=scripts/slurm/sweep.sh
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$repo/scripts/lib/sweep_args.sh"

partition="" sbatch_args=()
while [ $# -gt 0 ]; do
  case "$1" in # --opt=VALUE as --opt VALUE
    --shards=* | --out=* | --bin=* | --partition=* | --sbatch-arg=*) set -- "${1%%=*}" "${1#*=}" "${@:2}" ;;
  esac
  case "$1" in
    --) shift; break ;;
    --shards | --out | --bin | --partition | --sbatch-arg)
      [ $# -ge 2 ] || bad "$1: missing its value"
      if ! sweep_option "$1" "$2"; then
        case "$1" in
          --partition) partition=$2 ;;
          --sbatch-arg) sbatch_args+=("$2") ;;
        esac
      fi
      shift 2 ;;
    *) break ;;
  esac
done
command -v sbatch >/dev/null || bad "sbatch not found; allowed: a Slurm submit host (Debian: slurm-client)"
sweep_check "$@"

mkdir -p "$out/logs"
common=(--parsable --nodes=1 --ntasks=1 ${partition:+--partition="$partition"} "${sbatch_args[@]}")

# --exclusive: a benchmark never shares its node. The jobs start in the
# submitting folder (sbatch's default), so a shared checkout is enough.
array=$(sbatch "${common[@]}" --array="0-$((shards - 1))" --exclusive --job-name=smrbench-shard \
        --output="$out/logs/shard-%a.out" "$here/shard.sbatch" "$bin" "$out" "$shards" "$@") || {
  rm -rf "$out/logs" "$out/plan.txt" "$out/smrbench"
  echo "$me: sbatch refused the shards' job array (above); nothing submitted" >&2
  exit 1
}
array=${array%%;*}
# afterok: the merge waits for every task to succeed; --kill-on-invalid-dep
# cancels it when one fails, instead of leaving it pending for ever.
merge=$(sbatch "${common[@]}" --dependency="afterok:$array" --kill-on-invalid-dep=yes \
        --job-name=smrbench-merge --output="$out/logs/merge.out" \
        "$here/merge.sbatch" "$bin" "$out" "$shards") || {
  scancel "$array"
  echo "$me: sbatch refused the merge job (above); the shards' job $array is cancelled" >&2
  exit 1
}
merge=${merge%%;*}
echo "shards: job $array, tasks 0-$((shards - 1)), into $out/shard-I (logs: $out/logs/)"
echo "merge:  job $merge, once every shard succeeded, into $out/merged (figures: $out/merged/plots/)"
