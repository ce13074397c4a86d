/*
 * ref_04.h - lab 04's reference solution under the ref_ prefix, for hidden tests only.
 *
 * The build compiles solutions/04-sgd/linear.c and renames its global symbols
 * (random_search, ..., linear_predict) to ref_*; these prototypes match
 * include/linear.h. ref_linear_train samples with ref_sgd_sample_batch.
 */
#ifndef GRADLAB_REF_04_H
#define GRADLAB_REF_04_H

#include "linear.h"

double ref_random_search(LossFn loss, const Mat *X, const int *y, int num_tries, double scale, Rng *rng,
                         Mat *best_W);
double ref_random_local_search(LossFn loss, const Mat *X, const int *y, int num_steps, double step_size, Rng *rng,
                               Mat *W);
void ref_sgd_sample_batch(const Mat *X, const int *y, Rng *rng, Mat *X_batch, int *y_batch);
void ref_linear_train(Mat *W, LossFn loss, const Mat *X, const int *y, const SgdConfig *cfg, Rng *rng,
                      double *loss_history);
void ref_linear_predict(const Mat *W, const Mat *X, int *y_pred);

#endif
