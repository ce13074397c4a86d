#!/usr/bin/env bash
# bench/run.sh - `make bench`: gradlab's library and reference solutions next to
# numpy / scikit-learn, on the same machine in the same run.
#
# Usage (from the repository root; `make bench` passes B and OPT):
#   bench/run.sh B=build-bench OPT='-O3 -march=native' [REPS=3] [HEAVY_REPS=n] [QUICK=1] [MAKE_TEST=0|1] [KNN_M=rows] [ONLY=knn|grade-all]
# REPS, HEAVY_REPS, QUICK, MAKE_TEST, KNN_M and ONLY may also come from the environment, so
# `make bench REPS=5` or `make bench MAKE_TEST=0` work (make exports
# command-line variables to its recipes).
#
# Builds the library and the solutions with OPT into B/, then runs every
# workload REPS times, alternating gradlab and its peers, and reports medians
# in one table: on the terminal, in bench/results.md and bench/results.csv.
# QUICK=1 runs one repetition of the cheap rows and a 200-row kNN (a smoke
# test of this script, ~2 min on a busy machine). MAKE_TEST=1 (the default
# without QUICK) also times `make test` in its own build directory, several
# minutes; HEAVY_REPS (default REPS) sets the repetitions of the two
# full-data kNN workloads alone, ~1-7 min each on a busy machine; with MAKE_TEST=0 the last measured value is reported from
# bench/make-test-time.txt, marked with its date. KNN_M=rows limits the full
# kNN workload to the first rows of the test set (default: all 10,000). ONLY=knn runs
# only the peak and the full-data kNN with k = 5, on every core, on one thread and with
# scikit-learn (`make bench ONLY=knn`, a few minutes), and writes bench/results-knn.md
# and .csv instead of bench/results.md and .csv. ONLY=grade-all likewise runs only the peak
# and make grade-all on 40 submissions, clean and with one that hangs (a few minutes), into
# bench/results-grade-all.md.
# The peers run only when Debian's python3 has numpy / scikit-learn
# (`make bench-deps`); the python3 first on PATH may be another one, so the
# peers run with /usr/bin/python3.
set -euo pipefail
cd "$(dirname "$0")/.."

B=build-bench
OPT='-O3 -march=native'
REPS=${REPS:-3}
HEAVY_REPS=${HEAVY_REPS:-}
QUICK=${QUICK:-0}
MAKE_TEST=${MAKE_TEST:-}
KNN_M=${KNN_M:-0}
ONLY=${ONLY:-}
for arg in "$@"; do
    case $arg in
        B=*) B=${arg#B=} ;;
        OPT=*) OPT=${arg#OPT=} ;;
        REPS=*) REPS=${arg#REPS=} ;;
        HEAVY_REPS=*) HEAVY_REPS=${arg#HEAVY_REPS=} ;;
        QUICK=*) QUICK=${arg#QUICK=} ;;
        MAKE_TEST=*) MAKE_TEST=${arg#MAKE_TEST=} ;;
        KNN_M=*) KNN_M=${arg#KNN_M=} ;;
        ONLY=*) ONLY=${arg#ONLY=} ;;
        *) echo "bench/run.sh: unknown argument '$arg'" >&2; exit 2 ;;
    esac
done
if [[ $QUICK == 1 ]]; then
    REPS=1
    [[ $KNN_M == 0 ]] && KNN_M=200
    MAKE_TEST=${MAKE_TEST:-0}
fi
case $ONLY in
    '') ;;
    knn|grade-all) MAKE_TEST=0 ;;
    *) echo "bench/run.sh: ONLY=$ONLY: only ONLY=knn and ONLY=grade-all are known" >&2; exit 2 ;;
esac
MAKE_TEST=${MAKE_TEST:-1}
HEAVY_REPS=${HEAVY_REPS:-$REPS}
KNN_ROWS=$KNN_M
[[ $KNN_ROWS == 0 ]] && KNN_ROWS=10000

THREADS=$(nproc)
PY=/usr/bin/python3
# The benchmark runs with what OpenBLAS detects itself: an inherited
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (set in some environments) would pin an
# older kernel. Both sides get the same thread count: the number of cores.
RUN=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$THREADS" OMP_NUM_THREADS="$THREADS")
RAW=$B/bench/raw.txt
MD=bench/results${ONLY:+-$ONLY}.md
CSV=bench/results${ONLY:+-$ONLY}.csv
mkdir -p "$B/bench"
: > "$RAW"
t_start=$(date +%s)

