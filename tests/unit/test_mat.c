/*
 * test_mat.c - mat.c: construction, copies and views, mat_gemm against a naive
 * triple loop in all four transpose combinations, the reductions (argmax ties,
 * sums of squares, NaN-aware differences), and the exact one-line messages that
 * shape mistakes abort with.
 *
 * Abort messages are checked in a forked grandchild whose stderr goes to a
 * pipe, so the text can be compared; a few tests also use Check's own
 * tcase_add_test_raise_signal(SIGABRT) to show the abort reaches the runner.
 */
#include <check.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "mat.h"
#include "rng.h"
#include "suites.h"
#include "testutil.h"

/* ---- helpers ---- */

/* Asserts that fn() aborts (SIGABRT) after printing exactly `want` and a newline:
 * the header promises one line naming the function and the shapes. */
static void expect_abort_message(const char *what, void (*fn)(void), const char *want)
{
    char out[1024], how[64];
    int status = tu_run_captured(fn, out, sizeof out);
    ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
                  "%s: expected the call to abort (SIGABRT), but the child %s; it printed \"%s\"",
                  what, tu_describe(status, how, sizeof how), out);
    char line[1024];
    snprintf(line, sizeof line, "%s\n", want);
    ck_assert_msg(strcmp(out, line) == 0, "%s: expected stderr to be exactly \"%s\\n\", got \"%s\"",
                  what, want, out);
}

/* Sends stderr to /dev/null in the Check child of a raise_signal test, so the
 * expected abort message does not clutter the test log. */
static void quiet_stderr(void)
{
    ck_assert_msg(freopen("/dev/null", "w", stderr) != NULL, "cannot silence stderr");
}

/* A (rows, cols) matrix of standard normal values from a fixed seed. */
static Mat *randn(int rows, int cols, uint64_t seed)
{
    Rng r;
    rng_seed(&r, seed);
    Mat *m = mat_new(rows, cols);
    for (size_t i = 0; i < (size_t)rows * cols; i++) m->data[i] = rng_normal(&r);
    return m;
}

/* op(X)[i][j]: X itself or its transpose. */
static double op_at(const Mat *x, bool trans, int i, int j)
{
    return trans ? MAT_AT(x, j, i) : MAT_AT(x, i, j);
}

/* ---- core: construction, copies, views ---- */

static const struct { int rows, cols; } shapes[] = {
    { 1, 1 }, { 3, 4 }, { 4, 3 }, { 1, 7 }, { 7, 1 }, { 0, 0 }, { 0, 5 }, { 5, 0 }, { 17, 33 },
};
enum { N_SHAPES = sizeof shapes / sizeof shapes[0] };

START_TEST(test_new_zeroed_with_shape)
{
    int r = shapes[_i].rows, c = shapes[_i].cols;
    Mat *m = mat_new(r, c);
    ck_assert_msg(m != NULL, "mat_new(%d, %d) returned NULL", r, c);
    ck_assert_msg(m->rows == r && m->cols == c, "mat_new(%d, %d): expected shape (%dx%d), got (%dx%d)",
                  r, c, r, c, m->rows, m->cols);
    for (int i = 0; i < r; i++)
        for (int j = 0; j < c; j++)
            ck_assert_msg(MAT_AT(m, i, j) == 0.0 && !signbit(MAT_AT(m, i, j)),
                          "mat_new(%d, %d): expected +0.0 at (%d, %d), got %g", r, c, i, j,
                          MAT_AT(m, i, j));
    mat_free(m);
}
END_TEST

START_TEST(test_free_null)
{
    mat_free(NULL);   /* documented no-op: must simply return */
}
END_TEST

