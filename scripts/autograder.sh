#!/usr/bin/env bash
# autograder.sh - builds the Gradescope autograder: dist/autograder.zip (make autograder).
#
# The zip holds setup.sh and run_autograder at its top level (where Gradescope looks for
# them) and the instructor's gradlab tree: the Makefile, common/, include/, the grader
# with its public AND hidden tests, the reference solutions (hidden tests compare with
# them) and the lab stubs (used for a lab a student did not submit). It is private to
# Gradescope: never hand it to students. Build outputs are not shipped: setup.sh builds
# on Gradescope's machine.
#   scripts/autograder.sh [--out DIR] [--labs "NN ..."]     (default dist/, every lab)
#
# --labs (make autograder LAB=01, or LAB="01 02") makes the autograder of one Gradescope
# assignment per lab: dist/autograder-lab01.zip grades lab 01 only, and its report and
# notes mention no other lab. The list travels in the zip as the file gradlab-labs, and
# the seed of the test inputs (random, drawn here) as gradlab-seed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

out=dist
labs=
while [[ $# -gt 0 ]]; do
    case $1 in
        --out) out=${2:?--out needs a directory}; shift 2 ;;
        --labs) labs=${2?--labs needs lab numbers}; shift 2 ;;
        -h|--help) sed -n '2,14s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "autograder.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
done
# The labs, as two-digit numbers that exist: "1 3" -> "01 03".
sel=()
for l in $labs; do
    n=${l#lab}
    [[ $n =~ ^[0-9]{1,2}$ ]] || { echo "autograder.sh: '$l' is not a lab number" >&2; exit 2; }
    n=$(printf '%02d' "$((10#$n))")
    compgen -G "labs/$n-*" >/dev/null || { echo "autograder.sh: there is no lab $n (labs/$n-*)" >&2; exit 2; }
    sel+=("$n")
done
zipname=autograder
[[ ${#sel[@]} -gt 0 ]] && zipname=autograder-lab$(IFS=-; echo "${sel[*]}")

# Every lab needs its reference (for the hidden tests' ref_ objects and setup.sh's check).
missing=()
for stub in labs/[0-9][0-9]-*/*.c; do
    name=$(basename "$stub")
    [[ -f include/${name%.c}.h ]] || continue
    [[ -f solutions/${stub#labs/} ]] || missing+=("solutions/${stub#labs/}")
done
if [[ ${#missing[@]} -gt 0 ]]; then
    echo "autograder.sh: missing reference solutions: ${missing[*]}" >&2
    exit 1
fi
command -v zip >/dev/null || { echo "autograder.sh: zip is not installed (apt-get install zip, or make deps)" >&2; exit 1; }

stage=$out/$zipname
rm -rf "$stage" "$out/$zipname.zip"
mkdir -p "$stage/scripts"
# Sources only: no objects, no logs, nothing from build/.
copy_tree() {
    local dir=$1
    while IFS= read -r -d '' f; do
        mkdir -p "$stage/$(dirname "$f")"
        cp -p "$f" "$stage/$f"
    done < <(find "$dir" -type f \( -name '*.c' -o -name '*.h' -o -name '*.md' \) -print0)
}
for d in common include grader solutions labs; do copy_tree "$d"; done
cp -p Makefile "$stage/"
cp -p scripts/deps.sh scripts/build-lab.sh scripts/lab-symbols.sh scripts/lab-partial.sh scripts/gen-api.awk "$stage/scripts/"
cp -p grader/api.spec "$stage/grader/"
cp scripts/autograder/setup.sh scripts/autograder/run_autograder "$stage/"
chmod 755 "$stage/setup.sh" "$stage/run_autograder" "$stage/scripts/"*.sh
[[ ${#sel[@]} -gt 0 ]] && printf '%s\n' "${sel[@]}" >"$stage/gradlab-labs"
# The seed of this autograder's test inputs, public tests included: drawn now, so that the
# answers the student release records (for its own fixed inputs) say nothing of the
# inputs graded here, and the same for every submission to this assignment.
od -An -N4 -tu4 /dev/urandom | tr -d ' ' >"$stage/gradlab-seed"

(cd "$stage" && zip -q -r -X "../$zipname.zip" .)
nhidden=$(find "$stage/grader/tests/hidden" -name 'lab*.c' 2>/dev/null | wc -l)
echo "autograder: wrote $out/$zipname.zip ($(du -k "$out/$zipname.zip" | cut -f1) KB, $(find "$stage" -type f | wc -l) files:" \
     "$(find "$stage/solutions" -name "*.c" | wc -l) reference lab files, $nhidden hidden test files)"
[[ ${#sel[@]} -gt 0 ]] && echo "  it grades lab ${sel[*]} only: one Gradescope assignment per lab (docs/instructors.md)."
echo "  upload it in Gradescope: assignment > Configure Autograder > Zip file upload (base image: Ubuntu or Debian)."
echo "  It is private: it holds the solutions and the hidden tests."
