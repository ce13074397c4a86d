/*
 * lab05_mlp.c - hidden tests for lab 05 (a two-layer neural network), 8 points.
 *
 * Mostly comparisons with the reference solution (ref_*, ref_05.h) on shapes
 * the public tests do not use: N = 1, H = 1, C from 2 to 10, non-square
 * everything, every NULL pattern. Plus edge cases decided by the contract and
 * checked without the reference: x == 0 is an inactive ReLU unit, saturated
 * sigmoids, huge and tied scores, dead hidden units, ties in predictions.
 */
#include "gt.h"
#include "mlp.h"
#include "ref_05.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LAB05H_JUNK 777.0

static Mat *lab05h_filled(int rows, int cols, double v)
{
    Mat *m = mat_new(rows, cols);
    mat_fill(m, v);
    return m;
}

static TwoLayerNet lab05h_net_random(int D, int H, int C)
{
    TwoLayerNet n = { gt_randn(D, H, 1.0), gt_randn(1, H, 0.5), gt_randn(H, C, 1.0), gt_randn(1, C, 0.5) };
    return n;
}

static TwoLayerNet lab05h_net_filled(int D, int H, int C, double v)
{
    TwoLayerNet n = { lab05h_filled(D, H, v), lab05h_filled(1, H, v), lab05h_filled(H, C, v),
                      lab05h_filled(1, C, v) };
    return n;
}

static TwoLayerNet lab05h_net_copy(const TwoLayerNet *net)
{
    TwoLayerNet n = { mat_copy(net->W1), mat_copy(net->b1), mat_copy(net->W2), mat_copy(net->b2) };
    return n;
}

static void lab05h_net_free(TwoLayerNet *n)
{
    mat_free(n->W1);
    mat_free(n->b1);
    mat_free(n->W2);
    mat_free(n->b2);
}

/* ---- affine ---------------------------------------------------------------------- */

static void test_affine_forward_ref(void)
{
    static const int shapes[][3] = { { 1, 9, 4 }, { 7, 3, 1 }, { 1, 1, 6 }, { 12, 10, 5 } };   /* N, D, M */
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        int N = shapes[s][0], D = shapes[s][1], M = shapes[s][2];
        Mat *x = gt_randn(N, D, 3.0), *w = gt_randn(D, M, 0.5), *b = gt_randn(1, M, 2.0);
        Mat *out = lab05h_filled(N, M, LAB05H_JUNK), *want = mat_new(N, M);
        gt_context("affine_forward(x %s, w %s, b %s, out %s) on random values", gt_shape(x), gt_shape(w),
                   gt_shape(b), gt_shape(out));
        affine_forward(x, w, b, out);
        ref_affine_forward(x, w, b, want);
        gt_hint("out = x w + b (b added to every row); out is overwritten");
        gt_expect_mat("out", want, out, 1e-10);
        mat_free(x), mat_free(w), mat_free(b), mat_free(out), mat_free(want);
    }
}

static void test_affine_backward_ref(void)
{
    static const int shapes[][3] = { { 1, 5, 3 }, { 6, 1, 2 }, { 4, 7, 1 }, { 1, 1, 1 }, { 9, 2, 8 } };
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        int N = shapes[s][0], D = shapes[s][1], M = shapes[s][2];
        Mat *x = gt_randn(N, D, 1.5), *w = gt_randn(D, M, 1.0), *dout = gt_randn(N, M, 1.0);
        for (int mask = 1; mask < 8; mask++) {   /* every non-empty set of wanted gradients */
            Mat *dx = lab05h_filled(N, D, LAB05H_JUNK), *dw = lab05h_filled(D, M, LAB05H_JUNK);
            Mat *db = lab05h_filled(1, M, LAB05H_JUNK);
            Mat *ex = mat_new(N, D), *ew = mat_new(D, M), *eb = mat_new(1, M);
            gt_context("affine_backward(dout %s, x %s, w %s, dx %s, dw %s, db %s)", gt_shape(dout), gt_shape(x),
                       gt_shape(w), mask & 1 ? "given" : "NULL", mask & 2 ? "given" : "NULL",
                       mask & 4 ? "given" : "NULL");
            affine_backward(dout, x, w, mask & 1 ? dx : NULL, mask & 2 ? dw : NULL, mask & 4 ? db : NULL);
            ref_affine_backward(dout, x, w, ex, ew, eb);
            gt_hint("dx = dout w^T (N, D), dw = x^T dout (D, M), db = column sums of dout (1, M)");
            if (mask & 1) gt_expect_mat("dx", ex, dx, 1e-10);
            if (mask & 2) gt_expect_mat("dw", ew, dw, 1e-10);
            if (mask & 4) gt_expect_mat("db", eb, db, 1e-10);
            mat_free(dx), mat_free(dw), mat_free(db), mat_free(ex), mat_free(ew), mat_free(eb);
        }
        mat_free(x), mat_free(w), mat_free(dout);
    }
}

