#!/usr/bin/env bash
# Tests scripts/add-function.sh and what scripts/check-api.sh watches (issue 14), in a copy
# of the sources (no build output):
#   1. refusals: an array without --count, a lab that does not exist, a name that does,
#      a type the generator does not know, a count that does not compile - each one line,
#      status 2, nothing changed;
#   2. two lab 01 functions scaffolded: knn_nearest_index (an int array, --count) and
#      knn_mean_distance (returns double); check-api passes and each place has them
#      (header, stub, solution, api.spec, ref_01.h, public test, handout);
#   3. the grader builds warning-free in its own build folder, the new tests say TODO on the
#      solutions and on the stubs (never PASS), the lab's points are reported as not 20, and
#      a written function still FAILs its placeholder test ("write this test");
#   4. each place taken away in turn (header line, stub, solution, api.spec line, ref_01.h
#      line, public test line, handout row), and two that disagree: check-api fails naming
#      that file.
# Usage: tests/instructor/add-function.sh; KEEP=1 keeps the scratch folder.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

TMP=$(mktemp -d "${TMPDIR:-/tmp}/gradlab-add-function-test-XXXXXX")
if [[ ${KEEP:-0} == 1 ]]; then trap 'echo "scratch folder kept: $TMP"' EXIT; else trap 'rm -rf "$TMP"' EXIT; fi

# shellcheck source=tests/testlib.sh
source tests/testlib.sh
start=$SECONDS

# The sources the scripts and the grader's build read; never build/.
W=$TMP/tree
mkdir -p "$W"
cp -r Makefile common include labs grader solutions scripts "$W/"
cd "$W" || exit 2
ADD=scripts/add-function.sh
API=scripts/check-api.sh
MAKE=(nice make --no-print-directory -s B="$W/build-test")
# snapshot: a checksum of every file of the copy (the build folder aside)
snapshot() { find . -path ./build-test -prune -o -type f -print0 | sort -z | xargs -0 md5sum | md5sum; }

# ------------------------------------------------------------------------------------
echo "== refusals: one line, status 2, nothing changed"
before=$(snapshot)
# refuses WHAT PATTERN ARGS...: add-function ARGS exits 2 with one line matching PATTERN.
refuses() {
    local what=$1 pattern=$2 out rc
    shift 2
    out=$("$ADD" "$@" 2>&1); rc=$?
    if [[ $rc -eq 2 && $(wc -l <<<"$out") -eq 1 ]] && grep -qE -- "$pattern" <<<"$out"; then
        ok "$what: $out"
    else
        bad "$what (status $rc): $out"
    fi
}
refuses "an int array without --count" "--count idx=EXPR" \
    01 'void knn_nearest_index(const Mat *X, const Mat *Q, int k, int *idx)'
refuses "a lab that does not exist" "no lab 09" 09 'void f9(const Mat *X)'
refuses "a name that exists" "knn_distances_l1 already exists \(include/knn.h\)" \
    01 'void knn_distances_l1(const Mat *X_train, const Mat *X_test, Mat *dists)'
refuses "a type gen-api.awk does not know" "does not know the type 'const float \*'" \
    01 'void knn_floats(const float *v, Mat *out)'
refuses "a prototype it cannot read" "cannot read" 01 'knn_nothing here'
refuses "a count that does not compile" "does not accept.*rowz" --count 'idx=Q->rowz' \
    01 'void knn_nearest_index(const Mat *X, const Mat *Q, int k, int *idx)'
refuses "a return type the sandbox cannot carry" "returns 'int'" 01 'int knn_count(const Mat *X)'
check "after the refusals the tree is unchanged" test "$(snapshot)" == "$before"

# ------------------------------------------------------------------------------------
echo "== two lab 01 functions scaffolded"
$ADD --count 'idx=Q->rows' 01 'void knn_nearest_index(const Mat *X, const Mat *Q, int k, int *idx)' \
    'index of the nearest row of X for each row of Q' >"$TMP/add1.log" 2>&1
check "add-function (int array, --count idx=Q->rows) succeeds" test $? -eq 0
$ADD 1 'double knn_mean_distance(const Mat *dists);' 'the mean of all distances' >"$TMP/add2.log" 2>&1
check "add-function (returns double) succeeds" test $? -eq 0
sed 's/^/        /' "$TMP/add1.log"
for f in include/knn.h labs/01-knn/knn.c solutions/01-knn/knn.c grader/api.spec grader/tests/hidden/ref_01.h \
         grader/tests/public/lab01_knn.c labs/01-knn/README.md; do
    check "its output names $f" grep -qF "$f" "$TMP/add1.log"
