/*
 * experiment.c - lab 04's experiment: training a linear classifier (Fashion-MNIST by default).
 *
 *   make run LAB=04                 on your linear.c and your lab 02 losses (one to two minutes)
 *   make run LAB=04 ARGS=--quick    small sizes, seconds
 *   make run LAB=04 SOLUTIONS=1     on the reference solutions
 *
 * In the order of the lectures:
 *   1. three ways to look for W with the same small budget: random search,
 *      random local search, minibatch SGD (validation accuracy of each);
 *   2. learning rate x regularization chosen on a validation split, for the SVM
 *      and the softmax loss (short runs; heat maps of validation accuracy);
 *   3. what a learning rate that is too small or too large does to the loss;
 *   4. the chosen settings trained longer with a step size that decays in
 *      stages, then the test set, once (loss curves, weight templates);
 *   5. the loss function itself, along a random line and over a random plane
 *      through the trained W.
 * The losses are your lab 02 functions (svm_loss_vectorized, softmax_loss_vectorized).
 */
#include "dataset.h"
#include "expt.h"
#include "linear.h"
#include "loss.h"
#include "plot.h"
#include "progress.h"
#include "rng.h"
#include "timer.h"
#include "viz.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *exp_about =
    "lab 04: optimization of a linear classifier (random search, random local search,\n"
    "minibatch SGD; learning rate and regularization chosen on validation; test accuracy once)";

/* ---- sizes and schedules ---------------------------------------------------------- */

/* A step-size schedule: `stages` equal runs of linear_train covering `epochs`
 * passes over the training set in all; the learning rate is multiplied by
 * `decay` after each stage. */
typedef struct {
    double epochs;
    int stages;
    double decay;
} ExpSchedule;

typedef struct {
    int n_train, n_val, n_test;   /* rows used (validation is carved from train) */
    int search_rows;              /* training rows the gradient-free searches evaluate the loss on */
    int search_budget;            /* loss evaluations for each search (and SGD steps to compare) */
    const double *grid_lr, *grid_reg;
    int n_lr, n_reg;
    ExpSchedule grid, final;
    int sweep_steps;              /* steps per learning rate in part 3 */
    int plane_cells;              /* the 2-D loss map is plane_cells x plane_cells */
} ExpPlan;

/* The minibatch size (--batch). */
static int exp_batch = 256;

static const ExptOpt exp_opts[] = {
    { EXPT_OPT_DATA, "fashion", NULL },
    { EXPT_OPT_LR, "chosen on validation; with --no-search 0.3 (SVM) and 3 (softmax)",
      "learning rate of the final runs (both losses)" },
    { EXPT_OPT_REG, "chosen on validation; with --no-search 1e-5 (SVM) and 1e-4 (softmax)",
      "regularization strength of the final runs (both losses)" },
    { EXPT_OPT_EPOCHS, "30; 4 with --quick", "epochs of the final runs" },
    { EXPT_OPT_BATCH, "256", "minibatch size of every SGD run" },
    { EXPT_OPT_LR_DECAY, "0.6; 0.5 with --quick",
      "factor the learning rate is multiplied by after each of the final runs' 10 stages (2 with --quick)" },
    { EXPT_OPT_TRAIN_SIZE, "55000; 5000 with --quick", "training images (validation images are extra)" },
    { EXPT_OPT_NO_SEARCH, NULL, "skip the lr x reg grids: train the final runs once at the given values" },
    { 0 },
};

/* The data set's names and image shape, set once in main (class names for figures). */
static const ImageData *exp_data;

static const double exp_lr_full[] = { 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0 };
static const double exp_reg_full[] = { 0.0, 1e-5, 1e-4, 1e-3, 1e-2 };
static const double exp_lr_quick[] = { 0.03, 0.3, 3.0 };
static const double exp_reg_quick[] = { 0.0, 1e-4, 1e-2 };
#define EXP_COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Part 3: from far too small to far too large. */
static const double exp_sweep_lr[] = { 1e-4, 1e-2, 1.0, 1e+2, 1e+4 };
static const double exp_sweep_reg = 1e-3;

/* The initial weights: small random numbers, so every class starts with a score near 0. */
static const double exp_init_scale = 1e-3;

/* The regularization of the templates figure (ExpModel.tpl_reg). The validation
 * split picks a weak one (1e-5 to 1e-4 on Fashion-MNIST): 30 epochs of SGD then
 * fit pixel-level detail, and the templates look like noise. At 3e-2 (SVM) and
 * 1e-2 (softmax) they look like the classes, for about three points of
 * validation accuracy. */
static const double exp_template_reg_svm = 3e-2, exp_template_reg_softmax = 1e-2;

/* ---- small helpers ------------------------------------------------------------------- */

static int exp_min(int a, int b) { return a < b ? a : b; }

/* Fraction of rows of X that linear_predict labels correctly. */
static double exp_accuracy(const Mat *W, const Mat *X, const int *y)
{
    int n = X->rows, right = 0;
    int *pred = expt_xmalloc((size_t)n * sizeof *pred);
    linear_predict(W, X, pred);
    for (int i = 0; i < n; i++) right += pred[i] == y[i];
    free(pred);
    return n > 0 ? (double)right / n : 0.0;
}

/* The first step at which the loss became NaN/Inf or grew beyond a million
 * times its first value, or -1 when it never did. */
static int exp_blowup_step(const double *hist, int n)
{
    double limit = 1e6 * fmax(fabs(hist[0]), 1e-12);
    for (int i = 0; i < n; i++)
        if (!isfinite(hist[i]) || hist[i] > limit) return i;
    return -1;
}

/* Mean of the last tenth of hist[0..n) (at least one value): the level the loss
 * settled at, less noisy than the last minibatch alone. */
static double exp_tail_mean(const double *hist, int n)
{
    int k = n / 10 > 0 ? n / 10 : 1;
    double s = 0.0;
    for (int i = n - k; i < n; i++) s += hist[i];
    return s / k;
}