# ---- build: the library, the solutions and lab 05's trainer, with OPT ----
echo "building into $B with OPT='$OPT'"
objs=("$B/solutions/obj/01-knn/knn.o" "$B/solutions/obj/02-loss/loss.o" "$B/solutions/obj/04-sgd/linear.o"
      "$B/solutions/obj/05-mlp/mlp.o" "$B/exp/05-mlp/trainer.o")
make --no-print-directory -s B="$B" OPT="$OPT" SOLUTIONS=1 "$B/libgradlab.a" "${objs[@]}"
# OPT and pkg-config's output are lists of flags: split on spaces on purpose.
PKGS=(check libpng zlib openblas)
read -r -a OPT_FLAGS <<< "$OPT"
read -r -a PKG_CFLAGS <<< "$(pkg-config --cflags "${PKGS[@]}")"
read -r -a PKG_LIBS <<< "$(pkg-config --libs "${PKGS[@]}")"
CFLAGS=(-std=c11 -Wall -Wextra -g "${OPT_FLAGS[@]}" -Iinclude -Ilabs/05-mlp -D_GNU_SOURCE "${PKG_CFLAGS[@]}")
LIBS=("${PKG_LIBS[@]}" -lm)
cc "${CFLAGS[@]}" bench/gl_bench.c "${objs[@]}" "$B/libgradlab.a" "${LIBS[@]}" -o "$B/bench/gl_bench"
cc "${CFLAGS[@]}" bench/peak.c "$B/libgradlab.a" -pthread -o "$B/bench/peak"
GL=("${RUN[@]}" "$B/bench/gl_bench")

have_numpy=0 have_sklearn=0
if [[ -x $PY ]] && $PY -c 'import numpy' 2>/dev/null; then have_numpy=1; fi
if [[ $have_numpy == 1 ]] && $PY -c 'import sklearn' 2>/dev/null; then have_sklearn=1; fi
DATA_DIR=$(printf '%s\n' /usr/share/datasets/fashion-mnist)
[[ -n ${GRADLAB_DATA:-} ]] && DATA_DIR=$GRADLAB_DATA
[[ -e data/fashion-mnist/train-images-idx3-ubyte.gz || -e data/fashion-mnist/train-images-idx3-ubyte ]] &&
    DATA_DIR=data/fashion-mnist
PEER=("${RUN[@]}" "$PY" bench/peers.py --data "$DATA_DIR")
if [[ $have_numpy == 0 ]]; then
    echo "numpy not found for $PY: the peer columns stay empty (make bench-deps installs it)"
fi

# Runs one command and appends its R lines to the raw file (echoing them).
run() {
    local out
    out=$("$@") || { echo "bench: failed: $*" >&2; exit 1; }
    grep '^R ' <<< "$out" | tee -a "$RAW" | sed 's/^R /  /'
}
peer() { if [[ $have_numpy == 1 ]]; then run "${PEER[@]}" "$@"; fi; }
sk() { if [[ $have_sklearn == 1 ]]; then run "${PEER[@]}" "$@"; fi; }

echo "== load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
# Busy and idle clock ticks of all CPUs so far (/proc/stat), to state how
# much of the machine other programs took during the run.
cpu_ticks() { awk '$1 == "cpu" { busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, $5 + $6 }' /proc/stat; }
read -r BUSY0 IDLE0 < <(cpu_ticks)

# ---- 0. the machine's fp64 FMA peak, all cores, then one ----
# Wall-clock peak (what a program gets now, with the other users of the
# machine) and each thread's rate per CPU-second it was given (what a core
# does while it runs this thread: the ceiling on an idle machine).
read -r _ _ PEAK PEAK_BITS PEAK_SHARE PEAK_CORE < <("$B/bench/peak" "$THREADS")
read -r _ _ PEAK1 _ PEAK1_SHARE PEAK1_CORE < <("$B/bench/peak" 1)
CEILING=$(awk -v a="$PEAK_CORE" -v b="$PEAK1_CORE" -v t="$THREADS" 'BEGIN { printf "%.0f", (a > b ? a : b) * t }')
echo "peak fp64: $PEAK GFLOP/s on $THREADS threads (CPU share $PEAK_SHARE, $PEAK_CORE per thread-CPU-second);" \
     "$PEAK1 on 1 (share $PEAK1_SHARE, $PEAK1_CORE); idle ceiling ~$CEILING; ${PEAK_BITS}-bit FMA"