done
check "its output says what to do next (reference, tests, rebalance to 20, check-api)" \
    bash -c "grep -q 'write the reference' '$TMP/add1.log' && grep -q 'rebalance them to 20' '$TMP/add1.log' &&
             grep -q 'scripts/check-api.sh' '$TMP/add1.log'"
$API >"$TMP/api.log" 2>&1
check "check-api passes with both: $(tail -n 1 "$TMP/api.log")" test $? -eq 0

# body_has FILE FN TEXT: FN's definition in FILE has TEXT in its body.
body_has() {
    awk -v fn="$2" -v text="$3" '
        $0 ~ "^(void|double) " fn "\\(" && $0 !~ /;$/ { in_fn = 1 }
        in_fn && index($0, text) { found = 1 }
        in_fn && /^}/ { in_fn = 0 }
        END { exit !found }' "$1"
}
check "include/knn.h declares both, before its #endif" \
    bash -c "grep -qF 'void knn_nearest_index(const Mat *X, const Mat *Q, int k, int *idx);' include/knn.h &&
             grep -qF 'double knn_mean_distance(const Mat *dists);' include/knn.h &&
             [[ \$(grep -n 'knn_mean_distance' include/knn.h | tail -n 1 | cut -d: -f1) -lt \$(grep -n '^#endif' include/knn.h | cut -d: -f1) ]]"
check "the stubs reach LAB_TODO()" \
    bash -c "$(declare -f body_has); body_has labs/01-knn/knn.c knn_nearest_index 'LAB_TODO();' &&
             body_has labs/01-knn/knn.c knn_mean_distance 'LAB_TODO();'"
check "the reference skeletons reach LAB_TODO() and say the reference is to be written" \
    bash -c "$(declare -f body_has); body_has solutions/01-knn/knn.c knn_nearest_index 'LAB_TODO();' &&
             body_has solutions/01-knn/knn.c knn_mean_distance 'LAB_TODO();' &&
             grep -q 'TODO: the reference' solutions/01-knn/knn.c"
check "grader/api.spec lists both under lab 01, the array with its [count]" \
    bash -c "awk '\$1 == \"02\" { exit } { print }' grader/api.spec >'$TMP/spec01' &&
             grep -qxF '01  void knn_nearest_index(const Mat *X, const Mat *Q, int k, int *idx[Q->rows])' '$TMP/spec01' &&
             grep -qxF '01  double knn_mean_distance(const Mat *dists)' '$TMP/spec01'"
check "ref_01.h declares both under the ref_ prefix" \
    bash -c "grep -qF 'void ref_knn_nearest_index(const Mat *X, const Mat *Q, int k, int *idx);' grader/tests/hidden/ref_01.h &&
             grep -qF 'double ref_knn_mean_distance(const Mat *dists);' grader/tests/hidden/ref_01.h"
check "the public tests have a test of each, in the suite for 0.5 points" \
    bash -c "grep -qE '\"01 knn_nearest_index: [^\"]*\", 0.5, [0-9]+, test_knn_nearest_index_todo' grader/tests/public/lab01_knn.c &&
             grep -qE '\"01 knn_mean_distance: [^\"]*\", 0.5, [0-9]+, test_knn_mean_distance_todo' grader/tests/public/lab01_knn.c &&
             grep -q 'static void test_knn_mean_distance_todo(void)' grader/tests/public/lab01_knn.c"
check "the handout's table has a row for each" \
    bash -c "grep -qxF '| \`knn_nearest_index\` | index of the nearest row of X for each row of Q |' labs/01-knn/README.md &&
             grep -qxF '| \`knn_mean_distance\` | the mean of all distances |' labs/01-knn/README.md"

# ------------------------------------------------------------------------------------
echo "== the grader: builds, and the new tests say TODO until they are written"
t0=$SECONDS
"${MAKE[@]}" -j2 SOLUTIONS=1 _grade-build >"$TMP/build.log" 2>&1
check "the grader and the reference's workers build" test $? -eq 0
check "without a warning" bash -c "! grep -E 'warning:|error:' '$TMP/build.log'"
grep -E 'warning:|error:' "$TMP/build.log" | head -n 5 | sed 's/^/        /'
for t in knn_nearest_index knn_mean_distance; do
    "${MAKE[@]}" _grade SOLUTIONS=1 ARGS="--lab 01 --test $t --no-color" >"$TMP/grade-$t.log" 2>&1
    check "grading the solutions: the $t test says TODO, not PASS" \
        bash -c "grep -q 'TODO' '$TMP/grade-$t.log' && grep -q '0.0 / 0.5' '$TMP/grade-$t.log' && ! grep -q 'PASS' '$TMP/grade-$t.log'"
