#!/usr/bin/env bash
# check-api.sh - the stubs, the solutions and the headers agree.
#
#   scripts/check-api.sh [ROOT]        (ROOT: a gradlab tree, default this one)
#
# A lab file is labs/NN-name/F.c whose header is include/F.h. For each one:
#   - solutions/NN-name/F.c exists;
#   - every function the header declares is defined in both the stub and the solution;
#   - the stub and the solution define it with the identical signature (types and
#     parameter names, as the compiler reads them), and both compile against the header
#     (which makes the compiler check that the definition agrees with the declaration);
#   - neither defines a global function the header does not declare (helpers are static);
#   - both have the same #include lines;
#   - grader/api.spec, the table the grader's sandbox is generated from, lists every
#     header function once, under its lab, with the header's prototype (and no other).
# The compiler does the reading (-aux-info), so comments, line breaks and macros cannot
# fool it. Prints one line per problem and "check-api: N lab files, M functions, ok"
# or exits 1.
set -uo pipefail
root=${1:-$(dirname "${BASH_SOURCE[0]}")/..}
cd "$root" || exit 2

CC=${CC:-cc}
pkg=$(pkg-config --cflags check libpng zlib openblas 2>/dev/null || true)
problems=0
nfiles=0
nfns=0
problem() { echo "check-api: $*"; problems=$((problems + 1)); }

