/*
 * loss.c - lab 02: the multiclass SVM and softmax losses. You write every
 * function in this file.
 *
 * Shapes (loss.h): W (D, C) weights, X (N, D) one example per row with the
 * bias column already appended, y (N) labels in [0, C). The scores are
 * S = X W, (N, C): S[i][c] is example i's score for class c.
 * Every function returns
 *     mean data loss over the N examples + reg * sum of W[d][c]^2
 * and, when dW is not NULL, OVERWRITES dW (D, C) with the gradient of that
 * whole value with respect to W (so 2 * reg * W is part of it). When dW is
 * NULL, compute the loss only and never touch dW. W, X and y are inputs: never
 * write into them.
 *
 * Read the handout first: labs/02-loss/README.md. Delete a function's
 * LAB_TODO() line when you write it. Helper functions must be `static`.
 * Useful tools (include/mat.h): MAT_AT(m, i, j), mat_new/mat_free, mat_fill,
 * mat_gemm (matrix products, with optional transposes), mat_sum_sq (the sum of
 * squares of all entries), mat_expect_shape (a clear stop on a wrong shape);
 * exp and log from math.h (log is the natural log).
 */
#include "loss.h"
#include "lab.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- the multiclass SVM ------------------------------------------------------- */

/*
 * svm_loss_naive: the SVM (hinge) loss with explicit loops.
 * For each example i: compute its C scores s_c = sum_d X[i][d] * W[d][c] with
 * loops, then
 *     L_i = sum over j != y_i of max(0, s_j - s_{y_i} + 1)      (margin 1)
 * Gradient: each term with s_j - s_{y_i} + 1 > 0 (a violated margin) adds
 * x_i (row i of X) to column j of dW and subtracts x_i from column y_i.
 * So column y_i loses x_i once per violated margin of example i.
 * Return (1/N) sum_i L_i + reg * sum(W^2); dW (if not NULL) is the mean of
 * those per-example contributions plus 2 * reg * W. Set dW to zero before
 * adding anything into it: the caller's dW holds garbage.
 * Check: with W = 0 every margin is exactly 1, and the loss is C - 1.
 */
double svm_loss_naive(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW)
{
    LAB_TODO();
}

/*
 * svm_loss_vectorized: the same loss and gradient (to ~1e-10), without a loop
 * doing the O(N D C) work.
 *   1. S = X W with ONE call to mat_gemm, (N, C).
 *   2. One pass over the N x C entries of S: the margins
 *      max(0, S[i][j] - S[i][y_i] + 1) for j != y_i, summed into the loss.
 *   3. The gradient as a second product: build G (N, C) with G[i][j] = 1 for
 *      every violated margin and G[i][y_i] = -(number of violated margins in
 *      row i); then dW = (1/N) X^T G (mat_gemm with trans_a = true and
 *      alpha = 1/N), plus 2 * reg * W.
 * Loops over the N x C entries of S are fine; loops over D inside them are not.
 * When dW is NULL, skip step 3 (and never write through a NULL pointer).
 */
double svm_loss_vectorized(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW)
{
    LAB_TODO();
}

/* ---- softmax (cross-entropy) --------------------------------------------------- */

/*
 * softmax_loss_naive: the softmax (cross-entropy) loss with explicit loops.
 * For each example i: its C scores s_c (loops, as above), then
 *     p_c = e^{s_c} / sum_j e^{s_j}        L_i = -ln p_{y_i}
 * Use the NATURAL log (log() in C, not log10()).
 * Numerical stability: e^{1000} is Inf in double precision. Subtract
 * m = max_c s_c from every score before exponentiating: the probabilities do
 * not change (m cancels), but every exponent is now <= 0. Handy form of the
 * loss: L_i = ln(sum_j e^{s_j - m}) - (s_{y_i} - m).
 * Gradient: dL_i/ds_c = p_c - 1 if c == y_i, else p_c; and s_c depends on
 * column c of W through x_i, so column c of dW gets (p_c - [c == y_i]) * x_i.
 * Return the mean over examples plus reg * sum(W^2); dW (if not NULL) is the
 * mean gradient plus 2 * reg * W. Check: with W = 0 the loss is ln C.
 */
double softmax_loss_naive(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW)
{
    LAB_TODO();
}

/*
 * softmax_loss_vectorized: the same loss and gradient (to ~1e-10) with the
 * O(N D C) work in matrix products.
 *   1. S = X W with ONE call to mat_gemm, (N, C).
 *   2. Row by row: subtract the row max, exponentiate, normalize to P (N, C);
 *      add -ln P[i][y_i] (in the stable form above) to the loss.
 *   3. G = P with 1 subtracted at (i, y_i) in every row; dW = (1/N) X^T G
 *      (mat_gemm with trans_a = true, alpha = 1/N), plus 2 * reg * W.
 * You may overwrite S with P and then G to save memory. Skip step 3 when dW
 * is NULL. Scores offset by +1000 must give the same, finite loss.
 */
double softmax_loss_vectorized(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW)
{
    LAB_TODO();
}
