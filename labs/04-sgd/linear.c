/*
 * linear.c - lab 04: optimizing a linear classifier. You write every function in this file.
 *
 * Shapes (linear.h): W (D, C) weights, X (N, D) one example per row with the
 * bias column already appended, y (N) labels in [0, C). Scores are X W, (N, C).
 *
 * The loss is passed in as a LossFn: any function with lab 02's signature
 *   double loss(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW)
 * which returns the mean loss + reg * sum(W^2) and, when dW is not NULL,
 * overwrites dW (D, C) with the gradient. Call it as loss(W, X, y, reg, dW);
 * pass dW = NULL when you only need the value. The grader trains with its own
 * losses, so this lab does not depend on your lab 02; the experiment uses yours.
 *
 * Randomness: use only the Rng you are given, and draw in exactly the order
 * described above each function. The grader replays your draws from a copy of
 * the same generator, so the order is part of the task.
 *
 * Read the handout first: labs/04-sgd/README.md. Delete a function's
 * LAB_TODO() line when you write it. Helper functions must be `static`.
 * Useful tools: mat_new/mat_free, mat_copy_into, MAT_AT, mat_gemm,
 * mat_argmax_row, mat_fill_randn (include/mat.h); rng_normal, rng_int (include/rng.h).
 */
#include "linear.h"
#include "lab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- optimization without gradients ------------------------------------------------ */

/*
 * random_search: the lectures' "very bad idea": guess W at random, keep the best guess.
 *   best_loss = +infinity
 *   repeat num_tries times:
 *       W_try (same shape as best_W, D x C): every entry scale * rng_normal(rng),
 *             filled row by row (entry (0,0), (0,1), ... (0,C-1), (1,0), ...)
 *       l = loss(W_try, X, y, 0.0, NULL)            -- reg 0, no gradient needed
 *       if l < best_loss (strictly): best_loss = l and copy W_try into best_W
 *   return best_loss
 * Allocate W_try once, before the loop (and free it). best_W's contents on entry
 * do not matter: only its shape. X and y must not be modified.
 */
double random_search(LossFn loss, const Mat *X, const int *y, int num_tries, double scale, Rng *rng, Mat *best_W)
{
    LAB_TODO();
}

/*
 * random_local_search: start at W and take small random steps, keeping only those
 * that lower the loss ("walk blindfolded, step only downhill").
 *   cur = loss(W, X, y, 0.0, NULL)
 *   repeat num_steps times:
 *       proposal[i][j] = W[i][j] + step_size * rng_normal(rng), filled row by row
 *       l = loss(proposal, X, y, 0.0, NULL)
 *       if l < cur (strictly): cur = l and copy the proposal into W
 *   return cur
 * W is updated in place; the returned value is the loss of the final W. A step
 * that does not lower the loss must leave W exactly as it was.
 */
double random_local_search(LossFn loss, const Mat *X, const int *y, int num_steps, double step_size, Rng *rng,
                           Mat *W)
{
    LAB_TODO();
}

/* ---- minibatch SGD ------------------------------------------------------------------ */

/*
 * sgd_sample_batch: a minibatch of B = X_batch->rows examples, drawn with replacement.
 * For b = 0, 1, ..., B-1 in this order:
 *     i = rng_int(rng, N)                  (N = X->rows; one draw per batch row)
 *     row b of X_batch = row i of X        (all D = X->cols values)
 *     y_batch[b] = y[i]                    (the SAME i: rows and labels stay paired)
 * B may be larger than N (with replacement, rows simply repeat). X_batch is
 * (B, D) and y_batch has B entries; the caller allocates both. memcpy of a row
 * (&MAT_AT(X, i, 0), X->cols doubles) is the fast way to copy it.
 */
void sgd_sample_batch(const Mat *X, const int *y, Rng *rng, Mat *X_batch, int *y_batch)
{
    LAB_TODO();
}

/*
 * linear_train: minibatch stochastic gradient descent.
 *   allocate X_batch (cfg->batch_size, D), y_batch (cfg->batch_size), dW (D, C)
 *   for it = 0 .. cfg->num_iters - 1:
 *       sgd_sample_batch(X, y, rng, X_batch, y_batch)
 *       l = loss(W, X_batch, y_batch, cfg->reg, dW)       -- loss and gradient
 *       if loss_history is not NULL: loss_history[it] = l  -- the loss BEFORE the step
 *       W = W - cfg->learning_rate * dW                    -- every entry
 *   free what you allocated
 * W is updated in place (its starting value is the caller's). Use your own
 * sgd_sample_batch so that the random draws happen in the documented order, and
 * draw nothing else from rng. Do not clamp the batch size to N.
 */
void linear_train(Mat *W, LossFn loss, const Mat *X, const int *y, const SgdConfig *cfg, Rng *rng,
                  double *loss_history)
{
    LAB_TODO();
}

/* ---- prediction ---------------------------------------------------------------------- */

/*
 * linear_predict: y_pred[i] = the class with the highest score for row i of X.
 *   S = X W        (N, C): one mat_gemm into a matrix you allocate and free
 *   y_pred[i] = argmax over c of S[i][c]; on a tie the LOWER class wins
 * mat_argmax_row(S, i) already breaks ties that way. y_pred has N = X->rows entries.
 * The lecture's example: x = [56, 231, 24, 2, 1] (with the bias 1) scores
 * cat -96.8, dog 0.7, bird -85.2, so it predicts dog.
 */
void linear_predict(const Mat *W, const Mat *X, int *y_pred)
{
    LAB_TODO();
}