# aux FILE: the compiler's one-line prototypes of what FILE itself declares or defines,
# as "KIND<TAB>NAME<TAB>PROTOTYPE" (KIND: decl, def or static).
aux() {
    local file=$1
    # shellcheck disable=SC2086  # pkg-config prints several flags
    # (to a file: on an error gcc deletes its -aux-info file, which must not be /dev/stdout)
    rm -f "$tmp/aux"
    "$CC" -std=c11 -D_GNU_SOURCE -Iinclude $pkg -Wno-unused-parameter -fsyntax-only \
          -aux-info "$tmp/aux" -x c "$file" 2>"$tmp/cc.err"
    [[ -f $tmp/aux ]] || return 0
    awk -v f="$file" '
            index($0, "/* " f ":") == 1 {
                flags = $2; sub(/^.*:/, "", flags)
                line = $0; sub(/^\/\* [^*]*\*\/ /, "", line); sub(/; \/\*.*$/, "", line); sub(/;$/, "", line)
                name = line; sub(/ \(.*$/, "", name); sub(/^.*[ *]/, "", name)
                kind = flags ~ /F/ ? "def" : "decl"
                if (line ~ /^static /) kind = "static"
                print kind "\t" name "\t" line
            }' "$tmp/aux"
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-api-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

for stub in labs/[0-9][0-9]-*/*.c; do
    [[ -e $stub ]] || continue
    name=$(basename "$stub" .c)
    header=include/$name.h
    [[ -f $header ]] || continue          # experiment.c, trainer.c: not a lab file
    nfiles=$((nfiles + 1))
    sol=solutions/${stub#labs/}
    if [[ ! -f $sol ]]; then
        problem "$stub has no solution: $sol is missing"
        continue
    fi
    aux "$header" | awk -F'\t' '$1 == "decl"' >"$tmp/h"
    if [[ ! -s $tmp/h ]]; then
        problem "$header declares no function (or does not compile: $(head -n 1 "$tmp/cc.err"))"
        continue
    fi
    lab=$(basename "$(dirname "$stub")")
    awk -F'\t' -v n="${lab%%-*}" '{ print n "\t" $2 "\t" $3 }' "$tmp/h" >>"$tmp/header-fns"
    echo "#include \"$name.h\"" >>"$tmp/spec.c"
    for f in "$stub" "$sol"; do
        tag=$(basename "$(dirname "$(dirname "$f")")")   # labs or solutions
        aux "$f" >"$tmp/$tag.all"
        if [[ ! -s $tmp/$tag.all ]] || grep -q 'error:' "$tmp/cc.err"; then
            problem "$f does not compile against $header: $(grep -m1 'error:' "$tmp/cc.err")"
        fi
        awk -F'\t' '$1 == "def"' "$tmp/$tag.all" >"$tmp/$tag"
        # Global functions that the header does not declare.
        while IFS=$'\t' read -r _ fn _; do
            grep -q "^decl"$'\t'"$fn"$'\t' "$tmp/h" ||
                problem "$f defines $fn(), which $header does not declare (make it static)"
        done <"$tmp/$tag"
    done
    while IFS=$'\t' read -r _ fn _; do
        nfns=$((nfns + 1))
        s=$(awk -F'\t' -v n="$fn" '$2 == n { print $3 }' "$tmp/labs")
        r=$(awk -F'\t' -v n="$fn" '$2 == n { print $3 }' "$tmp/solutions")
        [[ -n $s ]] || problem "$fn() ($header) has no stub in $stub"
        [[ -n $r ]] || problem "$fn() ($header) has no body in $sol"
        if [[ -n $s && -n $r && $s != "$r" ]]; then
            problem "$fn() differs between the stub and the solution:"$'\n'"    $stub: $s"$'\n'"    $sol: $r"
        fi
    done <"$tmp/h"
    if ! cmp -s <(grep -E '^[[:space:]]*#[[:space:]]*include' "$stub" | sort) \
                <(grep -E '^[[:space:]]*#[[:space:]]*include' "$sol" | sort); then
        problem "$stub and $sol include different headers: $(diff <(grep -E '^[[:space:]]*#[[:space:]]*include' "$stub" | sort) \
                 <(grep -E '^[[:space:]]*#[[:space:]]*include' "$sol" | sort) | grep '^[<>]' | tr '\n' ' ')"
    fi
done

# A solution without a stub is drift too (students would never see the function).
for sol in solutions/[0-9][0-9]-*/*.c; do
    [[ -e $sol && -f include/$(basename "$sol" .c).h ]] || continue
    [[ -f labs/${sol#solutions/} ]] || problem "$sol has no stub: labs/${sol#solutions/} is missing"
done

# The sandbox's table: the proxies and the workers' dispatch are generated from it.
spec=grader/api.spec
if [[ -f $spec && -s $tmp/header-fns ]]; then
    if ! awk -v mode=list -f scripts/gen-api.awk "$spec" >"$tmp/spec-list" 2>"$tmp/gen.err"; then
        problem "$spec: $(head -n 1 "$tmp/gen.err")"
    else
        # The table's prototypes, as the compiler reads them beside the headers.
        awk '{ $1 = ""; $2 = ""; sub(/^ +/, ""); print $0 ";" }' "$tmp/spec-list" >>"$tmp/spec.c"
        aux "$tmp/spec.c" | awk -F'\t' '$1 == "decl"' >"$tmp/spec-aux"
        grep -q 'error:' "$tmp/cc.err" && problem "$spec: a prototype there conflicts with its header: $(grep -m1 'error:' "$tmp/cc.err" | sed 's/^[^:]*:[0-9:]* //')"
        while IFS=$'\t' read -r n fn proto; do
            slab=$(awk -v f="$fn" '$2 == f { print $1 }' "$tmp/spec-list")
            sproto=$(awk -F'\t' -v f="$fn" '$2 == f { print $3 }' "$tmp/spec-aux")
            if [[ -z $slab ]]; then
                problem "$fn() (lab $n) is missing from $spec: the grader could not call it (add its line, with [count] for arrays)"
            elif [[ $(wc -w <<<"$slab") -gt 1 ]]; then
                problem "$fn() is listed more than once in $spec"
            elif [[ $slab != "$n" ]]; then
                problem "$fn() is under lab $slab in $spec, but its header belongs to lab $n"
            elif [[ -n $sproto && $sproto != "$proto" ]]; then
                problem "$fn() differs between $spec and its header:"$'\n'"    $spec: $sproto"$'\n'"    header: $proto"
            fi
        done <"$tmp/header-fns"
        while read -r n fn _; do
            grep -q $'\t'"$fn"$'\t' "$tmp/header-fns" || problem "$spec lists $fn() (lab $n), which no lab header declares"
        done <"$tmp/spec-list"
    fi
fi

if [[ $nfiles -eq 0 ]]; then
    problem "no lab files found (labs/NN-name/F.c with include/F.h)"
fi
if [[ $problems -gt 0 ]]; then
    echo "check-api: $problems problems in $nfiles lab files"
    exit 1
fi
echo "check-api: $nfiles lab files, $nfns functions: stubs, solutions and headers agree"