START_TEST(test_from_copies_values)
{
    double v[6] = { 1, 2, 3, 4, 5, 6 };
    Mat *m = mat_from(2, 3, v);
    ck_assert_msg(m->rows == 2 && m->cols == 3, "mat_from(2, 3): expected (2x3), got (%dx%d)",
                  m->rows, m->cols);
    ck_assert_msg(m->data != v, "mat_from must copy the values, not borrow the caller's array");
    v[0] = 99;   /* changing the source afterwards must not reach the matrix */
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++)
            ck_assert_msg(MAT_AT(m, i, j) == 1 + 3 * i + j, "mat_from: expected %d at (%d, %d), got %g",
                          1 + 3 * i + j, i, j, MAT_AT(m, i, j));
    mat_free(m);
}
END_TEST

START_TEST(test_from_empty_accepts_null)
{
    Mat *m = mat_from(0, 4, NULL);
    ck_assert_msg(m->rows == 0 && m->cols == 4, "mat_from(0, 4, NULL): expected (0x4), got (%dx%d)",
                  m->rows, m->cols);
    mat_free(m);
}
END_TEST

START_TEST(test_copy_is_independent)
{
    Mat *a = randn(4, 5, 1);
    Mat *b = mat_copy(a);
    ck_assert_msg(b != a && b->data != a->data, "mat_copy must allocate new storage");
    ck_assert_msg(mat_equal(a, b), "mat_copy: expected the copy to equal the original bit for bit");
    double keep = MAT_AT(b, 2, 3);
    MAT_AT(a, 2, 3) += 1.0;
    ck_assert_msg(MAT_AT(b, 2, 3) == keep, "mat_copy: writing the original changed the copy");
    mat_free(a);
    mat_free(b);
}
END_TEST

START_TEST(test_copy_into_and_fill)
{
    Mat *src = randn(3, 2, 2);
    Mat *dst = mat_new(3, 2);
    mat_fill(dst, -7.5);
    for (int k = 0; k < 6; k++)
        ck_assert_msg(dst->data[k] == -7.5, "mat_fill(-7.5): expected -7.5 at entry %d, got %g", k,
                      dst->data[k]);
    mat_copy_into(dst, src);
    ck_assert_msg(mat_equal(dst, src), "mat_copy_into: expected dst to equal src bit for bit");
    ck_assert_msg(dst->data != src->data, "mat_copy_into must not swap storage");
    mat_copy_into(src, src);   /* copying onto itself is harmless */
    ck_assert_msg(mat_equal(dst, src), "mat_copy_into(m, m) changed m");
    mat_free(src);
    mat_free(dst);
}
END_TEST

START_TEST(test_fill_randn_row_major_draws)
{
    /* The same seed gives scale * the draws of a plain row-by-row loop, bit for bit. */
    Mat *want = randn(3, 4, 2), *got = mat_new(3, 4);
    Rng r;
    rng_seed(&r, 2);
    mat_fill_randn(got, 2.5, &r);
    for (int k = 0; k < 12; k++)
        ck_assert_msg(got->data[k] == 2.5 * want->data[k], "mat_fill_randn: entry %d is %.17g, expected %.17g", k,
                      got->data[k], 2.5 * want->data[k]);
    mat_free(want);
    mat_free(got);
}
END_TEST

START_TEST(test_mat_at_is_lvalue)
{
    Mat *m = mat_new(3, 4);
    MAT_AT(m, 2, 1) = 5.0;
    MAT_AT(m, 0, 3) += 2.0;
    MAT_AT(m, 2, 1) *= 3.0;
    /* Row-major: (i, j) lives at data[i*cols + j]. */
    ck_assert_msg(m->data[2 * 4 + 1] == 15.0, "MAT_AT(m, 2, 1): expected 15 at data[9], got %g",
                  m->data[9]);
    ck_assert_msg(m->data[0 * 4 + 3] == 2.0, "MAT_AT(m, 0, 3): expected 2 at data[3], got %g",
                  m->data[3]);
    ck_assert_msg(mat_sum_sq(m) == 15.0 * 15.0 + 2.0 * 2.0, "MAT_AT wrote outside the two entries");
    mat_free(m);
}
END_TEST

