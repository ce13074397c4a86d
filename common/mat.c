/*
 * mat.c - dense row-major matrices and the one product every lab leans on.
 *
 * Shape errors abort with a message naming the function and the shapes: the
 * labs are about getting shapes right, so the library says which ones clash.
 */
#include "mat.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Noreturn void mat_die(const char *msg)
{
    fprintf(stderr, "%s\n", msg);
    fflush(stderr);
    abort();
}

Mat *mat_new(int rows, int cols)
{
    char msg[160];
    if (rows < 0 || cols < 0) {
        snprintf(msg, sizeof msg, "mat_new: impossible shape (%dx%d)", rows, cols);
        mat_die(msg);
    }
    Mat *m = malloc(sizeof *m);
    size_t n = (size_t)rows * (size_t)cols;
    double *data = calloc(n ? n : 1, sizeof *data);
    if (!m || !data) {
        snprintf(msg, sizeof msg, "mat_new: out of memory for a (%dx%d) matrix (%.1f MB)",
                 rows, cols, (double)n * sizeof(double) / 1e6);
        mat_die(msg);
    }
    m->rows = rows;
    m->cols = cols;
    m->data = data;
    return m;
}

Mat *mat_from(int rows, int cols, const double *values)
{
    Mat *m = mat_new(rows, cols);
    size_t n = (size_t)rows * cols;
    /* An empty matrix may come from NULL values; memcpy(.., NULL, 0) is still UB. */
    if (n == 0) return m;
    mat_expect_nonnull("mat_from", "values", values);
    memcpy(m->data, values, n * sizeof(double));
    return m;
}

void mat_free(Mat *m)
{
    if (!m) return;
    free(m->data);
    free(m);
}

Mat *mat_copy(const Mat *m)
{
    mat_expect_nonnull("mat_copy", "m", m);
    return mat_from(m->rows, m->cols, m->data);
}

void mat_expect_nonnull(const char *fn, const char *name, const void *m)
{
    if (m) return;
    char msg[160];
    snprintf(msg, sizeof msg, "%s: %s is NULL", fn, name);
    mat_die(msg);
}

void mat_expect_shape(const char *fn, const char *name, const Mat *m, int rows, int cols)
{
    mat_expect_nonnull(fn, name, m);
    if ((rows < 0 || m->rows == rows) && (cols < 0 || m->cols == cols)) return;
    char want_r[16], want_c[16], msg[200];
    snprintf(want_r, sizeof want_r, rows < 0 ? "*" : "%d", rows);
    snprintf(want_c, sizeof want_c, cols < 0 ? "*" : "%d", cols);
    snprintf(msg, sizeof msg, "%s: %s is (%dx%d), expected (%sx%s)", fn, name, m->rows, m->cols,
             want_r, want_c);
    mat_die(msg);
}

static void mat_expect_same(const char *fn, const Mat *a, const Mat *b)
{
    mat_expect_nonnull(fn, "first matrix", a);
    mat_expect_nonnull(fn, "second matrix", b);
    if (a->rows == b->rows && a->cols == b->cols) return;
    char msg[160];
    snprintf(msg, sizeof msg, "%s: shapes differ: (%dx%d) vs (%dx%d)", fn, a->rows, a->cols,
             b->rows, b->cols);
    mat_die(msg);
}

void mat_copy_into(Mat *dst, const Mat *src)
{
    mat_expect_same("mat_copy_into", dst, src);
    if (dst != src) memmove(dst->data, src->data, (size_t)src->rows * src->cols * sizeof(double));
}

void mat_fill(Mat *m, double v)
{
    mat_expect_nonnull("mat_fill", "m", m);
    size_t n = (size_t)m->rows * m->cols;
    for (size_t i = 0; i < n; i++) m->data[i] = v;
}

void mat_fill_randn(Mat *m, double scale, Rng *rng)
{
    mat_expect_nonnull("mat_fill_randn", "m", m);
    size_t n = (size_t)m->rows * m->cols;
    for (size_t i = 0; i < n; i++) m->data[i] = scale * rng_normal(rng);
}

Mat mat_rows_view(const Mat *m, int start, int n)
{
    mat_expect_nonnull("mat_rows_view", "m", m);
    /* n > rows - start, not start + n > rows: the sum could overflow an int. */
    if (start < 0 || n < 0 || start > m->rows || n > m->rows - start) {
        char msg[160];
        snprintf(msg, sizeof msg, "mat_rows_view: rows [%d, %lld) are outside a (%dx%d) matrix",
                 start, (long long)start + n, m->rows, m->cols);
        mat_die(msg);
    }
    Mat v = { n, m->cols, m->data + (size_t)start * m->cols };
    return v;
}

Mat mat_row_view(const Mat *m, int i)
{
    return mat_rows_view(m, i, 1);
}

/* Updated with atomic builtins: lab 01's experiment calls mat_gemm from several
 * threads at once (par.h), and a plain ++ there would be a data race. */