/* Trains W with the schedule; hist receives one loss per step (its length is
 * exp_schedule_steps). Stops after a stage in which the loss blew up. Returns
 * the number of steps whose loss is in hist. */
static int exp_schedule_steps(const ExpSchedule *s, int n_train)
{
    int per = (int)(s->epochs * n_train / exp_batch / s->stages);
    return (per > 0 ? per : 1) * s->stages;
}

static int exp_train_staged(Mat *W, LossFn loss, const Mat *X, const int *y, double lr, double reg,
                            const ExpSchedule *s, Rng *rng, double *hist)
{
    int per = exp_schedule_steps(s, X->rows) / s->stages, done = 0;
    for (int st = 0; st < s->stages; st++) {
        SgdConfig cfg = { .learning_rate = lr, .reg = reg, .num_iters = per, .batch_size = exp_batch };
        linear_train(W, loss, X, y, &cfg, rng, hist + done);
        done += per;
        if (exp_blowup_step(hist, done) >= 0) break;
        lr *= s->decay;
    }
    return done;
}

/* ---- data ----------------------------------------------------------------------------- */

typedef struct {
    Mat *X;   /* (N, 785): pixels minus the training mean, then a column of ones */
    int *y;
} ExpSet;

static ExpSet exp_with_bias(Dataset *d, const Mat *mean)
{
    dataset_subtract_mean(d->X, mean);
    ExpSet s = { dataset_append_bias(d->X), d->y };
    mat_free(d->X);
    d->X = NULL;
    return s;
}

/* The three sets, ready for training; *mean_out gets the training mean image (1, D)
 * (the caller frees it), to show test images as they were. */
static void exp_prepare(ImageData *f, ExpPlan *p, Rng *rng, ExpSet *train, ExpSet *val, ExpSet *test,
                        Mat **mean_out)
{
    int total = dataset_size(&f->train);
    if (p->n_train + p->n_val > total) {   /* a smaller set: the rest after validation, or 5/6 and 1/6 */
        if (total < 2 * p->n_val) p->n_val = total / 6;
        printf("note: %d training images asked for, %d available after %d for validation\n", p->n_train,
               total - p->n_val, p->n_val);
        p->n_train = total - p->n_val;
    }
    Dataset v, rest, tr, te;
    dataset_split(&f->train, p->n_val, rng, &v, &rest);   /* shuffled, then split */
    dataset_take(&rest, 0, exp_min(p->n_train, dataset_size(&rest)), &tr);
    dataset_take(&f->test, 0, exp_min(p->n_test, dataset_size(&f->test)), &te);
    dataset_free(&rest);

    /* The mean image of the TRAINING rows only, subtracted from all three sets:
     * validation and test images must not influence anything we fit. */
    Mat *mean = dataset_mean_image(tr.X);
    *train = exp_with_bias(&tr, mean);
    *val = exp_with_bias(&v, mean);
    *test = exp_with_bias(&te, mean);
    *mean_out = mean;
    printf("train %d, validation %d (carved from the training set), test %d images\n", train->X->rows,
           val->X->rows, test->X->rows);
    printf("features: pixels in [0, 1] minus the training mean image, plus a constant 1 (bias trick): D = %d\n",
           train->X->cols);
}

static void exp_set_free(ExpSet *s)
{
    mat_free(s->X);
    free(s->y);
    s->X = NULL;
    s->y = NULL;
}

/* ---- part 1: random search, random local search, SGD -------------------------------------- */

typedef struct {
    const char *name;
    char detail[64];
    double loss, val_acc, seconds;
} ExpSearchRow;

static void exp_part1(const ExpPlan *p, const ExpSet *train, const ExpSet *val, Rng *rng, ExpSearchRow rows[3])
{
    int n = exp_min(p->search_rows, train->X->rows), budget = p->search_budget;
    char title[160];
    snprintf(title, sizeof title, "1. Three ways to look for W (SVM loss, reg 0, %d loss evaluations each)", budget);
    expt_section(title);
    printf("  the two random searches evaluate the loss on %d training images; SGD sees minibatches of %d\n", n,
           exp_batch);
    Mat Xs = mat_rows_view(train->X, 0, n);
    int D = train->X->cols, C = exp_data->num_classes;
    Mat *W = mat_new(D, C);

    /* Random search: independent guesses, keep the best. */
    double t = timer_now();
    double l = random_search(svm_loss_vectorized, &Xs, train->y, budget, exp_init_scale, rng, W);
    rows[0] = (ExpSearchRow){ "random search", "", l, exp_accuracy(W, val->X, val->y), timer_now() - t };
    snprintf(rows[0].detail, sizeof rows[0].detail, "%d guesses, scale %g", budget, exp_init_scale);

    /* Random local search from a fresh random W: small random steps, kept only when they help. */
    double step = exp_init_scale / 4;
    mat_fill_randn(W, exp_init_scale, rng);
    t = timer_now();
    l = random_local_search(svm_loss_vectorized, &Xs, train->y, budget, step, rng, W);
    rows[1] = (ExpSearchRow){ "random local search", "", l, exp_accuracy(W, val->X, val->y), timer_now() - t };
    snprintf(rows[1].detail, sizeof rows[1].detail, "%d steps of size %g", budget, step);

    /* SGD: the same number of loss evaluations, each with its gradient. */
    double lr = 0.1;
    mat_fill_randn(W, exp_init_scale, rng);
    t = timer_now();
    SgdConfig cfg = { .learning_rate = lr, .reg = 0.0, .num_iters = budget, .batch_size = exp_batch };
    linear_train(W, svm_loss_vectorized, train->X, train->y, &cfg, rng, NULL);
    double secs = timer_now() - t;
    l = svm_loss_vectorized(W, &Xs, train->y, 0.0, NULL);   /* on the same images as the searches */
    rows[2] = (ExpSearchRow){ "minibatch SGD", "", l, exp_accuracy(W, val->X, val->y), secs };
    snprintf(rows[2].detail, sizeof rows[2].detail, "%d steps, batch %d, lr %g", budget, exp_batch, lr);

    printf("  %-20s %-30s %12s %9s %8s\n", "method", "budget", "SVM loss", "val acc", "time");
    for (int i = 0; i < 3; i++)
        printf("  %-20s %-30s %12.4f %8.2f%% %6.2f s\n", rows[i].name, rows[i].detail, rows[i].loss,
               100 * rows[i].val_acc, rows[i].seconds);
    printf("  (the loss column: mean SVM loss on the %d search images; chance accuracy is 10%%)\n", n);
    mat_free(W);
}

