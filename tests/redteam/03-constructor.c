/* red team: a constructor runs before main, where it could rewrite the test
 * table or the grader's memory before anything is confined.
 * expect: BUILD a constructor, a destructor */
#include "gradcheck.h"

#include <stdio.h>

__attribute__((constructor)) static void take_over(void) { puts("constructor ran"); }

void numerical_gradient(ScalarFn f, void *ctx, Mat *x, double h, Mat *grad) { (void)f; (void)ctx; (void)x; (void)h; (void)grad; }
void numerical_gradient_forward(ScalarFn f, void *ctx, Mat *x, double h, Mat *grad) { (void)f; (void)ctx; (void)x; (void)h; (void)grad; }
double rel_error(const Mat *a, const Mat *b) { (void)a; (void)b; return 0.0; }
double grad_check_sparse(ScalarFn f, void *ctx, Mat *x, const Mat *analytic, int num_checks, double h, Rng *rng)
{ (void)f; (void)ctx; (void)x; (void)analytic; (void)num_checks; (void)h; (void)rng; return 0.0; }
