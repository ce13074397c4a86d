/*
 * lab05_mlp.c - public tests for lab 05 (a two-layer neural network), 12 points.
 *
 * No code here computes a lab function. Where an expected value is what a lab
 * function returns for random inputs, it is the oracle's (ora_<fn>, oracle.h):
 * the reference computes it in the instructors' tree, and the student release
 * replays the answer recorded for these same inputs. The other expected values
 * are worked out by hand in the tests' comments (an affine example, ReLU on a
 * few numbers, a 2-2-2 net, the lecture's softmax example, log C for equal
 * scores, ties in predict) or are invariants (s(-x) = 1 - s(x), the same loss
 * with grads NULL, inputs unchanged, no NaN near scores of 1000). Gradients are
 * checked against the grader's own finite differences (gt_numeric_grad) of a
 * scalar made from the oracle's forward values (each evaluation is one oracle
 * answer, so the sizes stay small), with inputs kept away from the ReLU's kink.
 * The outcome test trains on concentric rings with a plain SGD loop written
 * here, so it does not depend on the lab's trainer; it measures the accuracy
 * with the lab's own two_layer_net_loss (the oracle cannot answer for a net the
 * lab's gradients trained).
 *
 * Oracle inputs never come from what a lab function returned, and a test asks
 * the oracle the same questions in the same order whatever the lab answers.
 */
#include "gt.h"
#include "lab.h"
#include "mlp.h"
#include "oracles.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Output matrices start filled with this, so that an entry never written (or
 * added to instead of overwritten) shows up as a wrong value. */
#define LAB05_JUNK 777.0

/* Finite-difference step and the allowed relative error of a gradient. */
#define LAB05_H 1e-5
#define LAB05_GRAD_TOL 1e-5

/* sum(a .* b) over every entry (same shapes). */
static double lab05_dot(const Mat *a, const Mat *b)
{
    double s = 0.0;
    for (int i = 0; i < a->rows * a->cols; i++) s += a->data[i] * b->data[i];
    return s;
}

/* ---- inputs ---------------------------------------------------------------------- */

/* Redraws every entry with |x| < eps, so no finite difference straddles x = 0. */
static void lab05_away_from_zero(Mat *m, double eps)
{
    for (int i = 0; i < m->rows * m->cols; i++)
        while (fabs(m->data[i]) < eps) m->data[i] = rng_normal(gt_rng());
}

static Mat *lab05_filled(int rows, int cols, double v)
{
    Mat *m = mat_new(rows, cols);
    mat_fill(m, v);
    return m;
}

static TwoLayerNet lab05_net_random(int D, int H, int C)
{
    TwoLayerNet n = { gt_randn(D, H, 1.0), gt_randn(1, H, 0.5), gt_randn(H, C, 1.0), gt_randn(1, C, 0.5) };
    return n;
}

static TwoLayerNet lab05_net_filled(int D, int H, int C, double v)
{
    TwoLayerNet n = { lab05_filled(D, H, v), lab05_filled(1, H, v), lab05_filled(H, C, v), lab05_filled(1, C, v) };
    return n;
}

static TwoLayerNet lab05_net_copy(const TwoLayerNet *net)
{
    TwoLayerNet n = { mat_copy(net->W1), mat_copy(net->b1), mat_copy(net->W2), mat_copy(net->b2) };
    return n;
}

static void lab05_net_free(TwoLayerNet *n)
{
    mat_free(n->W1);
    mat_free(n->b1);
    mat_free(n->W2);
    mat_free(n->b2);
}

/* True when a hidden pre-activation lies within eps of 0 (the ReLU's kink). */
static int lab05_near_kink(const TwoLayerNet *net, const Mat *X, double eps)
{
    Mat *a = mat_new(X->rows, net->W1->cols);
    ora_affine_forward(X, net->W1, net->b1, a);   /* X W1 + b1 */
    int near = 0;
    for (int i = 0; i < a->rows * a->cols; i++) near |= fabs(a->data[i]) < eps;
    mat_free(a);
    return near;
}

/* A random net and inputs with every hidden pre-activation at least 1e-4 from 0:
 * a step of 1e-5 in any weight moves a pre-activation by far less than that. */
static void lab05_net_case(int N, int D, int H, int C, TwoLayerNet *net, Mat **X, int **y)
{
    for (;;) {
        *X = gt_randn(N, D, 1.0);
        *net = lab05_net_random(D, H, C);
        if (!lab05_near_kink(net, *X, 1e-4)) break;
        mat_free(*X);
        lab05_net_free(net);
    }
    *y = gt_labels(N, C);
}

/* ---- affine ---------------------------------------------------------------------- */

static void test_affine_forward_hand(void)
{
    /* x = [1 2 3; -1 0 2], w = [1 0; 0 1; 1 -1], b = [0.5 -0.5]:
     * row 0: [1 + 3, 2 - 3] + b = [4.5, -1.5];  row 1: [-1 + 2, 0 - 2] + b = [1.5, -2.5]. */
    const double xv[] = { 1, 2, 3, -1, 0, 2 }, wv[] = { 1, 0, 0, 1, 1, -1 }, bv[] = { 0.5, -0.5 };
    const double want[] = { 4.5, -1.5, 1.5, -2.5 };
    Mat *x = gt_mat(2, 3, xv), *w = gt_mat(3, 2, wv), *b = gt_mat(1, 2, bv), *expected = gt_mat(2, 2, want);
    Mat *out = lab05_filled(2, 2, LAB05_JUNK);
    Mat *x0 = mat_copy(x), *w0 = mat_copy(w), *b0 = mat_copy(b);
    gt_context("affine_forward(x (2x3), w (3x2), b (1x2), out (2x2)) on the example in the test's comment");
    affine_forward(x, w, b, out);
    gt_hint("out = x w + b, with b added to every row; overwrite out (it held %g before the call)", LAB05_JUNK);
    gt_expect_mat("out", expected, out, 1e-12);
    gt_hint(NULL);
    gt_expect_unchanged("x", x0, x);
    gt_expect_unchanged("w", w0, w);
    gt_expect_unchanged("b", b0, b);

    /* Non-square shapes against the oracle. */
    static const int shapes[][3] = { { 4, 5, 3 }, { 1, 7, 2 }, { 6, 1, 4 } };   /* N, D, M */
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        int N = shapes[s][0], D = shapes[s][1], M = shapes[s][2];
        Mat *xr = gt_randn(N, D, 1.0), *wr = gt_randn(D, M, 1.0), *br = gt_randn(1, M, 1.0);
        Mat *o = lab05_filled(N, M, LAB05_JUNK), *e = mat_new(N, M);
        ora_affine_forward(xr, wr, br, e);
        gt_context("affine_forward(x %s, w %s, b %s, out %s) on random values", gt_shape(xr), gt_shape(wr),
                   gt_shape(br), gt_shape(o));
        affine_forward(xr, wr, br, o);
        gt_expect_mat("out", e, o, 1e-10);
        mat_free(xr), mat_free(wr), mat_free(br), mat_free(o), mat_free(e);
    }
}

