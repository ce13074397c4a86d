/*
 * ref_03.h - lab 03's reference solution under the ref_ prefix, for hidden tests only.
 *
 * The build compiles solutions/03-gradcheck/gradcheck.c and renames its global
 * symbols (numerical_gradient, ..., grad_check_sparse) to ref_*; these
 * prototypes match include/gradcheck.h.
 */
#ifndef GRADLAB_REF_03_H
#define GRADLAB_REF_03_H

#include "gradcheck.h"

void ref_numerical_gradient(ScalarFn f, void *ctx, Mat *x, double h, Mat *grad);
void ref_numerical_gradient_forward(ScalarFn f, void *ctx, Mat *x, double h, Mat *grad);
double ref_rel_error(const Mat *a, const Mat *b);
double ref_grad_check_sparse(ScalarFn f, void *ctx, Mat *x, const Mat *analytic, int num_checks, double h,
                             Rng *rng);

#endif