# ---- 1. matrix products ----
if [[ -z $ONLY ]]; then
    run "${GL[@]}" gemm 2048 "$REPS"
    peer gemm 2048 "$REPS"
fi
if [[ $QUICK != 1 && -z $ONLY ]]; then
    # the kNN shape, in blocks of 1000 test rows (the 4.8 GB product is never whole)
    for ((r = 0; r < HEAVY_REPS; r++)); do
        run "${GL[@]}" gemm-knn 1000 1
        peer gemm-knn 1000 1
    done
fi

# ---- 2. kNN: loops on a subset, then the full test set ----
for ((r = 0; r < REPS && ${#ONLY} == 0; r++)); do
    run "${GL[@]}" knn-loops 200 5000
    peer knn-loops 200 5000
done
# The full test set in blocks of 500 test rows: a 500 x 60000 block of
# distances is 240 MB, so no side needs the whole 4.8 GB matrix. gradlab's
# blocks run on every core (one block and one BLAS thread per core, as lab 01's
# experiment does); k = 5 also on one thread (GRADLAB_THREADS=1), next to
# scikit-learn's k = 5 in the same repetition.
# ONLY=knn: just that comparison (issue 13's figure), each repetition one pass
# of each side.
knn_rows=0
[[ -z $ONLY || $ONLY == knn ]] && knn_rows=1
for ((r = 0; r < HEAVY_REPS && knn_rows; r++)); do
    if [[ -z $ONLY ]]; then
        run "${GL[@]}" knn 500 "$KNN_M"
        peer knn 500 "$KNN_M"
        for k in 1 5 9; do sk knn-sklearn "$k" "$KNN_M"; done
    else
        run "${GL[@]}" knn 500 "$KNN_M" 5
        sk knn-sklearn 5 "$KNN_M"
    fi
    run env GRADLAB_THREADS=1 "${GL[@]}" knn 500 "$KNN_M" 5
done

# ---- 3. linear classifiers ----
for ((r = 0; r < REPS && ${#ONLY} == 0; r++)); do
    run "${GL[@]}" loss 3
    peer loss 3
done

# ---- 4. two-layer net ----
for ((r = 0; r < REPS && ${#ONLY} == 0; r++)); do
    for h in 100 256; do
        run "${GL[@]}" mlp "$h"
        peer mlp "$h"
        sk mlp-sklearn "$h"
    done
done

# ---- 5. the project's own commands, in their own build directory ----
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
# The grader's last line that mentions points, squeezed into one token.
grade_summary() { { grep -i -E 'total|points|score' "$1" | tail -n 1 || true; } | tr -s ' \t' '_' | cut -c1-60; }
# These run as a user types them: with the Makefile's default OPT, so the
# variables of the `make bench` that started this script (MAKEFLAGS carries
# OPT=-O3 ..., and make exports OPT and SAN into the environment as well) are dropped.
PLAIN_MAKE=(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES -u OPT -u SAN make --no-print-directory -s)
GB=$B/grade-timing
if [[ $QUICK != 1 && -z $ONLY ]]; then
    rm -rf "$GB"
    t0=$(date +%s.%N)
    "${PLAIN_MAKE[@]}" B="$GB" _grade SOLUTIONS=1 > "$B/bench/grade.log" 2>&1 || true
    t1=$(date +%s.%N)
    "${PLAIN_MAKE[@]}" B="$GB" _grade SOLUTIONS=1 > "$B/bench/grade2.log" 2>&1 || true
    t2=$(date +%s.%N)
    echo "R grade_solutions_cold gradlab $(elapsed "$t0" "$t1") - $(grade_summary "$B/bench/grade.log")" | tee -a "$RAW"
    echo "R grade_solutions_warm gradlab $(elapsed "$t1" "$t2") - $(grade_summary "$B/bench/grade2.log")" | tee -a "$RAW"
    # The sandbox: starting a worker, one proxied call, one callback round trip; one
    # whole lab graded (lab 03: the most calls and callbacks); and edit-to-verdict, a
    # student's loop: a lab file changed, then make grade ARGS='--lab 01'.
    "${PLAIN_MAKE[@]}" B="$GB" "$GB/bench/px_bench" >/dev/null 2>&1 || true
    for rep in $(seq "$REPS"); do
        "$GB/bench/px_bench" "$GB/solutions/grade" | tee -a "$RAW"
        t0=$(date +%s.%N)
        "$GB/gradlab-grade" --build-dir "$GB/solutions/grade" --source-dir solutions --lab 03 --no-color \
            >"$B/bench/grade-lab.log" 2>&1 || true
        t1=$(date +%s.%N)
        echo "R grade_one_lab gradlab $(elapsed "$t0" "$t1") - $(grade_summary "$B/bench/grade-lab.log")" | tee -a "$RAW"
    done
    ED=$B/bench/edit
    rm -rf "$ED" && mkdir -p "$ED" && cp -r solutions "$ED/src"
    "${PLAIN_MAKE[@]}" B="$GB" _grade-build LABSRC="$ED/src" VB="$ED/build" >/dev/null 2>&1 || true
    for rep in $(seq "$REPS"); do
        echo "/* edit $rep */" >>"$ED/src/01-knn/knn.c"
        t0=$(date +%s.%N)
        "${PLAIN_MAKE[@]}" B="$GB" _grade LABSRC="$ED/src" VB="$ED/build" ARGS="--lab 01 --no-color" \
            >"$B/bench/edit.log" 2>&1 || true
        t1=$(date +%s.%N)
        echo "R edit_to_verdict gradlab $(elapsed "$t0" "$t1") - $(grade_summary "$B/bench/edit.log")" | tee -a "$RAW"
    done
fi
# ONLY=grade-all: just these two rows (issue 14's figure).
if [[ $QUICK != 1 && ( -z $ONLY || $ONLY == grade-all ) ]]; then
    # make grade-all on a class of 40 copies of the reference, 2 at a time (all cores of a
    # 2-core machine), and the same class with one submission whose knn_distances_l1 never
    # returns (its tests time out; the others go on beside it). Once each: about 2 and 3 minutes.
    GA=$B/bench/grade-all
    # The grader and the shared objects are built first, outside the timing (grade-all
    # builds them too when they are missing, which is not what these rows measure).
    "${PLAIN_MAKE[@]}" B="$GB" _grade SOLUTIONS=1 ARGS=--list >/dev/null 2>&1 || true
    rm -rf "$GA" && mkdir -p "$GA/clean" "$GA/hang"
    for i in $(seq -w 1 40); do
        for c in clean hang; do
            mkdir -p "$GA/$c/s$i"
            for lf in solutions/[0-9][0-9]-*/*.c; do
                [[ -f include/$(basename "$lf" .c).h ]] && cp "$lf" "$GA/$c/s$i/"
            done
        done
    done
    awk '{ print } /^void knn_distances_l1\(/ { f = 1 } f && /^\{/ { print "    for (volatile int spin = 1; spin;) {}"; f = 0 }' \
        solutions/01-knn/knn.c >"$GA/hang/s07/knn.c"
    for c in clean hang; do
        t0=$(date +%s.%N)
        GRADE_ALL_OUT=$GA/out-$c "${PLAIN_MAKE[@]}" B="$GB" grade-all SUBMISSIONS="$GA/$c" JOBS=2 >"$GA/$c.log" 2>&1 || true
        t1=$(date +%s.%N)
        echo "R grade_all_40_$c gradlab $(elapsed "$t0" "$t1") - $(awk -v t="$(elapsed "$t0" "$t1")" \
            'BEGIN { printf "%.2f_submissions/s", 40 / t }')" | tee -a "$RAW"
    done
fi
if [[ $MAKE_TEST == 1 ]]; then
    TB=$B/test-timing
    rm -rf "$TB"
    t0=$(date +%s.%N)
    status=0
    "${PLAIN_MAKE[@]}" B="$TB" _test > "$B/bench/test.log" 2>&1 || status=$?
    t1=$(date +%s.%N)
    printf '%s %s %s %s\n' "$(elapsed "$t0" "$t1")" "$(date -u +%Y-%m-%dT%H:%MZ)" "exit=$status" \
        "by_bench/run.sh,load_$(cut -d' ' -f1 /proc/loadavg)" > bench/make-test-time.txt
fi
# The file: seconds, when (UTC), exit=status, how (one word, no spaces).
if [[ -s bench/make-test-time.txt && -z $ONLY ]]; then
    read -r secs when st how < bench/make-test-time.txt
    if [[ $MAKE_TEST == 1 ]]; then note="this_run,${st}"; else note="not_in_this_run:measured_${when},${st},${how:-}"; fi
    echo "R make_test gradlab $secs - $note" | tee -a "$RAW"
fi

LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)
read -r BUSY1 IDLE1 < <(cpu_ticks)
# (the parentheses matter: a bare ">" after printf's arguments is a redirection)
BUSY_PCT=$(awk -v b=$((BUSY1 - BUSY0)) -v i=$((IDLE1 - IDLE0)) 'BEGIN { printf "%.0f", (b + i > 0 ? 100 * b / (b + i) : 0) }')
t_total=$(( $(date +%s) - t_start ))

# ---- the table: medians per (workload, implementation) ----
CPU=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)
CPU_FAMILY=$(lscpu | sed -n 's/^CPU family: *//p' | head -n 1)
TPC=$(lscpu | sed -n 's/^Thread(s) per core: *//p' | head -n 1)
FLAGS=$(grep -o -w -E 'avx512f|avx2|fma' /proc/cpuinfo | sort -u | tr '\n' ' ')
BLAS=$("${RUN[@]}" "$B/bench/gl_bench" blas-info 2>/dev/null || true)
NUMPY_V=$([[ $have_numpy == 1 ]] && $PY -c 'import numpy; print(numpy.__version__)' || echo "not installed")
SKLEARN_V=$([[ $have_sklearn == 1 ]] && $PY -c 'import sklearn; print(sklearn.__version__)' || echo "not installed")

awk -v peak="$PEAK" -v ceiling="$CEILING" -v threads="$THREADS" -v knn_rows="$KNN_ROWS" -v csv="$CSV" \
    -f bench/table.awk "$RAW" > "$B/bench/table.md"

{
    echo "# gradlab benchmarks"
    echo
    echo "Written by \`make bench\` (bench/run.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'); do not edit by hand."
    echo
    echo "- CPU: $CPU (family $CPU_FAMILY), $THREADS cores ($(nproc) online, $TPC thread per core as the VM reports it), flags: $FLAGS"
    echo "- fp64 peak (bench/peak.c, FMA on registers, ${PEAK_BITS}-bit vectors), best of 5 tries: **$PEAK GFLOP/s** wall-clock on $THREADS threads" \
         "(each thread was on a CPU ${PEAK_SHARE} of the time, and did $PEAK_CORE GFLOP per CPU-second); $PEAK1 on one thread" \
         "(on a CPU ${PEAK1_SHARE} of the time, $PEAK1_CORE per CPU-second). Idle-machine ceiling: per-CPU-second rate x $THREADS = **~$CEILING GFLOP/s**."
    echo "- sharing: the CPUs were busy ${BUSY_PCT}% of the run (/proc/stat, all programs, this one included)"
    echo "- threads: OpenBLAS and OpenMP $THREADS everywhere (gradlab, numpy, scikit-learn); gradlab's full kNN runs its blocks on $THREADS threads of its own (par.h), each with one OpenBLAS thread"
    echo "- BLAS: $BLAS; numpy $NUMPY_V and scikit-learn $SKLEARN_V with $PY"
    echo "- build: OPT='$OPT' into $B/; load average ${LOAD_BEFORE} before, ${LOAD_AFTER} after; $REPS repetitions ($HEAVY_REPS for the two full-data kNN workloads), medians; whole run ${t_total} s"
    echo "- commands: \`make bench${ONLY:+ ONLY=$ONLY}\` = \`bench/run.sh B=$B OPT='$OPT'${ONLY:+ ONLY=$ONLY}\`; each row is \`$B/bench/gl_bench <workload>\` vs \`$PY bench/peers.py <workload>\`, run alternately under \`${RUN[*]}\`"
    echo
    cat "$B/bench/table.md"
    # The hand-written analysis lives in bench/README.md, section "Where the time goes".
    echo
    awk '/^## /{ on = ($0 ~ /^## Where the time goes/) } on' bench/README.md
} > "$MD"

echo
cat "$B/bench/table.md"
echo
echo "wrote $MD and $CSV (raw timings: $RAW); ${t_total} s"
