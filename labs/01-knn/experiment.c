/*
 * experiment.c - lab 01's experiment: k-nearest neighbours on Fashion-MNIST.
 *
 *   make run LAB=01                 on your knn.c (the full data: a few minutes)
 *   make run LAB=01 ARGS=--quick    small sizes, seconds
 *   make run LAB=01 SOLUTIONS=1     on the reference solution
 *
 * First a look at the data (figure: samples.png), then three parts, in the
 * order a careful experimenter works:
 *   1. the three L2 distance functions (and L1) timed on a subset, checked to agree;
 *   2. k chosen by 5-fold cross-validation on part of the training set only
 *      (figure: knn_cross_validation.png);
 *   3. the test set, used once at the end: k = 1 and the chosen k, with the
 *      full 10,000 x 60,000 distance matrix computed in blocks of test rows
 *      (figures: knn_confusion.png, the predictions' confusion matrix, and
 *      knn_neighbors.png, the nearest training images of six test images).
 */
#include "dataset.h"
#include "expt.h"
#include "knn.h"
#include "par.h"
#include "plot.h"
#include "progress.h"
#include "rng.h"
#include "timer.h"
#include "viz.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

static const char *exp_about =
    "lab 01: k-nearest neighbours (distances three ways, cross-validation of k, test accuracy)";

static const ExptOpt exp_opts[] = {
    { EXPT_OPT_DATA, "fashion", NULL },
    { EXPT_OPT_K, "chosen by cross-validation; 5 with --no-search",
      "k for the test set (k = 1 is always reported beside it)" },
    { EXPT_OPT_FOLDS, "5", "cross-validation folds" },
    { EXPT_OPT_TRAIN_SIZE, "all; 3000 with --quick", "training images the test images are compared with" },
    { EXPT_OPT_NO_SEARCH, NULL, "skip the cross-validation of k: test at --k (default 5)" },
    { 0 },
};
static const int exp_k_default = 5;

/* Sizes of each part; --quick shrinks them all. */
typedef struct {
    int time_test, time_train;   /* the timing subset */
    int cv_rows, cv_folds;       /* cross-validation on this many training rows */
    int eval_test, eval_train;   /* the final evaluation (0 = all) */
    int block;                   /* test rows per distance block in the final evaluation */
} ExpSizes;

static const int exp_k_choices[] = { 1, 3, 5, 8, 10, 12, 15, 20, 50, 100 };
#define EXP_NUM_K ((int)(sizeof exp_k_choices / sizeof exp_k_choices[0]))

static int exp_min(int a, int b) { return a < b ? a : b; }

/* Fraction of pred equal to y over n rows. */
static double exp_accuracy(const int *pred, const int *y, int n)
{
    int right = 0;
    for (int i = 0; i < n; i++) right += pred[i] == y[i];
    return n > 0 ? (double)right / n : 0.0;
}

/* ---- part 1: the distance functions timed -------------------------------------- */

typedef void (*ExpDistFn)(const Mat *, const Mat *, Mat *);

static double exp_time(ExpDistFn fn, const Mat *X_train, const Mat *X_test, Mat *dists)
{
    double t0 = timer_now();
    fn(X_train, X_test, dists);
    return timer_now() - t0;
}

