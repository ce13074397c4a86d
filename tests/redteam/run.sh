#!/usr/bin/env bash
# The red team: lab files written to get marks they did not earn (tests/redteam/NN-*.c,
# each one attack class; its first comment says what it tries and, on its "expect:"
# line, the verdicts its tests must get and a pattern the report must show).
#
# One more attack is written at run time, 01-answers-table (tests/redteam/answers-table.py):
# lab 01 built from the outputs recorded in the release's grader/tests/public/answers.gz.
#
# Each file is graded three ways (make grade with the seed an autograder would draw, not
# the release's recorded one):
#   1. make grade: the file in place of its lab in a copy of the solutions. That lab
#      scores 0 with the expected verdicts; every other lab keeps full marks; the report
#      has exactly one summary and one line per test (nothing forged); nothing the
#      grader started is still running; nothing new appeared in /tmp.
#   2. the Gradescope autograder (scripts/autograder/run_autograder in a simulated
#      root), with one attack per lab: score 0, a valid results.json with nothing forged
#      or leaked in it.
#   3. make grade-all with that attacker and an honest classmate graded in parallel:
#      the classmate keeps 100, the attacker gets 0.
# Usage: tests/redteam/run.sh [make variables, e.g. B=build-san SAN=1] (make test runs it)
set -uo pipefail
cd "$(dirname "$0")/../.."

