#!/usr/bin/env bash
# grade-all.sh - grades a whole class on this machine into a gradebook (make grade-all).
#
#   scripts/grade-all.sh [--jobs N] [--out DIR] [--build-dir DIR] [--timeout S] [--force]
#                        [--canvas ROSTER.csv] [--shard K/N | --merge | --build-only] SUBMISSIONS
#
# Past one machine (scripts/slurm/grade-all.sbatch runs this as a Slurm job array):
# --build-only builds the shared objects and stops; --shard K/N grades the K-th of N
# shares of the class (every N-th submission, from the K-th, in name order) into OUT,
# a folder all shards share, and writes OUT/gradebook-shard-K-of-N.csv; --merge grades
# nothing and writes OUT/gradebook.csv (and the Canvas file) from every student's results.
#
# SUBMISSIONS holds one entry per student: a folder (with the lab files anywhere in it,
# e.g. a checkout of their repository) or an archive (.tar.gz, .tgz, .tar, .tar.xz, .zip,
# e.g. their copy of the student release). The student id is the entry's name without the
# archive extension; for Gradescope's export of an assignment's submissions (folders
# submission_NNN beside submission_metadata.yml), the student id comes from that file: the
# submitter's SID, else e-mail, else name (several submitters: joined with +). Each
# student is graded in a clean copy of their own by the same
# script Gradescope runs (scripts/autograder/run_autograder), with the public and hidden
# tests, in parallel (--jobs, default: the number of CPUs):
#   OUT/<student>/submission/        the copy that was graded
#   OUT/<student>/results/           results.json (Gradescope's format), gradlab.tsv (a line
#                                    per test), gradlab.log (everything printed), gradlab-status
#   OUT/<student>/run.log            the run's own output
#   OUT/gradlab-seed                 the seed of the test inputs, drawn at the first run
#                                    (GRADLAB_SEED chooses it) and kept for re-runs and shards
#   OUT/gradebook.csv                student, one score per lab, total, max, status, detail,
#                                    notes (what the autograder told the student: a file
#                                    misnamed, files ignored...)
#   OUT/canvas-gradebook.csv         with --canvas ROSTER.csv (Canvas's gradebook export): the
#                                    roster's student columns and one column per lab, ready
#                                    for Canvas's gradebook import; students matched by SIS
#                                    user id, SIS login id, Canvas id or login's user part
# OUT defaults to $GRADE_ALL_OUT or dist/grade-all, the build directory to $B or build/
# (the shared objects: library, grader, tests, reference). A re-run skips every student
# already graded (status ok or build-error; delete the student's folder, or pass --force,
# to grade again) and grades again those with no result or an error (an interrupted run,
# a time-out). The gradebook is rewritten from every student's results each time.
# Status: ok (graded), build-error (at least one lab did not build: a compile error, or
# code the lab file check rejects, e.g. a constructor; it scores 0, the others are graded), error (not graded: see detail and the student's run.log). A broken
# or hostile submission only ever affects its own row.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

jobs=$(nproc 2>/dev/null || echo 2)
# make passes its command-line variables in the environment: make grade-all B=dir
# GRADE_ALL_OUT=dir ... builds in B and writes into GRADE_ALL_OUT.
out=${GRADE_ALL_OUT:-$root/dist/grade-all}
build=${B:-build}
[[ $build == /* ]] || build=$root/$build
timeout=1800
force=0
canvas=${CANVAS:-}
shard= merge=0 build_only=0
usage() { sed -n '4,5p' "$0" | sed 's/^# *//'; }
while [[ $# -gt 0 ]]; do
    case $1 in
        --jobs) jobs=${2:?--jobs needs a number}; shift 2 ;;
        --out) out=${2:?--out needs a directory}; shift 2 ;;
        --build-dir) build=${2:?--build-dir needs a directory}; shift 2 ;;
        --timeout) timeout=${2:?--timeout needs seconds}; shift 2 ;;
        --force) force=1; shift ;;
        --canvas) canvas=${2:?--canvas needs the roster CSV}; shift 2 ;;
        --shard) shard=${2:?--shard needs K/N}; shift 2 ;;
        --merge) merge=1; shift ;;
        --build-only) build_only=1; shift ;;
        -h|--help) sed -n '2,43s/^# \{0,1\}//p' "$0"; exit 0 ;;
        -*) echo "grade-all: unknown option '$1'" >&2; usage >&2; exit 2 ;;
        *) break ;;
    esac