static void exp_timing(const Dataset *train, const Dataset *test, const ExpSizes *sz, Rng *rng)
{
    Dataset tr, te;
    dataset_subsample(train, exp_min(sz->time_train, dataset_size(train)), rng, &tr);
    dataset_take(test, 0, exp_min(sz->time_test, dataset_size(test)), &te);
    int M = dataset_size(&te), N = dataset_size(&tr);
    char title[120];
    snprintf(title, sizeof title, "1. L2 distances three ways (%d test x %d training images, D = %d)", M, N,
             tr.X->cols);
    expt_section(title);

    Mat *d2 = mat_new(M, N), *d1 = mat_new(M, N), *d0 = mat_new(M, N), *dl1 = mat_new(M, N);
    double t2 = exp_time(knn_distances_two_loops, tr.X, te.X, d2);
    double t1 = exp_time(knn_distances_one_loop, tr.X, te.X, d1);
    double t0 = exp_time(knn_distances_no_loops, tr.X, te.X, d0);
    double tl1 = exp_time(knn_distances_l1, tr.X, te.X, dl1);

    printf("  %-24s %10s %10s %26s\n", "method", "seconds", "speedup", "max |diff| vs two loops");
    printf("  %-24s %10.4f %9.1fx %26s\n", "L2, two loops", t2, 1.0, "(the baseline)");
    printf("  %-24s %10.4f %9.1fx %26.3g\n", "L2, one loop", t1, t2 / t1, mat_max_abs_diff(d2, d1));
    printf("  %-24s %10.4f %9.1fx %26.3g\n", "L2, no loops (mat_gemm)", t0, t2 / t0, mat_max_abs_diff(d2, d0));
    printf("  %-24s %10.4f %10s %26s\n", "L1, two loops", tl1, "", "(a different distance)");
    double tol = 1e-6;   /* relative to the largest distance: see the handout */
    double scale = 0.0;
    for (size_t i = 0; i < (size_t)M * (size_t)N; i++)
        if (d2->data[i] > scale) scale = d2->data[i];
    bool agree = mat_max_abs_diff(d2, d1) <= tol * scale && mat_max_abs_diff(d2, d0) <= tol * scale;
    printf("  the three L2 versions %s (largest distance %.4g; allowed difference %.2g)\n",
           agree ? "agree" : "DISAGREE: check your code", scale, tol * scale);

    /* k = 1 with each distance on this subset: a first look at L1 vs L2. */
    int *pred = expt_xmalloc((size_t)M * sizeof *pred);
    knn_predict_labels(d0, tr.y, 1, pred);
    double acc_l2 = exp_accuracy(pred, te.y, M);
    knn_predict_labels(dl1, tr.y, 1, pred);
    double acc_l1 = exp_accuracy(pred, te.y, M);
    printf("  k = 1 on these %d test images: L2 %.1f%%, L1 %.1f%%\n", M, 100 * acc_l2, 100 * acc_l1);

    free(pred);
    mat_free(d2);
    mat_free(d1);
    mat_free(d0);
    mat_free(dl1);
    dataset_free(&tr);
    dataset_free(&te);
}

/* ---- part 2: cross-validation of k ------------------------------------------------- */

