/*
 * experiment.c - lab 05: a two-layer network (Fashion-MNIST by default).
 *
 * Carves a validation split from the training images, subtracts the mean
 * image, checks two_layer_net_loss's gradients on a tiny net, tries a few
 * (hidden size, learning rate, regularization) settings in short runs, trains
 * the best one longer, and reports the test accuracy once, at the end.
 * Figures: the search's results; the first layers of two search runs that
 * differ only in regularization; the final run's loss and accuracies; its
 * first layer's weights drawn as images (28x28, or 32x32 colour for CIFAR-10);
 * the test set's confusion matrix and some test images it gets wrong.
 */
#include "expt.h"
#include "mlp.h"
#include "plot.h"
#include "timer.h"
#include "trainer.h"
#include "viz.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char ABOUT[] =
    "lab 05: train a two-layer neural network (affine - ReLU - affine - softmax)\n"
    "with minibatch SGD and momentum; pick the hidden size, learning rate and regularization on a\n"
    "validation split, then report the test accuracy once.";

static const ExptOpt OPTS[] = {
    { EXPT_OPT_DATA, "fashion", NULL },
    { EXPT_OPT_HIDDEN, "searched; 512 with --no-search", "hidden units of the final run" },
    { EXPT_OPT_LR, "searched; 0.1 with --no-search", "learning rate of the final run" },
    { EXPT_OPT_REG, "searched; 1e-4 with --no-search", "L2 regularization strength of the final run" },
    { EXPT_OPT_EPOCHS, "20; 3 with --quick", "epochs of the final run" },
    { EXPT_OPT_BATCH, "128", "minibatch size (search and final run)" },
    { EXPT_OPT_MOMENTUM, "0.9", "SGD momentum (search and final run)" },
    { EXPT_OPT_LR_DECAY, "0.92", "factor the learning rate is multiplied by after each epoch" },
    { EXPT_OPT_TRAIN_SIZE, "50000; 5000 with --quick", "training images (validation images are extra)" },
    { EXPT_OPT_NO_SEARCH, NULL, "skip the search: train once at the given values (defaults for the others)" },
    { 0 },
};

typedef struct {
    int hidden;
    double lr, reg;
} Candidate;

/* What the search picked on Fashion-MNIST (the handout's run): the --no-search defaults. */
static const Candidate NO_SEARCH = { 512, 0.1, 1e-4 };

/* The small search: short runs of each, judged on validation accuracy. Kept
 * tiny on purpose - a grid over every knob would cost hours on two cores.
 * Two entries differ in the regularization alone (Plan.reg_pair): they start
 * from the same weights and see the same batches, so the figure comparing their
 * first layers shows what reg does and nothing else. */
static const Candidate SEARCH[] = {
    { 256, 0.02, 1e-4 },
    { 256, 0.05, 1e-4 },
    { 512, 0.05, 1e-4 },
    { 512, 0.10, 1e-4 },
    { 512, 0.10, 1e-3 },
    { 512, 1.00, 1e-4 },   /* deliberately too large: shows the divergence check at work */
};
static const Candidate SEARCH_QUICK[] = {
    { 64, 0.05, 1e-4 },
    { 128, 0.05, 1e-4 },
    { 128, 0.05, 1e-3 },
    { 128, 1.00, 1e-4 },   /* diverges, as in the full search */
};

typedef struct {
    int n_train, n_val, n_test;   /* rows used (the split takes n_val from train) */
    int search_epochs, final_epochs;
    const Candidate *search;
    int n_search;
    int reg_pair[2];              /* the search entries whose first layers are compared */
} Plan;

/* What one search run gave. */
typedef struct {
    double val_acc, train_acc, last_loss, seconds;
    bool diverged;
    int steps;                    /* steps taken (where it stopped, when it diverged) */
} SearchResult;

/* Figures show this many first-layer units: the final net's, and each of the two
 * regularization settings'. */
enum { FIRST_LAYER_UNITS = 32, REG_PAIR_UNITS = 16, MISTAKES_SHOWN = 24 };

