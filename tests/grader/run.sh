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
for v in "$@"; do [[ $v == B=* ]] && B=${v#B=}; done
MAKE=(make --no-print-directory -s "${MAKEVARS[@]}")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gradlab-test-XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# Under AddressSanitizer, leak reports from test children that end on a failure are noise.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

passed=0
failed=0
ok()   { passed=$((passed + 1)); echo "  ok    $*"; }
bad()  { failed=$((failed + 1)); echo "  FAIL  $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

labs=$(ls -d labs/0*/ | xargs -n1 basename)

# grade TSV LOG [make args...]: runs the grader, keeps its exit status in $grade_rc
grade() {
    local tsv=$1 log=$2; shift 2
    rm -f "$tsv.rc"
    "${MAKE[@]}" _grade "$@" ARGS="--no-color --tsv $tsv" GRADE_RC="$tsv.rc" >"$log" 2>&1
    grade_rc=$(cat "$tsv.rc" 2>/dev/null || echo 99)   # 99: the grader did not build or run
}
# tsv_all TSV STATUS: every line has that status
tsv_all() { [[ -s $1 ]] && awk -F'\t' -v s="$2" '$1 != s { bad = 1 } END { exit bad }' "$1"; }

echo "== the grader's defences (tests/grader/selftest.c)"
start=$SECONDS
"$B/tests/grader-selftest" --no-color --tsv "$TMP/self.tsv" >"$TMP/self.log" 2>&1
self_rc=$?
self_time=$((SECONDS - start))
check "selftest: grader exits 1 and reports every test" test "$self_rc" -eq 1 -a "$(wc -l <"$TMP/self.tsv")" -eq "$(grep -cE -- '-> [A-Z]+", ' tests/grader/selftest.c)"
while IFS=$'\t' read -r status _ _ _ name; do
    check "selftest: $name (got $status)" test "$status" = "${name##*-> }"
done <"$TMP/self.tsv"
check "selftest: the whole hostile run took ${self_time}s (bound: 60s)" test "$self_time" -le 60
sleep 4   # the detached child would print after 3 s
check "selftest: nothing a test started is still running" test -z "$(pgrep -f grader-selftest)"
check "selftest: no late output reached the report" bash -c "! grep -q 'LATE OUTPUT' '$TMP/self.log'"
check "selftest: the fake report lines stayed inside their test's output" \
    bash -c "! grep -q '^  PASS    01 everything' '$TMP/self.log' && grep -q '| .*PASS    01 everything' '$TMP/self.log'"

echo "== grading the reference solutions"
grade "$TMP/sol.tsv" "$TMP/sol.log" SOLUTIONS=1
check "solutions: grader exits 0" test "$grade_rc" -eq 0
check "solutions: every test passes" tsv_all "$TMP/sol.tsv" PASS
for l in $labs; do
    n=${l%%-*}
    check "solutions: lab $n has tests" grep -q $'\t'"$n"$'\t' "$TMP/sol.tsv"
done
[[ $failed -eq 0 ]] || { echo "--- grader output ---"; grep -v '^  PASS' "$TMP/sol.log" | head -80; }

echo "== grading the untouched stubs"
grade "$TMP/stub.tsv" "$TMP/stub.log"
check "stubs: grader exits 1 (not a crash, not a build error)" test "$grade_rc" -eq 1
check "stubs: every test is TODO" tsv_all "$TMP/stub.tsv" TODO
check "stubs: the total is 0" awk -F'\t' '{ s += $3 } END { exit s != 0 }' "$TMP/stub.tsv"
check "stubs: same test list as the solutions" cmp -s <(cut -f2,4,5 "$TMP/sol.tsv") <(cut -f2,4,5 "$TMP/stub.tsv")

echo "== grading broken submissions"
for patch in tests/broken/*.patch; do
    [[ -e $patch ]] || continue
    name=$(basename "$patch" .patch)
    dir="$TMP/broken/$name"
    mkdir -p "$dir"
    cp -r solutions "$dir/src"
    if ! patch -s -p1 -d "$dir/src" <"$patch" >"$dir/patch.log" 2>&1; then
        bad "$name: the patch no longer applies to solutions/ ($(head -1 "$dir/patch.log"))"
        continue
    fi
    expect=$(sed -n 's/^expect-fail: *//p' "$patch" | head -1)
    lab=${name%%-*}
    grade "$dir/r.tsv" "$dir/r.log" LABSRC="$dir/src" VB="$dir/build"
    for fn in $expect; do
        check "$name: $fn loses points" \
            awk -F'\t' -v p="$lab $fn:" -v bad=0 'index($5, p) == 1 && $1 != "PASS" { bad = 1 } END { exit !bad }' "$dir/r.tsv"
    done
    check "$name: every other lab keeps full marks" \
        awk -F'\t' -v lab="$lab" '$2 != lab && $1 != "PASS" { bad = 1 } END { exit bad }' "$dir/r.tsv"
done

echo "== a lab that does not compile"
dir="$TMP/nocompile"
mkdir -p "$dir"
cp -r solutions "$dir/src"
first=$(echo "$labs" | head -1)
echo 'this is not C;' >>"$dir/src/$first/$(ls solutions/"$first" | head -1)"
grade "$dir/r.tsv" "$dir/r.log" LABSRC="$dir/src" VB="$dir/build"
n=${first%%-*}
check "no-compile: grader exits 2" test "$grade_rc" -eq 2
check "no-compile: lab $n is all BUILD" awk -F'\t' -v lab="$n" '$2 == lab && $1 != "BUILD" { bad = 1 } END { exit bad }' "$dir/r.tsv"
check "no-compile: other labs keep full marks" awk -F'\t' -v lab="$n" '$2 != lab && $1 != "PASS" { bad = 1 } END { exit bad }' "$dir/r.tsv"
check "no-compile: the report shows the compiler's error" grep -q "error" "$dir/r.log"

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
done

echo
echo "grader: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
