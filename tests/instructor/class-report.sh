#!/usr/bin/env bash
# Tests scripts/class-report.sh (make class-report) on a grade-all folder made by hand, in
# grade-all's exact format (no grading runs, so this takes seconds): two labs of four
# 5-point tests (01.4 and 02.3 hidden) and six students:
#   alice  every test passes                                    ok           40
#   bob    01.1 FAIL, 02.1 TIMEOUT                              ok           30
#   carol  01.1 FAIL, 01.4 CRASH, 02.1 TIMEOUT                  ok           25
#   dave   01.1 FAIL, 01.3 TODO, lab 02 does not build          build-error  10
#   erin   not graded (the grader's fallback results.json)      error
#   frank  01.1 FAIL, 01.3 TODO, 02.2 EXIT, 02.3 FORBIDDEN,     ok           15
#          02.4 MISSING
# 01.1's four FAIL messages differ only in their numbers ("distance 3 of 10: expected 5,
# got 25", "... got 26", "-1.5, got 2e+03", ...) and must count as one; most come after the
# line saying how the test called the function ("called ...", which is not the message) and
# before a HINT. 01.3's two TODO messages differ in the path of the student's copy: one
# message. Every test's
# output also holds what the "student's code printed" (STUDENT-OUTPUT), which must never
# reach the report; a folder that is not in the gradebook (zed) must be ignored.
# Checks the numbers of the report, the order of the tests, the grouped message, the
# verdict counts, the error and build-error students, the figures (real PNGs when gnuplot
# is there, drawn again from their .gp), a second run giving the same report, the report
# without gnuplot on PATH (.dat/.gp kept, the report says so, no stale PNG), the make
# target, and usage errors.
# Usage: tests/instructor/class-report.sh; KEEP=1 keeps the scratch folder.
# shellcheck disable=SC2016  # the expected rows hold Markdown's backquotes, not expansions
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

TMP=$(mktemp -d "${TMPDIR:-/tmp}/gradlab-class-report-test-XXXXXX")
if [[ ${KEEP:-0} == 1 ]]; then trap 'echo "scratch folder kept: $TMP"' EXIT; else trap 'rm -rf "$TMP"' EXIT; fi

# shellcheck source=tests/testlib.sh
source tests/testlib.sh
start=$SECONDS