/* ---- data ------------------------------------------------------------------- */

/* Returns the training mean image (1, D), which the figures add back to show images. */
static Mat *prepare_data(const ImageData *f, const Plan *p, Rng *rng, Dataset *train, Dataset *val, Dataset *test)
{
    Dataset pool;
    int n_pool = p->n_train + p->n_val;
    if (n_pool > dataset_size(&f->train)) n_pool = dataset_size(&f->train);
    dataset_subsample(&f->train, n_pool, rng, &pool);           /* shuffled */
    dataset_take(&pool, 0, p->n_val, val);
    dataset_take(&pool, p->n_val, n_pool - p->n_val, train);
    dataset_free(&pool);
    int n_test = p->n_test < dataset_size(&f->test) ? p->n_test : dataset_size(&f->test);
    dataset_take(&f->test, 0, n_test, test);

    /* Centre the pixels with the TRAINING mean only: the validation and test
     * images must not leak into anything the model is fitted with. No bias
     * column: the network has its own biases. */
    Mat *mean = dataset_mean_image(train->X);
    dataset_subtract_mean(train->X, mean);
    dataset_subtract_mean(val->X, mean);
    dataset_subtract_mean(test->X, mean);
    printf("train %d, validation %d, test %d images of %d pixels (in [0, 1], training mean subtracted)\n",
           dataset_size(train), dataset_size(val), dataset_size(test), train->X->cols);
    return mean;
}

/* ---- checks before training ---------------------------------------------------- */

static void check_before_training(const Dataset *train, int C, Rng *rng)
{
    char worst[160];
    double rel = trainer_check_gradients(rng, worst, sizeof worst);
    printf("gradient check (tiny net, centered differences): largest relative error %.2e %s\n", rel,
           rel < 1e-6 ? "- OK" : "- TOO LARGE");
    if (!(rel < 1e-6))
        printf("  worst entry %s\n"
               "  ---> HINT: a correct backward pass gives about 1e-8 here; look at the layer that\n"
               "  computes that gradient (run `make grade ARGS='--lab 05 --verbose'`).\n", worst);

    /* With tiny weights every score is about 0, every class gets p = 1/10 and
     * the loss is log 10: a quick test of the forward pass and the loss. */
    int n = dataset_size(train) < 500 ? dataset_size(train) : 500;
    Mat Xs = mat_rows_view(train->X, 0, n);
    TwoLayerNet tiny = trainer_net_new(train->X->cols, 50, C, 1e-4, rng);
    double loss = two_layer_net_loss(&tiny, &Xs, train->y, 0.0, NULL);
    printf("loss at initialization with tiny weights: %.4f (expected log %d = %.4f)\n", loss, C, log((double)C));
    trainer_net_free(&tiny);
}

/* ---- figures ----------------------------------------------------------------- */

/* A value the way the handout writes it: "0.05", "1e-4" (not "0.0001" or "1e-04"). */
static const char *fmt_g(char *buf, size_t n, double v)
{
    if (v == 0 || fabs(v) >= 0.01) {
        snprintf(buf, n, "%g", v);
        return buf;
    }
    char mant[32];
    int e = (int)floor(log10(fabs(v)));
    double m = v / pow(10, e);
    if (fabs(m) >= 9.995) m /= 10, e++;   /* 9.999e-5 rounds to 10: write 1e-4 */
    snprintf(mant, sizeof mant, "%.2f", m);
    char *end = mant + strlen(mant);
    while (end[-1] == '0') *--end = '\0';
    if (end[-1] == '.') end[-1] = '\0';
    snprintf(buf, n, "%se%d", mant, e);
    return buf;
}

/* The k columns of W1 (D, H) with the largest norm, largest first, copied into a
 * new (D, k) matrix; their unit numbers go into units (k values; NULL: not wanted). The units with
 * the largest weights are those training moved furthest from their small random start. */