/* ---- part 2: learning rate x regularization on validation --------------------------------- */

typedef struct {
    const char *name, *slug;   /* "SVM", "svm" */
    LossFn loss;
    double lr, reg;            /* chosen on validation */
    double grid_val;           /* the best short-run validation accuracy */
    Mat *grid_acc;             /* (n_reg, n_lr) validation accuracy in %, NaN where a run diverged; NULL: no grid */
    int grid_diverged;         /* runs of the grid that diverged */
    /* part 4 */
    Mat *W;
    double *hist;
    int steps;
    bool diverged;             /* the final run's loss blew up */
    double val_acc, test_acc, seconds;
    /* the same training at a strong regularization, for the templates figure */
    Mat *W_tpl;                /* NULL when it diverged or when reg is already that strong */
    double tpl_reg, tpl_val;
} ExpModel;

static void exp_grid(const ExpPlan *p, const ExpSet *train, const ExpSet *val, Rng *rng,
                     ExpModel *m)
{
    int D = train->X->cols, C = exp_data->num_classes;
    Mat *acc = mat_new(p->n_reg, p->n_lr);
    double *hist = expt_xmalloc((size_t)exp_schedule_steps(&p->grid, train->X->rows) * sizeof *hist);
    Mat *W = mat_new(D, C);
    char label[64];
    snprintf(label, sizeof label, "%s grid", m->name);
    Progress *bar = progress_start(label, (long)p->n_lr * p->n_reg);
    double t = timer_now();
    int best_r = -1, best_l = -1, diverged = 0;
    for (int r = 0; r < p->n_reg; r++)
        for (int l = 0; l < p->n_lr; l++) {
            mat_fill_randn(W, exp_init_scale, rng);
            int n = exp_train_staged(W, m->loss, train->X, train->y, p->grid_lr[l], p->grid_reg[r], &p->grid, rng,
                                     hist);
            double v = NAN;   /* a diverged run gets no accuracy (an empty cell) */
            if (exp_blowup_step(hist, n) < 0 && mat_all_finite(W)) v = exp_accuracy(W, val->X, val->y);
            else diverged++;
            MAT_AT(acc, r, l) = v;
            if (!isnan(v) && (best_r < 0 || v > MAT_AT(acc, best_r, best_l))) best_r = r, best_l = l;
            progress_update(bar, (long)r * p->n_lr + l + 1);
        }
    progress_end(bar);
    t = timer_now() - t;

    printf("  %s: validation accuracy (%%) after %g epoch%s, lr x %g per epoch; rows reg, columns lr\n", m->name,
           p->grid.epochs, p->grid.epochs == 1 ? "" : "s", p->grid.decay);
    printf("  %10s", "reg \\ lr");
    for (int l = 0; l < p->n_lr; l++) printf(" %8g", p->grid_lr[l]);
    printf("\n");
    for (int r = 0; r < p->n_reg; r++) {
        printf("  %10g", p->grid_reg[r]);
        for (int l = 0; l < p->n_lr; l++) {
            double v = MAT_AT(acc, r, l);
            if (isnan(v)) printf(" %8s", "diverged");
            else printf(" %7.2f%s", 100 * v, r == best_r && l == best_l ? "*" : " ");
        }
        printf("\n");
    }
    if (best_r < 0) {
        printf("  every setting diverged: check your loss and linear_train (make grade ARGS='--lab 04')\n");
        exit(1);
    }
    m->lr = p->grid_lr[best_l];
    m->reg = p->grid_reg[best_r];
    m->grid_val = MAT_AT(acc, best_r, best_l);
    printf("  best (*): lr %g, reg %g: %.2f%% on validation (%d runs, %.1f s%s)\n\n", m->lr, m->reg,
           100 * m->grid_val, p->n_lr * p->n_reg, t, diverged ? ", some diverged" : "");

    /* Kept in percent, as the table prints it; exp_grid_figures draws it. */
    for (size_t k = 0; k < (size_t)acc->rows * (size_t)acc->cols; k++) acc->data[k] *= 100;
    m->grid_acc = acc;
    m->grid_diverged = diverged;
    mat_free(W);
    free(hist);
}

/* Both grids as heat maps on one colour scale (percent, the range of both
 * grids together), so the same colour means the same accuracy in both figures;
 * the best cell is outlined. Diverged runs are empty cells. */