/* Returns the k with the best mean accuracy (the smaller k on a tie). */
static int exp_cross_validate(const ExptArgs *a, const ImageData *d, const ExpSizes *sz, Rng *rng)
{
    const Dataset *train = &d->train;
    Dataset cv;
    dataset_subsample(train, exp_min(sz->cv_rows, dataset_size(train)), rng, &cv);
    int N = dataset_size(&cv), F = sz->cv_folds;
    char title[120];
    snprintf(title, sizeof title, "2. %d-fold cross-validation of k on %d training images", F, N);
    expt_section(title);

    Mat *acc = mat_new(EXP_NUM_K, F);
    double t = timer_now();
    knn_cross_validate(cv.X, cv.y, F, exp_k_choices, EXP_NUM_K, acc);
    t = timer_now() - t;

    double ks[EXP_NUM_K], mean[EXP_NUM_K], sd[EXP_NUM_K];
    printf("  %5s ", "k");
    for (int f = 0; f < F; f++) {
        char head[16];
        snprintf(head, sizeof head, "fold %d", f);
        printf(" %7s", head);
    }
    printf(" %8s %8s\n", "mean", "std");
    int best = 0;
    for (int c = 0; c < EXP_NUM_K; c++) {
        double s = 0.0, ss = 0.0;
        for (int f = 0; f < F; f++) s += MAT_AT(acc, c, f);
        mean[c] = s / F;
        for (int f = 0; f < F; f++) ss += (MAT_AT(acc, c, f) - mean[c]) * (MAT_AT(acc, c, f) - mean[c]);
        sd[c] = sqrt(ss / F);   /* the spread over the folds */
        ks[c] = exp_k_choices[c];
        if (mean[c] > mean[best]) best = c;
        printf("  %5d ", exp_k_choices[c]);
        for (int f = 0; f < F; f++) printf(" %6.2f%%", 100 * MAT_AT(acc, c, f));
        printf(" %7.2f%% %7.2f%%\n", 100 * mean[c], 100 * sd[c]);
    }
    printf("  best k = %d: mean %.2f%% +- %.2f%% over %d folds (%.2f s)\n", exp_k_choices[best],
           100 * mean[best], 100 * sd[best], F, t);

    /* The figure, in percent: every fold's accuracy as a faint point (as in the
     * lecture's figure), the mean with one standard deviation, the best k ringed. */
    double *fold_k = expt_xmalloc(sizeof(double) * EXP_NUM_K * F), *fold_acc = expt_xmalloc(sizeof(double) * EXP_NUM_K * F);
    for (int c = 0; c < EXP_NUM_K; c++) {
        for (int f = 0; f < F; f++) {
            fold_k[c * F + f] = ks[c];
            fold_acc[c * F + f] = 100 * MAT_AT(acc, c, f);
        }
        mean[c] *= 100;
        sd[c] *= 100;
    }
    char ptitle[160], fold_label[40], mark_label[64];
    snprintf(ptitle, sizeof ptitle, "k-NN, %d-fold cross-validation on %d %s training images", F, N, d->name);
    snprintf(fold_label, sizeof fold_label, "one fold (%d per k)", F);
    snprintf(mark_label, sizeof mark_label, "best k = %d: %.1f%%", exp_k_choices[best], mean[best]);
    PlotSeries s[2] = {
        { .label = fold_label, .x = fold_k, .y = fold_acc, .n = EXP_NUM_K * F, .no_line = true, .faint = true,
          .color = 7 },
        { .label = "mean over folds, +- 1 std", .x = ks, .y = mean, .yerr = sd, .n = EXP_NUM_K, .points = true,
          .color = 1 },
    };
    PlotMark mark = { .x = ks[best], .y = mean[best], .label = mark_label, .color = 2 };
    PlotOpts opts = { .title = ptitle, .xlabel = "k, neighbours that vote (log scale)",
                      .ylabel = "validation accuracy (%)", .logx = true, .xformat = "%.0f",
                      .marks = &mark, .nmarks = 1, .key_pos = "bottom left" };
    const char *png = expt_path(a, "knn_cross_validation.png");
    expt_figure(plot_lines(png, &opts, s, 2), png,
                "validation accuracy vs k: each fold (grey dots), the mean +- 1 std, the best k ringed");
    free(fold_k);
    free(fold_acc);

    int best_k = exp_k_choices[best];
    mat_free(acc);
    dataset_free(&cv);
    return best_k;
}

/* ---- part 3: the test set, once ------------------------------------------------------ */

/* What the blocks of part 3 share. Block b is test rows [b*B, b*B + B); each
 * worker has its own (B, N) distance matrix and writes only its blocks'
 * predictions, so no two threads touch the same memory and the results are the
 * same on any number of threads. */
typedef struct {
    const Dataset *train, *test;
    int M, B, best_k;
    Mat **dists;                /* one (B, N) block per worker */
    int *pred1, *predk;         /* (M) */
    double *t_dist, *t_pred;    /* seconds per worker */
    atomic_long rows_done;      /* for the progress bar */
    pthread_mutex_t bar_lock;   /* the bar is drawn by one thread at a time */
    Progress *bar;
} ExpBlocks;

