/* red team: writes into the memory it shares with the grader (found from its
 * arguments' addresses): forged "done" messages on the socket, headers with other
 * shapes, a fake crash note. Everything it writes is only data to the grader.
 * expect: FAIL|CRASH */
#include "mlp.h"

#include <string.h>
#include <unistd.h>

static void scribble(const Mat *m)
{
    /* The arena's header sits below the first argument's data. */
    unsigned char *base = (unsigned char *)m->data;
    for (int i = 1; i <= 16; i++) memset(base - 64 * i, 0x41, 64);
    char msg[200];
    memset(msg, 0, sizeof msg);
    msg[0] = 3;   /* "done" */
    if (write(3, msg, sizeof msg) < 0) {}
}

void affine_forward(const Mat *x, const Mat *w, const Mat *b, Mat *out) { (void)w; (void)b; (void)out; scribble(x); }
void affine_backward(const Mat *dout, const Mat *x, const Mat *w, Mat *dx, Mat *dw, Mat *db)
{ (void)x; (void)w; (void)dx; (void)dw; (void)db; scribble(dout); }
void relu_forward(const Mat *x, Mat *out) { (void)out; scribble(x); }
void relu_backward(const Mat *dout, const Mat *x, Mat *dx) { (void)x; (void)dx; scribble(dout); }
void sigmoid_forward(const Mat *x, Mat *out) { (void)out; scribble(x); }
void sigmoid_backward(const Mat *dout, const Mat *out, Mat *dx) { (void)out; (void)dx; scribble(dout); }
double softmax_loss(const Mat *scores, const int *y, Mat *dscores) { (void)y; (void)dscores; scribble(scores); return 1e9; }
double two_layer_net_loss(const TwoLayerNet *net, const Mat *X, const int *y, double reg, TwoLayerNet *grads)
{ (void)net; (void)y; (void)reg; (void)grads; scribble(X); return 1e9; }
void two_layer_net_predict(const TwoLayerNet *net, const Mat *X, int *y_pred) { (void)net; (void)y_pred; scribble(X); }