static void exp_grid_figures(const ExptArgs *a, const ExpPlan *p, const ExpModel *models, int nm)
{
    double lo = INFINITY, hi = -INFINITY;
    for (int k = 0; k < nm; k++)
        for (size_t i = 0; models[k].grid_acc && i < (size_t)p->n_reg * (size_t)p->n_lr; i++)
            if (isfinite(models[k].grid_acc->data[i]))
                lo = fmin(lo, models[k].grid_acc->data[i]), hi = fmax(hi, models[k].grid_acc->data[i]);
    if (!(lo <= hi)) return;
    /* At most 15 points of colour below the best: the interesting cells are the
     * good ones, and a diverging corner (50%) would wash them all into one colour.
     * Lower cells keep their number and take the darkest colour. */
    double lowest = lo;
    hi = ceil(hi);
    lo = fmax(floor(lo), hi - 15);
    if (hi <= lo) lo = hi - 1;   /* every cell the same (a tiny or easy data set) */
    char zlabel[64];
    if (lowest < lo)
        snprintf(zlabel, sizeof zlabel, "validation accuracy (%%), %g or less: darkest", lo);
    else
        snprintf(zlabel, sizeof zlabel, "validation accuracy (%%)");
    for (int k = 0; k < nm; k++) {
        const ExpModel *m = &models[k];
        if (!m->grid_acc) continue;
        char title[200], file[64], what[160], best[64], diverged[48] = "";
        if (m->grid_diverged)
            snprintf(diverged, sizeof diverged, "; %d diverged (empty)", m->grid_diverged);
        snprintf(title, sizeof title, "%s: validation accuracy (%%) after %g epoch%s of SGD%s", m->name,
                 p->grid.epochs, p->grid.epochs == 1 ? "" : "s", diverged);
        snprintf(best, sizeof best, "best: %.1f%%", 100 * m->grid_val);
        PlotOpts o = { .title = title, .xlabel = "learning rate (at the start)", .ylabel = "regularization strength",
                       .width = 860, .height = 560 };
        PlotHeatOpts h = { .zlabel = zlabel, .annotate = true, .cell_format = "%.1f", .zmin = lo,
                           .zmax = hi, .mark_best = 1, .best_label = best };
        snprintf(file, sizeof file, "lr_reg_grid_%s.png", m->slug);
        const char *png = expt_path(a, file);
        snprintf(what, sizeof what,
                 "%s: validation accuracy (%%) over learning rate x regularization; best lr %g, reg %g (outlined); "
                 "same colour scale as the other grid", m->name, m->lr, m->reg);
        expt_figure(plot_heatmap_ex(png, &o, m->grid_acc, p->grid_lr, p->grid_reg, &h), png, what);
    }
}

/* ---- part 3: learning rates from too small to too large ------------------------------------ */

static void exp_lr_sweep(const ExptArgs *a, const ExpPlan *p, const ExpSet *train, Rng *rng)
{
    char title[200];
    snprintf(title, sizeof title, "3. The step size: softmax, reg %g, %d steps at each learning rate", exp_sweep_reg,
             p->sweep_steps);
    expt_section(title);
    int ns = EXP_COUNT(exp_sweep_lr), T = p->sweep_steps, D = train->X->cols;
    double *hist = expt_xmalloc((size_t)ns * T * sizeof *hist);
    Mat *W = mat_new(D, exp_data->num_classes);
    PlotSeries s[EXP_COUNT(exp_sweep_lr)];
    char names[EXP_COUNT(exp_sweep_lr)][80], gone[64] = "";
    double lowest = INFINITY;
    for (int k = 0; k < ns; k++) {
        double *h = hist + (size_t)k * T;
        mat_fill_randn(W, exp_init_scale, rng);
        SgdConfig cfg = { .learning_rate = exp_sweep_lr[k], .reg = exp_sweep_reg, .num_iters = T,
                          .batch_size = exp_batch };
        linear_train(W, softmax_loss_vectorized, train->X, train->y, &cfg, rng, h);
        int bad = exp_blowup_step(h, T);
        double first = h[0], last = exp_tail_mean(h, T);
        /* The same verdict goes into the table and the legend, so the figure reads on its own. */
        const char *verdict = "";
        printf("  learning rate %.0e: ", exp_sweep_lr[k]);
        if (bad >= 0) {
            /* Say it in words: a row of NaNs teaches nothing. */
            double v = h[bad];
            printf("the loss exploded after %d step%s (%s) - the step is too large\n", bad, bad == 1 ? "" : "s",
                   isnan(v) ? "NaN" : isinf(v) ? "inf" : "over a million times its first value");
            for (int i = bad; i < T; i++) h[i] = NAN;   /* the figure shows the climb, not the wreck */
            verdict = "too large: DIVERGED";
            snprintf(gone + strlen(gone), sizeof gone - strlen(gone), "%slr %.0e", *gone ? ", " : "", exp_sweep_lr[k]);
        } else if (last > first) {
            printf("the loss went up from %.3f to %.3f - the step is too large\n", first, last);
            verdict = "too large, loss went up";
        } else if (last > 0.9 * first) {
            printf("the loss barely moved, %.3f -> %.3f - the step is too small\n", first, last);
            verdict = "too small, barely moves";
        } else {
            printf("the loss fell from %.3f to %.3f\n", first, last);
            verdict = "the loss falls";
        }
        if (bad >= 0)
            snprintf(names[k], sizeof names[k], "lr %.0e: %s after %d step%s", exp_sweep_lr[k], verdict, bad,
                     bad == 1 ? "" : "s");
        else
            snprintf(names[k], sizeof names[k], "lr %.0e: %s", exp_sweep_lr[k], verdict);
        for (int i = 0; i < T; i++)
            if (isfinite(h[i]) && h[i] > 0) lowest = fmin(lowest, h[i]);
        /* Points too for a run that exploded: it may have only a step or two to show. */
        s[k] = (PlotSeries){ .label = names[k], .y = h, .n = T, .points = bad >= 0 };
    }
    printf("  (with L2 regularization every step also multiplies W by 1 - 2 lr reg: once 2 lr reg > 2,\n"
           "   W flips sign and grows at every step, and the loss runs away to infinity)\n");
    /* The y axis stops at 2e4 (the loss starts near log 10 = 2.3): the first
     * steps of a diverging run would otherwise stretch it to 1e7 and squash
     * every other curve into its bottom; the figure notes what it cuts. The
     * decade or so above the curves is the legend's. */
    snprintf(title, sizeof title, "Softmax minibatch loss for learning rates from too small to too large%s%s%s",
             *gone ? " (" : "", gone, *gone ? " diverged)" : "");
    PlotOpts o = { .title = title, .xlabel = "SGD step", .ylabel = "minibatch loss (log scale)", .logy = true,
                   .ymin = isfinite(lowest) ? lowest / 1.5 : NAN, .ymax = 2e4, .key_pos = "top center",
                   .width = 1000, .height = 620 };
    const char *png = expt_path(a, "learning_rates.png");
    expt_figure(plot_lines(png, &o, s, ns), png,
                "softmax loss for five learning rates, from too small to diverged (y axis cut at 2e4)");
    mat_free(W);
    free(hist);
}

