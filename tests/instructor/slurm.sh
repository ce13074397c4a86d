#!/usr/bin/env bash
# Grades a small class on a one-node Slurm cluster that this script starts (munged,
# slurmctld and slurmd from Debian's munge, slurmctld and slurmd packages, in a scratch
# folder, on free ports) through scripts/slurm/submit.sh: a build job, a job array of 2
# shards, a merge. Checks the merged gradebook against the scores the class must get, and
# that each shard graded its own half. Needs root (the daemons) and the packages
# (scripts/deps.sh slurm).
# Usage: tests/instructor/slurm.sh [B=build]
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
B=build
for v in "$@"; do [[ $v == B=* ]] && B=${v#B=}; done
[[ $B == /* ]] || B=$(pwd)/$B
# shellcheck source=tests/testlib.sh
source tests/testlib.sh

T=$(mktemp -d "${TMPDIR:-/tmp}/gradlab-slurm-XXXXXX")
chmod 755 "$T"
stop() {
    for p in "$T"/run/*.pid; do [[ -f $p ]] && kill "$(cat "$p")" 2>/dev/null; done
    sleep 1
    rm -rf "$T"
}
trap stop EXIT

for prog in munged slurmctld slurmd sbatch; do
    command -v "$prog" >/dev/null || { bad "$prog is not installed (scripts/deps.sh slurm)"; echo "slurm: $passed passed, $failed failed"; exit 1; }
done
[[ $(id -u) -eq 0 ]] || { bad "the Slurm test starts daemons: run it as root"; echo "slurm: $passed passed, $failed failed"; exit 1; }

# ---- a one-node cluster ----
mkdir -p "$T"/{etc,state,spool,log,run,munge}
chmod 700 "$T/munge"
head -c 1024 /dev/urandom >"$T/munge/munge.key"
chmod 400 "$T/munge/munge.key"
munged --force --key-file="$T/munge/munge.key" --socket="$T/munge/munge.sock" --pid-file="$T/run/munged.pid" \
    --log-file="$T/log/munged.log" --seed-file="$T/munge/seed"
port=$(( 20000 + RANDOM % 20000 ))
host=$(hostname -s)
cat >"$T/etc/slurm.conf" <<CONF
ClusterName=gradlab-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$T/munge/munge.sock
CredType=cred/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/run/slurmctld.pid
SlurmdPidFile=$T/run/slurmd.pid
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd.log
SlurmctldPort=$port
SlurmdPort=$((port + 1))
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=grading Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$T/etc/slurm.conf
slurmctld && slurmd
for _ in $(seq 1 30); do sinfo -h -o %T 2>/dev/null | grep -q idle && break; sleep 1; done
check "a one-node Slurm cluster is up (munged, slurmctld, slurmd)" bash -c "sinfo -h -o %T | grep -q idle"

# ---- a class of four, graded in two shards ----
S=$T/class
mkdir -p "$S/alice" "$S/bob" "$S/carol" "$S/dave"
lab_files=$(cd solutions && ls [0-9][0-9]-*/*.c | grep -v trainer)
for lf in $lab_files; do
    cp "solutions/$lf" "$S/alice/"; cp "solutions/$lf" "$S/carol/"; cp "labs/$lf" "$S/bob/"
done
cp solutions/01-knn/knn.c "$S/dave/"                                   # lab 01 only
start=$SECONDS
scripts/slurm/submit.sh --shards 2 --wait --out "$T/out" --build-dir "$B" "$S" >"$T/submit.log" 2>&1
rc=$?
took=$((SECONDS - start))
check "submit.sh: build job, a 2-task array and the merge ran (status $rc, ${took}s)" \
    bash -c "[[ $rc -eq 0 ]] && grep -q 'shards .* (1-2)' '$T/submit.log'"
[[ $rc -eq 0 ]] || { cat "$T/submit.log"; tail -n 20 "$T"/out/slurm-*.out 2>/dev/null; }
check "each shard graded its own half (alice and carol; bob and dave)" \
    bash -c "[[ \$(tail -n +2 '$T/out/gradebook-shard-1-of-2.csv' | cut -d, -f1 | tr '\n' ' ') == 'alice carol ' &&
               \$(tail -n +2 '$T/out/gradebook-shard-2-of-2.csv' | cut -d, -f1 | tr '\n' ' ') == 'bob dave ' ]]"
check "the merged gradebook has the whole class with the right totals (100, 0, 100, 20)" \
    python3 - "$T/out/gradebook.csv" <<'PY'
import csv, sys
rows = {r["student"]: r for r in csv.DictReader(open(sys.argv[1]))}
want = {"alice": 100, "bob": 0, "carol": 100, "dave": 20}
assert sorted(rows) == sorted(want), sorted(rows)
for s, t in want.items():
    assert abs(float(rows[s]["total"]) - t) < 1e-6 and rows[s]["status"] == "ok", (s, rows[s])
PY

echo
echo "slurm: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
