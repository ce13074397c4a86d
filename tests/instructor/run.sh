#!/usr/bin/env bash
# Tests the instructor workflow end to end (issue 5):
#   1. check-api: stubs, solutions and headers agree, and a drifted copy is caught;
#   2. make figures (QUICK=1): every lecture figure under its stable name, and without
#      gnuplot the .dat/.gp files, the libpng figures and the package to install;
#   3. make release: a fresh copy of the tarball builds and `make grade` runs the public
#      tests (all TODO; the solutions put in pass every one on the recorded answers;
#      --debug runs one in one process); a marker planted in a copy of every solution and hidden test is
#      absent from every file of a release built from that copy; a stub that is really
#      a solution stops the release;
#   4. make autograder: the zip unpacked into a simulated root (AUTOGRADER_ROOT), setup.sh,
#      then run_autograder on the solutions (full marks), the stubs as a release tarball
#      (zero), a submission that does not compile and a hostile one, each results.json
#      checked against Gradescope's schema (tests/instructor/check_results.py); written
#      answers kept for manual grading; the autograder of one lab (make autograder LAB=2);
#   5. make grade-all: a class of 7 (solutions, stubs, crashing, not compiling, hanging,
#      partially correct, hostile) into a gradebook that says the right thing for each,
#      and a re-run that skips what is done and grades again what is not;
#   6. scripts/add-function.sh (tests/instructor/add-function.sh): a new function in every
#      place, and check-api.sh naming each place removed; past one machine (tests/instructor/slurm.sh): a one-node Slurm cluster grades a
#      class in two shards and merges the gradebook;
#   7. make class-report (tests/instructor/class-report.sh) on a hand-made class;
#   8. make similarity (tests/instructor/similarity.sh): identical, renamed and archived
#      copies flagged, independent work and untouched stubs not.
# Usage: tests/instructor/run.sh [make variables, e.g. B=build] (make test runs it); KEEP=1
# keeps the scratch folder.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
ROOT_DIR=$(pwd)

