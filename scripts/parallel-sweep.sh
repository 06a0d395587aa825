#!/usr/bin/env bash
# Run a sharded sweep on a few hosts with GNU parallel, one shard per host
# at a time, then merge the shards and plot. The recipe: docs/cluster.md.
#
#   scripts/parallel-sweep.sh [--shards N] [--out DIR] [--bin PATH] [--shared]
#                             HOST... [--] SMRBENCH-RUN-FLAGS...
#
#   HOST              a parallel --sshlogin: [user@]host, or ':' for this
#                     machine; each host runs one shard at a time
#   --shards N        shards 0..N-1 (default: one per host)
#   --out DIR         a new folder (default results/sweep-<UTC time>):
#                     DIR/shard-I, DIR/merged, DIR/joblog, DIR/plan.txt
#   --bin PATH        smrbench (default build/smrbench of this checkout),
#                     copied to DIR/smrbench, which every shard runs
#   --shared          DIR is on a filesystem every host sees at the same
#                     path: nothing is copied. Without it, smrbench is
#                     copied to each host (--basefile, with rsync) and
#                     each shard's folder copied back (--return), both
#                     under ~/.smrbench-sweep-*/ there, removed after.
# The hosts need the libraries smrbench links (the same Debian packages).
# The run flags are checked here (smrbench run --plan) before anything
# runs; -o, --shard and --plan are the launcher's own and refused.
# Bad input: one line on stderr, exit 2, nothing created. Exit 1 when a
# shard or the merge failed (the shards that finished are kept).
set -uo pipefail
me=scripts/parallel-sweep.sh
repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib/sweep_args.sh"

shared=0 hosts=()
while [ $# -gt 0 ]; do
  case "$1" in # --opt=VALUE as --opt VALUE
    --shards=* | --out=* | --bin=*) set -- "${1%%=*}" "${1#*=}" "${@:2}" ;;
  esac
  case "$1" in
    --) shift; break ;;
    --shared) shared=1; shift ;;
    --shards | --out | --bin)
      [ $# -ge 2 ] || bad "$1: missing its value"
      sweep_option "$1" "$2"
      shift 2 ;;
    -*) break ;;
    *) hosts+=("$1"); shift ;;
  esac
done
[ ${#hosts[@]} -gt 0 ] || bad "no host; allowed: one or more parallel --sshlogin hosts ([user@]host, ':' for this machine) before the run flags"
command -v parallel >/dev/null || bad "GNU parallel not found; allowed: a machine with it installed (Debian: parallel)"
[ $shared -eq 1 ] || command -v rsync >/dev/null ||
  bad "rsync not found, which parallel copies with; allowed: rsync installed here and on the hosts, or --shared"
[ -n "$shards" ] || shards=${#hosts[@]}
sweep_check "$@"

logins=$(IFS=,; echo "${hosts[*]}")
# -j1: one shard per host at a time, a benchmark never shares its machine.
# -q: the run flags reach smrbench as they are, through ssh too.
par=(parallel --will-cite -q -j1 --sshlogin "$logins" --joblog "$out/joblog" --tagstring 'shard {}:')
if [ $shared -eq 1 ]; then
  "${par[@]}" "$bin" run "$@" --shard "{}/$shards" -o "$out/shard-{}" ::: $(seq 0 $((shards - 1)))
  status=$?
else
  # Paths relative to the folder parallel runs in, the same on both sides:
  # locally $out/.stage, on a host its login folder, where the tag keeps
  # two sweeps apart.
  tag=.smrbench-sweep-$(hostname)-$$-$(date -u +%s)
  mkdir -p "$out/.stage/$tag" && cp "$bin" "$out/.stage/$tag/smrbench" ||
    { echo "$me: cannot write into '$out'" >&2; exit 1; }
  (cd "$out/.stage" && "${par[@]}" --basefile "$tag/smrbench" --return "$tag/shard-{}" \
     "$tag/smrbench" run "$@" --shard "{}/$shards" -o "$tag/shard-{}" ::: $(seq 0 $((shards - 1))))
  status=$?
  for d in "$out/.stage/$tag"/shard-*; do
    [ -e "$d" ] && mv "$d" "$out/"
  done
  # Then the sweep's folder on every host, gone whole (parallel's --cleanup
  # would leave the returned folders and the folder itself).
  (cd "$out/.stage" && parallel --will-cite --nonall --sshlogin "$logins" rm -rf "$tag")
  rm -rf "$out/.stage"
fi
if [ $status -ne 0 ]; then
  echo "$me: a shard failed (parallel exit $status; each shard's exit status: $out/joblog); the merge is not run" >&2
  exit 1
fi
dirs=()
for ((i = 0; i < shards; i++)); do
  dirs+=("$out/shard-$i")
done
"$bin" merge -o "$out/merged" "${dirs[@]}" || { echo "$me: the merge failed (above)" >&2; exit 1; }
"$bin" plot "$out/merged" || { echo "$me: the plot failed (above); the merged set is complete" >&2; exit 1; }
echo "merged: $out/merged (figures: $out/merged/plots/)"
