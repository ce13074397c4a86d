/*
 * loss.c - lab 02: the multiclass SVM and softmax losses (reference solution).
 *
 * Shapes (loss.h): W (D, C), X (N, D) with the bias column already appended,
 * y (N) labels in [0, C); the scores are S = X W (N, C). Every function returns
 *   L = (1/N) sum_i L_i + reg * sum(W^2)
 * and, when dW is not NULL, overwrites dW (D, C) with dL/dW.
 *
 * The naive versions walk the examples one at a time and build every score
 * with an explicit dot product, which is how the formulas read. The vectorized
 * versions notice that the gradient of both losses has the same shape,
 *   dW = X^T M / N + 2 reg W,
 * where M (N, C) holds dL_i/ds_ij: so both the scores and the gradient are one
 * matrix product each, and everything else is O(N C) bookkeeping.
 */
#include "loss.h"
#include "lab.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- helpers ---------------------------------------------------------------- */

/* The checks every loss starts with: shapes agree and every label is a class. A
 * label out of range would index outside the scores, so it stops the program
 * with a message, like a shape mismatch does. */
static void loss_check(const char *fn, const Mat *W, const Mat *X, const int *y, const Mat *dW)
{
    mat_expect_nonnull(fn, "W", W);
    mat_expect_nonnull(fn, "X", X);
    mat_expect_shape(fn, "X", X, -1, W->rows);
    if (X->rows > 0) mat_expect_nonnull(fn, "y", y);
    if (dW) mat_expect_shape(fn, "dW", dW, W->rows, W->cols);
    for (int i = 0; i < X->rows; i++)
        if (y[i] < 0 || y[i] >= W->cols) {
            fprintf(stderr, "%s: y[%d] = %d, expected a class in [0, %d)\n", fn, i, y[i], W->cols);
            abort();
        }
}

/* Scratch memory that a loss cannot report failing to get through its
 * signature: it stops the program like mat_new() does. */
static double *loss_alloc(size_t n, const char *fn)
{
    double *p = calloc(n > 0 ? n : 1, sizeof *p);
    if (!p) {
        fprintf(stderr, "%s: out of memory (%zu doubles)\n", fn, n);
        abort();
    }
    return p;
}

/* scores[c] = <row i of X, column c of W> for every class c, by explicit loops. */
static void loss_row_scores(const Mat *W, const Mat *X, int i, double *scores)
{
    for (int c = 0; c < W->cols; c++) {
        double s = 0.0;
        for (int d = 0; d < W->rows; d++) s += MAT_AT(X, i, d) * MAT_AT(W, d, c);
        scores[c] = s;
    }
}

/* Column c of dW += a * row i of X: one example's contribution to one class. */
static void loss_add_row(Mat *dW, int c, double a, const Mat *X, int i)
{
    for (int d = 0; d < dW->rows; d++) MAT_AT(dW, d, c) += a * MAT_AT(X, i, d);
}

/* The end every version shares: the mean over examples plus reg * sum(W^2) for
 * the loss, and dW (which holds the data gradient summed over examples) divided
 * by N plus the regularization gradient 2 reg W. With N = 0 there is no data
 * term at all (the mean of nothing is taken as 0, not 0/0). */
static double loss_finish(double data_sum, int N, const Mat *W, double reg, Mat *dW, int dW_is_mean)
{
    double inv_n = N > 0 ? 1.0 / N : 0.0;
    if (dW) {
        size_t n = (size_t)W->rows * (size_t)W->cols;
        for (size_t k = 0; k < n; k++)
            dW->data[k] = (dW_is_mean ? dW->data[k] : dW->data[k] * inv_n) + 2.0 * reg * W->data[k];
    }
    return data_sum * inv_n + reg * mat_sum_sq(W);
}

/* dW = X^T M / N: the data gradient of either loss in one matrix product. M is
 * (N, C) and holds dL_i/ds_ij; X^T (D, N) times M gives (D, C). */
static void loss_grad_from_scores(const Mat *X, const Mat *M, Mat *dW)
{
    int N = X->rows;
    if (N == 0) {
        mat_fill(dW, 0.0);
        return;
    }
    mat_gemm(X, true, M, false, 1.0 / N, 0.0, dW);
}

/* S = X W (N, C), one matrix product. */
static Mat *loss_scores(const Mat *W, const Mat *X)
{
    Mat *S = mat_new(X->rows, W->cols);
    if (X->rows > 0) mat_gemm(X, false, W, false, 1.0, 0.0, S);
    return S;
}

/* ---- SVM ---------------------------------------------------------------------- */