START_TEST(test_views_share_data)
{
    Mat *m = randn(5, 3, 3);
    Mat v = mat_rows_view(m, 1, 3);
    ck_assert_msg(v.rows == 3 && v.cols == 3, "mat_rows_view(m, 1, 3): expected (3x3), got (%dx%d)",
                  v.rows, v.cols);
    ck_assert_msg(v.data == m->data + 3, "mat_rows_view(m, 1, 3) must start at row 1 of m's data");
    MAT_AT(&v, 0, 2) = 42.0;   /* a write through the view is a write to m */
    ck_assert_msg(MAT_AT(m, 1, 2) == 42.0, "writing view (0, 2) should set m (1, 2); got %g",
                  MAT_AT(m, 1, 2));
    MAT_AT(m, 3, 0) = -1.0;    /* and the other way round */
    ck_assert_msg(MAT_AT(&v, 2, 0) == -1.0, "writing m (3, 0) should show in view (2, 0); got %g",
                  MAT_AT(&v, 2, 0));

    Mat row = mat_row_view(m, 4);
    ck_assert_msg(row.rows == 1 && row.cols == 3 && row.data == m->data + 12,
                  "mat_row_view(m, 4): expected a (1x3) view at data + 12, got (%dx%d) at data + %td",
                  row.rows, row.cols, row.data - m->data);

    Mat empty = mat_rows_view(m, 5, 0);   /* an empty view at the very end is legal */
    ck_assert_msg(empty.rows == 0 && empty.cols == 3, "mat_rows_view(m, 5, 0): expected (0x3)");
    mat_free(m);
}
END_TEST

/* ---- core: mat_gemm against a naive triple loop ---- */

/* m, n, k of the product (m x k)·(k x n): non-square shapes, vectors, and k = 0. */
static const struct { int m, n, k; } gemm_shapes[] = {
    { 3, 4, 5 }, { 5, 3, 4 }, { 1, 6, 4 }, { 6, 1, 4 }, { 4, 5, 1 }, { 1, 1, 7 },
    { 2, 3, 0 }, { 1, 1, 1 }, { 7, 9, 13 }, { 33, 17, 40 }, { 0, 3, 2 }, { 3, 0, 2 },
};
static const struct { double alpha, beta; } gemm_scales[] = {
    { 1.0, 0.0 }, { -0.5, 0.0 }, { 1.0, 1.0 }, { 2.5, -1.5 }, { 0.0, 2.0 },
};
enum {
    N_GEMM_SHAPES = sizeof gemm_shapes / sizeof gemm_shapes[0],
    N_GEMM_SCALES = sizeof gemm_scales / sizeof gemm_scales[0],
};

/* _i runs over shape x transpose combination; every alpha/beta pair is tried
 * inside. When beta == 0, C starts as NaN: BLAS treats beta == 0 as "C is
 * output only" (reference dgemm: "When BETA is supplied as zero then C need not
 * be set on input") and mat_gemm keeps that, also on its own k == 0 path, so
 * students can pass uninitialized or reused buffers. */
