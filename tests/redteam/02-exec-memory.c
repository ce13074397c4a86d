/* red team: makes memory executable to run machine code it wrote (a way around
 * any check of the object file).
 * expect: FORBIDDEN your code called (mmap|mprotect)\(\) */
#include "loss.h"

#include <string.h>
#include <sys/mman.h>

static double run_code(void)
{
    /* mov eax, 0; ret */
    static const unsigned char code[] = { 0xb8, 0, 0, 0, 0, 0xc3 };
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return 0.0;
    memcpy(p, code, sizeof code);
    mprotect(p, 4096, PROT_READ | PROT_EXEC);
    return (double)((int (*)(void))p)();
}

double svm_loss_naive(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW)
{ (void)W; (void)X; (void)y; (void)reg; (void)dW; return run_code(); }
double svm_loss_vectorized(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW)
{ (void)W; (void)X; (void)y; (void)reg; (void)dW; return run_code(); }
double softmax_loss_naive(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW)
{ (void)W; (void)X; (void)y; (void)reg; (void)dW; return run_code(); }
double softmax_loss_vectorized(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW)
{ (void)W; (void)X; (void)y; (void)reg; (void)dW; return run_code(); }
