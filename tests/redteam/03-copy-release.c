/* red team: lab 03 put together from the code the student release ships: the
 * grader's own finite differences (gt_numeric_grad in grader/gt.c, a five-point
 * stencil) as both numerical gradients, and the relative error its gradient
 * check uses (gt_expect_grad) as rel_error and in grad_check_sparse.
 * expect: FAIL not evaluated the way the centered difference does it */
#include "gradcheck.h"

#include <math.h>

static void stencil(ScalarFn f, void *ctx, Mat *x, double h, Mat *grad, long only)
{
    static const double step[4] = { 2.0, 1.0, -1.0, -2.0 }, weight[4] = { -1.0, 8.0, -8.0, 1.0 };
    long n = (long)x->rows * x->cols;
    for (long i = 0; i < n; i++) {
        if (only >= 0 && i != only) continue;
        double saved = x->data[i], sum = 0.0;
        for (int t = 0; t < 4; t++) {
            x->data[i] = saved + step[t] * h;
            sum += weight[t] * f(x, ctx);
        }
        x->data[i] = saved;
        grad->data[i] = sum / (12.0 * h);
    }
}

void numerical_gradient(ScalarFn f, void *ctx, Mat *x, double h, Mat *grad)
{
    stencil(f, ctx, x, h, grad, -1);
}

void numerical_gradient_forward(ScalarFn f, void *ctx, Mat *x, double h, Mat *grad)
{
    stencil(f, ctx, x, h, grad, -1);
}

/* gt_expect_grad's measure: |a - n| / max(|n|, 1e-3 max|n| + 1e-12), the worst entry. */
double rel_error(const Mat *a, const Mat *b)
{
    long n = (long)a->rows * a->cols;
    double max_b = 0.0, worst = 0.0;
    for (long i = 0; i < n; i++) max_b = fmax(max_b, fabs(b->data[i]));
    double floor = 1e-3 * max_b + 1e-12;
    for (long i = 0; i < n; i++) {
        double d = fabs(b->data[i]);
        worst = fmax(worst, fabs(a->data[i] - b->data[i]) / (d > floor ? d : floor));
    }
    return worst;
}

double grad_check_sparse(ScalarFn f, void *ctx, Mat *x, const Mat *analytic, int num_checks, double h, Rng *rng)
{
    Mat *num = mat_new(x->rows, x->cols);
    double worst = 0.0;
    for (int c = 0; c < num_checks; c++) {
        long i = rng_int(rng, x->rows * x->cols);
        stencil(f, ctx, x, h, num, i);
        double d = fabs(num->data[i]);
        worst = fmax(worst, fabs(analytic->data[i] - num->data[i]) / (d > 1e-12 ? d : 1e-12));
    }
    mat_free(num);
    return worst;
}
