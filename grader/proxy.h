/*
 * proxy.h - lab functions called by name, run in the sandbox.
 *
 * In the grader, every lab function is a proxy generated from grader/api.spec
 * (gen/proxies.c) that calls what is declared here. A proxy copies its
 * arguments into the arena shared with the lab's worker (sandbox.h), runs the
 * call there under the test's deadline, serves the callbacks the student's
 * code makes (a ScalarFn or LossFn runs here, in the trusted process), checks
 * what came back (shapes unchanged, const inputs untouched) and copies the
 * outputs into the caller's objects. A worker that crashes, hangs, exits or
 * makes a forbidden system call ends the test with that verdict; LAB_TODO()
 * in the worker becomes lab_todo() here, so lab_attempt() works as it would
 * on local code.
 */
#ifndef GRADLAB_PROXY_H
#define GRADLAB_PROXY_H

#include <stdbool.h>
#include <stdint.h>

#include "gradcheck.h"
#include "linear.h"
#include "mat.h"
#include "mlp.h"
#include "worker/channel.h"

/* ---- what generated proxies call ---- */

typedef enum { PX_INT, PX_DOUBLE, PX_RAW } PxElem;

typedef struct {
    const char *name;     /* the parameter's name, for messages */
    void *ptr;            /* the caller's memory */
    uint64_t bytes, off;  /* its size, and where its copy lives in the arena */
    PxElem elem;
    int cols;             /* a Mat's columns (for "X[i][j]"), else 0 */
    bool is_const;        /* an input: it must come back unchanged */
} PxRegion;

typedef struct {
    int id;
    const char *lab, *fn;
    int nargs;
    int nregions;
    PxRegion regions[CH_MAX_ARGS * 4];
    int arg_region[CH_MAX_ARGS][4];   /* each Mat's region, for the header check */
    ScalarFn scalar;
    void *ctx;
    int scalar_x;                     /* the arg index of the x that the ScalarFn takes */
    int sx_rows, sx_cols;             /* and its shape */
    LossFn loss;
    uint64_t used;                    /* arena bytes used by the arguments */
} PxCall;

void px_begin(PxCall *c, int id, const char *lab, const char *fn);
void px_arg_mat(PxCall *c, const char *name, const Mat *m, int is_const);
void px_arg_array(PxCall *c, const char *name, const void *p, PxElem elem, long count, int is_const);
void px_arg_int(PxCall *c, const char *name, long long v);
void px_arg_double(PxCall *c, const char *name, double v);
void px_arg_net(PxCall *c, const char *name, const TwoLayerNet *net, int is_const);
void px_arg_scalarfn(PxCall *c, const char *name, ScalarFn f);
void px_arg_ctx(PxCall *c, const char *name, void *ctx);
void px_arg_lossfn(PxCall *c, const char *name, LossFn f);
/* Runs the call; returns its value (0 for a void function). */
double px_call(PxCall *c);
/* How the last call that returned used mat_gemm, as its worker counted it. */
MatGemmStats px_last_gemm(void);

/* File name LAB_TODO() is given for a function the lab does not define. */
#define PX_MISSING_FILE "(not defined in the lab file)"
/* The file a stand-in for a lab function that does not compile names when it is called
 * (scripts/lab-partial.sh writes the stand-ins): the test that called it is BUILD. */
#define PX_NOT_COMPILED_FILE "gradlab-not-compiled"

#endif