/* One block: your no-loop distances, then your predictions with k = 1 and the chosen k. */
static void exp_block(void *ctx, int b, int worker)
{
    ExpBlocks *e = ctx;
    int start = b * e->B, n = exp_min(e->B, e->M - start);
    Mat rows = mat_rows_view(e->test->X, start, n);
    Mat block = mat_rows_view(e->dists[worker], 0, n);   /* the last block may be shorter */
    double t0 = timer_now();
    knn_distances_no_loops(e->train->X, &rows, &block);
    double t1 = timer_now();
    knn_predict_labels(&block, e->train->y, 1, e->pred1 + start);
    knn_predict_labels(&block, e->train->y, e->best_k, e->predk + start);
    e->t_pred[worker] += timer_now() - t1;
    e->t_dist[worker] += t1 - t0;
    long done = atomic_fetch_add(&e->rows_done, n) + n;
    pthread_mutex_lock(&e->bar_lock);
    progress_update(e->bar, done);
    pthread_mutex_unlock(&e->bar_lock);
}


/* The n smallest entries of a distance row (N values), nearest first, with
 * knn_predict_labels' tie rule (an equal distance keeps the lower index first):
 * an insertion into a sorted array of n, as the handout describes. */
static void exp_nearest(const double *row, int N, int n, int *idx, double *dist)
{
    int have = 0;
    for (int j = 0; j < N; j++) {
        double v = row[j];
        if (have == n && !(v < dist[n - 1])) continue;
        int p = have < n ? have++ : n - 1;
        while (p > 0 && dist[p - 1] > v) {
            dist[p] = dist[p - 1];
            idx[p] = idx[p - 1];
            p--;
        }
        dist[p] = v;
        idx[p] = j;
    }
}

#define EXP_SHOW_RIGHT 3
#define EXP_SHOW_WRONG 3
#define EXP_SHOW (EXP_SHOW_RIGHT + EXP_SHOW_WRONG)

/* The figures of the test predictions: the confusion matrix, and the nearest
 * training images of a few test images (three it gets right, three it gets
 * wrong, each of a different class), their distances computed again with
 * knn_distances_no_loops. pred: the test predictions with k. */
