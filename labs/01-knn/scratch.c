/*
 * scratch.c - your own small cases for lab 01: make scratch LAB=01
 *
 * Builds this file with your knn.c and runs it. Change it as you like (it is
 * not graded and not submitted): try the cases you are unsure about and print
 * what your functions return.
 */
#include "knn.h"

#include <stdio.h>

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);   /* printf's lines in order with mat_print's (stderr) */
    /* Three training points in the plane and two test points: the distances
     * from (0, 0) are 0, 5 and 10; from (6, 0) they are 6, 5 and 8. */
    const double train[6] = { 0, 0, 3, 4, 6, 8 }, test[4] = { 0, 0, 6, 0 };
    const int y_train[3] = { 2, 7, 2 };
    Mat *X_train = mat_from(3, 2, train), *X_test = mat_from(2, 2, test), *dists = mat_new(2, 3);

    knn_distances_two_loops(X_train, X_test, dists);
    mat_print("dists (expected [0 5 10; 6 5 8])", dists);

    int y_pred[2];
    knn_predict_labels(dists, y_train, 1, y_pred);
    printf("k = 1: y_pred = %d %d (expected 2 7)\n", y_pred[0], y_pred[1]);

    mat_free(X_train);
    mat_free(X_test);
    mat_free(dists);
    return 0;
}
