/*
 * experiment.c - lab 05: a two-layer network (Fashion-MNIST by default).
 *
 * Carves a validation split from the training images, subtracts the mean
 * image, checks two_layer_net_loss's gradients on a tiny net, tries a few
 * (hidden size, learning rate, regularization) settings in short runs, trains
 * the best one longer, and reports the test accuracy once, at the end.
 * Figures: the loss curve, train/val accuracy per epoch, and the first
 * layer's weights drawn as images (28x28, or 32x32 colour for CIFAR-10).
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
 * tiny on purpose - a grid over every knob would cost hours on two cores. */
static const Candidate SEARCH[] = {
    { 256, 0.02, 1e-4 },
    { 256, 0.05, 1e-4 },
    { 256, 0.05, 1e-3 },
    { 512, 0.05, 1e-4 },
    { 512, 0.10, 1e-4 },
    { 512, 0.50, 1e-4 },   /* deliberately too large: shows the divergence check at work */
};
static const Candidate SEARCH_QUICK[] = {
    { 64, 0.05, 1e-4 },
    { 128, 0.05, 1e-4 },
};

typedef struct {
    int n_train, n_val, n_test;   /* rows used (the split takes n_val from train) */
    int search_epochs, final_epochs;
    const Candidate *search;
    int n_search;
} Plan;

/* ---- data ------------------------------------------------------------------- */

static void prepare_data(const ImageData *f, const Plan *p, Rng *rng, Dataset *train, Dataset *val, Dataset *test)
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
    mat_free(mean);
    printf("train %d, validation %d, test %d images of %d pixels (in [0, 1], training mean subtracted)\n",
           dataset_size(train), dataset_size(val), dataset_size(test), train->X->cols);
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

