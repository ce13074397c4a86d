/*
 * lab02_loss.c - public tests for lab 02 (the SVM and softmax losses), 12 points.
 *
 * Losses are compared with the lecture's table (X = I, so the scores are W
 * itself), with values known exactly (W = 0 gives C - 1 and ln C) and with
 * what the reference answers (lab02_expected_loss: recorded answers in the
 * student release, see grader/oracle.h). Gradients are compared with the
 * grader's own finite differences (gt_numeric_grad) of that loss, in double,
 * on random problems drawn away from the hinge's kinks: no test uses the
 * student's lab 03 or the student's loss to judge the student's gradient.
 *
 * "naive == vectorized": the vectorized tests compare with the student's naive
 * version only when that version is itself right (checked against the expected
 * loss and finite differences first); otherwise with those alone,
 * so that a mistake in one function never costs points on the other.
 */
#include "gt.h"
#include "lab.h"
#include "loss.h"
#include "oracles.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LAB02_H 1e-5          /* finite-difference step */
#define LAB02_GRAD_TOL 1e-6   /* allowed relative error of a gradient entry */
#define LAB02_LOSS_TOL 1e-10  /* allowed relative error of a loss */
#define LAB02_KINK 1e-3       /* SVM margins closer than this to 0 are redrawn */
#define LAB02_JUNK 777.0      /* dW holds this before each call: an entry never written shows */

typedef double (*Lab02LossFn)(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW);

typedef struct {
    const char *name;
    Lab02LossFn fn;
    int svm;   /* 1: the SVM loss, 0: softmax */
} Lab02Fn;

static const Lab02Fn lab02_svm_naive = { "svm_loss_naive", svm_loss_naive, 1 };
static const Lab02Fn lab02_svm_vec = { "svm_loss_vectorized", svm_loss_vectorized, 1 };
static const Lab02Fn lab02_softmax_naive = { "softmax_loss_naive", softmax_loss_naive, 0 };
static const Lab02Fn lab02_softmax_vec = { "softmax_loss_vectorized", softmax_loss_vectorized, 0 };

/* ---- what the reference answers (the loss only) ------------------------------------- */

/* The loss the reference computes for these inputs (oracle.h):
 *   SVM:     (1/N) sum_i sum_{j != y_i} max(0, s_j - s_{y_i} + 1) + reg * sum(W^2)
 *   softmax: (1/N) sum_i -ln(e^{s_{y_i}} / sum_j e^{s_j}) + reg * sum(W^2) */
static double lab02_expected_loss(const Mat *W, const Mat *X, const int *y, double reg, int svm)
{
    return svm ? ora_svm_loss_naive(W, X, y, reg, NULL) : ora_softmax_loss_naive(W, X, y, reg, NULL);
}

typedef struct {
    const Mat *X;
    const int *y;
    double reg;
    int svm;
} Lab02Formula;

/* The loss as a function of W, for gt_numeric_grad. */
static double lab02_formula_of_W(const Mat *W, void *ctx)
{
    const Lab02Formula *f = ctx;
    return lab02_expected_loss(W, f->X, f->y, f->reg, f->svm);
}

static double lab02_sum_sq(const Mat *m)
{
    double s = 0.0;
    for (size_t k = 0; k < (size_t)m->rows * m->cols; k++) s += m->data[k] * m->data[k];
    return s;
}

/* The smallest |s_j - s_{y_i} + 1| over j != y_i: how close the SVM is to a kink. */
static double lab02_closest_kink(const Mat *W, const Mat *X, const int *y)
{
    double closest = INFINITY;
    for (int i = 0; i < X->rows; i++) {
        double sy = 0.0;
        for (int d = 0; d < W->rows; d++) sy += MAT_AT(X, i, d) * MAT_AT(W, d, y[i]);
        for (int j = 0; j < W->cols; j++) {
            if (j == y[i]) continue;
            double sj = 0.0;
            for (int d = 0; d < W->rows; d++) sj += MAT_AT(X, i, d) * MAT_AT(W, d, j);
            closest = fmin(closest, fabs(sj - sy + 1.0));
        }
    }
    return closest;
}

/* ---- random problems ------------------------------------------------------------ */

typedef struct {
    Mat *W, *X;   /* (D, C), (N, D) */
    int *y;       /* (N) */
    int N, D, C;
} Lab02Problem;

/* X ~ N(0, 1) with a last column of ones (the bias trick), y uniform in [0, C),
 * W ~ wscale * N(0, 1) drawn again until no SVM margin is within LAB02_KINK of
 * its kink, where finite differences are not a fair judge. */
static void lab02_problem(Lab02Problem *p, int N, int D, int C, double wscale)
{
    p->N = N;
    p->D = D;
    p->C = C;
    p->X = gt_randn(N, D, 1.0);
    for (int i = 0; i < N; i++) MAT_AT(p->X, i, D - 1) = 1.0;
    p->y = gt_labels(N, C);
    p->W = NULL;
    for (int tries = 0; tries < 200; tries++) {
        mat_free(p->W);
        p->W = gt_randn(D, C, wscale);
        if (lab02_closest_kink(p->W, p->X, p->y) >= LAB02_KINK) break;
    }
}