START_TEST(test_gemm_matches_naive)
{
    int s = _i / 4;
    bool ta = (_i & 1) != 0, tb = (_i & 2) != 0;
    int m = gemm_shapes[s].m, n = gemm_shapes[s].n, k = gemm_shapes[s].k;
    Mat *A = ta ? randn(k, m, 10 + _i) : randn(m, k, 10 + _i);
    Mat *B = tb ? randn(n, k, 20 + _i) : randn(k, n, 20 + _i);
    Mat *C0 = randn(m, n, 30 + _i);
    Mat *C = mat_new(m, n);
    for (int t = 0; t < N_GEMM_SCALES; t++) {
        double alpha = gemm_scales[t].alpha, beta = gemm_scales[t].beta;
        mat_copy_into(C, C0);
        if (beta == 0.0) mat_fill(C, NAN);
        mat_gemm(A, ta, B, tb, alpha, beta, C);
        /* The first wrong entry is kept and asserted once, after the loops. */
        int bad_i = -1, bad_j = -1;
        double bad_want = 0.0, bad_got = 0.0, bad_tol = 0.0;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double dot = 0.0, mag = 0.0;
                for (int p = 0; p < k; p++) {
                    double term = op_at(A, ta, i, p) * op_at(B, tb, p, j);
                    dot += term;
                    mag += fabs(term);
                }
                double want = alpha * dot + (beta == 0.0 ? 0.0 : beta * MAT_AT(C0, i, j));
                /* Relative to the size of what was summed: cancellation can make
                 * the result itself tiny, but never its rounding error. */
                double scale = fabs(alpha) * mag + fabs(beta) * fabs(MAT_AT(C0, i, j));
                double tol = 8.0 * (k + 2) * DBL_EPSILON * scale;
                double got = MAT_AT(C, i, j);
                if (!(fabs(got - want) <= tol) && bad_i < 0) {
                    bad_i = i;
                    bad_j = j;
                    bad_want = want;
                    bad_got = got;
                    bad_tol = tol;
                }
            }
        ck_assert_msg(bad_i < 0,
                      "mat_gemm (%dx%d)%s·(%dx%d)%s alpha=%g beta=%g: C(%d,%d) expected %.17g "
                      "(within %.3g), got %.17g",
                      A->rows, A->cols, ta ? "^T" : "", B->rows, B->cols, tb ? "^T" : "", alpha, beta,
                      bad_i, bad_j, bad_want, bad_tol, bad_got);
    }
    mat_free(A);
    mat_free(B);
    mat_free(C0);
    mat_free(C);
}
END_TEST

/* With k = 0 the product is an empty sum: C = beta * C exactly. */
START_TEST(test_gemm_k0_scales_c)
{
    Mat *A = mat_new(3, 0), *B = mat_new(0, 2);
    Mat *C = mat_new(3, 2);
    mat_fill(C, 4.0);
    mat_gemm(A, false, B, false, 1.0, 0.5, C);
    for (int k = 0; k < 6; k++)
        ck_assert_msg(C->data[k] == 2.0, "k = 0, beta = 0.5, C = 4: expected 2 at entry %d, got %g", k,
                      C->data[k]);
    mat_gemm(A, false, B, false, 1.0, 1.0, C);
    for (int k = 0; k < 6; k++)
        ck_assert_msg(C->data[k] == 2.0, "k = 0, beta = 1: expected C unchanged (2) at %d, got %g", k,
                      C->data[k]);
    mat_fill(C, NAN);
    mat_gemm(A, false, B, false, 1.0, 0.0, C);
    for (int k = 0; k < 6; k++)
        ck_assert_msg(C->data[k] == 0.0, "k = 0, beta = 0, C = NaN: expected 0 at entry %d, got %g", k,
                      C->data[k]);
    mat_free(A);
    mat_free(B);
    mat_free(C);
}
END_TEST

/* A view as an operand and as the output: the leading dimension is the row
 * length, so row views of a bigger matrix must work unchanged. */
START_TEST(test_gemm_on_views)
{
    Mat *big = randn(6, 4, 5);
    Mat *W = randn(4, 3, 6);
    Mat *out = mat_new(6, 3);
    Mat xv = mat_rows_view(big, 2, 3);
    Mat ov = mat_rows_view(out, 1, 3);
    mat_gemm(&xv, false, W, false, 1.0, 0.0, &ov);
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 3; j++) {
            double want = 0.0;
            if (i >= 1 && i < 4)
                for (int p = 0; p < 4; p++) want += MAT_AT(big, i + 1, p) * MAT_AT(W, p, j);
            ck_assert_msg(fabs(MAT_AT(out, i, j) - want) <= 1e-13 * (1.0 + fabs(want)),
                          "gemm into rows [1, 4) of out: out(%d,%d) expected %.17g, got %.17g", i, j,
                          want, MAT_AT(out, i, j));
        }
    mat_free(big);
    mat_free(W);
    mat_free(out);
}
END_TEST

