#!/usr/bin/env bash
# similarity.sh - compares every pair of submissions, lab by lab, for code they share
# (make similarity).
#
#   scripts/similarity.sh [--threshold PCT] [--out FILE] SUBMISSIONS
#
# SUBMISSIONS holds one entry per student, exactly as make grade-all takes them: a folder
# (the lab files anywhere in it) or an archive (.tar.gz, .tgz, .tar, .tar.xz, .zip); the
# student id is the entry's name without the archive extension. Archives are unpacked into
# a scratch folder with a time and size limit, without owners, and links are dropped (as
# scripts/autograder/run_autograder does); an archive inside a folder is unpacked too.
# A lab file is found by its name (knn.c, loss.c, ...: labs/NN-name/F.c where include/F.h
# exists); when a student has several, the one in a folder named like the lab (01-knn/)
# wins, else the shallowest.
#
# The comparison is Debian's similarity-tester (sim_c, `man sim_c`): it reads C as tokens,
# so layout, comments, identifiers and the values of numbers and strings do not count:
# renaming variables or rewriting comments does not hide a copy. Each pair is compared on
# its own, both ways (sim_c -p -a -e), with sim_c's default minimum run of 24 tokens (-r):
# only stretches of at least 24 tokens in the same order count. "A in B" is the share of
# A's tokens found in B; it is not symmetric (a short file can be 100 % in a long one).
#
# The stub's own text is taken out first: every student starts from the same stub, and
# its function headers and #include lines would otherwise make all of them look alike.
# The rule is deliberately simple: comments are stripped from both files (cc
# -fpreprocessed, which removes comments and expands nothing), then every line of the
# student's file that, trimmed of surrounding whitespace, is also a line of the stub is
# dropped, wherever it is (so a `{` or `}` line goes too: both sides of a copy lose the
# same lines). A file with nothing left (the stub, untouched or with only its comments or
# layout changed) is noted, not compared.
#
# The report (Markdown, written to --out, default dist/similarity.md, and printed): per
# lab, the pairs where either percentage is at least --threshold (default 60), with both
# percentages, the highest first; how many students and pairs were compared; a note for
# each student without that lab's file or with only the stub. sim_c reports nothing
# under the threshold, so a direction below it shows as "< PCT %". A flagged pair is a
# reason to read the two files side by side, not a verdict.
# Exit status: 0 when the comparison ran (whatever it found), 1 when sim_c is missing or
# fails, 2 on a usage error.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

threshold=60
out=$root/dist/similarity.md
run=24   # sim_c's minimum run length in tokens (its default for C)
usage() { sed -n '5p' "$0" | sed 's/^# *//'; }
while [[ $# -gt 0 ]]; do
    case $1 in
        --threshold) threshold=${2:?--threshold needs a percentage}; shift 2 ;;
        --out) out=${2:?--out needs a file name}; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
        -*) echo "similarity: unknown option '$1'" >&2; usage >&2; exit 2 ;;
        *) break ;;
    esac
