/*
 * experiment.c - lab 02's experiment: the SVM and softmax losses on Fashion-MNIST.
 *
 *   make run LAB=02                 on your loss.c (the full training set: seconds)
 *   make run LAB=02 ARGS=--quick    small sizes
 *   make run LAB=02 SOLUTIONS=1     on the reference solution
 *
 * For each loss, SVM first and then softmax (so a finished SVM shows its
 * results before the softmax is written):
 *   1. the lecture's table of 3 examples x 3 classes, through your functions,
 *      drawn as figures: the scores (loss_table_scores.png), each wrong class's
 *      SVM margin term (loss_table_svm.png) and the softmax probabilities
 *      (loss_table_softmax.png), the last two computed by your naive functions;
 *   2. the sanity check at a small random W: about C - 1 = 9 (SVM) and
 *      ln 10 = 2.303 (softmax) with 10 classes;
 *   3. naive against vectorized: the same loss and gradient, and the speedup.
 * Then, once lab 03 is written, a gradient check of all four functions with
 * your own grad_check_sparse (skipped with a note while lab 03 is a TODO).
 */
#include "dataset.h"
#include "expt.h"
#include "gradcheck.h"
#include "lab.h"
#include "loss.h"
#include "plot.h"
#include "rng.h"
#include "timer.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const char *exp_about =
    "lab 02: the multiclass SVM and softmax losses (the lecture's table, sanity checks, "
    "naive vs vectorized, a gradient check with lab 03)";

static const ExptOpt exp_opts[] = {
    { EXPT_OPT_DATA, "fashion", NULL },
    { EXPT_OPT_TRAIN_SIZE, "all; 2000 with --quick", "training images the losses are computed on" },
    { 0 },
};

typedef double (*ExpLossFn)(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW);

typedef struct {
    const char *name;          /* "SVM" or "softmax" */
    ExpLossFn naive, vectorized;
    const char *naive_name, *vectorized_name;
} ExpLoss;

static const ExpLoss exp_svm = { "SVM", svm_loss_naive, svm_loss_vectorized, "svm_loss_naive",
                                 "svm_loss_vectorized" };
static const ExpLoss exp_softmax = { "softmax", softmax_loss_naive, softmax_loss_vectorized, "softmax_loss_naive",
                                     "softmax_loss_vectorized" };

/* Sizes; --quick shrinks them. */
typedef struct {
    int rows;         /* training rows preprocessed (0 = all 60,000) */
    int compare;      /* rows for naive vs vectorized */
    int check_rows;   /* rows for the gradient check */
} ExpSizes;

static int exp_min(int a, int b) { return a < b ? a : b; }

/* ---- 1. the lecture's table ----------------------------------------------------- */

/* Scores of 3 examples (rows: cat, car, frog images) for 3 classes (columns:
 * cat, car, frog). With X = the 3x3 identity, the scores X W are W itself. */
static const double exp_table[9] = { 3.2, 5.1, -1.7,
                                     1.3, 4.9, 2.0,
                                     2.2, 2.5, -3.1 };
static const int exp_table_y[3] = { 0, 1, 2 };
static const char *const exp_table_names[3] = { "1 (cat)", "2 (car)", "3 (frog)" };
/* Per-example losses worked out by hand: SVM from the slides; softmax with the
 * natural log (the slides' 0.89 for example 1 is log base 10). */
static const double exp_table_svm[3] = { 2.9, 0.0, 12.9 };
static const double exp_table_softmax[3] = { 2.0404, 0.0791, 6.1565 };

/* "" when both versions match the hand-worked value to the 4 decimals shown,
 * else a pointer at the row. */
static const char *exp_mark(double naive, double vectorized, double want)
{
    return fabs(naive - want) <= 1e-4 && fabs(vectorized - want) <= 1e-4 ? "" : "  <- wrong";
}

static void exp_lecture_table(const ExpLoss *L, const double *want, double want_mean)
{
    printf("  the lecture's table: X = I (3x3), so the scores X W are W itself\n");
    printf("    %-10s %12s %12s %10s\n", "example", "naive", "vectorized", "expected");
    Mat *W = mat_from(3, 3, exp_table);
    for (int i = 0; i < 3; i++) {
        /* One example at a time: X is a (1, 3) one-hot row picking row i of W. */
        Mat *X = mat_new(1, 3);
        MAT_AT(X, 0, i) = 1.0;
        double ln = L->naive(W, X, &exp_table_y[i], 0.0, NULL);
        double lv = L->vectorized(W, X, &exp_table_y[i], 0.0, NULL);
        printf("    %-10s %12.4f %12.4f %10.4f%s\n", exp_table_names[i], ln, lv, want[i],
               exp_mark(ln, lv, want[i]));
        mat_free(X);
    }
    Mat *X = mat_new(3, 3);
    for (int i = 0; i < 3; i++) MAT_AT(X, i, i) = 1.0;
    double ln = L->naive(W, X, exp_table_y, 0.0, NULL);
    double lv = L->vectorized(W, X, exp_table_y, 0.0, NULL);
    printf("    %-10s %12.4f %12.4f %10.4f%s\n", "mean", ln, lv, want_mean, exp_mark(ln, lv, want_mean));
    mat_free(X);
    mat_free(W);
}

