/*
 * trainer.c - lab 05's given training loop: minibatch SGD with momentum,
 * step-size decay per epoch, epoch shuffling, a history of the loss and the
 * accuracies, and a stop with a clear message when training diverges.
 *
 * Everything the loop needs per step (the batch, the gradients, the velocity)
 * is allocated once before the loop, so the time goes into two_layer_net_loss.
 */
#include "trainer.h"
#include "progress.h"
#include "timer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- nets ----------------------------------------------------------------- */

TwoLayerNet trainer_net_new(int D, int H, int C, double std, Rng *rng)
{
    TwoLayerNet net = { mat_new(D, H), mat_new(1, H), mat_new(H, C), mat_new(1, C) };
    /* He et al.: with ReLU units, half the inputs to the next layer are zero
     * on average, so a variance of 2 / fan_in keeps the activations' scale
     * about the same from layer to layer. */
    mat_fill_randn(net.W1, std > 0 ? std : sqrt(2.0 / (D > 0 ? D : 1)), rng);
    mat_fill_randn(net.W2, std > 0 ? std : sqrt(2.0 / (H > 0 ? H : 1)), rng);
    return net;
}

void trainer_net_free(TwoLayerNet *net)
{
    if (!net) return;
    mat_free(net->W1);
    mat_free(net->b1);
    mat_free(net->W2);
    mat_free(net->b2);
    net->W1 = net->b1 = net->W2 = net->b2 = NULL;
}

/* A net of zeros shaped like net (gradients, velocities). */
static TwoLayerNet trainer_net_zeros_like(const TwoLayerNet *net)
{
    TwoLayerNet z = { mat_new(net->W1->rows, net->W1->cols), mat_new(1, net->b1->cols),
                      mat_new(net->W2->rows, net->W2->cols), mat_new(1, net->b2->cols) };
    return z;
}

/* ---- accuracy --------------------------------------------------------------- */

/* Bounds the hidden activations two_layer_net_predict allocates at a time. */
#define TRAINER_CHUNK 2000

void trainer_predict(const TwoLayerNet *net, const Mat *X, int *pred)
{
    for (int start = 0; start < X->rows; start += TRAINER_CHUNK) {
        int n = X->rows - start < TRAINER_CHUNK ? X->rows - start : TRAINER_CHUNK;
        Mat part = mat_rows_view(X, start, n);
        two_layer_net_predict(net, &part, pred + start);
    }
}

double trainer_accuracy(const TwoLayerNet *net, const Mat *X, const int *y)
{
    int N = X->rows;
    if (N == 0) return 0.0;
    int *pred = malloc(sizeof *pred * (size_t)N);
    if (!pred) {
        fprintf(stderr, "trainer_accuracy: out of memory\n");
        abort();
    }
    trainer_predict(net, X, pred);
    long correct = 0;
    for (int i = 0; i < N; i++) correct += pred[i] == y[i];
    free(pred);
    return (double)correct / N;
}

/* ---- training ----------------------------------------------------------------- */

/* v = mu v - lr g; p += v, entry by entry. */
static void trainer_step(Mat *p, Mat *v, const Mat *g, double mu, double lr)
{
    size_t n = (size_t)p->rows * p->cols;
    for (size_t i = 0; i < n; i++) {
        v->data[i] = mu * v->data[i] - lr * g->data[i];
        p->data[i] += v->data[i];
    }
}

/* The loss at the first step times this (or 10, if larger) counts as exploding:
 * SGD's loss is noisy but it does not grow tenfold while training works. */
#define TRAINER_EXPLODE_FACTOR 10.0

static void *trainer_alloc(size_t n)
{
    void *p = calloc(n ? n : 1, 1);
    if (!p) {
        fprintf(stderr, "trainer_train: out of memory\n");
        abort();
    }
    return p;
}

