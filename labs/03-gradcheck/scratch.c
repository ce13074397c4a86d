/*
 * scratch.c - your own small cases for lab 03: make scratch LAB=03
 *
 * Builds this file with your gradcheck.c and runs it. Change it as you like
 * (it is not graded and not submitted): try the cases you are unsure about and
 * print what your functions return.
 */
#include "gradcheck.h"

#include <stdio.h>

/* f(x) = sum_i x_i^3, whose exact gradient is 3 x_i^2. */
static double cubes(const Mat *x, void *ctx)
{
    (void)ctx;
    double s = 0.0;
    for (int i = 0; i < x->rows * x->cols; i++) s += x->data[i] * x->data[i] * x->data[i];
    return s;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);   /* printf's lines in order with mat_print's (stderr) */
    const double v[3] = { 1.0, -2.0, 0.5 };
    Mat *x = mat_from(1, 3, v), *exact = mat_new(1, 3), *grad = mat_new(1, 3);
    for (int i = 0; i < 3; i++) exact->data[i] = 3.0 * v[i] * v[i];

    for (double h = 1e-1; h >= 1e-7; h /= 10) {
        numerical_gradient(cubes, NULL, x, h, grad);
        printf("h = %g: centered [% .10f % .10f % .10f], rel_error vs exact %.3g\n", h, grad->data[0],
               grad->data[1], grad->data[2], rel_error(grad, exact));
    }

    mat_free(x);
    mat_free(exact);
    mat_free(grad);
    return 0;
}