static Mat *largest_units(const Mat *W1, int k, int *units)
{
    int D = W1->rows, H = W1->cols;
    double *norm = expt_xmalloc(sizeof *norm * (size_t)H);
    for (int j = 0; j < H; j++) {
        double s = 0.0;
        for (int i = 0; i < D; i++) s += MAT_AT(W1, i, j) * MAT_AT(W1, i, j);
        norm[j] = s;
    }
    Mat *T = mat_new(D, k);
    for (int t = 0; t < k; t++) {   /* k is small: pick the largest left each time */
        int best = -1;
        for (int j = 0; j < H; j++)
            if (norm[j] >= 0 && (best < 0 || norm[j] > norm[best])) best = j;
        if (units) units[t] = best;
        norm[best] = -1.0;
        for (int i = 0; i < D; i++) MAT_AT(T, i, t) = MAT_AT(W1, i, best);
    }
    free(norm);
    return T;
}

/* Validation accuracy of every search run against its learning rate, one line per
 * (hidden, reg); diverged runs marked at the bottom, the best run marked. */
static void figure_search(const ExptArgs *a, const Plan *p, const SearchResult *r, int best)
{
    int n = p->n_search < 16 ? p->n_search : 16;
    double *x = expt_xmalloc(sizeof *x * (size_t)n * 2), *y = x + n;
    PlotSeries s[16];
    char labels[16][48];
    int ns = 0;
    double lo = INFINITY, hi = -INFINITY, lr0 = INFINITY, lr1 = -INFINITY;
    for (int c = 0; c < n; c++) {
        if (!r[c].diverged) lo = fmin(lo, 100 * r[c].val_acc), hi = fmax(hi, 100 * r[c].val_acc);
        lr0 = fmin(lr0, p->search[c].lr), lr1 = fmax(lr1, p->search[c].lr);
    }
    /* Group the runs by (hidden, reg), in the order they first appear, each group sorted by lr. */
    bool done[16] = { false };
    int group[16], used = 0;
    for (int c = 0; c < n; c++) {
        if (done[c]) continue;
        const Candidate *k = &p->search[c];
        int first = used;
        for (int d = c; d < n; d++) {
            const Candidate *q = &p->search[d];
            if (done[d] || q->hidden != k->hidden || q->reg != k->reg) continue;
            done[d] = true;
            group[d] = ns;
            int at = used++;   /* insertion sort by lr */
            while (at > first && x[at - 1] > q->lr) {
                x[at] = x[at - 1], y[at] = y[at - 1];
                at--;
            }
            x[at] = q->lr;
            y[at] = r[d].diverged ? NAN : 100 * r[d].val_acc;
        }
        char g[16];
        snprintf(labels[ns], sizeof labels[ns], "hidden %d, reg %s", k->hidden, fmt_g(g, sizeof g, k->reg));
        s[ns] = (PlotSeries){ .label = labels[ns], .x = x + first, .y = y + first, .n = used - first,
                              .points = true };
        ns++;
    }
    if (!(lo <= hi)) lo = 0, hi = 100;
    double span = hi - lo > 2 ? hi - lo : 2;
    double ymin = lo - 0.35 * span, ymax = hi + 0.25 * span;
    PlotMark marks[16];
    char mlabel[16][96];
    int nm = 0;
    for (int c = 0; c < n && nm < 15; c++)
        if (r[c].diverged) {
            snprintf(mlabel[nm], sizeof mlabel[nm], "diverged");
            /* in its group's colour, at the bottom: it has no accuracy */
            marks[nm] = (PlotMark){ .x = p->search[c].lr, .y = ymin + 0.12 * span, .label = mlabel[nm],
                                    .color = group[c] % 8 + 1 };
            nm++;
        }
    if (best >= 0) {
        const Candidate *b = &p->search[best];
        char g[16];
        snprintf(mlabel[nm], sizeof mlabel[nm], "best: hidden %d, lr %g, reg %s (%.1f%%)", b->hidden, b->lr,
                 fmt_g(g, sizeof g, b->reg), 100 * r[best].val_acc);
        marks[nm] = (PlotMark){ .x = b->lr, .y = 100 * r[best].val_acc, .label = mlabel[nm] };
        nm++;
    }
    char title[128];
    snprintf(title, sizeof title, "Search: validation accuracy after %d epoch%s of each setting", p->search_epochs,
             p->search_epochs == 1 ? "" : "s");
    PlotOpts o = { .title = title, .xlabel = "learning rate", .ylabel = "validation accuracy (%)", .logx = true,
                   .ymin = ymin, .ymax = ymax, .marks = marks, .nmarks = nm, .key_pos = "outside right top", .width = 1100,
                   /* every lr tried, diverged ones too, with room on the right for the labels */
                   .xmin = lr0 / 1.5, .xmax = lr1 * 2.5 };
    const char *path = expt_path(a, "mlp_search.png");
    expt_figure(plot_lines(path, &o, s, ns), path,
                "the search: validation accuracy of each setting tried, against its learning rate; best marked");
    free(x);
}

