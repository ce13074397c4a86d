/*
 * proxy.c - a lab call, marshalled into the worker's arena and judged on return.
 *
 * Trusted code, in the test's process (generated proxies call it). Arguments go
 * into the arena; the call runs in the worker (sandbox.c); a callback runs here
 * on arguments the worker wrote, each checked before the test's function sees
 * it; after the call, every Mat header must be as it was sent and every const
 * input bit for bit unchanged, then the outputs are copied back. What the worker
 * wrote is read once, into locals, and checked against what was sent.
 */
#include "proxy.h"
#include "gt.h"
#include "lab.h"
#include "sandbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static SbxWorker *px_cur;   /* the worker of the call in progress */
static bool px_in_call;
static MatGemmStats px_gemm;   /* the last call's mat_gemm use, as its worker counted it */

/* ---- marshalling ---- */

/* The header of the call in progress, at the start of its worker's arena. */
static ChHeader *px_hdr(void)
{
    return (ChHeader *)sbx_arena(px_cur);
}

void px_begin(PxCall *c, int id, const char *lab, const char *fn)
{
    if (px_in_call) gt_fail("grader: %s() was called from inside a callback of another lab call", fn);
    memset(c, 0, sizeof *c);
    c->id = id;
    c->lab = lab;
    c->fn = fn;
    c->scalar_x = -1;
    px_cur = sbx_worker(lab, fn);
    c->used = (sizeof(ChHeader) + 63) & ~(uint64_t)63;
    ChHeader *h = px_hdr();
    memset(h, 0, sizeof *h);
    for (int i = 0; i < CH_MAX_ARGS; i++)
        for (int k = 0; k < 4; k++) c->arg_region[i][k] = -1;
}

static ChArg *px_next(PxCall *c, int kind)
{
    if (c->nargs >= CH_MAX_ARGS) gt_fail("grader: %s() has too many parameters for the channel", c->fn);
    ChArg *a = &px_hdr()->args[c->nargs++];
    a->kind = kind;
    return a;
}

/* The arena copy of [p, p + bytes): shared with an earlier argument at the same address. */
static int px_region(PxCall *c, const char *name, const void *p, uint64_t bytes, PxElem elem, int cols, int is_const)
{
    for (int r = 0; r < c->nregions; r++)
        if (c->regions[r].ptr == p && c->regions[r].bytes == bytes) {
            c->regions[r].is_const &= is_const;
            return r;
        }
    uint64_t at = (c->used + 63) & ~(uint64_t)63;
    if (bytes > SBX_ARENA_BYTES / 2 || at + bytes > SBX_ARENA_BYTES / 2)
        gt_fail("grader: the arguments of %s() need more than %llu MB", c->fn,
                (unsigned long long)(SBX_ARENA_BYTES >> 21));
    if (bytes) memcpy(sbx_arena(px_cur) + at, p, bytes);
    c->used = at + bytes;
    PxRegion *g = &c->regions[c->nregions];
    *g = (PxRegion){ name, (void *)p, bytes, at, elem, cols, is_const != 0 };
    return c->nregions++;
}

static uint64_t px_mat_bytes(const PxCall *c, const char *name, const Mat *m)
{
    if (m->rows < 0 || m->cols < 0) gt_fail("grader: %s() was given %s with shape (%dx%d)", c->fn, name, m->rows, m->cols);
    return (uint64_t)m->rows * (uint64_t)m->cols * sizeof(double);
}

static void px_put_mat(PxCall *c, ChMat *dst, int *region, const char *name, const Mat *m, int is_const)
{
    *region = px_region(c, name, m->data, px_mat_bytes(c, name, m), PX_DOUBLE, m->cols, is_const);
    dst->rows = m->rows;
    dst->cols = m->cols;
    dst->off = c->regions[*region].off;
}

void px_arg_mat(PxCall *c, const char *name, const Mat *m, int is_const)
{
    int i = c->nargs;
    ChArg *a = px_next(c, m ? CH_ARG_MAT : CH_ARG_NULL);
    if (m) px_put_mat(c, &a->u.m[0], &c->arg_region[i][0], name, m, is_const);
    if (m && i == c->scalar_x) {
        c->sx_rows = m->rows;
        c->sx_cols = m->cols;
    }
}

