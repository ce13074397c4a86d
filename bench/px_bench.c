/*
 * px_bench.c - what the grader's sandbox costs: starting a worker, one proxied
 * call, one callback round trip (make bench).
 *
 *   px_bench BUILD_DIR [CALLS]
 *
 * BUILD_DIR is a grading build directory (build/solutions/grade) whose lab 03
 * worker was built from the reference. Prints bench/run.sh's raw lines:
 *   R sandbox_start gradlab SECONDS - -     fork, exec, confine, first answer
 *   R sandbox_start_zygote gradlab SECONDS - -   the same forked from the lab's zygote
 *   R proxy_call gradlab SECONDS - -        rel_error on 1x1 matrices, per call
 *   R proxy_callback gradlab SECONDS - -    numerical_gradient: per f evaluation
 */
#include "gradcheck.h"
#include "sandbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double sum_sq(const Mat *x, void *ctx)
{
    (void)ctx;
    return mat_sum_sq(x);
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: px_bench BUILD_DIR [CALLS]\n");
        return 2;
    }
    int calls = argc > 2 ? atoi(argv[2]) : 20000;
    SbxConfig cfg = { .build_dir = argv[1], .started = now(), .deadline = now() + 600, .seconds = 600,
                     .mem_mb = 1024, .cpu_seconds = 600 };
    sbx_setup(&cfg);
    Mat *a = mat_new(1, 1), *b = mat_new(1, 1);
    a->data[0] = 1.0;
    b->data[0] = 1.5;

    double t0 = now();
    volatile double sink = rel_error(a, b);   /* starts the worker */
    double t1 = now();
    for (int i = 0; i < calls; i++) sink += rel_error(a, b);
    double t2 = now();
    enum { M = 2000 };   /* 2 * M callbacks in one call */
    Mat *x = mat_new(1, M), *g = mat_new(1, M);
    mat_fill(x, 0.5);
    numerical_gradient(sum_sq, NULL, x, 1e-5, g);
    double t3 = now();
    sbx_shutdown();

    /* The same start from lab 03's zygote, as the grader does it: the median of 50. */
    bool labs[64] = { false };
    for (int li = 0; li < labs_count && li < 64; li++) labs[li] = !strcmp(labs_table[li].num, "03");
    sbx_zygotes_start(argv[1], labs, false, 0, 0);
    enum { Z = 50 };
    double zt[Z];
    for (int i = 0; i < Z; i++) {
        sbx_setup(&cfg);
        double z0 = now();
        sink += rel_error(a, b);
        zt[i] = now() - z0;
        sbx_shutdown();
    }
    qsort(zt, Z, sizeof zt[0], cmp_double);
    sbx_zygotes_stop();
    (void)sink;

    printf("R sandbox_start gradlab %.6f - -\n", t1 - t0);
    printf("R sandbox_start_zygote gradlab %.6f - median_of_%d\n", zt[Z / 2], Z);
    printf("R proxy_call gradlab %.7f - %d_calls\n", (t2 - t1) / calls, calls);
    printf("R proxy_callback gradlab %.7f - %d_callbacks\n", (t3 - t2) / (2.0 * M), 2 * M);
    return 0;
}