MAKEVARS=("$@")
B=build
for v in "$@"; do [[ $v == B=* ]] && B=${v#B=}; done
MAKE=(nice make --no-print-directory -s "${MAKEVARS[@]}")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gradlab-instructor-XXXXXX")
# Run as root, run_autograder grades as the user nobody, who must reach the work trees.
chmod 755 "$TMP"
# KEEP=1 keeps the scratch folder (its path is printed) to look at what went wrong.
if [[ ${KEEP:-0} == 1 ]]; then trap 'echo "scratch folder kept: $TMP"' EXIT; else trap 'rm -rf "$TMP"' EXIT; fi
FIX=tests/instructor/fixtures
CHECK=(python3 tests/instructor/check_results.py)

# shellcheck source=tests/testlib.sh
source tests/testlib.sh
# quiet CMD...: runs CMD, showing its output only when it fails
quiet() { local out rc; out=$("$@" 2>&1); rc=$?; [[ $rc -eq 0 ]] || printf '%s\n' "$out" | tail -n 15 | sed 's/^/        /'; return $rc; }
start=$SECONDS
t0=$SECONDS
lap() { echo "  ($(( SECONDS - t0 ))s)"; t0=$SECONDS; }

# inject FILE FUNCTION SNIPPET: puts SNIPPET's lines first in FUNCTION's body in FILE.
inject() {
    awk -v fn="$2" -v snip="$3" '
        BEGIN { while ((getline l < snip) > 0) text = text l "\n" }
        !done && !want && /^[A-Za-z]/ && index($0, fn "(") && $0 !~ /;[[:space:]]*$/ { want = 1 }
        { print }
        want && !done && index($0, "{") { printf "%s", text; done = 1; want = 0 }
        END { if (!done) exit 1 }' "$1" >"$1.new" && mv "$1.new" "$1"
}
# src_copy DIR: the gradlab sources (no build output) copied to DIR
src_copy() {
    mkdir -p "$1"
    cp -r Makefile common include labs grader solutions data scripts "$1/"
}
lab_files=$(for d in labs/[0-9][0-9]-*/; do for f in "$d"*.c; do
                [[ -f include/$(basename "$f" .c).h ]] && echo "${f#labs/}"; done; done)
nlabs=$(echo "$lab_files" | wc -l)
full=$((nlabs * 20))

# ------------------------------------------------------------------------------------
echo "== check-api: stubs, solutions and headers"
check "check-api passes on this tree" quiet scripts/check-api.sh
# A copy of one lab (its header, stub and solution) is enough to show drift is caught.
f=$(echo "$lab_files" | head -n 1)
mkdir -p "$TMP/api/include" "$TMP/api/labs/$(dirname "$f")" "$TMP/api/solutions/$(dirname "$f")"
cp include/*.h "$TMP/api/include/"
cp "labs/$f" "$TMP/api/labs/$f"
cp "solutions/$f" "$TMP/api/solutions/$f"
# Drift: the first parameter of the stub's first function gets another name.
perl -0pi -e 's/^((?!static)\w[\w *]*?\w+\([^,)]*?)(\w+)([,)])/$1$2_renamed$3/m' "$TMP/api/labs/$f"
scripts/check-api.sh "$TMP/api" >"$TMP/api.log" 2>&1
check "check-api catches a stub whose signature drifted ($f)" grep -q "differs between the stub and the solution" "$TMP/api.log"
rm "$TMP/api/solutions/$f"
scripts/check-api.sh "$TMP/api" >"$TMP/api.log" 2>&1
check "check-api catches a missing solution" grep -q "has no solution" "$TMP/api.log"
"${MAKE[@]}" grade-solutions ARGS="--lab 01 --no-color" >"$TMP/gs.log" 2>&1
check "make grade-solutions ARGS='--lab 01 ...' passes" test $? -eq 0
lap

echo "== the mini data set"
MINI_FROM=/usr/share/datasets/fashion-mnist
if [[ -f $MINI_FROM/train-labels-idx1-ubyte.gz ]]; then
    # make mini-data writes into data/: the same program goes into a scratch folder here.
    check "make mini-data's recipe is the make_mini program" \
        bash -c "make --no-print-directory -n B='$B' mini-data | grep -q 'data/make_mini $MINI_FROM data/fashion-mnist-mini'"
    quiet "${MAKE[@]}" "$B/data/make_mini"
    "$B/data/make_mini" "$MINI_FROM" "$TMP/mini" >"$TMP/mini.log" 2>&1
    same=1
    for f in data/fashion-mnist-mini/*.gz; do
        cmp -s <(zcat "$f") <(zcat "$TMP/mini/$(basename "$f")") || same=0
    done
    check "the mini subset made again from the full set is the committed one" test $same -eq 1
else
    echo "  skip  the full Fashion-MNIST is not installed: the mini subset is not re-made"
fi
lap

# ------------------------------------------------------------------------------------
echo "== make figures (QUICK=1)"
"${MAKE[@]}" figures QUICK=1 FIGURES_DIR="$TMP/fig" >"$TMP/fig.log" 2>&1
fig_rc=$?
check "make figures QUICK=1 exits 0" test $fig_rc -eq 0
[[ $fig_rc -eq 0 ]] || tail -n 20 "$TMP/fig.log"
# The issue's figures, by their stable names, each lab's in a folder of its own (NN-name-quick/).
for name in knn_cross_validation loss_curves lr_reg_grid_svm lr_reg_grid_softmax weights_svm weights_softmax \
            loss_1d loss_2d_single loss_2d_mean gradcheck_error_vs_h mlp_loss mlp_accuracy mlp_first_layer; do
    check "figure $name.png is a PNG and is listed with what it shows" \
        bash -c "f=\$(ls '$TMP/fig'/[0-9][0-9]-*-quick/$name.png 2>/dev/null | head -1); [[ -n \$f ]] &&
                 [[ \$(head -c 8 \"\$f\" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] &&
                 grep -qE '^\\| \\[[0-9]{2}-[a-z]+-quick/$name.png\\]\\(' '$TMP/fig/index.md' &&
                 grep -qE '^  [0-9]{2}-[a-z]+-quick/$name.png +[^ ]' '$TMP/fig.log' &&
                 grep -q \"<img src=\\\"[0-9a-z-]*/$name.png\\\"\" '$TMP/fig/index.html'"
done
check "figures: every PNG in the lab folders is in the list" \
    bash -c "[[ \$(ls '$TMP/fig'/*/*.png | wc -l) -eq \$(grep -c '^| \\[' '$TMP/fig/index.md') ]]"
check "figures: the one page holds each lab's index.md (data set, values in use)" \
    bash -c "[[ \$(grep -c '^## [0-9][0-9]-[a-z]*: figures' '$TMP/fig/index.md') -eq \$(ls -d labs/0*/ | wc -l) ]] &&
             grep -q '^- values in use: ' '$TMP/fig/index.md'"
check "figures: plot scripts are in plots/, none beside the PNGs" \
    bash -c "ls '$TMP/fig'/04-sgd-quick/plots/loss_1d.gp >/dev/null && ! ls '$TMP/fig'/*/*.gp 2>/dev/null | grep -q ."
check "figures: the total time is printed" grep -qE '^figures: [0-9]+ figures from [0-9]+ experiments in [0-9]+s' "$TMP/fig.log"
# Without gnuplot: a PATH holding every program but gnuplot.
mkdir -p "$TMP/nognuplot"
for d in /usr/local/bin /usr/bin /bin /usr/sbin /sbin; do
    for p in "$d"/*; do
        n=${p##*/}
        [[ $n == gnuplot* || -e $TMP/nognuplot/$n ]] || ln -s "$p" "$TMP/nognuplot/$n"
    done
done
PATH=$TMP/nognuplot scripts/figures.sh B="$B" --quick --lab 05 --out "$TMP/fig-nogp" >"$TMP/fig-nogp.log" 2>&1
check "figures without gnuplot: exits 0" test $? -eq 0
check "figures without gnuplot: the line plots are kept as .dat + .gp in plots/, not drawn" \
    test -s "$TMP/fig-nogp/05-mlp-quick/plots/mlp_loss.dat" -a -s "$TMP/fig-nogp/05-mlp-quick/plots/mlp_loss.gp" \
         -a ! -e "$TMP/fig-nogp/05-mlp-quick/mlp_loss.png"
check "figures without gnuplot: the libpng figure is still written" test -s "$TMP/fig-nogp/05-mlp-quick/mlp_first_layer.png"
check "figures without gnuplot: says which package to install" grep -q "apt-get install gnuplot-nox" "$TMP/fig-nogp.log"
check "figures without gnuplot: the list says which plots were not drawn" \
    grep -qE '^  05-mlp-quick/mlp_loss.png .*not drawn: gnuplot missing; plots/mlp_loss.dat \+ .gp kept' "$TMP/fig-nogp.log"
