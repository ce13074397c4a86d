/*
 * lab04_sgd.c - public tests for lab 04 (optimization and a linear classifier), 12 points.
 *
 * Where expected values come from:
 *   - the oracle (ora_<fn>, oracles.h): what the reference solution answers for
 *     the test's own inputs and the same starting generator state. In the
 *     student release those answers are replayed from recorded data, so no code
 *     here computes a lab 04 function. Each oracle is called before the
 *     student's code, on inputs that never depend on what the student returned;
 *   - cases worked out by hand: the lecture's cat/dog/bird scores and
 *     whole-number scores that tie;
 *   - invariants checked on the student's own results: a search never returns
 *     a loss above its start, the returned loss is the loss of the W left in
 *     place and the lowest one evaluated, batch rows are whole rows of X paired
 *     with their labels, lr 0 never moves W, a NULL history trains the same.
 * The only loss handed to the student's code is the grader's own squared error
 * on one-hot targets (gt_square_loss): no lab 02 code is involved.
 *
 * A recording wrapper around the loss (lab04_rec_loss) notes every call the
 * student's code makes: the loss value, the reg it passed, the batch size and
 * whether it asked for a gradient. The oracles are never given that wrapper
 * (in the release they do not call the loss at all).
 */
#include "gt.h"
#include "lab.h"
#include "linear.h"
#include "oracles.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a recording wrapper -------------------------------------------------------------- */

#define LAB04_MAX_CALLS 512
typedef struct {
    double loss, reg;
    int rows;        /* X->rows of the call (the batch size, for linear_train) */
    int wants_grad;  /* dW != NULL */
} Lab04Call;

static Lab04Call lab04_calls[LAB04_MAX_CALLS];
static int lab04_ncalls;
static LossFn lab04_inner = gt_square_loss;

static double lab04_rec_loss(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW)
{
    double l = lab04_inner(W, X, y, reg, dW);
    if (lab04_ncalls < LAB04_MAX_CALLS) {
        Lab04Call *c = &lab04_calls[lab04_ncalls];
        *c = (Lab04Call){ l, reg, X->rows, dW != NULL };
    }
    lab04_ncalls++;
    return l;
}

static void lab04_record(LossFn inner)
{
    lab04_inner = inner;
    lab04_ncalls = 0;
}

/* A generator of the test's own; the oracle gets a copy of it, so both start from the same state. */
static Rng lab04_new_rng(void)
{
    Rng r;
    rng_seed(&r, rng_u64(gt_rng()));
    return r;
}

static int lab04_same_state(const Rng *a, const Rng *b)
{
    return memcmp(a->s, b->s, sizeof a->s) == 0;
}

/* ---- inputs ------------------------------------------------------------------------------ */

/* X (N, D) whose row i encodes i: X[i][d] = 100 i + d; labels y[i] = 1000 + 7 i. */
static Mat *lab04_indexed_rows(int N, int D, int *y)
{
    Mat *X = mat_new(N, D);
    for (int i = 0; i < N; i++) {
        for (int d = 0; d < D; d++) MAT_AT(X, i, d) = 100.0 * i + d;
        y[i] = 1000 + 7 * i;
    }
    return X;
}

/* ---- linear_predict ------------------------------------------------------------------------ */

static void test_predict_lecture(void)
{
    /* The lecture's 4-pixel image with the bias 1 appended; W's columns are the
     * cat, dog and bird weights with their biases in the last row:
     *   cat  0.2*56 - 0.5*231 + 0.1*24 + 2.0*2 + 1.1 = -96.8
     *   dog -0.2*56 + 0.0*231 + 0.4*24 + 1.3*2 - 0.3 =   0.7
     *   bird 1.1*56 - 0.7*231 + 0.6*24 - 0.2*2 + 0.9 = -85.2   -> dog (1).
     * Second row: only the bias, scores 1.1, -0.3, 0.9 -> cat (0). */
    const double xv[10] = { 56, 231, 24, 2, 1,
                            0, 0, 0, 0, 1 };
    const double wv[15] = { 0.2, -0.2, 1.1,
                            -0.5, 0.0, -0.7,
                            0.1, 0.4, 0.6,
                            2.0, 1.3, -0.2,
                            1.1, -0.3, 0.9 };
    Mat *X = gt_mat(2, 5, xv), *W = gt_mat(5, 3, wv), *X0 = mat_copy(X), *W0 = mat_copy(W);
    int pred[2] = { -1, -1 };
    gt_context("linear_predict(W (5x3) = the lecture's cat/dog/bird weights and biases, X (2x5) = "
               "[56 231 24 2 1; 0 0 0 0 1])");
    linear_predict(W, X, pred);
    const int want[2] = { 1, 0 };
    gt_hint("scores = X W: row 0 gives cat -96.8, dog 0.7, bird -85.2, so dog (class 1); row 1 gives the biases "
            "1.1, -0.3, 0.9, so cat (class 0). W is (D x C): column c holds class c's weights");
    gt_expect_ints("y_pred", want, pred, 2);
    gt_hint(NULL);
    gt_expect_unchanged("X", X0, X);
    gt_expect_unchanged("W", W0, W);
}