static void exp_test_figures(const ExptArgs *a, const ImageData *d, const Dataset *train, const Dataset *test,
                             const int *pred, int k)
{
    int M = dataset_size(test), N = dataset_size(train), C = d->num_classes;
    char title[200];
    Mat *cm = plot_confusion_matrix(test->y, pred, M, C);
    const char *png = expt_path(a, "knn_confusion.png");
    snprintf(title, sizeof title, "k-NN (k = %d), %d %s test images", k, M, d->name);
    expt_figure(cm ? plot_confusion(png, title, cm, d->classes, false) : -1, png,
                "confusion matrix of the test predictions (rows: true class), each class's accuracy at the right");
    mat_free(cm);

    /* Which test images: the first right and the first wrong ones, one per class. */
    int pick[EXP_SHOW], npick = 0, nright = 0, nwrong = 0;
    bool used_right[DATASET_MAX_CLASSES] = { false }, used_wrong[DATASET_MAX_CLASSES] = { false };
    for (int i = 0; i < M && (nright < EXP_SHOW_RIGHT || nwrong < EXP_SHOW_WRONG); i++) {
        int c = test->y[i];
        if (c < 0 || c >= C) continue;
        if (pred[i] == c && nright < EXP_SHOW_RIGHT && !used_right[c]) {
            used_right[c] = true;
            pick[nright++] = i;
        } else if (pred[i] != c && nwrong < EXP_SHOW_WRONG && !used_wrong[c]) {
            used_wrong[c] = true;
            pick[EXP_SHOW_RIGHT + nwrong++] = i;
        }
    }
    for (int w = 0; w < nwrong; w++) pick[nright + w] = pick[EXP_SHOW_RIGHT + w];   /* close the gap */
    npick = nright + nwrong;
    /* Columns of neighbours: the k that voted, kept between 5 and 10 so the figure stays readable. */
    int show = k < 5 ? 5 : k > 10 ? 10 : k;
    if (show > N) show = N;
    if (npick == 0 || show < 1) return;

    Dataset q;
    dataset_gather(test, pick, npick, &q);
    Mat *dists = mat_new(npick, N);
    knn_distances_no_loops(train->X, q.X, dists);
    int *nn = expt_xmalloc(sizeof(int) * (size_t)npick * (size_t)show);
    double *nd = expt_xmalloc(sizeof(double) * (size_t)npick * (size_t)show);
    for (int r = 0; r < npick; r++) exp_nearest(&MAT_AT(dists, r, 0), N, show, nn + r * show, nd + r * show);

    /* One row per test image: the image (blue frame) captioned with its class and
     * the vote, then its neighbours, green when of the test image's class. */
    int cols = show + 1;
    VizCell *cells = calloc((size_t)npick * cols, sizeof *cells);
    char (*caps)[64] = calloc((size_t)npick * cols, sizeof *caps);
    char heads[11][16], rowbuf[EXP_SHOW][64];
    const char *head[11], *rows[EXP_SHOW];
    if (!cells || !caps) {
        fprintf(stderr, "out of memory for knn_neighbors.png\n");
        exit(1);
    }
    snprintf(heads[0], sizeof heads[0], "test image");
    for (int j = 1; j < cols; j++)
        snprintf(heads[j], sizeof heads[j], "%d%s", j, j == 1 ? "st" : j == 2 ? "nd" : j == 3 ? "rd" : "th");
    for (int j = 0; j < cols; j++) head[j] = heads[j];
    for (int r = 0; r < npick; r++) {
        int i = pick[r];
        bool right = pred[i] == test->y[i];
        /* The vote goes in the row label, so the columns stay as narrow as a class name. */
        /* A label outside the classes can only come from a broken knn_predict_labels. */
        const char *vote = pred[i] >= 0 && pred[i] < C ? d->classes[pred[i]] : "?";
        snprintf(rowbuf[r], sizeof rowbuf[r], "%s\nvote:\n%s", right ? "right" : "WRONG", vote);
        rows[r] = rowbuf[r];
        VizCell *c = &cells[(size_t)r * cols];
        c[0].pixels = &MAT_AT(q.X, r, 0);
        c[0].frame = VIZ_FRAME_QUERY;
        snprintf(caps[(size_t)r * cols], sizeof caps[0], "%s", d->classes[test->y[i]]);
        c[0].caption = caps[(size_t)r * cols];
        for (int j = 0; j < show; j++) {
            int t = nn[r * show + j];
            char *cap = caps[(size_t)r * cols + 1 + j];
            snprintf(cap, sizeof caps[0], "%s\nd = %.2f", d->classes[train->y[t]], nd[r * show + j]);
            c[1 + j].pixels = &MAT_AT(train->X, t, 0);
            c[1 + j].caption = cap;
            c[1 + j].frame = train->y[t] == test->y[i] ? VIZ_FRAME_GOOD : VIZ_FRAME_BAD;
        }
    }
    snprintf(title, sizeof title, "the %d nearest of %d %s training images (L2) to %d test images; the vote uses k = %d",
             show, N, d->name, npick, k);
    VizGridOpts o = { .title = title, .row_labels = rows, .col_labels = head,
                      .note = "left: what the k nearest voted   blue: the test image and its class   green: the same class   "
                              "red: another class" };
    png = expt_path(a, "knn_neighbors.png");
    expt_figure(viz_save_grid(png, cells, npick, cols, d->side, d->channels, &o), png,
                "the nearest training images of test images classified right and wrong, with their L2 distances");
    free(cells);
    free(caps);
    free(nn);
    free(nd);
    mat_free(dists);
    dataset_free(&q);
}