static MatGemmStats mat_gemm_counts;

MatGemmStats mat_gemm_stats(void)
{
    return mat_gemm_counts;
}

void mat_gemm_stats_reset(void)
{
    mat_gemm_counts = (MatGemmStats){ 0, 0.0 };
}

void mat_gemm(const Mat *A, bool trans_a, const Mat *B, bool trans_b,
              double alpha, double beta, Mat *C)
{
    mat_expect_nonnull("mat_gemm", "A", A);
    mat_expect_nonnull("mat_gemm", "B", B);
    mat_expect_nonnull("mat_gemm", "C", C);
    int m = trans_a ? A->cols : A->rows;
    int k = trans_a ? A->rows : A->cols;
    int kb = trans_b ? B->cols : B->rows;
    int n = trans_b ? B->rows : B->cols;
    char msg[200];
    if (k != kb) {
        snprintf(msg, sizeof msg, "mat_gemm: inner dimensions differ: (%dx%d)%s·(%dx%d)%s",
                 A->rows, A->cols, trans_a ? "^T" : "", B->rows, B->cols, trans_b ? "^T" : "");
        mat_die(msg);
    }
    if (C->rows != m || C->cols != n) {
        snprintf(msg, sizeof msg,
                 "mat_gemm: C is (%dx%d) but (%dx%d)%s·(%dx%d)%s is (%dx%d)", C->rows, C->cols,
                 A->rows, A->cols, trans_a ? "^T" : "", B->rows, B->cols, trans_b ? "^T" : "", m, n);
        mat_die(msg);
    }
    if (C->data == A->data || C->data == B->data) mat_die("mat_gemm: C must not share memory with A or B");
    double size = (double)m * (double)n * (double)k;
    __atomic_fetch_add(&mat_gemm_counts.calls, 1, __ATOMIC_RELAXED);
    double largest;
    __atomic_load(&mat_gemm_counts.largest, &largest, __ATOMIC_RELAXED);
    while (size > largest && !__atomic_compare_exchange(&mat_gemm_counts.largest, &largest, &size, true,
                                                        __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
    if (m == 0 || n == 0) return;
    if (k == 0) {   /* BLAS leaves C untouched when k == 0; the math says C = beta*C */
        size_t len = (size_t)m * n;
        for (size_t i = 0; i < len; i++) C->data[i] = beta == 0.0 ? 0.0 : beta * C->data[i];
        return;
    }
    cblas_dgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, m, n, k, alpha, A->data,
                A->cols > 0 ? A->cols : 1, B->data, B->cols > 0 ? B->cols : 1, beta, C->data,
                C->cols > 0 ? C->cols : 1);
}

int mat_argmax_row(const Mat *m, int i)
{
    mat_expect_nonnull("mat_argmax_row", "m", m);
    const double *row = m->data + (size_t)i * m->cols;
    int best = 0;
    for (int j = 1; j < m->cols; j++)
        if (row[j] > row[best]) best = j;
    return best;
}

double mat_sum_sq(const Mat *m)
{
    mat_expect_nonnull("mat_sum_sq", "m", m);
    size_t n = (size_t)m->rows * m->cols;
    double s = 0.0;
    for (size_t i = 0; i < n; i++) s += m->data[i] * m->data[i];
    return s;
}

double mat_max_abs_diff(const Mat *a, const Mat *b)
{
    mat_expect_same("mat_max_abs_diff", a, b);
    size_t n = (size_t)a->rows * a->cols;
    double worst = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs(a->data[i] - b->data[i]);
        /* A NaN difference wins and must stick: a later finite d would
         * otherwise replace it, since no comparison with NaN is true. */
        if (isnan(d)) return d;
        if (d > worst) worst = d;
    }
    return worst;
}

bool mat_equal(const Mat *a, const Mat *b)
{
    if (!a || !b || a->rows != b->rows || a->cols != b->cols) return false;
    return memcmp(a->data, b->data, (size_t)a->rows * a->cols * sizeof(double)) == 0;
}

bool mat_all_finite(const Mat *m)
{
    mat_expect_nonnull("mat_all_finite", "m", m);
    size_t n = (size_t)m->rows * m->cols;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(m->data[i])) return false;
    return true;
}

void mat_print(const char *name, const Mat *m)
{
    if (!m) {
        fprintf(stderr, "%s = NULL\n", name);
        return;
    }
    fprintf(stderr, "%s (%dx%d)\n", name, m->rows, m->cols);
    for (int i = 0; i < m->rows && i < 6; i++) {
        fprintf(stderr, "  ");
        for (int j = 0; j < m->cols && j < 6; j++) fprintf(stderr, "%10.4g ", MAT_AT(m, i, j));
        fprintf(stderr, "%s\n", m->cols > 6 ? "..." : "");
    }
    if (m->rows > 6) fprintf(stderr, "  ...\n");
}

void mat_set_threads(int n)
{
    openblas_set_num_threads(n);
}
