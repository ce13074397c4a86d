/* red team: in a batch (make grade-all) every student's tests run on one machine:
 * this one SIGKILLs every process it may signal, stops its parent, attaches to it
 * with ptrace and reads its memory with process_vm_readv.
 * expect: FORBIDDEN your code called (kill|getppid|ptrace|process_vm_readv)\(\) */
#include "mlp.h"

#include <signal.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <unistd.h>

static void attack(void)
{
    kill(-1, SIGKILL);
    pid_t parent = getppid();
    kill(parent, SIGSTOP);
    ptrace(PTRACE_ATTACH, parent, 0, 0);
    char buf[64];
    struct iovec local = { buf, sizeof buf }, remote = { (void *)0x400000, sizeof buf };
    process_vm_readv(parent, &local, 1, &remote, 1, 0);
}

void affine_forward(const Mat *x, const Mat *w, const Mat *b, Mat *out) { (void)x; (void)w; (void)b; (void)out; attack(); }
void affine_backward(const Mat *dout, const Mat *x, const Mat *w, Mat *dx, Mat *dw, Mat *db)
{ (void)dout; (void)x; (void)w; (void)dx; (void)dw; (void)db; attack(); }
void relu_forward(const Mat *x, Mat *out) { (void)x; (void)out; attack(); }
void relu_backward(const Mat *dout, const Mat *x, Mat *dx) { (void)dout; (void)x; (void)dx; attack(); }
void sigmoid_forward(const Mat *x, Mat *out) { (void)x; (void)out; attack(); }
void sigmoid_backward(const Mat *dout, const Mat *out, Mat *dx) { (void)dout; (void)out; (void)dx; attack(); }
double softmax_loss(const Mat *scores, const int *y, Mat *dscores) { (void)scores; (void)y; (void)dscores; attack(); return 0.0; }
double two_layer_net_loss(const TwoLayerNet *net, const Mat *X, const int *y, double reg, TwoLayerNet *grads)
{ (void)net; (void)X; (void)y; (void)reg; (void)grads; attack(); return 0.0; }
void two_layer_net_predict(const TwoLayerNet *net, const Mat *X, int *y_pred) { (void)net; (void)X; (void)y_pred; attack(); }