/* f(x, w, b) = sum(affine(x, w, b) .* G), affine by the oracle: its gradients
 * are the backward pass of affine with dout = G. */
typedef struct {
    const Mat *x, *w, *b, *G;
} Lab05AffineCtx;

static double lab05_affine_dot(const Mat *unused, void *ctx)
{
    (void)unused;
    const Lab05AffineCtx *c = ctx;
    Mat *o = mat_new(c->x->rows, c->w->cols);
    ora_affine_forward(c->x, c->w, c->b, o);
    double s = lab05_dot(o, c->G);
    mat_free(o);
    return s;
}

static void test_affine_backward_numeric(void)
{
    /* The square shape comes first: a transposed dw still has the right shape there. */
    static const int shapes[][3] = { { 4, 4, 4 }, { 3, 4, 5 }, { 5, 3, 2 }, { 1, 1, 1 }, { 1, 6, 3 } };   /* N, D, M */
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        int N = shapes[s][0], D = shapes[s][1], M = shapes[s][2];
        Mat *x = gt_randn(N, D, 1.0), *w = gt_randn(D, M, 1.0), *b = gt_randn(1, M, 1.0);
        Mat *dout = gt_randn(N, M, 1.0);
        Mat *dx = lab05_filled(N, D, LAB05_JUNK), *dw = lab05_filled(D, M, LAB05_JUNK);
        Mat *db = lab05_filled(1, M, LAB05_JUNK);
        Mat *x0 = mat_copy(x), *w0 = mat_copy(w), *dout0 = mat_copy(dout);
        gt_context("affine_backward(dout %s, x %s, w %s, dx, dw, db) on random values", gt_shape(dout),
                   gt_shape(x), gt_shape(w));
        affine_backward(dout, x, w, dx, dw, db);

        Lab05AffineCtx c = { x, w, b, dout };
        Mat *num = mat_new(N, D);
        gt_numeric_grad(lab05_affine_dot, &c, x, LAB05_H, num);
        gt_hint("dx = dout w^T, shape (N, D)");
        gt_expect_grad("dx", dx, num, LAB05_GRAD_TOL, NULL, NULL);
        mat_free(num);
        num = mat_new(D, M);
        gt_numeric_grad(lab05_affine_dot, &c, w, LAB05_H, num);
        gt_hint("dw = x^T dout, shape (D, M): entry [k][j] sums x[i][k] * dout[i][j] over the rows i "
                "(dout^T x is its transpose)");
        gt_expect_grad("dw", dw, num, LAB05_GRAD_TOL, NULL, NULL);
        mat_free(num);
        num = mat_new(1, M);
        gt_numeric_grad(lab05_affine_dot, &c, b, LAB05_H, num);
        gt_hint("b is added to every row, so db[j] sums dout[i][j] over the rows i (one value per column)");
        gt_expect_grad("db", db, num, LAB05_GRAD_TOL, NULL, NULL);
        gt_hint(NULL);
        gt_expect_unchanged("x", x0, x);
        gt_expect_unchanged("w", w0, w);
        gt_expect_unchanged("dout", dout0, dout);
        mat_free(num);
        mat_free(x), mat_free(w), mat_free(b), mat_free(dout), mat_free(dx), mat_free(dw), mat_free(db);
        mat_free(x0), mat_free(w0), mat_free(dout0);
    }
}

static void test_affine_backward_null(void)
{
    enum { N = 3, D = 4, M = 2 };
    Mat *x = gt_randn(N, D, 1.0), *w = gt_randn(D, M, 1.0), *dout = gt_randn(N, M, 1.0);
    /* The expected gradients, all three, from the oracle. */
    Mat *ex = mat_new(N, D), *ew = mat_new(D, M), *eb = mat_new(1, M);
    ora_affine_backward(dout, x, w, ex, ew, eb);
    /* All three given first, then every pattern with at least one NULL (mask
     * bit set = pointer given), so that a NULL hint shows only for NULL trouble. */
    static const int masks[8] = { 7, 0, 1, 2, 3, 4, 5, 6 };
    for (int m = 0; m < 8; m++) {
        int mask = masks[m];
        Mat *dx = lab05_filled(N, D, LAB05_JUNK), *dw = lab05_filled(D, M, LAB05_JUNK);
        Mat *db = lab05_filled(1, M, LAB05_JUNK);
        char nulls[32] = "";
        if (!(mask & 1)) strcat(nulls, " dx");
        if (!(mask & 2)) strcat(nulls, " dw");
        if (!(mask & 4)) strcat(nulls, " db");
        gt_context("affine_backward(dout (3x2), x (3x4), w (4x2), dx %s, dw %s, db %s)", mask & 1 ? "given" : "NULL",
                   mask & 2 ? "given" : "NULL", mask & 4 ? "given" : "NULL");
        if (mask == 7)
            gt_hint(NULL);
        else   /* shown if the call crashes: a NULL pointer used is the usual cause */
            gt_hint("this call passes NULL for%s: a NULL gradient pointer means that gradient is not needed. Skip "
                    "it: never write through it or hand it to mat_gemm", nulls);
        affine_backward(dout, x, w, mask & 1 ? dx : NULL, mask & 2 ? dw : NULL, mask & 4 ? db : NULL);
        if (mask == 7)
            gt_hint("the gradients are wrong even with dx, dw and db all given: see the finite-differences test");
        else
            gt_hint("with%s NULL, each gradient that is given must come out exactly as when all three are given",
                    nulls);
        if (mask & 1) gt_expect_mat("dx", ex, dx, 1e-10);
        if (mask & 2) gt_expect_mat("dw", ew, dw, 1e-10);
        if (mask & 4) gt_expect_mat("db", eb, db, 1e-10);
        mat_free(dx), mat_free(dw), mat_free(db);
    }
}