/* ---- ReLU and sigmoid -------------------------------------------------------------- */

static void test_relu_backward_zero(void)
{
    /* The contract: dx = dout where x > 0, else 0 - so x == 0 passes nothing. */
    enum { R = 5, C = 6 };
    Mat *x = gt_randn(R, C, 1.0), *dout = gt_randn(R, C, 1.0);
    for (int i = 0; i < R * C; i += 3) x->data[i] = 0.0;
    x->data[1] = -0.0;
    Mat *dx = lab05h_filled(R, C, LAB05H_JUNK), *want = mat_new(R, C);
    gt_context("relu_backward(dout (5x6), x (5x6) with every third entry exactly 0, dx (5x6))");
    relu_backward(dout, x, dx);
    ref_relu_backward(dout, x, want);
    for (int i = 0; i < R * C; i += 3)
        if (dx->data[i] != 0.0)
            gt_fail("dx[%d][%d] = %g where x is exactly 0: x = 0 counts as inactive (dx = dout only where "
                    "x > 0)", i / C, i % C, dx->data[i]);
    gt_hint("dx = dout where x > 0, else 0");
    gt_expect_mat("dx", want, dx, 1e-15);
}

static void test_sigmoid_forward_ref(void)
{
    enum { R = 4, C = 9 };
    Mat *x = gt_randn(R, C, 300.0), *out = lab05h_filled(R, C, LAB05H_JUNK), *want = mat_new(R, C);
    const double edge[] = { -745.0, -709.5, 709.5, 745.0, -1e308, 1e308, 1e-300, -1e-300, 36.7 };
    for (int j = 0; j < C; j++) MAT_AT(x, 0, j) = edge[j];
    gt_context("sigmoid_forward(x (4x9) with entries as large as +-1e308 and random ones of size ~300, out)");
    sigmoid_forward(x, out);
    ref_sigmoid_forward(x, want);
    gt_hint("for x < 0 compute e^x / (1 + e^x): e^-x overflows there, and Inf / Inf is NaN");
    gt_expect_finite("out", out);
    gt_expect_mat("out", want, out, 1e-12);
    for (int i = 0; i < R * C; i++)
        GT_CHECK(out->data[i] >= 0.0 && out->data[i] <= 1.0, "out[%d][%d] = %g is outside [0, 1]", i / C, i % C,
                 out->data[i]);
}

static void test_sigmoid_backward_ref(void)
{
    enum { R = 3, C = 7 };
    Mat *out = mat_new(R, C), *dout = gt_randn(R, C, 2.0);
    /* Saturated units (s = 0 or 1 exactly) pass no gradient; the rest are random. */
    for (int i = 0; i < R * C; i++) out->data[i] = rng_uniform(gt_rng());
    out->data[0] = 0.0;
    out->data[1] = 1.0;
    out->data[2] = 0.5;
    Mat *o0 = mat_copy(out), *dx = lab05h_filled(R, C, LAB05H_JUNK), *want = mat_new(R, C);
    gt_context("sigmoid_backward(dout (3x7), out (3x7) forward outputs with 0, 1 and 0.5 first, dx (3x7))");
    sigmoid_backward(dout, out, dx);
    ref_sigmoid_backward(dout, out, want);
    gt_hint("dx = dout * out * (1 - out): out already is s(x), do not apply the sigmoid again");
    gt_expect_mat("dx", want, dx, 1e-12);
    gt_hint(NULL);
    gt_expect_unchanged("out", o0, out);
}

/* ---- softmax loss ---------------------------------------------------------------- */