/* ---- part 4: the chosen settings, trained longer; the test set once --------------------------- */

static void exp_final(const ExpPlan *p, const ExpSet *train, const ExpSet *val, const ExpSet *test, Rng *rng,
                      ExpModel *m)
{
    int D = train->X->cols;
    m->W = mat_new(D, exp_data->num_classes);
    mat_fill_randn(m->W, exp_init_scale, rng);
    m->hist = expt_xmalloc((size_t)exp_schedule_steps(&p->final, train->X->rows) * sizeof *m->hist);
    double t = timer_now();
    m->steps = exp_train_staged(m->W, m->loss, train->X, train->y, m->lr, m->reg, &p->final, rng, m->hist);
    m->seconds = timer_now() - t;
    int bad = exp_blowup_step(m->hist, m->steps);
    if (bad >= 0 || !mat_all_finite(m->W)) {
        printf("  %s: DIVERGED: the loss exploded after %d step%s - the step (lr %g) is too large\n", m->name, bad,
               bad == 1 ? "" : "s", m->lr);
        m->diverged = true;
        m->val_acc = m->test_acc = NAN;
        for (int i = bad >= 0 ? bad : m->steps; i < m->steps; i++) m->hist[i] = NAN;   /* the climb, not the wreck */
        return;
    }
    m->val_acc = exp_accuracy(m->W, val->X, val->y);
    m->test_acc = exp_accuracy(m->W, test->X, test->y);
    printf("  %-8s lr %g (x%g every %g epochs), reg %g: %d steps in %.1f s, final minibatch loss %.4f\n", m->name,
           m->lr, p->final.decay, p->final.epochs / p->final.stages, m->reg, m->steps, m->seconds,
           exp_tail_mean(m->hist, m->steps));
}

/* The same training again at a strong regularization, for the templates figure
 * (validation accuracy only: the test set is for the chosen models). Skipped when
 * the chosen reg is already that strong or the chosen run diverged. */
static void exp_template_model(const ExpPlan *p, const ExpSet *train, const ExpSet *val, Rng *rng, ExpModel *m)
{
    if (m->diverged || m->reg >= m->tpl_reg) return;
    Mat *W = mat_new(m->W->rows, m->W->cols);
    mat_fill_randn(W, exp_init_scale, rng);
    double *hist = expt_xmalloc((size_t)exp_schedule_steps(&p->final, train->X->rows) * sizeof *hist);
    double t = timer_now();
    int n = exp_train_staged(W, m->loss, train->X, train->y, m->lr, m->tpl_reg, &p->final, rng, hist);
    if (exp_blowup_step(hist, n) >= 0 || !mat_all_finite(W)) {
        printf("  %-8s at reg %g for the templates: diverged, no template figure from it\n", m->name, m->tpl_reg);
        mat_free(W);
    } else {
        m->W_tpl = W;
        m->tpl_val = exp_accuracy(W, val->X, val->y);
        printf("  %-8s lr %g, reg %g (for the templates figure): %.1f s, validation %.2f%%\n", m->name, m->lr,
               m->tpl_reg, timer_now() - t, 100 * m->tpl_val);
    }
    free(hist);
}

/* Loss curves against epochs: each minibatch's loss faint underneath (it is
 * noisy: every batch is different), a centred moving average of it bold on top.
 * SVM blue, softmax vermillion; the legend lists SVM before softmax in both groups. */
static void exp_loss_curves(const ExptArgs *a, const ExpPlan *p, int n_train, const ExpModel *models, int nm)
{
    enum { EXP_BLUE = 1, EXP_VERMILLION = 2 };
    static const int color[2] = { EXP_BLUE, EXP_VERMILLION };
    int k2 = nm < 2 ? nm : 2;
    int win = exp_min(100, models[0].steps / 25 > 1 ? models[0].steps / 25 : 1);
    PlotSeries s[4] = { { 0 } };
    double *smooth[2] = { NULL, NULL }, *ep[2] = { NULL, NULL };
    char names[4][80], gone[64] = "";
    double steps_per_epoch = (double)exp_schedule_steps(&p->final, n_train) / p->final.epochs;
    for (int k = 0; k < k2; k++) {
        const ExpModel *m = &models[k];
        smooth[k] = expt_xmalloc((size_t)m->steps * sizeof *smooth[k]);
        ep[k] = expt_xmalloc((size_t)m->steps * sizeof *ep[k]);
        for (int i = 0; i < m->steps; i++) ep[k][i] = i / steps_per_epoch;
        plot_moving_average(m->hist, m->steps, win, smooth[k]);
        if (m->diverged)
            snprintf(gone + strlen(gone), sizeof gone - strlen(gone), "%s%s", *gone ? " and " : "", m->name);
        snprintf(names[k], sizeof names[k], "%s, each minibatch%s", m->name, m->diverged ? " (DIVERGED)" : "");
        s[k] = (PlotSeries){ .label = names[k], .x = ep[k], .y = m->hist, .n = m->steps, .color = color[k],
                             .faint = true };
        snprintf(names[2 + k], sizeof names[2 + k], "%s, moving average over %d steps", m->name, win);
        s[2 + k] = (PlotSeries){ .label = names[2 + k], .x = ep[k], .y = smooth[k], .n = m->steps, .color = color[k],
                                 .line_width = 2.5 };
    }
    char xl[80], title[200];
    snprintf(xl, sizeof xl, "epoch (%.0f SGD steps of %d images each)", steps_per_epoch, exp_batch);
    if (*gone)
        snprintf(title, sizeof title, "Minibatch loss during training: %s DIVERGED (lr too large)", gone);
    else
        snprintf(title, sizeof title, "Minibatch loss during training (lr x %g every %g epochs)", p->final.decay,
                 p->final.epochs / p->final.stages);
    PlotOpts o = { .title = title, .xlabel = xl, .ylabel = "minibatch loss (data + reg, log scale)", .logy = true,
                   .key_pos = "top right" };
    if (*gone) o.ymin = NAN, o.ymax = 1000;   /* the climb, not the 1e300 */
    const char *png = expt_path(a, "loss_curves.png");
    expt_figure(plot_lines(png, &o, s, 2 * k2), png,
                *gone ? "minibatch loss during training: a run DIVERGED"
                      : "SVM and softmax minibatch loss during training: raw (faint) and a moving average (bold)");
    for (int k = 0; k < 2; k++) {
        free(smooth[k]);
        free(ep[k]);
    }
}