static void lab02_problem_free(Lab02Problem *p)
{
    mat_free(p->W);
    mat_free(p->X);
    free(p->y);
}

/* ---- hints ------------------------------------------------------------------------ */

/* Picks a hint for a wrong loss from what it looks like next to the right one. */
static void lab02_loss_hint(const Lab02Fn *f, double got, double want, double reg_term, int N)
{
    double data = want - reg_term, got_data = got - reg_term;
    double tol = 1e-6 * fmax(1.0, fabs(want));
    if (isnan(got) || isinf(got))
        gt_hint(f->svm ? "the loss is NaN or Inf: look for a division by zero or an uninitialized sum"
                       : "the loss is NaN or Inf: e^s overflows for large scores; subtract each row's maximum "
                         "score before exponentiating (it cancels in p)");
    else if (f->svm && N > 0 && fabs(got - (want + 1.0)) <= tol)
        gt_hint("the loss is exactly 1 too large: the sum runs over j != y_i only (the correct class's own "
                "margin s_yi - s_yi + 1 is always 1)");
    else if (N > 1 && fabs(got_data - N * data) <= tol * N)
        gt_hint("the data loss is N times too large: the loss is the MEAN over the N examples, not the sum");
    else if (reg_term != 0.0 && fabs(got - data) <= tol)
        gt_hint("the regularization term is missing: add reg * sum of W[d][c]^2");
    else if (reg_term != 0.0 && fabs(got - (data + 2.0 * reg_term)) <= tol)
        gt_hint("the regularization term is doubled: the loss adds reg * sum(W^2) (2 * reg * W is its gradient)");
    else if (!f->svm && fabs(got - data / log(10.0) - reg_term) <= tol)
        gt_hint("this is log base 10: use the natural log, log() in C (the slides' 0.89 for the cat is "
                "log10; ln gives 2.04)");
    else if (f->svm)
        gt_hint("L = (1/N) sum_i sum_{j != y_i} max(0, s_j - s_yi + 1) + reg * sum(W^2), with the scores "
                "s = (row i of X) W");
    else
        gt_hint("L = (1/N) sum_i -ln(e^{s_yi} / sum_j e^{s_j}) + reg * sum(W^2), with the scores "
                "s = (row i of X) W and the natural log");
}

/* What gt_expect_grad's hint callback needs to explain a bad dW entry. */
typedef struct {
    const Lab02Fn *f;
    const Mat *W, *X, *dW, *num;
    const int *y;
    double reg;
} Lab02GradHint;

static const char *lab02_grad_hint(int i, int j, void *vctx)
{
    static char buf[600];
    const Lab02GradHint *h = vctx;
    int N = h->X->rows;
    double a = MAT_AT(h->dW, i, j), n = MAT_AT(h->num, i, j), w = MAT_AT(h->W, i, j), r = h->reg;
    double reg_grad = 2.0 * r * w, ad = a - reg_grad, nd = n - reg_grad;   /* the data parts */
    double close = 1e-4 * (fabs(a) + fabs(n)) + 1e-12;
    if (isnan(a) || isinf(a))
        return h->f->svm ? "dW has a NaN or Inf entry"
                         : "dW has a NaN or Inf entry: e^s overflows for large scores; subtract the row maximum "
                           "first";
    if (a == LAB02_JUNK)
        return "this entry still holds 777, its value before the call: write every entry of dW";
    if (fabs(a - LAB02_JUNK - n) <= close + 1e-9 * LAB02_JUNK)
        return "dW looks like 777 (its value before the call) plus the right gradient: dW holds garbage on "
               "entry, so set it to 0 before adding into it";
    if (N > 1 && fabs(a - LAB02_JUNK / N - n) <= close + 1e-9 * LAB02_JUNK)
        return "dW looks like 777 / N plus the right gradient: 777 is what dW held before the call, and it was "
               "divided by N with the sum added into it. Set dW to 0 before adding into it";
    if (r != 0.0 && fabs(ad + r * w - nd) <= close)
        return "off by reg * W exactly: the gradient of reg * sum(W^2) is 2 * reg * W, not reg * W";
    if (r != 0.0 && fabs(ad + 2.0 * r * w - nd) <= close)
        return "off by 2 * reg * W exactly: dW must include the regularization gradient 2 * reg * W";
    if (N > 1 && fabs(nd) > 1e-9 && fabs(ad - N * nd) <= 1e-4 * fabs(ad))
        return "the data part of dW is N times too large: the loss is a mean over N examples, so its gradient "
               "is the summed gradient divided by N";
    if (fabs(nd) > 1e-9 && fabs(ad + nd) <= 1e-4 * fabs(nd))
        return h->f->svm ? "the sign is flipped: a violated margin adds +x_i to column j and -x_i to column y_i"
                         : "the sign is flipped: dL_i/ds_c = p_c - [c == y_i] (probability minus one-hot), not "
                           "the other way round";
    if (h->f->svm) {
        int correct = 0;
        for (int k = 0; k < N; k++) correct += h->y[k] == j;
        if (correct > 0)
            snprintf(buf, sizeof buf,
                     "column %d is the correct class of %d of the %d examples: for each of them it gets -x_i once "
                     "per violated margin (the number of classes j != y_i with s_j - s_yi + 1 > 0, times x_i). "
                     "Did you subtract x_i once per violated margin? (And +x_i on column j for every example "
                     "whose class-j margin is violated; all divided by N, plus 2 * reg * W.)",
                     j, correct, N);
        else
            snprintf(buf, sizeof buf,
                     "column %d is never the correct class here: it gets +x_i (row i of X) for each example "
                     "whose margin s_%d - s_yi + 1 is > 0, and nothing from the others; divided by N, plus "
                     "2 * reg * W",
                     j, j);
    } else {
        snprintf(buf, sizeof buf,
                 "column %d of dW is (1/N) sum_i (p_i%d - [y_i == %d]) x_i + 2 * reg * W[.][%d], with p_i the "
                 "softmax probabilities of example i's scores",
                 j, j, j, j);
    }
    return buf;
}