/* The table as figures. Groups along x are the three images, bars the three
 * classes (one colour per class in all three figures). */
static const char *const exp_class_names[3] = { "cat", "car", "frog" };
static const int exp_class_colors[3] = { 1, 2, 3 };   /* blue, vermillion, green */

/* Score of image i (row of the table) for class c. */
static double exp_score(int i, int c) { return exp_table[i * 3 + c]; }

/* The scores, with the SVM's threshold for each image: a wrong class whose bar
 * rises above the dashed line (the correct score minus the margin 1) adds the
 * part above the line to the SVM loss. */
static void exp_figure_scores(const ExptArgs *a)
{
    const char *groups[3] = { "image 1: a cat", "image 2: a car", "image 3: a frog" };
    bool correct[9] = { false };
    PlotLine lines[3];
    for (int i = 0; i < 3; i++) {
        correct[i * 3 + exp_table_y[i]] = true;
        double t = exp_score(i, exp_table_y[i]) - 1.0;
        lines[i] = (PlotLine){ .x0 = i - 0.45, .x1 = i + 0.45, .y0 = t, .y1 = t, .color = 7,
                               .label = "s_y - 1" };
    }
    PlotBarOpts b = { .group_names = groups, .series_names = exp_class_names, .colors = exp_class_colors,
                      .outline = correct, .outline_label = "correct class", .value_format = "%.1f" };
    PlotOpts o = { .title = "the lecture's table: scores of three images; dashed: the correct class's score - 1",
                   .ylabel = "score s_j of class j",
                   .ymin = -5.0, .ymax = 6.5, .lines = lines, .nlines = 3, .width = 900, .height = 600 };
    const char *png = expt_path(a, "loss_table_scores.png");
    expt_figure(plot_bars(png, &o, exp_table, 3, 3, &b), png,
                "the lecture's three images: each class's score, correct class outlined, dashed: correct score - 1");
}

/* Each wrong class's SVM term max(0, s_j - s_y + 1), from your svm_loss_naive:
 * on the two columns {y_i, j} of W alone the loss of image i is exactly that term. */
static void exp_figure_svm(const ExptArgs *a)
{
    double terms[9], loss[3];
    char group[3][64];
    const char *groups[3];
    Mat *W = mat_from(3, 3, exp_table), *W2 = mat_new(3, 2), *X = mat_new(1, 3);
    const int first = 0;
    double mean = 0;
    for (int i = 0; i < 3; i++) {
        mat_fill(X, 0.0);
        MAT_AT(X, 0, i) = 1.0;
        int y = exp_table_y[i];
        loss[i] = svm_loss_naive(W, X, &y, 0.0, NULL);
        mean += loss[i] / 3;
        for (int j = 0; j < 3; j++) {
            if (j == y) {
                terms[i * 3 + j] = NAN;   /* no term for the correct class */
                continue;
            }
            for (int r = 0; r < 3; r++) {
                MAT_AT(W2, r, 0) = MAT_AT(W, r, y);
                MAT_AT(W2, r, 1) = MAT_AT(W, r, j);
            }
            terms[i * 3 + j] = svm_loss_naive(W2, X, &first, 0.0, NULL);
        }
        snprintf(group[i], sizeof group[i], "image %d: a %s\nL_%d = %.2f", i + 1, exp_class_names[y], i + 1, loss[i]);
        groups[i] = group[i];
    }
    char title[160];
    snprintf(title, sizeof title, "multiclass SVM: each wrong class j adds max(0, s_j - s_y + 1); mean L = %.2f", mean);
    PlotBarOpts b = { .group_names = groups, .series_names = exp_class_names, .colors = exp_class_colors,
                      .value_format = "%.1f", .gap_label = "correct" };
    PlotOpts o = { .title = title, .ylabel = "SVM loss term of class j (svm_loss_naive)" };
    const char *png = expt_path(a, "loss_table_svm.png");
    expt_figure(plot_bars(png, &o, terms, 3, 3, &b), png,
                "the lecture's three images: the SVM loss term of each wrong class, from your svm_loss_naive");
    mat_free(W);
    mat_free(W2);
    mat_free(X);
}

