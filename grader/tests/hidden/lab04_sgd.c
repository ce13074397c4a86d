/*
 * lab04_sgd.c - hidden tests for lab 04 (optimization and a linear classifier), 8 points.
 *
 * Comparisons with the reference solution (ref_*, ref_04.h) from the same
 * generator state, on what the public tests leave out: batches larger than N,
 * N = 1, C = 1 and C = 10, wide rows, whole-number scores with ties
 * everywhere, a single try, a step size of 0, zero steps, and inputs that must
 * not change. The losses are the grader's squared error (gt_square_loss) and
 * lab 02's reference softmax loss (ref_softmax_loss_vectorized, ref_02.h),
 * never the student's lab 02.
 */
#include "gt.h"
#include "linear.h"
#include "ref_02.h"
#include "ref_04.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* gt_square_loss is in grader/gt_losses.c; the softmax loss is lab 02's reference. */

static Rng lab04h_new_rng(void)
{
    Rng r;
    rng_seed(&r, rng_u64(gt_rng()));
    return r;
}

/* ---- linear_train ------------------------------------------------------------------------ */

/* Trains a copy of W0 with the student's and with the reference code from the
 * same generator state; W and the history must agree. */
static void lab04h_compare_train(int N, int D, int C, int B, int T, double lr, double reg, LossFn loss,
                                 const char *what)
{
    Mat *X = gt_randn(N, D, 1.0), *W0 = gt_randn(D, C, 0.2);
    int *y = gt_labels(N, C);
    Mat *W = mat_copy(W0), *Wref = mat_copy(W0);
    double *hist = malloc((size_t)(T + 1) * sizeof *hist), *href = malloc((size_t)(T + 1) * sizeof *href);
    hist[T] = -777.0;
    SgdConfig cfg = { .learning_rate = lr, .reg = reg, .num_iters = T, .batch_size = B };
    Rng r = lab04h_new_rng(), rr = r;
    gt_context("linear_train(W %s, X %s, lr %g, reg %g, %d steps, batch %d): %s", gt_shape(W), gt_shape(X), lr,
               reg, T, B, what);
    linear_train(W, loss, X, y, &cfg, &r, hist);
    ref_linear_train(Wref, loss, X, y, &cfg, &rr, href);
    gt_hint("each step: B = cfg->batch_size draws of rng_int(rng, N) (with replacement, B may exceed N), "
            "loss(W, X_batch, y_batch, cfg->reg, dW), loss_history[it] = that loss, W -= lr * dW");
    for (int it = 0; it < T; it++) {
        char name[40];
        snprintf(name, sizeof name, "loss_history[%d]", it);
        gt_expect_near(name, href[it], hist[it], 1e-9);
    }
    GT_CHECK(hist[T] == -777.0, "loss_history has %d entries; the function wrote past them", T);
    gt_expect_mat("W", Wref, W, 1e-9);
    gt_hint("draw nothing from rng besides the batches");
    GT_CHECK(memcmp(r.s, rr.s, sizeof r.s) == 0, "the generator's state after training differs from the "
             "reference's: a different number of draws");
    mat_free(X);
    mat_free(W0);
    mat_free(W);
    mat_free(Wref);
    free(y);
    free(hist);
    free(href);
}

static void test_train_vs_ref(void)
{
    lab04h_compare_train(37, 6, 5, 8, 30, 0.1, 1e-3, ref_softmax_loss_vectorized, "softmax, non-square");
    lab04h_compare_train(12, 9, 2, 4, 50, 0.3, 0.0, ref_softmax_loss_vectorized, "two classes, reg 0");
    lab04h_compare_train(50, 3, 10, 16, 20, 0.05, 0.1, gt_square_loss, "ten classes, squared error");
}

static void test_train_big_batch(void)
{
    lab04h_compare_train(4, 3, 3, 10, 15, 0.2, 1e-2, ref_softmax_loss_vectorized,
                         "batch of 10 from 4 rows: drawn with replacement, never clamped to N");
}

static void test_train_one_row(void)
{
    lab04h_compare_train(1, 5, 4, 3, 10, 0.5, 1e-3, ref_softmax_loss_vectorized, "N = 1: every batch row is row 0");
}

static void test_train_zero_iters(void)
{
    Mat *X = gt_randn(10, 4, 1.0), *W0 = gt_randn(4, 3, 0.5), *W = mat_copy(W0);
    int *y = gt_labels(10, 3);
    double hist[2] = { -777.0, -777.0 };
    SgdConfig cfg = { .learning_rate = 0.1, .reg = 0.01, .num_iters = 0, .batch_size = 5 };
    Rng r = lab04h_new_rng(), before = r;
    gt_context("linear_train(W (4x3), X (10x4), num_iters = 0, batch 5)");
    linear_train(W, ref_softmax_loss_vectorized, X, y, &cfg, &r, hist);
    gt_hint("zero steps: W stays as it is, nothing is drawn, nothing is written to loss_history");
    gt_expect_unchanged("W", W0, W);
    GT_CHECK(hist[0] == -777.0 && hist[1] == -777.0, "loss_history was written with num_iters = 0");
    GT_CHECK(memcmp(r.s, before.s, sizeof r.s) == 0, "random numbers were drawn with num_iters = 0");
    /* Points for "nothing changes" only from a function that does train when asked. */
    cfg.num_iters = 3;
    Mat *Wref = mat_copy(W0);
    Rng rr = before;
    ref_linear_train(Wref, ref_softmax_loss_vectorized, X, y, &cfg, &rr, NULL);
    r = before;
    gt_context("linear_train(W (4x3), X (10x4), then num_iters = 3, batch 5)");
    linear_train(W, ref_softmax_loss_vectorized, X, y, &cfg, &r, NULL);
    gt_hint("with num_iters = 3 W must take the reference's three steps");
    gt_expect_mat("W after 3 steps", Wref, W, 1e-9);
}

