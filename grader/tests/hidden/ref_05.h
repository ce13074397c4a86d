/*
 * ref_05.h - lab 05's reference solution under the ref_ prefix, for hidden tests only.
 *
 * The build compiles solutions/05-mlp/mlp.c and renames its global symbols
 * (affine_forward, ..., two_layer_net_predict) to ref_*; these prototypes
 * match include/mlp.h.
 */
#ifndef GRADLAB_REF_05_H
#define GRADLAB_REF_05_H

#include "mlp.h"

void ref_affine_forward(const Mat *x, const Mat *w, const Mat *b, Mat *out);
void ref_affine_backward(const Mat *dout, const Mat *x, const Mat *w, Mat *dx, Mat *dw, Mat *db);
void ref_relu_forward(const Mat *x, Mat *out);
void ref_relu_backward(const Mat *dout, const Mat *x, Mat *dx);
void ref_sigmoid_forward(const Mat *x, Mat *out);
void ref_sigmoid_backward(const Mat *dout, const Mat *out, Mat *dx);
double ref_softmax_loss(const Mat *scores, const int *y, Mat *dscores);
double ref_two_layer_net_loss(const TwoLayerNet *net, const Mat *X, const int *y, double reg, TwoLayerNet *grads);
void ref_two_layer_net_predict(const TwoLayerNet *net, const Mat *X, int *y_pred);

#endif
