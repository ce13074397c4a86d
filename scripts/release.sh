#!/usr/bin/env bash
# release.sh - the student release: dist/gradlab-student/ and dist/gradlab-student.tar.gz
# (make release).
#
#   scripts/release.sh [--src DIR] [--out DIR] [--answers FILE]
#
# --src is the gradlab tree to release (default: this one; tests/instructor/run.sh passes
# a copy with planted markers), --out where to write (default DIR/dist), --answers the
# public tests' answers recorded from the reference (default: make _answers in DIR, which
# grades the solutions with --record-answers). They go in as grader/tests/public/answers.gz:
# the release's public tests compare with them, so it needs no code that computes a lab
# function (grader/oracle.h).
#
# What goes in is a list of what students need, never "everything but the secrets":
#   Makefile, common/, include/, labs/ (stubs, experiments, handouts), data/ (the mini
#   subset, its README and make_mini.c), grader/ (with its sandbox, grader/worker/, and
#   grader/api.spec) with grader/tests/public/ only and the recorded answers, scripts/deps.sh, build-lab.sh,
#   lab-symbols.sh, lab-partial.sh, unclash-labs.sh and gen-api.awk (the Makefile runs them), scripts/student-README.md
#   as README.md, and scripts/github/classroom.yml as .github/workflows/classroom.yml
#   (GitHub Classroom's autograding).
# No solutions/, no grader/tests/hidden/, no tests/, no docs/, no build output: sources only,
# so no object file can carry a reference symbol. Before packing, the release is checked:
# no instructor-only path, no binary, no copy of a solution or hidden test, no mention of a
# hidden suite or a ref_ function, a LAB_TODO() in every lab file. A leak stops it (status 1).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

src=$here
out=
answers=
while [[ $# -gt 0 ]]; do
    case $1 in
        --src) src=${2:?--src needs a directory}; shift 2 ;;
        --out) out=${2:?--out needs a directory}; shift 2 ;;
        --answers) answers=${2:?--answers needs a file}; shift 2 ;;
        -h|--help) sed -n '2,24s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "release.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
done
[[ -z $answers ]] || answers=$(realpath -m -- "$answers")
src=$(cd "$src" && pwd)
out=${out:-$src/dist}
mkdir -p "$out"
out=$(cd "$out" && pwd)
name=gradlab-student
stage=$out/$name
cd "$src"

for need in Makefile common include labs grader/tests/public grader/worker grader/api.spec \
            data/fashion-mnist-mini scripts/deps.sh scripts/build-lab.sh scripts/lab-symbols.sh scripts/lab-partial.sh scripts/unclash-labs.sh \
            scripts/gen-api.awk scripts/student-README.md scripts/github/classroom.yml; do
    [[ -e $need ]] || { echo "release.sh: $src/$need is missing" >&2; exit 1; }
done

if [[ -z $answers ]]; then
    make -C "$src" --no-print-directory -s _answers || { echo "release.sh: could not record the public tests' answers" >&2; exit 1; }
    answers=$src/build/answers.gz
fi
[[ -s $answers ]] && gzip -t "$answers" 2>/dev/null || { echo "release.sh: $answers is not a gzip'd answers file" >&2; exit 1; }

rm -rf "$stage" "$out/$name.tar.gz"
mkdir -p "$stage"

# put FILE...: copies each file to the same path in the release.
put() {
    local f
    for f in "$@"; do
        mkdir -p "$stage/$(dirname "$f")"
        cp -p "$f" "$stage/$f"
    done
}
# sources DIR [maxdepth]: the C, header and Markdown files under DIR, sorted
sources() {
    find "$1" ${2:+-maxdepth "$2"} -type f \( -name '*.c' -o -name '*.h' -o -name '*.md' \) | LC_ALL=C sort
}

