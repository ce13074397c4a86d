/*
 * trainer.h - lab 05's given training code: it trains a TwoLayerNet (mlp.h)
 * with minibatch SGD and momentum, using the student's two_layer_net_loss()
 * for every gradient. Nothing here is a stub; read it, do not rewrite it.
 *
 * Ownership: trainer_net_new() returns matrices the caller frees with
 * trainer_net_free(); trainer_train() fills a TrainerHistory whose arrays the
 * caller frees with trainer_history_free(). Training that diverges (NaN or an
 * exploding loss) stops early: trainer_train() returns -1 and the history
 * holds a message naming the likely cause. Nothing here exits.
 */
#ifndef GRADLAB_TRAINER_H
#define GRADLAB_TRAINER_H

#include <stdbool.h>
#include <stddef.h>
#include "dataset.h"
#include "mlp.h"
#include "rng.h"

typedef struct {
    int batch_size;         /* examples per SGD step, e.g. 200 */
    int epochs;             /* passes over the (shuffled) training set */
    double learning_rate;   /* step size during the first epoch */
    double lr_decay;        /* step size multiplied by this after every epoch (1 = constant) */
    double momentum;        /* 0 = plain SGD; 0.9 is the usual choice */
    double reg;             /* L2 strength handed to two_layer_net_loss */
    int acc_samples;        /* train accuracy is measured on this many fixed training rows (0 = all) */
    bool verbose;           /* one line per epoch on stdout, a progress bar on a terminal */
} TrainerConfig;

typedef struct {
    double *loss;           /* (iters) minibatch loss before each step */
    int iters;              /* steps taken */
    double *train_acc;      /* (epochs) accuracy after each epoch, on acc_samples training rows */
    double *val_acc;        /* (epochs) validation accuracy after each epoch */
    double *epoch_seconds;  /* (epochs) wall time of each epoch's SGD steps (accuracy checks excluded) */
    int epochs;             /* epochs completed */
    double seconds;         /* wall time of the whole call */
    bool diverged;          /* stopped early because the loss blew up */
    char message[400];      /* why it stopped early ("" when it did not) */
} TrainerHistory;

/* A (D, H, C) net: W1 (D, H) and W2 (H, C) drawn as std * N(0, 1), biases 0.
 * std <= 0 picks He initialization, std = sqrt(2 / fan_in) for each layer
 * (fan_in = D for W1, H for W2), which suits ReLU units. */
TwoLayerNet trainer_net_new(int D, int H, int C, double std, Rng *rng);
/* Frees the four matrices and sets them to NULL; NULL net is a no-op. */
void trainer_net_free(TwoLayerNet *net);

/* The predicted class of every row of X (N, D) into pred (N values):
 * two_layer_net_predict in chunks, so memory stays small. */
void trainer_predict(const TwoLayerNet *net, const Mat *X, int *pred);
/* Fraction of rows of X whose predicted class equals y (trainer_predict). */
double trainer_accuracy(const TwoLayerNet *net, const Mat *X, const int *y);

/* Trains net in place for cfg->epochs epochs: each epoch shuffles the training
 * rows with rng and walks through them in minibatches (the last one may be
 * smaller); each step computes loss and gradients with two_layer_net_loss, then
 *   v = momentum * v - lr * grad,  param += v      (v starts at 0)
 * for all four parameters; after the epoch lr *= lr_decay. val may be NULL.
 * Returns 0, or -1 when the loss became NaN/Inf or exploded (hist->message). */
int trainer_train(TwoLayerNet *net, const Dataset *train, const Dataset *val, const TrainerConfig *cfg,
                  Rng *rng, TrainerHistory *hist);
/* Frees the history's arrays; NULL is a no-op. */
void trainer_history_free(TrainerHistory *hist);

/* Checks two_layer_net_loss's gradients against centered finite differences
 * on a tiny random net (inputs kept away from the ReLU kink), reg > 0.
 * Returns the largest relative error over all four parameters and names the
 * worst parameter in worst (n bytes, may be NULL). Below ~1e-6 is a pass. */
double trainer_check_gradients(Rng *rng, char *worst, size_t n);

#endif
