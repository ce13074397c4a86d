#!/usr/bin/env bash
# setup.sh - Gradescope runs this once, as root, when it builds the autograder's image
# (the zip is unpacked in /autograder/source). It installs gradlab's Debian packages,
# builds everything that does not depend on a submission, checks that the reference
# solutions get full marks (so a broken autograder fails here, at upload time, and not
# on the students), and locks the tree to other users: the students' code runs in the
# grader's sandbox, which opens no file, and as an unprivileged user besides.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# zip files do not always keep the executable bit.
chmod +x run_autograder scripts/*.sh
# All of gradlab's packages (make deps). Should one of them be missing from the image's
# distribution (the data set, gnuplot), grading needs only the compiler and libraries.
if ! bash scripts/deps.sh; then
    echo "setup.sh: make deps failed; installing only what grading needs"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends build-essential pkg-config check libsubunit-dev \
        libpng-dev zlib1g-dev libopenblas-dev libseccomp-dev binutils >/dev/null
fi

jobs=$(nproc 2>/dev/null || echo 2)
# An autograder for some labs only checks those (gradlab-labs, from make autograder LAB=NN).
check_args='--no-color'
[[ -f gradlab-labs ]] && for n in $(grep -E '^[0-9]{2}$' gradlab-labs); do check_args+=" --lab $n"; done
# ... with the inputs the students' submissions will get (gradlab-seed).
grep -qE '^[0-9]+$' gradlab-seed 2>/dev/null && check_args+=" --seed $(cat gradlab-seed)"
echo "setup.sh: building the grader and the reference objects"
make --no-print-directory -s -j"$jobs" B=build _grade SOLUTIONS=1 ARGS='--list' >build-list.log
echo "setup.sh: $(tail -n 1 build-list.log)"
rm -f build-list.log
echo "setup.sh: grading the reference solutions (every test must pass)"
if ! make --no-print-directory -s B=build _grade SOLUTIONS=1 ARGS="$check_args" >build-check.log 2>&1; then
    grep -v '^  PASS' build-check.log | tail -n 40
    echo "setup.sh: the reference solutions do not get full marks: this autograder is broken" >&2
    exit 1
fi
tail -n 1 build-check.log
rm -f build-check.log

# Nothing in here is for the students' code to read.
chmod -R go-rwx .
echo "setup.sh: ready"
