#!/usr/bin/env bash
# submit.sh - grades a class on a Slurm cluster: a build job, a job array of shards, a merge.
#
#   scripts/slurm/submit.sh [--shards N] [--out DIR] [--build-dir DIR] [--canvas ROSTER.csv]
#                           [--wait] [--sbatch-args "..."] SUBMISSIONS
#
# Every path must be on a file system all nodes share (the gradlab tree, SUBMISSIONS, the
# output and build folders). The jobs:
#   1. build: scripts/grade-all.sh --build-only (the library, grader, tests and reference,
#      once, so that no two shards build the same files at the same time);
#   2. the array (after 1 succeeds): N tasks of grade-all.sbatch, each grading its share
#      into OUT (default: dist/grade-all) and writing OUT/gradebook-shard-K-of-N.csv;
#   3. merge (after every task ends, however it ended): scripts/grade-all.sh --merge writes
#      OUT/gradebook.csv for the whole class (a student whose shard failed shows as error)
#      and, with --canvas, OUT/canvas-gradebook.csv.
# Prints the three job ids. --wait returns when the merge has finished (its status).
# --sbatch-args adds options to every sbatch (a partition, an account, a time limit...).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
shards=4 out=$root/dist/grade-all build=$root/build canvas= wait=0 extra=
while [[ $# -gt 0 ]]; do
    case $1 in
        --shards) shards=${2:?--shards needs a number}; shift 2 ;;
        --out) out=${2:?--out needs a folder}; shift 2 ;;
        --build-dir) build=${2:?--build-dir needs a folder}; shift 2 ;;
        --canvas) canvas=${2:?--canvas needs the roster}; shift 2 ;;
        --wait) wait=1; shift ;;
        --sbatch-args) extra=${2?--sbatch-args needs options}; shift 2 ;;
        -h|--help) sed -n '2,21s/^# \{0,1\}//p' "$0"; exit 0 ;;
        -*) echo "submit.sh: unknown option '$1'" >&2; exit 2 ;;
        *) break ;;
    esac
done
[[ $# -eq 1 && -d $1 ]] || { echo "submit.sh: say which folder holds the submissions" >&2; exit 2; }
[[ $shards =~ ^[1-9][0-9]*$ ]] || { echo "submit.sh: --shards wants a positive number" >&2; exit 2; }
command -v sbatch >/dev/null || { echo "submit.sh: sbatch not found: is this a Slurm login node?" >&2; exit 1; }
subs=$(cd "$1" && pwd)
mkdir -p "$out" "$build"
out=$(cd "$out" && pwd) build=$(cd "$build" && pwd)
# shellcheck disable=SC2206  # the extra options are words
sb=(sbatch --parsable --chdir "$out" $extra)

ga=$root/scripts/grade-all.sh
build_job=$("${sb[@]}" --job-name=gradlab-build --cpus-per-task=2 --output="$out/slurm-build-%j.out" \
    --wrap "'$ga' --build-only --jobs 2 --build-dir '$build' --out '$out' '$subs'")
array_job=$("${sb[@]}" --dependency="afterok:$build_job" --array="1-$shards" \
    --output="$out/slurm-shard-%A_%a.out" "$root/scripts/slurm/grade-all.sbatch" "$root" "$subs" "$out" "$build")
merge_args=(--merge --build-dir "$build" --out "$out")
[[ -n $canvas ]] && merge_args+=(--canvas "$(cd "$(dirname "$canvas")" && pwd)/$(basename "$canvas")")
printf -v merge_cmd '%q ' "$ga" "${merge_args[@]}" "$subs"
merge_job=$("${sb[@]}" --dependency="afterany:$array_job" --job-name=gradlab-merge \
    --output="$out/slurm-merge-%j.out" $([[ $wait -eq 1 ]] && echo --wait) --wrap "$merge_cmd")
echo "submit.sh: build job $build_job, shards $array_job (1-$shards), merge job $merge_job; gradebook: $out/gradebook.csv"