mapfile -t files < <(
    echo Makefile
    sources common
    sources include
    sources labs
    sources grader 1
    sources grader/worker
    echo grader/api.spec
    sources grader/tests/public
    echo data/make_mini.c
    [[ -f data/README.md ]] && echo data/README.md
    find data/fashion-mnist-mini -type f -name '*.gz' | LC_ALL=C sort
    echo scripts/deps.sh
    echo scripts/build-lab.sh
    echo scripts/lab-symbols.sh
    echo scripts/lab-partial.sh
    echo scripts/unclash-labs.sh
    echo scripts/gen-api.awk
)
put "${files[@]}"
cp -p scripts/student-README.md "$stage/README.md"
cp "$answers" "$stage/grader/tests/public/answers.gz"
# GitHub Classroom: a repository made from the release grades itself on every push.
mkdir -p "$stage/.github/workflows"
cp scripts/github/classroom.yml "$stage/.github/workflows/classroom.yml"
printf '/build/\n/build-san/\n/out/\n*.o\n*.d\n' >"$stage/.gitignore"
chmod 755 "$stage/scripts/"*.sh

# ---- the leak checks ----
# check_release: prints one line per leak and returns 1 when there is any.
check_release() {
    local bad=0 f g
    # Nothing from the instructors' side by name.
    while IFS= read -r f; do
        echo "release.sh: instructor-only file in the release: ${f#"$stage"/}"; bad=1
    done < <(find "$stage" \( -path '*/solutions*' -o -path '*/hidden*' -o -name 'ref_*' -o -path "$stage/tests*" \
                              -o -path "$stage/docs*" -o -name '*.patch' \) -print)
    # No object, archive or program of any kind: only text sources and the gzip'd data.
    while IFS= read -r f; do
        case $f in *.gz) continue ;; esac
        if LC_ALL=C grep -qP '\x00' "$f" 2>/dev/null || [[ $(head -c 4 "$f" | od -An -c | tr -d ' ') == 177ELF ]]; then
            echo "release.sh: binary file in the release: ${f#"$stage"/}"; bad=1
        fi
    done < <(find "$stage" -type f)
    # No file whose content is a solution's or a hidden test's (renamed or not).
    declare -A secret=()
    while IFS= read -r g; do
        secret[$(sha256sum <"$g" | cut -d' ' -f1)]=$g
    done < <(find solutions grader/tests/hidden -type f 2>/dev/null)
    while IFS= read -r f; do
        local h
        h=$(sha256sum <"$f" | cut -d' ' -f1)
        if [[ -n ${secret[$h]:-} ]]; then
            echo "release.sh: ${f#"$stage"/} is a copy of ${secret[$h]}"; bad=1
        fi
    done < <(find "$stage" -type f)
    # The hidden suites and the reference prototypes are not mentioned in any source.
    if grep -rlE 'GT_SUITE\(gt_suite_[0-9]+_hidden|#[[:space:]]*include[[:space:]]*"ref_|\bref_[a-z_]+[[:space:]]*\(' "$stage" \
            --include='*.c' --include='*.h' >"$out/.leaks" 2>/dev/null; then
        while IFS= read -r f; do echo "release.sh: ${f#"$stage"/} refers to hidden tests or reference code"; done <"$out/.leaks"
        bad=1
    fi
    rm -f "$out/.leaks"
    # A solution body that was pasted into a stub: every lab function's stub is LAB_TODO().
    for f in "$stage"/labs/[0-9][0-9]-*/*.c; do
        g=include/$(basename "$f" .c).h
        [[ -f $g ]] || continue
        if ! grep -q 'LAB_TODO();' "$f"; then
            echo "release.sh: ${f#"$stage"/} has no LAB_TODO(): is it a solution?"; bad=1
        fi
    done
    return $bad
}
if ! check_release; then
    echo "release.sh: the release leaks instructor material: not packed (see above)" >&2
    exit 1
fi

# ---- pack: the same sources give the same tarball (sorted, fixed owner and time) ----
stamp=$(git -C "$src" log -1 --format=%ct 2>/dev/null || date +%s)
tar -C "$out" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$stamp" \
    -czf "$out/$name.tar.gz.tmp" "$name"
mv -f "$out/$name.tar.gz.tmp" "$out/$name.tar.gz"

nlabs=$(find "$stage/labs" -mindepth 1 -maxdepth 1 -type d | wc -l)
ntests=$(find "$stage/grader/tests/public" -name '*.c' | wc -l)
echo "release: wrote $out/$name/ and $out/$name.tar.gz ($(du -k "$out/$name.tar.gz" | cut -f1) KB," \
     "$(find "$stage" -type f | wc -l) files: $nlabs labs, $ntests public test files, no solutions, no hidden tests)"
echo "  check it with: tar xzf $out/$name.tar.gz && cd $name && make grade   (every test TODO)"
