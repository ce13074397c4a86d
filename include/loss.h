/*
 * loss.h - lab 02: the multiclass SVM (hinge) and softmax (cross-entropy) losses.
 *
 * Shapes: W (D, C) weights, X (N, D) one example per row with the bias column
 * already appended, y (N) labels in [0, C). Scores are X W, (N, C).
 * Each function returns mean data loss + reg * sum(W^2) and, when dW is not
 * NULL, overwrites dW (D, C) with the gradient, 2 * reg * W included.
 * Inputs are never modified.
 */
#ifndef GRADLAB_LOSS_H
#define GRADLAB_LOSS_H

#include "mat.h"

/* SVM loss (margin 1, sum over j != y_i) with explicit loops over examples. */
double svm_loss_naive(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW);
/* The same SVM loss with the work expressed as matrix products (mat_gemm). */
double svm_loss_vectorized(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW);
/* Softmax loss (natural log, numerically stable) with explicit loops over examples. */
double softmax_loss_naive(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW);
/* The same softmax loss with the work expressed as matrix products (mat_gemm). */
double softmax_loss_vectorized(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW);

#endif
