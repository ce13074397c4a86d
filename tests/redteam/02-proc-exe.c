/* red team: reads the program it runs in (/proc/self/exe) to find the grader's
 * completion proof, and the solutions and hidden tests from the grading tree,
 * and prints what it finds into its feedback.
 * expect: FORBIDDEN your code called open(at)?\(\)
 * (under SAN=1 an open fails with EACCES instead of ending the test)
 * expect-san: FAIL */
#include "loss.h"

#include <stdio.h>

static double snoop(void)
{
    static const char *const paths[] = { "/proc/self/exe", "solutions/02-loss/loss.c",
                                         "../../solutions/02-loss/loss.c", "/autograder/source/solutions/02-loss/loss.c",
                                         "grader/tests/hidden/lab02_loss.c" };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        FILE *f = fopen(paths[i], "r");
        if (!f) continue;
        char line[256];
        while (fgets(line, sizeof line, f)) printf("LEAKED: %s", line);
        fclose(f);
    }
    return 0.0;
}

double svm_loss_naive(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW)
{ (void)W; (void)X; (void)y; (void)reg; (void)dW; return snoop(); }
double svm_loss_vectorized(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW)
{ (void)W; (void)X; (void)y; (void)reg; (void)dW; return snoop(); }
double softmax_loss_naive(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW)
{ (void)W; (void)X; (void)y; (void)reg; (void)dW; return snoop(); }
double softmax_loss_vectorized(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW)
{ (void)W; (void)X; (void)y; (void)reg; (void)dW; return snoop(); }