/* ---- ReLU ------------------------------------------------------------------------ */

static void test_relu_forward(void)
{
    const double xv[] = { -2.0, -0.5, 0.0, 0.25, 3.0, -1e-9, 1e-9, 7.5 };
    const double want[] = { 0.0, 0.0, 0.0, 0.25, 3.0, 0.0, 1e-9, 7.5 };
    Mat *x = gt_mat(2, 4, xv), *x0 = mat_copy(x), *out = lab05_filled(2, 4, LAB05_JUNK);
    Mat *expected = gt_mat(2, 4, want);
    gt_context("relu_forward(x (2x4) = [-2 -0.5 0 0.25; 3 -1e-9 1e-9 7.5], out (2x4))");
    relu_forward(x, out);
    gt_hint("out = max(0, x), entry by entry");
    gt_expect_mat("out", expected, out, 1e-15);
    gt_hint(NULL);
    gt_expect_unchanged("x", x0, x);
}

typedef struct {
    const Mat *x, *G;
    int sigmoid;   /* 0: ReLU, 1: sigmoid */
} Lab05ActCtx;

/* f(x) = sum(act(x) .* G), act by the oracle. */
static double lab05_act_dot(const Mat *unused, void *ctx)
{
    (void)unused;
    const Lab05ActCtx *c = ctx;
    Mat *o = mat_new(c->x->rows, c->x->cols);
    if (c->sigmoid) ora_sigmoid_forward(c->x, o);
    else ora_relu_forward(c->x, o);
    double s = lab05_dot(o, c->G);
    mat_free(o);
    return s;
}

static void test_relu_backward_numeric(void)
{
    static const int shapes[][2] = { { 3, 4 }, { 1, 7 }, { 6, 1 } };
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        int R = shapes[s][0], C = shapes[s][1];
        Mat *x = gt_randn(R, C, 1.0), *dout = gt_randn(R, C, 1.0);
        lab05_away_from_zero(x, 1e-3);
        Mat *x0 = mat_copy(x), *dout0 = mat_copy(dout), *dx = lab05_filled(R, C, LAB05_JUNK);
        gt_context("relu_backward(dout %s, x %s, dx %s) on random values, none within 1e-3 of 0", gt_shape(dout),
                   gt_shape(x), gt_shape(dx));
        relu_backward(dout, x, dx);
        Lab05ActCtx c = { x, dout, 0 };
        Mat *num = mat_new(R, C);
        gt_numeric_grad(lab05_act_dot, &c, x, LAB05_H, num);
        gt_hint("dx = dout where the forward INPUT x > 0, and 0 where x <= 0: the mask comes from x");
        gt_expect_grad("dx", dx, num, LAB05_GRAD_TOL, NULL, NULL);
        gt_hint(NULL);
        gt_expect_unchanged("x", x0, x);
        gt_expect_unchanged("dout", dout0, dout);
        mat_free(x), mat_free(dout), mat_free(x0), mat_free(dout0), mat_free(dx), mat_free(num);
    }
}

/* ---- sigmoid ---------------------------------------------------------------------- */

static void test_sigmoid_forward(void)
{
    const double xv[] = { 0.0, 2.0, -2.0, 40.0, -40.0, 800.0, -800.0, 0.5 };
    Mat *x = gt_mat(1, 8, xv), *x0 = mat_copy(x), *out = lab05_filled(1, 8, LAB05_JUNK);
    Mat *expected = mat_new(1, 8);
    ora_sigmoid_forward(x, expected);
    gt_context("sigmoid_forward(x (1x8) = [0 2 -2 40 -40 800 -800 0.5], out (1x8))");
    sigmoid_forward(x, out);
    gt_hint("s(x) = 1 / (1 + e^-x). A NaN at x = 800 is what e^x / (1 + e^x) gives there (inf / inf): use "
            "1 / (1 + e^-x) for x >= 0 (at x = -800 it gives 1 / (1 + inf) = 0, which is right)");
    gt_expect_finite("out", out);
    gt_hint("s(x) = 1 / (1 + e^-x), entry by entry");
    gt_expect_near("out[0][0] = s(0)", 0.5, out->data[0], 1e-14);
    gt_expect_mat("out", expected, out, 1e-12);
    /* s(-x) = 1 - s(x) */
    gt_expect_near("out[0][1] + out[0][2] = s(2) + s(-2)", 1.0, out->data[1] + out->data[2], 1e-12);
    gt_hint(NULL);
    gt_expect_unchanged("x", x0, x);
}

static void test_sigmoid_backward(void)
{
    /* At x = 0: s = 1/2 and s' = s (1 - s) = 1/4. */
    const double one[] = { 0.5 }, two[] = { 2.0 };
    Mat *out = gt_mat(1, 1, one), *dout = gt_mat(1, 1, two), *dx = lab05_filled(1, 1, LAB05_JUNK);
    gt_context("sigmoid_backward(dout = [2], out = [0.5] (the forward output at x = 0), dx (1x1))");
    sigmoid_backward(dout, out, dx);
    gt_hint("dx = dout * s * (1 - s) where s is the forward OUTPUT you are given (do not apply the "
            "sigmoid to it again): 2 * 0.5 * 0.5 = 0.5");
    gt_expect_near("dx[0][0]", 0.5, dx->data[0], 1e-14);
    gt_hint(NULL);

    static const int shapes[][2] = { { 3, 5 }, { 1, 4 } };
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        int R = shapes[s][0], C = shapes[s][1];
        Mat *x = gt_randn(R, C, 2.0), *g = gt_randn(R, C, 1.0), *o = mat_new(R, C);
        ora_sigmoid_forward(x, o);
        Mat *o0 = mat_copy(o), *d = lab05_filled(R, C, LAB05_JUNK);
        gt_context("sigmoid_backward(dout %s, out %s = s(x) of random x, dx %s)", gt_shape(g), gt_shape(o),
                   gt_shape(d));
        sigmoid_backward(g, o, d);
        Lab05ActCtx c = { x, g, 1 };
        Mat *num = mat_new(R, C);
        gt_numeric_grad(lab05_act_dot, &c, x, LAB05_H, num);
        gt_hint("dx = dout * out * (1 - out), with out the forward output");
        gt_expect_grad("dx", d, num, LAB05_GRAD_TOL, NULL, NULL);
        gt_hint(NULL);
        gt_expect_unchanged("out", o0, o);
        mat_free(x), mat_free(g), mat_free(o), mat_free(o0), mat_free(d), mat_free(num);
    }
}