echo "== make class-report: a hand-made class of six"
G=$TMP/grade-all
mkdir -p "$G"
# ---- the class: results.json as the grader writes it, gradlab.tsv, gradlab-status ----
python3 - "$G" <<'EOF'
import json, os, sys
G = sys.argv[1]
TESTS = [  # number, name, hidden
    ("01.1", "l2 distances", False), ("01.2", "l1 distances", False),
    ("01.3", "majority vote with ties", False), ("01.4", "predict on random data", True),
    ("02.1", "softmax rows sum to one", False), ("02.2", "cross-entropy value", False),
    ("02.3", "gradient matches finite differences", True), ("02.4", "stable for large logits", False),
]
TIMEOUT = "no result within 10.0 s: an endless loop, or far too slow"
BUILD = [(n, "BUILD", "lab 02 does not compile") for n, _, _ in TESTS if n.startswith("02.")]
CLASS = {
    "alice": [],
    "bob": [("01.1", "FAIL", "called knn_distances_l2(X_train (3x16), X_test (2x16))\n"
                             "distance 3 of 10: expected 5, got 25\nHINT: square the differences"),
            ("02.1", "TIMEOUT", TIMEOUT)],
    "carol": [("01.1", "FAIL", "called knn_distances_l2(X_train (4x16), X_test (2x16))\n"
                               "distance 3 of 10: expected 5, got 26\nHINT: square the differences"),
              ("01.4", "CRASH", "your code crashed: segmentation fault (SIGSEGV)"),
              ("02.1", "TIMEOUT", TIMEOUT)],
    "dave": [("01.1", "FAIL", "distance 7 of 10: expected -1.5, got 2e+03"),
             ("01.3", "TODO", "knn_vote() is not written yet (/srv/grade-all/dave/work/labs/01-knn/knn.c:90)")] + BUILD,
    "frank": [("01.1", "FAIL", "called knn_distances_l2(X_train (1x1), X_test (1x1))\ndistance 1 of 10: expected 0, got 1"),
              ("01.3", "TODO", "knn_vote() is not written yet (/srv/grade-all/frank/work/labs/01-knn/knn.c:88)"),
              ("02.2", "EXIT", "your code ended the process (exit status 3) before the test finished"),
              ("02.3", "FORBIDDEN", "your code called system() | not allowed <b>here</b>"),
              ("02.4", "MISSING", "softmax_stable() is not defined in the lab file: was it deleted or renamed?")],
    # not in the gradebook: must be ignored
    "zed": [("01.1", "FAIL", "zed-was-read")],
}
for sid, bad in CLASS.items():
    bad = {n: (st, msg) for n, st, msg in bad}
    res = os.path.join(G, sid, "results")
    os.makedirs(res)
    tests, tsv, total = [], [], 0.0
    for number, name, hidden in TESTS:
        st, msg = bad.get(number, ("PASS", ""))
        score = 5.0 if st == "PASS" else 0.0
        total += score
        text = st + (f": {msg}" if msg else "")
        if st == "BUILD":
            text += "\nknn.c:3: error: STUDENT-OUTPUT expected 1, got 2"
        else:
            text += "\n\nwhat the test printed:\nSTUDENT-OUTPUT expected 1, got 2 | <i>x</i>"
        tests.append({"name": name, "number": number, "score": score, "max_score": 5.0,
                      "status": "passed" if st == "PASS" else "failed", "gradlab_status": st,
                      "visibility": "after_published" if hidden else "visible",
                      "execution_time": 0.01, "output": text})
        tsv.append(f"{st}\t{number[:2]}\t{score:.4f}\t5.0000\t{name}\n")
    with open(os.path.join(res, "results.json"), "w") as f:
        f.write('{\n  "score": %.4f,\n  "visibility": "visible",\n  "stdout_visibility": "hidden",\n' % total)
        f.write('  "output": "gradlab grader\\nlab 01: STUDENT-OUTPUT",\n  "tests": [\n')
        f.write(",\n".join("    " + json.dumps(t) for t in tests) + "\n  ]\n}\n")
    with open(os.path.join(res, "gradlab.tsv"), "w") as f:
        f.writelines(tsv)
    with open(os.path.join(res, "gradlab-status"), "w") as f:
        f.write("build-error\n" if any(st == "BUILD" for st, _ in bad.values()) else "ok\n")
# erin: run_autograder's fallback, as when the grader did not finish
res = os.path.join(G, "erin", "results")
os.makedirs(res)
with open(os.path.join(res, "results.json"), "w") as f:
    f.write('{\n  "score": 0,\n  "visibility": "visible",\n  "stdout_visibility": "hidden",\n'
            '  "output": "gradlab could not grade this submission: the grader did not finish (status 124): '
            'its results file results.tsv is missing\\n\\nThe last lines of the grading log:\\nSTUDENT-OUTPUT",\n'
            '  "tests": []\n}\n')
with open(os.path.join(res, "gradlab-status"), "w") as f:
    f.write("error\n")