/* ---- core: reductions ---- */

static const struct {
    double row[4];
    int cols;
    int want;
} argmax_cases[] = {
    { { 1, 3, 3, 2 }, 4, 1 },          /* tie between 1 and 2: the lower index */
    { { 5, 5, 5, 5 }, 4, 0 },          /* all equal */
    { { -1, -2, -1, -3 }, 4, 0 },      /* negative values, tie at the ends */
    { { 0.0, -0.0, 0.0, 0 }, 4, 0 },   /* -0 == +0 counts as a tie */
    { { -INFINITY, -1e300, 0, 0 }, 2, 1 },
    { { 2, 0, 0, 0 }, 1, 0 },          /* a single column */
    { { 1, 2, 3, 4 }, 4, 3 },          /* the last one */
};
enum { N_ARGMAX = sizeof argmax_cases / sizeof argmax_cases[0] };

START_TEST(test_argmax_ties_lower)
{
    int c = argmax_cases[_i].cols;
    /* Row 1 of a 3-row matrix, so reading the wrong row would show. */
    Mat *m = mat_new(3, c);
    mat_fill(m, 1e9);
    for (int j = 0; j < c; j++) MAT_AT(m, 1, j) = argmax_cases[_i].row[j];
    int got = mat_argmax_row(m, 1);
    ck_assert_msg(got == argmax_cases[_i].want, "mat_argmax_row case %d: expected column %d, got %d",
                  _i, argmax_cases[_i].want, got);
    mat_free(m);
}
END_TEST

START_TEST(test_sum_sq)
{
    double v[] = { 1, -2, 3, -4, 0.5, 0 };
    Mat *m = mat_from(2, 3, v);
    ck_assert_msg(mat_sum_sq(m) == 30.25, "mat_sum_sq of {1,-2,3,-4,0.5,0}: expected 30.25, got %.17g",
                  mat_sum_sq(m));
    mat_free(m);
    Mat *big = randn(50, 40, 9);
    double want = 0.0;
    for (int k = 0; k < 2000; k++) want += big->data[k] * big->data[k];
    ck_assert_msg(fabs(mat_sum_sq(big) - want) <= 1e-12 * want,
                  "mat_sum_sq (50x40): expected %.17g, got %.17g", want, mat_sum_sq(big));
    mat_free(big);
}
END_TEST

START_TEST(test_max_abs_diff)
{
    double a[] = { 1, 2, -3, 4 }, b[] = { 1, 2.5, 4, 4 };
    Mat *A = mat_from(2, 2, a), *B = mat_from(2, 2, b);
    ck_assert_msg(mat_max_abs_diff(A, B) == 7.0, "mat_max_abs_diff: expected |-3 - 4| = 7, got %g",
                  mat_max_abs_diff(A, B));
    ck_assert_msg(mat_max_abs_diff(A, A) == 0.0, "mat_max_abs_diff(a, a): expected 0, got %g",
                  mat_max_abs_diff(A, A));
    mat_free(A);
    mat_free(B);
}
END_TEST

/* A NaN anywhere must show as NaN, whatever comes after it: a comparison
 * helper that hid it would let broken code pass. */
static const struct {
    double a[3], b[3];
    int nan_expected;
    double want;
} diff_cases[] = {
    { { NAN, 0, 0 }, { 0, 0, 0 }, 1, 0 },      /* first entry, finite ones after */
    { { 0, 0, NAN }, { 0, 0, 0 }, 1, 0 },      /* last entry */
    { { 5, NAN, 1 }, { 0, 0, 0 }, 1, 0 },      /* after a larger finite difference */
    { { 0, 1, 2 }, { 0, NAN, 2 }, 1, 0 },      /* NaN in b */
    { { INFINITY, 0, 0 }, { 1, 0, 0 }, 0, INFINITY },
    { { 1e308, 0, 0 }, { -1e308, 0, 0 }, 0, INFINITY },   /* overflow is Inf, not NaN */
};
enum { N_DIFF = sizeof diff_cases / sizeof diff_cases[0] };