static void test_softmax_loss_ref(void)
{
    for (int C = 2; C <= 10; C++) {
        int N = C % 3 == 0 ? 1 : C + 3;
        double scale = C % 2 ? 1.0 : 400.0;   /* every other case: scores far beyond exp()'s range */
        Mat *s = gt_randn(N, C, scale);
        if (C == 4) mat_fill(s, -900.0);          /* every score tied, and very negative */
        if (C == 7)                                /* two tied maxima per row */
            for (int i = 0; i < N; i++) MAT_AT(s, i, 3) = MAT_AT(s, i, 5) = 50.0 + fabs(MAT_AT(s, i, 0));
        int *y = gt_labels(N, C);
        Mat *d = lab05h_filled(N, C, LAB05H_JUNK), *want = mat_new(N, C), *s0 = mat_copy(s);
        gt_context("softmax_loss(scores %s of scale %g%s, y, dscores %s)", gt_shape(s), scale,
                   C == 4 ? " (all -900)" : C == 7 ? " (columns 3 and 5 tied for the maximum)" : "", gt_shape(d));
        double loss = softmax_loss(s, y, d);
        double ref = ref_softmax_loss(s, y, want);
        gt_hint("subtract each row's largest score before exp(); the loss is the mean over N of -log p_{y_i}");
        gt_expect_near("loss", ref, loss, 1e-9);
        gt_hint("dscores[i][j] = (p_j - [j == y_i]) / N");
        gt_expect_mat("dscores", want, d, 1e-9);
        gt_hint(NULL);
        gt_expect_unchanged("scores", s0, s);
        mat_free(s), mat_free(d), mat_free(want), mat_free(s0), free(y);
    }
}

/* ---- the two-layer net ------------------------------------------------------------- */

static void test_net_ref(void)
{
    static const struct { int N, D, H, C; double reg; } cases[] = {
        { 1, 4, 3, 2, 0.1 }, { 5, 3, 1, 3, 0.0 }, { 3, 6, 5, 4, 1e-3 }, { 1, 1, 1, 5, 0.5 },
        { 8, 5, 9, 6, 0.02 }, { 2, 7, 2, 7, 0.0 }, { 6, 2, 4, 8, 0.3 }, { 4, 3, 6, 9, 1e-4 }, { 3, 8, 3, 10, 0.05 },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        int N = cases[k].N, D = cases[k].D, H = cases[k].H, C = cases[k].C;
        double reg = cases[k].reg;
        TwoLayerNet net = lab05h_net_random(D, H, C), keep = lab05h_net_copy(&net);
        Mat *X = gt_randn(N, D, 1.0), *X0 = mat_copy(X);
        int *y = gt_labels(N, C);
        TwoLayerNet g = lab05h_net_filled(D, H, C, LAB05H_JUNK), want = lab05h_net_filled(D, H, C, 0.0);
        gt_context("two_layer_net_loss(net D=%d H=%d C=%d, X %s, y, reg %g, grads)", D, H, C, gt_shape(X), reg);
        double loss = two_layer_net_loss(&net, X, y, reg, &g);
        double ref = ref_two_layer_net_loss(&keep, X0, y, reg, &want);
        gt_hint("loss = softmax loss of relu(X W1 + b1) W2 + b2 + reg * (sum W1^2 + sum W2^2)");
        gt_expect_near("loss", ref, loss, 1e-9);
        gt_hint("backward: dscores -> (dW2 = h^T ds + 2 reg W2, db2, dh = ds W2^T) -> mask by a > 0 -> "
                "(dW1 = X^T da + 2 reg W1, db1)");
        gt_expect_mat("grads->W1", want.W1, g.W1, 1e-9);
        gt_expect_mat("grads->b1", want.b1, g.b1, 1e-9);
        gt_expect_mat("grads->W2", want.W2, g.W2, 1e-9);
        gt_expect_mat("grads->b2", want.b2, g.b2, 1e-9);
        gt_hint(NULL);
        gt_expect_unchanged("net->W1", keep.W1, net.W1);
        gt_expect_unchanged("net->W2", keep.W2, net.W2);
        gt_expect_unchanged("X", X0, X);
        lab05h_net_free(&net), lab05h_net_free(&keep), lab05h_net_free(&g), lab05h_net_free(&want);
        mat_free(X), mat_free(X0), free(y);
    }
}

