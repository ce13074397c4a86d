/*
 * mlp.c - lab 05 reference: the layers of a two-layer network, forward and
 * backward, and the network's loss and gradients built from them.
 *
 * Every backward function follows the chain rule: given dout = dL/d(output),
 * it returns dL/d(input) and dL/d(parameters) for the same layer, using only
 * what the forward pass saw (its inputs, or its output for the sigmoid).
 */
#include "mlp.h"
#include "lab.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- affine: out = x w + b ---------------------------------------------- */

void affine_forward(const Mat *x, const Mat *w, const Mat *b, Mat *out)
{
    int N = x->rows, D = x->cols, M = w->cols;
    mat_expect_shape("affine_forward", "w", w, D, -1);
    mat_expect_shape("affine_forward", "b", b, 1, M);
    mat_expect_shape("affine_forward", "out", out, N, M);

    /* Start every row of out at b, then add x w on top (beta = 1): one pass. */
    for (int i = 0; i < N; i++)
        for (int j = 0; j < M; j++) MAT_AT(out, i, j) = b->data[j];
    mat_gemm(x, false, w, false, 1.0, 1.0, out);
}

void affine_backward(const Mat *dout, const Mat *x, const Mat *w, Mat *dx, Mat *dw, Mat *db)
{
    int N = x->rows, D = x->cols, M = w->cols;
    mat_expect_shape("affine_backward", "w", w, D, -1);
    mat_expect_shape("affine_backward", "dout", dout, N, M);

    /* out[i][j] = sum_k x[i][k] w[k][j] + b[j], so
     *   dx[i][k] = sum_j dout[i][j] w[k][j]   ->  dx = dout w^T  (N, D)
     *   dw[k][j] = sum_i x[i][k] dout[i][j]   ->  dw = x^T dout  (D, M)
     *   db[j]    = sum_i dout[i][j]           ->  column sums    (1, M)
     * b was added to every row, so its gradient collects every row's. */
    if (dx) {
        mat_expect_shape("affine_backward", "dx", dx, N, D);
        mat_gemm(dout, false, w, true, 1.0, 0.0, dx);
    }
    if (dw) {
        mat_expect_shape("affine_backward", "dw", dw, D, M);
        mat_gemm(x, true, dout, false, 1.0, 0.0, dw);
    }
    if (db) {
        mat_expect_shape("affine_backward", "db", db, 1, M);
        for (int j = 0; j < M; j++) db->data[j] = 0.0;
        for (int i = 0; i < N; i++)
            for (int j = 0; j < M; j++) db->data[j] += MAT_AT(dout, i, j);
    }
}

/* ---- ReLU: out = max(0, x) ---------------------------------------------- */

void relu_forward(const Mat *x, Mat *out)
{
    mat_expect_shape("relu_forward", "out", out, x->rows, x->cols);
    size_t n = (size_t)x->rows * x->cols;
    for (size_t i = 0; i < n; i++) out->data[i] = x->data[i] > 0.0 ? x->data[i] : 0.0;
}

void relu_backward(const Mat *dout, const Mat *x, Mat *dx)
{
    mat_expect_shape("relu_backward", "dout", dout, x->rows, x->cols);
    mat_expect_shape("relu_backward", "dx", dx, x->rows, x->cols);
    /* The slope is 1 where the unit was active and 0 elsewhere: the gradient
     * passes through the active units and stops at the others (x = 0 counts
     * as inactive). */
    size_t n = (size_t)x->rows * x->cols;
    for (size_t i = 0; i < n; i++) dx->data[i] = x->data[i] > 0.0 ? dout->data[i] : 0.0;
}

/* ---- sigmoid: out = 1 / (1 + e^-x) -------------------------------------- */

void sigmoid_forward(const Mat *x, Mat *out)
{
    mat_expect_shape("sigmoid_forward", "out", out, x->rows, x->cols);
    size_t n = (size_t)x->rows * x->cols;
    for (size_t i = 0; i < n; i++) {
        double v = x->data[i];
        /* e^-v overflows for very negative v; the equal form e^v / (1 + e^v)
         * only ever exponentiates a non-positive number. */
        if (v >= 0.0) {
            out->data[i] = 1.0 / (1.0 + exp(-v));
        } else {
            double e = exp(v);
            out->data[i] = e / (1.0 + e);
        }
    }
}

void sigmoid_backward(const Mat *dout, const Mat *out, Mat *dx)
{
    mat_expect_shape("sigmoid_backward", "dout", dout, out->rows, out->cols);
    mat_expect_shape("sigmoid_backward", "dx", dx, out->rows, out->cols);
    /* s'(x) = s(x) (1 - s(x)): the forward output is all we need. */
    size_t n = (size_t)out->rows * out->cols;
    for (size_t i = 0; i < n; i++) {
        double s = out->data[i];
        dx->data[i] = dout->data[i] * s * (1.0 - s);
    }
}

/* ---- softmax cross-entropy ---------------------------------------------- */

