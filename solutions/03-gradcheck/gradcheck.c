/*
 * gradcheck.c - lab 03: numerical gradients and gradient checking (reference
 * solution).
 *
 * Every function here treats a loss as a black box f(x): it nudges one entry
 * of x at a time, evaluates f, and compares. x is borrowed, not owned: each
 * entry is saved before the nudge and the saved value is written back after,
 * so x leaves these functions bit for bit as it came in (x + h - h is not
 * always x in floating point: with h = 1e-5, 1e-7 + h - h = 1.0000000000000074e-07,
 * -0.0 + h - h = +0.0, and 0.1 + h - 2h + h != 0.1).
 */
#include "gradcheck.h"
#include "lab.h"

#include <math.h>
#include <stddef.h>

/* ---- helpers ---------------------------------------------------------------- */

/* The relative error of one pair, with a floor on the denominator so that two
 * (near) zeros compare as equal instead of dividing 0 by 0. */
static double gc_rel(double a, double b)
{
    double denom = fabs(a) + fabs(b);
    return fabs(a - b) / (denom > 1e-8 ? denom : 1e-8);
}

/* The centered estimate of df/dx_i: two evaluations, x_i restored exactly. */
static double gc_centered_at(ScalarFn f, void *ctx, Mat *x, size_t i, double h)
{
    double old = x->data[i];
    x->data[i] = old + h;
    double fplus = f(x, ctx);
    x->data[i] = old - h;
    double fminus = f(x, ctx);
    x->data[i] = old;                 /* the saved value, not old - h + h */
    return (fplus - fminus) / (2.0 * h);
}

/* ---- numerical gradients ------------------------------------------------------ */

void numerical_gradient(ScalarFn f, void *ctx, Mat *x, double h, Mat *grad)
{
    mat_expect_nonnull("numerical_gradient", "x", x);
    mat_expect_nonnull("numerical_gradient", "grad", grad);
    mat_expect_shape("numerical_gradient", "grad", grad, x->rows, x->cols);
    /* Taylor: f(x+h) - f(x-h) = 2h f'(x) + (h^3/3) f'''(x) + ..., so the
     * even-order terms cancel and the error of the estimate is O(h^2). */
    size_t n = (size_t)x->rows * (size_t)x->cols;
    for (size_t i = 0; i < n; i++)
        grad->data[i] = gc_centered_at(f, ctx, x, i, h);
}

void numerical_gradient_forward(ScalarFn f, void *ctx, Mat *x, double h, Mat *grad)
{
    mat_expect_nonnull("numerical_gradient_forward", "x", x);
    mat_expect_nonnull("numerical_gradient_forward", "grad", grad);
    mat_expect_shape("numerical_gradient_forward", "grad", grad, x->rows, x->cols);
    /* f(x) is the same for every entry: evaluate it once (n + 1 calls in all).
     * Taylor: f(x+h) - f(x) = h f'(x) + (h^2/2) f''(x) + ..., an O(h) error. */
    double fx = f(x, ctx);
    size_t n = (size_t)x->rows * (size_t)x->cols;
    for (size_t i = 0; i < n; i++) {
        double old = x->data[i];
        x->data[i] = old + h;
        double fplus = f(x, ctx);
        x->data[i] = old;
        grad->data[i] = (fplus - fx) / h;
    }
}

/* ---- comparing gradients ------------------------------------------------------ */

double rel_error(const Mat *a, const Mat *b)
{
    mat_expect_nonnull("rel_error", "a", a);
    mat_expect_nonnull("rel_error", "b", b);
    mat_expect_shape("rel_error", "b", b, a->rows, a->cols);
    /* The worst entry, not an average: one wrong entry among thousands of
     * right ones is exactly the bug a gradient check must not hide. */
    double worst = 0.0;
    size_t n = (size_t)a->rows * (size_t)a->cols;
    for (size_t i = 0; i < n; i++) {
        double r = gc_rel(a->data[i], b->data[i]);
        if (r > worst) worst = r;
    }
    return worst;
}

double grad_check_sparse(ScalarFn f, void *ctx, Mat *x, const Mat *analytic,
                         int num_checks, double h, Rng *rng)
{
    mat_expect_nonnull("grad_check_sparse", "x", x);
    mat_expect_nonnull("grad_check_sparse", "analytic", analytic);
    mat_expect_nonnull("grad_check_sparse", "rng", rng);
    mat_expect_shape("grad_check_sparse", "analytic", analytic, x->rows, x->cols);
    /* A full numerical gradient costs 2 evaluations per entry (a W of 7850
     * entries: 15,700 losses). A handful of random entries catches almost
     * every real bug at a tiny fraction of that. */
    int n = x->rows * x->cols;
    double worst = 0.0;
    for (int k = 0; k < num_checks && n > 0; k++) {
        int i = rng_int(rng, n);
        double num = gc_centered_at(f, ctx, x, (size_t)i, h);
        double r = gc_rel(analytic->data[i], num);
        if (r > worst) worst = r;
    }
    return worst;
}