lap

# ------------------------------------------------------------------------------------
echo "== make release"
quiet "${MAKE[@]}" release
check "make release writes the folder and the tarball" test -d dist/gradlab-student -a -s dist/gradlab-student.tar.gz
tarball=$TMP/gradlab-student.tar.gz
cp dist/gradlab-student.tar.gz "$tarball"
check "release: no solutions, hidden tests, reference headers, tests or docs in the tarball" \
    bash -c "! tar tzf '$tarball' | grep -E '/(solutions|hidden|tests/instructor|docs)(/|$)|ref_[0-9]+\.h|\.patch$'"
check "release: no object files or programs (only sources and the gzip'd data)" \
    bash -c "! tar tzf '$tarball' | grep -vE '/$|\.(c|h|md|sh|gz|awk|spec|yml)$|/Makefile$|/\.gitignore$'"
for lf in $lab_files; do
    check "release: has the stub labs/$lf and its handout" \
        bash -c "tar tzf '$tarball' | grep -qx 'gradlab-student/labs/$lf' && tar tzf '$tarball' | grep -qx 'gradlab-student/labs/$(dirname "$lf")/README.md'"
done
check "release: GitHub Classroom's workflow is at .github/workflows/classroom.yml" \
    bash -c "tar tzf '$tarball' | grep -qx 'gradlab-student/.github/workflows/classroom.yml'"
mkdir -p "$TMP/fresh"
tar xzf "$tarball" -C "$TMP/fresh"
rel=$TMP/fresh/gradlab-student
check "release README: says how to build, grade and which files to upload" \
    bash -c "grep -q 'make grade' '$rel/README.md' && grep -q 'Gradescope' '$rel/README.md' &&
             for f in $(echo $lab_files | tr '\n' ' '); do grep -q \"labs/\$f\" '$rel/README.md' || exit 1; done"
(cd "$rel" && nice make --no-print-directory -s B="$B" grade ARGS="--no-color --tsv $TMP/rel.tsv" GRADE_RC="$TMP/rel.rc") >"$TMP/rel.log" 2>&1
check "fresh release: make grade builds and exits 1 (points to earn, no build error)" test "$(cat "$TMP/rel.rc" 2>/dev/null)" = 1
[[ $(cat "$TMP/rel.rc" 2>/dev/null) == 1 ]] || tail -n 20 "$TMP/rel.log"
check "fresh release: every test is TODO" bash -c "[[ -s '$TMP/rel.tsv' ]] && ! grep -v '^TODO' '$TMP/rel.tsv'"
npublic=$("${MAKE[@]}" _grade SOLUTIONS=1 ARGS=--list 2>/dev/null | grep -c ' public ')
check "fresh release: runs exactly the $npublic public tests" test "$(wc -l <"$TMP/rel.tsv")" -eq "$npublic"
relbin=$(find "$rel/$B" -name gradlab-grade -type f | head -n 1)
check "fresh release: the grader has no reference or hidden-suite symbols" \
    bash -c "[[ -n '$relbin' ]] && ! nm '$relbin' | grep -E ' ref_| gt_suite_[0-9]+_hidden'"
# The release's public tests know the right answers only as data (grader/oracle.h):
# the reference, put where the stubs are, passes every one of them.
# A copy of the release as built (timestamps kept, so only the lab files are rebuilt).
mkdir -p "$TMP/fresh-sol"
cp -a "$rel" "$TMP/fresh-sol/"
relsol=$TMP/fresh-sol/gradlab-student
for lf in $lab_files; do cp "solutions/$lf" "$relsol/labs/$lf"; done
(cd "$relsol" && nice make --no-print-directory -s B="$B" grade ARGS="--no-color --tsv $TMP/rel-sol.tsv" GRADE_RC="$TMP/rel-sol.rc") >"$TMP/rel-sol.log" 2>&1
check "fresh release with the solutions in labs/: exits 0, all $npublic public tests pass on the recorded answers" \
    bash -c "[[ \$(cat '$TMP/rel-sol.rc') == 0 && \$(grep -c '^PASS' '$TMP/rel-sol.tsv') -eq $npublic ]]"
[[ $(cat "$TMP/rel-sol.rc" 2>/dev/null) == 0 ]] || grep -v '^  PASS' "$TMP/rel-sol.log" | head -30
check "fresh release: the answers are data, grader/tests/public/answers.gz" test -s "$rel/grader/tests/public/answers.gz"
(cd "$relsol" && nice make --no-print-directory -s B="$B" grade ARGS="--debug 'random distances with many ties'") >"$TMP/rel-dbg.log" 2>&1
check "fresh release: make grade ARGS=--debug runs one test in one process (PASS on the solutions)" \
    bash -c "grep -qx PASS '$TMP/rel-dbg.log' && grep -q 'gdb -q --args' '$TMP/rel-dbg.log'"
