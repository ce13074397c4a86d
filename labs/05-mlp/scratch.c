/*
 * scratch.c - your own small cases for lab 05: make scratch LAB=05
 *
 * Builds this file with your mlp.c and runs it. Change it as you like (it is
 * not graded and not submitted): try the cases you are unsure about and print
 * what your functions return.
 */
#include "mlp.h"

#include <stdio.h>

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);   /* printf's lines in order with mat_print's (stderr) */
    /* One input row [1, -2] through a layer with 3 outputs, then ReLU:
     * x w + b = [1 - 4 + 0.5, 0 - 2 - 1, 2 + 2 + 0] = [-2.5, -3, 4]. */
    const double xv[2] = { 1, -2 }, wv[6] = { 1, 0, 2, 2, 1, -1 }, bv[3] = { 0.5, -1, 0 };
    Mat *x = mat_from(1, 2, xv), *w = mat_from(2, 3, wv), *b = mat_from(1, 3, bv);
    Mat *a = mat_new(1, 3), *h = mat_new(1, 3);
    affine_forward(x, w, b, a);
    mat_print("x w + b (expected [-2.5 -3 4])", a);
    relu_forward(a, h);
    mat_print("relu (expected [0 0 4])", h);

    /* Softmax loss of equal scores: log 3 = 1.0986 for any label. */
    const int y[1] = { 2 };
    Mat *s = mat_new(1, 3), *ds = mat_new(1, 3);
    printf("softmax loss of [0 0 0]: %.4f (expected 1.0986)\n", softmax_loss(s, y, ds));
    mat_print("dscores (expected [1/3 1/3 -2/3])", ds);

    mat_free(x), mat_free(w), mat_free(b), mat_free(a), mat_free(h), mat_free(s), mat_free(ds);
    return 0;
}
