/*
 * scratch.c - your own small cases for lab 04: make scratch LAB=04
 *
 * Builds this file with your linear.c (and your loss.c) and runs it. Change it
 * as you like (it is not graded and not submitted): try the cases you are
 * unsure about and print what your functions return.
 */
#include "linear.h"
#include "loss.h"

#include <stdio.h>

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);   /* printf's lines in order with mat_print's (stderr) */
    /* Scores X W: row 0 scores classes 0, 1, 2 as 1, 3, 2 (predict 1); row 1
     * ties classes 0 and 2 at 5 (the lower class, 0, wins). */
    const double w[9] = { 1, 3, 2, 5, 0, 5, 0, 0, 0 };
    const double x[6] = { 1, 0, 0, 0, 1, 0 };
    Mat *W = mat_from(3, 3, w), *X = mat_from(2, 3, x);
    int y_pred[2];
    linear_predict(W, X, y_pred);
    printf("y_pred = %d %d (expected 1 0)\n", y_pred[0], y_pred[1]);

    /* A batch of 4 rows drawn from the 2 rows of X (with replacement). */
    const int y[2] = { 1, 0 };
    Mat *Xb = mat_new(4, 3);
    int yb[4];
    Rng rng;
    rng_seed(&rng, 1);
    sgd_sample_batch(X, y, &rng, Xb, yb);
    mat_print("X_batch", Xb);
    printf("y_batch = %d %d %d %d\n", yb[0], yb[1], yb[2], yb[3]);

    mat_free(W);
    mat_free(X);
    mat_free(Xb);
    return 0;
}
