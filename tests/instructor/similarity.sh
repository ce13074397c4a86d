#!/usr/bin/env bash
# Tests scripts/similarity.sh (make similarity) on a class made from this repository's own
# files:
#   alice, bob  identical copies of solutions/: flagged for every lab at 100 %;
#   carol       solutions/ with the static helpers and several local variables renamed
#               and the comments replaced: flagged against alice for every lab;
#   dave        the untouched stubs, and for lab 03 an independent implementation
#               (tests/redteam/03-copy-release.c): never flagged;
#   erin        a .tar.gz of solutions/ laid out like the student release (labs/NN-name/),
#               with the stub as a decoy at the top of the archive: flagged against alice;
#   frank       the stubs re-indented, and no lab 05 file: never flagged, noted as missing.
# Also: the report says per lab how many students were compared; two untouched stubs (which
# sim_c alone finds 100 % alike) are not flagged; dave's lab 03 was compared, just below
# the threshold; a second run writes the same report; usage errors exit 2.
# Usage: tests/instructor/similarity.sh; KEEP=1 keeps the scratch folder.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

TMP=$(mktemp -d "${TMPDIR:-/tmp}/gradlab-similarity-test-XXXXXX")
if [[ ${KEEP:-0} == 1 ]]; then trap 'echo "scratch folder kept: $TMP"' EXIT; else trap 'rm -rf "$TMP"' EXIT; fi

# shellcheck source=tests/testlib.sh
source tests/testlib.sh
start=$SECONDS
threshold=60

echo "== make similarity: a class of six"
if ! command -v sim_c >/dev/null 2>&1; then
    echo "  sim_c is missing: run make deps (it installs similarity-tester)"
    echo "similarity: 0 passed, 1 failed"
    exit 1
fi

# The labs, as the script finds them: NN-name and the lab file.
lab_files=$(for d in labs/[0-9][0-9]-*/; do for f in "$d"*.c; do
                [[ -f include/$(basename "$f" .c).h ]] && echo "${f#labs/}"; done; done)
last_lab=$(echo "$lab_files" | tail -n 1)

C=$TMP/class
mkdir -p "$C"
for s in alice bob carol dave frank; do mkdir -p "$C/$s"; done
mkdir -p "$TMP/erin/labs"
while read -r f; do
    lab=$(dirname "$f") name=$(basename "$f")
    # alice and bob: the reference, flat in their folders.
    cp "solutions/$f" "$C/alice/$name"
    cp "solutions/$f" "$C/bob/$name"
    # carol: every static helper gets another name, so do a few common locals; the
    # comments go (the compiler strips them) and one of her own comes first.
    helpers=$(sed -n 's/^static[^(]*[ *]\([A-Za-z_][A-Za-z0-9_]*\)(.*/\1/p' "solutions/$f" | tr '\n' '|' | sed 's/|$//')
    {
        echo "/* $name: my own work */"
        perl -pe 's/\b('"${helpers:-no_helper_here}"')\b/my_$1/g;
                  s/(?<![.>])\b(i|j|n|sum|best|count|total|acc|row|col)\b/${1}_c/g' "solutions/$f" |
            cc -fpreprocessed -dD -E -P -x c -
    } >"$C/carol/$name"
    # dave: the stub (lab 03: his own code, below); frank: the stub re-indented.
    cp "labs/$f" "$C/dave/$name"
    [[ $f == "$last_lab" ]] || sed 's/^    /\t/' "labs/$f" >"$C/frank/$name"
    # erin: the student release's layout, with the untouched stub also at the top.
    mkdir -p "$TMP/erin/labs/$lab"
    cp "solutions/$f" "$TMP/erin/labs/$lab/$name"
done <<<"$lab_files"
cp tests/redteam/03-copy-release.c "$C/dave/gradcheck.c"
first=$(echo "$lab_files" | head -n 1)
cp "labs/$first" "$TMP/erin/$(basename "$first")"
tar -czf "$C/erin.tar.gz" -C "$TMP/erin" .
echo "not a submission" >"$C/notes.txt"
nstudents=6

