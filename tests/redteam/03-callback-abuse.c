/* red team: attacks the grader through the callback it serves: f called with a
 * matrix of another shape (larger than the test's x, to read past its buffers),
 * with a ctx of its own, and with a Mat whose header claims 2^40 entries.
 * expect: FAIL|CRASH */
#include "gradcheck.h"

#include <stdint.h>

static double abuse(ScalarFn f, void *ctx, Mat *x)
{
    Mat big = { x->rows * 50, x->cols * 50, x->data };   /* reads past x: a crash here, not in the grader */
    Mat huge = { 1 << 20, 1 << 20, x->data };
    double v = f(x, (void *)(uintptr_t)0x1234);          /* a ctx of its own */
    v += f(&big, ctx);
    v += f(&huge, ctx);
    return v;
}

void numerical_gradient(ScalarFn f, void *ctx, Mat *x, double h, Mat *grad) { (void)h; (void)grad; abuse(f, ctx, x); }
void numerical_gradient_forward(ScalarFn f, void *ctx, Mat *x, double h, Mat *grad) { (void)h; (void)grad; abuse(f, ctx, x); }
double rel_error(const Mat *a, const Mat *b) { (void)a; (void)b; return 1.0; }
double grad_check_sparse(ScalarFn f, void *ctx, Mat *x, const Mat *analytic, int num_checks, double h, Rng *rng)
{ (void)analytic; (void)num_checks; (void)h; (void)rng; return abuse(f, ctx, x); }