/* The first layers of the two search runs that differ only in reg, one row each. */
static void figure_reg_pair(const ExptArgs *a, const ImageData *d, const Plan *p, Mat *const W1[2])
{
    const Candidate *c0 = &p->search[p->reg_pair[0]], *c1 = &p->search[p->reg_pair[1]];
    int k = W1[0]->cols < REG_PAIR_UNITS ? W1[0]->cols : REG_PAIR_UNITS;
    Mat *T[2] = { largest_units(W1[0], k, NULL), largest_units(W1[1], k, NULL) };
    char g0[16], g1[16], rows[2][32], title[160];
    snprintf(rows[0], sizeof rows[0], "reg %s", fmt_g(g0, sizeof g0, c0->reg));
    snprintf(rows[1], sizeof rows[1], "reg %s", fmt_g(g1, sizeof g1, c1->reg));
    snprintf(title, sizeof title,
             "First layer after %d epoch%s, hidden %d, lr %g: reg %s vs %s\n"
             "(same start, same batches; the %d largest units of each)",
             p->search_epochs, p->search_epochs == 1 ? "" : "s", c0->hidden, c0->lr, g0, g1, k);
    const Mat *Ws[2] = { T[0], T[1] };
    const char *labels[2] = { rows[0], rows[1] };
    VizTemplateOpts o = { .title = title, .cols_per_row = 8, .shared = VIZ_SCALE_SET };
    const char *path = expt_path(a, "mlp_first_layer_reg.png");
    char what[160];
    snprintf(what, sizeof what, "first-layer weights at reg %s and at reg %s, otherwise identical runs", g0, g1);
    expt_figure(viz_save_template_sets(path, Ws, labels, 2, d->side, d->channels, &o), path, what);
    mat_free(T[0]);
    mat_free(T[1]);
}

/* The loss of every step (faint) under its moving average, on a log axis so the
 * first steps' larger losses leave room for the rest; and the accuracies per epoch. */
