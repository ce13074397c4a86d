/* red team: forwards every lab function to the reference solution, which the
 * grader used to link into the same program under a ref_ prefix.
 * expect: BUILD ref_ */
#include "knn.h"

void ref_knn_distances_two_loops(const Mat *, const Mat *, Mat *);
void ref_knn_distances_one_loop(const Mat *, const Mat *, Mat *);
void ref_knn_distances_no_loops(const Mat *, const Mat *, Mat *);
void ref_knn_distances_l1(const Mat *, const Mat *, Mat *);
void ref_knn_predict_labels(const Mat *, const int *, int, int *);
void ref_knn_cross_validate(const Mat *, const int *, int, const int *, int, Mat *);

void knn_distances_two_loops(const Mat *a, const Mat *b, Mat *d) { ref_knn_distances_two_loops(a, b, d); }
void knn_distances_one_loop(const Mat *a, const Mat *b, Mat *d) { ref_knn_distances_one_loop(a, b, d); }
void knn_distances_no_loops(const Mat *a, const Mat *b, Mat *d) { ref_knn_distances_no_loops(a, b, d); }
void knn_distances_l1(const Mat *a, const Mat *b, Mat *d) { ref_knn_distances_l1(a, b, d); }
void knn_predict_labels(const Mat *d, const int *y, int k, int *p) { ref_knn_predict_labels(d, y, k, p); }
void knn_cross_validate(const Mat *X, const int *y, int f, const int *ks, int nk, Mat *acc)
{
    ref_knn_cross_validate(X, y, f, ks, nk, acc);
}
