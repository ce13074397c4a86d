/*
 * scratch.c - your own small cases for lab 02: make scratch LAB=02
 *
 * Builds this file with your loss.c and runs it. Change it as you like (it is
 * not graded and not submitted): try the cases you are unsure about and print
 * what your functions return.
 */
#include "loss.h"

#include <stdio.h>

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);   /* printf's lines in order with mat_print's (stderr) */
    /* The lecture's score table: with X = I the scores are W itself. Rows are
     * the cat, car and frog images, columns the classes cat, car, frog. */
    const double table[9] = { 3.2, 5.1, -1.7, 1.3, 4.9, 2.0, 2.2, 2.5, -3.1 };
    const int y[3] = { 0, 1, 2 };
    Mat *W = mat_from(3, 3, table), *X = mat_new(3, 3), *dW = mat_new(3, 3);
    for (int i = 0; i < 3; i++) MAT_AT(X, i, i) = 1.0;

    double svm = svm_loss_naive(W, X, y, 0.0, dW);
    printf("SVM loss %.4f (the lecture: 5.27)\n", svm);
    mat_print("SVM dW", dW);

    double softmax = softmax_loss_naive(W, X, y, 0.0, dW);
    printf("softmax loss %.4f (with the natural log: mean of 2.04, 0.079, 6.16)\n", softmax);
    mat_print("softmax dW", dW);

    mat_free(W);
    mat_free(X);
    mat_free(dW);
    return 0;
}