mv "$rel/grader/tests/public/answers.gz" "$TMP/answers.keep"   # the grader built there reads this one
(cd "$rel" && nice make --no-print-directory -s B="$B" grade ARGS="--no-color --lab 01") >"$TMP/rel-noans.log" 2>&1
mv "$TMP/answers.keep" "$rel/grader/tests/public/answers.gz"
check "release without its answers file: the tests that need it fail, saying which file to restore" \
    grep -q "recorded answers for the public tests, .*answers.gz, cannot be read" "$TMP/rel-noans.log"
(cd "$rel" && nice make --no-print-directory -s B="$B" grade ARGS=--list) >"$TMP/rel-list.log" 2>&1
check "fresh release: make grade ARGS=--list lists the $npublic public tests" grep -qx "$npublic tests" "$TMP/rel-list.log"
(cd "$rel" && make --no-print-directory help) >"$TMP/rel-help.log" 2>&1
check "fresh release: make help lists no instructor target" \
    bash -c "! grep -E 'make (grade-solutions|test|figures|release|autograder|grade-all|bench)\b|SOLUTIONS=1' '$TMP/rel-help.log'"
for t in figures grade-solutions test autograder; do
    (cd "$rel" && timeout 10 make --no-print-directory B="$B" $t) >"$TMP/rel-$t.log" 2>&1
    check "fresh release: make $t stops at once, saying it is for instructors" grep -q "for instructors" "$TMP/rel-$t.log"
done

# Planted markers: every solution, hidden test and reference header of a copy gets a
# unique string; none of it may reach any file of the release built from that copy.
mark="gradlab-leak-$$-$RANDOM$RANDOM"
src_copy "$TMP/plant"
while IFS= read -r f; do
    printf '/* %s-secret in %s */\n' "$mark" "$f" >>"$TMP/plant/$f"
done < <(find solutions grader/tests/hidden -type f \( -name '*.c' -o -name '*.h' \))
for lf in $lab_files; do printf '/* %s-stub */\n' "$mark" >>"$TMP/plant/labs/$lf"; done
scripts/release.sh --src "$TMP/plant" --out "$TMP/plant-dist" --answers "$B/answers.gz" >"$TMP/plant.log" 2>&1
check "planted copy: release.sh builds it" test $? -eq 0
mkdir -p "$TMP/plant-x"
tar xzf "$TMP/plant-dist/gradlab-student.tar.gz" -C "$TMP/plant-x"
check "planted copy: the stubs' marker is in the release (the scan sees the files)" \
    test "$(grep -rl -- "$mark-stub" "$TMP/plant-x" | wc -l)" -eq "$nlabs"
check "planted copy: no file of the tarball holds a solution's or hidden test's marker" \
    bash -c "! grep -rla -- '$mark-secret' '$TMP/plant-x' && ! zcat '$TMP/plant-dist/gradlab-student.tar.gz' | grep -qa -- '$mark-secret' &&
             ! find '$TMP/plant-x' -name '*.gz' -exec zgrep -la -- '$mark-secret' {} +"
f=$(echo "$lab_files" | head -n 1)
cp "$TMP/plant/solutions/$f" "$TMP/plant/labs/$f"
scripts/release.sh --src "$TMP/plant" --out "$TMP/plant-dist2" --answers "$B/answers.gz" >"$TMP/plant2.log" 2>&1
rc=$?
check "a stub replaced by its solution stops the release (status 1, names the file)" \
    bash -c "[[ $rc -eq 1 ]] && grep -q 'labs/$f' '$TMP/plant2.log' && [[ ! -e '$TMP/plant-dist2/gradlab-student.tar.gz' ]]"
lap

# ------------------------------------------------------------------------------------
echo "== make autograder, in a simulated Gradescope root"
quiet "${MAKE[@]}" autograder
zip=dist/autograder.zip
check "make autograder writes dist/autograder.zip" test -s "$zip"
check "autograder.zip: setup.sh and run_autograder at the top, executable" \
    bash -c "zipinfo '$zip' setup.sh run_autograder | grep -c '^-rwx' | grep -qx 2"
check "autograder.zip: holds the solutions and the hidden tests" \
    bash -c "zipinfo -1 '$zip' | grep -q '^solutions/' && zipinfo -1 '$zip' | grep -q '^grader/tests/hidden/'"
AG=$TMP/ag
mkdir -p "$AG/source"
unzip -q "$zip" -d "$AG/source"
(cd "$AG/source" && nice bash ./setup.sh) >"$TMP/setup.log" 2>&1
rc=$?
check "setup.sh builds, grades the reference with full marks, and ends ready" \
    bash -c "[[ $rc -eq 0 ]] && grep -q 'setup.sh: ready' '$TMP/setup.log'"
cp "$AG/source/run_autograder" "$AG/run_autograder"   # Gradescope's own step

# autograde NAME: grades $AG/submission; the results are kept in $TMP/ag-NAME/
autograde() {
    rm -rf "$AG/results" "$AG/work"
    AUTOGRADER_ROOT=$AG nice "$AG/run_autograder" >"$TMP/ag-$1.out" 2>&1
    ag_rc=$?
    mkdir -p "$TMP/ag-$1"
    cp -r "$AG/results/." "$TMP/ag-$1/" 2>/dev/null
}
# valid RESULTS [check_results options]: run_autograder exited 0 and its results pass
valid() {
    [[ $ag_rc -eq 0 ]] || { echo "        run_autograder exited $ag_rc"; return 1; }
    quiet "${CHECK[@]}" "$@"
}
new_submission() { rm -rf "$AG/submission"; mkdir -p "$AG/submission"; }
res() { echo "$TMP/ag-$1/results.json"; }