static void test_predict_ties(void)
{
    /* X (4x2), W (2x4) with whole numbers, so the scores are exact:
     *   row 0 [1 0]:  1 5  0 5  -> classes 1 and 3 tie at 5 -> 1
     *   row 1 [0 1]:  0 1  4 1  -> 2
     *   row 2 [1 1]:  1 6  4 6  -> tie 1, 3 -> 1
     *   row 3 [2 -1]: 2 9 -4 9  -> tie 1, 3 -> 1
     * and W = 0 (every score 0): everything ties -> class 0. */
    const double xv[8] = { 1, 0, 0, 1, 1, 1, 2, -1 };
    const double wv[8] = { 1, 5, 0, 5,
                           0, 1, 4, 1 };
    Mat *X = gt_mat(4, 2, xv), *W = gt_mat(2, 4, wv), *Z = mat_new(2, 4);
    int pred[4] = { -1, -1, -1, -1 }, pred0[4] = { -1, -1, -1, -1 };
    gt_context("linear_predict(W (2x4), X (4x2)) with whole-number scores that tie");
    linear_predict(W, X, pred);
    gt_context("linear_predict(W = 0 (2x4), X (4x2)): every score is 0");
    linear_predict(Z, X, pred0);
    const int want[4] = { 1, 2, 1, 1 }, want0[4] = { 0, 0, 0, 0 };
    gt_context("linear_predict(W (2x4), X (4x2)) with whole-number scores that tie");
    gt_hint("on a tie the LOWER class wins: compare with > (not >=) while scanning classes upward, or use "
            "mat_argmax_row");
    gt_expect_ints("y_pred", want, pred, 4);
    gt_context("linear_predict(W = 0 (2x4), X (4x2)): every score is 0");
    gt_expect_ints("y_pred", want0, pred0, 4);
}

static void test_predict_random(void)
{
    Mat *W = gt_randn(7, 5, 1.0), *X = gt_randn(13, 7, 1.0);
    int pred[13], want[13];
    memset(want, 0, sizeof want);
    ora_linear_predict(W, X, want);   /* the reference's answer, asked first */
    for (int i = 0; i < 13; i++) pred[i] = -1;
    gt_context("linear_predict(W %s, X %s): random, not square", gt_shape(W), gt_shape(X));
    linear_predict(W, X, pred);
    gt_hint("S = X W is (N x C) = (13 x 5); y_pred[i] is the column of row i's largest score");
    gt_expect_ints("y_pred", want, pred, 13);
}

/* ---- sgd_sample_batch ------------------------------------------------------------------------ */

static void test_sample_replay(void)
{
    enum { N = 23, D = 4, B = 9 };
    int y[N], yb[B], yb_want[B];
    Mat *X = lab04_indexed_rows(N, D, y), *Xb = mat_new(B, D), *Xb_want = mat_new(B, D);
    Rng r = lab04_new_rng(), r_want = r;
    /* The reference's batch and generator state from the same start. */
    memset(yb_want, 0, sizeof yb_want);
    ora_sgd_sample_batch(X, y, &r_want, Xb_want, yb_want);
    gt_context("sgd_sample_batch(X (23x4) with X[i][d] = 100 i + d, y[i] = 1000 + 7 i, rng, X_batch (9x4), "
               "y_batch)");
    sgd_sample_batch(X, y, &r, Xb, yb);
    for (int b = 0; b < B; b++) {
        int i = (int)(MAT_AT(Xb_want, b, 0) / 100.0);   /* the row the b-th draw picks: row i starts with 100 i */
        gt_hint("batch row b is X's row i with i = the b-th rng_int(rng, N), drawn in order b = 0, 1, ...; one "
                "draw per row and nothing else (row i of X here holds 100 i, 100 i + 1, ...)");
        for (int d = 0; d < D; d++)
            GT_CHECK(MAT_AT(Xb, b, d) == MAT_AT(Xb_want, b, d),
                     "X_batch[%d][%d]: expected %g (row %d of X), got %g", b, d, MAT_AT(Xb_want, b, d), i,
                     MAT_AT(Xb, b, d));
        gt_hint("y_batch[b] is the label of the row you copied: y[i] for the same i");
        GT_CHECK(yb[b] == yb_want[b], "y_batch[%d]: expected %d (the label of row %d), got %d", b, yb_want[b], i,
                 yb[b]);
    }
    gt_hint("draw exactly B numbers with rng_int(rng, N) (not rand(), not a shuffle, no extra draws)");
    GT_CHECK(lab04_same_state(&r, &r_want), "the generator's state after the call differs from %d calls of "
             "rng_int(rng, 23)", B);
}

