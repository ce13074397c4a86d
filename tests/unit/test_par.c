/*
 * test_par.c - par.c: every task runs exactly once, on a worker index in range,
 * with any number of workers (1, a few, more than there are tasks); the results
 * of a pool of mat_gemm products are bit-identical to the same work done
 * serially; OpenBLAS's thread count is one inside the pool and restored after.
 */
#include <check.h>
#include <cblas.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "mat.h"
#include "par.h"
#include "rng.h"
#include "suites.h"

/* ---- core: each task once ---- */

enum { MAX_TASKS = 1000 };

typedef struct {
    atomic_int runs[MAX_TASKS];   /* how many times each task ran */
    atomic_int bad_worker;        /* tasks that saw a worker index out of range */
    atomic_int blas_not_one;      /* tasks that saw OpenBLAS on more than one thread */
    atomic_int workers_seen[PAR_MAX_WORKERS];
    int workers;
} CountCtx;

static void count_task(void *ctx, int task, int worker)
{
    CountCtx *c = ctx;
    atomic_fetch_add(&c->runs[task], 1);
    if (worker < 0 || worker >= c->workers) atomic_fetch_add(&c->bad_worker, 1);
    else atomic_fetch_add(&c->workers_seen[worker], 1);
    if (openblas_get_num_threads() != 1) atomic_fetch_add(&c->blas_not_one, 1);
}

/* (tasks, workers): one worker, a few, more workers than tasks, a single task, many tasks. */
static const int shapes[][2] = { { 20, 1 }, { 20, 2 }, { 20, 3 }, { 3, 8 }, { 1, 4 }, { MAX_TASKS, 4 }, { 7, 0 } };
enum { N_SHAPES = sizeof shapes / sizeof shapes[0] };

START_TEST(test_every_task_once)
{
    int tasks = shapes[_i][0], workers = shapes[_i][1];
    CountCtx *c = calloc(1, sizeof *c);
    ck_assert_ptr_nonnull(c);
    int expect_workers = workers < 1 ? 1 : workers > tasks ? tasks : workers;
    c->workers = expect_workers;
    int ran = par_run(count_task, c, tasks, workers);
    ck_assert_msg(ran == expect_workers, "par_run(%d tasks, %d workers) returned %d, expected %d threads", tasks,
                  workers, ran, expect_workers);
    int wrong = 0, first = -1;
    for (int t = 0; t < tasks; t++)
        if (atomic_load(&c->runs[t]) != 1 && wrong++ == 0) first = t;
    ck_assert_msg(wrong == 0, "%d tasks did not run exactly once (task %d ran %d times), %d tasks, %d workers",
                  wrong, first, first >= 0 ? atomic_load(&c->runs[first]) : 0, tasks, workers);
    for (int t = tasks; t < MAX_TASKS; t++)
        ck_assert_msg(atomic_load(&c->runs[t]) == 0, "task %d >= num_tasks = %d ran", t, tasks);
    ck_assert_msg(atomic_load(&c->bad_worker) == 0, "a task saw a worker index outside [0, %d)", expect_workers);
    ck_assert_msg(atomic_load(&c->blas_not_one) == 0, "OpenBLAS was on more than one thread inside the pool");
    free(c);
}
END_TEST

START_TEST(test_no_tasks)
{
    CountCtx *c = calloc(1, sizeof *c);
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(par_run(count_task, c, 0, 4), 0);
    ck_assert_int_eq(par_run(count_task, c, -3, 4), 0);
    for (int t = 0; t < MAX_TASKS; t++) ck_assert_int_eq(atomic_load(&c->runs[t]), 0);
    free(c);
}
END_TEST

START_TEST(test_blas_threads_restored)
{
    int before = openblas_get_num_threads();
    openblas_set_num_threads(2);
    CountCtx *c = calloc(1, sizeof *c);
    ck_assert_ptr_nonnull(c);
    c->workers = 2;
    par_run(count_task, c, 10, 2);
    ck_assert_msg(atomic_load(&c->blas_not_one) == 0, "OpenBLAS was on more than one thread inside the pool");
    ck_assert_msg(openblas_get_num_threads() == 2, "OpenBLAS threads after par_run: %d, expected 2 as before",
                  openblas_get_num_threads());
    openblas_set_num_threads(before);
    free(c);
}
END_TEST