static void test_train_inputs_unchanged(void)
{
    enum { N = 15, D = 4, C = 3 };
    Mat *X = gt_randn(N, D, 1.0), *X0 = mat_copy(X), *W = gt_randn(D, C, 0.1);
    int *y = gt_labels(N, C), y0[N];
    memcpy(y0, y, sizeof y0);
    SgdConfig cfg = { .learning_rate = 0.2, .reg = 1e-3, .num_iters = 20, .batch_size = 7 };
    SgdConfig cfg0 = cfg;
    Rng r = lab04h_new_rng(), rr = r;
    Mat *Wref = mat_copy(W);
    ref_linear_train(Wref, ref_softmax_loss_vectorized, X, y, &cfg, &rr, NULL);
    gt_context("linear_train(W (4x3), X (15x4), 20 steps, batch 7)");
    linear_train(W, ref_softmax_loss_vectorized, X, y, &cfg, &r, NULL);
    gt_hint("linear_train changes only W (and the generator): copy batch rows out of X, never into it");
    gt_expect_unchanged("X", X0, X);
    gt_expect_ints("y", y0, y, N);
    GT_CHECK(memcmp(&cfg, &cfg0, sizeof cfg) == 0, "cfg was modified");
    /* Points for leaving the inputs alone only together with the right training. */
    gt_hint("W after 20 steps differs from the reference's after the same draws");
    gt_expect_mat("W after 20 steps", Wref, W, 1e-9);
}

/* ---- sgd_sample_batch ---------------------------------------------------------------------- */

static void test_sample_vs_ref(void)
{
    static const int cases[][3] = { { 5, 3, 17 }, { 1, 4, 6 }, { 8, 40, 3 }, { 100, 2, 1 } };   /* N, D, B */
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        int N = cases[k][0], D = cases[k][1], B = cases[k][2];
        Mat *X = gt_randn(N, D, 1.0), *Xb = mat_new(B, D), *Xr = mat_new(B, D);
        int *y = gt_labels(N, 10), *yb = malloc((size_t)B * sizeof *yb), *yr = malloc((size_t)B * sizeof *yr);
        Rng r = lab04h_new_rng(), rr = r;
        gt_context("sgd_sample_batch(X %s, y, rng, X_batch %s, y_batch)%s", gt_shape(X), gt_shape(Xb),
                   B > N ? ": more batch rows than rows in X" : "");
        sgd_sample_batch(X, y, &r, Xb, yb);
        ref_sgd_sample_batch(X, y, &rr, Xr, yr);
        gt_hint("for b = 0 .. B-1: i = rng_int(rng, N), row b = row i of X, y_batch[b] = y[i] (with replacement: "
                "B may exceed N)");
        gt_expect_mat("X_batch", Xr, Xb, 0.0);
        gt_expect_ints("y_batch", yr, yb, B);
        GT_CHECK(memcmp(r.s, rr.s, sizeof r.s) == 0, "a different number of random draws than B = %d", B);
        mat_free(X);
        mat_free(Xb);
        mat_free(Xr);
        free(y);
        free(yb);
        free(yr);
    }
}

/* ---- linear_predict ------------------------------------------------------------------------- */

/* A matrix of whole numbers in [-k, k]: scores are exact and tie often. */
static Mat *lab04h_ints(int rows, int cols, int k)
{
    Mat *m = mat_new(rows, cols);
    for (int i = 0; i < rows * cols; i++) m->data[i] = rng_int(gt_rng(), 2 * k + 1) - k;
    return m;
}

static void test_predict_vs_ref(void)
{
    static const int shapes[][3] = { { 1, 1, 1 }, { 9, 4, 6 }, { 1, 7, 3 }, { 30, 2, 10 }, { 6, 3, 2 } };  /* N, D, C */
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        int N = shapes[k][0], D = shapes[k][1], C = shapes[k][2];
        Mat *X = lab04h_ints(N, D, 2), *W = lab04h_ints(D, C, 1);
        int *pred = malloc((size_t)N * sizeof *pred), *want = malloc((size_t)N * sizeof *want);
        for (int i = 0; i < N; i++) pred[i] = -1;
        gt_context("linear_predict(W %s, X %s): whole numbers, many tied scores", gt_shape(W), gt_shape(X));
        linear_predict(W, X, pred);
        ref_linear_predict(W, X, want);
        gt_hint("y_pred[i] = argmax of row i of X W; on ties the lower class (C = 1: always class 0)");
        gt_expect_ints("y_pred", want, pred, N);
        mat_free(X);
        mat_free(W);
        free(pred);
        free(want);
    }
}