/* The softmax probabilities, from your softmax_loss_naive: the loss of image i
 * with label c is -ln p_c, so p_c = exp(-loss). */
static void exp_figure_softmax(const ExptArgs *a)
{
    double p[9];
    bool correct[9] = { false };
    char group[3][80];
    const char *groups[3];
    Mat *W = mat_from(3, 3, exp_table), *X = mat_new(1, 3);
    double mean = 0;
    for (int i = 0; i < 3; i++) {
        mat_fill(X, 0.0);
        MAT_AT(X, 0, i) = 1.0;
        double loss_of[3];   /* the loss of image i if its label were c */
        for (int c = 0; c < 3; c++) {
            loss_of[c] = softmax_loss_naive(W, X, &c, 0.0, NULL);
            p[i * 3 + c] = exp(-loss_of[c]);
        }
        int y = exp_table_y[i];
        correct[i * 3 + y] = true;
        double L = loss_of[y];
        mean += L / 3;
        snprintf(group[i], sizeof group[i], "image %d: a %s\nL_%d = -ln %.3g = %.2f", i + 1, exp_class_names[y],
                 i + 1, p[i * 3 + y], L);
        groups[i] = group[i];
    }
    char title[160];
    snprintf(title, sizeof title, "softmax: probabilities p_j = e^s_j / sum_k e^s_k; mean L = %.2f (natural log)",
             mean);
    PlotBarOpts b = { .group_names = groups, .series_names = exp_class_names, .colors = exp_class_colors,
                      .outline = correct, .outline_label = "correct class", .value_format = "%.3f" };
    PlotOpts o = { .title = title, .ylabel = "probability p_j (softmax_loss_naive)" };
    const char *png = expt_path(a, "loss_table_softmax.png");
    expt_figure(plot_bars(png, &o, p, 3, 3, &b), png,
                "the lecture's three images: softmax probabilities from your softmax_loss_naive, correct class outlined");
    mat_free(W);
    mat_free(X);
}

/* ---- 2 and 3. sanity, agreement, timing -------------------------------------------- */

/* Runs fn on (W, X, y) with a gradient, `reps` times; returns the fastest time. */
static double exp_time(ExpLossFn fn, const Mat *W, const Mat *X, const int *y, double reg, Mat *dW, int reps,
                       double *loss)
{
    double best = INFINITY;
    for (int r = 0; r < reps; r++) {
        double t0 = timer_now();
        *loss = fn(W, X, y, reg, dW);
        double t = timer_now() - t0;
        if (t < best) best = t;
    }
    return best;
}

/* max |a - b| / max |a|: the gradient disagreement relative to its size. */
static double exp_grad_diff(const Mat *a, const Mat *b)
{
    double scale = 0.0;
    for (size_t k = 0; k < (size_t)a->rows * (size_t)a->cols; k++)
        if (fabs(a->data[k]) > scale) scale = fabs(a->data[k]);
    return mat_max_abs_diff(a, b) / (scale > 0.0 ? scale : 1.0);
}

/* Naive against vectorized on the first n rows: loss, gradient, time. */
static void exp_compare(const ExpLoss *L, const Mat *W, const Dataset *d, int n, int reps)
{
    Mat X = mat_rows_view(d->X, 0, n);
    Mat *dWn = mat_new(W->rows, W->cols), *dWv = mat_new(W->rows, W->cols);
    double ln, lv;
    double tn = exp_time(L->naive, W, &X, d->y, 0.0, dWn, reps, &ln);
    double tv = exp_time(L->vectorized, W, &X, d->y, 0.0, dWv, reps, &lv);
    double loss_rel = fabs(ln - lv) / fmax(fabs(ln), 1e-300);
    double grad_rel = exp_grad_diff(dWn, dWv);
    printf("    %7d rows: naive %8.4f s, vectorized %8.4f s, speedup %6.1fx;  loss differs by %.1e, dW by "
           "%.1e (relative) %s\n",
           n, tn, tv, tn / tv, loss_rel, grad_rel,
           loss_rel <= 1e-10 && grad_rel <= 1e-10 ? "ok" : "<- should be below 1e-10: check your code");
    mat_free(dWn);
    mat_free(dWv);
}