/* ---- the shared checks ------------------------------------------------------------ */

/* Calls f on copies of p's inputs with dW pre-filled with junk, then checks the
 * loss against the formula, dW against finite differences of the formula, and
 * that the inputs did not change. */
static void lab02_check_problem(const Lab02Fn *f, const Lab02Problem *p, double reg, const char *what)
{
    Mat *Wc = mat_copy(p->W), *Xc = mat_copy(p->X), *dW = mat_new(p->D, p->C);
    int *yc = malloc((size_t)p->N * sizeof *yc);
    memcpy(yc, p->y, (size_t)p->N * sizeof *yc);
    mat_fill(dW, LAB02_JUNK);
    gt_context("%s(W %s, X %s, y (%d labels in [0, %d)), reg = %g, dW %s)%s%s", f->name, gt_shape(p->W),
               gt_shape(p->X), p->N, p->C, reg, gt_shape(dW), what ? ": " : "", what ? what : "");
    double loss = f->fn(Wc, Xc, yc, reg, dW);

    double want = lab02_expected_loss(p->W, p->X, p->y, reg, f->svm);
    lab02_loss_hint(f, loss, want, reg * lab02_sum_sq(p->W), p->N);
    gt_expect_near("loss", want, loss, LAB02_LOSS_TOL);
    gt_hint(NULL);

    Mat *num = mat_new(p->D, p->C), *Wn = mat_copy(p->W);
    Lab02Formula formula = { p->X, p->y, reg, f->svm };
    gt_numeric_grad(lab02_formula_of_W, &formula, Wn, LAB02_H, num);
    Lab02GradHint hc = { f, p->W, p->X, dW, num, p->y, reg };
    gt_expect_grad("dW", dW, num, LAB02_GRAD_TOL, lab02_grad_hint, &hc);

    gt_hint("W, X and y are inputs (const): never write into them, not even temporarily");
    gt_expect_unchanged("W", p->W, Wc);
    gt_expect_unchanged("X", p->X, Xc);
    gt_expect_ints("y (must not change)", p->y, yc, p->N);
    gt_hint(NULL);
    mat_free(Wc);
    mat_free(Xc);
    mat_free(dW);
    mat_free(num);
    mat_free(Wn);
    free(yc);
}

/* ---- the lecture's table --------------------------------------------------------------- */

/* Scores of the three training images (rows: the cat, car and frog images) for
 * the three classes (columns: cat, car, frog). With X = I (3x3), X W = W, so W
 * is the score table itself. */
static const double lab02_table[9] = { 3.2, 5.1, -1.7,
                                       1.3, 4.9, 2.0,
                                       2.2, 2.5, -3.1 };
static const int lab02_table_y[3] = { 0, 1, 2 };