START_TEST(test_workers_from_env)
{
    setenv("GRADLAB_THREADS", "3", 1);
    ck_assert_int_eq(par_workers(), 3);
    setenv("GRADLAB_THREADS", "100000", 1);
    ck_assert_int_eq(par_workers(), PAR_MAX_WORKERS);
    /* Not a whole number >= 1: the CPU count, which is at least 1. */
    static const char *bad[] = { "0", "-2", "two", "2x", "" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setenv("GRADLAB_THREADS", bad[i], 1);
        int n = par_workers();
        ck_assert_msg(n >= 1 && n <= PAR_MAX_WORKERS, "GRADLAB_THREADS='%s': par_workers() = %d", bad[i], n);
    }
    unsetenv("GRADLAB_THREADS");
    ck_assert_int_ge(par_workers(), 1);
}
END_TEST

/* ---- core: the same numbers as the serial computation ---- */

/* Block b of C = A B^T (rows [b*BLK, b*BLK + BLK) of A) into the worker's own
 * scratch, then copied to its rows of C: the shape of lab 01's blocks. */
enum { ROWS = 37, INNER = 53, COLS = 61, BLK = 5 };
typedef struct {
    const Mat *A, *B;
    Mat *C;
    Mat *scratch[PAR_MAX_WORKERS];
} GemmCtx;

static void gemm_block(void *ctx, int b, int worker)
{
    GemmCtx *g = ctx;
    int start = b * BLK, n = ROWS - start < BLK ? ROWS - start : BLK;
    Mat a = mat_rows_view(g->A, start, n);
    Mat s = mat_rows_view(g->scratch[worker], 0, n);
    mat_gemm(&a, false, g->B, true, -2.0, 0.0, &s);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < COLS; j++) MAT_AT(g->C, start + i, j) = MAT_AT(&s, i, j);
}

START_TEST(test_same_as_serial)
{
    static const int workers[] = { 1, 2, 3, 4, 8, 16 };
    Rng rng;
    rng_seed(&rng, 7);
    Mat *A = mat_new(ROWS, INNER), *B = mat_new(COLS, INNER), *serial = mat_new(ROWS, COLS);
    mat_fill_randn(A, 1.0, &rng);
    mat_fill_randn(B, 1.0, &rng);
    /* The serial computation: the same blocks in order on this thread, BLAS on one thread. */
    int before = openblas_get_num_threads();
    openblas_set_num_threads(1);
    for (int start = 0; start < ROWS; start += BLK) {
        int n = ROWS - start < BLK ? ROWS - start : BLK;
        Mat a = mat_rows_view(A, start, n), c = mat_rows_view(serial, start, n);
        mat_gemm(&a, false, B, true, -2.0, 0.0, &c);
    }
    openblas_set_num_threads(before);
    int blocks = (ROWS + BLK - 1) / BLK;
    for (size_t w = 0; w < sizeof workers / sizeof workers[0]; w++) {
        GemmCtx g = { .A = A, .B = B, .C = mat_new(ROWS, COLS) };
        mat_fill(g.C, -1.0);
        for (int i = 0; i < workers[w]; i++) g.scratch[i] = mat_new(BLK, COLS);
        par_run(gemm_block, &g, blocks, workers[w]);
        ck_assert_msg(mat_equal(serial, g.C), "%d workers: C differs from the serial product (max |diff| %g)",
                      workers[w], mat_max_abs_diff(serial, g.C));
        for (int i = 0; i < workers[w]; i++) mat_free(g.scratch[i]);
        mat_free(g.C);
    }
    mat_free(A);
    mat_free(B);
    mat_free(serial);
}
END_TEST

Suite *par_suite(void)
{
    Suite *s = suite_create("par");
    TCase *core = tcase_create("core");
    tcase_add_loop_test(core, test_every_task_once, 0, N_SHAPES);
    tcase_add_test(core, test_no_tasks);
    tcase_add_test(core, test_blas_threads_restored);
    tcase_add_test(core, test_workers_from_env);
    tcase_add_test(core, test_same_as_serial);
    suite_add_tcase(s, core);
    return s;
}
