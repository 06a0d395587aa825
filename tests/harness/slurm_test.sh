#!/usr/bin/env bash
# slurm_test.sh SMRBENCH - scripts/slurm/sweep.sh on a real Slurm cluster of
#   one node started here from Debian's slurm-wlm (munged, slurmctld and
#   slurmd on localhost with their own key, ports and folders): bad launcher
#   input is one line, exit 2, no folder and no job; a 4-shard array of a
#   small sweep, one exclusive task per shard, and the merge job after it
#   leave exactly the cells of the same sweep run unsharded. Stops what it
#   started, and first what an earlier run of it left behind. Skips (77)
#   only without slurm-wlm when not root; as root it installs it.
bin=$(realpath "$1")
. "$(dirname "$0")/../common/test_lib.sh"
. "$tests/common/sweep_lib.sh"
need_packages slurm-wlm munge

# One run of this test at a time per user (two ctest trees may run it at
# once): the lock is held by this shell alone, never by the daemons (9>&-),
# so a run killed without its trap frees it.
marker=smrbench-slurm-test
root=${TMPDIR:-/tmp}
lock=$root/$marker-$(id -u).lock
exec 9>"$lock"
flock -w 120 9 || { no "another run of this test held $lock for 120 s"; exit 1; }

# Holding the lock, every process of this user's that belongs to a cluster
# of this test (a daemon whose command line names its folder, a job or job
# step whose SLURM_CONF is in it) is this run's or one a run killed before
# its trap left: stop_strays kills them. Never this shell's children:
# SLURM_CONF is unset first.
stop_strays() {
  local f pid
  unset SLURM_CONF
  for f in /proc/[0-9]*/cmdline; do
    pid=${f#/proc/} pid=${pid%/cmdline}
    [ "$pid" != $$ ] && [ -O "/proc/$pid" ] || continue
    { tr '\0' ' ' 2>/dev/null <"$f" | grep -Eq "^[^ ]*(munged|slurmctld|slurmd) .*/$marker\.[^/]*/" ||
      grep -qzE "^SLURM_CONF=.*/$marker\.[^/]*/slurm\.conf\$" "/proc/$pid/environ" 2>/dev/null; } &&
      { echo "stopping $pid: $(tr '\0' ' ' 2>/dev/null <"$f")"; kill -9 "$pid" 2>/dev/null; }
  done
}
stop_strays
find "$root" -maxdepth 1 -name "$marker.*" -type d -user "$(id -u)" -exec rm -rf {} +

cluster=$(mktemp -d "$root/$marker.XXXXXX")
mkdir -p "$cluster/ctld" "$cluster/slurmd"
chmod 755 "$cluster" # munged wants every folder above its socket searchable by all
daemons=()
stop_cluster() {
  local pid i
  if [ -n "${SLURM_CONF:-}" ]; then
    scancel --quiet --user="$(id -un)" 2>/dev/null
    for ((i = 0; i < 25; i++)); do
      [ -z "$(squeue -h 2>/dev/null)" ] && break
      sleep 0.2
    done
  fi
  for pid in "${daemons[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${daemons[@]}"; do
    for ((i = 0; i < 50; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
  done
  wait 2>/dev/null
  stop_strays # what would not stop, and job steps that outlived slurmd
  [ -n "${KEEP:-}" ] || rm -rf "$cluster"
}
trap 'stop_cluster; [ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
show_logs() { tail -n 20 "$cluster"/*.log; }

# A port nothing listens on (no connection to it), above the ones a
# system's Slurm would use.
free_port() {
  local p
  for ((p = $1; p < $1 + 1000; p++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo $p; return; }
  done
}
ctld_port=$(free_port $((20000 + RANDOM % 20000)))
slurmd_port=$(free_port $((ctld_port + 1)))
user=$(id -un)

mungekey -c -k "$cluster/munge.key" || { no "mungekey"; exit 1; }
munged -F --socket="$cluster/munge.sock" --key-file="$cluster/munge.key" \
  --pid-file="$cluster/munged.pid" --seed-file="$cluster/munged.seed" >"$cluster/munged.log" 2>&1 9>&- &
daemons+=($!)

cat >"$cluster/slurm.conf" <<EOF
ClusterName=smrbenchtest
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$cluster/munge.sock
StateSaveLocation=$cluster/ctld
SlurmdSpoolDir=$cluster/slurmd
SlurmctldPidFile=$cluster/slurmctld.pid
SlurmdPidFile=$cluster/slurmd.pid
SlurmctldLogFile=$cluster/slurmctld.log
SlurmdLogFile=$cluster/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SelectType=select/cons_tres
SchedulerType=sched/builtin
ReturnToService=2
MailProg=/bin/true
SlurmdParameters=config_overrides
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=smrtest Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
# Only this cluster: nothing of a Slurm job or a user's defaults the test
# may run under (SBATCH_PARTITION, SLURM_JOB_ID, ...).
# shellcheck disable=SC2046 # one name per word
unset $(compgen -e | grep -E '^(SLURM|SBATCH|SQUEUE|SINFO|SCONTROL)_')
export SLURM_CONF=$cluster/slurm.conf
for ((i = 0; i < 50; i++)); do
  [ -S "$cluster/munge.sock" ] && break
  sleep 0.2
done
slurmctld -D -i -f "$SLURM_CONF" >/dev/null 2>&1 9>&- &
daemons+=($!)
slurmd -D -N localhost -f "$SLURM_CONF" >/dev/null 2>&1 9>&- &
daemons+=($!)
state=""
for ((i = 0; i < 150; i++)); do
  state=$(sinfo -h -n localhost -o %T 2>/dev/null)
  [ "$state" = idle ] && break
  sleep 0.2
done
[ "$state" = idle ] && ok || { no "the node is '$state' after 30 s, not idle"; show_logs; exit 1; }

sweep=(-s stack -r ebr,hp -t 1,2 -n 2 -d 0.05 --warmup 0 --sample 5 --quiet) # 4 blocks, 8 cells
launch=("$repo/scripts/slurm/sweep.sh" --bin "$bin")

# Bad input: one line, exit 2, no folder, no job.
bad_launch "no --shards" -- "${sweep[@]}"
bad_launch "--shards 0" --shards 0 -- "${sweep[@]}"
bad_launch "more shards than blocks" --shards 5 -- "${sweep[@]}"
bad_launch "-o among the run flags" --shards 2 -- "${sweep[@]}" -o "$tmp/bad-o"
bad_launch "--out= among the run flags" --shards 2 "${sweep[@]}" --out="$tmp/bad-o"
bad_launch "--shard among the run flags" --shards 2 -- "${sweep[@]}" --shard 0/2
bad_launch "--plan among the run flags" --shards 2 -- "${sweep[@]}" --pla
bad_launch "a bad run flag" --shards 2 -- "${sweep[@]}" -t 0
bad_launch "no such --bin" --bin "$tmp/nothing" --shards 2 -- "${sweep[@]}"
mkdir "$tmp/full" && touch "$tmp/full/x"
bad_launch "a used --out" --shards 2 --out "$tmp/full" -- "${sweep[@]}"
[ "$(ls -A "$tmp/full")" = x ] && ok || no "bad input changed a used --out"
no_bad_folder
[ -z "$(squeue -h)" ] && ok || { no "bad input submitted a job"; squeue; }

# The sweep, sharded on the cluster and whole here.
"${launch[@]}" --shards=4 --out "$tmp/sweep" --partition smrtest --sbatch-arg=--time=7 --sbatch-arg --comment=smr \
  -- "${sweep[@]}" >"$tmp/submitted" || { no "sweep.sh failed"; exit 1; }
array=$(sed -n 's/^shards: job \([0-9]*\),.*/\1/p' "$tmp/submitted")
merge=$(sed -n 's/^merge: *job \([0-9]*\),.*/\1/p' "$tmp/submitted")
[ -n "$array" ] && [ -n "$merge" ] && ok || { no "sweep.sh printed no job ids"; cat "$tmp/submitted"; exit 1; }
scontrol show job "${array}_0" -o >"$tmp/task0" 2>&1
grep -q 'OverSubscribe=NO' "$tmp/task0" && ok || no "the shards' tasks are not --exclusive"
grep -q 'Partition=smrtest' "$tmp/task0" && grep -q 'TimeLimit=00:07:00' "$tmp/task0" && grep -q 'Comment=smr' "$tmp/task0" &&
  ok || { no "--partition or --sbatch-arg did not reach the shards' tasks"; cat "$tmp/task0"; }
scontrol show job "$merge" -o 2>&1 | grep -q 'TimeLimit=00:07:00' && ok || no "--sbatch-arg did not reach the merge job"
"$bin" run "${sweep[@]}" -o "$tmp/whole" || no "the unsharded run failed"
job_state() { scontrol show job "$1" -o 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p'; }
# The shards run one after the other here (one node, --exclusive): a few
# seconds each, and a deadline far above that for a loaded machine.
state="" start=$SECONDS
while [ $((SECONDS - start)) -lt 150 ]; do
  state=$(job_state "$merge")
  case "$state" in PENDING | RUNNING | CONFIGURING | COMPLETING | "") sleep 0.2 ;; *) break ;; esac
done
echo "merge job $merge: $state after $((SECONDS - start)) s"

check_sweep slurm "$tmp/sweep" 4 "$tmp/whole" "$tmp/sweep/logs/"*
if has_merge; then
  [ "$state" = COMPLETED ] && ok || { no "the merge job ended $state"; cat "$tmp/sweep/logs/merge.out"; }
  [ -z "$(command -v gnuplot)" ] || ls "$tmp/sweep/merged/plots/"*.png >/dev/null 2>&1 && ok || no "the merge job drew no figure"
fi
test_finish slurm