EOF
# The gradebook, in grade-all's format (scripts/grade-all.sh: an error row has empty lab
# cells, results.json's score as its total and no max).
cat >"$G/gradebook.csv" <<'EOF'
student,01-knn,02-loss,total,max,status,detail
alice,20.00,20.00,40.00,40.00,ok,
bob,15.00,15.00,30.00,40.00,ok,
carol,10.00,15.00,25.00,40.00,ok,
dave,10.00,0.00,10.00,40.00,build-error,lab 02 does not build
erin,,,0.00,,error,the grader did not finish (status 124): its results file results.tsv is missing
frank,10.00,5.00,15.00,40.00,ok,
EOF
echo "grade-all: 6 submissions" >"$G/build.log"
# consistent WHO: the gradebook's scores are the TSV's sums, as grade-all computes them
consistent() {
    local id=$1 tsv=$G/$1/results/gradlab.tsv row
    row=$id,$(awk -F'\t' '$2 == "01" { s += $3 } END { printf "%.2f", s }' "$tsv")
    row+=,$(awk -F'\t' '$2 == "02" { s += $3 } END { printf "%.2f", s }' "$tsv")
    row+=,$(awk -F'\t' '{ s += $3 } END { printf "%.2f", s }' "$tsv")
    row+=,$(awk -F'\t' '{ s += $4 } END { printf "%.2f", s }' "$tsv")
    grep -q "^$row,$(cat "$G/$id/results/gradlab-status")," "$G/gradebook.csv"
}
for id in alice bob carol dave frank; do
    check "the hand-made gradebook agrees with $id's gradlab.tsv" consistent "$id"
done

# ---- a run with the default output folder: beside the gradebook ----
R=$G/class-report
MD=$R/class-report.md
scripts/class-report.sh "$G" >"$TMP/run.log" 2>&1
rc=$?
check "class-report.sh exits 0 on the class" test "$rc" -eq 0
[[ $rc -eq 0 ]] || sed 's/^/        /' "$TMP/run.log"
check "the report is written beside the gradebook: grade-all/class-report/class-report.md" test -s "$MD"
cp "$MD" "$TMP/first.md"

# has TEXT: the report has this exact line
has() { grep -qxF -- "$1" "$MD"; }
# row NUMBER: the tests table's row of that test
row() { grep -E "^\| ${1//./\\.} \| " "$MD"; }
check "header: 6 students, 4 ok, 1 build-error, 1 error" \
    has "**6 students**: 4 graded (ok), 1 graded with a lab that does not build (build-error, that lab scores 0), 1 not graded (error)."
check "header: total mean 24, median 25 over the 5 graded" \
    has "Total over the 5 graded students, out of 40: mean 24, median 25, min 10, max 40."
check "lab 01: mean 13, median 10, min 10, max 20, 1 full marks, 0 zero" \
    has "| 01-knn | 20 | 13 | 10 | 10 | 20 | 1 | 0 |"
check "lab 02: mean 11, median 15, min 0, max 20, 1 full marks, 1 zero" \
    has "| 02-loss | 20 | 11 | 15 | 0 | 20 | 1 | 1 |"

order=$(grep -oE '^\| 0[12]\.[0-9] \|' "$MD" | tr -d '| ' | tr '\n' ' ')
check "tests worst first: 01.1 02.1 01.3 02.2 02.3 02.4 01.4 01.2 (got: $order)" \
    test "$order" = "01.1 02.1 01.3 02.2 02.3 02.4 01.4 01.2 "
check "the worst test, 01.1: 1/5 passed, 20 %, 4 failing, one FAIL message for the 4 (numbers as #) with a real example" \
    test "$(row 01.1)" = '| 01.1 | l2 distances | 01-knn | 5 | public | 1/5 | 20 % | 4 | FAIL (4): `distance # of #: expected #, got #`, e.g. `distance 3 of 10: expected 5, got 25` |'
check "02.1: 2/5, 40 %, 3 failing (one BUILD), TIMEOUT (2) grouped across 10.0 s" \
    test "$(row 02.1)" = '| 02.1 | softmax rows sum to one | 02-loss | 5 | public | 2/5 | 40 % | 3 | TIMEOUT (2): `no result within # s: an endless loop, or far too slow`, e.g. `no result within 10.0 s: an endless loop, or far too slow`; BUILD (1) |'
check "02.2: BUILD left out of the message, counted after it: EXIT (1) ...; BUILD (1)" \
    grep -qE '\| 3/5 \| 60 % \| 2 \| EXIT \(1\): .*; BUILD \(1\) \|$' <<<"$(row 02.2)"