static void test_sample_paired(void)
{
    /* Whatever the order of the draws: every batch row is a whole row of X, its
     * label is that row's label, and the batch size comes from X_batch->rows. */
    enum { N = 50, D = 3 };
    static const int sizes[] = { 1, 7, 120 };
    int y[N];
    Mat *X = lab04_indexed_rows(N, D, y), *X0 = mat_copy(X);
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        int B = sizes[s];
        Mat *Xb = mat_new(B, D);
        mat_fill(Xb, -1.0);   /* no row of X holds -1: a batch row left unwritten shows */
        int *yb = malloc((size_t)(B + 2) * sizeof *yb);
        for (int b = 0; b < B + 2; b++) yb[b] = -999;
        Rng r = lab04_new_rng();
        gt_context("sgd_sample_batch(X (50x3) with X[i][d] = 100 i + d, y[i] = 1000 + 7 i, rng, X_batch (%dx3), "
                   "y_batch)", B);
        sgd_sample_batch(X, y, &r, Xb, yb);
        int first = -1, varied = 0;
        for (int b = 0; b < B; b++) {
            double v = MAT_AT(Xb, b, 0);
            if (v == -1.0)
                gt_hint("the batch has X_batch->rows rows even when that is more than N: draws are with replacement, "
                        "so do not clamp the batch size to N");
            GT_CHECK(v != -1.0, "X_batch[%d] was never written (a batch of %d rows from N = %d rows of X)", b, B, N);
            int i = (int)(v / 100.0);
            gt_hint("each batch row must be a whole row of X (copy all D values of row i)");
            GT_CHECK(v == 100.0 * i && i >= 0 && i < N, "X_batch[%d][0] = %g is not the first value of any row of X",
                     b, v);
            for (int d = 1; d < D; d++)
                GT_CHECK(MAT_AT(Xb, b, d) == MAT_AT(X, i, d), "X_batch[%d] mixes rows: [%d][0] is row %d's, but "
                         "[%d][%d] = %g", b, b, i, b, d, MAT_AT(Xb, b, d));
            gt_hint("rows and labels must stay paired: draw one index i and take both row i of X and y[i]");
            GT_CHECK(yb[b] == y[i], "y_batch[%d] = %d, but X_batch[%d] is row %d of X, whose label is %d", b, yb[b],
                     b, i, y[i]);
            if (first < 0) first = i;
            else if (i != first) varied = 1;
        }
        gt_hint("the batch size is X_batch->rows: write exactly that many labels");
        GT_CHECK(yb[B] == -999 && yb[B + 1] == -999, "y_batch has %d entries, but the function wrote past them", B);
        if (B > 10) {
            gt_hint("draw a new random index for every batch row");
            GT_CHECK(varied, "all %d batch rows are row %d of X", B, first);
        }
        mat_free(Xb);
        free(yb);
    }
    gt_hint(NULL);
    gt_expect_unchanged("X", X0, X);
}

/* ---- linear_train ------------------------------------------------------------------------------ */

/* Three round clusters in the plane, 30 points each, plus the bias column. */
static Mat *lab04_clusters(int *y)
{
    static const double cx[3] = { 3.0, -1.5, -1.5 }, cy[3] = { 0.0, 2.6, -2.6 };
    Mat *X = mat_new(90, 3);
    for (int i = 0; i < 90; i++) {
        int c = i % 3;
        MAT_AT(X, i, 0) = cx[c] + 0.6 * rng_normal(gt_rng());
        MAT_AT(X, i, 1) = cy[c] + 0.6 * rng_normal(gt_rng());
        MAT_AT(X, i, 2) = 1.0;
        y[i] = c;
    }
    return X;
}

/* How many rows i have a squared error sum_c (s_ic - [c == y_i])^2 below 1/2 at W. Such a row is
 * classified right: (1 - s_y)^2 + s_c^2 < 1/2 forces s_y > s_c for every other class c. */
static int lab04_well_fit(const Mat *W, const Mat *X, const int *y)
{
    int n = 0;
    for (int i = 0; i < X->rows; i++) {
        Mat row = mat_row_view(X, i);
        n += gt_square_loss(W, &row, &y[i], 0.0, NULL) < 0.5;
    }
    return n;
}

/* What a linear_train test's expected values assume: sgd_sample_batch draws
 * as documented. Checked first, on a case of its own (its own generator, so the
 * test's inputs do not change); when the lab's sampler is wrong or not written,
 * every failure of the test says to fix the sgd_sample_batch tests first. */
typedef struct {
    const Mat *X;
    const int *y;
    Rng *rng;
    Mat *Xb;
    int *yb;
} Lab04Sample;

static void lab04_sample_run(void *ctx)
{
    Lab04Sample *s = ctx;
    sgd_sample_batch(s->X, s->y, s->rng, s->Xb, s->yb);
}

