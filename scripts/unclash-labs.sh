#!/usr/bin/env bash
# Before lab objects are linked into one program (an experiment, a scratch program):
# a global that two or more of them define (a helper without `static` in loss.c and in
# linear.c) is made local to each, so the link does not fail on it, as the grader treats
# such globals (scripts/build-lab.sh). Globals only one of them defines stay as they are,
# so a scratch program can still call the lab file's own helpers.
#   scripts/unclash-labs.sh OBJECT...
set -euo pipefail
dups=$(for o in "$@"; do nm --defined-only -g "$o" | awk 'NF >= 3 { print $3 }' | sort -u; done | sort | uniq -d)
[[ -n $dups ]] || exit 0
args=()
while IFS= read -r sym; do args+=("--localize-symbol=$sym"); done <<<"$dups"
for o in "$@"; do objcopy "${args[@]}" "$o"; done