int trainer_train(TwoLayerNet *net, const Dataset *train, const Dataset *val, const TrainerConfig *cfg,
                  Rng *rng, TrainerHistory *hist)
{
    double t_start = timer_now();
    const Mat *X = train->X;
    int N = X->rows, D = X->cols;
    int B = cfg->batch_size < N ? cfg->batch_size : N;
    if (B < 1) B = 1;
    int steps_per_epoch = (N + B - 1) / B;
    int E = cfg->epochs > 0 ? cfg->epochs : 0;

    memset(hist, 0, sizeof *hist);
    hist->loss = trainer_alloc(sizeof(double) * (size_t)E * steps_per_epoch);
    hist->train_acc = trainer_alloc(sizeof(double) * (size_t)E);
    hist->val_acc = trainer_alloc(sizeof(double) * (size_t)E);
    hist->epoch_seconds = trainer_alloc(sizeof(double) * (size_t)E);

    /* Everything a step touches, allocated once. */
    int *order = trainer_alloc(sizeof(int) * (size_t)(N > 0 ? N : 1));
    for (int i = 0; i < N; i++) order[i] = i;
    Mat *Xb = mat_new(B, D);
    int *yb = trainer_alloc(sizeof(int) * (size_t)B);
    TwoLayerNet grads = trainer_net_zeros_like(net);
    TwoLayerNet vel = trainer_net_zeros_like(net);

    /* Train accuracy on a fixed prefix of the training rows: measuring all
     * of them every epoch would cost about a third of an epoch. */
    int n_acc = cfg->acc_samples > 0 && cfg->acc_samples < N ? cfg->acc_samples : N;
    Mat X_acc = mat_rows_view(X, 0, n_acc);

    double lr = cfg->learning_rate, first_loss = NAN;
    int status = 0;
    for (int ep = 0; ep < E && status == 0; ep++) {
        double t_epoch = timer_now();
        char label[48];
        snprintf(label, sizeof label, "epoch %d/%d", ep + 1, E);
        Progress *bar = cfg->verbose ? progress_start(label, steps_per_epoch) : NULL;

        /* A new order every epoch, so batches differ from one epoch to the next. */
        rng_shuffle(rng, order, N);
        double loss_sum = 0.0;
        int loss_count = 0;
        for (int s = 0; s < steps_per_epoch; s++) {
            int start = s * B, n = N - start < B ? N - start : B;
            for (int i = 0; i < n; i++) {
                int r = order[start + i];
                memcpy(&MAT_AT(Xb, i, 0), &MAT_AT(X, r, 0), sizeof(double) * (size_t)D);
                yb[i] = train->y[r];
            }
            Mat batch = mat_rows_view(Xb, 0, n);   /* the last batch may be short */

            double loss = two_layer_net_loss(net, &batch, yb, cfg->reg, &grads);
            hist->loss[hist->iters++] = loss;
            if (hist->iters == 1) first_loss = loss;
            double limit = TRAINER_EXPLODE_FACTOR * (first_loss > 1.0 ? first_loss : 1.0);
            if (!isfinite(loss) || loss > limit) {
                char what[64];
                if (isfinite(loss)) snprintf(what, sizeof what, "%.4g", loss);
                else snprintf(what, sizeof what, "%s", isnan(loss) ? "NaN" : "Inf");
                snprintf(hist->message, sizeof hist->message,
                         "training diverged at epoch %d, step %d: the loss is %s (it was %.4g at the first "
                         "step). Likely causes: the learning rate %.3g is too high (try 3-10x smaller), or "
                         "a bug in the backward pass (check two_layer_net_loss's gradients against finite "
                         "differences).", ep + 1, s + 1, what, first_loss, lr);
                hist->diverged = true;
                status = -1;
                break;
            }
            loss_sum += loss;
            loss_count++;

            trainer_step(net->W1, vel.W1, grads.W1, cfg->momentum, lr);
            trainer_step(net->b1, vel.b1, grads.b1, cfg->momentum, lr);
            trainer_step(net->W2, vel.W2, grads.W2, cfg->momentum, lr);
            trainer_step(net->b2, vel.b2, grads.b2, cfg->momentum, lr);
            progress_update(bar, s + 1);
        }
        progress_end(bar);
        if (status != 0) break;
        hist->epoch_seconds[ep] = timer_now() - t_epoch;

        hist->train_acc[ep] = trainer_accuracy(net, &X_acc, train->y);
        hist->val_acc[ep] = val ? trainer_accuracy(net, val->X, val->y) : NAN;
        hist->epochs = ep + 1;
        if (cfg->verbose)
            printf("  epoch %3d/%-3d  loss %7.4f  train acc %.4f  val acc %.4f  lr %.4g  %6.2f s\n", ep + 1, E,
                   loss_sum / (loss_count ? loss_count : 1), hist->train_acc[ep], hist->val_acc[ep], lr,
                   hist->epoch_seconds[ep]);
        fflush(stdout);
        lr *= cfg->lr_decay;
    }

    trainer_net_free(&grads);
    trainer_net_free(&vel);
    mat_free(Xb);
    free(yb);
    free(order);
    hist->seconds = timer_now() - t_start;
    return status;
}

