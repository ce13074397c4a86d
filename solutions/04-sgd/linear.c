/*
 * linear.c - lab 04 reference solution: optimizing a linear classifier.
 *
 * Three ways to look for a good W, in the lectures' order: guess at random
 * (random_search), wander and keep what helps (random_local_search), and
 * follow the negative gradient on minibatches (linear_train with
 * sgd_sample_batch). The loss is a parameter (LossFn, lab 02's signature), so
 * the same code trains the SVM and the softmax classifier.
 *
 * Randomness comes only from the Rng passed in, in a fixed order (documented
 * in the stubs), so a run can be replayed draw for draw.
 */
#include "linear.h"
#include "lab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *linear_xmalloc(size_t n)
{
    void *p = malloc(n > 0 ? n : 1);
    if (!p) {
        fprintf(stderr, "linear: out of memory (%zu bytes)\n", n);
        abort();
    }
    return p;
}

/* ---- optimization without gradients ------------------------------------------------ */

double random_search(LossFn loss, const Mat *X, const int *y, int num_tries, double scale, Rng *rng, Mat *best_W)
{
    mat_expect_nonnull("random_search", "best_W", best_W);
    mat_expect_shape("random_search", "X", X, -1, best_W->rows);
    Mat *W = mat_new(best_W->rows, best_W->cols);
    double best_loss = 1.0 / 0.0;   /* +Inf: the first candidate always wins */
    for (int t = 0; t < num_tries; t++) {
        /* A fresh independent guess every time: nothing is learned from the last one. */
        mat_fill_randn(W, scale, rng);
        double l = loss(W, X, y, 0.0, NULL);
        if (l < best_loss) {   /* strictly lower: on a tie the earlier guess stays */
            best_loss = l;
            mat_copy_into(best_W, W);
        }
    }
    mat_free(W);
    return best_loss;
}

double random_local_search(LossFn loss, const Mat *X, const int *y, int num_steps, double step_size, Rng *rng,
                           Mat *W)
{
    mat_expect_nonnull("random_local_search", "W", W);
    mat_expect_shape("random_local_search", "X", X, -1, W->rows);
    Mat *proposal = mat_new(W->rows, W->cols);
    size_t n = (size_t)W->rows * (size_t)W->cols;
    double cur = loss(W, X, y, 0.0, NULL);
    for (int s = 0; s < num_steps; s++) {
        /* proposal = W + step_size * (a random direction) */
        for (size_t i = 0; i < n; i++) proposal->data[i] = W->data[i] + step_size * rng_normal(rng);
        double l = loss(proposal, X, y, 0.0, NULL);
        if (l < cur) {   /* only a step that lowers the loss is taken */
            cur = l;
            mat_copy_into(W, proposal);
        }
    }
    mat_free(proposal);
    return cur;
}

/* ---- minibatch SGD ------------------------------------------------------------------ */

void sgd_sample_batch(const Mat *X, const int *y, Rng *rng, Mat *X_batch, int *y_batch)
{
    mat_expect_nonnull("sgd_sample_batch", "X", X);
    mat_expect_shape("sgd_sample_batch", "X_batch", X_batch, -1, X->cols);
    int N = X->rows, B = X_batch->rows;
    size_t row_bytes = (size_t)X->cols * sizeof(double);
    for (int b = 0; b < B; b++) {
        /* With replacement: each row is an independent uniform draw, and one
         * index picks both the row and its label so they stay paired. */
        int i = rng_int(rng, N);
        memcpy(&MAT_AT(X_batch, b, 0), &MAT_AT(X, i, 0), row_bytes);
        y_batch[b] = y[i];
    }
}

void linear_train(Mat *W, LossFn loss, const Mat *X, const int *y, const SgdConfig *cfg, Rng *rng,
                  double *loss_history)
{
    mat_expect_nonnull("linear_train", "W", W);
    mat_expect_shape("linear_train", "X", X, -1, W->rows);
    int B = cfg->batch_size;
    Mat *X_batch = mat_new(B, X->cols);
    int *y_batch = linear_xmalloc((size_t)B * sizeof *y_batch);
    Mat *dW = mat_new(W->rows, W->cols);
    size_t n = (size_t)W->rows * (size_t)W->cols;
    for (int it = 0; it < cfg->num_iters; it++) {
        /* 1. a minibatch: a cheap, noisy estimate of the full-data gradient */
        sgd_sample_batch(X, y, rng, X_batch, y_batch);
        /* 2. loss and gradient at the current W (the loss adds reg * sum W^2) */
        double l = loss(W, X_batch, y_batch, cfg->reg, dW);
        if (loss_history) loss_history[it] = l;
        /* 3. a step downhill: W <- W - learning_rate * dW */
        for (size_t k = 0; k < n; k++) W->data[k] -= cfg->learning_rate * dW->data[k];
    }
    mat_free(X_batch);
    free(y_batch);
    mat_free(dW);
}

/* ---- prediction ---------------------------------------------------------------------- */

void linear_predict(const Mat *W, const Mat *X, int *y_pred)
{
    mat_expect_nonnull("linear_predict", "W", W);
    mat_expect_shape("linear_predict", "X", X, -1, W->rows);
    /* All scores at once: S = X W, (N, C); the prediction is each row's argmax. */
    Mat *S = mat_new(X->rows, W->cols);
    mat_gemm(X, false, W, false, 1.0, 0.0, S);
    for (int i = 0; i < X->rows; i++) y_pred[i] = mat_argmax_row(S, i);   /* ties: the lower class */
    mat_free(S);
}