static void lab02_lecture(const Lab02Fn *f)
{
    Mat *W = gt_mat(3, 3, lab02_table), *X = mat_new(3, 3);
    for (int i = 0; i < 3; i++) MAT_AT(X, i, i) = 1.0;
    Mat *Wc = mat_copy(W), *Xc = mat_copy(X), *dW = mat_new(3, 3);
    int yc[3] = { 0, 1, 2 };
    mat_fill(dW, LAB02_JUNK);
    gt_context("%s(W = the lecture's score table (3x3; rows: the cat, car, frog images; columns: the classes "
               "cat, car, frog), X = I (3x3), y = {0, 1, 2}, reg = 0, dW (3x3))", f->name);
    double loss = f->fn(Wc, Xc, yc, 0.0, dW);

    double want;
    if (f->svm) {
        /* Per example: cat max(0, 5.1 - 3.2 + 1) + max(0, -1.7 - 3.2 + 1) = 2.9;
         * car 0 + 0 = 0; frog max(0, 2.2 + 3.1 + 1) + max(0, 2.5 + 3.1 + 1) = 12.9. */
        want = (2.9 + 0.0 + 12.9) / 3.0;
    } else {
        /* -ln p_correct for each example, with the natural log: 2.04, 0.079, 6.16. */
        want = lab02_expected_loss(W, X, lab02_table_y, 0.0, 0);
    }
    lab02_loss_hint(f, loss, want, 0.0, 3);
    if (f->svm && fabs(loss - 15.8) <= 1e-9)
        gt_hint("15.8 is the sum over the three examples: the loss is their mean, 15.8 / 3 = 5.27");
    gt_expect_near(f->svm ? "loss (the slides: 5.27 = 15.8 / 3)" : "loss (mean of -ln p: 2.04, 0.079, 6.16)", want,
                   loss, LAB02_LOSS_TOL);
    gt_hint(NULL);

    Mat *num = mat_new(3, 3);
    if (f->svm) {
        /* By hand: the cat image violates the car margin (+x on column car, -x on
         * column cat); the frog image violates cat and car (+x on each, -2x on
         * column frog); the car image violates nothing. x_i = e_i, then / 3. */
        const double g[9] = { -1, 1, 0, 0, 0, 0, 1, 1, -2 };
        for (int k = 0; k < 9; k++) num->data[k] = g[k] / 3.0;
    } else {
        Mat *Wn = mat_copy(W);
        Lab02Formula formula = { X, lab02_table_y, 0.0, 0 };
        gt_numeric_grad(lab02_formula_of_W, &formula, Wn, LAB02_H, num);
        mat_free(Wn);
    }
    Lab02GradHint hc = { f, W, X, dW, num, lab02_table_y, 0.0 };
    gt_expect_grad("dW", dW, num, LAB02_GRAD_TOL, lab02_grad_hint, &hc);
    gt_hint("W, X and y are inputs (const): never write into them, not even temporarily");
    gt_expect_unchanged("W", W, Wc);
    gt_expect_unchanged("X", X, Xc);
    gt_expect_ints("y (must not change)", lab02_table_y, yc, 3);
    gt_hint(NULL);
    mat_free(W);
    mat_free(X);
    mat_free(Wc);
    mat_free(Xc);
    mat_free(dW);
    mat_free(num);
}

static void test_svm_naive_lecture(void) { lab02_lecture(&lab02_svm_naive); }
static void test_svm_vec_lecture(void) { lab02_lecture(&lab02_svm_vec); }
static void test_softmax_naive_lecture(void) { lab02_lecture(&lab02_softmax_naive); }
static void test_softmax_vec_lecture(void) { lab02_lecture(&lab02_softmax_vec); }

/* ---- random problems: loss vs the formula, dW vs finite differences ---------------------- */

static void lab02_random(const Lab02Fn *f)
{
    static const int shapes[][3] = { { 5, 4, 3 }, { 8, 3, 10 }, { 1, 6, 2 }, { 12, 7, 5 }, { 3, 11, 4 } };  /* N, D, C */
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        Lab02Problem p;
        lab02_problem(&p, shapes[s][0], shapes[s][1], shapes[s][2], 0.5);
        double reg = s % 2 ? 0.37 : 0.0;
        lab02_check_problem(f, &p, reg, "random, away from kinks");
        lab02_problem_free(&p);
    }
}

static void test_svm_naive_random(void) { lab02_random(&lab02_svm_naive); }
static void test_svm_vec_random(void) { lab02_random(&lab02_svm_vec); }
static void test_softmax_naive_random(void) { lab02_random(&lab02_softmax_naive); }
static void test_softmax_vec_random(void) { lab02_random(&lab02_softmax_vec); }

/* ---- W = 0: the sanity check -------------------------------------------------------------- */