static void exp_test_set(const ExptArgs *a, const ImageData *d, const ExpSizes *sz, int best_k, bool searched,
                         Rng *rng)
{
    const Dataset *train_all = &d->train, *test_all = &d->test;
    /* Under --quick, a subset; otherwise all of it. */
    Dataset train_sub = { 0 }, test_sub = { 0 };
    const Dataset *train = train_all, *test = test_all;
    if (sz->eval_train > 0 && sz->eval_train < dataset_size(train_all)) {
        dataset_subsample(train_all, sz->eval_train, rng, &train_sub);
        train = &train_sub;
    }
    if (sz->eval_test > 0 && sz->eval_test < dataset_size(test_all)) {
        dataset_take(test_all, 0, sz->eval_test, &test_sub);
        test = &test_sub;
    }
    int M = dataset_size(test), N = dataset_size(train), B = exp_min(sz->block, M);
    /* The blocks are independent: one thread per core works on its own block
     * (GRADLAB_THREADS=n sets how many), each product on one BLAS thread. */
    int blocks = (M + B - 1) / B, workers = exp_min(par_workers(), blocks);
    char title[120];
    snprintf(title, sizeof title, "3. the test set, used once: %d test x %d training images", M, N);
    expt_section(title);
    printf("  the full distance matrix would take %.2f GB; computed in blocks of %d test rows (%.0f MB each),\n"
           "  one block per thread on %d thread%s (GRADLAB_THREADS=n sets how many)\n",
           (double)M * N * sizeof(double) / 1e9, B, (double)B * N * sizeof(double) / 1e6, workers,
           workers == 1 ? "" : "s");

    /* Both predictions come from the same pass over the test set: the
     * distances are the expensive part and do not depend on k. */
    ExpBlocks e = { .train = train, .test = test, .M = M, .B = B, .best_k = best_k };
    e.pred1 = expt_xmalloc((size_t)M * sizeof *e.pred1);
    e.predk = expt_xmalloc((size_t)M * sizeof *e.predk);
    e.dists = expt_xmalloc((size_t)workers * sizeof *e.dists);
    e.t_dist = expt_xmalloc((size_t)workers * sizeof *e.t_dist);
    e.t_pred = expt_xmalloc((size_t)workers * sizeof *e.t_pred);
    for (int w = 0; w < workers; w++) {
        e.dists[w] = mat_new(B, N);
        e.t_dist[w] = e.t_pred[w] = 0.0;
    }
    atomic_init(&e.rows_done, 0);
    pthread_mutex_init(&e.bar_lock, NULL);
    e.bar = progress_start("test set", M);
    double t_wall = timer_now();
    par_run(exp_block, &e, blocks, workers);
    t_wall = timer_now() - t_wall;
    progress_end(e.bar);
    pthread_mutex_destroy(&e.bar_lock);
    double t_dist = 0.0, t_pred = 0.0;
    for (int w = 0; w < workers; w++) {
        t_dist += e.t_dist[w];
        t_pred += e.t_pred[w];
        mat_free(e.dists[w]);
    }
    int *pred1 = e.pred1, *predk = e.predk;
    free(e.dists);
    free(e.t_dist);
    free(e.t_pred);

    printf("  %.2f s on %d thread%s (%.1f M pairs/s); of the threads' time, no-loop distances %.2f s, "
           "predictions %.2f s\n", t_wall, workers, workers == 1 ? "" : "s", (double)M * N / t_wall / 1e6, t_dist,
           t_pred);
    double acc1 = exp_accuracy(pred1, test->y, M), acck = exp_accuracy(predk, test->y, M);
    printf("  %-36s %9s\n", "classifier", "accuracy");
    printf("  %-36s %8.2f%%\n", "k = 1", 100 * acc1);
    char name[64];
    snprintf(name, sizeof name, "k = %d (%s)", best_k, searched ? "chosen by cross-validation" : "given");
    printf("  %-36s %8.2f%%\n", name, 100 * acck);

    /* Which classes are hard: accuracy per class with the chosen k. */
    int C = d->num_classes, right[DATASET_MAX_CLASSES] = { 0 }, total[DATASET_MAX_CLASSES] = { 0 };
    for (int i = 0; i < M; i++) {
        int c = test->y[i];
        if (c < 0 || c >= C) continue;
        total[c]++;
        right[c] += predk[i] == c;
    }
    printf("  accuracy per class, k = %d:\n", best_k);
    for (int c = 0; c < (C + 1) / 2; c++) {
        int c2 = c + (C + 1) / 2;
        if (c2 >= C) {
            printf("    %d %-12s %5.1f%%\n", c, d->classes[c], total[c] ? 100.0 * right[c] / total[c] : 0.0);
            continue;
        }
        printf("    %d %-12s %5.1f%%      %d %-12s %5.1f%%\n", c, d->classes[c],
               total[c] ? 100.0 * right[c] / total[c] : 0.0, c2, d->classes[c2],
               total[c2] ? 100.0 * right[c2] / total[c2] : 0.0);
    }
    exp_test_figures(a, d, train, test, predk, best_k);

    free(pred1);
    free(predk);
    dataset_free(&train_sub);
    dataset_free(&test_sub);
}

