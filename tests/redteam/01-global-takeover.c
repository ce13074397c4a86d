/* red team: a lab file alone that defines, without static, the names the worker program
 * around it runs on: main, the dispatcher (wk_dispatch), the library's LAB_TODO handler
 * (lab_todo), mat_gemm, and the C library's memcmp, exit and write. If any of them stood
 * in for the real one, the worker would answer the grader with whatever this file says
 * (every call "done", the grader's comparisons always equal). The build makes each of them
 * local to this file, so the worker keeps its own, runs the empty lab functions below, and
 * the grader finds their results wrong.
 * expect: FAIL NOTE: 'wk_dispatch' is global but not part of knn.h */
#include "knn.h"

#include <stddef.h>

struct ChHeader;
int wk_dispatch(struct ChHeader *h, double *ret) { (void)h; if (ret) *ret = 0; return 0; }
int main(void) { return 0; }
void lab_todo(const char *func, const char *file, int line) { (void)func; (void)file; (void)line; }
void mat_gemm(const Mat *A, bool ta, const Mat *B, bool tb, double alpha, double beta, Mat *C)
{ (void)A; (void)ta; (void)B; (void)tb; (void)alpha; (void)beta; (void)C; }
int memcmp(const void *a, const void *b, size_t n) { (void)a; (void)b; (void)n; return 0; }
void exit(int status) { (void)status; for (;;) {} }
long write(int fd, const void *buf, unsigned long n) { (void)fd; (void)buf; return (long)n; }

void knn_distances_two_loops(const Mat *X_train, const Mat *X_test, Mat *dists) { (void)X_train; (void)X_test; (void)dists; }
void knn_distances_one_loop(const Mat *X_train, const Mat *X_test, Mat *dists) { (void)X_train; (void)X_test; (void)dists; }
void knn_distances_no_loops(const Mat *X_train, const Mat *X_test, Mat *dists) { (void)X_train; (void)X_test; (void)dists; }
void knn_distances_l1(const Mat *X_train, const Mat *X_test, Mat *dists) { (void)X_train; (void)X_test; (void)dists; }
void knn_predict_labels(const Mat *dists, const int *y_train, int k, int *y_pred) { (void)dists; (void)y_train; (void)k; (void)y_pred; }
void knn_cross_validate(const Mat *X, const int *y, int num_folds, const int *k_choices, int num_k, Mat *accuracies)
{ (void)X; (void)y; (void)num_folds; (void)k_choices; (void)num_k; (void)accuracies; }