static int lab04_note_sampler(void)
{
    enum { N = 11, D = 2, B = 7 };
    int y[N], yb[B], yb_want[B];
    Mat *X = lab04_indexed_rows(N, D, y), *Xb = mat_new(B, D), *Xb_want = mat_new(B, D);
    Rng r, r_want;
    rng_seed(&r, 4242);
    r_want = r;
    memset(yb, 0, sizeof yb);
    memset(yb_want, 0, sizeof yb_want);
    ora_sgd_sample_batch(X, y, &r_want, Xb_want, yb_want);
    gt_context("sgd_sample_batch(X (11x2), y, rng, X_batch (7x2), y_batch), before linear_train: the expected "
               "values below assume its documented draws");
    Lab04Sample run = { X, y, &r, Xb, yb };
    int ok = 1;
    if (!lab_attempt(lab04_sample_run, &run)) {
        gt_note("sgd_sample_batch() is not written yet: linear_train draws its batches with it, so write it (and "
                "pass its tests) first");
        ok = 0;
    } else if (!lab04_same_state(&r, &r_want) || memcmp(yb, yb_want, sizeof yb) != 0 ||
               memcmp(Xb->data, Xb_want->data, sizeof(double) * B * D) != 0) {
        gt_note("your sgd_sample_batch() draws other rows than the documented ones (see its own tests), so this "
                "test trained on data whose rows are all the same, where any draw gives the same batch: what "
                "fails here is linear_train's own");
        ok = 0;
    }
    mat_free(X), mat_free(Xb), mat_free(Xb_want);
    return ok;
}

/* The same problem with every row (and label) equal to the first: a batch drawn
 * from it is the same whichever rows are drawn, so a linear_train test can judge
 * the training itself when the lab's sampler draws the wrong rows. */
static Mat *lab04_flat(const Mat *X, const int *y, int *y_flat)
{
    Mat *F = mat_new(X->rows, X->cols);
    for (int i = 0; i < X->rows; i++) {
        memcpy(&MAT_AT(F, i, 0), &MAT_AT(X, 0, 0), sizeof(double) * (size_t)X->cols);
        y_flat[i] = y[0];
    }
    return F;
}

static void test_train_separable(void)
{
    if (!lab04_note_sampler())   /* here the data must stay as drawn: the note says why this can fail */
        gt_note("your sgd_sample_batch() is wrong or not written (see its own tests), and this test learns from "
                "the batches it draws: fix the sgd_sample_batch tests first");
    int y[90];
    Mat *X = lab04_clusters(y), *W = gt_randn(3, 3, 0.01), *W0 = mat_copy(W), *X0 = mat_copy(X);
    SgdConfig cfg = { .learning_rate = 0.05, .reg = 1e-3, .num_iters = 300, .batch_size = 16 };
    double hist[300];
    Rng r = lab04_new_rng();
    gt_context("linear_train(W (3x3) ~ 0.01 N(0,1), squared-error loss, X (90x3): three separated clusters, "
               "lr 0.05, reg 1e-3, 300 steps, batch 16)");
    linear_train(W, gt_square_loss, X, y, &cfg, &r, hist);
    gt_expect_finite("W", W);
    double before = gt_square_loss(W0, X, y, 0.0, NULL), after = gt_square_loss(W, X, y, 0.0, NULL);
    gt_hint("each step: sample a batch, compute the loss and dW at the current W, then W -= lr * dW");
    GT_CHECK(isfinite(after), "the loss on all 90 points went from %.4f to %g: training blew up (steps of "
             "lr 0.05 * dW are small; is the step W -= cfg->learning_rate * dW?)", before, after);
    GT_CHECK(after < 0.25 * before, "the loss on all 90 points went from %.4f to only %.4f (expected below a "
             "quarter)", before, after);
    int fit = lab04_well_fit(W, X, y);
    GT_CHECK(fit >= 86, "only %d/90 points have a squared error below 1/2 (which makes the true class score "
             "highest) after 300 steps, expected at least 86/90 on this easy problem", fit);
    gt_hint(NULL);
    gt_expect_unchanged("X", X0, X);
}

