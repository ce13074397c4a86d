#!/usr/bin/env bash
# add-function.sh - scaffolds a new lab function in every place it must appear.
#
#   scripts/add-function.sh [--count NAME=EXPR]... LAB 'PROTOTYPE' ['one-line description']
#
#   scripts/add-function.sh 01 'void knn_distances_cosine(const Mat *X_train, const Mat *X_test, Mat *dists)' \
#       'cosine distances: 1 - <a, b> / (|a| |b|)'
#   scripts/add-function.sh --count 'idx=Q->rows' 01 'void knn_nearest(const Mat *X, const Mat *Q, int *idx)'
#
# PROTOTYPE is written as in the header: plain C, no [count]. An array parameter
# (const int *, int *, double *) needs its length for the grader, which copies that
# many elements across the sandbox: --count NAME=EXPR, EXPR over the other parameters
# (X->rows, num_k, cfg->num_iters), as in grader/api.spec; quote it ('idx=Q->rows'), or
# the shell reads the > as a redirection.
#
# It adds, in the style of the files already there:
#   include/F.h                    the prototype, under a one-line comment
#   labs/NN-name/F.c               the stub: a comment, the signature, LAB_TODO()
#   solutions/NN-name/F.c          a reference skeleton that reaches LAB_TODO() too, so that
#                                  grading the solutions says TODO until the reference is written
#   grader/api.spec                the line under the lab, with [count] for arrays
#   grader/tests/hidden/ref_NN.h   the ref_ prototype, for hidden tests that compare with the reference
#   grader/tests/public/labNN_*.c  a test that calls the function on placeholder inputs and then
#                                  fails ("write this test"), and its line in GT_SUITE, 0.5 points
#   labs/NN-name/README.md         a row in the handout's table of the lab's functions
# then runs scripts/check-api.sh. Nothing is changed when it refuses (one line, status 2):
# a lab that does not exist, a name that does, a prototype it cannot read, a type
# scripts/gen-api.awk does not know, an array without --count.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2

refuse() { echo "add-function: $*" >&2; exit 2; }
join() { local IFS=$'\x01' s; s="$*"; printf '%s' "${s//$'\x01'/, }"; }
usage() {
    echo "usage: scripts/add-function.sh [--count NAME=EXPR]... LAB 'PROTOTYPE' ['one-line description']" >&2
    echo "  e.g. scripts/add-function.sh 01 'void knn_distances_cosine(const Mat *X_train, const Mat *X_test, Mat *dists)' 'cosine distances'" >&2
    exit 2
}

# ---- the arguments ---------------------------------------------------------------------
declare -A count=()
args=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --count) [[ $# -ge 2 ]] || usage; set -- "--count=$2" "${@:3}"; continue ;;
        --count=*)
            c=${1#--count=}
            [[ $c =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*=(.+)$ ]] ||
                refuse "--count wants NAME=EXPR (e.g. --count y=X->rows), not '$c'"
            count[${BASH_REMATCH[1]}]=$(sed -E 's/^[[:space:]]+|[[:space:]]+$//g' <<<"${BASH_REMATCH[2]}")
            ;;
        -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) usage ;;
        *) args+=("$1") ;;
    esac
    shift