done
if [[ $# -ne 1 || ! -d ${1:-} ]]; then
    if [[ $# -eq 1 ]]; then echo "similarity: $1 is not a folder" >&2
    else echo "similarity: say which one folder holds the submissions" >&2; fi
    usage >&2
    exit 2
fi
if ! [[ $threshold =~ ^[0-9]+$ ]] || (( 10#$threshold < 1 || 10#$threshold > 100 )); then
    echo "similarity: --threshold wants a percentage from 1 to 100, not '$threshold'" >&2
    exit 2
fi
threshold=$((10#$threshold))
if ! command -v sim_c >/dev/null 2>&1; then
    echo "similarity: sim_c is not installed (Debian package similarity-tester): run make deps" >&2
    exit 1
fi
subs=$(cd "$1" && pwd)
[[ $out == /* ]] || out=$PWD/$out
mkdir -p "$(dirname "$out")"
start=$SECONDS

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gradlab-similarity-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# ---- the labs: labs/NN-name/F.c where include/F.h is the lab's header ----
labs=()
declare -A lab_of=() file_of=()   # knn.c -> 01-knn, 01-knn -> knn.c
for d in "$root"/labs/[0-9][0-9]-*/; do
    d=${d%/}
    for f in "$d"/*.c; do
        [[ -e $f ]] || continue
        name=$(basename "$f")
        if [[ -f $root/include/${name%.c}.h ]]; then
            lab_of[$name]=$(basename "$d")
            file_of[$(basename "$d")]=$name
            labs+=("$(basename "$d")")
        fi
    done
done
if [[ ${#labs[@]} -eq 0 ]]; then
    echo "similarity: no lab files under $root/labs" >&2
    exit 1
fi

# ---- the class: named as make grade-all names it (scripts/class-list.sh) ----
general=()   # notes about the class as a whole
# shellcheck source=scripts/class-list.sh
source "$root/scripts/class-list.sh"
class_skipped() { general+=("$1: skipped ($2)"); }
class_renamed() { general+=("$1 and $2 are both student '${3%-2}': $1 is '$3'"); }
class_from_gradescope() { general+=("Gradescope export: $1 submissions named by submission_metadata.yml"); }
class_list "$subs"
ids=("${class_ids[@]+"${class_ids[@]}"}") paths=("${class_paths[@]+"${class_paths[@]}"}")
if [[ ${#ids[@]} -eq 0 ]]; then
    echo "similarity: no submissions (folders or archives) in $subs" >&2
    exit 2
fi
echo "similarity: ${#ids[@]} submissions from $subs, ${#labs[@]} labs, threshold $threshold %"

# ---- each student's lab files ----
declare -A pick=() pick_rank=() others=()   # "id/knn.c" -> path|shown, rank, other paths
narchive=0

# consider ID PATH SHOWN: a regular file; kept if it is a lab file and the best so far
consider() {
    local id=$1 path=$2 shown=$3 name lab rank key parent slashes
    name=${path##*/}
    lab=${lab_of[$name]:-}
    [[ -n $lab ]] || return 0
    key=$id/$name
    # Rank: the depth (the slashes in SHOWN), plus 1000 outside a folder named like the lab.
    slashes=${shown//[!\/]/}
    rank=${#slashes}
    parent=${path%/*}
    [[ ${parent##*/} == "$lab" ]] || rank=$((rank + 1000))
    if [[ -z ${pick[$key]:-} ]] || (( rank < ${pick_rank[$key]} )); then
        [[ -n ${pick[$key]:-} ]] && others[$key]+=" ${pick[$key]#*|}"
        pick[$key]="$path|$shown"
        pick_rank[$key]=$rank
    else
        others[$key]+=" $shown"
    fi
}

# scan ID DIR PREFIX ARCHIVES_OK: every regular file under DIR (links and dot files skipped)
scan() {
    local id=$1 dir=$2 prefix=$3 archives_ok=$4 path shown
    while IFS= read -r -d '' path; do
        shown=$prefix${path#"$dir"/}
        [[ -f $path && ! -L $path ]] || continue
        case $path in
            *.tar.gz|*.tgz|*.tar|*.tar.xz|*.txz|*.zip)
                if [[ $archives_ok == 1 ]]; then unpack "$id" "$path" "$shown"; fi ;;
            *) consider "$id" "$path" "$shown" ;;
        esac
    done < <(find "$dir" -mindepth 1 \( -name '.*' -o -name __MACOSX \) -prune -o -type f -print0 | LC_ALL=C sort -z)
}

# unpack ID ARCHIVE SHOWN: extracted with a time and size limit, without owners, links
# removed, then scanned (archives inside it are not unpacked)
unpack() {
    local id=$1 archive=$2 shown=$3 dest rc=0
    narchive=$((narchive + 1))
    dest=$tmp/unpacked/$narchive
    mkdir -p "$dest"
    case $archive in
        *.zip) ( ulimit -f 204800; timeout 60 unzip -qq -o "$archive" -d "$dest" ) >/dev/null 2>&1 || rc=$? ;;
        *)     ( ulimit -f 204800; timeout 60 tar -xf "$archive" -C "$dest" --no-same-owner --no-same-permissions ) >/dev/null 2>&1 || rc=$? ;;
    esac
    [[ $rc -eq 0 ]] || general+=("$id: $shown could not be unpacked completely (status $rc); used what came out")
    chmod -R u+rwX "$dest" 2>/dev/null || true
    find "$dest" -type l -delete 2>/dev/null || true
    find "$dest" -type f -links +1 -delete 2>/dev/null || true
    scan "$id" "$dest" "$shown:" 0
}

for i in "${!ids[@]}"; do
    if [[ -d ${paths[$i]} ]]; then
        scan "${ids[$i]}" "${paths[$i]}" "" 1
    else
        unpack "${ids[$i]}" "${paths[$i]}" "$(basename "${paths[$i]}")"
    fi
done

# ---- the stub's text out, then sim_c on each lab ----
# code FILE: FILE without its comments, one trimmed line per line, blank lines left out.
# (An unterminated comment makes cc complain; what it printed up to there is used.)
code() {
    { timeout 30 cc -fpreprocessed -dD -E -P -x c "$1" 2>/dev/null || true; } |
        sed 's/^[[:space:]]*//; s/[[:space:]]*$//' | grep -v '^$' || true
}

# count N WORD: "1 pair", "3 pairs"
count() { if [[ $1 -eq 1 ]]; then echo "1 $2"; else echo "$1 $2s"; fi; }

mapfile -t sorted_ids < <(printf '%s\n' "${ids[@]}" | LC_ALL=C sort)
report=$tmp/report.md
{
    echo "# Similarity"
    echo
    echo "$subs: ${#ids[@]} students. Every pair compared lab by lab with sim_c (similarity-tester)" \
         "\`-p -a -e -r $run -t $threshold\`, after taking the stub's lines out of each file." \
         "Listed: the pairs where either percentage is at least $threshold %. \"A in B\" is the share of" \
         "A's code (as tokens: layout, comments and names do not count) that is also in B." \
         "A pair listed here is a reason to read the two files, not a verdict."
    if [[ ${#general[@]} -gt 0 ]]; then
        echo
        printf -- '- note: %s\n' "${general[@]}"
    fi
} >"$report"

total_flagged=0
for lab in "${labs[@]}"; do
    file=${file_of[$lab]}
    dir=$tmp/cmp/$lab
    mkdir -p "$dir"
    code "$root/labs/$lab/$file" >"$tmp/stub-lines"
    compared=() notes=()
    for id in "${sorted_ids[@]}"; do
        key=$id/$file
        if [[ -z ${pick[$key]:-} ]]; then
            notes+=("$id has no $file")
            continue
        fi
        src=${pick[$key]%%|*}
        shown=${pick[$key]#*|}
        [[ -n ${others[$key]:-} ]] && notes+=("$id has several files named $file: compared $shown, not${others[$key]}")
        if (( $(stat -c %s "$src") > 2000000 )); then
            notes+=("$id's $file is larger than 2 MB: not compared")
            continue
        fi
        # Drop the lines that are also the stub's (both sides trimmed, comments gone).
        code "$src" | awk 'FILENAME == ARGV[1] { stub[$0] = 1; next } !($0 in stub)' "$tmp/stub-lines" - >"$dir/$id.c"
        if [[ ! -s $dir/$id.c ]]; then
            notes+=("$id's $file is the stub's text only: not compared")
            rm -f "$dir/$id.c"
            continue
        fi
        compared+=("$id")
    done
    n=${#compared[@]}
    pairs=$((n * (n - 1) / 2))

    : >"$tmp/sim.out"
    if (( n >= 2 )); then
        if ! printf '%s.c\n' "${compared[@]}" |
                (cd "$dir" && timeout 1800 sim_c -i -p -a -e -T -r "$run" -t "$threshold") >"$tmp/sim.out" 2>"$tmp/sim.err"; then
            cat "$tmp/sim.err" >&2
            echo "similarity: sim_c failed on $lab" >&2
            exit 1
        fi
    fi
    # "alice.c consists for 100 % of bob.c material": 100 % of alice's tokens are in bob's
    # file. One row per pair with either direction reported, A before B by name, -1 for a
    # direction under the threshold; the highest first.
    sed -n 's/^\(.*\)\.c consists for \([0-9]*\) % of \(.*\)\.c material$/\1 \3 \2/p' "$tmp/sim.out" |
        awk '{ p[$1, $2] = $3; if (($1 "") < ($2 "")) pair[$1, $2] = 1; else pair[$2, $1] = 1 }
             END {
                 for (k in pair) {
                     split(k, ab, SUBSEP); a = ab[1]; b = ab[2]
                     x = ((a, b) in p) ? p[a, b] : -1; y = ((b, a) in p) ? p[b, a] : -1
                     print (x > y ? x : y), (x > y ? y : x), a, b, x, y
                 }
             }' | LC_ALL=C sort -k1,1nr -k2,2nr -k3,3 -k4,4 >"$tmp/rows"
    nrows=$(wc -l <"$tmp/rows")
    total_flagged=$((total_flagged + nrows))
    {
        echo
        echo "## $lab ($file)"
        echo
        echo "$(count "$n" student) compared, $(count "$pairs" pair): $nrows at or above $threshold %."
        if (( nrows > 0 )); then
            echo
            echo "| student A | student B | A in B | B in A |"
            echo "|---|---|--:|--:|"
            awk -v t="$threshold" '
                function show(v) { return v < 0 ? "< " t " %" : v " %" }
                { print "| " $3 " | " $4 " | " show($5) " | " show($6) " |" }' "$tmp/rows"
        fi
        if [[ ${#notes[@]} -gt 0 ]]; then
            echo
            printf -- '- note: %s\n' "${notes[@]}"
        fi
    } >>"$report"
done

cp "$report" "$out.tmp" && mv -f "$out.tmp" "$out"
cat "$out"
echo
echo "similarity: $(count "$total_flagged" pair) at or above $threshold % in ${#labs[@]} labs, in $((SECONDS - start)) s; wrote $out"