static void figure_training(const ExptArgs *a, const Candidate *c, const TrainerHistory *h, int steps_per_epoch,
                            int train_rows, double test_acc)
{
    int n = h->iters;
    double *x = expt_xmalloc(sizeof *x * (size_t)(n > 0 ? n : 1) * 2), *smooth = x + (n > 0 ? n : 1);
    for (int i = 0; i < n; i++) x[i] = (double)(i + 1) / steps_per_epoch;
    int win = steps_per_epoch / 5 > 1 ? steps_per_epoch / 5 : 1;
    plot_moving_average(h->loss, n, win, smooth);
    /* A run that stopped within a few windows has too few steps for an average to mean anything. */
    bool smoothed = n >= 3 * win;
    PlotSeries loss[2] = {
        { .label = "minibatch loss", .x = x, .y = h->loss, .n = n, .faint = smoothed, .points = !smoothed },
        { .label = "moving average (1/5 epoch)", .x = x, .y = smooth, .n = n, .color = 2 },
    };
    char g[16], title[160];
    int len = snprintf(title, sizeof title, "Two-layer net (hidden %d, lr %g, reg %s): training loss", c->hidden,
                       c->lr, fmt_g(g, sizeof g, c->reg));
    PlotMark stop = { 0 };
    if (h->diverged && n > 0) {
        int ep = (n - 1) / steps_per_epoch + 1;
        snprintf(title + len, sizeof title - (size_t)len, " - DIVERGED at epoch %d, step %d", ep,
                 (n - 1) % steps_per_epoch + 1);
        stop = (PlotMark){ .x = x[n - 1], .y = h->loss[n - 1], .color = 2 };   /* the title says what it is */
    }
    PlotOpts lo = { .title = title, .xlabel = "epoch", .ylabel = "loss (softmax + L2), log scale", .logy = true,
                    .marks = &stop, .nmarks = h->diverged && n > 0 && isfinite(stop.y), .key_pos = "top right" };
    const char *path = expt_path(a, "mlp_loss.png");
    expt_figure(plot_lines(path, &lo, loss, smoothed ? 2 : 1), path,
                h->diverged ? "loss per SGD step until training diverged (log scale)"
                            : "loss per SGD step and its moving average (log scale)");

    int E = h->epochs;
    if (E == 0) {   /* diverged in the first epoch: no accuracy was measured */
        free(x);
        return;
    }
    double *ep = expt_xmalloc(sizeof *ep * (size_t)(E > 0 ? E : 1) * 3), *tr = ep + E, *va = tr + E;
    for (int i = 0; i < E; i++) ep[i] = i + 1, tr[i] = 100 * h->train_acc[i], va[i] = 100 * h->val_acc[i];
    /* The test accuracy as a dashed level across the epochs, in the legend (a label on the
     * line itself would sit on the curves). */
    double tx[2] = { 1, E > 1 ? E : 1 }, ty[2] = { 100 * test_acc, 100 * test_acc };
    char trlabel[64], tlabel[64];
    snprintf(trlabel, sizeof trlabel, "train (%d fixed training images)", train_rows);
    snprintf(tlabel, sizeof tlabel, "test %.1f%% (measured once, at the end)", 100 * test_acc);
    PlotSeries acc[3] = {
        { .label = trlabel, .x = ep, .y = tr, .n = E, .points = true },
        { .label = "validation", .x = ep, .y = va, .n = E, .points = true, .color = 2 },
        { .label = tlabel, .x = tx, .y = ty, .n = 2, .dash = PLOT_DASHED, .color = 3 },
    };
    PlotOpts ao = { .title = "Two-layer net: accuracy after each epoch", .xlabel = "epoch",
                    .ylabel = "accuracy (%)", .key_pos = "bottom right", .xmin = E > 1 ? 0.5 : 0,
                    .xmax = E > 1 ? E + 0.5 : 0 };
    path = expt_path(a, "mlp_accuracy.png");
    expt_figure(plot_lines(path, &ao, acc, isnan(test_acc) ? 2 : 3), path,
                "train and validation accuracy after each epoch; their gap is overfitting");
    free(ep);
    free(x);
}

/* The final net's first layer: the units with the largest weights, as images. */
static void figure_first_layer(const ExptArgs *a, const ImageData *d, const Candidate *c, const TwoLayerNet *net,
                               int epochs)
{
    int H = net->W1->cols, k = H < FIRST_LAYER_UNITS ? H : FIRST_LAYER_UNITS;
    int *units = expt_xmalloc(sizeof *units * (size_t)k);
    Mat *T = largest_units(net->W1, k, units);
    char (*cap)[16] = expt_xmalloc(sizeof *cap * (size_t)k);
    const char **caps = expt_xmalloc(sizeof *caps * (size_t)k);
    for (int t = 0; t < k; t++) {
        snprintf(cap[t], sizeof cap[t], "unit %d", units[t]);
        caps[t] = cap[t];
    }
    char g[16], title[160], what[160];
    snprintf(title, sizeof title, "First-layer weights: the %d of %d hidden units with the largest weights\n"
             "(hidden %d, lr %g, reg %s, %d epoch%s)", k, H, c->hidden, c->lr, fmt_g(g, sizeof g, c->reg), epochs,
             epochs == 1 ? "" : "s");
    snprintf(what, sizeof what, "the first layer: the %d hidden units with the largest weights, as %dx%d%s images", k,
             d->side, d->side, d->channels == 3 ? " colour" : "");
    VizTemplateOpts o = { .title = title, .captions = caps, .cols_per_row = 8 };
    const char *path = expt_path(a, "mlp_first_layer.png");
    expt_figure(viz_save_templates(path, T, d->side, d->channels, &o), path, what);
    mat_free(T);
    free(caps);
    free(cap);
    free(units);
}