static void exp_loss_part(const ExptArgs *a, const ExpLoss *L, const Mat *W, const Dataset *train, const ExpSizes *sz)
{
    char title[120];
    snprintf(title, sizeof title, "%s loss (%s, %s)", L->name, L->naive_name, L->vectorized_name);
    expt_section(title);

    bool svm = L == &exp_svm;
    if (svm) exp_figure_scores(a);   /* needs none of your functions */
    exp_lecture_table(L, svm ? exp_table_svm : exp_table_softmax, svm ? 15.8 / 3 : 2.7587);
    if (svm)
        printf("  the slides: 2.9, 0 and 12.9, mean 15.8 / 3 = 5.27\n");
    else
        printf("  the slides write 0.89 for example 1: that is log base 10 (2.040 / ln 10 = 0.886); use ln\n");
    if (svm)
        exp_figure_svm(a);
    else
        exp_figure_softmax(a);

    /* The sanity check: tiny weights give scores of about 0 for every class. */
    int C = W->cols, n = exp_min(sz->compare, dataset_size(train));
    Mat X = mat_rows_view(train->X, 0, n);
    double ln = L->naive(W, &X, train->y, 0.0, NULL);
    double lv = L->vectorized(W, &X, train->y, 0.0, NULL);
    double expect = svm ? C - 1.0 : log((double)C);
    /* Scores of about 0.001 move these by far less than 1%: anything further off is a bug. */
    bool near = fabs(ln - expect) <= 0.01 * expect && fabs(lv - expect) <= 0.01 * expect;
    printf("  at W = 0.0001 * N(0, 1), reg = 0, %d training images: naive %.4f, vectorized %.4f; expected about "
           "%s = %.4f%s\n", n, ln, lv, svm ? "C - 1" : "ln C", expect, near ? "" : "  <- far off: check your code");

    printf("  naive against vectorized (loss and gradient, reg = 0):\n");
    exp_compare(L, W, train, n, 3);
    if (!a->quick) exp_compare(L, W, train, dataset_size(train), 2);
}

/* ---- 4. a gradient check with lab 03 ------------------------------------------------- */

typedef struct {
    ExpLossFn fn;
    const Mat *X;
    const int *y;
    double reg;
} ExpLossCtx;

/* The loss as a function of W alone, for lab 03's tools. */
static double exp_loss_of_W(const Mat *W, void *ctx)
{
    const ExpLossCtx *c = ctx;
    return c->fn(W, c->X, c->y, c->reg, NULL);
}

typedef struct {
    Mat *W;
    const Mat *X;
    const int *y;
    uint64_t seed;
    Mat *dW;   /* scratch, W's shape: owned by the caller so that nothing leaks on a TODO */
} ExpCheckJob;

/* The smallest |analytic[k]| over the entries grad_check_sparse was asked to
 * check: the same draws, replayed from the same seed (one rng_int over all
 * entries per check, as gradcheck.h says). */
static double exp_smallest_checked(const Mat *analytic, uint64_t seed, int num_checks)
{
    Rng replay;
    rng_seed(&replay, seed);
    double smallest = INFINITY;
    for (int t = 0; t < num_checks; t++)
        smallest = fmin(smallest, fabs(analytic->data[rng_int(&replay, analytic->rows * analytic->cols)]));
    return smallest;
}