/* Templates, the test set's confusion matrices and the mistakes of the final models. */
static void exp_final_figures(const ExptArgs *a, const ExpSet *test, const Mat *mean, const ExpModel *models, int nm)
{
    const char *const *names = exp_data->classes;
    int side = exp_data->side, ch = exp_data->channels, K = exp_data->num_classes;
    for (int k = 0; k < nm; k++) {
        const ExpModel *m = &models[k];
        if (m->diverged) {
            printf("  %s diverged: no templates, confusion matrix or mistakes to draw\n", m->name);
            continue;
        }
        /* The main templates figure: the more regularized of the two runs, whose
         * templates are smooth enough to read as the classes. */
        bool tpl = m->W_tpl != NULL;
        const Mat *Wm = tpl ? m->W_tpl : m->W;
        double reg = tpl ? m->tpl_reg : m->reg, val = tpl ? m->tpl_val : m->val_acc;
        char file[64], title[200], what[200];
        snprintf(file, sizeof file, "weights_%s.png", m->slug);
        snprintf(title, sizeof title, "%s weight templates, reg %g (validation %.1f%%)%s", m->name, reg, 100 * val,
                 tpl ? "" : ": the chosen model");
        snprintf(what, sizeof what, "the %s's %d templates (one per class) at reg %g%s", m->name, K, reg,
                 tpl ? ", a stronger regularization than the chosen one, so they read as the classes"
                     : " (the chosen model)");
        VizTemplateOpts o = { .title = title, .captions = names };
        const char *png = expt_path(a, file);
        expt_figure(viz_save_templates(png, Wm, side, ch, &o), png, what);

        /* Strong against weak (the chosen model): the same training, only reg differs. */
        if (tpl) {
            char rows[2][96];
            snprintf(rows[0], sizeof rows[0], "reg %g\nval %.1f%%", m->tpl_reg, 100 * m->tpl_val);
            snprintf(rows[1], sizeof rows[1], "reg %g\n(chosen)\nval %.1f%%", m->reg, 100 * m->val_acc);
            const Mat *Ws[2] = { m->W_tpl, m->W };
            const char *labels[2] = { rows[0], rows[1] };
            snprintf(file, sizeof file, "weights_reg_%s.png", m->slug);
            snprintf(title, sizeof title, "%s templates: strong (top) vs weak (bottom) regularization", m->name);
            VizTemplateOpts so = { .title = title, .captions = names, .shared = VIZ_SCALE_SET };
            png = expt_path(a, file);
            snprintf(what, sizeof what, "%s templates at reg %g and at the chosen reg %g: regularization smooths them",
                     m->name, m->tpl_reg, m->reg);
            expt_figure(viz_save_template_sets(png, Ws, labels, 2, side, ch, &so), png, what);
        }

        /* Which classes it confuses, on the test set (the predictions the test accuracy counts). */
        int n = test->X->rows;
        int *pred = expt_xmalloc((size_t)n * sizeof *pred);
        linear_predict(m->W, test->X, pred);
        Mat *cm = plot_confusion_matrix(test->y, pred, n, K);
        snprintf(file, sizeof file, "confusion_%s.png", m->slug);
        snprintf(title, sizeof title, "%s (lr %g, reg %g), test set", m->name, m->lr, m->reg);
        png = expt_path(a, file);
        snprintf(what, sizeof what, "%s: confusion matrix of the test predictions, accuracy of each class at the right",
                 m->name);
        expt_figure(cm ? plot_confusion(png, title, cm, names, false) : -1, png, what);
        mat_free(cm);

        /* Its mistakes, for the last model (softmax): the images with the mean added back. */
        if (k == nm - 1) {
            /* Only the rows shown are copied (the whole test set would be 63 MB). */
            enum { SHOWN = 24 };
            int Dp = side * side * ch, show = 0, yt[SHOWN], yp[SHOWN];
            Mat *img = mat_new(SHOWN, Dp);
            for (int i = 0; i < n && show < SHOWN; i++) {
                if (pred[i] == test->y[i]) continue;
                for (int d = 0; d < Dp; d++) MAT_AT(img, show, d) = MAT_AT(test->X, i, d) + mean->data[d];
                yt[show] = test->y[i], yp[show] = pred[i];
                show++;
            }
            snprintf(file, sizeof file, "misclassified_%s.png", m->slug);
            snprintf(title, sizeof title, "%s: the first 24 test images it gets wrong", m->name);
            png = expt_path(a, file);
            snprintf(what, sizeof what, "%s: test images it gets wrong, with the true and the predicted class", m->name);
            expt_figure(viz_save_misclassified(png, title, img, yt, yp, show, names, SHOWN, 8, side, ch), png, what);
            mat_free(img);
        }
        free(pred);
    }
}

/* ---- part 5: the loss along a line and over a plane -------------------------------------- */

/* L(W0 + a D1 + b D2) into Wt (reg 0). */
static double exp_loss_at(LossFn loss, const Mat *W0, const Mat *D1, const Mat *D2, double a, double b, Mat *Wt,
                          const Mat *X, const int *y)
{
    size_t n = (size_t)W0->rows * (size_t)W0->cols;
    for (size_t i = 0; i < n; i++) Wt->data[i] = W0->data[i] + a * D1->data[i] + (D2 ? b * D2->data[i] : 0.0);
    return loss(Wt, X, y, 0.0, NULL);
}