/* ---- random_search --------------------------------------------------------------------------- */

static void test_search_vs_ref(void)
{
    static const int tries[] = { 1, 25 };
    for (size_t k = 0; k < 2; k++) {
        Mat *X = gt_randn(18, 5, 1.0), *best = mat_new(5, 4), *want = mat_new(5, 4);
        int *y = gt_labels(18, 4);
        mat_fill(best, 777.0);
        Rng r = lab04h_new_rng(), rr = r;
        gt_context("random_search(softmax loss, X (18x5), %d tr%s, scale 2, best_W (5x4))", tries[k],
                   tries[k] == 1 ? "y" : "ies");
        double got = random_search(ref_softmax_loss_vectorized, X, y, tries[k], 2.0, &r, best);
        double exp_loss = ref_random_search(ref_softmax_loss_vectorized, X, y, tries[k], 2.0, &rr, want);
        gt_hint(tries[k] == 1 ? "with one try the only guess is the best: copy it into best_W and return its loss"
                              : "each try: a whole W of scale * rng_normal(rng), row by row; keep it when its loss "
                                "(reg 0) is strictly lower than the best so far");
        gt_expect_mat("best_W", want, best, 1e-12);
        gt_expect_near("returned loss", exp_loss, got, 1e-12);
        GT_CHECK(memcmp(r.s, rr.s, sizeof r.s) == 0, "a different number of random draws than the reference");
        mat_free(X);
        mat_free(best);
        mat_free(want);
        free(y);
    }
}

/* ---- random_local_search ------------------------------------------------------------------------ */

static void test_local_vs_ref(void)
{
    Mat *X = gt_randn(22, 4, 1.0), *W0 = gt_randn(4, 6, 0.4);
    int *y = gt_labels(22, 6);
    double start = ref_softmax_loss_vectorized(W0, X, y, 0.0, NULL);

    /* Zero steps: nothing moves; the loss of the starting W comes back. */
    Mat *W = mat_copy(W0);
    Rng r = lab04h_new_rng();
    gt_context("random_local_search(softmax loss, X (22x4), 0 steps, step_size 0.1, W (4x6))");
    double got = random_local_search(ref_softmax_loss_vectorized, X, y, 0, 0.1, &r, W);
    gt_hint("with num_steps = 0 return the loss (reg 0) of W as it is");
    gt_expect_unchanged("W", W0, W);
    gt_expect_near("returned loss", start, got, 1e-12);

    /* step_size 0: every proposal equals W, none is strictly better. */
    gt_context("random_local_search(softmax loss, X (22x4), 15 steps, step_size 0, W (4x6))");
    got = random_local_search(ref_softmax_loss_vectorized, X, y, 15, 0.0, &r, W);
    gt_hint("a proposal is kept only when its loss is strictly lower; with step_size 0 none is");
    gt_expect_unchanged("W", W0, W);
    gt_expect_near("returned loss", start, got, 1e-12);

    /* The real thing, against the reference. */
    Mat *Wr = mat_copy(W0);
    mat_copy_into(W, W0);
    Rng a = lab04h_new_rng(), b = a;
    gt_context("random_local_search(softmax loss, X (22x4), 80 steps, step_size 0.2, W (4x6))");
    got = random_local_search(ref_softmax_loss_vectorized, X, y, 80, 0.2, &a, W);
    double want = ref_random_local_search(ref_softmax_loss_vectorized, X, y, 80, 0.2, &b, Wr);
    gt_hint("each step: proposal = W + step_size * rng_normal(rng), row by row; keep it only if its loss is "
            "strictly lower; return the loss of the final W");
    gt_expect_mat("W", Wr, W, 1e-12);
    gt_expect_near("returned loss", want, got, 1e-12);
    GT_CHECK(memcmp(a.s, b.s, sizeof a.s) == 0, "a different number of random draws than the reference");
}

GT_SUITE(gt_suite_04_hidden, "04", GT_HIDDEN,
    { "04 linear_train: same W and history as the reference on random problems", 1.5, 5, test_train_vs_ref },
    { "04 linear_train: a batch larger than N", 1.0, 5, test_train_big_batch },
    { "04 linear_train: N = 1", 0.5, 5, test_train_one_row },
    { "04 linear_train: num_iters = 0 changes nothing", 0.5, 5, test_train_zero_iters },
    { "04 linear_train: X, y and cfg are not modified", 0.5, 5, test_train_inputs_unchanged },
    { "04 sgd_sample_batch: as the reference for B > N, N = 1, wide rows", 1.0, 5, test_sample_vs_ref },
    { "04 linear_predict: as the reference with tied scores, C = 1 to 10", 1.0, 5, test_predict_vs_ref },
    { "04 random_search: as the reference, with one try and with many", 1.0, 5, test_search_vs_ref },
    { "04 random_local_search: zero steps, step_size 0, and as the reference", 1.0, 5, test_local_vs_ref });