START_TEST(test_max_abs_diff_nan)
{
    Mat *A = mat_from(1, 3, diff_cases[_i].a), *B = mat_from(1, 3, diff_cases[_i].b);
    double got = mat_max_abs_diff(A, B);
    if (diff_cases[_i].nan_expected)
        ck_assert_msg(isnan(got), "mat_max_abs_diff case %d: expected NaN, got %g", _i, got);
    else
        ck_assert_msg(got == diff_cases[_i].want, "mat_max_abs_diff case %d: expected %g, got %g", _i,
                      diff_cases[_i].want, got);
    mat_free(A);
    mat_free(B);
}
END_TEST

START_TEST(test_equal)
{
    double v[] = { 1, 2, 3, 4, 5, 6 };
    Mat *a = mat_from(2, 3, v), *b = mat_from(2, 3, v), *t = mat_from(3, 2, v);
    ck_assert_msg(mat_equal(a, b), "mat_equal: identical (2x3) matrices should be equal");
    ck_assert_msg(!mat_equal(a, t), "mat_equal: (2x3) and (3x2) with the same data must differ");
    ck_assert_msg(!mat_equal(a, NULL) && !mat_equal(NULL, a), "mat_equal with NULL must be false");
    MAT_AT(b, 1, 2) = nextafter(6.0, 7.0);
    ck_assert_msg(!mat_equal(a, b), "mat_equal: a one-ulp change must make them differ");
    /* Identical bits is the rule: +0 and -0 differ, a NaN equals its own copy. */
    MAT_AT(b, 1, 2) = 6.0;
    MAT_AT(a, 0, 0) = 0.0;
    MAT_AT(b, 0, 0) = -0.0;
    ck_assert_msg(!mat_equal(a, b), "mat_equal compares bits: +0 and -0 should differ");
    MAT_AT(a, 0, 0) = NAN;
    MAT_AT(b, 0, 0) = MAT_AT(a, 0, 0);
    ck_assert_msg(mat_equal(a, b), "mat_equal compares bits: a NaN should equal its own copy");
    Mat *e1 = mat_new(0, 3), *e2 = mat_new(0, 3), *e3 = mat_new(3, 0);
    ck_assert_msg(mat_equal(e1, e2), "mat_equal: two (0x3) matrices should be equal");
    ck_assert_msg(!mat_equal(e1, e3), "mat_equal: (0x3) and (3x0) have different shapes");
    mat_free(a);
    mat_free(b);
    mat_free(t);
    mat_free(e1);
    mat_free(e2);
    mat_free(e3);
}
END_TEST

static const struct {
    double bad;
    int finite;
} finite_cases[] = {
    { 1.0, 1 }, { DBL_MAX, 1 }, { -DBL_MIN / 4, 1 }, { NAN, 0 }, { INFINITY, 0 }, { -INFINITY, 0 },
};
enum { N_FINITE = sizeof finite_cases / sizeof finite_cases[0] };

START_TEST(test_all_finite)
{
    Mat *m = randn(4, 6, 4);
    ck_assert_msg(mat_all_finite(m), "mat_all_finite: a normal random matrix should be finite");
    MAT_AT(m, 3, 5) = finite_cases[_i].bad;   /* the very last entry */
    ck_assert_msg(mat_all_finite(m) == (finite_cases[_i].finite != 0),
                  "mat_all_finite with %g as the last entry: expected %s", finite_cases[_i].bad,
                  finite_cases[_i].finite ? "true" : "false");
    mat_free(m);
    Mat *e = mat_new(0, 2);
    ck_assert_msg(mat_all_finite(e), "mat_all_finite of an empty matrix: expected true");
    mat_free(e);
}
END_TEST