static void lab02_zero(const Lab02Fn *f)
{
    static const int classes[] = { 2, 3, 10 };
    for (size_t t = 0; t < sizeof classes / sizeof classes[0]; t++) {
        int N = 6, D = 4, C = classes[t];
        Mat *X = gt_randn(N, D, 1.0), *W = mat_new(D, C), *dW = mat_new(D, C);
        int *y = gt_labels(N, C);
        mat_fill(dW, LAB02_JUNK);
        gt_context("%s(W = 0 (%dx%d), X %s, y, reg = 0.5, dW): every score is 0", f->name, D, C, gt_shape(X));
        double loss = f->fn(W, X, y, 0.5, dW);
        double want = f->svm ? C - 1.0 : log((double)C);
        gt_hint(f->svm ? "with W = 0 every margin is 0 - 0 + 1 = 1, for each of the C - 1 wrong classes: the "
                         "loss is C - 1 (and reg * sum(W^2) = 0)"
                       : "with W = 0 every class gets probability 1/C, so the loss is -ln(1/C) = ln C (natural "
                         "log; reg * sum(W^2) = 0)");
        gt_expect_near(f->svm ? "loss (C - 1)" : "loss (ln C)", want, loss, 1e-12);
        gt_hint(NULL);
        /* The gradient too: at W = 0 no SVM margin is near its kink (all are 1). */
        Mat *num = mat_new(D, C), *Wn = mat_copy(W);
        Lab02Formula formula = { X, y, 0.5, f->svm };
        gt_numeric_grad(lab02_formula_of_W, &formula, Wn, LAB02_H, num);
        Lab02GradHint hc = { f, W, X, dW, num, y, 0.5 };
        gt_expect_grad("dW", dW, num, LAB02_GRAD_TOL, lab02_grad_hint, &hc);
        mat_free(X);
        mat_free(W);
        mat_free(dW);
        mat_free(num);
        mat_free(Wn);
        free(y);
    }
    if (!f->svm) {
        /* Equal scores that are not 0: every row of W constant, so every class
         * gets the same score x_i . w and the loss is ln C again. */
        int N = 5, D = 3, C = 7;
        Mat *X = gt_randn(N, D, 2.0), *W = mat_new(D, C);
        const double v[3] = { 1.5, -0.7, 2.25 };
        for (int d = 0; d < D; d++)
            for (int c = 0; c < C; c++) MAT_AT(W, d, c) = v[d];
        int *y = gt_labels(N, C);
        gt_context("%s(W (3x7) with constant rows, X %s, y, reg = 0, dW = NULL): all 7 scores of an example are "
                   "equal (and not 0)", f->name, gt_shape(X));
        double loss = f->fn(W, X, y, 0.0, NULL);
        gt_hint("equal scores give every class probability 1/C: the loss is ln C, whatever the common score");
        gt_expect_near("loss (ln 7)", log(7.0), loss, 1e-12);
        mat_free(X);
        mat_free(W);
        free(y);
    }
}

static void test_svm_naive_zero(void) { lab02_zero(&lab02_svm_naive); }
static void test_svm_vec_zero(void) { lab02_zero(&lab02_svm_vec); }
static void test_softmax_naive_zero(void) { lab02_zero(&lab02_softmax_naive); }
static void test_softmax_vec_zero(void) { lab02_zero(&lab02_softmax_vec); }

/* ---- the regularization term ------------------------------------------------------------ */

static void lab02_reg(const Lab02Fn *f)
{
    Lab02Problem p;
    lab02_problem(&p, 7, 5, 4, 0.8);
    const double reg = 0.7;
    Mat *dW0 = mat_new(p.D, p.C), *dW1 = mat_new(p.D, p.C);
    gt_context("%s(W %s, X %s, y, reg = 0 and then reg = %g, dW): the difference between the two calls", f->name,
               gt_shape(p.W), gt_shape(p.X), reg);
    double l0 = f->fn(p.W, p.X, p.y, 0.0, dW0);
    double l1 = f->fn(p.W, p.X, p.y, reg, dW1);
    double sq = lab02_sum_sq(p.W);
    gt_hint("the loss adds reg * sum of W[d][c]^2 (sum of squares, not of |W|, and not times 2)");
    gt_expect_near("loss(reg) - loss(0) = reg * sum(W^2)", reg * sq, l1 - l0, 1e-9);
    Mat *want = mat_new(p.D, p.C), *diff = mat_new(p.D, p.C);
    for (size_t k = 0; k < (size_t)p.D * p.C; k++) {
        want->data[k] = 2.0 * reg * p.W->data[k];
        diff->data[k] = dW1->data[k] - dW0->data[k];
    }
    gt_hint("the gradient of reg * sum(W^2) is 2 * reg * W: dW(reg) - dW(0) must be exactly that");
    gt_expect_mat("dW(reg) - dW(0)", want, diff, 1e-9);
    mat_free(dW0);
    mat_free(dW1);
    mat_free(want);
    mat_free(diff);
    lab02_problem_free(&p);
}

static void test_svm_naive_reg(void) { lab02_reg(&lab02_svm_naive); }
static void test_svm_vec_reg(void) { lab02_reg(&lab02_svm_vec); }
static void test_softmax_naive_reg(void) { lab02_reg(&lab02_softmax_naive); }
static void test_softmax_vec_reg(void) { lab02_reg(&lab02_softmax_vec); }

/* ---- dW = NULL, and the inputs left alone ---------------------------------------------------- */