done
check "the grader warns that lab 01's tests no longer add up to 20" \
    grep -q "lab 01's tests add up to 21 points, not 20" "$TMP/grade-knn_mean_distance.log"
"${MAKE[@]}" -j2 _grade ARGS="--lab 01 --test knn_nearest_index --no-color --verbose" >"$TMP/grade-stub.log" 2>&1
check "grading the stubs: the new test says TODO" \
    bash -c "grep -q '^  TODO .*01 knn_nearest_index' '$TMP/grade-stub.log' && ! grep -q 'PASS' '$TMP/grade-stub.log'"
# A reference written, the placeholder test still fails: it cannot pass unnoticed.
perl -0pi -e 's/(double knn_mean_distance\(const Mat \*dists\)\n\{\n).*?\n\}/$1    return dists->data[0];\n}/s' \
    solutions/01-knn/knn.c
"${MAKE[@]}" _grade SOLUTIONS=1 ARGS="--lab 01 --test knn_mean_distance --no-color --verbose" >"$TMP/grade-written.log" 2>&1
check "once the function is written, its placeholder test FAILs with 'write this test'" \
    bash -c "grep -q '^  FAIL .*01 knn_mean_distance' '$TMP/grade-written.log' && grep -q 'write this test' '$TMP/grade-written.log'"
echo "  ($((SECONDS - t0))s)"

# ------------------------------------------------------------------------------------
echo "== check-api fails, naming the file, when a place is missing or disagrees"
# broken WHAT FILE PATTERN CMD...: CMD changes FILE; check-api must fail with a line that
# names FILE and matches PATTERN; then FILE is restored.
broken() {
    local what=$1 file=$2 pattern=$3 out rc
    shift 3
    cp "$file" "$TMP/saved"
    "$@" "$file"
    if cmp -s "$file" "$TMP/saved"; then
        bad "$what: the change to $file did nothing"
        return
    fi
    out=$($API 2>&1); rc=$?
    local line
    line=$(grep -F -- "$file" <<<"$out" | grep -E -m1 -- "$pattern")
    if [[ $rc -eq 1 && -n $line ]]; then ok "$what: $line"; else bad "$what (status $rc): $(head -n 3 <<<"$out")"; fi
    cp "$TMP/saved" "$file"
}
del_line() { local re=$1 f=$2; grep -vE -- "$re" "$f" >"$f.new"; mv "$f.new" "$f"; }
# del_fn NAME FILE: deletes NAME's definition (signature to closing brace).
del_fn() {
    awk -v fn="$1" '$0 ~ "^(void|double) " fn "\\(" { skip = 1 } !skip { print } skip && /^}/ { skip = 0 }' "$2" >"$2.new"
    mv "$2.new" "$2"
}
broken "the header's prototype" include/knn.h "knn_nearest_index" del_line '^void knn_nearest_index\('
broken "the stub" labs/01-knn/knn.c "knn_nearest_index.*no stub" del_fn knn_nearest_index
broken "the reference" solutions/01-knn/knn.c "knn_nearest_index.*no body" del_fn knn_nearest_index
broken "the api.spec line" grader/api.spec "knn_nearest_index.*missing" del_line '^01  void knn_nearest_index\('
broken "the ref_01.h line" grader/tests/hidden/ref_01.h "knn_nearest_index.*missing" del_line 'ref_knn_nearest_index\('
broken "the public test's line in GT_SUITE" grader/tests/public/lab01_knn.c "knn_nearest_index.*no public test" \
    del_line '"01 knn_nearest_index:'
broken "the handout's row" labs/01-knn/README.md "knn_nearest_index.*not in the table" del_line '^\| `knn_nearest_index`'
broken "api.spec disagrees (a double where the header has an int)" grader/api.spec "conflict.*knn_nearest_index" \
    sed -i 's/^\(01  void knn_nearest_index(.*\)int k/\1double k/'
broken "a public test names a function lab 01 does not have" grader/tests/public/lab01_knn.c \
    "knn_nearest_idx.*does not declare" sed -i 's/"01 knn_nearest_index:/"01 knn_nearest_idx:/'
$API >"$TMP/api.log" 2>&1
check "restored, check-api passes again" test $? -eq 0

echo
echo "add-function: $passed passed, $failed failed ($((SECONDS - start))s)"
[[ $failed -eq 0 ]]
