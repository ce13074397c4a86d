/*
 * lab02_loss.c - hidden tests for lab 02 (the SVM and softmax losses), 8 points.
 *
 * These compare with the reference solution (ref_02.h) where the public tests
 * do not look: larger and odd shapes (N = 1, D = 1, C = 2 and C = 10, D much
 * larger than N and the other way round), a large reg, repeated examples,
 * every label the same class, and scores that are far apart or offset far from
 * 0. Random real inputs put no SVM margin exactly on its kink, so the reference
 * and any right solution agree to rounding.
 */
#include "gt.h"
#include "loss.h"
#include "ref_02.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LAB02H_JUNK 777.0

typedef double (*Lab02hLossFn)(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW);

typedef struct {
    const char *name;
    Lab02hLossFn fn, ref;
    int svm;
} Lab02hFn;

static const Lab02hFn lab02h_svm_naive = { "svm_loss_naive", svm_loss_naive, ref_svm_loss_naive, 1 };
static const Lab02hFn lab02h_svm_vec = { "svm_loss_vectorized", svm_loss_vectorized, ref_svm_loss_vectorized, 1 };
static const Lab02hFn lab02h_softmax_naive = { "softmax_loss_naive", softmax_loss_naive, ref_softmax_loss_naive,
                                               0 };
static const Lab02hFn lab02h_softmax_vec = { "softmax_loss_vectorized", softmax_loss_vectorized,
                                             ref_softmax_loss_vectorized, 0 };

/* X (N, D) ~ N(0, 1) with a last column of ones when D > 1 (the bias trick). */
static Mat *lab02h_X(int N, int D)
{
    Mat *X = gt_randn(N, D, 1.0);
    if (D > 1)
        for (int i = 0; i < N; i++) MAT_AT(X, i, D - 1) = 1.0;
    return X;
}

/* Calls f on copies of the inputs (dW pre-filled with junk), then compares the
 * loss and dW with the reference and checks the inputs did not change. */
static void lab02h_compare(const Lab02hFn *f, const Mat *W, const Mat *X, const int *y, double reg,
                           const char *what)
{
    int N = X->rows;
    Mat *Wc = mat_copy(W), *Xc = mat_copy(X), *dW = mat_new(W->rows, W->cols);
    int *yc = malloc((size_t)(N > 0 ? N : 1) * sizeof *yc);
    memcpy(yc, y, (size_t)N * sizeof *yc);
    mat_fill(dW, LAB02H_JUNK);
    gt_context("%s(W %s, X %s, y, reg = %g, dW %s): %s", f->name, gt_shape(W), gt_shape(X), reg, gt_shape(dW),
               what);
    double loss = f->fn(Wc, Xc, yc, reg, dW);

    Mat *want_dW = mat_new(W->rows, W->cols);
    double want = f->ref(W, X, y, reg, want_dW);
    if (!isfinite(loss))
        gt_hint(f->svm ? "the loss is not finite" : "the loss is not finite: subtract each row's max score before "
                                                    "exponentiating");
    else if (N > 1 && gt_close(want - reg * mat_sum_sq(W), (loss - reg * mat_sum_sq(W)) / N, 1e-9))
        gt_hint("the data loss is N times too large: take the mean over the N examples");
    else
        gt_hint(f->svm ? "L = (1/N) sum_i sum_{j != y_i} max(0, s_j - s_yi + 1) + reg * sum(W^2)"
                       : "L = (1/N) sum_i -ln p_{i,y_i} + reg * sum(W^2), natural log, row max subtracted");
    gt_expect_near("loss", want, loss, 1e-9);
    gt_hint(f->svm ? "dW = (1/N) sum_i [ +x_i on each violated column j, -x_i times the number of violations on "
                     "column y_i ] + 2 * reg * W; every entry overwritten"
                   : "dW = (1/N) sum_i x_i^T (p_i - onehot(y_i)) + 2 * reg * W; every entry overwritten");
    gt_expect_mat("dW", want_dW, dW, 1e-9);
    gt_hint("W, X and y are inputs: never write into them");
    gt_expect_unchanged("W", W, Wc);
    gt_expect_unchanged("X", X, Xc);
    gt_expect_ints("y (must not change)", y, yc, N);
    gt_hint(NULL);
    mat_free(Wc);
    mat_free(Xc);
    mat_free(dW);
    mat_free(want_dW);
    free(yc);
}

/* ---- shapes ------------------------------------------------------------------------ */

static void lab02h_shapes(const Lab02hFn *f)
{
    static const int shapes[][3] = {   /* N, D, C */
        { 1, 5, 3 }, { 64, 33, 10 }, { 20, 7, 2 }, { 9, 50, 10 }, { 2, 3, 2 }, { 40, 12, 7 }, { 4, 1, 3 }, { 1, 1, 2 },
    };
    static const double regs[] = { 0.0, 0.5, 2.0 };
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        int N = shapes[s][0], D = shapes[s][1], C = shapes[s][2];
        Mat *X = lab02h_X(N, D), *W = gt_randn(D, C, 0.3);
        int *y = gt_labels(N, C);
        lab02h_compare(f, W, X, y, regs[s % 3], "random inputs");
        mat_free(X);
        mat_free(W);
        free(y);
    }
}

