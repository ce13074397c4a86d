/*
 * mlp.h - lab 05: a two-layer neural network, layer by layer.
 *
 * Each layer has a forward function (outputs first, then inputs) and a
 * backward function that turns the upstream gradient dout into gradients of
 * its inputs and parameters. Backward never updates anything; a NULL gradient
 * pointer means "not needed". Outputs are allocated by the caller with the
 * shapes written next to each prototype and are overwritten.
 */
#ifndef GRADLAB_MLP_H
#define GRADLAB_MLP_H

#include "mat.h"

void affine_forward(const Mat *x, const Mat *w, const Mat *b, Mat *out);                        /* x (N,D) w (D,M) b (1,M) out (N,M) */
void affine_backward(const Mat *dout, const Mat *x, const Mat *w, Mat *dx, Mat *dw, Mat *db);    /* any of dx/dw/db may be NULL */
void relu_forward(const Mat *x, Mat *out);                          /* out = max(0, x), same shape */
void relu_backward(const Mat *dout, const Mat *x, Mat *dx);         /* dx = dout where x > 0, else 0 */
void sigmoid_forward(const Mat *x, Mat *out);                       /* out = 1 / (1 + e^-x), same shape */
void sigmoid_backward(const Mat *dout, const Mat *out, Mat *dx);   /* uses s(1-s) from the forward output */
double softmax_loss(const Mat *scores, const int *y, Mat *dscores); /* mean over N; dscores may be NULL */

typedef struct { Mat *W1, *b1, *W2, *b2; } TwoLayerNet;              /* W1 (D,H) b1 (1,H) W2 (H,C) b2 (1,C) */

/* Scores = relu(X W1 + b1) W2 + b2; returns softmax_loss + reg * (sum W1^2 + sum W2^2).
 * grads (same shapes, overwritten) gets every gradient, 2 * reg * W included;
 * grads == NULL computes the loss only. X (N, D), y (N). Nothing else changes. */
double two_layer_net_loss(const TwoLayerNet *net, const Mat *X, const int *y, double reg, TwoLayerNet *grads);
/* y_pred[i] = argmax of the scores of row i (ties go to the lower class). */
void two_layer_net_predict(const TwoLayerNet *net, const Mat *X, int *y_pred);

#endif