static void exp_landscape(const ExptArgs *a, const ExpPlan *p, const ExpSet *train, const ExpModel *m, Rng *rng)
{
    char title[200];
    snprintf(title, sizeof title, "5. The %s loss around the trained W (reg 0), along random directions", m->name);
    expt_section(title);
    int D = m->W->rows, C = m->W->cols;
    /* Random directions as long as W itself (Frobenius norm), so that a = 1
     * means a step the size of the whole weight matrix. */
    Mat *D1 = mat_new(D, C), *D2 = mat_new(D, C), *Wt = mat_new(D, C);
    double wn = sqrt(mat_sum_sq(m->W));
    mat_fill_randn(D1, 1.0, rng);
    mat_fill_randn(D2, 1.0, rng);
    double n1 = sqrt(mat_sum_sq(D1)), n2 = sqrt(mat_sum_sq(D2));
    for (size_t i = 0; i < (size_t)D * C; i++) D1->data[i] *= wn / n1, D2->data[i] *= wn / n2;

    Mat one = mat_rows_view(train->X, 0, 1), hundred = mat_rows_view(train->X, 0, exp_min(100, train->X->rows));
    enum { NA = 161 };
    double range = 2.0, xa[NA], l1[NA], l100[NA];
    for (int i = 0; i < NA; i++) {
        xa[i] = -range + 2 * range * i / (NA - 1);
        l1[i] = exp_loss_at(m->loss, m->W, D1, NULL, xa[i], 0, Wt, &one, train->y);
        l100[i] = exp_loss_at(m->loss, m->W, D1, NULL, xa[i], 0, Wt, &hundred, train->y);
    }
    char lab1[80], lab100[80];
    snprintf(lab1, sizeof lab1, "one training image (a %s)", exp_data->classes[train->y[0]]);
    snprintf(lab100, sizeof lab100, "mean over %d training images", hundred.rows);
    PlotSeries s[2] = { { .label = lab1, .x = xa, .y = l1, .n = NA }, { .label = lab100, .x = xa, .y = l100, .n = NA } };
    snprintf(title, sizeof title, "%s loss along a random direction D through the trained W", m->name);
    PlotOpts o = { .title = title, .xlabel = "a: distance along D (a = 0 is the trained W; |D| = |W|)",
                   .ylabel = "loss L(W + a D), reg 0" };
    const char *png = expt_path(a, "loss_1d.png");
    expt_figure(plot_lines(png, &o, s, 2), png, "the loss along one random line: piecewise linear, convex");
    int m1 = 0, m100 = 0;
    for (int i = 1; i < NA; i++) {
        if (l1[i] < l1[m1]) m1 = i;
        if (l100[i] < l100[m100]) m100 = i;
    }
    printf("  along the line, at a = 0 (the trained W) and at the lowest point:\n");
    printf("    one image:      %.4f at a = 0, lowest %.4f at a = %+.3f\n", l1[NA / 2], l1[m1], xa[m1]);
    printf("    mean over %3d:  %.4f at a = 0, lowest %.4f at a = %+.3f\n", hundred.rows, l100[NA / 2], l100[m100],
           xa[m100]);

    int G = p->plane_cells;
    Mat *z1 = mat_new(G, G), *z100 = mat_new(G, G);
    double *ab = expt_xmalloc((size_t)G * sizeof *ab);
    /* A slightly smaller square than the line above, so that 0.1 apart cells still get readable labels. */
    double prange = 1.5;
    for (int i = 0; i < G; i++) ab[i] = -prange + 2 * prange * i / (G - 1);
    Progress *bar = progress_start("loss over a plane", G);
    for (int i = 0; i < G; i++) {      /* rows: b */
        for (int j = 0; j < G; j++) {  /* columns: a */
            MAT_AT(z1, i, j) = exp_loss_at(m->loss, m->W, D1, D2, ab[j], ab[i], Wt, &one, train->y);
            MAT_AT(z100, i, j) = exp_loss_at(m->loss, m->W, D1, D2, ab[j], ab[i], Wt, &hundred, train->y);
        }
        progress_update(bar, i + 1);
    }
    progress_end(bar);
    snprintf(title, sizeof title, "%s loss of one image (a %s): L(W + a D1 + b D2), trained W at the centre",
             m->name, exp_data->classes[train->y[0]]);
    /* Tick labels every 0.5, contour lines so the creases between the flat
     * pieces show, and the trained W marked at the centre. */
    PlotMark centre = { .x = (G - 1) / 2.0, .y = (G - 1) / 2.0, .label = "trained W" };
    PlotOpts o2 = { .title = title, .xlabel = "a (along D1, |D1| = |W|)", .ylabel = "b (along D2, |D2| = |W|)",
                    .width = 900, .height = 820, .marks = &centre, .nmarks = 1 };
    PlotHeatOpts h = { .zlabel = "loss (reg 0)", .contours = 14, .max_ticks = 7 };
    png = expt_path(a, "loss_2d_single.png");
    expt_figure(plot_heatmap_ex(png, &o2, z1, ab, ab, &h), png,
                "the SVM loss of one image over a plane through the trained W: flat pieces meeting along straight creases");
    snprintf(title, sizeof title, "%s loss, mean over %d images, over the same plane (trained W at the centre)",
             m->name, hundred.rows);
    o2.title = title;
    png = expt_path(a, "loss_2d_mean.png");
    expt_figure(plot_heatmap_ex(png, &o2, z100, ab, ab, &h), png,
                "the mean SVM loss of 100 images over the same plane: a bowl");

    free(ab);
    mat_free(z1);
    mat_free(z100);
    mat_free(D1);
    mat_free(D2);
    mat_free(Wt);
}

/* ---- main --------------------------------------------------------------------------------- */