/* ---- softmax loss ------------------------------------------------------------------ */

static void test_softmax_loss_values(void)
{
    /* Equal scores: p = 1/C for every class, the loss is log C, and
     * dscores = (1/C - [j == y_i]) / N. */
    enum { N = 3, C = 10 };
    const int y[N] = { 0, 4, 9 };
    Mat *scores = lab05_filled(N, C, 0.7), *s0 = mat_copy(scores), *d = lab05_filled(N, C, LAB05_JUNK);
    gt_context("softmax_loss(scores (3x10) all 0.7, y = [0 4 9], dscores (3x10))");
    double loss = softmax_loss(scores, y, d);
    if (gt_close(N * M_LN10, loss, 1e-9))
        gt_hint("the loss is N = 3 times log C: it is the MEAN of the N rows' losses, not their sum");
    else
        gt_hint("equal scores give p = 1/C for every class, so the loss is -log(1/C) = log C (natural log)");
    gt_expect_near("loss", M_LN10, loss, 1e-12);
    Mat *expected = mat_new(N, C);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < C; j++) MAT_AT(expected, i, j) = (0.1 - (j == y[i])) / N;
    gt_hint("dscores[i][j] = (p_j - [j == y_i]) / N: the loss is a mean over the N rows");
    gt_expect_mat("dscores", expected, d, 1e-12);
    gt_hint(NULL);
    gt_expect_unchanged("scores", s0, scores);

    /* The lecture's first example: scores cat 3.2, car 5.1, frog -1.7, label cat:
     * -ln(e^3.2 / (e^3.2 + e^5.1 + e^-1.7)) = 2.04035515280017063 (0.89 on the slides is log base 10). */
    const double sv[] = { 3.2, 5.1, -1.7 };
    const int ycat[1] = { 0 };
    Mat *cat = gt_mat(1, 3, sv);
    gt_context("softmax_loss(scores (1x3) = [3.2 5.1 -1.7], y = [0], dscores NULL): the lecture's cat example");
    loss = softmax_loss(cat, ycat, NULL);
    gt_hint("L = -log(e^3.2 / (e^3.2 + e^5.1 + e^-1.7)) with the natural log = 2.04; dscores may be NULL");
    gt_expect_near("loss", 2.04035515280017063, loss, 1e-12);
    gt_expect_near("loss (two decimals)", 2.04, loss, 5e-3);
}

typedef struct {
    const Mat *s;
    const int *y;
} Lab05SoftmaxCtx;

static double lab05_softmax_of(const Mat *unused, void *ctx)
{
    (void)unused;
    const Lab05SoftmaxCtx *c = ctx;
    return ora_softmax_loss(c->s, c->y, NULL);
}

static void test_softmax_loss_numeric(void)
{
    static const int shapes[][2] = { { 5, 7 }, { 1, 2 }, { 8, 3 } };
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        int N = shapes[k][0], C = shapes[k][1];
        Mat *s = gt_randn(N, C, 2.0), *s0 = mat_copy(s), *d = lab05_filled(N, C, LAB05_JUNK);
        int *y = gt_labels(N, C);
        double want = ora_softmax_loss(s, y, NULL);
        gt_context("softmax_loss(scores %s random, y, dscores %s)", gt_shape(s), gt_shape(d));
        double loss = softmax_loss(s, y, d);
        if (gt_close(want * N, loss, 1e-9) && N > 1)
            gt_hint("the loss is N times too large: it is the MEAN over the N rows");
        else
            gt_hint("L = (1/N) sum_i -log(e^{s_{y_i}} / sum_j e^{s_j}), natural log");
        gt_expect_near("loss", want, loss, 1e-10);
        Lab05SoftmaxCtx c = { s, y };
        Mat *num = mat_new(N, C);
        gt_numeric_grad(lab05_softmax_of, &c, s, LAB05_H, num);
        gt_hint("dscores[i][j] = (p_j - [j == y_i]) / N");
        gt_expect_grad("dscores", d, num, LAB05_GRAD_TOL, NULL, NULL);
        gt_hint(NULL);
        gt_expect_unchanged("scores", s0, s);

        gt_context("softmax_loss(scores %s, y, dscores NULL)", gt_shape(s));
        double again = softmax_loss(s, y, NULL);
        gt_hint("dscores == NULL means: return the same loss, write no gradient");
        gt_expect_near("loss with dscores NULL", loss, again, 1e-12);

        /* Scores near 1000: e^1000 overflows unless the row maximum is subtracted first. */
        Mat *big = mat_copy(s);
        for (int i = 0; i < N * C; i++) big->data[i] += 1000.0;
        gt_context("softmax_loss(scores %s = the previous scores + 1000, y, dscores)", gt_shape(s));
        double shifted = softmax_loss(big, y, d);
        gt_hint("adding a constant to every score changes no probability; exp(1000) overflows, so "
                "subtract each row's largest score before exp()");
        gt_expect_near("loss", want, shifted, 1e-9);
        gt_expect_finite("dscores", d);
        gt_hint(NULL);
        mat_free(s), mat_free(s0), mat_free(d), mat_free(num), mat_free(big);
    }
}

/* ---- the two-layer net ---------------------------------------------------------------- */

/* The layers a two-layer net is built from, each on one small case worked out
 * by hand (the same numbers as labs/05-mlp/scratch.c):
 *   x = [1 -2], w = [1 0 2; 2 1 -1], b = [0.5 -1 0]: x w + b = [-2.5 -3 4],
 *   relu gives [0 0 4]; with dout = [1 2 3]: dx = dout w^T = [7 1],
 *   dw = x^T dout = [1 2 3; -2 -4 -6], db = [1 2 3], relu's dx = [0 0 3];
 *   softmax_loss([0 0 0], y = 2) = ln 3 with dscores [1/3 1/3 -2/3]. */
typedef struct {
    const char *wrong;   /* the first layer function that gave a wrong value */
} Lab05Layers;

