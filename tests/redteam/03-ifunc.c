/* red team: an ifunc resolver and an .init_array entry: two more ways to run
 * code while the program loads, before the sandbox is up.
 * expect: BUILD ifunc|init_array */
#include "gradcheck.h"

#include <stdio.h>

static void early(void) { puts("early code ran"); }
static void (*const early_entry)(void) __attribute__((section(".init_array"), used)) = early;

static double rel_error_impl(const Mat *a, const Mat *b) { (void)a; (void)b; return 0.0; }
static double (*resolve_rel_error(void))(const Mat *, const Mat *)
{
    puts("resolver ran");
    return rel_error_impl;
}
double rel_error(const Mat *a, const Mat *b) __attribute__((ifunc("resolve_rel_error")));

void numerical_gradient(ScalarFn f, void *ctx, Mat *x, double h, Mat *grad) { (void)f; (void)ctx; (void)x; (void)h; (void)grad; }
void numerical_gradient_forward(ScalarFn f, void *ctx, Mat *x, double h, Mat *grad) { (void)f; (void)ctx; (void)x; (void)h; (void)grad; }
double grad_check_sparse(ScalarFn f, void *ctx, Mat *x, const Mat *analytic, int num_checks, double h, Rng *rng)
{ (void)f; (void)ctx; (void)x; (void)analytic; (void)num_checks; (void)h; (void)rng; return 0.0; }