static void test_train_learning_rate(void)
{
    int sampler_ok = lab04_note_sampler();
    enum { N = 40, D = 5, C = 4, B = 8 };
    Mat *Xr = gt_randn(N, D, 1.0), *W0 = gt_randn(D, C, 0.3);
    int *yr = gt_labels(N, C), yf[N];
    Mat *Xf = lab04_flat(Xr, yr, yf);
    Rng seed = lab04_new_rng();

    /* The expected first step with lr 0.05: the reference's, from the same W and generator state
     * (asked for both data sets, whichever the test then uses). */
    Mat *want_r = mat_copy(W0), *want_f = mat_copy(W0);
    SgdConfig one = { .learning_rate = 0.05, .reg = 0.01, .num_iters = 1, .batch_size = B };
    Rng r = seed;
    ora_linear_train(want_r, gt_square_loss, Xr, yr, &one, &r, NULL);
    r = seed;
    ora_linear_train(want_f, gt_square_loss, Xf, yf, &one, &r, NULL);
    const Mat *X = sampler_ok ? Xr : Xf, *want = sampler_ok ? want_r : want_f;
    const int *y = sampler_ok ? yr : yf;

    /* lr = 0: W must not move at all. */
    Mat *Wz = mat_copy(W0);
    r = seed;
    SgdConfig zero = { .learning_rate = 0.0, .reg = 0.01, .num_iters = 20, .batch_size = B };
    gt_context("linear_train(W (5x4), squared-error loss, X (40x5), lr 0, reg 0.01, 20 steps, batch 8)");
    linear_train(Wz, gt_square_loss, X, y, &zero, &r, NULL);

    /* One step with lr 0.05 and one with lr 0.2, from the same W and the same draws. */
    Mat *W1 = mat_copy(W0), *W2 = mat_copy(W0);
    r = seed;
    gt_context("linear_train(W (5x4), squared-error loss, X (40x5), lr 0.05, reg 0.01, 1 step, batch 8)");
    linear_train(W1, gt_square_loss, X, y, &one, &r, NULL);
    one.learning_rate = 0.2;
    r = seed;
    gt_context("linear_train(W (5x4), squared-error loss, X (40x5), lr 0.2, reg 0.01, 1 step, batch 8)");
    linear_train(W2, gt_square_loss, X, y, &one, &r, NULL);

    /* The right step is want - W0 = -0.05 dW; compare the student's step with it where it is largest. */
    int k = 0;
    for (int j = 1; j < D * C; j++)
        if (fabs(want->data[j] - W0->data[j]) > fabs(want->data[k] - W0->data[k])) k = j;
    double step = want->data[k] - W0->data[k], got = W1->data[k] - W0->data[k];
    gt_context("linear_train(W (5x4), squared-error loss, X (40x5), lr 0.05, reg 0.01, 1 step, batch 8)");
    if (step != 0 && fabs(got / step - 20.0) < 1e-6)
        gt_hint("the step looks like W -= 1.0 * dW: use cfg->learning_rate");
    else if (step != 0 && fabs(got / step - 0.02) < 1e-6)
        gt_hint("the step looks like W -= 1e-3 * dW: use cfg->learning_rate, not a constant");
    else if (step != 0 && fabs(got / step + 1.0) < 1e-6)
        gt_hint("W moved uphill: the update is W -= lr * dW (minus: against the gradient)");
    else
        gt_hint("one step is: sample the batch (B calls of rng_int in order), compute loss(W, X_batch, y_batch, "
                "cfg->reg, dW), then W -= cfg->learning_rate * dW");
    gt_expect_mat("W after one step", want, W1, 1e-9);
    gt_context("linear_train with lr 0.05 and with lr 0.2, from the same W and the same generator state");
    gt_hint("the learning rate must scale the step: cfg->learning_rate");
    GT_CHECK(mat_max_abs_diff(W1, W2) > 0, "lr 0.05 and lr 0.2 gave the same W after one step");
    gt_context("linear_train(W (5x4), squared-error loss, X (40x5), lr 0, reg 0.01, 20 steps, batch 8)");
    gt_hint("with learning_rate 0 every update W -= 0 * dW leaves W exactly as it was");
    GT_CHECK(mat_equal(W0, Wz), "W moved with learning_rate 0 (by up to %g in 20 steps)", mat_max_abs_diff(W0, Wz));
}

/* What test_train_history expects, the reference's answers for one data set. */
typedef struct {
    Mat *W;          /* W after the run */
    double *hist;    /* the loss history */
    Rng after;       /* the generator after the run */
    double late;     /* the loss of the first batch after the first step */
} Lab04HistoryWant;

static Lab04HistoryWant lab04_history_want(const Mat *X, const int *y, const Mat *W0, const SgdConfig *cfg,
                                           Rng start)
{
    int B = cfg->batch_size;
    Lab04HistoryWant w = { mat_copy(W0), calloc((size_t)cfg->num_iters, sizeof(double)), start, 0.0 };
    /* The reference's run from the same W and generator state: W, history, generator state after. */
    ora_linear_train(w.W, gt_square_loss, X, y, cfg, &w.after, w.hist);
    /* The loss on the first batch after the first step: what a history written
     * one step late would hold in entry 0. The batch and the step are the reference's. */
    Mat *Xb = mat_new(B, X->cols), *W1 = mat_copy(W0);
    int *yb = calloc((size_t)B, sizeof *yb);
    Rng first = start, first1 = start;
    ora_sgd_sample_batch(X, y, &first, Xb, yb);
    SgdConfig cfg1 = *cfg;
    cfg1.num_iters = 1;
    ora_linear_train(W1, gt_square_loss, X, y, &cfg1, &first1, NULL);
    w.late = gt_square_loss(W1, Xb, yb, cfg->reg, NULL);
    mat_free(Xb), mat_free(W1), free(yb);
    return w;
}