new_submission
for lf in $lab_files; do cp "solutions/$lf" "$AG/submission/"; done
mkdir -p "$AG/submission/02-loss"
{ cat labs/02-loss/ANSWERS.md; echo "The softmax keeps pushing: its loss is never exactly 0."; } \
    >"$AG/submission/02-loss/ANSWERS.md"
autograde solutions
check "solutions: run_autograder exits 0 and writes a valid results.json with full marks" \
    valid "$(res solutions)" --score $full --tsv "$TMP/ag-solutions/gradlab.tsv" --log "$TMP/ag-solutions/gradlab.log" --contains "lab 01"
check "solutions: every test passed" bash -c "! grep -q '\"status\": \"failed\"' '$(res solutions)'"
check "solutions: lab 02's written answers are noted and kept for manual grading (results/answers/)" \
    bash -c "grep -q 'written answers received for manual grading: lab 02 (' '$(res solutions)' &&
             grep -q 'never exactly 0' '$TMP/ag-solutions/answers/02-loss-ANSWERS.md'"
# What students see at once (the top-level output) says nothing of how hidden tests went.
check "solutions: the per-lab summary counts public tests only; hidden ones wait for publication" \
    python3 -c 'import json, sys
out = json.load(open(sys.argv[1]))["output"]
labs = [l for l in out.splitlines() if l.startswith("lab ")]
assert len(labs) == 5, labs
assert all("public tests" in l and "hidden tests," in l and "shown when grades are published" in l for l in labs), labs' "$(res solutions)"

new_submission
cp "$tarball" "$AG/submission/"
autograde stubs
check "stubs (the release tarball): valid results.json, score 0, the tarball was unpacked" \
    valid "$(res stubs)" --score 0 --tsv "$TMP/ag-stubs/gradlab.tsv" --log "$TMP/ag-stubs/gradlab.log" --contains "ignored"
check "stubs: every test is TODO" bash -c "! grep -v '^TODO' '$TMP/ag-stubs/gradlab.tsv'"
check "stubs: the release's ANSWERS.md files, unchanged, are noted as no answers yet" \
    grep -q 'ANSWERS.md is the file as given: no written answers for lab 01 yet' "$(res stubs)"

new_submission
f=$(echo "$lab_files" | head -n 1)
{ cat "solutions/$f"; echo 'this is not C;'; } >"$AG/submission/$(basename "$f")"
autograde nocompile
n=${f%%-*}
check "does not compile: valid results.json, score 0, the compiler's error in the lab's tests" \
    valid "$(res nocompile)" --score 0 --tsv "$TMP/ag-nocompile/gradlab.tsv" --log "$TMP/ag-nocompile/gradlab.log" \
        --contains "error:" --contains "did not compile" --lab "$n=0"
check "does not compile: status build-error" grep -qx build-error "$TMP/ag-nocompile/gradlab-status"

# Hostile: lab 01 a symlink to the solution (ignored) and, deeper, a knn.c whose assembly
# reads the solution with .incbin; lab 02 includes the solution (through -Iinclude with
# "../solutions/...", or by its absolute path); lab 03's rel_error forges results; lab 04
# is honest; lab 05's relu_forward calls system(); plus junk that must be ignored. The
# sandbox ends the forging and the shell command as FORBIDDEN: those functions' tests
# score 0, the rest of labs 03 and 05 are the reference's and score.
hostile() {   # hostile DIR SOURCE relative|absolute
    local d=$1 src=$2
    mkdir -p "$d/sub dir"
    ln -s "$src/solutions/01-knn/knn.c" "$d/knn.c"
    { printf '#include "knn.h"\n'
      printf '__asm__(".section .rodata\\n.inc" "bin \\"%s/solutions/01-knn/knn.c\\"\\n.previous\\n");\n' "$src"; } >"$d/sub dir/knn.c"
    if [[ $3 == relative ]]; then printf '#include "../solutions/02-loss/loss.c"\n' >"$d/loss.c"
    else printf '#include "%s/solutions/02-loss/loss.c"\n' "$src" >"$d/loss.c"; fi
    { printf '#include <stdio.h>\n#include <stdlib.h>\n'; cat solutions/03-gradcheck/gradcheck.c; } >"$d/gradcheck.c"
    inject "$d/gradcheck.c" rel_error "$FIX/forge.c.in"
    cp solutions/04-sgd/linear.c "$d/sub dir/linear.c"
    cp solutions/05-mlp/mlp.c "$d/mlp.c"
    inject "$d/mlp.c" relu_forward "$FIX/system.c.in"
    printf '#!/bin/sh\nrm -rf /\n' >"$d/\$(reboot).sh"
    echo "not a lab" >"$d/notes.txt"
}
new_submission
hostile "$AG/submission" "$AG/source" relative
rm -f /tmp/gradlab-instructor-test-pwned
autograde hostile
# lab 03 loses exactly rel_error's points (from the grader's own list); lab 05 loses
# relu_forward's and those of every function of the student's that calls it.
fn_points() { "${MAKE[@]}" _grade SOLUTIONS=1 ARGS=--list 2>/dev/null | awk -v p="$1" 'index($0, p) == 1 { s += $(NF - 3) } END { print s + 0 }'; }
lab03_hostile=$(awk -v p="$(fn_points '03 rel_error:')" 'BEGIN { print 20 - p }')
check "hostile: valid results.json; lab 04 and lab 03 but for rel_error score, the labs it copied score 0" \
    valid "$(res hostile)" --tsv "$TMP/ag-hostile/gradlab.tsv" --log "$TMP/ag-hostile/gradlab.log" \
        --lab 01=0 --lab 02=0 --lab 03="$lab03_hostile" --lab 04=20 --absent FORGED-BY-SUBMISSION
