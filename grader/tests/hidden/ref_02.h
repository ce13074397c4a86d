/*
 * ref_02.h - lab 02's reference solution under the ref_ prefix, for hidden tests only.
 *
 * The build compiles solutions/02-loss/loss.c and renames its global symbols
 * svm_loss_* and softmax_loss_* to ref_svm_loss_* and ref_softmax_loss_*;
 * these prototypes match include/loss.h.
 */
#ifndef GRADLAB_REF_02_H
#define GRADLAB_REF_02_H

#include "mat.h"

double ref_svm_loss_naive(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW);
double ref_svm_loss_vectorized(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW);
double ref_softmax_loss_naive(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW);
double ref_softmax_loss_vectorized(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW);

#endif