double svm_loss_naive(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW)
{
    const char *fn = "svm_loss_naive";
    loss_check(fn, W, X, y, dW);
    int N = X->rows, C = W->cols;
    double *scores = loss_alloc((size_t)C, fn);
    if (dW) mat_fill(dW, 0.0);

    double total = 0.0;
    for (int i = 0; i < N; i++) {
        loss_row_scores(W, X, i, scores);
        double correct = scores[y[i]];
        for (int j = 0; j < C; j++) {
            if (j == y[i]) continue;   /* the correct class is not compared with itself */
            /* L_i = sum_{j != y_i} max(0, s_j - s_yi + 1) */
            double margin = scores[j] - correct + 1.0;
            if (margin > 0.0) {
                total += margin;
                /* d margin / dW: +x_i on column j and -x_i on column y_i, once
                 * for every class j that violates the margin */
                if (dW) {
                    loss_add_row(dW, j, 1.0, X, i);
                    loss_add_row(dW, y[i], -1.0, X, i);
                }
            }
        }
    }
    free(scores);
    return loss_finish(total, N, W, reg, dW, 0);
}

double svm_loss_vectorized(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW)
{
    const char *fn = "svm_loss_vectorized";
    loss_check(fn, W, X, y, dW);
    int N = X->rows, C = W->cols;

    /* All N x C scores in one product, then the margins in place: S becomes M,
     * with M[i][j] = 1 where j != y_i violates the margin (0 elsewhere) and
     * M[i][y_i] = -(the number of violations in row i). */
    Mat *M = loss_scores(W, X);
    double total = 0.0;
    for (int i = 0; i < N; i++) {
        double *row = &MAT_AT(M, i, 0);
        double correct = row[y[i]];
        int violated = 0;
        for (int j = 0; j < C; j++) {
            if (j == y[i]) continue;
            double margin = row[j] - correct + 1.0;
            if (margin > 0.0) {
                total += margin;
                row[j] = 1.0;
                violated++;
            } else {
                row[j] = 0.0;
            }
        }
        row[y[i]] = -(double)violated;
    }
    if (dW) loss_grad_from_scores(X, M, dW);   /* X^T M / N */
    mat_free(M);
    return loss_finish(total, N, W, reg, dW, 1);
}

/* ---- softmax -------------------------------------------------------------------- */

/* Turns row[0..C) of scores into probabilities in place and returns
 * -log p[y] for this row. Subtracting the row's maximum first changes nothing
 * mathematically (the factor e^-max cancels) but keeps every exponent <= 0, so
 * exp cannot overflow and the sum is at least 1, so its log is finite. The
 * loss is computed from the shifted scores, log(sum) - (s_y - max), rather than
 * -log(p_y), which would lose everything once p_y underflows. */
static double loss_softmax_row(double *row, int C, int label)
{
    double mx = row[0];
    for (int j = 1; j < C; j++)
        if (row[j] > mx) mx = row[j];
    double shifted_correct = row[label] - mx;   /* s_y - max, taken before row is overwritten */
    double sum = 0.0;
    for (int j = 0; j < C; j++) {
        row[j] = exp(row[j] - mx);
        sum += row[j];
    }
    for (int j = 0; j < C; j++) row[j] /= sum;
    return log(sum) - shifted_correct;
}

double softmax_loss_naive(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW)
{
    const char *fn = "softmax_loss_naive";
    loss_check(fn, W, X, y, dW);
    int N = X->rows, C = W->cols;
    double *scores = loss_alloc((size_t)C, fn);
    if (dW) mat_fill(dW, 0.0);

    double total = 0.0;
    for (int i = 0; i < N; i++) {
        loss_row_scores(W, X, i, scores);
        /* L_i = -ln p_yi, with the row maximum subtracted; scores become p */
        total += loss_softmax_row(scores, C, y[i]);
        if (dW)
            /* dL_i/ds_j = p_j - [j == y_i]; ds_j/dW[:, j] = x_i */
            for (int j = 0; j < C; j++) loss_add_row(dW, j, scores[j] - (j == y[i] ? 1.0 : 0.0), X, i);
    }
    free(scores);
    return loss_finish(total, N, W, reg, dW, 0);
}

double softmax_loss_vectorized(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW)
{
    const char *fn = "softmax_loss_vectorized";
    loss_check(fn, W, X, y, dW);
    int N = X->rows, C = W->cols;

    /* Scores in one product; each row becomes its probabilities in place, and
     * subtracting 1 at the correct class turns P into M = dL_i/ds (N, C). */
    Mat *M = loss_scores(W, X);
    double total = 0.0;
    for (int i = 0; i < N; i++) {
        double *row = &MAT_AT(M, i, 0);
        total += loss_softmax_row(row, C, y[i]);
        row[y[i]] -= 1.0;
    }
    if (dW) loss_grad_from_scores(X, M, dW);   /* X^T (P - Y) / N */
    mat_free(M);
    return loss_finish(total, N, W, reg, dW, 1);
}