static void write_figures(const ExptArgs *a, const ImageData *d, const TwoLayerNet *net, const TrainerHistory *h, int steps_per_epoch)
{
    int n = h->iters;
    double *x = malloc(sizeof *x * (size_t)(n > 0 ? n : 1));
    double *smooth = malloc(sizeof *smooth * (size_t)(n > 0 ? n : 1));
    if (!x || !smooth) {
        fprintf(stderr, "out of memory for the figures\n");
        exit(1);
    }
    /* x in epochs; a trailing mean over ~a fifth of an epoch shows the trend
     * under the minibatch noise. */
    int win = steps_per_epoch / 5 > 1 ? steps_per_epoch / 5 : 1;
    double run = 0.0;
    for (int i = 0; i < n; i++) {
        x[i] = (double)(i + 1) / steps_per_epoch;
        run += h->loss[i];
        if (i >= win) run -= h->loss[i - win];
        smooth[i] = run / (i + 1 < win ? i + 1 : win);
    }
    PlotSeries loss[2] = {
        { .label = "minibatch loss", .x = x, .y = h->loss, .n = n },
        { .label = "running mean", .x = x, .y = smooth, .n = n },
    };
    PlotOpts lo = { .title = "Two-layer net: training loss", .xlabel = "epoch", .ylabel = "loss (softmax + L2)" };
    const char *path = expt_path(a, "mlp_loss.png");
    expt_figure(plot_lines(path, &lo, loss, 2), path, "loss per SGD step");

    double ep[1024];
    int E = h->epochs < 1024 ? h->epochs : 1024;
    for (int i = 0; i < E; i++) ep[i] = i + 1;
    PlotSeries acc[2] = {
        { .label = "train (fixed subset)", .x = ep, .y = h->train_acc, .n = E, .points = true },
        { .label = "validation", .x = ep, .y = h->val_acc, .n = E, .points = true },
    };
    PlotOpts ao = { .title = "Two-layer net: accuracy after each epoch", .xlabel = "epoch", .ylabel = "accuracy" };
    path = expt_path(a, "mlp_accuracy.png");
    expt_figure(plot_lines(path, &ao, acc, 2), path, "train and validation accuracy per epoch");

    /* Column j of W1 is what hidden unit j responds to, one weight per pixel. */
    int D = net->W1->rows, K = net->W1->cols < 100 ? net->W1->cols : 100;
    Mat *tiles = mat_new(D, K);
    for (int i = 0; i < D; i++)
        for (int j = 0; j < K; j++) MAT_AT(tiles, i, j) = MAT_AT(net->W1, i, j);
    path = expt_path(a, "mlp_first_layer.png");
    char title[96];
    if (K < net->W1->cols)
        snprintf(title, sizeof title, "First-layer weights of the first %d of %d hidden units", K, net->W1->cols);
    else
        snprintf(title, sizeof title, "First-layer weights of the %d hidden units", K);
    expt_figure(viz_save_tiles_titled(path, title, tiles, d->side, d->channels, NULL, 10, 2), path,
                d->channels == 3 ? "first-layer weights of the first hidden units, as 32x32 colour images"
                                 : "first-layer weights of the first hidden units, as 28x28 images");
    mat_free(tiles);
    free(x);
    free(smooth);
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
        p = (Plan){ 5000, 1000, 1000, 1, 3, SEARCH_QUICK, (int)(sizeof SEARCH_QUICK / sizeof SEARCH_QUICK[0]) };
    else
        p = (Plan){ 50000, 10000, 10000, 3, 20, SEARCH, (int)(sizeof SEARCH / sizeof SEARCH[0]) };
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
    prepare_data(&f, &p, &rng, &train, &val, &test);
    dataset_named_free(&f);   /* the images; its names and shape stay for the figures */

    expt_section("Checks before training");
    check_before_training(&train, C, &rng);

    /* The same for every run: momentum, batch and decay (the defaults, or as given). */
    TrainerConfig base = { .batch_size = expt_i(a.batch, 128), .lr_decay = expt_d(a.lr_decay, 0.92),
                           .momentum = expt_d(a.momentum, 0.9), .acc_samples = 10000 };

    Candidate chosen = NO_SEARCH;
    if (!a.no_search) {
        expt_section("Hyperparameter search (short runs, judged on validation)");
        printf("%d settings, %d epoch%s each, batch %d, momentum %.2f, step size x%.2f per epoch\n", p.n_search,
               p.search_epochs, p.search_epochs == 1 ? "" : "s", base.batch_size, base.momentum, base.lr_decay);
        printf("  hidden  learning rate      reg   last loss  train acc  val acc   time\n");
        int best = -1;
        double best_val = -1.0;
        for (int c = 0; c < p.n_search; c++) {
            const Candidate *k = &p.search[c];
            TrainerConfig cfg = base;
            cfg.epochs = p.search_epochs;
            cfg.learning_rate = k->lr;
            cfg.reg = k->reg;
            TwoLayerNet net = trainer_net_new(train.X->cols, k->hidden, C, 0.0, &rng);
            TrainerHistory h;
            int rc = trainer_train(&net, &train, &val, &cfg, &rng, &h);
            printf("  %6d  %13.3g  %7.0e", k->hidden, k->lr, k->reg);
            if (rc != 0) {
                printf("   diverged at step %d (loss %g)   %5.1f s\n", h.iters, h.loss[h.iters - 1], h.seconds);
            } else {
                double last = h.val_acc[h.epochs - 1];
                printf("  %10.4f  %9.4f  %7.4f  %5.1f s\n", h.loss[h.iters - 1], h.train_acc[h.epochs - 1], last,
                       h.seconds);
                if (last > best_val) {
                    best_val = last;
                    best = c;
                }
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
               chosen.reg, best_val);
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

    expt_section("Figures");
    int steps_per_epoch = (dataset_size(&train) + cfg.batch_size - 1) / cfg.batch_size;
    write_figures(&a, &f, &net, &h, steps_per_epoch);

    if (rc == 0) {
        expt_section("Test accuracy (measured once, with the chosen setting)");
        printf("test accuracy %.4f on %d images (validation %.4f)\n",
               trainer_accuracy(&net, test.X, test.y), dataset_size(&test), h.val_acc[h.epochs - 1]);
    }
    printf("\ntotal time %.1f s\n", timer_now() - t0);

    trainer_history_free(&h);
    trainer_net_free(&net);
    dataset_free(&train);
    dataset_free(&val);
    dataset_free(&test);
    return rc == 0 ? 0 : 1;
}