void px_arg_array(PxCall *c, const char *name, const void *p, PxElem elem, long count, int is_const)
{
    ChArg *a = px_next(c, p ? CH_ARG_BUF : CH_ARG_NULL);
    if (!p) return;
    if (count < 0) gt_fail("grader: %s() was given %s with %ld elements", c->fn, name, count);
    uint64_t size = elem == PX_INT ? sizeof(int) : elem == PX_DOUBLE ? sizeof(double) : 1;
    int r = px_region(c, name, p, (uint64_t)count * size, elem, 0, is_const);
    a->u.buf.off = c->regions[r].off;
    a->u.buf.bytes = c->regions[r].bytes;
}

void px_arg_int(PxCall *c, const char *name, long long v)
{
    (void)name;
    px_next(c, CH_ARG_INT)->u.i = v;
}

void px_arg_double(PxCall *c, const char *name, double v)
{
    (void)name;
    px_next(c, CH_ARG_DOUBLE)->u.d = v;
}

void px_arg_net(PxCall *c, const char *name, const TwoLayerNet *net, int is_const)
{
    int i = c->nargs;
    ChArg *a = px_next(c, net ? CH_ARG_NET : CH_ARG_NULL);
    if (!net) return;
    const Mat *parts[4] = { net->W1, net->b1, net->W2, net->b2 };
    static const char *const names[4] = { "W1", "b1", "W2", "b2" };
    for (int k = 0; k < 4; k++) {
        if (!parts[k]) gt_fail("grader: %s() was given %s with %s = NULL", c->fn, name, names[k]);
        px_put_mat(c, &a->u.m[k], &c->arg_region[i][k], names[k], parts[k], is_const);
        /* "grads->W1": the name says which net */
        c->regions[c->arg_region[i][k]].name = names[k];
    }
}

void px_arg_scalarfn(PxCall *c, const char *name, ScalarFn f)
{
    (void)name;
    c->scalar = f;
    px_next(c, f ? CH_ARG_SCALARFN : CH_ARG_NULL);
}

void px_arg_ctx(PxCall *c, const char *name, void *ctx)
{
    (void)name;
    c->ctx = ctx;
    /* The worker sees an opaque token, never a pointer into this process. */
    px_next(c, CH_ARG_CTX)->u.token = ctx ? 0x6772616463747800ULL : 0;
    c->scalar_x = c->nargs;   /* the x that follows */
}

void px_arg_lossfn(PxCall *c, const char *name, LossFn f)
{
    (void)name;
    c->loss = f;
    px_next(c, f ? CH_ARG_LOSSFN : CH_ARG_NULL);
}

/* ---- callbacks ---- */

/* [off, off + bytes) inside the callback area, or the test fails. */
static const void *px_cb_at(const PxCall *c, uint64_t off, uint64_t bytes, uint64_t cb_off, const char *what)
{
    if (off == UINT64_MAX || off < cb_off || off > SBX_ARENA_BYTES || bytes > SBX_ARENA_BYTES - off)
        sbx_fail("%s() passed the %s an argument too large to send back (%s)", c->fn,
                c->scalar ? "function f" : "loss function", what);
    return sbx_arena(px_cur) + off;
}

static Mat *px_cb_mat(const PxCall *c, const ChMat *m, uint64_t cb_off, const char *what)
{
    if (m->rows < 0 || m->cols < 0 || m->rows > (1 << 24) || m->cols > (1 << 24))
        sbx_fail("%s() passed the loss function %s with shape (%dx%d)", c->fn, what, m->rows, m->cols);
    uint64_t bytes = (uint64_t)m->rows * (uint64_t)m->cols * sizeof(double);
    const void *src = px_cb_at(c, m->off, bytes, cb_off, what);
    Mat *out = mat_new(m->rows, m->cols);
    if (bytes) memcpy(out->data, src, bytes);
    return out;
}