static void lab02_null(const Lab02Fn *f)
{
    Lab02Problem p;
    lab02_problem(&p, 9, 6, 5, 0.5);
    Mat *Wc = mat_copy(p.W), *Xc = mat_copy(p.X), *dW = mat_new(p.D, p.C);
    int *yc = malloc((size_t)p.N * sizeof *yc);
    memcpy(yc, p.y, (size_t)p.N * sizeof *yc);
    gt_context("%s(W %s, X %s, y, reg = 0.25, dW = NULL): the loss only", f->name, gt_shape(p.W), gt_shape(p.X));
    gt_hint("dW = NULL means: compute the loss only. Guard every use of dW (also a mat_gemm into it)");
    double l_null = f->fn(Wc, Xc, yc, 0.25, NULL);
    gt_context("%s(W %s, X %s, y, reg = 0.25, dW %s), after the call with dW = NULL", f->name, gt_shape(p.W),
               gt_shape(p.X), gt_shape(dW));
    double l_grad = f->fn(Wc, Xc, yc, 0.25, dW);
    gt_hint("the loss must not depend on whether dW is NULL");
    gt_expect_near("loss with dW = NULL", l_grad, l_null, 1e-12);
    gt_hint("W, X and y are inputs (const): never write into them, not even temporarily (no casting the const "
            "away to scale or reuse X)");
    gt_expect_unchanged("W", p.W, Wc);
    gt_expect_unchanged("X", p.X, Xc);
    gt_expect_ints("y (must not change)", p.y, yc, p.N);
    gt_hint(NULL);
    gt_expect_near("loss", lab02_expected_loss(p.W, p.X, p.y, 0.25, f->svm), l_null, LAB02_LOSS_TOL);
    mat_free(Wc);
    mat_free(Xc);
    mat_free(dW);
    free(yc);
    lab02_problem_free(&p);
}

static void test_svm_naive_null(void) { lab02_null(&lab02_svm_naive); }
static void test_svm_vec_null(void) { lab02_null(&lab02_svm_vec); }
static void test_softmax_naive_null(void) { lab02_null(&lab02_softmax_naive); }
static void test_softmax_vec_null(void) { lab02_null(&lab02_softmax_vec); }

/* ---- softmax: scores offset by +-1000 ------------------------------------------------------------ */

static void lab02_stable(const Lab02Fn *f)
{
    Lab02Problem p;
    lab02_problem(&p, 8, 5, 6, 1.0);
    Mat *dW = mat_new(p.D, p.C), *dWo = mat_new(p.D, p.C), *Wo = mat_copy(p.W);
    double base = lab02_expected_loss(p.W, p.X, p.y, 0.0, 0);
    const double offsets[2] = { 1000.0, -1000.0 };
    for (int t = 0; t < 2; t++) {
        /* X's last column is all ones, so adding o to W's last row adds o to every score. */
        mat_copy_into(Wo, p.W);
        for (int c = 0; c < p.C; c++) MAT_AT(Wo, p.D - 1, c) += offsets[t];
        gt_context("%s(W %s with %+g added to the bias row, so every score is offset by %+g, X %s, y, reg = 0, "
                   "dW)", f->name, gt_shape(p.W), offsets[t], offsets[t], gt_shape(p.X));
        double lo = f->fn(Wo, p.X, p.y, 0.0, dWo);
        gt_hint("e^1000 is Inf and e^-1000 is 0 in double precision: subtract each row's maximum score before "
                "exponentiating. The probabilities do not change (the shift cancels), so neither may the loss");
        gt_expect_near("loss with offset scores (the loss without the offset)", base, lo, 1e-9);
        gt_expect_finite("dW", dWo);
        double l = f->fn(p.W, p.X, p.y, 0.0, dW);
        (void)l;
        gt_hint("the softmax probabilities ignore a common offset, and so does the gradient (reg = 0 here)");
        gt_expect_mat("dW with offset scores (dW without the offset)", dW, dWo, 1e-8);
    }
    mat_free(dW);
    mat_free(dWo);
    mat_free(Wo);
    lab02_problem_free(&p);

    /* The correct class hopelessly behind: class 3, which no example has, scores
     * 800 above the others (X's last column is all ones: the bias trick). */
    enum { N = 6, D = 4, C = 4 };
    Mat *X = gt_randn(N, D, 1.0), *W = gt_randn(D, C, 0.3), *dWf = mat_new(D, C);
    int y[N];
    for (int i = 0; i < N; i++) {
        MAT_AT(X, i, D - 1) = 1.0;
        y[i] = i % 3;
    }
    MAT_AT(W, D - 1, C - 1) += 800.0;
    double want = lab02_expected_loss(W, X, y, 0.0, 0);
    mat_fill(dWf, LAB02_JUNK);
    gt_context("%s(W (4x4) where class 3 scores about 800 above the others, X (6x4), y in {0, 1, 2}, reg = 0, dW): "
               "every example's correct class is about 800 behind", f->name);
    double lf = f->fn(W, X, y, 0.0, dWf);
    gt_hint("with the correct class 800 behind, p_y = e^(s_y - m) / sum underflows to 0 and -log(0) is Inf (so is "
            "log(sum) - log(e^(s_y - m))): compute L_i = ln(sum_j e^(s_j - m)) - (s_y - m), never the log of a "
            "probability or of e^(s_y - m)");
    gt_expect_near("loss (about 800)", want, lf, 1e-9);
    gt_expect_finite("dW", dWf);
    gt_hint(NULL);
    mat_free(X);
    mat_free(W);
    mat_free(dWf);
}

static void test_softmax_naive_stable(void) { lab02_stable(&lab02_softmax_naive); }
static void test_softmax_vec_stable(void) { lab02_stable(&lab02_softmax_vec); }

/* ---- vectorized == naive ------------------------------------------------------------------------- */

