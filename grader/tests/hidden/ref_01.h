/*
 * ref_01.h - lab 01's reference solution under the ref_ prefix, for hidden tests only.
 *
 * The build compiles solutions/01-knn/knn.c and renames its global symbols
 * knn_* to ref_knn_*; these prototypes match include/knn.h.
 */
#ifndef GRADLAB_REF_01_H
#define GRADLAB_REF_01_H

#include "mat.h"

void ref_knn_distances_two_loops(const Mat *X_train, const Mat *X_test, Mat *dists);
void ref_knn_distances_one_loop(const Mat *X_train, const Mat *X_test, Mat *dists);
void ref_knn_distances_no_loops(const Mat *X_train, const Mat *X_test, Mat *dists);
void ref_knn_distances_l1(const Mat *X_train, const Mat *X_test, Mat *dists);
void ref_knn_predict_labels(const Mat *dists, const int *y_train, int k, int *y_pred);
void ref_knn_cross_validate(const Mat *X, const int *y, int num_folds, const int *k_choices, int num_k,
                            Mat *accuracies);

#endif