static double px_serve_scalar(const PxCall *c, const ChCallback *cb, uint64_t cb_off)
{
    int rows = c->sx_rows, cols = c->sx_cols;
    uint64_t expect_token = c->ctx ? 0x6772616463747800ULL : 0;
    if (cb->token != expect_token)
        sbx_fail("%s() called f with a ctx other than the one it was given: pass ctx through unchanged", c->fn);
    if (cb->x.rows != rows || cb->x.cols != cols)
        sbx_fail("%s() called f with a (%dx%d) matrix; f takes x, which is (%dx%d)", c->fn, cb->x.rows, cb->x.cols,
                rows, cols);
    Mat *x = px_cb_mat(c, &cb->x, cb_off, "x");
    double v = c->scalar(x, c->ctx);
    mat_free(x);
    return v;
}

static double px_serve_loss(const PxCall *c, const ChCallback *cb, uint64_t cb_off)
{
    if (cb->x.rows < 1 || cb->x.cols < 1 || cb->X.cols != cb->x.rows)
        sbx_fail("%s() called the loss with W (%dx%d) and X (%dx%d): X's columns must match W's rows", c->fn,
                cb->x.rows, cb->x.cols, cb->X.rows, cb->X.cols);
    bool want_grad = !(cb->dW.rows == -1 && cb->dW.cols == -1);
    if (want_grad && (cb->dW.rows != cb->x.rows || cb->dW.cols != cb->x.cols))
        sbx_fail("%s() called the loss with dW (%dx%d) for W (%dx%d): dW has W's shape", c->fn, cb->dW.rows,
                cb->dW.cols, cb->x.rows, cb->x.cols);
    Mat *W = px_cb_mat(c, &cb->x, cb_off, "W"), *X = px_cb_mat(c, &cb->X, cb_off, "X");
    size_t n = (size_t)X->rows;
    const int *ysrc = px_cb_at(c, cb->y_off, n * sizeof(int), cb_off, "y");
    int *y = malloc((n ? n : 1) * sizeof *y);
    if (!y) gt_fail("grader: out of memory");
    memcpy(y, ysrc, n * sizeof *y);
    for (size_t i = 0; i < n; i++)
        if (y[i] < 0 || y[i] >= W->cols)
            sbx_fail("%s() called the loss with y[%zu] = %d, outside [0, %d): pass the labels of the rows in X",
                    c->fn, i, y[i], W->cols);
    Mat *dW = want_grad ? mat_new(W->rows, W->cols) : NULL;
    double v = c->loss(W, X, y, cb->reg, dW);
    if (dW) {
        void *dst = (void *)px_cb_at(c, cb->dW.off, (uint64_t)W->rows * W->cols * sizeof(double), cb_off, "dW");
        memcpy(dst, dW->data, (size_t)W->rows * W->cols * sizeof(double));
    }
    mat_free(W);
    mat_free(X);
    mat_free(dW);
    free(y);
    return v;
}

/* ---- after the call ---- */

static void px_fmt_elem(char *buf, size_t n, const PxRegion *g, uint64_t i, const void *base)
{
    if (g->elem == PX_INT) {
        int v;
        memcpy(&v, (const char *)base + i * sizeof v, sizeof v);
        snprintf(buf, n, "%d", v);
    } else if (g->elem == PX_DOUBLE) {
        double v;
        memcpy(&v, (const char *)base + i * sizeof v, sizeof v);
        snprintf(buf, n, "%.17g", v);
    } else {
        snprintf(buf, n, "0x%02x", ((const unsigned char *)base)[i]);
    }
}

/* An input that came back changed fails the test, naming the first change. */
static void px_check_input(const PxCall *c, const PxRegion *g)
{
    const unsigned char *now = sbx_arena(px_cur) + g->off;
    if (memcmp(now, g->ptr, g->bytes) == 0) return;
    uint64_t size = g->elem == PX_INT ? sizeof(int) : g->elem == PX_DOUBLE ? sizeof(double) : 1, i = 0;
    while (i + size <= g->bytes && memcmp(now + i * size, (const unsigned char *)g->ptr + i * size, size) == 0) i++;
    char before[40], after[40], at[40];
    px_fmt_elem(before, sizeof before, g, i, g->ptr);
    px_fmt_elem(after, sizeof after, g, i, now);
    if (g->cols > 0) snprintf(at, sizeof at, "[%llu][%llu]", (unsigned long long)(i / (uint64_t)g->cols),
                              (unsigned long long)(i % (uint64_t)g->cols));
    else snprintf(at, sizeof at, "[%llu]", (unsigned long long)i);
    sbx_fail("%s()'s input %s%s was %s before the call and is %s after: inputs must not be modified (they are "
            "const)", c->fn, g->name, at, before, after);
}

