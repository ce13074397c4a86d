/*
 * wk.h - the worker: the only program that runs a student's lab code.
 *
 * A worker holds one lab's object, libgradlab and this small call server:
 * no reference code, no tests, no test table, nothing that reports. The
 * grader starts a fresh one for each test (grader/proxy.c); it confines
 * itself (rlimits, then the seccomp allowlist in policy.c) before any student
 * code can run, then answers calls until it is killed. Nothing here decides a
 * verdict: it returns data, and the grader judges it.
 *
 * The per-lab dispatch (gen/dispatch_NN.c) is generated from grader/api.spec.
 */
#ifndef GRADLAB_WK_H
#define GRADLAB_WK_H

#include "channel.h"
#include "gradcheck.h"
#include "linear.h"
#include "mat.h"
#include "mlp.h"

/* ---- gen/dispatch_NN.c ---- */

/* Runs call h->fn with the header's arguments; a double result goes to *ret.
 * 0 done, -1 no such function in this lab; wk_missing() for an undefined one. */
int wk_dispatch(ChHeader *h, double *ret);

/* ---- worker.c: the arguments of the current call, rebuilt from the arena ---- */

Mat *wk_mat(ChHeader *h, int i);
void *wk_buf(ChHeader *h, int i);
long long wk_int(ChHeader *h, int i);
double wk_double(ChHeader *h, int i);
TwoLayerNet *wk_net(ChHeader *h, int i);
ScalarFn wk_scalarfn(ChHeader *h, int i);
void *wk_ctx(ChHeader *h, int i);
LossFn wk_lossfn(ChHeader *h, int i);
/* Tells the grader that the lab file does not define fn; returns 1. */
int wk_missing(const char *fn);

/* ---- zygote.c: one loaded program forking a fresh worker per test ---- */

/* Serves requests on the control socket (CH_FD_SOCKET) until the grader closes it,
 * then kills its workers and exits. Returns only in a new worker, with the request
 * in *req and its descriptors on the worker's numbers. */
void wk_zygote(ChSpawn *req);

/* ---- policy.c: the seccomp allowlist ---- */

/* Loads the filter for a worker whose channel is CH_FD_SOCKET. 0 ok, or -errno. */
int wk_policy_load(void);

#endif
