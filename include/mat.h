/*
 * mat.h - dense row-major matrices of doubles, the one data type every lab uses.
 *
 * A Mat owns its data: mat_new() returns a zeroed matrix the caller frees with
 * mat_free() (NULL is fine). A "view" (mat_rows_view) borrows another matrix's
 * data: do not free its data, and do not use it after the owner is freed.
 *
 * Errors: a shape mismatch or an impossible size is a programming mistake, so
 * these functions print one line naming the function and the shapes, e.g.
 *   mat_gemm: inner dimensions differ: (3x4)·(5x2)
 * and abort(). Out of memory is reported the same way.
 */
#ifndef GRADLAB_MAT_H
#define GRADLAB_MAT_H

#include <stdbool.h>
#include <stddef.h>

#include "rng.h"

typedef struct {
    int rows, cols;   /* shape (rows, cols) */
    double *data;     /* rows*cols values, row i starts at data[i*cols] */
} Mat;

/* Element (i, j) as an lvalue: MAT_AT(m, i, j) = 1.0; no bounds check. */
#define MAT_AT(m, i, j) ((m)->data[(size_t)(i) * (size_t)(m)->cols + (size_t)(j)])

/* A new zeroed (rows, cols) matrix; rows, cols >= 0. Free with mat_free. */
Mat *mat_new(int rows, int cols);
/* A new matrix holding the given row-major values (rows*cols of them). */
Mat *mat_from(int rows, int cols, const double *values);
/* Frees m and its data; NULL is a no-op. Never call it on a view. */
void mat_free(Mat *m);
/* A new copy of m. */
Mat *mat_copy(const Mat *m);
/* dst = src; shapes must match. */
void mat_copy_into(Mat *dst, const Mat *src);
/* Every entry set to v. */
void mat_fill(Mat *m, double v);
/* Every entry set to scale * rng_normal(rng), in row-major order (so the draws
 * are the same as a loop over rows, then columns). */
void mat_fill_randn(Mat *m, double scale, Rng *rng);
/* A view of rows [start, start+n) of m: shares m's data, do not free. */
Mat mat_rows_view(const Mat *m, int start, int n);
/* A view of row i of m as a (1, cols) matrix: shares m's data, do not free. */
Mat mat_row_view(const Mat *m, int i);

/* C = alpha * op(A) * op(B) + beta * C, op(X) = X or X^T, through CBLAS dgemm.
 * C must already have the result's shape and must not alias A or B. With
 * beta = 0, C's old contents are ignored (even NaN), as BLAS specifies. */
void mat_gemm(const Mat *A, bool trans_a, const Mat *B, bool trans_b,
              double alpha, double beta, Mat *C);

/* How mat_gemm has been used since the last mat_gemm_stats_reset(): the number of
 * products and the largest one's m * n * k. The grader reads it to check that a
 * "no loops" or "vectorized" lab function does its work in a few large products. */
typedef struct {
    long calls;
    double largest;
} MatGemmStats;
MatGemmStats mat_gemm_stats(void);
void mat_gemm_stats_reset(void);

/* Column index of the largest entry of row i; ties go to the lower index. */
int mat_argmax_row(const Mat *m, int i);
/* Sum of squares of all entries (the L2 regularization term). */
double mat_sum_sq(const Mat *m);
/* Largest |a - b| over all entries; shapes must match. */
double mat_max_abs_diff(const Mat *a, const Mat *b);
/* True when a and b have the same shape and identical bits in every entry. */
bool mat_equal(const Mat *a, const Mat *b);
/* True when every entry is finite (no NaN, no Inf). */
bool mat_all_finite(const Mat *m);

/* Aborts with "fn: name is (RxC), expected (rows x cols)" unless m has that
 * shape; a negative rows or cols means "any". Use it at the top of functions. */
void mat_expect_shape(const char *fn, const char *name, const Mat *m, int rows, int cols);
/* Aborts with "fn: m is NULL" style message when m is NULL. */
void mat_expect_nonnull(const char *fn, const char *name, const void *m);

/* Prints "name (RxC)" and up to 6x6 entries to stderr: a debugging aid. */
void mat_print(const char *name, const Mat *m);

/* Threads OpenBLAS may use for mat_gemm (0 = its default, the core count). */
void mat_set_threads(int n);

#endif