int main(int argc, char **argv)
{
    double t0 = timer_now();
    ExptArgs a;
    expt_args(argc, argv, exp_about, exp_opts, &a);
    ImageData f;
    expt_load(&a, &f);
    exp_data = &f;
    Rng rng;
    rng_seed(&rng, a.seed);
    /* The products here are small (a minibatch of 256 x 785 times 785 x 10):
     * extra BLAS threads cost more in hand-offs than they save. */
    mat_set_threads(1);

    ExpPlan p = { 55000, 5000, 10000, 2000, 300, exp_lr_full, exp_reg_full, EXP_COUNT(exp_lr_full),
                  EXP_COUNT(exp_reg_full), { 3, 3, 0.5 }, { 30, 10, 0.6 }, 300, 61 };
    if (a.quick)
        p = (ExpPlan){ 5000, 1000, 2000, 500, 60, exp_lr_quick, exp_reg_quick, EXP_COUNT(exp_lr_quick),
                       EXP_COUNT(exp_reg_quick), { 1, 1, 1.0 }, { 4, 2, 0.5 }, 60, 31 };
    if (a.train_size > 0) p.n_train = a.train_size;   /* exp_prepare clamps it to the data set */
    exp_batch = expt_i(a.batch, exp_batch);
    if (a.epochs > 0) {
        p.final.epochs = a.epochs;
        if (p.final.stages > a.epochs) p.final.stages = a.epochs;
    }
    p.final.decay = expt_d(a.lr_decay, p.final.decay);

    expt_section("Data");
    ExpSet train, val, test;
    Mat *mean = NULL;
    exp_prepare(&f, &p, &rng, &train, &val, &test, &mean);
    dataset_named_free(&f);   /* exp_data keeps the names and shape; the images are freed */

    ExpSearchRow search[3];
    exp_part1(&p, &train, &val, &rng, search);

    ExpModel models[2] = {
        { .name = "SVM", .slug = "svm", .loss = svm_loss_vectorized, .tpl_reg = exp_template_reg_svm },
        { .name = "softmax", .slug = "softmax", .loss = softmax_loss_vectorized, .tpl_reg = exp_template_reg_softmax },
    };
    char title[200];
    if (!a.no_search) {
        snprintf(title, sizeof title, "2. Learning rate x regularization on validation (%d x %d settings, %g epoch%s each)",
                 p.n_lr, p.n_reg, p.grid.epochs, p.grid.epochs == 1 ? "" : "s");
        expt_section(title);
    }
    /* What the grid picked on Fashion-MNIST (the handout's run): the --no-search defaults. */
    static const double nosearch_lr[2] = { 0.3, 3.0 }, nosearch_reg[2] = { 1e-5, 1e-4 };
    if (a.no_search) {
        printf("\n--no-search: no grid; the final runs use the values below\n");
        for (int k = 0; k < 2; k++) {
            models[k].lr = nosearch_lr[k];
            models[k].reg = nosearch_reg[k];
            models[k].grid_val = NAN;
        }
    } else {
        for (int k = 0; k < 2; k++) exp_grid(&p, &train, &val, &rng, &models[k]);
        exp_grid_figures(&a, &p, models, 2);
    }
    for (int k = 0; k < 2; k++) {   /* given values replace the grid's choice */
        models[k].lr = expt_d(a.lr, models[k].lr);
        models[k].reg = expt_d(a.reg, models[k].reg);
    }
    expt_values("SVM lr %g reg %g, softmax lr %g reg %g (%s); %g epochs, batch %d, lr x %g every %g epochs; "
                "%d training images", models[0].lr, models[0].reg, models[1].lr, models[1].reg,
                a.no_search ? (isnan(a.lr) && isnan(a.reg) ? "--no-search defaults" : "given / --no-search defaults")
                : (isnan(a.lr) && isnan(a.reg) ? "chosen on validation" : "given values replace the grid's choice"),
                p.final.epochs, exp_batch, p.final.decay, p.final.epochs / p.final.stages, train.X->rows);

    exp_lr_sweep(&a, &p, &train, &rng);

    snprintf(title, sizeof title, "4. The chosen settings trained for %g epochs (batch %d); the test set, once",
             p.final.epochs, exp_batch);
    expt_section(title);
    for (int k = 0; k < 2; k++) exp_final(&p, &train, &val, &test, &rng, &models[k]);
    for (int k = 0; k < 2; k++) exp_template_model(&p, &train, &val, &rng, &models[k]);
    exp_loss_curves(&a, &p, train.X->rows, models, 2);
    exp_final_figures(&a, &test, mean, models, 2);

    exp_landscape(&a, &p, &train, &models[0], &rng);

    expt_section("Results");
    printf("  %-36s %-8s %7s %7s %9s %9s %8s\n", "method", "loss", "lr", "reg", "val acc", "test acc", "time");
    for (int i = 0; i < 3; i++)
        printf("  %-36s %-8s %7s %7g %8.2f%% %9s %6.1f s\n", search[i].name, "SVM", i == 2 ? "0.1" : "-", 0.0,
               100 * search[i].val_acc, "-", search[i].seconds);
    for (int k = 0; k < 2; k++) {
        char name[64];
        snprintf(name, sizeof name, "SGD, %g epochs, %s", p.final.epochs,
                 a.no_search || !isnan(a.lr) || !isnan(a.reg) ? "lr and reg as above" : "chosen lr and reg");
        printf("  %-36s %-8s %7g %7g %8.2f%% %8.2f%% %6.1f s\n", name, models[k].name, models[k].lr, models[k].reg,
               100 * models[k].val_acc, 100 * models[k].test_acc, models[k].seconds);
    }
    for (int k = 0; k < 2; k++) {   /* validation only: the test set is for the models above */
        if (!models[k].W_tpl) continue;
        char name[64];
        snprintf(name, sizeof name, "SGD, %g epochs, for the templates", p.final.epochs);
        printf("  %-36s %-8s %7g %7g %8.2f%% %9s\n", name, models[k].name, models[k].lr, models[k].tpl_reg,
               100 * models[k].tpl_val, "-");
    }
    printf("\ndone in %.1f s\n", timer_now() - t0);

    for (int k = 0; k < 2; k++) {
        mat_free(models[k].W);
        mat_free(models[k].W_tpl);
        mat_free(models[k].grid_acc);
        free(models[k].hist);
    }
    mat_free(mean);
    exp_set_free(&train);
    exp_set_free(&val);
    exp_set_free(&test);
    return 0;
}