# compiles DIR: every .c file in DIR compiles against gradlab's headers
compiles() { local f; for f in "$1"/*.c; do cc -std=c11 -D_GNU_SOURCE -Iinclude -fsyntax-only "$f" || return 1; done; }
check "carol's renamed files still compile (cc -fsyntax-only)" compiles "$C/carol"
# differs FILE: carol's copy of FILE is not the reference's text, and has renamed names
differs() { ! cmp -s "solutions/$1" "$C/carol/$(basename "$1")" && grep -qE 'my_|_c\b' "$C/carol/$(basename "$1")"; }
while read -r f; do
    check "carol's $(basename "$f") differs from the reference (names, comments)" differs "$f"
done <<<"$lab_files"
s1=$(sim_c -p -a -e -T "labs/$first" "$C/dave/$(basename "$first")" | grep -c 'consists for 100 %')
check "without taking the stub out, two untouched stubs are 100 % alike to sim_c ($s1 of 2 directions)" test "$s1" -eq 2

t0=$SECONDS
scripts/similarity.sh --out "$TMP/report.md" "$C" >"$TMP/run.log" 2>&1
rc=$?
took=$((SECONDS - t0))
check "scripts/similarity.sh exits 0 on the class (took ${took}s)" test "$rc" -eq 0
check "the report is written to --out and printed" grep -qF "$(sed -n 3p "$TMP/report.md")" "$TMP/run.log"
[[ $rc -eq 0 ]] || tail -n 20 "$TMP/run.log" | sed 's/^/        /'

# row LAB A B: the table row of that pair in that lab's section ("| a | b | x % | y % |")
row() {
    awk -v lab="## $1 " -v a="$2" -v b="$3" '
        index($0, "## ") == 1 { in_lab = index($0, lab) == 1 }
        in_lab && $0 ~ /^\| / { split($0, c, / *\| */); if (c[2] == a && c[3] == b) print }' "${TMP_REPORT:-$TMP/report.md}"
}
# pcts ROW: the row's two percentages ("< 60 %" counts as 0)
pcts() { awk -F' *[|] *' '{ for (i = 4; i <= 5; i++) { v = $i; sub(/ %$/, "", v); if (v ~ /^</) v = 0; printf "%d ", v } }' <<<"$1"; }
# at_least ROW MIN: both percentages (BOTH) or the larger (MAX) at least MIN
at_least() {
    local p; read -r -a p <<<"$(pcts "$2")"
    [[ ${#p[@]} -eq 2 ]] || return 1
    if [[ $1 == BOTH ]]; then (( p[0] >= $3 && p[1] >= $3 )); else (( p[0] >= $3 || p[1] >= $3 )); fi
}

while read -r f; do
    lab=$(dirname "$f") name=$(basename "$f")
    r=$(row "$lab" alice bob)
    # sim_c can leave the last few tokens of a file out of its runs: 99 % is possible.
    check "$lab: alice and bob (identical) flagged at ~100 % both ways: ${r:-not flagged}" at_least BOTH "$r" 98
    r=$(row "$lab" alice carol)
    check "$lab: alice and carol (renamed) flagged: ${r:-not flagged}" at_least BOTH "$r" "$threshold"
    r=$(row "$lab" alice erin)
    check "$lab: alice and erin (the archive) flagged: ${r:-not flagged}" at_least BOTH "$r" "$threshold"
    r=$(row "$lab" bob carol)
    check "$lab: bob and carol flagged too" at_least MAX "$r" "$threshold"
    expect=4
    [[ $f == */gradcheck.c ]] && expect=5     # dave's own lab 03
    check "$lab: the report says $expect students compared" \
        grep -qx "$expect students compared, $((expect * (expect - 1) / 2)) pairs: .*" \
        <(awk -v lab="## $lab " 'index($0, "## ") == 1 { in_lab = index($0, lab) == 1 } in_lab' "$TMP/report.md")
    if [[ $f != */gradcheck.c ]]; then
        check "$lab: dave's untouched stub is noted as the stub only" grep -qF "dave's $name is the stub's text only" "$TMP/report.md"
    fi
    if [[ $f != "$last_lab" ]]; then
        check "$lab: frank's re-indented stub is noted as the stub only" grep -qF "frank's $name is the stub's text only" "$TMP/report.md"
    fi
done <<<"$lab_files"
# never_flagged STUDENT: in no table row of the report
never_flagged() { ! grep -qE "^\| ([^|]*\| )?$1 \|" "$TMP/report.md"; }
check "dave is never flagged" never_flagged dave
check "frank is never flagged" never_flagged frank
check "frank's missing lab file is noted" grep -qF "frank has no $(basename "$last_lab")" "$TMP/report.md"
# erin_layout: for the first lab erin's archive has the stub at its top and her file
# under labs/NN-name/; the latter was compared
erin_layout() {
    local name; name=$(basename "$first")
    ! grep -qF "erin's $name is the stub" "$TMP/report.md" &&
        grep -qF "erin has several files named $name: compared erin.tar.gz:labs/$first, not erin.tar.gz:$name" "$TMP/report.md"
}
check "erin's archive: the file under labs/NN-name/ was compared, not the stub at its top" erin_layout
check "notes.txt is skipped with a note" grep -qF "notes.txt: skipped" "$TMP/report.md"
check "the header counts $nstudents students" grep -q ": $nstudents students\. " "$TMP/report.md"

# dave's lab 03 (counted among those compared above) shares no run of code with the
# reference long enough for sim_c (24 tokens): even at threshold 1 % there is no row, or
# one well under the threshold.
lab03=$(echo "$lab_files" | grep /gradcheck.c | xargs dirname)
scripts/similarity.sh --threshold 1 --out "$TMP/all.md" "$C" >/dev/null 2>&1
r=$(TMP_REPORT=$TMP/all.md row "$lab03" alice dave)
# below ROW: no row, or both percentages under the threshold
below() { [[ -z $1 ]] || ! at_least MAX "$1" "$threshold"; }
check "$lab03: dave's own gradcheck.c against alice's, at threshold 1 %: ${r:-nothing in common}" below "$r"

scripts/similarity.sh --out "$TMP/again.md" "$C" >/dev/null 2>&1
check "a second run writes the same report" cmp -s "$TMP/report.md" "$TMP/again.md"

scripts/similarity.sh >/dev/null 2>&1
check "no folder: exit 2" test $? -eq 2
scripts/similarity.sh --threshold 120 "$C" >/dev/null 2>&1
check "a threshold over 100: exit 2" test $? -eq 2

echo
sed 's/^/    /' "$TMP/report.md"
echo
echo "similarity: $passed passed, $failed failed ($((SECONDS - start))s)"
[[ $failed -eq 0 ]]