START_TEST(test_expect_shape_passes)
{
    Mat *m = mat_new(2, 3);
    mat_expect_shape("f", "X", m, 2, 3);
    mat_expect_shape("f", "X", m, -1, 3);
    mat_expect_shape("f", "X", m, 2, -1);
    mat_expect_shape("f", "X", m, -1, -1);
    mat_expect_nonnull("f", "X", m);
    mat_free(m);   /* reaching here means none of the matching shapes aborted */
}
END_TEST

/* ---- limits: the one-line abort messages ---- */

static void die_gemm_inner(void)
{
    Mat *A = mat_new(3, 4), *B = mat_new(5, 2), *C = mat_new(3, 2);
    mat_gemm(A, false, B, false, 1.0, 0.0, C);
}
static void die_gemm_inner_trans(void)
{
    Mat *A = mat_new(4, 3), *B = mat_new(2, 5), *C = mat_new(3, 2);
    mat_gemm(A, true, B, true, 1.0, 0.0, C);
}
static void die_gemm_c_shape(void)
{
    Mat *A = mat_new(3, 4), *B = mat_new(4, 2), *C = mat_new(3, 3);
    mat_gemm(A, false, B, false, 1.0, 0.0, C);
}
static void die_gemm_c_shape_trans(void)
{
    Mat *A = mat_new(4, 3), *B = mat_new(4, 2), *C = mat_new(2, 3);
    mat_gemm(A, true, B, false, 1.0, 0.0, C);
}
static void die_gemm_alias(void)
{
    Mat *A = mat_new(3, 3), *B = mat_new(3, 3);
    mat_gemm(A, false, B, false, 1.0, 0.0, A);
}
static void die_gemm_null(void)
{
    Mat *A = mat_new(3, 3), *C = mat_new(3, 3);
    mat_gemm(A, false, NULL, false, 1.0, 0.0, C);
}
static void die_expect_shape(void)
{
    mat_expect_shape("svm_loss", "W", mat_new(2, 3), 2, 4);
}
static void die_expect_shape_any_rows(void)
{
    mat_expect_shape("knn_predict", "dists", mat_new(5, 3), -1, 4);
}
static void die_expect_shape_any_cols(void)
{
    mat_expect_shape("knn_predict", "dists", mat_new(5, 3), 6, -1);
}
static void die_expect_shape_null(void)
{
    mat_expect_shape("mlp_forward", "X", NULL, 2, 2);
}
static void die_expect_nonnull(void)
{
    mat_expect_nonnull("sgd_step", "grad", NULL);
}
static void die_copy_into(void)
{
    mat_copy_into(mat_new(2, 3), mat_new(3, 2));
}
static void die_max_abs_diff(void)
{
    mat_max_abs_diff(mat_new(1, 2), mat_new(2, 1));
}
static void die_rows_view(void)
{
    mat_rows_view(mat_new(4, 3), 2, 3);
}
static void die_rows_view_overflow(void)
{
    mat_rows_view(mat_new(4, 3), 1, INT_MAX);   /* start + n does not fit an int */
}
static void die_rows_view_negative(void)
{
    mat_rows_view(mat_new(4, 3), -1, 2);
}
static void die_new_negative(void)
{
    mat_new(-1, 2);
}