/* The confusion matrix of the test predictions, and the first test images the net gets wrong. */
static void figure_test(const ExptArgs *a, const ImageData *d, const Candidate *c, const Dataset *test,
                        const Mat *mean, const int *pred)
{
    int n = dataset_size(test);
    Mat *cm = plot_confusion_matrix(test->y, pred, n, d->num_classes);
    char title[128];
    snprintf(title, sizeof title, "Two-layer net (hidden %d), %s test set", c->hidden, d->name);
    const char *path = expt_path(a, "mlp_confusion.png");
    if (cm) {
        expt_figure(plot_confusion(path, title, cm, d->classes, false), path,
                    "confusion matrix of the test predictions (rows: true class), with each class's accuracy");
        mat_free(cm);
    } else
        expt_figure(-1, path, "confusion matrix");

    /* The mistakes as the net saw them, with the training mean added back so they look like the images. */
    int D = test->X->cols, m = 0, wrong = 0;
    for (int i = 0; i < n; i++) wrong += pred[i] != test->y[i];
    int show = wrong < MISTAKES_SHOWN ? wrong : MISTAKES_SHOWN;
    Mat *X = mat_new(show > 0 ? show : 1, D);
    int yt[MISTAKES_SHOWN], yp[MISTAKES_SHOWN];
    for (int i = 0; i < n && m < show; i++) {
        if (pred[i] == test->y[i]) continue;
        for (int j = 0; j < D; j++) MAT_AT(X, m, j) = MAT_AT(test->X, i, j) + mean->data[j];
        yt[m] = test->y[i], yp[m] = pred[i];
        m++;
    }
    if (wrong == 0)
        snprintf(title, sizeof title, "Two-layer net: no test image is misclassified");
    else if (show < wrong)
        snprintf(title, sizeof title, "Two-layer net: the first %d of the %d test images it gets wrong", show, wrong);
    else
        snprintf(title, sizeof title, "Two-layer net: the %d test image%s it gets wrong", wrong, wrong == 1 ? "" : "s");
    path = expt_path(a, "mlp_misclassified.png");
    expt_figure(viz_save_misclassified(path, title, X, yt, yp, show, d->classes, MISTAKES_SHOWN, 8, d->side,
                                       d->channels),
                path, "test images the net gets wrong, with their true and predicted classes");
    mat_free(X);
}

/* ---- main -------------------------------------------------------------------- */