static void test_train_history(void)
{
    int sampler_ok = lab04_note_sampler();
    enum { N = 30, D = 4, C = 3, B = 6, T = 25 };
    Mat *Xr = gt_randn(N, D, 1.0), *W0 = gt_randn(D, C, 0.5);
    int *yr = gt_labels(N, C), yf[N];
    Mat *Xf = lab04_flat(Xr, yr, yf);
    Mat *W = mat_copy(W0);
    double hist[T + 2];
    hist[T] = hist[T + 1] = -777.0;
    SgdConfig cfg = { .learning_rate = 0.03, .reg = 0.02, .num_iters = T, .batch_size = B };
    Rng r = lab04_new_rng();
    /* Both data sets asked for, whichever the test then uses. */
    Lab04HistoryWant wr = lab04_history_want(Xr, yr, W0, &cfg, r), wf = lab04_history_want(Xf, yf, W0, &cfg, r);
    const Lab04HistoryWant *w = sampler_ok ? &wr : &wf;
    const Mat *X = sampler_ok ? Xr : Xf, *Wexp = w->W;
    const int *y = sampler_ok ? yr : yf;
    const double *want = w->hist, late = w->late;
    Rng r_want = w->after;

    lab04_record(gt_square_loss);
    gt_context("linear_train(W (4x3), squared-error loss, X (30x4), lr 0.03, reg 0.02, 25 steps, batch 6, "
               "loss_history)");
    linear_train(W, lab04_rec_loss, X, y, &cfg, &r, hist);
    int ncalls = lab04_ncalls;

    gt_hint("each step calls the loss on the minibatch with cfg->reg and a dW to fill");
    int with_grad = 0;
    for (int k = 0; k < ncalls && k < LAB04_MAX_CALLS; k++) {
        GT_CHECK(lab04_calls[k].rows == B, "call %d of the loss had X with %d rows, expected the batch of %d", k,
                 lab04_calls[k].rows, B);
        GT_CHECK(lab04_calls[k].reg == 0.02, "call %d of the loss had reg %g, expected cfg->reg = 0.02", k,
                 lab04_calls[k].reg);
        with_grad += lab04_calls[k].wants_grad;
    }
    GT_CHECK(with_grad == T, "the loss was asked for a gradient %d times in %d steps (once per step)", with_grad, T);
    gt_hint("loss_history[0] is the loss of the first minibatch at the starting W, BEFORE the first update");
    if (gt_close(late, hist[0], 1e-9))
        gt_hint("loss_history[0] is the loss after the first step: record the loss BEFORE updating W");
    gt_expect_near("loss_history[0]", want[0], hist[0], 1e-9);
    gt_hint("loss_history[0] is right but a later entry is not: after each step W must be W - cfg->learning_rate "
            "* dW, and each step draws a fresh batch (B calls of rng_int)");
    for (int it = 1; it < T; it++) {
        char what[40];
        snprintf(what, sizeof what, "loss_history[%d]", it);
        gt_expect_near(what, want[it], hist[it], 1e-9);
    }
    GT_CHECK(hist[T] == -777.0 && hist[T + 1] == -777.0, "loss_history has num_iters = %d entries; the function "
             "wrote past them", T);
    gt_hint("W after the steps differs from the reference's W after the same draws");
    gt_expect_mat("W", Wexp, W, 1e-9);
    gt_hint("draw nothing from rng besides the batches: num_iters * batch_size calls of rng_int(rng, N)");
    GT_CHECK(!sampler_ok || lab04_same_state(&r, &r_want), "the generator's state after training differs from the "
             "reference's (%d calls of rng_int(rng, %d)): a different number of draws", T * B, N);
}

static void test_train_null_history(void)
{
    int sampler_ok = lab04_note_sampler();
    enum { N = 20, D = 3, C = 3 };
    Mat *Xr = gt_randn(N, D, 1.0), *W0 = gt_randn(D, C, 0.5);
    int *yr = gt_labels(N, C), yf[N];
    Mat *Xf = lab04_flat(Xr, yr, yf);
    Mat *Wa = mat_copy(W0), *Wb = mat_copy(W0);
    double hist[15];
    SgdConfig cfg = { .learning_rate = 0.1, .reg = 0.01, .num_iters = 15, .batch_size = 5 };
    Rng seed = lab04_new_rng(), r = seed;
    /* The reference's W, asked first, for both data sets. */
    Mat *Wexp_r = mat_copy(W0), *Wexp_f = mat_copy(W0);
    ora_linear_train(Wexp_r, gt_square_loss, Xr, yr, &cfg, &r, NULL);
    r = seed;
    ora_linear_train(Wexp_f, gt_square_loss, Xf, yf, &cfg, &r, NULL);
    const Mat *X = sampler_ok ? Xr : Xf, *Wexp = sampler_ok ? Wexp_r : Wexp_f;
    const int *y = sampler_ok ? yr : yf;
    r = seed;
    gt_context("linear_train(W (3x3), squared-error loss, X (20x3), 15 steps, loss_history = NULL)");
    linear_train(Wa, gt_square_loss, X, y, &cfg, &r, NULL);
    r = seed;
    gt_context("linear_train(the same call, with a loss_history array)");
    linear_train(Wb, gt_square_loss, X, y, &cfg, &r, hist);
    gt_hint("loss_history may be NULL: then record nothing, but train exactly the same way");
    gt_expect_finite("W (no history)", Wa);
    gt_expect_mat("W without a history vs W with one", Wb, Wa, 1e-12);
    /* Points for "NULL is allowed" only together with training that is right. */
    gt_hint("W after 15 steps differs from the reference's after the same draws");
    gt_expect_mat("W (no history) vs the reference's", Wexp, Wa, 1e-9);
}

