/*
 * gradcheck.c - lab 03: numerical gradients and gradient checking. You write
 * every function in this file.
 *
 * A ScalarFn (gradcheck.h) maps a matrix x to one number, f(x, ctx): a loss.
 * Your functions treat it as a black box: nudge one entry of x, call f, compare.
 * x is borrowed: every function must hand it back bit for bit as it came in.
 * The only safe way is to save the entry, write the nudged value, call f, and
 * write the saved value back. Undoing the nudge with arithmetic is NOT safe:
 * in floating point 1e-7 + 1e-5 - 1e-5 is 1.0000000000000074e-07, not 1e-7,
 * and 0.1 + 1e-5 - 2e-5 + 1e-5 is not 0.1 either.
 *
 * Read the handout first: labs/03-gradcheck/README.md. Delete a function's
 * LAB_TODO() line when you write it. Helper functions must be `static`.
 * Useful tools (include/mat.h, include/rng.h): x->data[i] walks all
 * rows*cols entries in order, mat_expect_shape (a clear stop on a wrong
 * shape), rng_int(rng, n) (a uniform integer in [0, n)), fabs (math.h).
 */
#include "gradcheck.h"
#include "lab.h"

#include <math.h>
#include <stddef.h>

/* ---- numerical gradients ------------------------------------------------------ */

/*
 * numerical_gradient: centered differences. For every entry i of x (all
 * rows*cols of them, in any order):
 *   grad[i] = ( f(x + h e_i) - f(x - h e_i) ) / (2h)
 * where x + h e_i is x with only entry i increased by h. That is exactly 2
 * calls to f per entry (2 * rows * cols in all). grad has x's shape (check it
 * with mat_expect_shape) and is overwritten. Restore x[i] from a saved copy
 * after each entry, so x is unchanged bit for bit when you return.
 * Why centered: its error is O(h^2), the forward difference's is O(h).
 */
void numerical_gradient(ScalarFn f, void *ctx, Mat *x, double h, Mat *grad)
{
    LAB_TODO();
}

/*
 * numerical_gradient_forward: one-sided differences, as on the slides.
 *   grad[i] = ( f(x + h e_i) - f(x) ) / h
 * f(x) does not depend on i: evaluate it once, before the loop (rows*cols + 1
 * calls to f in all). Same rules as above: grad has x's shape and is
 * overwritten; x is restored bit for bit from saved values. Compute exactly
 * that quotient (do not rearrange it): it is graded against the formula.
 */
void numerical_gradient_forward(ScalarFn f, void *ctx, Mat *x, double h, Mat *grad)
{
    LAB_TODO();
}

/* ---- comparing gradients ------------------------------------------------------ */

/*
 * rel_error: the worst relative error between two same-shaped matrices:
 *   max over entries i of  |a[i] - b[i]| / max(1e-8, |a[i]| + |b[i]|)
 * The 1e-8 floor keeps two (near) zeros from dividing 0 by 0: an entry where
 * both are 0 contributes 0. Take the MAXIMUM over entries, not a sum or mean:
 * one wrong entry among thousands must show. a and b must have the same shape
 * (mat_expect_shape). Neither is modified.
 */
double rel_error(const Mat *a, const Mat *b)
{
    LAB_TODO();
}

/*
 * grad_check_sparse: spot-check an analytic gradient at a few random entries.
 * Repeat num_checks times:
 *   i = rng_int(rng, rows * cols)            (one draw per check, this order)
 *   num = centered difference at entry i     (2 calls to f, x[i] restored)
 *   r = |analytic[i] - num| / max(1e-8, |analytic[i]| + |num|)
 * and return the largest r (0 when num_checks <= 0). Draw the entries with
 * the given rng exactly like that (the same seed must check the same
 * entries), and do NOT compute the full numerical gradient: the point is
 * 2 * num_checks calls to f instead of 2 * rows * cols. An entry may be drawn
 * twice; that is fine. analytic has x's shape; x is unchanged on return.
 */
double grad_check_sparse(ScalarFn f, void *ctx, Mat *x, const Mat *analytic,
                         int num_checks, double h, Rng *rng)
{
    LAB_TODO();
}