check "hostile: lab 05 loses the tests that reach system(), FORBIDDEN, and keeps the others" \
    awk -F'\t' '$2 == "05" { s += $3; if ($5 ~ /^05 relu_forward:/ && $1 != "FORBIDDEN") bad = 1 } END { exit bad || !(s > 0 && s < 20) }' \
        "$TMP/ag-hostile/gradlab.tsv"
check "hostile: the notes and results say why (symbolic link, .incbin, forbidden include, FORBIDDEN calls, ignored files)" \
    bash -c "grep -q 'symbolic link' '$(res hostile)' && grep -q 'assembly uses .incbin' '$(res hostile)' && grep -q 'may include only' '$(res hostile)' &&
             grep -q 'your code called open' '$(res hostile)' && grep -q 'your code called [a-z_0-9]*() during relu_forward' '$(res hostile)' && grep -q 'notes.txt' '$(res hostile)'"
check "hostile: no forged file reached the results folder" \
    bash -c "! grep -rq FORGED-BY-SUBMISSION '$TMP/ag-hostile'"
check "hostile: the shell command never ran" test ! -e /tmp/gradlab-instructor-test-pwned

# A typo in one function (knn_distances_l1 calls mat_nwe): the autograder builds lab 01
# without it, so the lab loses exactly that function's points.
new_submission
for lf in $lab_files; do cp "solutions/$lf" "$AG/submission/"; done
f="$AG/submission/knn.c"
awk '{ print } /^void knn_distances_l1\(/ { infn = 1 } infn && /^\{/ { print "    Mat *typo = mat_nwe(1, 1); (void)typo;"; infn = 0 }' \
    "solutions/01-knn/knn.c" >"$f"
autograde onefn
lab01_onefn=$(awk -v p="$(fn_points '01 knn_distances_l1:')" 'BEGIN { print 20 - p }')
check "one function does not compile: lab 01 scores $lab01_onefn (all but knn_distances_l1's points), the others full" \
    valid "$(res onefn)" --tsv "$TMP/ag-onefn/gradlab.tsv" --log "$TMP/ag-onefn/gradlab.log" \
        --lab 01="$lab01_onefn" --lab 02=20 --lab 03=20 --lab 04=20 --lab 05=20
check "one function does not compile: results.json shows the compiler's words for it" \
    bash -c "grep -q 'knn_distances_l1() cannot be built' '$(res onefn)' && grep -q \"implicit declaration of function 'mat_nwe'\" '$(res onefn)'"

# A lab file that includes its header by a path relative to the student's tree compiles
# here as it does at home.
new_submission
for lf in $lab_files; do cp "solutions/$lf" "$AG/submission/"; done
sed -i 's|^#include "knn.h"|#include "../../include/knn.h"|' "$AG/submission/knn.c"
autograde relinclude
check "relative include: knn.c includes \"../../include/knn.h\" (the student's tree's layout)" \
    grep -q '^#include "../../include/knn.h"' "$AG/submission/knn.c"
check "relative include: it builds and gets full marks" valid "$(res relinclude)" --score "$full"

# The inputs' seed follows the lab files: the same files, the same seed; other files, another.
seed_of() { grep -o 'seed [0-9]*' "$TMP/ag-$1/gradlab.log" | head -1; }
new_submission
for lf in $lab_files; do cp "solutions/$lf" "$AG/submission/"; done
autograde again
check "seeds: the same files get the same inputs ($(seed_of solutions) twice), changed files others ($(seed_of onefn))" \
    bash -c "[[ -n '$(seed_of solutions)' && '$(seed_of again)' == '$(seed_of solutions)' && '$(seed_of onefn)' != '$(seed_of solutions)' ]]"

# One assignment per lab: make autograder LAB=02 differs from the full zip only by the
# gradlab-labs file, so the tree already set up stands in for its own setup.sh.
quiet "${MAKE[@]}" autograder LAB=2
check "make autograder LAB=2 writes dist/autograder-lab02.zip, which names lab 02 only" \
    bash -c "[[ \$(unzip -p dist/autograder-lab02.zip gradlab-labs) == 02 ]]"
cp "$AG/source/run_autograder" "$AG/run_autograder"
unzip -p dist/autograder-lab02.zip gradlab-labs >"$AG/source/gradlab-labs"
new_submission
cp "solutions/02-loss/loss.c" "$AG/submission/"
autograde lab02
check "lab 02's autograder on loss.c alone: 20 points of 20, lab 02's tests only, no word of the other labs" \
    bash -c "python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d[\"score\"] == 20, d[\"score\"]
