/*
 * mlp.c - lab 05: the layers of a two-layer neural network, forward and
 * backward, and the network's loss and gradients built from them.
 *
 * Read README.md in this directory first. Every function below is a stub:
 * replace its LAB_TODO(); line with your code. Shapes are in include/mlp.h.
 * Check each function with `make grade ARGS='--lab 05 --verbose'`, then train
 * with `make run LAB=05`.
 */
#include "mlp.h"
#include "lab.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- affine: out = x w + b ---------------------------------------------- */

/*
 * affine_forward: out = x w + b, with b added to every row.
 *   x (N, D), w (D, M), b (1, M), out (N, M), allocated by the caller.
 * Overwrite out; do not modify x, w or b.
 * Hints: one mat_gemm does the product (no loops over k); set every row of
 * out to b first and let mat_gemm add x w on top with beta = 1. Check the
 * shapes at the top with mat_expect_shape() so a mistake stops with a clear
 * message instead of corrupting memory.
 */
void affine_forward(const Mat *x, const Mat *w, const Mat *b, Mat *out)
{
    LAB_TODO();
}

/*
 * affine_backward: given dout = dL/dout (N, M) and the forward inputs x (N, D)
 * and w (D, M), write
 *   dx = dout w^T          (N, D)
 *   dw = x^T dout          (D, M)
 *   db = sum over the rows of dout (one value per column)   (1, M)
 * Any of dx, dw, db may be NULL: then skip it (it is not needed). Overwrite
 * the ones given; never update w (backward computes, the trainer updates).
 * Hints: mat_gemm with trans_a / trans_b does both products without making
 * transposed copies. Work out the shapes first: they tell you where the
 * transposes go. b was added to every row, so every row contributes to db.
 */
void affine_backward(const Mat *dout, const Mat *x, const Mat *w, Mat *dx, Mat *dw, Mat *db)
{
    LAB_TODO();
}

/* ---- ReLU: out = max(0, x) ---------------------------------------------- */

/*
 * relu_forward: out[i][j] = max(0, x[i][j]); x and out have the same shape.
 */
void relu_forward(const Mat *x, Mat *out)
{
    LAB_TODO();
}

/*
 * relu_backward: dx[i][j] = dout[i][j] where x[i][j] > 0, else 0.
 *   dout, x (the forward input), dx: all the same shape.
 * The gradient flows through the units that were active and stops at the
 * others (x == 0 counts as inactive).
 */
void relu_backward(const Mat *dout, const Mat *x, Mat *dx)
{
    LAB_TODO();
}

/* ---- sigmoid: out = 1 / (1 + e^-x) -------------------------------------- */

/*
 * sigmoid_forward: out[i][j] = 1 / (1 + exp(-x[i][j])); same shapes.
 * Hint: at x = -800, exp(-x) overflows to Inf and 1 / (1 + Inf) = 0, which is
 * right; the equal form exp(x) / (1 + exp(x)) is Inf / Inf = NaN at x = 800.
 * Use it, if at all, only for x < 0.
 */
void sigmoid_forward(const Mat *x, Mat *out)
{
    LAB_TODO();
}

/*
 * sigmoid_backward: dx = dout * s * (1 - s), entry by entry, where
 * out = s(x) is the forward OUTPUT (not x): s'(x) = s(x) (1 - s(x)).
 *   dout, out, dx: all the same shape.
 */
void sigmoid_backward(const Mat *dout, const Mat *out, Mat *dx)
{
    LAB_TODO();
}

/* ---- softmax cross-entropy ---------------------------------------------- */

/*
 * softmax_loss: scores (N, C), y (N) labels in [0, C). Returns the mean over
 * the N rows of L_i = -log p_{y_i}, with p_j = e^{s_j} / sum_k e^{s_k} (the
 * natural log). When dscores (N, C) is not NULL, write dL/dscores into it:
 *   dscores[i][j] = (p_j - [j == y_i]) / N      (the mean divides by N)
 * Numerical stability: subtract each row's largest score before exp(); the
 * probabilities do not change and exp() can no longer overflow.
 * Check: equal scores give p_j = 1/C and a loss of log C.
 */
double softmax_loss(const Mat *scores, const int *y, Mat *dscores)
{
    LAB_TODO();
}

/* ---- the two-layer network ---------------------------------------------- */

/*
 * two_layer_net_loss: net has W1 (D, H), b1 (1, H), W2 (H, C), b2 (1, C);
 * X (N, D), y (N).
 * Forward:  a = X W1 + b1 (N, H);  h = relu(a);  scores = h W2 + b2 (N, C).
 * Returns   softmax_loss(scores, y) + reg * (sum W1^2 + sum W2^2)
 *           (the biases are not regularized; mat_sum_sq helps).
 * When grads is not NULL (same shapes as net), overwrite all four gradients:
 * backward through the same layers in reverse order (affine_backward,
 * relu_backward, affine_backward), then add the regularization's gradient
 * 2 * reg * W to dW1 and dW2. grads == NULL: compute the loss only.
 * Never modify net or X. Use your layer functions; allocate the intermediate
 * matrices (a, h, scores, their gradients) here and free them before
 * returning. The first layer's dX is not needed: pass NULL.
 */
double two_layer_net_loss(const TwoLayerNet *net, const Mat *X, const int *y, double reg, TwoLayerNet *grads)
{
    LAB_TODO();
}

/*
 * two_layer_net_predict: y_pred[i] = the class with the largest score in row i
 * of relu(X W1 + b1) W2 + b2 (ties go to the lower class: mat_argmax_row).
 * X (N, D); y_pred has N entries.
 */
void two_layer_net_predict(const TwoLayerNet *net, const Mat *X, int *y_pred)
{
    LAB_TODO();
}