B=build
SAN=0
for v in "$@"; do
    [[ $v == B=* ]] && B=${v#B=}
    [[ $v == SAN=* ]] && SAN=${v#SAN=}
done
MAKE=(make --no-print-directory -s "$@")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gradlab-redteam-XXXXXX")
chmod 755 "$TMP"
trap 'rm -rf "$TMP"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

# shellcheck source=tests/testlib.sh
source tests/testlib.sh

lab_dir()  { basename "$(ls -d "labs/$1"-*/)"; }                      # 01 -> 01-knn
lab_file() { basename "$(ls "solutions/$(lab_dir "$1")"/*.c | head -1)"; }  # 01 -> knn.c
# The "expect:" line, or under SAN=1 the "expect-san:" line where there is one.
expect_of() {
    local key=expect
    [[ $SAN == 1 ]] && grep -q '^ \* expect-san:' "$1" && key=expect-san
    sed -n "s/^ \\* $key: *//p" "$1" | sed 's| *\*/$||' | head -1
}
# Files the workers' user (nobody, when this runs as root) made under /tmp during the run.
worker_files() { [[ $(id -u) -eq 0 ]] && find /tmp -maxdepth 3 -user nobody -newer "$TMP/start" 2>/dev/null | head -5; }
no_workers() { [[ -z $(workers_left "$TMP" "$B") ]]; }

"${MAKE[@]}" _grade-build SOLUTIONS=1 >"$TMP/build.log" 2>&1 || { echo "the grader does not build"; tail -20 "$TMP/build.log"; exit 1; }
ntests=$("$B/gradlab-grade" --list | tail -1 | awk '{ print $1 }')

# One attack is written at run time from the release's recorded answers, as a student with
# only the release would (tests/redteam/answers-table.py).
"${MAKE[@]}" _answers >"$TMP/answers.log" 2>&1 || { echo "make _answers failed"; tail -20 "$TMP/answers.log"; exit 1; }
mkdir -p "$TMP/generated"
python3 tests/redteam/answers-table.py "$B/answers.gz" >"$TMP/generated/01-answers-table.c" 2>"$TMP/generated/table.log"
check "answers-table: the attack found the recorded random cases ($(cat "$TMP/generated/table.log"))" \
    grep -q '[1-9] shapes found' "$TMP/generated/table.log"

# What it earns where it was aimed, the release's recorded inputs (for the record: the
# public tests there are practice, the autograder's inputs are drawn by its own seed).
dir=$TMP/table-release
mkdir -p "$dir/build" && cp -rp solutions "$dir/src" && cp "$TMP/generated/01-answers-table.c" "$dir/src/01-knn/knn.c"
[[ -d $B/solutions/grade ]] && cp -rp "$B/solutions/grade" "$dir/build/grade"
"${MAKE[@]}" _grade LABSRC="$dir/src" VB="$dir/build" ARGS="--no-color --lab 01 --answers $B/answers.gz --tsv $dir/r.tsv" \
    >"$dir/r.log" 2>&1
table_pts=$(awk -F'\t' '{ s += $3 } END { print s + 0 }' "$dir/r.tsv")
check "answers-table on the release's own recorded inputs: $table_pts points, from copied distances only" \
    awk -F'\t' '$1 == "PASS" && $5 !~ /random non-square/ { bad = 1 } END { exit bad }' "$dir/r.tsv"

# Graded as the autograder grades: with a seed of its own, not the release's recorded one.
AG_SEED=424242
echo "== make grade: each attack in place of its lab, the other labs the reference (seed $AG_SEED)"
touch "$TMP/start"
for attack in tests/redteam/[0-9][0-9]-*.c "$TMP/generated/01-answers-table.c"; do
    name=$(basename "$attack" .c)
    n=${name%%-*}
    lab=$(lab_dir "$n")
    read -r status pattern <<<"$(expect_of "$attack")"
    dir=$TMP/grade/$name
    mkdir -p "$dir/build"
    cp -rp solutions "$dir/src"
    [[ -d $B/solutions/grade ]] && cp -rp "$B/solutions/grade" "$dir/build/grade"
    cp "$attack" "$dir/src/$lab/$(lab_file "$n")"
    "${MAKE[@]}" _grade LABSRC="$dir/src" VB="$dir/build" GRADE_RC="$dir/rc" \
        ARGS="--no-color --verbose --seed $AG_SEED --tsv $dir/r.tsv" >"$dir/r.log" 2>&1
    check "$name: lab $n scores 0, every test $status" \
        awk -F'\t' -v lab="$n" -v s="^($status)\$" '$2 == lab { k++; t += $3; if ($1 !~ s) bad = 1 } END { exit bad || !k || t != 0 }' "$dir/r.tsv"
    check "$name: every other lab keeps full marks" \
        awk -F'\t' -v lab="$n" '$2 != lab && $1 != "PASS" { bad = 1 } END { exit bad }' "$dir/r.tsv"
    [[ -n $pattern ]] && check "$name: the report says '$pattern'" grep -qE -- "$pattern" "$dir/r.log"
    check "$name: the report is the grader's: one line per test ($ntests), one summary" \
        test "$(grep -cE '^  [A-Z]+ +[0-9][0-9] ' "$dir/r.log")" -eq "$ntests" \
        -a "$(grep -cE '^ +total +[0-9]+/[0-9]+ ' "$dir/r.log")" -eq 1
    check "$name: nothing leaked into the report" bash -c "! grep -qE 'LEAKED|constructor ran|early code ran|resolver ran' '$dir/r.log'"
    check "$name: no worker is left running" no_workers
    [[ -s $dir/r.tsv ]] || tail -20 "$dir/r.log"
done
# A worker is fresh for each test: in every test's output, the static counter's first
# value is 1 (a test may call the function again and count on from there).
log=$TMP/grade/04-tmp-state/r.log
fresh=$(awk '/^  [A-Z]+ +04 / { intest = 1; first = 1; next }
             intest && first && /\| redteam-call / { n++; if ($NF != 1) carried++; first = 0 }
             END { printf "%d %d", n, carried }' "$log")
check "a fresh worker per test: no state carried over (first calls seen in ${fresh% *} tests, ${fresh#* } not at 1)" \
    test "${fresh% *}" -ge 1 -a "${fresh#* }" -eq 0
check "nothing was written under /tmp (the attacks' files, or any file of the workers' user)" \
    test ! -e /tmp/gradlab-redteam-state -a ! -e /tmp/results.json -a -z "$(worker_files)"
# The full attacker: one attack per lab.
attacker=$TMP/class/attacker
honest=$TMP/class/honest
mkdir -p "$attacker" "$honest"
for a in 01-raw-escape 02-proc-exe 03-constructor 04-fake-report 05-classmates; do
    n=${a%%-*}
    mkdir -p "$attacker/$(lab_dir "$n")" "$honest/$(lab_dir "$n")"
    cp "tests/redteam/$a.c" "$attacker/$(lab_dir "$n")/$(lab_file "$n")"
    cp "solutions/$(lab_dir "$n")/$(lab_file "$n")" "$honest/$(lab_dir "$n")/"
done

if [[ $SAN == 1 ]]; then
    echo "(the autograder and grade-all: not run under SAN=1)"
else
    echo "== the Gradescope autograder, one attack per lab"
    AG=$TMP/ag
    mkdir -p "$AG/submission"
    cp -r "$attacker"/. "$AG/submission/"
    AUTOGRADER_ROOT=$AG GRADLAB_SOURCE=$PWD GRADLAB_BUILD=$PWD/$B \
        scripts/autograder/run_autograder >"$TMP/ag.log" 2>&1
    json=$AG/results/results.json
    check "autograder: results.json is valid, score 0" \
        python3 tests/instructor/check_results.py "$json" --score 0
    check "autograder: nothing forged or leaked in results.json" bash -c "! grep -qE 'FORGED|LEAKED|100.0/100.0' '$json'"
    check "autograder: no worker is left running" no_workers

    echo "== make grade-all: the attacker and an honest classmate, in parallel"
    GRADE_ALL_OUT=$TMP/batch "${MAKE[@]}" grade-all SUBMISSIONS="$TMP/class" JOBS=2 >"$TMP/batch.log" 2>&1
    book=$TMP/batch/gradebook.csv
    check "grade-all: the honest classmate scores 100, the attacker 0" \
        awk -F, '$1 == "honest" && $7 == 100 { h = 1 } $1 == "attacker" && $7 == 0 { a = 1 } END { exit !(h && a) }' "$book"
    check "grade-all: no worker is left running" no_workers
    [[ $failed -eq 0 ]] || { cat "$book" 2>/dev/null; tail -5 "$TMP/batch.log"; }
fi

echo
echo "red team: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
