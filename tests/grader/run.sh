#!/usr/bin/env bash
# Tests the grader by grading real trees:
#   1. solutions/ must score full marks;
#   2. the untouched stubs in labs/ must score 0 with every test TODO and nothing crashing;
#   3. every deliberately broken submission (tests/broken/*.patch) must lose points on the
#      functions it names, and only there: every other lab keeps full marks;
#   4. a lab that does not compile costs that lab only;
#   5. each experiment runs end to end on the solutions (--quick), and stops with a
#      friendly TODO line on the stubs.
# Usage: tests/grader/run.sh [make variables, e.g. B=build-san SAN=1] (make test runs it)
set -uo pipefail
cd "$(dirname "$0")/../.."

MAKEVARS=("$@")
B=build   # the build directory: the Makefile passes B=...
SAN=0
for v in "$@"; do
    [[ $v == B=* ]] && B=${v#B=}
    [[ $v == SAN=* ]] && SAN=${v#SAN=}
done
MAKE=(make --no-print-directory -s "${MAKEVARS[@]}")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gradlab-test-XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# Under AddressSanitizer, leak reports from test children that end on a failure are noise.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

# shellcheck source=tests/testlib.sh
source tests/testlib.sh

labs=$(ls -d labs/0*/ | xargs -n1 basename)

# grade TSV LOG [make args...]: runs the grader, keeps its exit status in $grade_rc
grade() {
    local tsv=$1 log=$2; shift 2
    rm -f "$tsv.rc"
    "${MAKE[@]}" _grade "$@" ARGS="--no-color --tsv $tsv ${ANSWERS:-} ${GRADE_EXTRA:-}" GRADE_RC="$tsv.rc" >"$log" 2>&1
    grade_rc=$(cat "$tsv.rc" 2>/dev/null || echo 99)   # 99: the grader did not build or run
}
# tsv_all TSV STATUS: every line has that status
tsv_all() { [[ -s $1 ]] && awk -F'\t' -v s="$2" '$1 != s { bad = 1 } END { exit bad }' "$1"; }

echo "== the grader's defences (tests/grader/selftest.c)"
start=$SECONDS
# The selftest binary plays a lab 01 that defines knn_distances_two_loops and a lab 02
# that defines nothing: the lists the build would write for them.
mkdir -p "$TMP/selfbuild/01-knn" "$TMP/selfbuild/02-loss"
echo knn_distances_two_loops >"$TMP/selfbuild/01-knn/knn.syms"
: >"$TMP/selfbuild/02-loss/loss.syms"
SELFTEST=("$B/tests/grader-selftest" --build-dir "$TMP/selfbuild")
"${SELFTEST[@]}" --no-color --tsv "$TMP/self.tsv" >"$TMP/self.log" 2>&1
self_rc=$?
self_time=$((SECONDS - start))
check "selftest: grader exits 1 and reports every test" test "$self_rc" -eq 1 -a "$(wc -l <"$TMP/self.tsv")" -eq "$(grep -cE -- '-> [A-Z]+", ' tests/grader/selftest.c)"
while IFS=$'\t' read -r status _ _ _ name; do
    check "selftest: $name (got $status)" test "$status" = "${name##*-> }"
done <"$TMP/self.tsv"
check "selftest: the whole hostile run took ${self_time}s (bound: 60s)" test "$self_time" -le 60
sleep 4   # the detached child would print after 3 s
check "selftest: nothing a test started is still running" test -z "$(pgrep -f "$TMP/selfbuild")"
check "selftest: no late output reached the report" bash -c "! grep -q 'LATE OUTPUT' '$TMP/self.log'"
check "selftest: the fake report lines stayed inside their test's output" \
    bash -c "! grep -qE '^  PASS +01 everything' '$TMP/self.log' && grep -q '| .*PASS    01 everything' '$TMP/self.log'"

# The run budget and a stop signal: the test running then is reported as interrupted,
# the rest as not run, and the report, the TSV and results.json still list every test.
"${SELFTEST[@]}" --no-color --budget 1.5 --tsv "$TMP/budget.tsv" --json "$TMP/budget.json" >"$TMP/budget.log" 2>&1
check "selftest --budget 1.5 (inside the second 1 s endless loop): exits 1, every test in the TSV and the JSON, one interrupted, the rest not run" \
    test $? -eq 1 -a "$(wc -l <"$TMP/budget.tsv")" -eq "$(wc -l <"$TMP/self.tsv")" \
    -a "$(grep -c 'interrupted during this test: the grader.s run budget' "$TMP/budget.log")" -eq 1 \
    -a "$(grep -c '"name"' "$TMP/budget.json")" -eq "$(wc -l <"$TMP/self.tsv")" \
    -a "$(grep -c 'not run: the grader.s run budget' "$TMP/budget.log")" -ge 1
"${SELFTEST[@]}" --no-color --tsv "$TMP/term.tsv" >"$TMP/term.log" 2>&1 &
term_pid=$!
sleep 1.5
kill -TERM "$term_pid"
wait "$term_pid"
term_rc=$?
check "selftest stopped by SIGTERM: exits 1 with the report, every test in the TSV, nothing left running" \
    test "$term_rc" -eq 1 -a "$(wc -l <"$TMP/term.tsv")" -eq "$(wc -l <"$TMP/self.tsv")" \
    -a "$(grep -c 'the grader received SIGTERM' "$TMP/term.log")" -ge 1 -a -z "$(pgrep -f "$TMP/term.tsv")"

echo "== grading the reference solutions"
grade "$TMP/sol.tsv" "$TMP/sol.log" SOLUTIONS=1
check "solutions: grader exits 0" test "$grade_rc" -eq 0
check "solutions: every test passes" tsv_all "$TMP/sol.tsv" PASS
for l in $labs; do
    n=${l%%-*}
    check "solutions: lab $n has tests" grep -q $'\t'"$n"$'\t' "$TMP/sol.tsv"
done
[[ $failed -eq 0 ]] || { echo "--- grader output ---"; grep -v '^  PASS' "$TMP/sol.log" | head -80; }
"${MAKE[@]}" _grade SOLUTIONS=1 ARGS="--no-color --autolab" 2>/dev/null | tail -1 >"$TMP/autolab.json"
check "solutions --autolab: the last line is Autolab's JSON, 20 points for each lab, 100 in all" \
    python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d["scoreboard"][0] == 100 and sorted(d["scores"]) == ["lab0%d" % i for i in range(1, 6)]
assert all(v == 20 for v in d["scores"].values())' "$TMP/autolab.json"

# The student release grades its public tests against answers recorded from the
# reference (grader/oracle.h). Record them, and grade the solutions that way too.
"${MAKE[@]}" _answers >"$TMP/answers.log" 2>&1
check "make _answers records the public tests' answers ($(tail -1 "$TMP/answers.log"))" test -s "$B/answers.gz"
ANSWERS="--answers $B/answers.gz"
"${MAKE[@]}" _grade SOLUTIONS=1 ARGS="--no-color --tsv $TMP/sol-replay.tsv $ANSWERS" >"$TMP/sol-replay.log" 2>&1
check "solutions, public tests replayed from the recorded answers: every test passes" tsv_all "$TMP/sol-replay.tsv" PASS
check "solutions, replayed: the same tests as with the reference" cmp -s <(cut -f2,4,5 "$TMP/sol.tsv") <(cut -f2,4,5 "$TMP/sol-replay.tsv")
if [[ $SAN != 1 ]]; then   # the same code path as above; under SAN=1 once is enough
    "${MAKE[@]}" _grade SOLUTIONS=1 ARGS="--no-color --seed 7 --tsv $TMP/sol-seed.tsv $ANSWERS" >"$TMP/sol-seed.log" 2>&1
    check "solutions, replayed with --seed 7: every test passes (public inputs do not follow --seed)" \
        tsv_all "$TMP/sol-seed.tsv" PASS
    # Workers come from each lab's zygote; without one (GRADLAB_NO_ZYGOTE=1, or a zygote
    # that does not answer) each starts from its program, with the same results.
    GRADLAB_NO_ZYGOTE=1 "${MAKE[@]}" _grade SOLUTIONS=1 ARGS="--no-color --tsv $TMP/sol-nozygote.tsv" >"$TMP/sol-nozygote.log" 2>&1
    check "solutions, every worker started from its program (GRADLAB_NO_ZYGOTE=1): every test passes" \
        tsv_all "$TMP/sol-nozygote.tsv" PASS
    check "solutions: no zygote or worker outlives the grader" test -z "$(workers_left "$B")"
fi

echo "== grading the untouched stubs"
grade "$TMP/stub.tsv" "$TMP/stub.log"
check "stubs: grader exits 1 (not a crash, not a build error)" test "$grade_rc" -eq 1
check "stubs: every test is TODO" tsv_all "$TMP/stub.tsv" TODO
check "stubs: the total is 0" awk -F'\t' '{ s += $3 } END { exit s != 0 }' "$TMP/stub.tsv"
check "stubs: same test list as the solutions" cmp -s <(cut -f2,4,5 "$TMP/sol.tsv") <(cut -f2,4,5 "$TMP/stub.tsv")

echo "== one test in one process, for gdb (--debug)"
"${MAKE[@]}" _grade SOLUTIONS=1 ARGS="--debug 'vote go to the smaller'" >"$TMP/dbg-sol.log" 2>&1
check "--debug on the solutions: PASS, and the gdb command to run it" \
    bash -c "grep -qx PASS '$TMP/dbg-sol.log' && grep -q \"gdb -q --args .*gradlab-debug --debug '01 knn_predict_labels: ties in the vote go to the smaller label'\" '$TMP/dbg-sol.log'"
"${MAKE[@]}" _grade ARGS="--debug 'knn_distances_l1'" >"$TMP/dbg-stub.log" 2>&1
check "--debug on the stubs: TODO, naming the function and the line" \
    bash -c "grep -qx TODO '$TMP/dbg-stub.log' && grep -q 'knn_distances_l1() is not written yet (labs/01-knn/knn.c:[0-9]*)' '$TMP/dbg-stub.log'"
"${MAKE[@]}" _grade ARGS="--debug 'no such test'" >"$TMP/dbg-none.log" 2>&1
check "--debug with a pattern nothing matches: says so" grep -q "no test matches" "$TMP/dbg-none.log"

# copy_solutions DIR: DIR/src is a copy of solutions/ and DIR/build starts from the
# objects already built for the solutions (timestamps kept), so grading a changed
# copy recompiles only the file that changed.
copy_solutions() {
    mkdir -p "$1/build"
    cp -rp solutions "$1/src"
    [[ -d $B/solutions/grade ]] && cp -rp "$B/solutions/grade" "$1/build/grade"
}

echo "== grading broken submissions"
for patch in tests/broken/*.patch; do
    [[ -e $patch ]] || continue
    name=$(basename "$patch" .patch)
    dir="$TMP/broken/$name"
    copy_solutions "$dir"
    if ! patch -s -p1 -d "$dir/src" <"$patch" >"$dir/patch.log" 2>&1; then
        bad "$name: the patch no longer applies to solutions/ ($(head -1 "$dir/patch.log"))"
        continue
    fi
    expect=$(sed -n 's/^expect-fail: *//p' "$patch" | head -1)
    lab=${name%%-*}
    # Under SAN=1 only the patched lab is graded: that the others keep full marks is the
    # same code path, checked without sanitizers.
    GRADE_EXTRA=$([[ $SAN == 1 ]] && echo "--lab $lab") grade "$dir/r.tsv" "$dir/r.log" LABSRC="$dir/src" VB="$dir/build"
    for fn in $expect; do
        check "$name: $fn loses points" \
            awk -F'\t' -v p="$lab $fn:" -v bad=0 'index($5, p) == 1 && $1 != "PASS" { bad = 1 } END { exit !bad }' "$dir/r.tsv"
    done
    [[ $SAN == 1 ]] || check "$name: every other lab keeps full marks" \
        awk -F'\t' -v lab="$lab" '$2 != lab && $1 != "PASS" { bad = 1 } END { exit bad }' "$dir/r.tsv"
done

# The same verdicts for other platforms (JUnit XML, PrairieLearn, GitHub Classroom), on a
# submission with a CRASH and FAILs, each checked against its format and the TSV.
dir=$TMP/broken/02-svm-null-dw-crash
"${MAKE[@]}" _grade LABSRC="$dir/src" VB="$dir/build" ARGS="--no-color --tsv $dir/f.tsv --junit $dir/f.xml \
    --prairielearn $dir/pl.json --github-classroom $dir/gc.json $ANSWERS" >"$dir/f.log" 2>&1
check "--junit: JUnit XML with a testsuite per lab, a testcase per test, <failure>/<error> as the TSV says" \
    python3 - "$dir/f.tsv" "$dir/f.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
root = ET.parse(sys.argv[2]).getroot()
assert root.tag == "testsuites" and int(root.get("tests")) == len(rows)
cases = root.findall("testsuite/testcase")
assert [c.get("name") for c in cases] == [r[4] for r in rows]
for c, r in zip(cases, rows):
    props = {p.get("name"): p.get("value") for p in c.findall("properties/property")}
    assert abs(float(props["points"]) - float(r[2])) < 1e-6 and props["status"] == r[0], (props, r)
    kind = [e.tag for e in c if e.tag in ("failure", "error")]
    want = [] if r[0] == "PASS" else ["failure"] if r[0] in ("FAIL", "TODO") else ["error"]
    assert kind == want, (r, kind)
assert any(r[0] == "CRASH" for r in rows) and int(root.get("errors")) > 0
PY
check "--prairielearn: gradable, score = points / max in [0, 1], a test per TSV line with its points" \
    python3 - "$dir/f.tsv" "$dir/pl.json" <<'PY'
import sys, json
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
d = json.load(open(sys.argv[2]))
assert d["gradable"] is True and set(d) >= {"score", "message", "tests"}
got, mx = sum(float(r[2]) for r in rows), sum(float(r[3]) for r in rows)
assert 0 <= d["score"] <= 1 and abs(d["score"] - got / mx) < 1e-6, (d["score"], got, mx)
assert [t["name"] for t in d["tests"]] == [r[4] for r in rows]
assert all(0 <= t["points"] <= t["max_points"] for t in d["tests"])
PY
check "--github-classroom: the reporter's runner result (version 1, per-test points summing to the TSV's), through base64 as the workflow passes it" \
    python3 - "$dir/f.tsv" "$dir/gc.json" <<'PY'
import sys, json, base64
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
d = json.loads(base64.b64decode(base64.b64encode(open(sys.argv[2], "rb").read())).decode("utf-8"))
assert d["version"] == 1 and d["status"] in ("pass", "fail", "error")
assert d["status"] == "fail"
assert abs(sum(t["score"] for t in d["tests"]) - sum(float(r[2]) for r in rows)) < 1e-6
assert abs(d["max_score"] - sum(float(r[3]) for r in rows)) < 1e-6
assert all(t["status"] in ("pass", "fail", "error") for t in d["tests"])
assert [t["status"] == "pass" for t in d["tests"]] == [r[0] == "PASS" for r in rows]
PY
check "the release's GitHub Classroom workflow is valid YAML that grades and hands the result to the reporter" \
    python3 - scripts/github/classroom.yml <<'PY'
import sys, yaml
w = yaml.safe_load(open(sys.argv[1]))
steps = w["jobs"]["run-autograding-tests"]["steps"]
run = " ".join(s.get("run", "") for s in steps)
assert "--github-classroom gradlab-classroom.json" in run and "base64 -w0 gradlab-classroom.json" in run
rep = [s for s in steps if "autograding-grading-reporter" in s.get("uses", "")]
assert rep and rep[0]["with"]["runners"] == "gradlab" and "GRADLAB_RESULTS" in rep[0]["env"]
PY

dir=$TMP/broken/02-softmax-log-of-exp
"${MAKE[@]}" _grade LABSRC="$dir/src" VB="$dir/build" ARGS="--debug 'softmax_loss_naive: scores offset' $ANSWERS" \
    >"$TMP/dbg-broken.log" 2>&1
check "--debug on a broken softmax: FAIL with the grader's message (got +Inf, the hint)" \
    bash -c "grep -qx FAIL '$TMP/dbg-broken.log' && grep -q 'expected 800.*got +Inf' '$TMP/dbg-broken.log' && grep -q 'HINT:' '$TMP/dbg-broken.log'"

echo "== hostile submissions (each graded under /usr/bin/time: bounds on time and memory)"
# hostile NAME LAB FUNCTION CODE STATUS REPORT-PATTERN
# Plants CODE in a copy of the solutions: as the first statement of FUNCTION in LAB's
# file, or appended to the file when FUNCTION is '-'. Then the tests of FUNCTION (of
# the whole lab for '-') must all have STATUS, every other lab keeps full marks, the
# report matches REPORT-PATTERN, the grader exits 0 (STATUS PASS), 2 (BUILD) or 1,
# and the run (build included) stays within 90 s and 1.5 GB peak resident memory
# for any one process.
hostile() {
    local name=$1 lab=$2 fn=$3 code=$4 status=$5 pattern=$6
    local dir="$TMP/hostile/$name" n=${2%%-*}
    copy_solutions "$dir"
    local file
    file="$dir/src/$lab/$(ls "solutions/$lab" | head -1)"
    if [[ $fn == - ]]; then
        printf '\n%s\n' "$code" >>"$file"
    else
        CODE=$code awk -v fn="$fn" '
            $0 ~ "^[a-z].*[ *]" fn "\\(" { infn = 1 }
            { print }
            infn && /^\{/ { print "    " ENVIRON["CODE"]; infn = 0 }' "$file" >"$file.new" && mv "$file.new" "$file"
    fi
    sed -i '1i #include <math.h>\n#include <signal.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <unistd.h>' "$file"
    local start=$SECONDS
    /usr/bin/time -f '%M' -o "$dir/maxrss" \
        "${MAKE[@]}" _grade LABSRC="$dir/src" VB="$dir/build" GRADE_RC="$dir/rc" \
        ARGS="--no-color --tsv $dir/r.tsv" >"$dir/r.log" 2>&1
    local took=$((SECONDS - start)) rss_mb=$(( $(tail -1 "$dir/maxrss" 2>/dev/null || echo 0) / 1024 ))
    local sel="$n $fn:"; [[ $fn == - ]] && sel="$n "
    check "$name: every '$sel' test is $status" \
        awk -F'\t' -v p="$sel" -v s="$status" 'index($5, p) == 1 { n++; if ($1 != s) bad = 1 } END { exit bad || !n }' "$dir/r.tsv"
    check "$name: every other lab keeps full marks" \
        awk -F'\t' -v lab="$n" '$2 != lab && $1 != "PASS" { bad = 1 } END { exit bad }' "$dir/r.tsv"
    check "$name: the report says '$pattern'" grep -qE -- "$pattern" "$dir/r.log"
    local want_rc=1 rc
    rc=$(cat "$dir/rc" 2>/dev/null || echo 99)
    case $status in PASS) want_rc=0 ;; BUILD) want_rc=2 ;; esac
    check "$name: grader exit $rc, ${took}s, peak ${rss_mb} MB (bounds: exit $want_rc, 90 s, 1536 MB)" \
        test "$rc" -eq "$want_rc" -a "$took" -le 90 -a "$rss_mb" -le 1536
    [[ -s $dir/r.tsv ]] || tail -20 "$dir/r.log"
}
# A global the header does not declare is made local to the lab's object: a C library
# function redefined in a lab file stands in for nothing outside it (the grader and the
# worker keep the real one), and the report says so under the lab's name.
hostile redefines-strcmp 01-knn - 'int strcmp(const char *a, const char *b) { (void)a; (void)b; return 0; }' \
    PASS "NOTE: 'strcmp' is global but not part of knn.h: graded as this file's own"
hostile redefines-memcmp 02-loss - 'int memcmp(const void *a, const void *b, size_t n) { (void)a; (void)b; (void)n; return 0; }' \
    PASS "NOTE: 'memcmp' is global"
hostile redefines-fabs 03-gradcheck - 'double fabs(double x) { (void)x; return 0.0; }' \
    PASS "NOTE: 'fabs' is global"
hostile defines-main 04-sgd - 'int main(void) { return 0; }' PASS "NOTE: main\(\) is defined here and ignored"
# An honest student's helper and counter without static: graded, with a note.
hostile helper-not-static 05-mlp - 'double mlp_helper_twice(double x) { return 2 * x; } int mlp_calls = 0;' \
    PASS "NOTE: 'mlp_helper_twice' is global but not part of mlp.h"
hostile calls-the-grader 05-mlp relu_backward 'extern unsigned long gt_seed(void); (void)gt_seed();' \
    BUILD "uses the grader's or Check's internals \\(gt_seed\\)"
hostile calls-fork 01-knn knn_predict_labels 'if (fork() == 0) _exit(0);' FORBIDDEN "FORBIDDEN .*|your code called (fork|clone)\(\)"
hostile kills-parent 05-mlp relu_forward 'kill(getppid(), 9);' FORBIDDEN "your code called (getppid|kill)\(\)"
hostile segfault 01-knn knn_distances_one_loop '*(volatile int *)8 = 1;' CRASH "segmentation fault|SIGSEGV|signal 11|runtime error"
hostile stack-overflow 02-loss svm_loss_naive \
    'double (*volatile self)(const Mat *, const Mat *, const int *, double, Mat *) = svm_loss_naive; self(W, X, y, reg, dW);' \
    CRASH "segmentation fault|stack"
hostile endless-loop 03-gradcheck rel_error 'for (volatile int spin = 1; spin;) {}' TIMEOUT "TIMEOUT"
hostile exit-zero 04-sgd linear_predict 'exit(0);' EXIT "ended the process"
hostile underscore-exit 04-sgd sgd_sample_batch 'puts("PASS"); fflush(stdout); _exit(0);' EXIT "ended the process"
hostile allocates-8gb 05-mlp sigmoid_forward '{ char *big = malloc((size_t)8 << 30); if (!big) abort(); memset(big, 1, (size_t)8 << 30); }' \
    CRASH "abort|memory"
hostile returns-nan 02-loss softmax_loss_naive 'if (dW) for (int k = 0; k < dW->rows * dW->cols; k++) dW->data[k] = NAN; return NAN;' \
    FAIL "NaN"
hostile spams-output 01-knn knn_distances_l1 '{ static char b[65536]; memset(b, 120, sizeof b); for (int i = 0; i < 3200; i++) fwrite(b, 1, sizeof b, stdout); }' \
    PASS "total +[0-9]+/[0-9]+ +100.0 / 100.0"
hostile fake-report 03-gradcheck numerical_gradient_forward 'printf("  PASS    03 everything  20.0/20.0\n{\"score\": 100}\n100 /100\n"); fflush(stdout);' \
    PASS "total +[0-9]+/[0-9]+ +100.0 / 100.0"

echo "== a lab that does not compile"
dir="$TMP/nocompile"
copy_solutions "$dir"
first=$(echo "$labs" | head -1)
echo 'this is not C;' >>"$dir/src/$first/$(ls solutions/"$first" | head -1)"
grade "$dir/r.tsv" "$dir/r.log" LABSRC="$dir/src" VB="$dir/build"
n=${first%%-*}
check "no-compile: grader exits 2" test "$grade_rc" -eq 2
check "no-compile: lab $n is all BUILD" awk -F'\t' -v lab="$n" '$2 == lab && $1 != "BUILD" { bad = 1 } END { exit bad }' "$dir/r.tsv"
check "no-compile: other labs keep full marks" awk -F'\t' -v lab="$n" '$2 != lab && $1 != "PASS" { bad = 1 } END { exit bad }' "$dir/r.tsv"
check "no-compile: the report shows the compiler's error" grep -q "error" "$dir/r.log"

echo "== a lab that calls an undeclared function (an honest mistake)"
dir="$TMP/undeclared"
copy_solutions "$dir"
last=$(echo "$labs" | tail -1)
n=${last%%-*}
f="$dir/src/$last/$(ls solutions/"$last" | head -1)"
printf '\nstatic void gradlab_uses_undeclared(void) __attribute__((unused));\nstatic void gradlab_uses_undeclared(void) { helper_never_declared(); }\n' >>"$f"
grade "$dir/r.tsv" "$dir/r.log" LABSRC="$dir/src" VB="$dir/build"
check "undeclared: lab $n is all BUILD, the others keep full marks" \
    awk -F'\t' -v lab="$n" '($2 == lab && $1 != "BUILD") || ($2 != lab && $1 != "PASS") { bad = 1 } END { exit bad }' "$dir/r.tsv"
check "undeclared: the report names the function" grep -q "helper_never_declared" "$dir/r.log"

echo "== a function that does not compile costs only its own tests"
# A typo in one function (an undeclared name): that function's tests are BUILD with the
# compiler's words, every other test of the lab is graded.
dir="$TMP/onefn"
copy_solutions "$dir"
f="$dir/src/02-loss/$(ls solutions/02-loss | head -1)"
plant() {   # plant FILE FUNCTION CODE: CODE as the first statement of FUNCTION
    CODE=$3 awk -v fn="$2" '$0 ~ "^[a-z].*[ *]" fn "\\(" { infn = 1 } { print }
        infn && /^\{/ { print "    " ENVIRON["CODE"]; infn = 0 }' "$1" >"$1.new" && mv "$1.new" "$1"
}
plant "$f" svm_loss_naive 'Mat *oops = mat_zeroes(1, 1); (void)oops;'
grade "$dir/r.tsv" "$dir/r.log" LABSRC="$dir/src" VB="$dir/build"
check "one function: every svm_loss_naive test is BUILD, every other test passes" \
    awk -F'\t' '{ bn = index($5, "02 svm_loss_naive:") == 1 } (bn && $1 != "BUILD") || (!bn && $1 != "PASS") { bad = 1 }
                END { exit bad }' "$dir/r.tsv"
check "one function: the report names it and shows the compiler's error" \
    bash -c "grep -q 'BUILD ERROR: svm_loss_naive() does not compile, so its tests score 0' '$dir/r.log' &&
             grep -q \"implicit declaration of function 'mat_zeroes'\" '$dir/r.log'"
check "one function: grader exits 1 (tests failed), not 2 (nothing built)" test "$grade_rc" -eq 1

# A changed signature: the function is left out; a function that calls it says why; a
# crash further down the file is still reported at its own line.
dir="$TMP/signature"
copy_solutions "$dir"
f="$dir/src/01-knn/$(ls solutions/01-knn | head -1)"
sed -i 's/^void knn_predict_labels(const Mat \*dists/void knn_predict_labels(Mat *dists/' "$f"
plant "$f" knn_distances_one_loop '*(volatile int *)8 = 1;'
crash_line=$(grep -n '(volatile int \*)8 = 1;' "$f" | cut -d: -f1)
grade "$dir/r.tsv" "$dir/r.log" LABSRC="$dir/src" VB="$dir/build"
check "signature: knn_predict_labels is BUILD (conflicting types), knn_cross_validate BUILD as it needs it" \
    bash -c "grep -q \"conflicting types for 'knn_predict_labels'\" '$dir/r.log' &&
             grep -q 'knn_predict_labels() cannot be built, and this test needs it' '$dir/r.log' &&
             awk -F'\t' '(\$5 ~ /^01 knn_(predict_labels|cross_validate):/) != (\$1 == \"BUILD\") { bad = 1 } END { exit bad }' '$dir/r.tsv'"
check "signature: a crash in another function is at its own line (knn.c:$crash_line)" \
    grep -q "knn_distances_one_loop() crashed at knn.c:$crash_line:" "$dir/r.log"
check "signature: the other labs keep full marks" awk -F'\t' '$2 != "01" && $1 != "PASS" { bad = 1 } END { exit bad }' "$dir/r.tsv"

# A typo that breaks the link (a prototype of a function defined nowhere, or another lab's
# function called directly) costs the functions that call it, no more.
dir="$TMP/linktypo"
copy_solutions "$dir"
f="$dir/src/04-sgd/$(ls solutions/04-sgd | head -1)"
sed -i '0,/^#include "linear.h"/s//#include "linear.h"\n#include "loss.h"\nvoid linear_helpr(void);/' "$f"
plant "$f" linear_predict 'if (!W) linear_helpr();'
plant "$f" linear_train 'if (!W) (void)svm_loss_vectorized(W, X, y, 0.0, NULL);'
grade "$dir/r.tsv" "$dir/r.log" LABSRC="$dir/src" VB="$dir/build"
check "link: linear_predict and linear_train are BUILD, the other lab 04 functions pass" \
    awk -F'\t' '$2 == "04" { b = $5 ~ /^04 linear_(predict|train):/ } $2 == "04" && b != ($1 == "BUILD") { bad = 1 }
                $2 != "04" && $1 != "PASS" { bad = 1 } END { exit bad }' "$dir/r.tsv"
check "link: the report names what is defined nowhere, and the linker's words" \
    bash -c "grep -q 'linear_predict() cannot be built: it calls linear_helpr(), which is defined nowhere in this lab' '$dir/r.log' &&
             grep -q 'linear_train() cannot be built: it calls svm_loss_vectorized(), which is defined nowhere' '$dir/r.log' &&
             grep -q \"undefined reference to .linear_helpr'\" '$dir/r.log'"

# A static helper that does not compile takes the functions that call it along, no more.
dir="$TMP/helper"
copy_solutions "$dir"
f="$dir/src/01-knn/$(ls solutions/01-knn | head -1)"
plant "$f" knn_check_shapes 'int unused_here = undeclared_thing;'
grade "$dir/r.tsv" "$dir/r.log" LABSRC="$dir/src" VB="$dir/build"
check "helper: the distance functions (they call knn_check_shapes) are BUILD, knn_predict_labels passes" \
    awk -F'\t' '$5 ~ /^01 knn_distances_/ && $1 != "BUILD" { bad = 1 } $5 ~ /^01 knn_predict_labels:/ && $1 != "PASS" { bad = 1 }
                END { exit bad }' "$dir/r.tsv"
check "helper: the report says which helper took them along" \
    grep -q "knn_distances_l1() cannot be built: it calls knn_check_shapes(), which does not compile" "$dir/r.log"

echo "== a lab whose build does not end (a file that makes the compiler work for minutes)"
dir="$TMP/slowbuild"
copy_solutions "$dir"
n=${first%%-*}
f="$dir/src/$first/$(ls solutions/"$first" | head -1)"
{
    echo '#define GL_X1 1,1,1,1,1,1,1,1'
    for i in 2 3 4 5 6 7 8; do
        p=GL_X$((i - 1))
        echo "#define GL_X$i $p,$p,$p,$p,$p,$p,$p,$p"
    done
    echo 'static const unsigned char gradlab_huge[] __attribute__((used)) = { GL_X8, GL_X8 };'
} >>"$f"
t0=$(date +%s)
GRADLAB_BUILD_TOOL_TIMEOUT=8 grade "$dir/r.tsv" "$dir/r.log" LABSRC="$dir/src" VB="$dir/build"
t1=$(date +%s)
check "slow build: lab $n is all BUILD, the others keep full marks" \
    awk -F'\t' -v lab="$n" '($2 == lab && $1 != "BUILD") || ($2 != lab && $1 != "PASS") { bad = 1 } END { exit bad }' "$dir/r.tsv"
check "slow build: the report says the build was stopped after 8 s" grep -q "stopped after 8 s" "$dir/r.log"
check "slow build: graded in $((t1 - t0)) s (the compile alone takes about 40 s here)" test $((t1 - t0)) -lt 30

echo "== experiments"
for l in $labs; do
    n=${l%%-*}
    out="$TMP/exp/$n"
    if "${MAKE[@]}" _run LAB="$n" SOLUTIONS=1 OUT="$out" ARGS=--quick >"$TMP/exp-$n.log" 2>&1; then
        ok "lab $n experiment runs on the solutions (--quick)"
    else
        bad "lab $n experiment runs on the solutions (--quick)"; tail -20 "$TMP/exp-$n.log"
    fi
    "${MAKE[@]}" _run LAB="$n" OUT="$out-stub" ARGS=--quick >"$TMP/exp-stub-$n.log" 2>&1
    check "lab $n experiment stops with a TODO line on the stubs" grep -q "TODO: .*is not written yet" "$TMP/exp-stub-$n.log"
    "${MAKE[@]}" _scratch LAB="$n" SOLUTIONS=1 >"$TMP/scratch-$n.log" 2>&1
    rc=$?
    check "lab $n scratch program runs on the solutions (make scratch)" \
        bash -c "[[ $rc -eq 0 && -s '$TMP/scratch-$n.log' ]] && ! grep -q TODO '$TMP/scratch-$n.log'"
    "${MAKE[@]}" _scratch LAB="$n" >"$TMP/scratch-stub-$n.log" 2>&1
    check "lab $n scratch program stops with a TODO line on the stubs" grep -q "TODO: .*is not written yet" "$TMP/scratch-stub-$n.log"
done
# A lab function that crashes: the experiment says so, names the part it was in and
# how to find the line (without SAN=1: under it AddressSanitizer reports instead).
if [[ $SAN != 1 ]]; then
    dir=$TMP/exp-crash
    copy_solutions "$dir"
    awk '{ print } /^void knn_distances_two_loops\(/ { f = 1 } f && /^\{/ { print "    { volatile int *p = 0; *p = 1; }"; f = 0 }' \
        solutions/01-knn/knn.c >"$dir/src/01-knn/knn.c"
    "${MAKE[@]}" _run LAB=01 LABSRC="$dir/src" VB="$dir/build" OUT="$dir/out" ARGS=--quick >"$dir/run.log" 2>&1
    check "an experiment whose lab function crashes names the part and says how to find the line" \
        bash -c "grep -q '01-knn: crashed with a segmentation fault .* during \"1. L2 distances' '$dir/run.log' &&
                 grep -q 'make run LAB=01 SAN=1' '$dir/run.log'"
    # The same in part 3, where the blocks run on two threads (par.h): knn_predict_labels
    # crashes on the thread that is not the main one (3000 training columns: only
    # --quick's test set; the main thread waits so that the other takes a block).
    awk 'NR == 1 { print "#include <sys/syscall.h>\n#include <unistd.h>" } { print }
         /^void knn_predict_labels\(/ { f = 1 }
         f && /^\{/ { print "    if (dists->cols == 3000 && syscall(SYS_gettid) != getpid()) { volatile int *p = 0; *p = 1; }";
                      print "    if (dists->cols == 3000) usleep(300000);"; f = 0 }' \
        solutions/01-knn/knn.c >"$dir/src/01-knn/knn.c"
    GRADLAB_THREADS=2 "${MAKE[@]}" _run LAB=01 LABSRC="$dir/src" VB="$dir/build" OUT="$dir/out" ARGS=--quick >"$dir/run3.log" 2>&1
    check "a lab function that crashes on a worker thread (lab 01's test-set blocks) gets the same report" \
        bash -c "grep -q '01-knn: crashed with a segmentation fault .* during \"3. the test set' '$dir/run3.log' &&
                 grep -q 'make run LAB=01 SAN=1' '$dir/run3.log'"
fi

echo
echo "grader: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