typedef struct {
    const Lab02Fn *f;
    const Lab02Problem *p;
    double reg;
    Mat *dW;
    double loss;
} Lab02NaiveRun;

static void lab02_run_naive(void *arg)
{
    Lab02NaiveRun *r = arg;
    r->loss = r->f->fn(r->p->W, r->p->X, r->p->y, r->reg, r->dW);
}

/* True when the naive version's loss matches the formula and its dW matches
 * the finite differences: only then is it a fair yardstick for 1e-10. */
static int lab02_naive_is_right(const Lab02NaiveRun *r, const Mat *num, double want)
{
    if (!gt_close(want, r->loss, LAB02_LOSS_TOL)) return 0;
    for (size_t k = 0; k < (size_t)num->rows * num->cols; k++) {
        double a = r->dW->data[k], n = num->data[k];
        if (!(fabs(a - n) <= LAB02_GRAD_TOL * (fabs(a) + fabs(n)) + 1e-9)) return 0;
    }
    return 1;
}

static void lab02_agree(const Lab02Fn *vec, const Lab02Fn *naive)
{
    static const int shapes[][3] = { { 1, 3, 2 }, { 9, 6, 10 }, { 16, 5, 4 } };   /* N, D, C */
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        Lab02Problem p;
        lab02_problem(&p, shapes[s][0], shapes[s][1], shapes[s][2], 0.5);
        double reg = s == 1 ? 0.2 : 0.0;
        Mat *dW = mat_new(p.D, p.C);
        mat_fill(dW, LAB02_JUNK);
        gt_context("%s(W %s, X %s, y, reg = %g, dW), compared with %s on the same inputs", vec->name,
                   gt_shape(p.W), gt_shape(p.X), reg, naive->name);
        double loss = vec->fn(p.W, p.X, p.y, reg, dW);

        double want = lab02_expected_loss(p.W, p.X, p.y, reg, vec->svm);
        Mat *num = mat_new(p.D, p.C), *Wn = mat_copy(p.W);
        Lab02Formula formula = { p.X, p.y, reg, vec->svm };
        gt_numeric_grad(lab02_formula_of_W, &formula, Wn, LAB02_H, num);

        Lab02NaiveRun run = { naive, &p, reg, mat_new(p.D, p.C), 0.0 };
        int naive_ok = lab_attempt(lab02_run_naive, &run) && lab02_naive_is_right(&run, num, want);
        if (naive_ok) {
            gt_hint("the vectorized version must compute the same numbers as your (correct) %s, up to "
                    "rounding: 1e-10", naive->name);
            gt_expect_near("loss (vs the naive version's)", run.loss, loss, LAB02_LOSS_TOL);
            gt_expect_mat("dW (vs the naive version's)", run.dW, dW, 1e-10);
        } else {
            /* The naive version is missing or wrong: judge by the formula alone. */
            lab02_loss_hint(vec, loss, want, reg * lab02_sum_sq(p.W), p.N);
            gt_expect_near("loss", want, loss, LAB02_LOSS_TOL);
            Lab02GradHint hc = { vec, p.W, p.X, dW, num, p.y, reg };
            gt_expect_grad("dW", dW, num, LAB02_GRAD_TOL, lab02_grad_hint, &hc);
        }
        gt_hint(NULL);
        mat_free(dW);
        mat_free(num);
        mat_free(Wn);
        mat_free(run.dW);
        lab02_problem_free(&p);
    }
}

static void test_svm_vec_agree(void) { lab02_agree(&lab02_svm_vec, &lab02_svm_naive); }
static void test_softmax_vec_agree(void) { lab02_agree(&lab02_softmax_vec, &lab02_softmax_naive); }

/* ---- vectorized means a few products, however many examples ----------------------- */

/* The right loss for N = 6 and for N = 48, then how mat_gemm was used: as many
 * products for both (a loop over examples makes more for more rows, the naive
 * version none), the largest covering S = X W whole, (N x D)(D x C). */
static void lab02_products(const Lab02Fn *vec)
{
    enum { D = 5, C = 4 };
    static const int Ns[2] = { 6, 48 };
    MatGemmStats g[2];
    for (int t = 0; t < 2; t++) {
        Lab02Problem p;
        lab02_problem(&p, Ns[t], D, C, 0.5);
        Mat *dW = mat_new(D, C);
        mat_fill(dW, LAB02_JUNK);
        gt_context("%s(W %s, X %s, y, reg = 0.1, dW)", vec->name, gt_shape(p.W), gt_shape(p.X));
        double loss = vec->fn(p.W, p.X, p.y, 0.1, dW);
        g[t] = gt_last_gemm();
        double want = lab02_expected_loss(p.W, p.X, p.y, 0.1, vec->svm);
        lab02_loss_hint(vec, loss, want, 0.1 * lab02_sum_sq(p.W), p.N);
        gt_expect_near("loss", want, loss, LAB02_LOSS_TOL);
        gt_hint(NULL);
        mat_free(dW);
        lab02_problem_free(&p);
    }
    gt_hint("the vectorized loss is S = X W (one mat_gemm), one pass over the N x C scores, then dW = (1/N) X^T G "
            "(one more mat_gemm): loops over the N x C entries are fine, a loop over the examples that calls "
            "mat_gemm or the naive version is not");
    GT_CHECK(g[0].calls > 0, "%s made no call to mat_gemm: its scores S = X W come from one matrix product",
             vec->name);
    GT_CHECK(g[1].calls == g[0].calls,
             "%s made %ld mat_gemm products for N = %d and %ld for N = %d: vectorized, their number does not "
             "grow with N (is there a loop over the examples?)", vec->name, g[0].calls, Ns[0], g[1].calls, Ns[1]);
    GT_CHECK(g[1].largest >= (double)Ns[1] * D * C,
             "%s's largest mat_gemm product was %g multiply-adds for N = %d; S = X W alone is %d x %d x %d = %d: "
             "are the scores computed a row at a time?", vec->name, g[1].largest, Ns[1], Ns[1], D, C, Ns[1] * D * C);
}

