/*
 * gradcheck.h - lab 03: numerical gradients and gradient checking.
 *
 * A ScalarFn maps a matrix x to a number (a loss); ctx carries whatever else it
 * needs. grad has x's shape and is overwritten. The functions perturb x one
 * entry at a time and leave it exactly as they found it.
 */
#ifndef GRADLAB_GRADCHECK_H
#define GRADLAB_GRADCHECK_H

#include "mat.h"
#include "rng.h"

typedef double (*ScalarFn)(const Mat *x, void *ctx);

/* Centered differences: grad[i] = (f(x + h e_i) - f(x - h e_i)) / (2h). */
void numerical_gradient(ScalarFn f, void *ctx, Mat *x, double h, Mat *grad);          /* centered */
/* Forward differences, as on the slides: grad[i] = (f(x + h e_i) - f(x)) / h. */
void numerical_gradient_forward(ScalarFn f, void *ctx, Mat *x, double h, Mat *grad);  /* one-sided, as on the slides */
/* max_i |a_i - b_i| / max(1e-8, |a_i| + |b_i|); shapes must match. */
double rel_error(const Mat *a, const Mat *b);  /* max_i |a-b| / max(1e-8, |a|+|b|) */
/* Checks num_checks entries drawn with rng (rng_int over all entries): returns the
 * largest relative error between the centered estimate and analytic there. */
double grad_check_sparse(ScalarFn f, void *ctx, Mat *x, const Mat *analytic, int num_checks, double h, Rng *rng);

#endif