static void test_svm_naive_shapes(void) { lab02h_shapes(&lab02h_svm_naive); }
static void test_svm_vec_shapes(void) { lab02h_shapes(&lab02h_svm_vec); }
static void test_softmax_naive_shapes(void) { lab02h_shapes(&lab02h_softmax_naive); }
static void test_softmax_vec_shapes(void) { lab02h_shapes(&lab02h_softmax_vec); }

/* ---- a large reg, repeated examples, one class only ------------------------------------- */

static void lab02h_edge(const Lab02hFn *f)
{
    /* Tiny weights and reg = 1000: the regularization dominates loss and gradient. */
    {
        int N = 30, D = 11, C = 10;
        Mat *X = lab02h_X(N, D), *W = gt_randn(D, C, 0.001);
        int *y = gt_labels(N, C);
        lab02h_compare(f, W, X, y, 1000.0, "reg = 1000 with weights of about 0.001");
        mat_free(X);
        mat_free(W);
        free(y);
    }
    /* Every example repeated three times, every label the last class. */
    {
        int N = 12, D = 5, C = 4;
        Mat *X = lab02h_X(N, D), *W = gt_randn(D, C, 0.7);
        for (int i = 4; i < N; i++)
            memcpy(&MAT_AT(X, i, 0), &MAT_AT(X, i % 4, 0), (size_t)D * sizeof(double));
        int y[12];
        for (int i = 0; i < N; i++) y[i] = C - 1;
        lab02h_compare(f, W, X, y, 0.1, "4 examples repeated 3 times each, every label the last class");
        mat_free(X);
        mat_free(W);
    }
    /* One example, two classes, label 1. */
    {
        Mat *X = lab02h_X(1, 6), *W = gt_randn(6, 2, 0.5);
        int y[1] = { 1 };
        lab02h_compare(f, W, X, y, 0.3, "N = 1, C = 2, label 1");
        mat_free(X);
        mat_free(W);
    }
}

static void test_svm_naive_edge(void) { lab02h_edge(&lab02h_svm_naive); }
static void test_svm_vec_edge(void) { lab02h_edge(&lab02h_svm_vec); }
static void test_softmax_naive_edge(void) { lab02h_edge(&lab02h_softmax_naive); }
static void test_softmax_vec_edge(void) { lab02h_edge(&lab02h_softmax_vec); }

/* ---- scores far apart, and far from 0 ------------------------------------------------------ */

static void lab02h_extreme(const Lab02hFn *f)
{
    int N = 15, D = 6, C = 5;
    Mat *X = lab02h_X(N, D);
    int *y = gt_labels(N, C);
    /* Scores spread over tens of units: many margins violated by a lot, and
     * softmax probabilities down to e^-50. */
    Mat *W = gt_randn(D, C, 8.0);
    lab02h_compare(f, W, X, y, 0.0, "weights ~ 8 N(0, 1): scores tens of units apart");
    /* The same, with every score shifted by +-1000 through the bias row. */
    const double offsets[2] = { 1000.0, -1000.0 };
    for (int t = 0; t < 2; t++) {
        Mat *Wo = mat_copy(W);
        for (int c = 0; c < C; c++) MAT_AT(Wo, D - 1, c) += offsets[t];
        lab02h_compare(f, Wo, X, y, 0.0, offsets[t] > 0 ? "every score + 1000" : "every score - 1000");
        mat_free(Wo);
    }
    mat_free(W);
    mat_free(X);
    free(y);
}

static void test_svm_naive_extreme(void) { lab02h_extreme(&lab02h_svm_naive); }
static void test_svm_vec_extreme(void) { lab02h_extreme(&lab02h_svm_vec); }
static void test_softmax_naive_extreme(void) { lab02h_extreme(&lab02h_softmax_naive); }
static void test_softmax_vec_extreme(void) { lab02h_extreme(&lab02h_softmax_vec); }

GT_SUITE(gt_suite_02_hidden, "02", GT_HIDDEN,
    { "02 svm_loss_naive: odd shapes (N = 1, D = 1, C = 2 and 10) vs the reference", 1.0, 5, test_svm_naive_shapes },
    { "02 svm_loss_vectorized: odd shapes (N = 1, D = 1, C = 2 and 10) vs the reference", 1.0, 5,
      test_svm_vec_shapes },
    { "02 softmax_loss_naive: odd shapes (N = 1, D = 1, C = 2 and 10) vs the reference", 1.0, 5,
      test_softmax_naive_shapes },
    { "02 softmax_loss_vectorized: odd shapes (N = 1, D = 1, C = 2 and 10) vs the reference", 1.0, 5,
      test_softmax_vec_shapes },
    { "02 svm_loss_naive: large reg, repeated examples, one class", 0.5, 5, test_svm_naive_edge },
    { "02 svm_loss_vectorized: large reg, repeated examples, one class", 0.5, 5, test_svm_vec_edge },
    { "02 softmax_loss_naive: large reg, repeated examples, one class", 0.5, 5, test_softmax_naive_edge },
    { "02 softmax_loss_vectorized: large reg, repeated examples, one class", 0.5, 5, test_softmax_vec_edge },
    { "02 svm_loss_naive: scores far apart and offset by +-1000", 0.5, 5, test_svm_naive_extreme },
    { "02 svm_loss_vectorized: scores far apart and offset by +-1000", 0.5, 5, test_svm_vec_extreme },
    { "02 softmax_loss_naive: scores far apart and offset by +-1000", 0.5, 5, test_softmax_naive_extreme },
    { "02 softmax_loss_vectorized: scores far apart and offset by +-1000", 0.5, 5, test_softmax_vec_extreme });
