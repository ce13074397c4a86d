/*
 * linear.h - lab 04: optimization and a linear classifier trained with minibatch SGD.
 *
 * Shapes: W (D, C), X (N, D) with the bias column appended, y (N) in [0, C).
 * A LossFn is any function with lab 02's signature (returns the loss, writes dW
 * when dW is not NULL), so the same code trains an SVM or a softmax classifier.
 */
#ifndef GRADLAB_LINEAR_H
#define GRADLAB_LINEAR_H

#include "mat.h"
#include "rng.h"

typedef double (*LossFn)(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW);  /* lab 02's signature */

typedef struct {
    double learning_rate;   /* step size */
    double reg;             /* L2 regularization strength, passed to the loss */
    int num_iters;          /* SGD steps */
    int batch_size;         /* examples per minibatch */
} SgdConfig;

/* Tries num_tries W ~ scale * N(0, 1) (shape of best_W) with reg 0; keeps the lowest
 * loss in best_W and returns it. */
double random_search(LossFn loss, const Mat *X, const int *y, int num_tries, double scale, Rng *rng, Mat *best_W);
/* From W: num_steps proposals W + step_size * N(0, 1), each kept only if the loss
 * (reg 0) drops. W is updated in place; returns the final loss. */
double random_local_search(LossFn loss, const Mat *X, const int *y, int num_steps, double step_size, Rng *rng, Mat *W);
/* Fills X_batch (B, D) and y_batch (B) with B = X_batch->rows rows drawn with
 * replacement (rng_int(rng, N) for each), rows and labels kept paired. */
void sgd_sample_batch(const Mat *X, const int *y, Rng *rng, Mat *X_batch, int *y_batch);   /* with replacement, batch = X_batch->rows */
/* cfg->num_iters steps of: sample a batch, loss and gradient, W -= lr * dW.
 * loss_history[it] (num_iters entries, or NULL) is the batch loss before step it. */
void linear_train(Mat *W, LossFn loss, const Mat *X, const int *y, const SgdConfig *cfg, Rng *rng, double *loss_history);
/* y_pred[i] = argmax of row i of X W (ties go to the lower class). */
void linear_predict(const Mat *W, const Mat *X, int *y_pred);   /* argmax of X W, ties -> lower class */

#endif