static int lab05_same(const Mat *m, const double *want)
{
    for (int i = 0; i < m->rows * m->cols; i++)
        if (!(fabs(m->data[i] - want[i]) <= 1e-12 * fmax(1.0, fabs(want[i])))) return 0;
    return 1;
}

static void lab05_layers_run(void *ctx)
{
    Lab05Layers *l = ctx;
    const double xv[2] = { 1, -2 }, wv[6] = { 1, 0, 2, 2, 1, -1 }, bv[3] = { 0.5, -1, 0 }, dv[3] = { 1, 2, 3 };
    Mat *x = gt_mat(1, 2, xv), *w = gt_mat(2, 3, wv), *b = gt_mat(1, 3, bv), *dout = gt_mat(1, 3, dv);
    Mat *a = mat_new(1, 3), *h = mat_new(1, 3), *dx = mat_new(1, 2), *dw = mat_new(2, 3), *db = mat_new(1, 3);
    Mat *dr = mat_new(1, 3), *s = mat_new(1, 3), *ds = mat_new(1, 3);
    const double a_want[3] = { -2.5, -3, 4 }, h_want[3] = { 0, 0, 4 }, dx_want[2] = { 7, 1 };
    const double dw_want[6] = { 1, 2, 3, -2, -4, -6 }, dr_want[3] = { 0, 0, 3 };
    const double ds_want[3] = { 1.0 / 3, 1.0 / 3, -2.0 / 3 };
    const int y[1] = { 2 };
    affine_forward(x, w, b, a);
    if (!lab05_same(a, a_want)) l->wrong = l->wrong ? l->wrong : "affine_forward";
    relu_forward(a, h);
    if (!lab05_same(h, h_want)) l->wrong = l->wrong ? l->wrong : "relu_forward";
    double loss = softmax_loss(s, y, ds);
    if (!(fabs(loss - log(3.0)) <= 1e-12) || !lab05_same(ds, ds_want)) l->wrong = l->wrong ? l->wrong : "softmax_loss";
    affine_backward(dout, x, w, dx, dw, db);
    if (!lab05_same(dx, dx_want) || !lab05_same(dw, dw_want) || !lab05_same(db, dv))
        l->wrong = l->wrong ? l->wrong : "affine_backward";
    relu_backward(dout, a, dr);
    if (!lab05_same(dr, dr_want)) l->wrong = l->wrong ? l->wrong : "relu_backward";
}

/* Before a net test: if a layer function is wrong or not written, every failure
 * of the test says so, since the net is built from the layers. */
static void lab05_note_layers(void)
{
    Lab05Layers l = { NULL };
    gt_context("the layer functions on one small case, before the net (affine_forward, relu_forward, "
               "softmax_loss, affine_backward, relu_backward)");
    if (!lab_attempt(lab05_layers_run, &l))
        gt_note("%s() is not written yet, and two_layer_net_loss is built from the layers: write the layer "
                "functions (and pass their tests) first", lab_todo_name());
    else if (l.wrong)
        gt_note("your %s() gives wrong values on a small case (see its own tests): the net is built from the "
                "layers, so fix the layer tests first", l.wrong);
}

static void test_net_hand(void)
{
    lab05_note_layers();
    /* D = 2, H = 2, C = 2, N = 2:
     *   X = [1 2; -1 1], W1 = [1 -1; 0.5 1], b1 = [0 -0.5], W2 = [1 -1; 2 0], b2 = [0.5 0], y = [0 1]
     * hidden a = X W1 + b1 = [2 0.5; -0.5 1.5], h = relu(a) = [2 0.5; 0 1.5]
     * scores = h W2 + b2 = [3.5 -2; 3.5 0]
     * row 0 (class 0): log(e^3.5 + e^-2) - 3.5 = log(1 + e^-5.5)
     * row 1 (class 1): log(e^3.5 + e^0) - 0   = 3.5 + log(1 + e^-3.5)
     * reg term: 0.1 * (sum W1^2 + sum W2^2) = 0.1 * (3.25 + 6) = 0.925 */
    const double Xv[] = { 1, 2, -1, 1 }, W1v[] = { 1, -1, 0.5, 1 }, b1v[] = { 0, -0.5 };
    const double W2v[] = { 1, -1, 2, 0 }, b2v[] = { 0.5, 0 };
    const int y[2] = { 0, 1 };
    const double reg = 0.1;
    Mat *X = gt_mat(2, 2, Xv);
    TwoLayerNet net = { gt_mat(2, 2, W1v), gt_mat(1, 2, b1v), gt_mat(2, 2, W2v), gt_mat(1, 2, b2v) };
    TwoLayerNet g = lab05_net_filled(2, 2, 2, LAB05_JUNK);
    gt_context("two_layer_net_loss(the 2-2-2 net in the test's comment, X (2x2), y = [0 1], reg 0.1, grads)");
    double loss = two_layer_net_loss(&net, X, y, reg, &g);
    double data = (log1p(exp(-5.5)) + 3.5 + log1p(exp(-3.5))) / 2;
    gt_hint("scores = relu(X W1 + b1) W2 + b2 = [3.5 -2; 3.5 0]; loss = mean softmax loss %.6f + "
            "reg * (sum W1^2 + sum W2^2) = 0.1 * 9.25", data);
    gt_expect_near("loss", data + 0.925, loss, 1e-12);

    /* Backward by hand: dscores = (p - onehot) / 2 with p0 = 1 / (1 + e^-5.5) for
     * row 0's class 0 and q = 1 / (1 + e^-3.5) for row 1's class 0. */
    double p0 = 1.0 / (1.0 + exp(-5.5)), q = 1.0 / (1.0 + exp(-3.5));
    double ds[2][2] = { { (p0 - 1) / 2, (1 - p0) / 2 }, { q / 2, -q / 2 } };
    double h[2][2] = { { 2, 0.5 }, { 0, 1.5 } };
    Mat *db2 = mat_new(1, 2), *dW2 = mat_new(2, 2);
    for (int j = 0; j < 2; j++) {
        db2->data[j] = ds[0][j] + ds[1][j];
        for (int k = 0; k < 2; k++) MAT_AT(dW2, k, j) = h[0][k] * ds[0][j] + h[1][k] * ds[1][j] + 2 * reg * W2v[k * 2 + j];
    }
    gt_hint("db2 = column sums of dscores, dscores = (softmax(scores) - onehot(y)) / N");
    gt_expect_mat("grads->b2", db2, g.b2, 1e-10);
    gt_hint("dW2 = h^T dscores + 2 reg W2, with h = relu(X W1 + b1)");
    gt_expect_mat("grads->W2", dW2, g.W2, 1e-10);
    gt_hint(NULL);

    gt_context("two_layer_net_loss(the same 2-2-2 net, reg 0.1, grads NULL)");
    double again = two_layer_net_loss(&net, X, y, reg, NULL);
    gt_expect_near("loss with grads NULL", loss, again, 1e-12);
}