void trainer_history_free(TrainerHistory *hist)
{
    if (!hist) return;
    free(hist->loss);
    free(hist->train_acc);
    free(hist->val_acc);
    free(hist->epoch_seconds);
    hist->loss = hist->train_acc = hist->val_acc = hist->epoch_seconds = NULL;
}

/* ---- a gradient check before training ----------------------------------------- */

typedef struct {
    const TwoLayerNet *net;
    const Mat *X;
    const int *y;
    double reg;
} TrainerLossCtx;

static double trainer_loss_of(const TrainerLossCtx *c)
{
    return two_layer_net_loss(c->net, c->X, c->y, c->reg, NULL);
}

/* True when some hidden pre-activation X W1 + b1 lies within eps of 0, where a
 * finite difference would straddle the ReLU's kink and disagree with calculus. */
static bool trainer_near_kink(const TwoLayerNet *net, const Mat *X, double eps)
{
    for (int i = 0; i < X->rows; i++)
        for (int j = 0; j < net->W1->cols; j++) {
            double a = net->b1->data[j];
            for (int k = 0; k < X->cols; k++) a += MAT_AT(X, i, k) * MAT_AT(net->W1, k, j);
            if (fabs(a) < eps) return true;
        }
    return false;
}

double trainer_check_gradients(Rng *rng, char *worst, size_t n)
{
    enum { N = 6, D = 5, H = 7, C = 4 };
    const double h = 1e-5;
    Mat *X = mat_new(N, D);
    int y[N];
    TwoLayerNet net;
    do {   /* redraw until no hidden unit sits on the kink */
        for (int i = 0; i < N * D; i++) X->data[i] = rng_normal(rng);
        for (int i = 0; i < N; i++) y[i] = rng_int(rng, C);
        net = trainer_net_new(D, H, C, 0.5, rng);
        for (int j = 0; j < H; j++) net.b1->data[j] = 0.1 * rng_normal(rng);
        for (int j = 0; j < C; j++) net.b2->data[j] = 0.1 * rng_normal(rng);
        if (!trainer_near_kink(&net, X, 1e-3)) break;
        trainer_net_free(&net);
    } while (1);

    TrainerLossCtx ctx = { &net, X, y, 0.05 };
    TwoLayerNet grads = trainer_net_zeros_like(&net);
    two_layer_net_loss(&net, X, y, ctx.reg, &grads);

    Mat *params[4] = { net.W1, net.b1, net.W2, net.b2 };
    Mat *analytic[4] = { grads.W1, grads.b1, grads.W2, grads.b2 };
    const char *names[4] = { "W1", "b1", "W2", "b2" };
    double max_rel = 0.0;
    if (worst && n) worst[0] = '\0';
    for (int p = 0; p < 4; p++) {
        Mat *x = params[p];
        for (int i = 0; i < x->rows * x->cols; i++) {
            double saved = x->data[i];
            x->data[i] = saved + h;
            double up = trainer_loss_of(&ctx);
            x->data[i] = saved - h;
            double down = trainer_loss_of(&ctx);
            x->data[i] = saved;
            double num = (up - down) / (2 * h), ana = analytic[p]->data[i];
            /* Relative error with a small floor, so two tiny numbers agree. */
            double denom = fabs(num) + fabs(ana);
            double rel = fabs(num - ana) / (denom > 1e-8 ? denom : 1e-8);
            if (!(rel <= max_rel)) {   /* NaN counts as the worst */
                max_rel = isnan(rel) ? INFINITY : rel;
                if (worst && n)
                    snprintf(worst, n, "d%s[%d][%d]: analytic %.6g, numeric %.6g", names[p], i / x->cols,
                             i % x->cols, ana, num);
            }
        }
    }
    trainer_net_free(&grads);
    trainer_net_free(&net);
    mat_free(X);
    return max_rel;
}
