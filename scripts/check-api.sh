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
#     header function once, under its lab, with the header's prototype (and no other);
#   - every header function has a public test (grader/tests/public/labNN_*.c: a GT_SUITE
#     line named "NN fn: ..."), and every test, public or hidden, names a function of its lab;
#   - the handout labs/NN-name/README.md opens with a table of the lab's functions
#     ("| `fn` | what it does |"), one row for each, no other;
#   - grader/tests/hidden/ref_NN.h (where there are hidden tests) declares each function
#     as ref_fn with the header's prototype, and nothing else.
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
    printf '%s\t%s\t%s\n' "${lab%%-*}" "labs/$lab" "$header" >>"$tmp/lab-list"
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

# The tests and the handouts. Every header function has a public test (a GT_SUITE line
# whose name starts "NN fn:" in grader/tests/public/labNN_*.c) and a row in the table of
# the lab's functions that opens its handout (labs/NN-name/README.md: "| `fn` | ... |");
# every test, public or hidden, names a function of its own lab; the hidden tests'
# grader/tests/hidden/ref_NN.h declares each function under its ref_ name, with the
# header's prototype (the build renames the reference's symbols to match it).
# test_names FILE: "NN fn" for each test of FILE's suite.
test_names() {
    tr '\n' ' ' <"$1" | grep -oE '\{[[:space:]]*"[0-9]{2} [A-Za-z_][A-Za-z0-9_]*:' |
        sed -E 's/^\{[[:space:]]*"//; s/:$//'
}
# is_fn N FN: FN is a function of lab N's header.
is_fn() { awk -F'\t' -v n="$1" -v f="$2" '$1 == n && $2 == f { found = 1 } END { exit !found }' "$tmp/header-fns"; }
if [[ -s $tmp/lab-list ]]; then
    while IFS=$'\t' read -r n labdir header; do
        fns=$(awk -F'\t' -v n="$n" '$1 == n { print $2 }' "$tmp/header-fns")
        # Public tests.
        pub=(); for f in grader/tests/public/lab"$n"_*.c; do [[ -f $f ]] && pub+=("$f"); done
        if [[ ${#pub[@]} -eq 0 ]]; then
            problem "lab $n has no public tests: grader/tests/public/lab${n}_*.c is missing"
        else
            for f in "${pub[@]}"; do test_names "$f"; done | sort -u >"$tmp/pub-names"
            for fn in $fns; do
                grep -qx "$n $fn" "$tmp/pub-names" ||
                    problem "$fn() ($header) has no public test: no \"$n $fn: ...\" line in the GT_SUITE of ${pub[*]}"
            done
        fi
        # Every test names a function of its lab (the runner spots a missing function by it).
        for f in grader/tests/public/lab"$n"_*.c grader/tests/hidden/lab"$n"_*.c; do
            [[ -f $f ]] || continue
            while read -r tn tfn; do
                if [[ $tn != "$n" ]]; then
                    problem "$f: the test \"$tn $tfn: ...\" is in lab $n's file but names lab $tn"
                elif ! is_fn "$n" "$tfn"; then
                    problem "$f: the test \"$tn $tfn: ...\" names $tfn(), which $header does not declare"
                fi
            done < <(test_names "$f" | sort -u)
        done
        # The handout's table of the lab's functions: its first table of | `name` | rows.
        readme=$labdir/README.md
        if [[ ! -f $readme ]]; then
            problem "lab $n has no handout: $readme is missing"
        else
            awk '/^\| *`/ { in_table = 1; s = $0; sub(/^\| *`/, "", s); sub(/`.*$/, "", s); print s; next }
                 in_table { exit }' "$readme" >"$tmp/table"
            for fn in $fns; do
                grep -qx -- "$fn" "$tmp/table" ||
                    problem "$fn() ($header) is not in the table of the lab's functions in $readme (add a row | \`$fn\` | what it does |)"
            done
            while read -r tfn; do
                is_fn "$n" "$tfn" || problem "$readme lists \`$tfn\` in its table of the lab's functions, which $header does not declare"
            done <"$tmp/table"
        fi
        # The reference's prototypes for hidden tests (a tree without hidden tests has none).
        ref=grader/tests/hidden/ref_$n.h
        [[ -d grader/tests/hidden ]] || continue
        if [[ ! -f $ref ]]; then
            problem "lab $n's hidden tests have no $ref (the ref_ prototypes of its functions)"
            continue
        fi
        aux "$ref" | awk -F'\t' '$1 == "decl"' >"$tmp/ref"
        if [[ ! -s $tmp/ref ]] || grep -q 'error:' "$tmp/cc.err"; then
            problem "$ref does not compile: $(grep -m1 'error:' "$tmp/cc.err")"
            continue
        fi
        while IFS=$'\t' read -r _ rfn rproto; do
            fn=${rfn#ref_}
            hproto=$(awk -F'\t' -v n="$n" -v f="$fn" '$1 == n && $2 == f { print $3 }' "$tmp/header-fns")
            if [[ $rfn != ref_* || -z $hproto ]]; then
                problem "$ref declares $rfn(), which is not the ref_ name of a function of $header"
            elif [[ ${rproto/ ref_/ } != "$hproto" ]]; then
                problem "$rfn() in $ref differs from $fn() in its header:"$'\n'"    $ref: $rproto"$'\n'"    $header: $hproto"
            fi
        done <"$tmp/ref"
        for fn in $fns; do
            awk -F'\t' -v f="ref_$fn" '$2 == f { found = 1 } END { exit !found }' "$tmp/ref" ||
                problem "$fn() ($header) is missing from $ref (ref_$fn, for hidden tests that compare with the reference)"
        done
    done <"$tmp/lab-list"
fi

if [[ $nfiles -eq 0 ]]; then
    problem "no lab files found (labs/NN-name/F.c with include/F.h)"
fi
if [[ $problems -gt 0 ]]; then
    echo "check-api: $problems problems in $nfiles lab files"
    exit 1
fi
echo "check-api: $nfiles lab files, $nfns functions: headers, stubs, solutions, api.spec, tests and handouts agree"