/* ---- random_local_search ------------------------------------------------------------------------ */

/* The squared-error loss rounded down to a multiple of 0.5: flat steps, so
 * that proposals often tie with the current W. */
static double lab04_plateau_loss(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW)
{
    if (dW) mat_fill(dW, 0.0);
    return floor(2.0 * gt_square_loss(W, X, y, reg, NULL)) / 2.0;
}

static void test_local_never_worse(void)
{
    enum { N = 30, D = 4, C = 3, S = 60 };
    Mat *X = gt_randn(N, D, 1.0), *W = gt_randn(D, C, 0.3);
    int *y = gt_labels(N, C);
    Mat *W0 = mat_copy(W);
    double start = gt_square_loss(W0, X, y, 0.0, NULL);
    Rng r = lab04_new_rng();
    lab04_record(gt_square_loss);
    gt_context("random_local_search(squared-error loss, X (30x4), 60 steps, step_size 0.1, W (4x3)); the loss at "
               "the starting W is %.6f", start);
    double got = random_local_search(lab04_rec_loss, X, y, S, 0.1, &r, W);
    int ncalls = lab04_ncalls;
    gt_expect_finite("W", W);
    gt_hint("evaluate every W with reg 0: loss(W, X, y, 0.0, NULL)");
    for (int k = 0; k < ncalls && k < LAB04_MAX_CALLS; k++)
        GT_CHECK(lab04_calls[k].reg == 0.0, "call %d of the loss had reg %g, expected 0", k, lab04_calls[k].reg);
    gt_hint("a proposal is kept only when its loss is strictly lower than the current one, so the loss can "
            "never go up");
    GT_CHECK(got <= start, "returned loss %.6f is above the loss %.6f at the starting W", got, start);
    double best = INFINITY;
    for (int k = 0; k < ncalls && k < LAB04_MAX_CALLS; k++) best = fmin(best, lab04_calls[k].loss);
    gt_hint("only ever move to a W with a lower loss: at the end W is the best W evaluated");
    gt_expect_near("returned loss vs the lowest loss evaluated", best, got, 1e-12);
    gt_hint("return the loss of the final W (the W left in place)");
    gt_expect_near("returned loss vs loss(final W)", gt_square_loss(W, X, y, 0.0, NULL), got, 1e-12);
}

static void test_local_replay(void)
{
    enum { N = 25, D = 3, C = 4, S = 40 };
    Mat *X = gt_randn(N, D, 1.0), *W = gt_randn(D, C, 0.3);
    int *y = gt_labels(N, C);
    Mat *Wexp = mat_copy(W);
    Rng r = lab04_new_rng(), r_want = r;
    /* The reference's search from the same W and generator state. */
    double want = ora_random_local_search(gt_square_loss, X, y, S, 0.05, &r_want, Wexp);
    gt_context("random_local_search(squared-error loss, X (25x3), 40 steps, step_size 0.05, W (3x4))");
    double got = random_local_search(gt_square_loss, X, y, S, 0.05, &r, W);
    gt_hint("each step: proposal = W + step_size * rng_normal(rng) for every entry, row by row; keep it only if "
            "its loss (reg 0) is strictly lower");
    gt_expect_mat("W", Wexp, W, 1e-12);
    gt_expect_near("returned loss", want, got, 1e-12);
    gt_hint("draw exactly num_steps * (W's size) numbers with rng_normal(rng), one per entry of each proposal");
    GT_CHECK(lab04_same_state(&r, &r_want), "the generator's state after the call differs from %d calls of "
             "rng_normal(rng)", S * D * C);

    /* Again on a loss with plateaus, where many proposals tie with the current
     * W: a tie is not an improvement, so the reference keeps W. */
    mat_copy_into(W, Wexp);
    Mat *Wtie = mat_copy(W);
    Rng t = lab04_new_rng(), t_want = t;
    double want_tie = ora_random_local_search(lab04_plateau_loss, X, y, S, 0.05, &t_want, Wtie);
    gt_context("random_local_search(the squared-error loss rounded down to a multiple of 0.5, so that many "
               "proposals tie, X (25x3), 40 steps, step_size 0.05, W (3x4))");
    double got_tie = random_local_search(lab04_plateau_loss, X, y, S, 0.05, &t, W);
    gt_hint("a proposal whose loss only EQUALS the current one is not taken: keep it only if its loss is strictly "
            "lower (<, not <=)");
    gt_expect_mat("W", Wtie, W, 1e-12);
    gt_expect_near("returned loss", want_tie, got_tie, 1e-12);
}