int main(int argc, char **argv)
{
    ExptArgs a;
    expt_args(argc, argv, exp_about, exp_opts, &a);
    ImageData d;
    expt_load(&a, &d);
    Rng rng;
    rng_seed(&rng, a.seed);

    ExpSizes sz = { 200, 5000, 5000, 5, 0, 0, 500 };
    if (a.quick) sz = (ExpSizes){ 50, 500, 500, 5, 1000, 3000, 500 };
    int n_train = dataset_size(&d.train);
    sz.cv_folds = expt_i(a.folds, sz.cv_folds);
    if (a.train_size > 0) sz.eval_train = expt_clamp("--train-size", a.train_size, n_train);
    int eval_train = sz.eval_train > 0 && sz.eval_train < n_train ? sz.eval_train : n_train;
    int cv_rows = exp_min(sz.cv_rows, n_train);
    /* Impossible combinations are the user's to fix, not the lab code's to crash on. */
    if (!a.no_search && sz.cv_folds > cv_rows / 2) {
        fprintf(stderr, "%s: --folds %d: too many for the %d images cross-validation uses (at most %d)\n",
                argv[0], sz.cv_folds, cv_rows, cv_rows / 2);
        return 2;
    }
    if (a.k > eval_train) {
        fprintf(stderr, "%s: --k %d: more neighbours than the %d training images the test set is compared with\n",
                argv[0], a.k, eval_train);
        return 2;
    }
    if (a.no_search)
        expt_values("k = %d (--no-search: no cross-validation), test set against %d training images", expt_i(a.k, exp_k_default),
                    eval_train);
    else
        expt_values("k %s, %d-fold cross-validation on %d images, test set against %d training images",
                    a.k > 0 ? "given (the cross-validation is shown, not used)" : "chosen by cross-validation",
                    sz.cv_folds, cv_rows, eval_train);

    double t = timer_now();
    expt_section("0. the data");
    char stitle[120];
    snprintf(stitle, sizeof stitle, "%s: the first 10 training images of each class", d.name);
    const char *png = expt_path(&a, "samples.png");
    expt_figure(viz_save_class_samples(png, stitle, d.train.X, d.train.y, d.num_classes, d.classes, 10, d.side,
                                       d.channels),
                png, "the first 10 training images of each class");
    exp_timing(&d.train, &d.test, &sz, &rng);
    int best_k = expt_i(a.k, exp_k_default);
    if (!a.no_search) {
        int cv_k = exp_cross_validate(&a, &d, &sz, &rng);
        if (a.k < 0) best_k = cv_k;
    }
    exp_test_set(&a, &d, &sz, best_k, !a.no_search && a.k < 0, &rng);
    printf("\ndone in %.1f s\n", timer_now() - t);

    dataset_named_free(&d);
    return 0;
}