assert d[\"tests\"] and all(t[\"name\"].startswith(\"02 \") for t in d[\"tests\"])
assert sum(t[\"max_score\"] for t in d[\"tests\"]) == 20
out = d[\"output\"]
assert not any(w in out for w in (\"lab 01\", \"lab 03\", \"lab 04\", \"lab 05\", \"knn.c\", \"mlp.c\")), out' '$(res lab02)'"
rm -f "$AG/source/gradlab-labs"
lap

# ------------------------------------------------------------------------------------
echo "== make grade-all: a class of 7"
S=$TMP/subs
mkdir -p "$S/alice" "$S/carol" "$S/dave" "$S/erin" "$S/frank" "$S/grace hostile"
cp -r solutions "$S/alice/labs"                                       # the labs/ layout
cp "$tarball" "$S/bob.tar.gz"                                         # the untouched release
for lf in $lab_files; do cp "solutions/$lf" "$S/carol/"; cp "solutions/$lf" "$S/dave/"; cp "solutions/$lf" "$S/erin/"; done
inject "$S/carol/knn.c" knn_predict_labels "$FIX/crash.c.in"          # crashes
echo 'this is not C;' >>"$S/dave/loss.c"                              # does not compile
inject "$S/erin/knn.c" knn_distances_l1 "$FIX/hang.c.in"              # hangs
cp solutions/01-knn/knn.c solutions/03-gradcheck/gradcheck.c "$S/frank/"   # partly done,
mkdir -p "$TMP/frank"
cp -r solutions/02-loss "$TMP/frank/"
patch -s -p1 -d "$TMP/frank" <tests/broken/02-softmax-no-mean.patch || bad "the partial submission's patch no longer applies"
cp "$TMP/frank/02-loss/loss.c" "$S/frank/"
cp solutions/05-mlp/mlp.c "$S/frank/MLP.c"                            # and one file misnamed
(cd "$S/frank" && zip -q ../frank.zip ./*.c) && rm -rf "$S/frank"
hostile "$S/grace hostile" "$ROOT_DIR" absolute
echo "not a submission" >"$S/README.txt"

GRADE_ALL_OUT=$TMP/batch "${MAKE[@]}" grade-all SUBMISSIONS="$S" JOBS=2 >"$TMP/batch.log" 2>&1
check "make grade-all finishes (status 0)" test $? -eq 0
csv=$TMP/batch/gradebook.csv
check "grade-all: skipped the stray file, said so" grep -q "skipping README.txt" "$TMP/batch.log"
python3 - "$csv" "$TMP/batch" >"$TMP/csv-check.log" 2>&1 <<'EOF'
import csv, json, sys
rows = {r["student"]: r for r in csv.DictReader(open(sys.argv[1]))}
labs = [k for k in next(iter(rows.values())).keys() if k[:2].isdigit()]
# student: per-lab expectation ("20", "0", "<20", "part": strictly between), status
want = {
    "alice": (["20"] * 5, "ok"),
    "bob": (["0"] * 5, "ok"),
    "carol": (["<20", "20", "20", "20", "20"], "ok"),
    "dave": (["20", "0", "20", "20", "20"], "build-error"),
    "erin": (["<20", "20", "20", "20", "20"], "ok"),
    "frank": (["20", "part", "20", "0", "0"], "ok"),
    "grace_hostile": (["0", "0", "part", "20", "part"], "build-error"),
}
bad = 0
def fail(msg):
    global bad
    bad = 1
    print(msg)
if sorted(rows) != sorted(want):
    fail(f"students {sorted(rows)}, expected {sorted(want)}")
for sid, (per_lab, status) in want.items():
    r = rows.get(sid)
    if not r:
        continue
    for lab, w in zip(labs, per_lab):
        v = float(r[lab])
        good = {"20": v == 20, "0": v == 0, "<20": v < 20, "part": 0 < v < 20}[w]
        if not good:
            fail(f"{sid}: {lab} = {v}, expected {w}")
    if r["status"] != status:
        fail(f"{sid}: status {r['status']}, expected {status} ({r['detail']})")
    total = sum(float(r[l]) for l in labs)
    if abs(total - float(r["total"])) > 0.01 or float(r["max"]) != 20 * len(labs):
        fail(f"{sid}: total {r['total']} / max {r['max']} do not add up")
    res = json.load(open(f"{sys.argv[2]}/{sid}/results/results.json"))
    if abs(res["score"] - float(r["total"])) > 0.01:
        fail(f"{sid}: CSV total {r['total']} but results.json says {res['score']}")
if rows.get("dave") and "lab 02 does not build" not in rows["dave"]["detail"]:
    fail("dave: the detail does not say lab 02 does not build")
print("gradebook ok" if not bad else "gradebook wrong")
sys.exit(bad)
EOF
check "grade-all: the gradebook has the right scores and status for each of the 7" test $? -eq 0
grep -v '^gradebook ok' "$TMP/csv-check.log" | sed 's/^/        /'
check "grade-all: the gradebook's notes column says what the autograder told frank (did you mean frank.zip:MLP.c?)" \
    python3 -c 'import csv, sys
rows = {r["student"]: r for r in csv.DictReader(open(sys.argv[1]))}
n = rows["frank"]["notes"]
assert "no mlp.c in the submission" in n and "did you mean frank.zip:MLP.c? (rename it mlp.c)" in n, n
assert rows["alice"]["notes"] == "" or "ignored" not in rows["alice"]["notes"], rows["alice"]["notes"]' "$csv"
check "grade-all: the crash shows as CRASH, the endless loop as TIMEOUT" \
    bash -c "grep -q '^CRASH' '$TMP/batch/carol/results/gradlab.tsv' && grep -q '^TIMEOUT' '$TMP/batch/erin/results/gradlab.tsv'"
for d in "$TMP"/batch/*/; do
    id=$(basename "$d")
    check "grade-all: $id's results.json follows the schema" quiet "${CHECK[@]}" "$d/results/results.json" \
        --tsv "$d/results/gradlab.tsv" --log "$d/results/gradlab.log"
done
cp "$csv" "$TMP/gradebook.first"
GRADE_ALL_OUT=$TMP/batch "${MAKE[@]}" grade-all SUBMISSIONS="$S" JOBS=2 >"$TMP/batch2.log" 2>&1
check "grade-all re-run: skips all 7, same gradebook" \
    bash -c "[[ \$(grep -c '  skipped ' '$TMP/batch2.log') -eq 7 ]] && cmp -s '$csv' '$TMP/gradebook.first'"
rm -f "$TMP/batch/bob/results/results.json"                         # as if interrupted
GRADE_ALL_OUT=$TMP/batch "${MAKE[@]}" grade-all SUBMISSIONS="$S" JOBS=2 >"$TMP/batch3.log" 2>&1
check "grade-all re-run after an interruption: grades only that student again" \
    bash -c "[[ \$(grep -c '  skipped ' '$TMP/batch3.log') -eq 6 ]] && grep -q '  graded   bob' '$TMP/batch3.log' && cmp -s '$csv' '$TMP/gradebook.first'"

# Gradescope's export (folders named by submission_metadata.yml) and a Canvas roster.
G=$TMP/gs-export
mkdir -p "$G/submission_111" "$G/submission_222"
cp solutions/01-knn/knn.c "$G/submission_111/"
cp labs/02-loss/loss.c "$G/submission_222/"
cat >"$G/submission_metadata.yml" <<'YML'
---
submission_111:
  :submitters:
  - :name: Ada Lovelace
    :sid: 'S111'
    :email: ada@example.edu
  :created_at: 2026-11-20 10:00:00.000000000 -08:00
  :score: 0.0
submission_222:
  :submitters:
  - :name: Alan Turing
    :sid: ''
    :email: alan@example.edu
  :created_at: 2026-11-21 11:00:00.000000000 -08:00
YML
cat >"$TMP/roster.csv" <<'CSV'
Student,ID,SIS User ID,SIS Login ID,Section,Lab 01 (4242)
    Points Possible,,,,,20.00
"Lovelace, Ada",1001,S111,ada@example.edu,Section A,
"Hopper, Grace",1002,S333,grace@example.edu,Section A,
CSV
GRADE_ALL_OUT=$TMP/gs-out "${MAKE[@]}" grade-all SUBMISSIONS="$G" CANVAS="$TMP/roster.csv" JOBS=2 >"$TMP/gs.log" 2>&1
check "grade-all on Gradescope's export: students named by the metadata's SID, else e-mail" \
    bash -c "grep -q '^S111,20.00,' '$TMP/gs-out/gradebook.csv' && grep -q '^alan@example.edu,' '$TMP/gs-out/gradebook.csv' &&
             ! grep -q 'skipping submission_metadata.yml' '$TMP/gs.log'"
check "grade-all CANVAS=roster.csv: Canvas's import format, Ada matched, Grace without a submission, Alan not on the roster" \
    python3 - "$TMP/gs-out/canvas-gradebook.csv" "$TMP/gs.log" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"], rows[0]
assert rows[0][5:] == [f"gradlab lab 0{i}" for i in range(1, 6)], rows[0]
assert rows[1][0].strip() == "Points Possible" and rows[1][5:] == ["20.00"] * 5
ada = next(r for r in rows if r[2] == "S111")
assert ada[0] == "Lovelace, Ada" and ada[5] == "20.00" and ada[6] == "0.00", ada
grace = next(r for r in rows if r[2] == "S333")
assert grace[5:] == [""] * 5, grace
log = open(sys.argv[2]).read()
assert "1 students matched, 1 on the roster without a submission, 1 submissions not on the roster: alan@example.edu" in log, log
PY
lap

# subsuite NAME [ARGS]: runs tests/instructor/NAME.sh, one check for its closing line,
# and its failures shown when there are any.
subsuite() {
    local name=$1 rc
    shift
    "tests/instructor/$name.sh" "$@" >"$TMP/$name.log" 2>&1
    rc=$?
    check "tests/instructor/$name.sh: $(tail -n 1 "$TMP/$name.log")" test "$rc" -eq 0
    [[ $rc -eq 0 ]] || grep -E '  FAIL' "$TMP/$name.log" | head -20
}

# ------------------------------------------------------------------------------------
echo "== scripts/add-function.sh: a new lab function in every place, check-api names each one missing"
subsuite add-function
lap

# ------------------------------------------------------------------------------------
echo "== past one machine: a one-node Slurm cluster grades a class in 2 shards, then merges"
subsuite slurm B="$B"
lap

# ------------------------------------------------------------------------------------
echo "== make class-report: pass rates, failure messages, verdicts, grade distributions"
subsuite class-report
lap

# ------------------------------------------------------------------------------------
echo "== make similarity: identical, renamed, archived and independent submissions"
subsuite similarity
lap

echo
echo "instructor: $passed passed, $failed failed ($((SECONDS - start))s)"
[[ $failed -eq 0 ]]