/* ---- random_search -------------------------------------------------------------------------------- */

static void test_search_best(void)
{
    enum { N = 25, D = 4, C = 3, T = 40 };
    Mat *X = gt_randn(N, D, 1.0), *best = mat_new(D, C), *first = mat_new(D, C);
    int *y = gt_labels(N, C);
    Rng r = lab04_new_rng(), r_first = r;
    /* The loss of the first guess: the reference's search with a single try, from the same generator state. */
    double first_loss = ora_random_search(gt_square_loss, X, y, 1, 0.5, &r_first, first);
    mat_fill(best, 777.0);
    lab04_record(gt_square_loss);
    gt_context("random_search(squared-error loss, X (25x4), 40 tries, scale 0.5, best_W (4x3))");
    double got = random_search(lab04_rec_loss, X, y, T, 0.5, &r, best);
    int ncalls = lab04_ncalls;

    gt_expect_finite("best_W", best);
    gt_hint("evaluate each of the num_tries guesses with reg 0: loss(W_try, X, y, 0.0, NULL)");
    GT_CHECK(ncalls >= T, "the loss was called %d times for %d tries", ncalls, T);
    for (int k = 0; k < ncalls && k < LAB04_MAX_CALLS; k++)
        GT_CHECK(lab04_calls[k].reg == 0.0, "call %d of the loss had reg %g, expected 0", k, lab04_calls[k].reg);
    gt_hint("best_W must hold the guess whose loss you return (copy the guess when it wins, not a pointer)");
    gt_expect_near("returned loss vs loss(best_W)", gt_square_loss(best, X, y, 0.0, NULL), got, 1e-12);
    double low = INFINITY;
    for (int k = 0; k < ncalls && k < LAB04_MAX_CALLS; k++) low = fmin(low, lab04_calls[k].loss);
    gt_hint("keep the LOWEST loss over all tries");
    gt_expect_near("returned loss vs the lowest loss evaluated", low, got, 1e-12);
    gt_hint("the first guess is scale * rng_normal(rng) for every entry of W, row by row; the best of 40 guesses "
            "cannot be worse than the first");
    GT_CHECK(got <= first_loss, "returned loss %.6f is above the first guess's loss %.6f", got, first_loss);
}

static void test_search_replay(void)
{
    enum { N = 20, D = 3, C = 3, T = 30 };
    Mat *X = gt_randn(N, D, 1.0), *best = mat_new(D, C), *want = mat_new(D, C);
    int *y = gt_labels(N, C);
    Rng r = lab04_new_rng(), r_want = r;
    /* The reference's search from the same generator state. */
    double low = ora_random_search(gt_square_loss, X, y, T, 0.8, &r_want, want);
    gt_context("random_search(squared-error loss, X (20x3), 30 tries, scale 0.8, best_W (3x3))");
    double got = random_search(gt_square_loss, X, y, T, 0.8, &r, best);
    gt_hint("each try fills a whole W with scale * rng_normal(rng), row by row, and keeps it only if its loss is "
            "strictly lower than the best so far");
    gt_expect_mat("best_W", want, best, 1e-12);
    gt_expect_near("returned loss", low, got, 1e-12);
    gt_hint("draw exactly num_tries * (W's size) numbers with rng_normal(rng), one per entry of each guess");
    GT_CHECK(lab04_same_state(&r, &r_want), "the generator's state after the call differs from %d calls of "
             "rng_normal(rng)", T * D * C);
}

GT_SUITE(gt_suite_04_public, "04", GT_PUBLIC,
    { "04 linear_predict: the lecture's cat/dog/bird scores predict dog", 1.0, 5, test_predict_lecture },
    { "04 linear_predict: ties go to the lower class", 1.0, 5, test_predict_ties },
    { "04 linear_predict: random non-square shapes", 0.5, 5, test_predict_random },
    { "04 sgd_sample_batch: rows drawn with rng_int in order", 1.0, 5, test_sample_replay },
    { "04 sgd_sample_batch: rows and labels stay paired; B = X_batch->rows", 1.0, 5, test_sample_paired },
    { "04 linear_train: learns three separated clusters", 1.5, 5, test_train_separable },
    { "04 linear_train: uses the learning rate (lr 0, one exact step)", 1.5, 5, test_train_learning_rate },
    { "04 linear_train: loss_history[it] is the batch loss before step it", 1.0, 5, test_train_history },
    { "04 linear_train: loss_history may be NULL", 0.5, 5, test_train_null_history },
    { "04 random_local_search: never accepts a worse W", 1.0, 5, test_local_never_worse },
    { "04 random_local_search: the documented steps, replayed", 0.5, 5, test_local_replay },
    { "04 random_search: returns the loss of best_W, the lowest of all tries", 1.0, 5, test_search_best },
    { "04 random_search: the documented guesses, replayed", 0.5, 5, test_search_replay });