done
[[ ${#args[@]} -ge 2 && ${#args[@]} -le 3 ]] || usage
lab_arg=${args[0]} proto_arg=${args[1]} desc=${args[2]:-}
desc=$(tr '\n\t' '  ' <<<"$desc" | sed -E 's/ +/ /g; s/^ //; s/ $//')
[[ $desc == *'*/'* ]] && refuse "the description may not contain */ (it goes into C comments)"

# ---- the lab and its files -------------------------------------------------------------
n=${lab_arg#lab}
[[ $n =~ ^[0-9]{1,2}$ ]] || refuse "'$lab_arg' is not a lab number (01, 1 or lab1)"
NN=$(printf '%02d' "$((10#$n))")
labdirs=()
for d in labs/"$NN"-*/; do [[ -d $d ]] && labdirs+=("${d%/}"); done
if [[ ${#labdirs[@]} -ne 1 ]]; then
    known=$(for d in labs/[0-9][0-9]-*/; do d=${d#labs/}; printf '%s ' "${d%%-*}"; done)
    refuse "there is no lab $NN (labs/$NN-*/; the labs are ${known% })"
fi
labdir=${labdirs[0]}
F=
for f in "$labdir"/*.c; do
    [[ -f include/$(basename "$f" .c).h ]] && F=$(basename "$f" .c)
done
[[ -n $F ]] || refuse "$labdir has no lab file (F.c with include/F.h)"
header=include/$F.h stub=$labdir/$F.c sol=solutions/${labdir#labs/}/$F.c spec=grader/api.spec
readme=$labdir/README.md ref=grader/tests/hidden/ref_$NN.h
tests=()
for f in grader/tests/public/lab"$NN"_*.c; do [[ -f $f ]] && tests+=("$f"); done
[[ -f $sol ]] || refuse "$sol is missing (the lab's reference)"
[[ -f $spec ]] || refuse "$spec is missing"
[[ ${#tests[@]} -eq 1 ]] || refuse "lab $NN needs one public test file grader/tests/public/lab${NN}_*.c (found ${#tests[@]})"
test_file=${tests[0]}
[[ -f $readme ]] || refuse "$readme (the handout) is missing"
grep -q '^| *`' "$readme" || refuse "$readme has no table of the lab's functions (| \`fn\` | what it does |) to add a row to"
grep -q '^GT_SUITE(' "$test_file" || refuse "$test_file has no GT_SUITE( table"
grep -q '^#endif' "$header" || refuse "$header has no #endif to add the prototype before"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/add-function-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# ---- the prototype ---------------------------------------------------------------------
proto=$(tr '\n\t' '  ' <<<"$proto_arg" | sed -E 's/[[:space:]]+/ /g; s/^ //; s/ *;? *$//')
[[ $proto =~ ^([A-Za-z_][A-Za-z0-9_ ]*[ *])[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*\((.*)\)$ ]] ||
    refuse "cannot read '$proto_arg' as a C prototype (e.g. 'void fn(const Mat *x, Mat *out)')"
ret=$(sed -E 's/^ +| +$//g' <<<"${BASH_REMATCH[1]}")
fn=${BASH_REMATCH[2]}
params=${BASH_REMATCH[3]}
[[ $ret == void || $ret == double ]] ||
    refuse "$fn returns '$ret': a lab function returns void or double (all the sandbox's channel carries)"
[[ $params == *[\[\]\(\)]* ]] &&
    refuse "cannot read the parameters of $fn: write them as in the header (plain C, no [count], no function-pointer syntax: use ScalarFn or LossFn); give array lengths with --count NAME=EXPR"

# The name is new: not declared in a header, defined in a lab, solution or common file
# (comments aside), or listed in api.spec.
for f in include/*.h labs/*/*.c solutions/*/*.c common/*.c; do
    [[ -f $f ]] || continue
    # (grep reads it all: with -q, an early exit could fail the pipeline under pipefail)
    if "${CC:-cc}" -fpreprocessed -dD -E -P -x c "$f" 2>/dev/null |
            grep -E "(^|[^A-Za-z0-9_])${fn}[[:space:]]*\(" >/dev/null; then
        refuse "$fn already exists ($f)"
    fi
done
awk -v f="$fn" '!/^[ \t]*(#|$)/ && index($0, " " f "(") { found = 1 } END { exit !found }' "$spec" &&
    refuse "$fn already exists ($spec)"

known_types=("const Mat *" "Mat *" "const int *" "int *" "double *" "int" "double" "Rng *"
             "const SgdConfig *" "const TwoLayerNet *" "TwoLayerNet *" "ScalarFn" "void *" "LossFn")
is_known() { local t; for t in "${known_types[@]}"; do [[ $t == "$1" ]] && return 0; done; return 1; }
is_array() { [[ $1 == "const int *" || $1 == "int *" || $1 == "double *" ]]; }

ptype=() pname=()
declare -A seen=()
if [[ -n ${params// /} && $params != " void" && $params != void && $params != "void " ]]; then
    IFS=',' read -ra parts <<<"$params"
    for p in "${parts[@]}"; do
        p=$(sed -E 's/ *\* */ */g; s/^ +| +$//g' <<<"$p")
        [[ $p =~ ^(.*[^A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_]*)$ ]] ||
            refuse "parameter '$p' of $fn has no name (write 'type name')"
        t=$(sed -E 's/^ +| +$//g' <<<"${BASH_REMATCH[1]}")
        pn=${BASH_REMATCH[2]}
        [[ -n $t ]] || refuse "parameter '$p' of $fn has no type"
        is_known "$t" || refuse "parameter '$p' of $fn: scripts/gen-api.awk does not know the type '$t' (it knows: $(printf '%s, ' "${known_types[@]}" | sed 's/, $//'))"
        [[ -z ${seen[$pn]:-} ]] || refuse "$fn has two parameters named $pn"
        seen[$pn]=1
        ptype+=("$t") pname+=("$pn")
    done
fi
np=${#pname[@]}

# Every array has its count, every count an array, and a count reads only the other parameters.
for ((k = 0; k < np; k++)); do
    t=${ptype[k]} pn=${pname[k]}
    if is_array "$t"; then
        [[ -n ${count[$pn]:-} ]] ||
            refuse "'$t$pn' is an array: give its length with --count $pn=EXPR, an expression over the other parameters (e.g. X->rows); the grader copies that many elements"
    fi
done
for c in "${!count[@]}"; do
    [[ -n ${seen[$c]:-} ]] || refuse "--count $c=...: $fn has no parameter $c"
    for ((k = 0; k < np; k++)); do
        [[ ${pname[k]} == "$c" ]] && { is_array "${ptype[k]}" ||
            refuse "--count $c=...: $c ('${ptype[k]}') is not an array (only const int *, int *, double * take a count)"; }
    done
    e=${count[$c]}
    [[ $e == *[\],\[\;\{\}]* ]] && refuse "--count $c=$e: the expression may not contain , [ ] ; { }"
    for id in $(sed -E 's/(->|\.)[[:space:]]*[A-Za-z_][A-Za-z0-9_]*//g' <<<"$e" |
                grep -oE '(^|[^A-Za-z0-9_.])[A-Za-z_][A-Za-z0-9_]*' | sed -E 's/^[^A-Za-z_]//'); do
        [[ $id == sizeof ]] && continue
        [[ -n ${seen[$id]:-} && $id != "$c" ]] ||
            refuse "--count $c=$e: '$id' is not another parameter of $fn (the count is evaluated over the call's arguments)"
    done
done

# The parameter lists: as in the header, and as in api.spec (with [count]).
hparams=() sparams=()
for ((k = 0; k < np; k++)); do
    t=${ptype[k]} pn=${pname[k]}
    sep=" "; [[ $t == *'*' ]] && sep=""
    hparams+=("$t$sep$pn")
    if is_array "$t"; then sparams+=("$t$sep${pn}[${count[$pn]}]"); else sparams+=("$t$sep$pn"); fi
done
if [[ $np -eq 0 ]]; then plist=void slist=void; else plist=$(join "${hparams[@]}"); slist=$(join "${sparams[@]}"); fi
spec_line="$NN  $ret $fn($slist)"

# The compiler reads the prototype and every count beside the lab's header.
{
    echo "#include \"$F.h\""
    echo "$ret $fn($plist);"
    echo "void add_function_counts_($plist)"
    echo "{"
    for c in "${!count[@]}"; do echo "    long n_$c = (long)(${count[$c]}); (void)n_$c;   /* --count $c */"; done
    for pn in "${pname[@]}"; do echo "    (void)$pn;"; done
    echo "}"
} >"$tmp/check.c"
# shellcheck disable=SC2046  # pkg-config prints several flags
if ! "${CC:-cc}" -std=c11 -D_GNU_SOURCE -Iinclude $(pkg-config --cflags check libpng zlib openblas 2>/dev/null) \
        -fsyntax-only -Werror=implicit-function-declaration "$tmp/check.c" 2>"$tmp/cc.err"; then
    refuse "the compiler does not accept the prototype or a --count beside $header: $(grep -m1 'error' "$tmp/cc.err" | sed -E 's/^[^:]*:[0-9]+:[0-9]+: //')"
fi

# wrap PREFIX SUFFIX PARAM...: PREFIX(PARAM, PARAM...)SUFFIX, broken after a comma so that
# lines stay within 100 columns, the next line aligned after the parenthesis.
wrap() {
    local prefix=$1 suffix=$2 indent line piece i
    shift 2
    [[ $# -gt 0 ]] || set -- void
    indent=$(printf '%*s' $((${#prefix} + 1)) '')
    line="$prefix("
    for ((i = 1; i <= $#; i++)); do
        piece=${!i}
        if [[ $i -lt $# ]]; then piece+=","; else piece+=")$suffix"; fi
        if [[ $i -gt 1 && $((${#line} + 1 + ${#piece})) -gt 100 ]]; then
            printf '%s\n' "$line"
            line="$indent$piece"
        elif [[ $i -gt 1 ]]; then
            line+=" $piece"
        else
            line+=$piece
        fi
    done
    printf '%s\n' "$line"
}
# comment TEXT: a C comment of TEXT, on one line when it fits in 100 columns.
comment() {
    if [[ $((${#1} + 6)) -le 100 ]]; then printf '/* %s */\n' "$1"; return; fi
    fold -s -w 94 <<<"$1" | sed -E 's/ +$//' | awk 'NR == 1 { printf "/* %s", $0; next } { printf "\n * %s", $0 } END { print " */" }'
}

# ---- the new text of each file, built in $tmp first: nothing changes if a step fails ------
what=${desc:-"TODO: what $fn computes, its shapes and edge cases"}

# include/F.h: before the #endif (after the last declaration, blank lines kept below).
# insert_before_endif FILE TEXTFILE OUT
insert_before_endif() {
    awk -v ins="$2" '
        { line[NR] = $0 }
        /^#endif/ { e = NR }
        END {
            j = e - 1
            while (j > 0 && line[j] ~ /^[ \t]*$/) j--
            for (i = 1; i <= NR; i++) {
                print line[i]
                if (i == j) while ((getline l < ins) > 0) print l
            }
        }' "$1" >"$3"
}
{ comment "$what"; wrap "$ret $fn" ";" "${hparams[@]}"; } >"$tmp/header.ins"
insert_before_endif "$header" "$tmp/header.ins" "$tmp/header"

# The stub and the reference skeleton: at the end of their files.
{
    echo
    echo "/*"
    fold -s -w 94 <<<"$fn: $what" | sed -E 's/ +$//; s/^/ * /'
    echo " * (The task, step by step, for students: shapes, what is written, edge cases.)"
    echo " */"
    wrap "$ret $fn" "" "${hparams[@]}"
    echo "{"
    echo "    LAB_TODO();"
    echo "}"
} >"$tmp/stub.ins"
cat "$stub" "$tmp/stub.ins" >"$tmp/stub"
{
    echo
    echo "/*"
    fold -s -w 94 <<<"$fn: $what" | sed -E 's/ +$//; s/^/ * /'
    echo " * TODO: the reference. Until it is written, this function's tests say TODO on the"
    echo " * solutions too (make grade-solutions), and make test fails."
    echo " */"
    wrap "$ret $fn" "" "${hparams[@]}"
    echo "{"
    # The reference is compiled with -Wextra (for hidden tests): no unused parameters.
    if [[ $np -gt 0 ]]; then
        voids=$(printf '(void)%s, ' "${pname[@]}")
        printf '    %s;   /* until the reference uses them */\n' "${voids%, }"
    fi
    echo "    LAB_TODO();"
    echo "}"
} >"$tmp/sol.ins"
cat "$sol" "$tmp/sol.ins" >"$tmp/sol"

# grader/api.spec: after the lab's last line (its header line at least).
awk -v n="$NN" '!/^[ \t]*(#|$)/ && $1 == n { last = NR } END { print last + 0 }' "$spec" >"$tmp/spec.at"
[[ $(cat "$tmp/spec.at") -gt 0 ]] || refuse "$spec has no line for lab $NN (\"$NN  header $F.h\")"
awk -v at="$(cat "$tmp/spec.at")" -v ins="$spec_line" '{ print } NR == at { print ins }' "$spec" >"$tmp/spec"
# The generator reads the new table (its own check of the types and counts).
for mode in proxies labs oracles "dispatch -v lab=$NN"; do
    # shellcheck disable=SC2086  # "dispatch -v lab=NN" is two awk arguments
    if ! awk -v mode=$mode -f scripts/gen-api.awk "$tmp/spec" >/dev/null 2>"$tmp/gen.err"; then
        refuse "scripts/gen-api.awk cannot use the line '$spec_line': $(head -n 1 "$tmp/gen.err" | sed 's/^[^ ]*: //')"
    fi
done

# grader/tests/hidden/ref_NN.h (instructors only; a tree without hidden tests skips it).
if [[ -f $ref ]]; then
    grep -q '^#endif' "$ref" || refuse "$ref has no #endif to add the ref_ prototype before"
    wrap "$ret ref_$fn" ";" "${hparams[@]}" >"$tmp/ref.ins"
    insert_before_endif "$ref" "$tmp/ref.ins" "$tmp/ref"
fi

# The public test: a test function before GT_SUITE, and its line at the end of the suite.
tname=test_${fn}_todo
grep -Eq "(^|[^A-Za-z0-9_])$tname\(" "$test_file" && refuse "$test_file already has a $tname()"
decl_scalars=() decl_objects=() decl_arrays=() helper=
for ((k = 0; k < np; k++)); do
    t=${ptype[k]} pn=${pname[k]}
    case $t in
        int) decl_scalars+=("int $pn = 1;") ;;
        double) decl_scalars+=("double $pn = 0.5;") ;;
        "void *") decl_scalars+=("void *$pn = NULL;") ;;
        LossFn) decl_scalars+=("LossFn $pn = gt_square_loss;   /* the grader's own loss (gt.h) */") ;;
        ScalarFn)
            decl_scalars+=("ScalarFn $pn = ${tname}_f;")
            helper="/* A ScalarFn for the placeholder call: the sum of squares of x. */
static double ${tname}_f(const Mat *x, void *ctx)
{
    (void)ctx;
    return mat_sum_sq(x);
}
" ;;
        "const Mat *" | "Mat *") decl_objects+=("Mat *$pn = gt_randn(2, 2, 1.0);") ;;
        "Rng *") decl_objects+=("Rng *$pn = gt_rng();") ;;
        "const SgdConfig *")
            decl_objects+=("SgdConfig ${pn}_v = { .learning_rate = 0.1, .reg = 0.0, .num_iters = 2, .batch_size = 2 };"
                           "const SgdConfig *$pn = &${pn}_v;") ;;
        "const TwoLayerNet *" | "TwoLayerNet *")
            decl_objects+=("TwoLayerNet ${pn}_v = { gt_randn(2, 2, 1.0), gt_randn(1, 2, 1.0), gt_randn(2, 2, 1.0), gt_randn(1, 2, 1.0) };"
                           "${t/const /}$pn = &${pn}_v;") ;;
        "const int *" | "int *") decl_arrays+=("int *$pn = calloc((size_t)(${count[$pn]}) + 1, sizeof *$pn);") ;;
        "double *") decl_arrays+=("double *$pn = calloc((size_t)(${count[$pn]}) + 1, sizeof *$pn);") ;;
    esac
done
call_args=$(join "${pname[@]}")
{
    rule="/* ---- $fn (scripts/add-function.sh) "
    dashes=$((92 - ${#rule} - 3)); [[ $dashes -ge 4 ]] || dashes=4
    printf '%s%s */\n' "$rule" "$(printf '%*s' "$dashes" '' | tr ' ' '-')"
    echo
    [[ -n $helper ]] && printf '%s\n' "$helper"
    fold -s -w 88 <<<"TODO: write this test. It calls $fn on placeholder inputs, so that an unwritten function scores TODO, then fails. Give it a small case whose answer you know (by hand, or ora_$fn: what the reference answers), check what the function returns and writes (gt_expect_mat, gt_expect_near, gt_expect_ints), rename it in the suite below, and keep the lab at 20 points." |
        sed -E 's/ +$//' | awk 'NR == 1 { printf "/* %s", $0; next } { printf "\n * %s", $0 } END { print " */" }'
    echo "static void $tname(void)"
    echo "{"
    for l in "${decl_scalars[@]}" "${decl_objects[@]}" "${decl_arrays[@]}"; do printf '    %s\n' "$l"; done
    echo "    gt_context(\"$fn on placeholder inputs\");"
    if [[ $ret == double ]]; then
        echo "    double got = $fn($call_args);"
        echo "    gt_fail(\"write this test: %s still has the placeholder that scripts/add-function.sh made for $fn \""
        echo "            \"(it returned %g)\", __FILE__, got);"
    else
        echo "    $fn($call_args);"
        echo "    gt_fail(\"write this test: %s still has the placeholder that scripts/add-function.sh made for $fn\","
        echo "            __FILE__);"
    fi
    echo "}"
    echo
} >"$tmp/test.ins"
entry="    { \"$NN $fn: a small case (to be written)\", 0.5, 5, $tname });"
if [[ ${#entry} -gt 118 ]]; then
    entry="    { \"$NN $fn: a small case (to be written)\", 0.5, 5,"$'\n'"      $tname });"
fi
awk -v ins="$tmp/test.ins" -v entry="$entry" '
    /^GT_SUITE\(/ && !s { while ((getline l < ins) > 0) print l; s = NR }
    s && !done && /\}\);[ \t]*$/ { sub(/\}\);[ \t]*$/, "},"); print; print entry; done = 1; next }
    { print }
    END { if (!done) exit 1 }' "$test_file" >"$tmp/test" ||
    refuse "cannot find the end of the GT_SUITE table in $test_file (its last line ends with '});')"

# The handout: a row after the last one of its first table of functions.
# (through the environment: awk -v would read backslashes as escapes; a | in the text is escaped)
row_desc=${desc:-TODO: what it does}
ROW="| \`$fn\` | ${row_desc//|/\\|} |" awk '
    { line[NR] = $0 }
    /^\| *`/ && !end { last = NR }
    !/^\| *`/ && last && !end { end = 1 }
    END { for (i = 1; i <= NR; i++) { print line[i]; if (i == last) print ENVIRON["ROW"] } }' "$readme" >"$tmp/readme"

# ---- in place --------------------------------------------------------------------------
cp "$tmp/header" "$header"
cp "$tmp/stub" "$stub"
cp "$tmp/sol" "$sol"
cp "$tmp/spec" "$spec"
[[ -f $tmp/ref ]] && cp "$tmp/ref" "$ref"
cp "$tmp/test" "$test_file"
cp "$tmp/readme" "$readme"

# The lab's points, public and hidden: each lab is worth 20 (grader/labs.c).
points() {
    cat "$@" 2>/dev/null | tr '\n' ' ' |
        grep -oE '\{ *"[0-9]{2} [A-Za-z_][A-Za-z0-9_]*:[^"]*", *[0-9.]+ *, *[0-9.]+ *, *[A-Za-z_][A-Za-z0-9_]* *\}' |
        sed -E 's/.*", *([0-9.]+) *,.*/\1/' | awk '{ s += $1 } END { printf "%g", s }'
}
total=$(points "$test_file" grader/tests/hidden/lab"$NN"_*.c)

col() { printf '  %-34s %s\n' "$1" "$2"; }
echo "add-function: $fn() added to lab $NN:"
col "$header" "the prototype, under a comment"
col "$stub" "the stub: a comment to write for students, LAB_TODO()"
col "$sol" "a skeleton that reaches LAB_TODO(): its tests say TODO until you write it"
col "$spec" "$spec_line"
[[ -f $tmp/ref ]] && col "$ref" "ref_$fn(), for hidden tests that compare with the reference"
col "$test_file" "$tname(), which fails (\"write this test\"), in the suite for 0.5 points"
col "$readme" "a row in the table of the lab's functions"
echo "Next:"
echo "  1. write the reference in $sol (until then make grade-solutions reports its test as TODO"
echo "     and make test fails, as it should)"
echo "  2. write the task for students: the stub's comment in $stub, the header comment in $header,"
echo "     the handout's row and text in $readme"
echo "  3. write the public test $tname() in $test_file (and hidden tests in"
echo "     grader/tests/hidden/lab${NN}_*.c if you want them); lab $NN's tests now add up to ${total:-?} points:"
echo "     rebalance them to 20 (the grader warns when they do not add up)"
echo "  4. scripts/check-api.sh && make test"
if out=$(scripts/check-api.sh 2>&1); then
    echo "$out" | tail -n 1
else
    echo "$out"
    echo "add-function: scripts/check-api.sh does not pass yet: see above"
    exit 1
fi