static void px_finish(const PxCall *c)
{
    ChHeader *h = px_hdr();
    for (int i = 0; i < c->nargs; i++)
        for (int k = 0; k < 4; k++) {
            int r = c->arg_region[i][k];
            if (r < 0) continue;
            ChMat got;
            memcpy(&got, &h->args[i].u.m[k], sizeof got);
            const PxRegion *g = &c->regions[r];
            int rows = g->cols ? (int)(g->bytes / sizeof(double) / (uint64_t)g->cols) : -1;
            if (g->cols && (got.cols != g->cols || got.rows != rows))
                sbx_fail("%s() changed the shape of %s from (%dx%d) to (%dx%d): a Mat's shape belongs to the "
                        "caller", c->fn, g->name, rows, g->cols, got.rows, got.cols);
            if (got.off != g->off)
                sbx_fail("%s() pointed %s->data at other memory: write into the caller's matrix instead", c->fn,
                        g->name);
        }
    for (int r = 0; r < c->nregions; r++)
        if (c->regions[r].is_const) px_check_input(c, &c->regions[r]);
    for (int r = 0; r < c->nregions; r++)
        if (!c->regions[r].is_const && c->regions[r].bytes)
            memcpy(c->regions[r].ptr, sbx_arena(px_cur) + c->regions[r].off, c->regions[r].bytes);
}

double px_call(PxCall *c)
{
    ChHeader *h = px_hdr();
    uint64_t cb_off = (c->used + 63) & ~(uint64_t)63;
    h->magic = CH_MAGIC;
    h->fn = c->id;
    h->nargs = c->nargs;
    h->cb_off = cb_off;
    h->cb_end = SBX_ARENA_BYTES;
    memset(&h->crash, 0, sizeof h->crash);
    SbxWorker *w = px_cur;
    px_in_call = true;
    sbx_send(w, CH_MSG_CALL, 0.0, c->fn);
    for (;;) {
        ChMsg m;
        sbx_recv(w, &m, c->fn);
        if (m.type == CH_MSG_DONE) {
            px_in_call = false;
            px_gemm = (MatGemmStats){ (long)h->gemm_calls, h->gemm_largest };
            px_finish(c);
            return m.value;
        }
        if (m.type == CH_MSG_CALLBACK && (c->scalar || c->loss)) {
            ChCallback cb;
            memcpy(&cb, &h->cb, sizeof cb);   /* read once */
            double v = c->scalar ? px_serve_scalar(c, &cb, cb_off) : px_serve_loss(c, &cb, cb_off);
            sbx_send(w, CH_MSG_RETURN, v, c->fn);
            continue;
        }
        if (m.type == CH_MSG_TODO || m.type == CH_MSG_MISSING) {
            /* Names as the worker sent them only when they look like a C name and a path. */
            char func[64], file[128];
            sbx_clean(func, sizeof func, m.func, sizeof m.func);
            sbx_clean(file, sizeof file, m.file, sizeof m.file);
            if (!func[0] || strspn(func, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != strlen(func))
                snprintf(func, sizeof func, "%s", c->fn);
            if (!file[0] || strchr(file, '?')) snprintf(file, sizeof file, "%s", sbx_lab(px_cur)->file);
            px_in_call = false;
            /* The worker is back in its loop: the test may catch this (lab_attempt) and go on. */
            if (m.type == CH_MSG_MISSING) lab_todo(c->fn, PX_MISSING_FILE, 0);
            lab_todo(func, file, m.line > 0 ? m.line : 0);
        }
        sbx_fail("%s() sent the grader a message it did not expect (type %d): lab code must not write to the "
                "grader's channel", c->fn, m.type);
    }
}

MatGemmStats px_last_gemm(void)
{
    return px_gemm;
}