int main(int argc, char **argv)
{
    double t0 = timer_now();
    ExptArgs a;
    expt_args(argc, argv, ABOUT, OPTS, &a);
    ImageData f;
    expt_load(&a, &f);
    Rng rng;
    rng_seed(&rng, a.seed);

    Plan p;
    if (a.quick)
        p = (Plan){ 5000, 1000, 1000, 1, 3, SEARCH_QUICK, (int)(sizeof SEARCH_QUICK / sizeof SEARCH_QUICK[0]), { 1, 2 } };
    else
        p = (Plan){ 50000, 10000, 10000, 3, 20, SEARCH, (int)(sizeof SEARCH / sizeof SEARCH[0]), { 3, 4 } };
    if (a.train_size > 0) p.n_train = a.train_size;
    p.final_epochs = expt_i(a.epochs, p.final_epochs);
    /* A smaller set (CIFAR-10 has 50,000 training images, the committed mini subset far
     * fewer): the rest after validation, or a sixth of it for validation. */
    int total = dataset_size(&f.train);
    if (p.n_train + p.n_val > total) {
        if (total < 2 * p.n_val) p.n_val = total / 6;
        printf("note: %d training images asked for, %d available after %d for validation\n", p.n_train,
               total - p.n_val, p.n_val);
        p.n_train = total - p.n_val;
    }
    int C = f.num_classes;

    expt_section("Data");
    Dataset train, val, test;
    Mat *mean = prepare_data(&f, &p, &rng, &train, &val, &test);
    dataset_named_free(&f);   /* the images; its names and shape stay for the figures */

    expt_section("Checks before training");
    check_before_training(&train, C, &rng);

    /* The same for every run: momentum, batch and decay (the defaults, or as given). */
    TrainerConfig base = { .batch_size = expt_i(a.batch, 128), .lr_decay = expt_d(a.lr_decay, 0.92),
                           .momentum = expt_d(a.momentum, 0.9), .acc_samples = 10000 };

    Candidate chosen = NO_SEARCH;
    if (!a.no_search) {
        expt_section("Hyperparameter search (short runs, judged on validation)");
        printf("%d settings, %d epoch%s each, batch %d, momentum %.2f, step size x%.2f per epoch;\n"
               "every run starts from the same seed, so two runs that differ in one value differ only by it\n",
               p.n_search, p.search_epochs, p.search_epochs == 1 ? "" : "s", base.batch_size, base.momentum,
               base.lr_decay);
        printf("  hidden  learning rate      reg   last loss  train acc  val acc   time\n");
        SearchResult res[16];
        Mat *pair_W1[2] = { NULL, NULL };
        int best = -1;
        for (int c = 0; c < p.n_search && c < 16; c++) {
            const Candidate *k = &p.search[c];
            TrainerConfig cfg = base;
            cfg.epochs = p.search_epochs;
            cfg.learning_rate = k->lr;
            cfg.reg = k->reg;
            Rng run_rng;   /* the same start and batch order for every setting */
            rng_seed(&run_rng, a.seed + 1000);
            TwoLayerNet net = trainer_net_new(train.X->cols, k->hidden, C, 0.0, &run_rng);
            TrainerHistory h;
            int rc = trainer_train(&net, &train, &val, &cfg, &run_rng, &h);
            res[c] = (SearchResult){ .diverged = rc != 0, .steps = h.iters, .seconds = h.seconds,
                                     .last_loss = h.iters > 0 ? h.loss[h.iters - 1] : NAN };
            char g[16];
            printf("  %6d  %13.3g  %7s", k->hidden, k->lr, fmt_g(g, sizeof g, k->reg));
            if (rc != 0) {
                printf("   diverged at step %d (loss %g)   %5.1f s\n", h.iters, res[c].last_loss, h.seconds);
            } else {
                res[c].val_acc = h.val_acc[h.epochs - 1];
                res[c].train_acc = h.train_acc[h.epochs - 1];
                printf("  %10.4f  %9.4f  %7.4f  %5.1f s\n", res[c].last_loss, res[c].train_acc, res[c].val_acc,
                       h.seconds);
                if (best < 0 || res[c].val_acc > res[best].val_acc) best = c;
                for (int q = 0; q < 2; q++)
                    if (c == p.reg_pair[q]) pair_W1[q] = mat_copy(net.W1);
            }
            fflush(stdout);
            trainer_history_free(&h);
            trainer_net_free(&net);
        }
        if (best < 0) {
            printf("every setting diverged: the learning rates are too high for this loss, or the backward\n"
                   "pass has a bug (see the gradient check above).\n");
            return 1;
        }
        chosen = p.search[best];
        printf("best on validation: hidden %d, learning rate %g, reg %g (val acc %.4f)\n", chosen.hidden, chosen.lr,
               chosen.reg, res[best].val_acc);
        figure_search(&a, &p, res, best);
        if (pair_W1[0] && pair_W1[1]) figure_reg_pair(&a, &f, &p, pair_W1);
        mat_free(pair_W1[0]);
        mat_free(pair_W1[1]);
    }
    /* Given values replace the search's choice (or the --no-search defaults). */
    chosen.hidden = expt_i(a.hidden, chosen.hidden);
    chosen.lr = expt_d(a.lr, chosen.lr);
    chosen.reg = expt_d(a.reg, chosen.reg);
    bool given = a.hidden > 0 || !isnan(a.lr) || !isnan(a.reg);
    expt_values("hidden %d, learning rate %g, reg %g (%s); %d epochs, batch %d, momentum %g, lr x %g per epoch; "
                "%d training images", chosen.hidden, chosen.lr, chosen.reg,
                a.no_search ? (given ? "given, --no-search defaults for the others" : "--no-search defaults")
                            : (given ? "given values replace the search's choice" : "chosen by the search"),
                p.final_epochs, base.batch_size, base.momentum, base.lr_decay, dataset_size(&train));

    expt_section(a.no_search ? "Training once at the given values" : "Training the best setting longer");
    TrainerConfig cfg = base;
    cfg.epochs = p.final_epochs;
    cfg.learning_rate = chosen.lr;
    cfg.reg = chosen.reg;
    cfg.verbose = true;
    printf("hidden %d, %d epochs, learning rate %g (x%.2f per epoch), reg %g, batch %d, momentum %.2f\n",
           chosen.hidden, cfg.epochs, cfg.learning_rate, cfg.lr_decay, cfg.reg, cfg.batch_size, cfg.momentum);
    TwoLayerNet net = trainer_net_new(train.X->cols, chosen.hidden, C, 0.0, &rng);
    TrainerHistory h;
    int rc = trainer_train(&net, &train, &val, &cfg, &rng, &h);
    if (rc != 0) printf("\n%s\n", h.message);
    if (h.epochs > 0) {
        double sum = 0.0;
        for (int e = 0; e < h.epochs; e++) sum += h.epoch_seconds[e];
        printf("time per epoch %.2f s (SGD steps only), training %.1f s in all\n", sum / h.epochs, h.seconds);
    }

    /* The test set, once, with the chosen setting (not for a net that diverged). */
    double test_acc = NAN;
    int *pred = NULL;
    if (rc == 0) {
        expt_section("Test accuracy (measured once, with the chosen setting)");
        pred = expt_xmalloc(sizeof *pred * (size_t)(dataset_size(&test) > 0 ? dataset_size(&test) : 1));
        trainer_predict(&net, test.X, pred);
        long correct = 0;
        for (int i = 0; i < dataset_size(&test); i++) correct += pred[i] == test.y[i];
        test_acc = dataset_size(&test) > 0 ? (double)correct / dataset_size(&test) : NAN;
        printf("test accuracy %.4f on %d images (validation %.4f)\n", test_acc, dataset_size(&test),
               h.val_acc[h.epochs - 1]);
    }

    expt_section("Figures");
    int steps_per_epoch = (dataset_size(&train) + cfg.batch_size - 1) / cfg.batch_size;
    int acc_rows = dataset_size(&train) < cfg.acc_samples ? dataset_size(&train) : cfg.acc_samples;
    figure_training(&a, &chosen, &h, steps_per_epoch, acc_rows, test_acc);
    figure_first_layer(&a, &f, &chosen, &net, h.epochs);
    if (pred) figure_test(&a, &f, &chosen, &test, mean, pred);
    printf("\ntotal time %.1f s\n", timer_now() - t0);

    free(pred);
    mat_free(mean);
    trainer_history_free(&h);
    trainer_net_free(&net);
    dataset_free(&train);
    dataset_free(&val);
    dataset_free(&test);
    return rc == 0 ? 0 : 1;
}
