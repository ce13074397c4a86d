#!/usr/bin/env bash
# Tests the experiment programs beyond Fashion-MNIST and their command line:
#   1. small made-up MNIST (IDX) and CIFAR-10 (binary) files (gen_data.py), and every
#      lab's experiment run end to end on each with --quick --data NAME:DIR, through
#      make run: exit 0, its own output folder, an index.md naming the data set, every
#      figure it lists a valid PNG, the gnuplot scripts and data in plots/ and redrawable;
#   2. hyperparameters from the command line: --no-search and given values in use, and
#      bad values, unknown options, options a lab does not use: one line and status 2;
#   3. a data set that is missing: status 1, with where to put it;
#   4. two lab files with a global helper of the same name in one experiment: it links.
# Usage: tests/experiments/run.sh [make variables, e.g. B=build-san SAN=1] (make test runs it)
set -uo pipefail
cd "$(dirname "$0")/../.."

MAKEVARS=("$@")
B=build
for v in "$@"; do [[ $v == B=* ]] && B=${v#B=}; done
MAKE=(make --no-print-directory -s "${MAKEVARS[@]}")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gradlab-exp-XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

# shellcheck source=tests/testlib.sh
source tests/testlib.sh

labs=$(ls -d labs/0*/ | xargs -n1 basename)
BIN=$B/solutions/bin

# is_png FILE: the file starts with the PNG signature and is more than a header
is_png() { [[ -s $1 ]] && [[ $(head -c 8 "$1" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] &&
           [[ $(wc -c <"$1") -gt 100 ]]; }
# figures_ok DIR: every figure index.md lists is a PNG there; no plot files outside plots/
figures_ok() {
    local d=$1 f n=0
    [[ -s $d/index.md ]] || return 1
    while IFS= read -r f; do
        is_png "$d/$f" || { echo "    not a PNG: $d/$f"; return 1; }
        n=$((n + 1))
    done < <(sed -n 's/^## \(.*\.png\)$/\1/p' "$d/index.md")
    # every PNG in the folder is listed
    [[ $(find "$d" -maxdepth 1 -name '*.png' | wc -l) -eq $n ]] || { echo "    unlisted PNGs in $d"; return 1; }
    ! find "$d" -maxdepth 1 \( -name '*.gp' -o -name '*.dat' \) | grep -q .
}

echo "== generated data sets"
mkdir -p "$TMP/mnist" "$TMP/cifar"
check "gen_data.py writes MNIST-layout IDX files" python3 tests/experiments/gen_data.py mnist "$TMP/mnist"
check "gen_data.py writes CIFAR-10 binary batches" python3 tests/experiments/gen_data.py cifar10 "$TMP/cifar"

echo "== every experiment on MNIST and CIFAR-10 (--quick)"
for l in $labs; do
    n=${l%%-*}
    for spec in "mnist:$TMP/mnist" "cifar10:$TMP/cifar"; do
        name=${spec%%:*}
        out=$TMP/out
        log=$TMP/$l-$name.log
        "${MAKE[@]}" _run LAB="$n" SOLUTIONS=1 OUT="$out" DATA="$spec" ARGS=--quick >"$log" 2>&1
        rc=$?
        check "lab $n on $name: exit 0" test $rc -eq 0 || tail -15 "$log"
        d=$out/$l-$name-quick
        check "lab $n on $name: writes into its own folder $(basename "$d")/ with index.md" test -s "$d/index.md"
        check "lab $n on $name: every figure index.md lists is a valid PNG, plot files only in plots/" figures_ok "$d"
        if [[ $n != 03 ]]; then
            label=$([[ $name == mnist ]] && echo "MNIST from" || echo "CIFAR-10 from")
            check "lab $n on $name: says which data set it used (output and index.md)" \
                bash -c "grep -q '^data: $label' '$log' && grep -q '^- data: $label' '$d/index.md'"
        fi
    done
done
check "lab 04 on CIFAR-10 draws colour templates with CIFAR's class names" \
    bash -c "grep -q 'weights_svm.png' '$TMP/out/04-sgd-cifar10-quick/index.md' &&
             python3 - '$TMP/out/04-sgd-cifar10-quick/weights_svm.png' <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
w, h, depth, ctype = struct.unpack('>IIBB', d[16:26])
sys.exit(0 if ctype in (2, 6) else 1)   # RGB or RGBA
PY"
# figures_listed DIR NAME...: index.md in DIR lists NAME.png for every NAME
figures_listed() {
    local d=$1 f
    shift
    for f in "$@"; do grep -qx "## $f.png" "$d/index.md" || { echo "    $f.png not in $d/index.md"; return 1; }; done
}
for name in mnist cifar10; do
    check "lab 01 on $name: samples, cross-validation, confusion matrix and nearest neighbours figures" \
        figures_listed "$TMP/out/01-knn-$name-quick" samples knn_cross_validation knn_confusion knn_neighbors
    check "lab 02 on $name: the lecture's table as scores, SVM terms and softmax probabilities" \
        figures_listed "$TMP/out/02-loss-$name-quick" loss_table_scores loss_table_svm loss_table_softmax
done
check "lab 05 on CIFAR-10 lists its seven figures (search, reg pair, loss, accuracy, first layer, confusion, mistakes)" \
    figures_listed "$TMP/out/05-mlp-cifar10-quick" mlp_search mlp_first_layer_reg mlp_loss mlp_accuracy mlp_first_layer mlp_confusion mlp_misclassified
if command -v gnuplot >/dev/null; then
    d=$TMP/out/04-sgd-mnist-quick
    rm -f "$d/loss_1d.png"
    check "a figure is drawn again by 'gnuplot plots/NAME.gp' in its folder" \
        bash -c "cd '$d' && gnuplot plots/loss_1d.gp && test -s loss_1d.png"
fi
check "index.md says how to redraw a figure" grep -q 'gnuplot plots/' "$TMP/out/04-sgd-mnist-quick/index.md"

echo "== hyperparameters from the command line"
log=$TMP/nosearch.log
"${MAKE[@]}" _run LAB=05 SOLUTIONS=1 OUT="$TMP/out" DATA="mnist:$TMP/mnist" ARGS='--quick --no-search --hidden 32 --reg=1e-3 --epochs 2' >"$log" 2>&1
check "lab 05 --no-search --hidden 32 --reg=1e-3 --epochs 2: runs once at those values" \
    bash -c "grep -q '^values in use: hidden 32, learning rate 0.1, reg 0.001 ' '$log' && ! grep -q 'Hyperparameter search' '$log' &&
             grep -q 'hidden 32, 2 epochs' '$log'"
log=$TMP/k.log
"$BIN/01-knn" --out "$TMP/k" --quick --data "mnist:$TMP/mnist" --no-search --k 3 >"$log" 2>&1
check "lab 01 --no-search --k 3: no cross-validation, k = 3 on the test set" \
    bash -c "grep -q 'k = 3 (given)' '$log' && ! grep -q 'cross-validation of k on' '$log'"
log=$TMP/lr.log
"$BIN/04-sgd" --out "$TMP/lr" --quick --data "mnist:$TMP/mnist" --no-search --lr 0.05 --batch 64 >"$log" 2>&1
check "lab 04 --no-search --lr 0.05 --batch 64: no grid, both final runs at lr 0.05" \
    bash -c "grep -q '^values in use: SVM lr 0.05 reg 1e-05, softmax lr 0.05 reg 0.0001 .*batch 64' '$log' &&
             ! grep -q 'lr_reg_grid' '$log'"
check "--help lists the lab's own options with their defaults" \
    bash -c "'$BIN/05-mlp' --help | grep -q -- '--hidden N .*(default: searched; 512 with --no-search)' &&
             ! '$BIN/05-mlp' --help | grep -q -- '--k N' && '$BIN/01-knn' --help | grep -q -- '--folds N'"

# bad LAB 'ARGS' PATTERN: status 2 and exactly one line on stderr, matching PATTERN
bad_args() {
    local lab=$1 args=$2 pat=$3 err=$TMP/bad.err
    # shellcheck disable=SC2086
    "$BIN/$lab" --out "$TMP/bad" $args >/dev/null 2>"$err"
    local rc=$?
    one_line() { [[ $rc -eq 2 && $(wc -l <"$err") -eq 1 ]] && grep -qE -- "$pat" "$err"; }
    check "$lab $args: status 2, one line: $pat" one_line ||
        { echo "    status $rc, stderr:"; sed 's/^/      /' "$err"; }
}
bad_args 01-knn "--k 0" "--k 0: --k must be a whole number at least 1"
bad_args 01-knn "--folds 1" "--folds 1: .*at least 2"
bad_args 01-knn "--k 2.5" "not a whole number"
bad_args 01-knn "--k" "--k needs a value"
bad_args 05-mlp "--batch 0" "--batch 0: .*at least 1"
bad_args 05-mlp "--lr -1" "--lr -1: --lr must be greater than 0"
bad_args 05-mlp "--lr=abc" "--lr 'abc': not a number"
bad_args 05-mlp "--lr nan" "not a number"
bad_args 05-mlp "--momentum 1" "less than 1"
bad_args 05-mlp "--no-search=yes" "takes no value"
bad_args 04-sgd "--hidden 100" "--hidden is not used by lab 04 \\(options: .*--lr .*--no-search"
bad_args 02-loss "--lr 0.1" "--lr is not used by lab 02"
bad_args 03-gradcheck "--wat" "unknown option '--wat'"
bad_args 05-mlp "--data imagenet" "unknown data set 'imagenet'"
bad_args 05-mlp "--seed -3" "--seed '-3'"
bad_args 05-mlp "stray" "unexpected argument 'stray'"
bad_args 01-knn "--quick --data mnist:$TMP/mnist --k 100000" "--k 100000: more neighbours than the 300 training images"

echo "== a data set that is not there"
"$BIN/04-sgd" --out "$TMP/miss" --quick --data "cifar10:$TMP/nowhere" >"$TMP/miss.out" 2>"$TMP/miss.err"
rc=$?
check "--data cifar10:MISSING: status 1, names the file and where to put the data" \
    bash -c "[[ $rc -eq 1 ]] && grep -q 'nowhere/data_batch_1.bin' '$TMP/miss.err' && grep -q 'data/cifar-10-batches-bin/' '$TMP/miss.err'"
GRADLAB_ROOT=$TMP/empty "$BIN/04-sgd" --out "$TMP/miss" --quick --data mnist >"$TMP/miss.out" 2>"$TMP/miss.err"
rc=$?
check "--data mnist with no MNIST installed: status 1, says where it looked and what to download" \
    bash -c "[[ $rc -eq 1 ]] && grep -q 'MNIST not found (tried $TMP/empty/data/mnist' '$TMP/miss.err' && grep -q 'data/mnist/' '$TMP/miss.err'"

echo "== helpers without static in two lab files one experiment links"
# Lab 04's experiment links lab 02's file and lab 04's: a global helper of the same name
# in both is made local to each object, as the grader does, so the link still works.
src=$TMP/clash-src
cp -rp solutions "$src"
for f in "$src/02-loss/loss.c" "$src/04-sgd/linear.c"; do
    printf '\ndouble clamp_helper(double v) { return v < 0 ? 0 : v; }\n' >>"$f"
done
"${MAKE[@]}" _run LAB=04 LABSRC="$src" VB="$TMP/clash-build" OUT="$TMP/clash-out" ARGS=--quick >"$TMP/clash.log" 2>&1
rc=$?
check "lab 04 --quick with clamp_helper() global in loss.c and linear.c: links and runs (status $rc)" \
    bash -c "[[ $rc -eq 0 ]] && ! grep -q 'multiple definition' '$TMP/clash.log'"

echo
echo "experiments: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
