/*
 * knn.h - lab 01: k-nearest neighbours.
 *
 * Shapes: X_train (num_train, D), X_test (num_test, D), one image per row.
 * dists (num_test, num_train) is allocated by the caller; dists[i][j] is the
 * distance between test row i and training row j.
 */
#ifndef GRADLAB_KNN_H
#define GRADLAB_KNN_H

#include "mat.h"

/* L2 (Euclidean, with the square root) distances with a loop over test rows and one over train rows. */
void knn_distances_two_loops(const Mat *X_train, const Mat *X_test, Mat *dists);
/* The same distances with one loop (over test rows). */
void knn_distances_one_loop(const Mat *X_train, const Mat *X_test, Mat *dists);
/* The same distances with no explicit loop over pairs: |a|^2 + |b|^2 - 2ab through mat_gemm, clamped at 0. */
void knn_distances_no_loops(const Mat *X_train, const Mat *X_test, Mat *dists);
/* L1 (Manhattan) distances: sum of absolute differences. */
void knn_distances_l1(const Mat *X_train, const Mat *X_test, Mat *dists);
/* y_pred[i] = majority label of the k nearest training rows of test row i.
 * dists (num_test, num_train); y_train (num_train); y_pred (num_test); 1 <= k <= num_train.
 * Ties in distance go to the lower training index; ties in the vote to the smaller label. */
void knn_predict_labels(const Mat *dists, const int *y_train, int k, int *y_pred);
/* accuracies (num_k, num_folds): fold f is rows [f*N/F, (f+1)*N/F); for each k_choices[i]
 * and fold f, train on the other rows (L2 distances) and store the fraction correct on fold f. */
void knn_cross_validate(const Mat *X, const int *y, int num_folds, const int *k_choices, int num_k,
                        Mat *accuracies);

#endif