static void test_svm_vec_products(void) { lab02_products(&lab02_svm_vec); }
static void test_softmax_vec_products(void) { lab02_products(&lab02_softmax_vec); }

GT_SUITE(gt_suite_02_public, "02", GT_PUBLIC,
    { "02 svm_loss_naive: the lecture's table gives 5.27 (15.8 / 3), dW by hand", 0.75, 5, test_svm_naive_lecture },
    { "02 svm_loss_vectorized: the lecture's table gives 5.27 (15.8 / 3), dW by hand", 0.75, 5, test_svm_vec_lecture },
    { "02 softmax_loss_naive: the lecture's table with the natural log", 0.75, 5, test_softmax_naive_lecture },
    { "02 softmax_loss_vectorized: the lecture's table with the natural log", 0.75, 5, test_softmax_vec_lecture },
    { "02 svm_loss_naive: random shapes, loss and dW vs finite differences", 1.0, 5, test_svm_naive_random },
    { "02 svm_loss_vectorized: random shapes, loss and dW vs finite differences", 0.75, 5, test_svm_vec_random },
    { "02 softmax_loss_naive: random shapes, loss and dW vs finite differences", 1.0, 5, test_softmax_naive_random },
    { "02 softmax_loss_vectorized: random shapes, loss and dW vs finite differences", 0.75, 5,
      test_softmax_vec_random },
    { "02 svm_loss_naive: W = 0 gives C - 1", 0.25, 5, test_svm_naive_zero },
    { "02 svm_loss_vectorized: W = 0 gives C - 1", 0.25, 5, test_svm_vec_zero },
    { "02 softmax_loss_naive: W = 0 and equal scores give ln C", 0.25, 5, test_softmax_naive_zero },
    { "02 softmax_loss_vectorized: W = 0 and equal scores give ln C", 0.25, 5, test_softmax_vec_zero },
    { "02 svm_loss_naive: reg adds reg * sum(W^2) and 2 * reg * W", 0.25, 5, test_svm_naive_reg },
    { "02 svm_loss_vectorized: reg adds reg * sum(W^2) and 2 * reg * W", 0.25, 5, test_svm_vec_reg },
    { "02 softmax_loss_naive: reg adds reg * sum(W^2) and 2 * reg * W", 0.25, 5, test_softmax_naive_reg },
    { "02 softmax_loss_vectorized: reg adds reg * sum(W^2) and 2 * reg * W", 0.25, 5, test_softmax_vec_reg },
    { "02 svm_loss_naive: dW = NULL works; W, X, y unchanged", 0.25, 5, test_svm_naive_null },
    { "02 svm_loss_vectorized: dW = NULL works; W, X, y unchanged", 0.25, 5, test_svm_vec_null },
    { "02 softmax_loss_naive: dW = NULL works; W, X, y unchanged", 0.25, 5, test_softmax_naive_null },
    { "02 softmax_loss_vectorized: dW = NULL works; W, X, y unchanged", 0.25, 5, test_softmax_vec_null },
    { "02 softmax_loss_naive: scores offset by +-1000, the right class 800 behind: finite loss", 0.5, 5,
      test_softmax_naive_stable },
    { "02 softmax_loss_vectorized: scores offset by +-1000, the right class 800 behind: finite loss", 0.5, 5,
      test_softmax_vec_stable },
    { "02 svm_loss_vectorized: same loss and dW as svm_loss_naive (1e-10)", 0.25, 5, test_svm_vec_agree },
    { "02 softmax_loss_vectorized: same loss and dW as softmax_loss_naive (1e-10)", 0.25, 5, test_softmax_vec_agree },
    { "02 svm_loss_vectorized: as many mat_gemm products for N = 48 as for N = 6 (no loop over examples)", 0.5, 5,
      test_svm_vec_products },
    { "02 softmax_loss_vectorized: as many mat_gemm products for N = 48 as for N = 6 (no loop over examples)", 0.5,
      5, test_softmax_vec_products });