done
if [[ $# -ne 1 || ! -d $1 ]]; then
    if [[ $# -eq 1 ]]; then echo "grade-all: $1 is not a folder" >&2
    else echo "grade-all: say which one folder holds the submissions" >&2; fi
    usage >&2
    exit 2
fi
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "grade-all: --jobs wants a positive number, not '$jobs'" >&2; exit 2; }
[[ $timeout =~ ^[1-9][0-9]*$ ]] || { echo "grade-all: --timeout wants seconds, not '$timeout'" >&2; exit 2; }
shard_k=0 shard_n=0
if [[ -n $shard ]]; then
    [[ $shard =~ ^([1-9][0-9]*)/([1-9][0-9]*)$ ]] && (( BASH_REMATCH[1] <= BASH_REMATCH[2] )) ||
        { echo "grade-all: --shard wants K/N with 1 <= K <= N, not '$shard'" >&2; exit 2; }
    shard_k=${BASH_REMATCH[1]} shard_n=${BASH_REMATCH[2]}
fi
subs=$(cd "$1" && pwd)
if [[ -n $canvas ]]; then
    [[ -f $canvas ]] || { echo "grade-all: the Canvas roster $canvas does not exist" >&2; exit 2; }
    canvas=$(cd "$(dirname "$canvas")" && pwd)/$(basename "$canvas")
fi
mkdir -p "$out" "$build"
out=$(cd "$out" && pwd)
build=$(cd "$build" && pwd)
case $out/ in "$subs"/*) echo "grade-all: the output folder must not be inside the submissions folder" >&2; exit 2 ;; esac
start=$SECONDS

# ---- the class: one entry per folder or archive (scripts/class-list.sh) ----
# shellcheck source=scripts/class-list.sh
source "$root/scripts/class-list.sh"
class_skipped() { echo "grade-all: skipping $1 ($2)"; }
class_renamed() { echo "grade-all: $1 and $2 are both student '${3%-2}': grading $1 as '$3'"; }
class_from_gradescope() { echo "grade-all: Gradescope export: $1 submissions named by submission_metadata.yml"; }
class_list "$subs"
ids=("${class_ids[@]+"${class_ids[@]}"}") paths=("${class_paths[@]+"${class_paths[@]}"}")
if [[ ${#ids[@]} -eq 0 ]]; then
    echo "grade-all: no submissions (folders or archives) in $subs" >&2
    exit 2
fi

# The whole class goes into the gradebook; a shard grades its share of it.
class=("${ids[@]}")
if [[ $shard_n -gt 0 ]]; then
    mine_ids=() mine_paths=()
    for i in "${!ids[@]}"; do
        if (( i % shard_n == shard_k - 1 )); then mine_ids+=("${ids[$i]}"); mine_paths+=("${paths[$i]}"); fi
    done
    echo "grade-all: shard $shard_k of $shard_n: ${#mine_ids[@]} of the ${#ids[@]} submissions"
    ids=("${mine_ids[@]+"${mine_ids[@]}"}") paths=("${mine_paths[@]+"${mine_paths[@]}"}")
fi
[[ $merge -eq 1 ]] && ids=() paths=()

# The test inputs' seed, drawn once for this output folder and kept (a re-run, or another
# shard, grades with the same inputs): the student release's recorded answers say nothing
# of them. GRADLAB_SEED chooses it. Created with ln, so two shards starting together
# agree on one.
if [[ ! -s $out/gradlab-seed ]]; then
    { [[ ${GRADLAB_SEED:-} =~ ^[0-9]+$ ]] && echo "$GRADLAB_SEED" || od -An -N4 -tu4 /dev/urandom | tr -d ' '; } \
        >"$out/.gradlab-seed-$$"
    ln "$out/.gradlab-seed-$$" "$out/gradlab-seed" 2>/dev/null || true
    rm -f "$out/.gradlab-seed-$$"
fi
GRADLAB_SEED=$(cat "$out/gradlab-seed")
export GRADLAB_SEED

log_tag=
[[ $shard_n -gt 0 ]] && log_tag=-shard-$shard_k-of-$shard_n
# ---- the shared objects (common library, grader, tests, reference), built once so that
# the parallel runs only compile their own lab files (a merge needs none) ----
if [[ $merge -eq 0 ]]; then
    echo "grade-all: ${#ids[@]} submissions from $subs, $jobs at a time, into $out"
    if ! make --no-print-directory -s -C "$root" -j"$jobs" B="$build" _grade SOLUTIONS=1 ARGS='--list' \
            >"$out/build$log_tag.log" 2>&1; then
        tail -n 30 "$out/build$log_tag.log" >&2
        echo "grade-all: the grader does not build (log: $out/build$log_tag.log)" >&2
        exit 1
    fi
    if [[ $build_only -eq 1 ]]; then
        echo "grade-all: built the shared objects in $build"
        exit 0
    fi
fi

grade_one() {
    local id=$1 path=$2 dir=$out/$1 rc=0
    # Finished means graded (ok or build-error). An error, an interrupted run or a missing
    # result is tried again.
    if [[ $force -eq 0 && -f $dir/results/results.json ]] &&
       grep -qxE 'ok|build-error' "$dir/results/gradlab-status" 2>/dev/null; then
        echo "  skipped  $id (already graded)"
        return 0
    fi
    rm -rf "$dir"
    mkdir -p "$dir/submission"
    if [[ -d $path ]]; then cp -R "$path/." "$dir/submission/"; else cp "$path" "$dir/submission/"; fi
    AUTOGRADER_ROOT=$dir GRADLAB_SOURCE=$root GRADLAB_BUILD=$build GRADLAB_MAKE_JOBS=1 GRADLAB_KEEP_WORK=0 \
        GRADLAB_GRADE_TIMEOUT=$timeout timeout -k 10 $((timeout + 700)) \
        "$root/scripts/autograder/run_autograder" >"$dir/run.log" 2>&1 </dev/null || rc=$?
    if [[ -f $dir/results/results.json ]]; then
        printf '  graded   %s: %s (%s)\n' "$id" \
            "$(sed -n 's/^  "score": \([0-9.]*\),*$/\1/p' "$dir/results/results.json")" \
            "$(cat "$dir/results/gradlab-status" 2>/dev/null || echo '?')"
    else
        echo "  FAILED   $id: no results (status $rc; see $dir/run.log)"
    fi
}

running=0
for i in "${!ids[@]}"; do   # a hanging submission holds one slot, for its own budget only
    grade_one "${ids[$i]}" "${paths[$i]}" &
    running=$((running + 1))
    if [[ $running -ge $jobs ]]; then
        wait -n || true
        running=$((running - 1))
    fi
done
wait || true

# ---- the gradebook ----
labs=()
for d in "$root"/labs/[0-9][0-9]-*/; do
    for f in "$d"*.c; do
        n=$(basename "$f" .c)
        [[ -f $root/include/$n.h ]] && labs+=("$(basename "$d")")
    done
done
declare -A count=()
csv_cell() { local s=${1//\"/\"\"}; [[ $s == *[,\"$'\n']* ]] && s="\"$s\""; printf '%s' "$s"; }
{
    printf 'student'
    for l in "${labs[@]}"; do printf ',%s' "$l"; done
    printf ',total,max,status,detail,notes\n'
    if [[ $shard_n -gt 0 ]]; then book_ids=("${ids[@]+"${ids[@]}"}"); else book_ids=("${class[@]}"); fi
    mapfile -t sorted < <(printf '%s\n' "${book_ids[@]+"${book_ids[@]}"}" | LC_ALL=C sort | sed '/^$/d')
    for id in "${sorted[@]}"; do
        res=$out/$id/results
        status=$(cat "$res/gradlab-status" 2>/dev/null || echo error)
        row=$(csv_cell "$id")
        if [[ -f $res/gradlab.tsv && $status != error ]]; then
            for l in "${labs[@]}"; do
                row+=,$(awk -F'\t' -v n="${l%%-*}" '$2 == n { s += $3 } END { printf "%.2f", s }' "$res/gradlab.tsv")
            done
            row+=,$(awk -F'\t' '{ s += $3 } END { printf "%.2f", s }' "$res/gradlab.tsv")
            row+=,$(awk -F'\t' '{ s += $4 } END { printf "%.2f", s }' "$res/gradlab.tsv")
            detail=$(awk -F'\t' '$1 == "BUILD" && !seen[$2]++ { printf "%slab %s does not build", sep, $2; sep = "; " }' "$res/gradlab.tsv")
        else
            for _ in "${labs[@]}"; do row+=,; done
            if [[ -f $res/results.json ]]; then
                row+=,$(sed -n 's/^  "score": \([0-9.]*\),*$/\1/p' "$res/results.json" | awk '{ printf "%.2f", $1 }'),
                detail=$(grep -o 'gradlab could not grade this submission: [^\\]*' "$res/results.json" | head -n 1 |
                         sed 's/^gradlab could not grade this submission: //')
            else
                row+=,,
                detail="no results: see $id/run.log"
            fi
            status=error
        fi
        # The autograder's notes to the student (a file misnamed, one ignored...), joined.
        notes=$(head -c 2000 "$res/gradlab-notes.txt" 2>/dev/null | tr '\n' '\036' | sed 's/\x1e$//; s/\x1e/; /g')
        printf '%s,%s,%s,%s\n' "$row" "$status" "$(csv_cell "$detail")" "$(csv_cell "$notes")"
        count[$status]=$(( ${count[$status]:-0} + 1 ))
    done
} >"$out/.gradebook-$$.tmp"
book=$out/gradebook.csv
[[ $shard_n -gt 0 ]] && book=$out/gradebook-shard-$shard_k-of-$shard_n.csv
mv -f "$out/.gradebook-$$.tmp" "$book"

echo "grade-all: ${#sorted[@]} submissions: ${count[ok]:-0} ok, ${count[build-error]:-0} with a lab that does not" \
     "compile, ${count[error]:-0} not graded (error), in $((SECONDS - start)) s"
echo "grade-all: wrote $book"
[[ $shard_n -gt 0 ]] && exit 0   # the Canvas file comes with the merge

# ---- Canvas: the roster's own student columns, one column per lab ----
if [[ -n $canvas ]]; then
    python3 - "$out/gradebook.csv" "$canvas" "$out/canvas-gradebook.csv" "${labs[@]}" <<'PY'
import csv, sys
book, roster_path, dest, labs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
scores = {r["student"].lower(): r for r in csv.DictReader(open(book, newline=""))}
with open(roster_path, newline="", encoding="utf-8-sig") as f:
    rows = list(csv.reader(f))
head = rows[0]
need = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
missing = [c for c in need if c not in head]
if missing:
    sys.exit(f"grade-all: {roster_path} is not a Canvas gradebook export (no column {', '.join(missing)})")
col = {c: head.index(c) for c in need}
out = [need + [f"gradlab lab {l[:2]}" for l in labs]]
out.append(["    Points Possible", "", "", "", ""] + ["20.00" for _ in labs])
used, matched, without = set(), 0, []
for r in rows[1:]:
    if not r or r[col["Student"]].strip() in ("Points Possible", "Student, Test", "Test Student"):
        continue
    keys = [r[col[c]].strip().lower() for c in ("SIS User ID", "SIS Login ID", "ID")]
    keys.append(r[col["SIS Login ID"]].split("@")[0].strip().lower())
    hit = next((k for k in keys if k and k in scores), None)
    cells = [r[col[c]] for c in need]
    if hit:
        used.add(hit)
        matched += 1
        out.append(cells + [scores[hit].get(l, "") for l in labs])
    else:
        without.append(r[col["Student"]])
        out.append(cells + ["" for _ in labs])
with open(dest, "w", newline="") as f:
    csv.writer(f).writerows(out)
extra = sorted(s for s in scores if s not in used)
print(f"grade-all: wrote {dest}: {matched} students matched, {len(without)} on the roster without a submission"
      + (f", {len(extra)} submissions not on the roster: {', '.join(extra)}" if extra else ""))
PY
fi