check "01.3: 3/5, two TODO messages whose paths differ count as one, paths shortened" \
    test "$(row 01.3)" = '| 01.3 | majority vote with ties | 01-knn | 5 | public | 3/5 | 60 % | 2 | TODO (2): `knn_vote() is not written yet (knn.c:#)`, e.g. `knn_vote() is not written yet (knn.c:90)` |'
check "the line saying how a test called the function, and the hints, are not the message" \
    bash -c "! grep -qE 'called knn_distances_l2|HINT' '$MD'"
check "01.4 is hidden, CRASH (1), 4/5" \
    grep -qF '| 01.4 | predict on random data | 01-knn | 5 | hidden | 4/5 | 80 % | 1 | CRASH (1): ' <<<"$(row 01.4)"
check "01.2 passes for all: 5/5, 100 %, nothing failing" \
    test "$(row 01.2)" = '| 01.2 | l1 distances | 01-knn | 5 | public | 5/5 | 100 % | 0 | - |'
# a pipe in a message is escaped: the row keeps its 10 cell borders
pipes() { local r; r=$(row 02.3); r=${r//\\|/}; r=${r//[^|]/}; echo "${#r}"; }
check "02.3: a '|' in a message does not break the table ($(pipes) borders)" test "$(pipes)" -eq 10
check "02.3: the message's '<b>' stays text, in a code span" \
    grep -qF '`your code called system() \| not allowed <b>here</b>`' <<<"$(row 02.3)"

check "verdicts lab 01: FAIL 4 (4 students), TODO 2 (2), CRASH 1" \
    has "| 01-knn | 4 (4) | 2 (2) | 1 (1) | 0 | 0 | 0 | 0 | 0 |"
check "verdicts lab 02: TIMEOUT 2 (2), EXIT 1, FORBIDDEN 1, BUILD 4 (1 student), MISSING 1" \
    has "| 02-loss | 0 | 0 | 0 | 2 (2) | 1 (1) | 1 (1) | 4 (1) | 1 (1) |"
check "verdicts, all labs" has "| all labs | 4 (4) | 2 (2) | 1 (1) | 2 (2) | 1 (1) | 1 (1) | 4 (1) | 1 (1) |"
check "erin (error) is listed with the gradebook's detail" \
    has "| erin | the grader did not finish (status 124): its results file results.tsv is missing |"
check "dave (build-error) is listed with his total and detail" has "| dave | 10 | lab 02 does not build |"
check "nothing a student's code printed reaches the report" bash -c "! grep -q STUDENT-OUTPUT '$MD'"
check "a folder that is not in the gradebook (zed) is ignored" bash -c "! grep -qi zed '$MD'"

# ---- figures ----
# is_png FILE: starts with the PNG signature
is_png() { [[ -s $1 && $(head -c 8 "$1" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]]; }
# has_bin DAT LABEL COUNT: the .dat gives that bin that many students
has_bin() { awk -v b="$2" -v c="$3" '$1 == b { found = ($4 == c) } END { exit !found }' "$R/figures/$1.dat"; }
lab01_bins() { has_bin lab-01-knn 10-12 3 && has_bin lab-01-knn 14-16 1 && has_bin lab-01-knn 18-20 1 && has_bin lab-01-knn 0-2 0; }
check "lab 01's histogram data: 3 in 10-12, 1 in 14-16, 1 in 18-20, 0 in 0-2" lab01_bins
check "lab 01's histogram has 10 bins of 2 points" test "$(grep -vc '^#' "$R/figures/lab-01-knn.dat")" -eq 10
total_bins() { has_bin total 0-10 0 && has_bin total 10-20 2 && has_bin total 20-30 1 && has_bin total 30-40 2; }
check "the total's histogram: bins of 10, 2 in 10-20, 1 in 20-30, 2 in 30-40 (40 included)" total_bins
if command -v gnuplot >/dev/null 2>&1; then
    for f in total lab-01-knn lab-02-loss; do
        fig_ok() { is_png "$R/figures/$1.png" && [[ -s $R/figures/$1.dat && -s $R/figures/$1.gp ]]; }
        check "figures/$f.png is a PNG, with $f.dat and $f.gp beside it" fig_ok "$f"
        check "the report shows figures/$f.png" grep -qF "](figures/$f.png)" "$MD"
    done
    check "the report says how to draw a figure again" grep -qF 'cd figures && gnuplot NAME.gp' "$MD"
    rm -f "$R/figures/lab-02-loss.png"
    (cd "$R/figures" && gnuplot lab-02-loss.gp) >"$TMP/redraw.log" 2>&1
    check "cd figures && gnuplot lab-02-loss.gp draws it again" is_png "$R/figures/lab-02-loss.png"
else
    echo "  (gnuplot is not installed: the PNG checks are skipped; make deps installs it)"
fi

# ---- the same input, the same report; --out and the gradebook's own path ----
scripts/class-report.sh --out "$TMP/again" "$G/gradebook.csv" >/dev/null 2>&1
check "given gradebook.csv and --out, a second run writes the same report" cmp -s "$MD" "$TMP/again/class-report.md"
same_figs() { local f; for f in "$R"/figures/*.dat "$R"/figures/*.gp; do cmp -s "$f" "$TMP/again/figures/${f##*/}" || return 1; done; }
check "... and the same .dat and .gp files" same_figs

# ---- without gnuplot on PATH, into the folder that already holds PNGs ----
mkdir -p "$TMP/bin"
for t in bash sed dirname; do ln -s "$(command -v "$t")" "$TMP/bin/$t"; done
# python3 itself, not a wrapper (pyenv's shim needs more than this PATH)
ln -s "$(python3 -c 'import sys; print(sys.executable)')" "$TMP/bin/python3"
PATH=$TMP/bin scripts/class-report.sh --out "$TMP/again" "$G" >"$TMP/nognuplot.log" 2>&1
check "without gnuplot: exits 0" test $? -eq 0
check "without gnuplot: no PNG (the old ones are gone), every .dat and .gp kept" \
    bash -c "! ls '$TMP/again/figures/'*.png >/dev/null 2>&1 && [[ \$(ls '$TMP/again/figures/'*.dat '$TMP/again/figures/'*.gp | wc -l) -eq 6 ]]"
check "without gnuplot: the report says so and shows no image" \
    bash -c "grep -qF 'gnuplot is not installed, so the figures were not drawn' '$TMP/again/class-report.md' && ! grep -qF '![' '$TMP/again/class-report.md'"
check "without gnuplot: the run says so" grep -q 'gnuplot is not installed' "$TMP/nognuplot.log"
check "without gnuplot: the .dat files are the same" \
    bash -c "cmp -s '$R/figures/total.dat' '$TMP/again/figures/total.dat' && cmp -s '$R/figures/lab-01-knn.dat' '$TMP/again/figures/lab-01-knn.dat'"

# ---- make ----
rm -rf "$R"
make --no-print-directory -s _class-report GRADEBOOK="$G" >"$TMP/make.log" 2>&1
check "make class-report GRADEBOOK=dir writes dir/class-report/class-report.md (the same report)" \
    cmp -s "$TMP/first.md" "$R/class-report.md"
rm -rf "$R"
GRADE_ALL_OUT=$G make --no-print-directory -s _class-report >"$TMP/make2.log" 2>&1
check "make class-report reads \$GRADE_ALL_OUT by default" test -s "$R/class-report.md"

# ---- usage errors ----
scripts/class-report.sh >/dev/null 2>&1
check "no folder: exit 2" test $? -eq 2
scripts/class-report.sh "$TMP/nowhere" >/dev/null 2>&1
check "a folder without gradebook.csv: exit 2" test $? -eq 2
printf 'a,b\n1,2\n' >"$TMP/other.csv"
scripts/class-report.sh "$TMP/other.csv" >/dev/null 2>&1
check "a CSV that is not a gradebook: exit 2" test $? -eq 2

echo
sed -n '1,/^## Students not graded/p' "$MD" | sed 's/^/    /'
echo
echo "class-report: $passed passed, $failed failed ($((SECONDS - start))s)"
[[ $failed -eq 0 ]]