static const struct {
    void (*fn)(void);
    const char *want;
} abort_cases[] = {
    { die_gemm_inner, "mat_gemm: inner dimensions differ: (3x4)·(5x2)" },
    { die_gemm_inner_trans, "mat_gemm: inner dimensions differ: (4x3)^T·(2x5)^T" },
    { die_gemm_c_shape, "mat_gemm: C is (3x3) but (3x4)·(4x2) is (3x2)" },
    { die_gemm_c_shape_trans, "mat_gemm: C is (2x3) but (4x3)^T·(4x2) is (3x2)" },
    { die_gemm_alias, "mat_gemm: C must not share memory with A or B" },
    { die_gemm_null, "mat_gemm: B is NULL" },
    { die_expect_shape, "svm_loss: W is (2x3), expected (2x4)" },
    { die_expect_shape_any_rows, "knn_predict: dists is (5x3), expected (*x4)" },
    { die_expect_shape_any_cols, "knn_predict: dists is (5x3), expected (6x*)" },
    { die_expect_shape_null, "mlp_forward: X is NULL" },
    { die_expect_nonnull, "sgd_step: grad is NULL" },
    { die_copy_into, "mat_copy_into: shapes differ: (2x3) vs (3x2)" },
    { die_max_abs_diff, "mat_max_abs_diff: shapes differ: (1x2) vs (2x1)" },
    { die_rows_view, "mat_rows_view: rows [2, 5) are outside a (4x3) matrix" },
    { die_rows_view_overflow, "mat_rows_view: rows [1, 2147483648) are outside a (4x3) matrix" },
    { die_rows_view_negative, "mat_rows_view: rows [-1, 1) are outside a (4x3) matrix" },
    { die_new_negative, "mat_new: impossible shape (-1x2)" },
};
enum { N_ABORT = sizeof abort_cases / sizeof abort_cases[0] };

START_TEST(test_abort_messages)
{
    char what[64];
    snprintf(what, sizeof what, "abort case %d", _i);
    expect_abort_message(what, abort_cases[_i].fn, abort_cases[_i].want);
}
END_TEST

/* The same mistakes seen from Check's side: the test process dies of SIGABRT. */
START_TEST(test_raise_gemm_inner)
{
    quiet_stderr();
    die_gemm_inner();
}
END_TEST

START_TEST(test_raise_gemm_c_shape)
{
    quiet_stderr();
    die_gemm_c_shape();
}
END_TEST

START_TEST(test_raise_expect_shape)
{
    quiet_stderr();
    die_expect_shape();
}
END_TEST

START_TEST(test_raise_copy_into)
{
    quiet_stderr();
    die_copy_into();
}
END_TEST

Suite *mat_suite(void)
{
    Suite *s = suite_create("mat");

    TCase *core = tcase_create("core");
    tcase_add_loop_test(core, test_new_zeroed_with_shape, 0, N_SHAPES);
    tcase_add_test(core, test_free_null);
    tcase_add_test(core, test_from_copies_values);
    tcase_add_test(core, test_copy_is_independent);
    tcase_add_test(core, test_copy_into_and_fill);
    tcase_add_test(core, test_fill_randn_row_major_draws);
    tcase_add_test(core, test_mat_at_is_lvalue);
    tcase_add_test(core, test_views_share_data);
    tcase_add_loop_test(core, test_gemm_matches_naive, 0, 4 * N_GEMM_SHAPES);
    tcase_add_test(core, test_gemm_on_views);
    tcase_add_loop_test(core, test_argmax_ties_lower, 0, N_ARGMAX);
    tcase_add_test(core, test_sum_sq);
    tcase_add_test(core, test_max_abs_diff);
    tcase_add_test(core, test_equal);
    tcase_add_loop_test(core, test_all_finite, 0, N_FINITE);
    tcase_add_test(core, test_expect_shape_passes);
    suite_add_tcase(s, core);

    TCase *limits = tcase_create("limits");
    tcase_add_test(limits, test_from_empty_accepts_null);
    tcase_add_test(limits, test_gemm_k0_scales_c);
    tcase_add_loop_test(limits, test_max_abs_diff_nan, 0, N_DIFF);
    tcase_add_loop_test(limits, test_abort_messages, 0, N_ABORT);
    tcase_add_test_raise_signal(limits, test_raise_gemm_inner, SIGABRT);
    tcase_add_test_raise_signal(limits, test_raise_gemm_c_shape, SIGABRT);
    tcase_add_test_raise_signal(limits, test_raise_expect_shape, SIGABRT);
    tcase_add_test_raise_signal(limits, test_raise_copy_into, SIGABRT);
    suite_add_tcase(s, limits);
    return s;
}
