#!/usr/bin/env bash
# Before lab objects are linked into one program (an experiment, a scratch program):
# a global that two or more of them define (a helper without `static` in loss.c and in
# linear.c) is made local, as the grader treats such globals (scripts/build-lab.sh), so
# the link does not fail on it. Globals only one of them defines stay as they are, so a
# scratch program can still call the lab file's own helpers.
#   scripts/unclash-labs.sh DIR OBJECT...
# Prints the objects to link: the given ones when nothing clashes, else copies in DIR
# with the clashing names made local (the given objects, shared by other programs, are
# never changed).
set -euo pipefail
dir=$1
shift
dups=$(for o in "$@"; do nm --defined-only -g "$o" | awk 'NF >= 3 { print $3 }' | sort -u; done | sort | uniq -d)
if [[ -z $dups ]]; then
    echo "$@"
    exit 0
fi
args=()
while IFS= read -r sym; do args+=("--localize-symbol=$sym"); done <<<"$dups"
mkdir -p "$dir"
out=()
for o in "$@"; do
    copy=$dir/$(basename "$(dirname "$o")")-$(basename "$o")
    objcopy "${args[@]}" "$o" "$copy"
    out+=("$copy")
done
echo "${out[@]}"