/* Runs inside lab_attempt(): a LAB_TODO() in lab 03 jumps out of it. */
static void exp_gradient_check(void *arg)
{
    ExpCheckJob *job = arg;
    const ExpLoss *losses[2] = { &exp_svm, &exp_softmax };
    const double regs[2] = { 0.0, 1e3 };
    const int num_checks = 10;
    const double h = 1e-5;
    Mat *dW = job->dW;
    int roundoff = 0, rows = 0;
    for (int l = 0; l < 2; l++)
        for (int v = 0; v < 2; v++)
            for (int r = 0; r < 2; r++) {
                ExpLossFn fn = v == 0 ? losses[l]->naive : losses[l]->vectorized;
                const char *name = v == 0 ? losses[l]->naive_name : losses[l]->vectorized_name;
                ExpLossCtx ctx = { fn, job->X, job->y, regs[r] };
                double loss = fn(job->W, job->X, job->y, regs[r], dW);
                Rng rng;
                uint64_t seed = job->seed + (uint64_t)r;   /* the same entries for the four functions */
                rng_seed(&rng, seed);
                double err = grad_check_sparse(exp_loss_of_W, &ctx, job->W, dW, num_checks, h, &rng);
                /* What round-off alone can do to the relative error. The loss is
                 * only known to about eps * |loss|; the centered difference divides
                 * that by h, and rel_error then divides it by |a| + |n|, about twice
                 * the entry (with its floor of 1e-8). So on the smallest entry
                 * checked, a right gradient can show a relative error of about
                 * eps |loss| / (2 h |dW|), and on Fashion-MNIST some entries are
                 * tiny: pixels near the border are almost constant, so after the
                 * mean is subtracted they are almost 0 and so is their gradient. */
                double smallest = exp_smallest_checked(dW, seed, num_checks);
                double level = DBL_EPSILON * fabs(loss) / h / fmax(1e-8, 2.0 * smallest);
                /* The header waits for the first result, so that a lab 03 still
                 * at TODO leaves no empty table behind. */
                if (rows++ == 0) {
                    printf("  %d random entries of dW each, centered differences with h = %g, on %d images\n",
                           num_checks, h, job->X->rows);
                    printf("    %-24s %6s %17s %15s\n", "function", "reg", "largest rel error",
                           "round-off level");
                }
                /* Away from kinks a right gradient agrees to well under 1e-7. Above
                 * that, an error within 10x of the round-off level is the finite
                 * difference's fault, not the gradient's. The floor keeps that level
                 * below about 0.02, and the cap at 0.1 means an error like 0.4 or 1
                 * (what real bugs give) is never excused. */
                const char *verdict = "ok";
                if (!(err < 1e-7)) {
                    if (err < 0.1 && err <= 10.0 * level) {
                        verdict = "ok: round-off (*)";
                        roundoff = 1;
                    } else {
                        verdict = "<- WRONG: look at your gradient";
                    }
                }
                printf("    %-24s %6g %17.2e %15.1e  %s\n", name, regs[r], err, level, verdict);
            }
    if (roundoff)
        printf("  (*) not a bug: the round-off level is eps * |loss| / (2 h |dW|) for the smallest entry\n"
               "      checked. Some entries of dW are tiny (border pixels are almost constant), and on those\n"
               "      the finite difference itself is only that accurate. With reg > 0 every entry is\n"
               "      larger, and the same functions agree to under 1e-7. Handout, section 8.\n");
}

int main(int argc, char **argv)
{
    ExptArgs a;
    expt_args(argc, argv, exp_about, exp_opts, &a);
    ImageData data;
    expt_load(&a, &data);
    Rng rng;
    rng_seed(&rng, a.seed);

    ExpSizes sz = { 0, 5000, 500 };
    if (a.quick) sz = (ExpSizes){ 2000, 500, 200 };
    if (a.train_size > 0) sz.rows = expt_clamp("--train-size", a.train_size, dataset_size(&data.train));
    int rows = sz.rows > 0 && sz.rows < dataset_size(&data.train) ? sz.rows : dataset_size(&data.train);
    expt_values("%d training images", rows);

    double t = timer_now();
    /* The training images the lecture's way: subtract the mean image (computed
     * on these training rows), then append the bias column of ones. */
    Dataset train = { 0 };
    dataset_subsample(&data.train, rows, &rng, &train);   /* shuffled */
    int C = data.num_classes;
    dataset_named_free(&data);
    Mat *mean = dataset_mean_image(train.X);
    dataset_subtract_mean(train.X, mean);
    Mat *Xb = dataset_append_bias(train.X);
    mat_free(train.X);
    train.X = Xb;
    mat_free(mean);
    int D = train.X->cols;
    printf("data: %d training images, mean image subtracted, bias column appended: X is (%d x %d), W is "
           "(%d x %d)\n", dataset_size(&train), dataset_size(&train), D, D, C);

    /* Small random weights: every score is close to 0. */
    Mat *W = mat_new(D, C);
    mat_fill_randn(W, 0.0001, &rng);

    exp_loss_part(&a, &exp_svm, W, &train, &sz);
    exp_loss_part(&a, &exp_softmax, W, &train, &sz);

    expt_section("gradient check with your lab 03 (grad_check_sparse)");
    Mat Xc = mat_rows_view(train.X, 0, exp_min(sz.check_rows, dataset_size(&train)));
    ExpCheckJob job = { W, &Xc, train.y, a.seed + 1, mat_new(D, C) };
    if (!lab_attempt(exp_gradient_check, &job))
        printf("  skipped: lab 03 is not written yet (%s is a TODO). Once it is, run this again to check\n"
               "  your four gradients with your own grad_check_sparse.\n", lab_todo_name());
    mat_free(job.dW);

    printf("\ndone in %.1f s\n", timer_now() - t);
    mat_free(W);
    dataset_free(&train);
    return 0;
}