static void test_net_dead_units(void)
{
    /* b1 = -100 and small inputs: every hidden unit is off for every row, so the
     * scores are b2 on every row and the only gradient the weights get is the
     * regularization's: dW1 = 2 reg W1, dW2 = 2 reg W2, db1 = 0. */
    enum { N = 4, D = 3, H = 5, C = 3 };
    const double reg = 0.25;
    TwoLayerNet net = lab05h_net_random(D, H, C);
    mat_fill(net.b1, -100.0);
    Mat *X = gt_randn(N, D, 0.1);
    const int y[N] = { 0, 2, 1, 2 };
    TwoLayerNet g = lab05h_net_filled(D, H, C, LAB05H_JUNK);
    gt_context("two_layer_net_loss(net D=3 H=5 C=3 with b1 = -100 (every hidden unit off), X (4x3), y = [0 2 1 2], "
               "reg 0.25, grads)");
    double loss = two_layer_net_loss(&net, X, y, reg, &g);

    /* Expected values, from the scores b2 on every row. */
    double mx = fmax(fmax(net.b2->data[0], net.b2->data[1]), net.b2->data[2]), sum = 0.0, p[C];
    for (int j = 0; j < C; j++) sum += exp(net.b2->data[j] - mx);
    for (int j = 0; j < C; j++) p[j] = exp(net.b2->data[j] - mx) / sum;
    double data = 0.0;
    Mat *db2 = mat_new(1, C);
    for (int i = 0; i < N; i++) {
        data -= log(p[y[i]]) / N;
        for (int j = 0; j < C; j++) db2->data[j] += (p[j] - (j == y[i])) / N;
    }
    double sq = 0.0;
    for (int i = 0; i < D * H; i++) sq += net.W1->data[i] * net.W1->data[i];
    for (int i = 0; i < H * C; i++) sq += net.W2->data[i] * net.W2->data[i];
    gt_hint("with every hidden unit off the scores are b2 on every row");
    gt_expect_near("loss", data + reg * sq, loss, 1e-10);
    Mat *eW1 = mat_copy(net.W1), *eW2 = mat_copy(net.W2), *zero = mat_new(1, H);
    for (int i = 0; i < D * H; i++) eW1->data[i] *= 2 * reg;
    for (int i = 0; i < H * C; i++) eW2->data[i] *= 2 * reg;
    gt_hint("no hidden unit is active, so no data gradient reaches W1 or b1 (the ReLU mask is all 0): "
            "dW1 = 2 reg W1 and db1 = 0");
    gt_expect_mat("grads->W1", eW1, g.W1, 1e-10);
    gt_expect_mat("grads->b1", zero, g.b1, 1e-10);
    gt_hint("h = 0, so h^T dscores = 0 and dW2 = 2 reg W2");
    gt_expect_mat("grads->W2", eW2, g.W2, 1e-10);
    gt_hint("db2 = column sums of dscores, not regularized");
    gt_expect_mat("grads->b2", db2, g.b2, 1e-10);
}

static void test_net_predict_ref(void)
{
    for (int C = 2; C <= 10; C += 2) {
        int N = C == 4 ? 1 : 3 * C, D = C + 1, H = C == 6 ? 1 : 7;
        TwoLayerNet net = lab05h_net_random(D, H, C);
        /* Columns 0 and C-1 of the scores identical: every row where they are the
         * best ties, and the tie goes to class 0. */
        for (int k = 0; k < H; k++) MAT_AT(net.W2, k, C - 1) = MAT_AT(net.W2, k, 0);
        net.b2->data[C - 1] = net.b2->data[0] += 2.0;
        Mat *X = gt_randn(N, D, 1.0);
        int *pred = malloc(sizeof *pred * (size_t)N), *want = malloc(sizeof *want * (size_t)N);
        for (int i = 0; i < N; i++) pred[i] = -1;
        gt_context("two_layer_net_predict(net D=%d H=%d C=%d whose scores tie between classes 0 and %d, X %s, "
                   "y_pred)", D, H, C, C - 1, gt_shape(X));
        two_layer_net_predict(&net, X, pred);
        ref_two_layer_net_predict(&net, X, want);
        gt_hint("y_pred[i] = argmax of row i of the scores; ties go to the lower class");
        gt_expect_ints("y_pred", want, pred, N);
        lab05h_net_free(&net), mat_free(X), free(pred), free(want);
    }
}

GT_SUITE(gt_suite_05_hidden, "05", GT_HIDDEN,
    { "05 affine_forward: same as the reference, N = 1, M = 1, D = 1", 0.5, 5, test_affine_forward_ref },
    { "05 affine_backward: same as the reference, every NULL pattern, non-square shapes", 1.0, 5,
      test_affine_backward_ref },
    { "05 relu_backward: x exactly 0 is inactive (dx = 0)", 0.5, 5, test_relu_backward_zero },
    { "05 sigmoid_forward: extreme inputs stay finite and in [0, 1]", 0.5, 5, test_sigmoid_forward_ref },
    { "05 sigmoid_backward: saturated and random outputs, same as the reference", 0.5, 5,
      test_sigmoid_backward_ref },
    { "05 softmax_loss: same as the reference for C = 2..10, N = 1, huge and tied scores", 1.5, 5,
      test_softmax_loss_ref },
    { "05 two_layer_net_loss: same loss and gradients as the reference, N = 1, H = 1, C = 2..10", 2.0, 5,
      test_net_ref },
    { "05 two_layer_net_loss: dead hidden units pass only the 2 reg W gradient", 1.0, 5, test_net_dead_units },
    { "05 two_layer_net_predict: same as the reference, ties between classes, N = 1", 0.5, 5,
      test_net_predict_ref });