typedef struct {
    const TwoLayerNet *net;
    const Mat *X;
    const int *y;
    double reg;
} Lab05NetCtx;

static double lab05_net_loss_of(const Mat *unused, void *ctx)
{
    (void)unused;
    const Lab05NetCtx *c = ctx;
    return ora_two_layer_net_loss(c->net, c->X, c->y, c->reg, NULL);
}

/* Hint for a weight gradient: say so when the analytic one misses 2 reg W. */
typedef struct {
    const Mat *ana, *num, *W;
    double reg;
} Lab05RegHint;

static const char *lab05_reg_hint(int i, int j, void *ctx)
{
    const Lab05RegHint *c = ctx;
    if (c->reg == 0.0) return NULL;
    double a = MAT_AT(c->ana, i, j), n = MAT_AT(c->num, i, j), w = MAT_AT(c->W, i, j);
    if (gt_close(n, a + 2 * c->reg * w, 1e-5))
        return "this is off by exactly 2 * reg * W: add the regularization's gradient to dW1 and dW2";
    if (gt_close(n, a - c->reg * w, 1e-5))
        return "the regularization gradient of reg * W^2 is 2 * reg * W, not reg * W";
    return NULL;
}

static void test_net_numeric(void)
{
    lab05_note_layers();
    static const struct { int N, D, H, C; double reg; } cases[] = {
        { 4, 3, 5, 3, 0.05 }, { 1, 2, 1, 2, 0.3 }, { 6, 5, 4, 7, 0.0 }, { 5, 4, 6, 2, 0.1 },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        int N = cases[k].N, D = cases[k].D, H = cases[k].H, C = cases[k].C;
        double reg = cases[k].reg;
        TwoLayerNet net;
        Mat *X;
        int *y;
        lab05_net_case(N, D, H, C, &net, &X, &y);
        TwoLayerNet g = lab05_net_filled(D, H, C, LAB05_JUNK);
        gt_context("two_layer_net_loss(net D=%d H=%d C=%d, X %s, y, reg %g, grads) on random values", D, H, C,
                   gt_shape(X), reg);
        two_layer_net_loss(&net, X, y, reg, &g);

        Lab05NetCtx c = { &net, X, y, reg };
        Mat *params[4] = { net.W1, net.b1, net.W2, net.b2 };
        Mat *ana[4] = { g.W1, g.b1, g.W2, g.b2 };
        const char *names[4] = { "grads->W1", "grads->b1", "grads->W2", "grads->b2" };
        const char *hints[4] = {
            "dW1 = X^T da + 2 reg W1, where da = (dscores W2^T) masked by a = X W1 + b1 > 0",
            "db1 = column sums of da, da = (dscores W2^T) masked by a > 0 (no regularization on biases)",
            "dW2 = h^T dscores + 2 reg W2, h = relu(X W1 + b1)",
            "db2 = column sums of dscores (no regularization on biases)",
        };
        for (int p = 0; p < 4; p++) {
            Mat *num = mat_new(params[p]->rows, params[p]->cols);
            gt_numeric_grad(lab05_net_loss_of, &c, params[p], LAB05_H, num);
            Lab05RegHint rh = { ana[p], num, params[p], (p == 0 || p == 2) ? reg : 0.0 };
            gt_hint("%s", hints[p]);
            gt_expect_grad(names[p], ana[p], num, LAB05_GRAD_TOL, lab05_reg_hint, &rh);
            mat_free(num);
        }
        gt_hint(NULL);
        lab05_net_free(&net), lab05_net_free(&g), mat_free(X), free(y);
    }
}

static void test_net_null_unchanged(void)
{
    lab05_note_layers();
    enum { N = 7, D = 6, H = 5, C = 4 };
    const double reg = 0.2;
    TwoLayerNet net = lab05_net_random(D, H, C), keep = lab05_net_copy(&net);
    Mat *X = gt_randn(N, D, 1.0), *X0 = mat_copy(X);
    int *y = gt_labels(N, C);
    TwoLayerNet g = lab05_net_filled(D, H, C, LAB05_JUNK);
    double want = ora_two_layer_net_loss(&net, X, y, reg, NULL);
    gt_context("two_layer_net_loss(net D=6 H=5 C=4, X (7x6), y, reg 0.2, grads)");
    double with = two_layer_net_loss(&net, X, y, reg, &g);
    gt_context("two_layer_net_loss(the same net, X, y, reg 0.2, grads NULL)");
    double without = two_layer_net_loss(&net, X, y, reg, NULL);
    gt_hint("grads == NULL means: compute the same loss, skip the backward pass");
    gt_expect_near("loss with grads NULL", with, without, 1e-12);
    gt_hint("loss = mean softmax loss of relu(X W1 + b1) W2 + b2 + reg * (sum W1^2 + sum W2^2)");
    gt_expect_near("loss", want, with, 1e-10);
    gt_hint("the net and X are inputs: work on new matrices, never on net->W1 ... or X");
    gt_expect_unchanged("net->W1", keep.W1, net.W1);
    gt_expect_unchanged("net->b1", keep.b1, net.b1);
    gt_expect_unchanged("net->W2", keep.W2, net.W2);
    gt_expect_unchanged("net->b2", keep.b2, net.b2);
    gt_expect_unchanged("X", X0, X);
}

