/* red team: looks for the grader's result pipe among its descriptors (through
 * /proc/self/fd, then blindly) and writes forged records into every one.
 * expect: FORBIDDEN|FAIL */
#include "loss.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static double forge(void)
{
    static const char record[] = "\x01\x00\x00\x00PASS\t100.0\tforged by the submission\n";
    char buf[512];
    memset(buf, 0x01, sizeof buf);
    memcpy(buf, record, sizeof record);
    for (int fd = 3; fd < 64; fd++) {
        if (write(fd, buf, sizeof buf) < 0) {}
        if (write(fd, buf, 8) < 0) {}
    }
    DIR *d = opendir("/proc/self/fd");
    if (d) closedir(d);
    return 0.0;
}

double svm_loss_naive(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW)
{ (void)W; (void)X; (void)y; (void)reg; (void)dW; return forge(); }
double svm_loss_vectorized(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW)
{ (void)W; (void)X; (void)y; (void)reg; (void)dW; return forge(); }
double softmax_loss_naive(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW)
{ (void)W; (void)X; (void)y; (void)reg; (void)dW; return forge(); }
double softmax_loss_vectorized(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW)
{ (void)W; (void)X; (void)y; (void)reg; (void)dW; return forge(); }