double softmax_loss(const Mat *scores, const int *y, Mat *dscores)
{
    int N = scores->rows, C = scores->cols;
    if (dscores) mat_expect_shape("softmax_loss", "dscores", dscores, N, C);
    if (N == 0) return 0.0;

    double loss = 0.0;
    for (int i = 0; i < N; i++) {
        const double *s = &MAT_AT(scores, i, 0);
        if (y[i] < 0 || y[i] >= C) {
            fprintf(stderr, "softmax_loss: y[%d] = %d is not a class of a (%dx%d) score matrix\n", i, y[i],
                    N, C);
            abort();
        }
        /* Subtracting the row's largest score leaves every probability
         * unchanged and keeps exp() from overflowing. */
        double mx = s[0];
        for (int j = 1; j < C; j++) if (s[j] > mx) mx = s[j];
        double sum = 0.0;
        for (int j = 0; j < C; j++) sum += exp(s[j] - mx);
        double log_sum = log(sum);
        /* L_i = -log p_{y_i} = log(sum_j e^{s_j - mx}) - (s_{y_i} - mx) */
        loss += log_sum - (s[y[i]] - mx);
        if (dscores) {
            /* dL_i/ds_j = p_j - [j == y_i]; the mean over N divides by N. */
            double *d = &MAT_AT(dscores, i, 0);
            for (int j = 0; j < C; j++) d[j] = exp(s[j] - mx - log_sum) / N;
            d[y[i]] -= 1.0 / N;
        }
    }
    return loss / N;
}

/* ---- the two-layer network ---------------------------------------------- */

static void net_expect_shapes(const char *fn, const char *name, const TwoLayerNet *net, int D, int H, int C)
{
    char buf[4][32];
    snprintf(buf[0], sizeof buf[0], "%s->W1", name);
    snprintf(buf[1], sizeof buf[1], "%s->b1", name);
    snprintf(buf[2], sizeof buf[2], "%s->W2", name);
    snprintf(buf[3], sizeof buf[3], "%s->b2", name);
    mat_expect_shape(fn, buf[0], net->W1, D, H);
    mat_expect_shape(fn, buf[1], net->b1, 1, H);
    mat_expect_shape(fn, buf[2], net->W2, H, C);
    mat_expect_shape(fn, buf[3], net->b2, 1, C);
}

/* scores (N, C) = relu(X W1 + b1) W2 + b2; keeps the two hidden matrices the
 * backward pass needs in *pre (before the ReLU) and *hid (after it). */
static Mat *net_scores(const TwoLayerNet *net, const Mat *X, Mat **pre, Mat **hid)
{
    int N = X->rows, H = net->W1->cols, C = net->W2->cols;
    Mat *a = mat_new(N, H), *h = mat_new(N, H), *scores = mat_new(N, C);
    affine_forward(X, net->W1, net->b1, a);      /* a = X W1 + b1     (N, H) */
    relu_forward(a, h);                          /* h = max(0, a)     (N, H) */
    affine_forward(h, net->W2, net->b2, scores); /* scores = h W2 + b2 (N, C) */
    *pre = a;
    *hid = h;
    return scores;
}

double two_layer_net_loss(const TwoLayerNet *net, const Mat *X, const int *y, double reg, TwoLayerNet *grads)
{
    mat_expect_nonnull("two_layer_net_loss", "net", net);
    int D = X->cols, H = net->W1->cols, C = net->W2->cols;
    net_expect_shapes("two_layer_net_loss", "net", net, D, H, C);
    if (grads) net_expect_shapes("two_layer_net_loss", "grads", grads, D, H, C);

    /* Forward. */
    Mat *a, *h;
    Mat *scores = net_scores(net, X, &a, &h);
    Mat *dscores = grads ? mat_new(X->rows, C) : NULL;
    double data_loss = softmax_loss(scores, y, dscores);
    double loss = data_loss + reg * (mat_sum_sq(net->W1) + mat_sum_sq(net->W2));

    if (grads) {
        /* Backward, layer by layer in the reverse order of the forward pass. */
        Mat *dh = mat_new(X->rows, H), *da = mat_new(X->rows, H);
        affine_backward(dscores, h, net->W2, dh, grads->W2, grads->b2); /* dh = ds W2^T, dW2 = h^T ds */
        relu_backward(dh, a, da);                                        /* da = dh where a > 0       */
        affine_backward(da, X, net->W1, NULL, grads->W1, grads->b1);     /* dW1 = X^T da; no dX needed */
        mat_free(dh);
        mat_free(da);

        /* d/dW of reg * sum W^2 is 2 reg W; the biases are not regularized. */
        size_t n1 = (size_t)D * H, n2 = (size_t)H * C;
        for (size_t i = 0; i < n1; i++) grads->W1->data[i] += 2.0 * reg * net->W1->data[i];
        for (size_t i = 0; i < n2; i++) grads->W2->data[i] += 2.0 * reg * net->W2->data[i];
    }

    mat_free(a);
    mat_free(h);
    mat_free(scores);
    mat_free(dscores);
    return loss;
}

void two_layer_net_predict(const TwoLayerNet *net, const Mat *X, int *y_pred)
{
    mat_expect_nonnull("two_layer_net_predict", "net", net);
    net_expect_shapes("two_layer_net_predict", "net", net, X->cols, net->W1->cols, net->W2->cols);
    Mat *a, *h;
    Mat *scores = net_scores(net, X, &a, &h);
    /* Softmax is monotonic, so the largest score is the most probable class. */
    for (int i = 0; i < X->rows; i++) y_pred[i] = mat_argmax_row(scores, i);
    mat_free(a);
    mat_free(h);
    mat_free(scores);
}