static void test_net_predict(void)
{
    /* W2 = 0 makes every row's scores equal b2 = [1 3 3 2 3]: a three-way tie
     * for the largest, which goes to the lower class, 1. */
    enum { N = 4, D = 3, H = 2, C = 5 };
    const double b2v[C] = { 1, 3, 3, 2, 3 };
    TwoLayerNet net = { gt_randn(D, H, 1.0), gt_randn(1, H, 1.0), mat_new(H, C), gt_mat(1, C, b2v) };
    Mat *X = gt_randn(N, D, 1.0);
    int pred[N], want[N] = { 1, 1, 1, 1 };
    for (int i = 0; i < N; i++) pred[i] = -1;
    gt_context("two_layer_net_predict(net with W2 = 0 and b2 = [1 3 3 2 3], X (4x3), y_pred)");
    two_layer_net_predict(&net, X, pred);
    gt_hint("every row scores [1 3 3 2 3]: classes 1, 2 and 4 tie, and ties go to the lower class "
            "(mat_argmax_row does this)");
    gt_expect_ints("y_pred", want, pred, N);
    lab05_net_free(&net);
    mat_free(X);

    /* A random net: the oracle's predictions. */
    enum { N2 = 20, D2 = 6, H2 = 8, C2 = 4 };
    TwoLayerNet r = lab05_net_random(D2, H2, C2), keep = lab05_net_copy(&r);
    Mat *X2 = gt_randn(N2, D2, 1.0);
    int p2[N2], w2[N2];
    memset(w2, 0, sizeof w2);
    ora_two_layer_net_predict(&r, X2, w2);
    for (int i = 0; i < N2; i++) p2[i] = -1;
    gt_context("two_layer_net_predict(random net D=6 H=8 C=4, X (20x6), y_pred)");
    two_layer_net_predict(&r, X2, p2);
    gt_hint("y_pred[i] = argmax_j of scores relu(X W1 + b1) W2 + b2");
    gt_expect_ints("y_pred", w2, p2, N2);
    gt_hint(NULL);
    gt_expect_unchanged("net->W1", keep.W1, r.W1);
}

/* ---- outcome: concentric rings ------------------------------------------------------- */

/* Three rings of 100 points each (radii 1, 2, 3, radial noise 0.15), scaled by
 * 1/3. The class is the ring: no straight line separates them, and a linear
 * classifier cannot do better than about 40%. */
static void lab05_rings(Mat *X, int *y)
{
    for (int i = 0; i < X->rows; i++) {
        int ring = i % 3;
        double t = 2 * M_PI * rng_uniform(gt_rng());
        double r = (ring + 1) + 0.15 * rng_normal(gt_rng());
        MAT_AT(X, i, 0) = r * cos(t) / 3;
        MAT_AT(X, i, 1) = r * sin(t) / 3;
        y[i] = ring;
    }
}

/* Whether point i of X is classified right by net, as the lab's own
 * two_layer_net_loss sees it (the net was trained by the lab's gradients, so
 * the oracle has no recorded answer for it): right when its label has the
 * largest probability, ties going to the lower class as in
 * two_layer_net_predict, that is when the point's loss alone (N = 1, reg 0,
 * grads NULL) is smallest with its own label. x1 is (1, D) scratch. */
static int lab05_point_right(const TwoLayerNet *net, const Mat *X, const int *y, int i, int classes, Mat *x1)
{
    for (int k = 0; k < X->cols; k++) x1->data[k] = MAT_AT(X, i, k);
    int label = y[i];
    double own = two_layer_net_loss(net, x1, &label, 0.0, NULL);
    if (!isfinite(own)) return 0;
    for (int c = 0; c < classes; c++) {
        if (c == y[i]) continue;
        int other_label = c;
        double other = two_layer_net_loss(net, x1, &other_label, 0.0, NULL);
        if (c < y[i] ? !(own < other) : !(own <= other)) return 0;
    }
    return 1;
}

/* The class the lab's own two_layer_net_loss ranks first for point i of X: the
 * label with the smallest loss for that point alone, the lower class on a tie;
 * -1 when a loss is not finite. For messages. */
static int lab05_loss_class(const TwoLayerNet *net, const Mat *X, int i, int classes, Mat *x1)
{
    for (int k = 0; k < X->cols; k++) x1->data[k] = MAT_AT(X, i, k);
    int best = -1;
    double best_loss = 0.0;
    for (int c = 0; c < classes; c++) {
        int label = c;
        double l = two_layer_net_loss(net, x1, &label, 0.0, NULL);
        if (!isfinite(l)) return -1;
        if (best < 0 || l < best_loss) best = c, best_loss = l;
    }
    return best;
}

/* The number of points of X that net gets wrong (lab05_point_right), or
 * max_wrong + 1 as soon as more than max_wrong are: the points wrong last time
 * (wrong[i] != 0) are looked at first, so a net that is not there yet costs
 * few calls. wrong[] is updated for every point looked at. */
static int lab05_count_wrong(const TwoLayerNet *net, const Mat *X, const int *y, int classes, int *wrong,
                             int max_wrong, int epoch)
{
    Mat *x1 = mat_new(1, X->cols);
    int nwrong = 0;
    gt_context("two_layer_net_loss(the net after %d epochs, X (1x%d) one point of the rings, y = [c] for each "
               "class c, reg 0, grads NULL), measuring the training accuracy", epoch, X->cols);
    for (int pass = 1; pass >= 0 && nwrong <= max_wrong; pass--)
        for (int i = 0; i < X->rows && nwrong <= max_wrong; i++) {
            if ((wrong[i] != 0) != pass) continue;
            wrong[i] = !lab05_point_right(net, X, y, i, classes, x1);
            nwrong += wrong[i];
        }
    mat_free(x1);
    return nwrong;
}

static void test_net_rings(void)
{
    lab05_note_layers();
    enum { N = 300, D = 2, H = 40, C = 3, B = 50, EPOCHS = 400 };
    const double lr = 0.5, mu = 0.9, reg = 1e-5;
    Mat *X = mat_new(N, D);
    int y[N], order[N], yb[B];
    lab05_rings(X, y);
    /* He initialization: std sqrt(2 / fan_in). */
    TwoLayerNet net = { gt_randn(D, H, sqrt(2.0 / D)), mat_new(1, H), gt_randn(H, C, sqrt(2.0 / H)), mat_new(1, C) };
    TwoLayerNet g = lab05_net_filled(D, H, C, 0.0), v = lab05_net_filled(D, H, C, 0.0);
    Mat *Xb = mat_new(B, D);
    for (int i = 0; i < N; i++) order[i] = i;

    /* The accuracy is measured with the lab's own two_layer_net_loss, so that
     * measure is checked first: on a random net with nonzero biases (drawn
     * from a generator of its own, so the training draws what it always drew)
     * it must pick, for every point, the class the reference predicts. */
    Rng probe_rng;
    rng_seed(&probe_rng, 5);
    TwoLayerNet probe = { mat_new(D, H), mat_new(1, H), mat_new(H, C), mat_new(1, C) };
    mat_fill_randn(probe.W1, 1.0, &probe_rng);
    mat_fill_randn(probe.b1, 0.5, &probe_rng);
    mat_fill_randn(probe.W2, 1.0, &probe_rng);
    mat_fill_randn(probe.b2, 0.5, &probe_rng);
    int probe_pred[N];
    memset(probe_pred, 0, sizeof probe_pred);
    ora_two_layer_net_predict(&probe, X, probe_pred);
    Mat *x1 = mat_new(1, D);
    gt_context("two_layer_net_loss(a random net D=2 H=40 C=3, X (1x2) one point of the rings, y = [c] for each "
               "class c, reg 0, grads NULL), before training: this test measures the accuracy with it");
    for (int i = 0; i < N; i++)
        if (!lab05_point_right(&probe, X, probe_pred, i, C, x1)) {
            gt_hint("a point counts as class c when its loss alone is smallest with the label c (the lower "
                    "class on a tie), which is the class with the largest score relu(x W1 + b1) W2 + b2; fix "
                    "the other two_layer_net_loss tests first");
            gt_fail("point %d = (%g, %g): the reference's scores put class %d first, your losses class %d (-1: a "
                    "loss that is not finite)", i, MAT_AT(X, i, 0), MAT_AT(X, i, 1), probe_pred[i],
                    lab05_loss_class(&probe, X, i, C, x1));
        }
    mat_free(x1);
    lab05_net_free(&probe);

    /* Minibatch SGD with momentum, written out here so it does not depend on
     * the lab's trainer; stops as soon as the training accuracy reaches 95%,
     * that is at most MAX_WRONG of the N points wrong. */
    enum { MAX_WRONG = N / 20 };
    int wrong[N], nwrong = N;
    memset(wrong, 0, sizeof wrong);
    int epoch;
    for (epoch = 0; epoch < EPOCHS; epoch++) {
        rng_shuffle(gt_rng(), order, N);
        for (int s = 0; s < N / B; s++) {
            for (int i = 0; i < B; i++) {
                int r = order[s * B + i];
                MAT_AT(Xb, i, 0) = MAT_AT(X, r, 0);
                MAT_AT(Xb, i, 1) = MAT_AT(X, r, 1);
                yb[i] = y[r];
            }
            gt_context("two_layer_net_loss(net D=2 H=40 C=3, X (50x2) a minibatch of three concentric rings, y, "
                       "reg 1e-5, grads) inside an SGD loop, epoch %d", epoch + 1);
            double loss = two_layer_net_loss(&net, Xb, yb, reg, &g);
            GT_CHECK(isfinite(loss), "the loss became %g at epoch %d: the gradients are probably wrong", loss,
                     epoch + 1);
            Mat *P[4] = { net.W1, net.b1, net.W2, net.b2 }, *G[4] = { g.W1, g.b1, g.W2, g.b2 };
            Mat *V[4] = { v.W1, v.b1, v.W2, v.b2 };
            for (int p = 0; p < 4; p++)
                for (int i = 0; i < P[p]->rows * P[p]->cols; i++) {
                    V[p]->data[i] = mu * V[p]->data[i] - lr * G[p]->data[i];
                    P[p]->data[i] += V[p]->data[i];
                }
        }
        nwrong = lab05_count_wrong(&net, X, y, C, wrong, MAX_WRONG, epoch + 1);
        if (nwrong <= MAX_WRONG) break;
    }
    if (nwrong > MAX_WRONG) nwrong = lab05_count_wrong(&net, X, y, C, wrong, N, epoch);   /* all of them */
    double acc = (double)(N - nwrong) / N;
    gt_context("two_layer_net_loss(net D=2 H=40 C=3, X (50x2) minibatches of three concentric rings, y, reg 1e-5, "
               "grads) inside an SGD loop, %d epochs", epoch);
    gt_hint("a correct two_layer_net_loss learns these rings within a few dozen epochs; if the gradient "
            "tests fail, fix them first");
    GT_CHECK(acc >= 0.95, "after %d epochs of SGD (lr %g, momentum %g) the training accuracy on three rings is "
             "%.3f, expected at least 0.95 (a point counts when its label gets the largest probability, by "
             "your two_layer_net_loss)", epoch, lr, mu, acc);
}

GT_SUITE(gt_suite_05_public, "05", GT_PUBLIC,
    { "05 affine_forward: a hand example and random non-square shapes", 1.0, 5, test_affine_forward_hand },
    { "05 affine_backward: dx, dw, db match finite differences on several shapes", 1.5, 5,
      test_affine_backward_numeric },
    { "05 affine_backward: any of dx, dw, db may be NULL", 0.5, 5, test_affine_backward_null },
    { "05 relu_forward: max(0, x) on a hand example", 0.5, 5, test_relu_forward },
    { "05 relu_backward: matches finite differences away from the kink", 1.0, 5, test_relu_backward_numeric },
    { "05 sigmoid_forward: s(0) = 1/2, s(-x) = 1 - s(x), no NaN at +-800", 0.5, 5, test_sigmoid_forward },
    { "05 sigmoid_backward: s(1-s) from the forward output, finite differences", 0.5, 5, test_sigmoid_backward },
    { "05 softmax_loss: equal scores give log C, the lecture's example gives 2.04", 1.0, 5,
      test_softmax_loss_values },
    { "05 softmax_loss: dscores matches finite differences, NULL dscores, scores near 1000", 1.0, 5,
      test_softmax_loss_numeric },
    { "05 two_layer_net_loss: a 2-2-2 net computed by hand", 1.0, 5, test_net_hand },
    { "05 two_layer_net_loss: all four gradients match finite differences", 1.5, 5, test_net_numeric },
    { "05 two_layer_net_loss: grads NULL gives the same loss; net and X unchanged", 0.5, 5,
      test_net_null_unchanged },
    { "05 two_layer_net_predict: argmax of the scores, ties go to the lower class", 0.5, 5, test_net_predict },
    { "05 two_layer_net_loss: SGD with it learns three concentric rings (>= 95%)", 1.0, 10, test_net_rings });
