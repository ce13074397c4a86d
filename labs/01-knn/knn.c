/*
 * knn.c - lab 01: k-nearest neighbours. You write every function in this file.
 *
 * Shapes (knn.h): X_train (N, D) and X_test (M, D), one image per row;
 * dists (M, N) with dists[i][j] = distance(test row i, train row j). The caller
 * allocates dists (and every other output); your code only fills it.
 *
 * Read the handout first: labs/01-knn/README.md. Delete a function's
 * LAB_TODO() line when you write it. Helper functions must be `static`.
 * Useful tools (include/mat.h): MAT_AT(m, i, j), mat_new/mat_free,
 * mat_row_view/mat_rows_view (borrow rows without copying), mat_gemm
 * (matrix products), mat_expect_shape (a clear stop on a wrong shape).
 */
#include "knn.h"
#include "lab.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- distances ---------------------------------------------------------------- */

/*
 * knn_distances_two_loops: L2 distances, one pair at a time.
 *   dists[i][j] = sqrt( sum_p (X_test[i][p] - X_train[j][p])^2 )
 * for every test row i in [0, M) and every training row j in [0, N).
 * Write it as a loop over i, a loop over j, and the sum over the D pixels inside.
 * Do not forget the square root. X_train and X_test must not be modified.
 */
void knn_distances_two_loops(const Mat *X_train, const Mat *X_test, Mat *dists)
{
    LAB_TODO();
}

/*
 * knn_distances_one_loop: the same L2 distances with a single explicit loop,
 * over the test rows i. For each i, compute the whole row dists[i][0..N) at once:
 *   |a - b|^2 = |a|^2 + |b|^2 - 2 <a, b>
 * The N dot products <X_test[i], X_train[j]> are one matrix product of the
 * (1, D) row view of test row i with X_train^T, written into the (1, N) row
 * view of dists (mat_row_view + mat_gemm with alpha = -2). Compute the N
 * training norms |X_train[j]|^2 once, before the loop. Then add the norms,
 * clamp at 0 (rounding can make a squared distance slightly negative, and
 * sqrt of a negative is NaN) and take the square root.
 */
void knn_distances_one_loop(const Mat *X_train, const Mat *X_test, Mat *dists)
{
    LAB_TODO();
}

/*
 * knn_distances_no_loops: the same L2 distances with no loop over pairs.
 *   1. dists = -2 * X_test * X_train^T: ONE call to mat_gemm (M, N).
 *   2. the squared norms of every test row (M values) and training row (N values).
 *   3. dists[i][j] += |X_test[i]|^2 + |X_train[j]|^2.
 *   4. clamp every entry at 0, then take the square root.
 * Loops over rows for the norms and over entries for steps 3-4 are fine: what
 * matters is that the O(M N D) work happens inside mat_gemm. Results must be
 * >= 0 and never NaN, even for identical rows.
 */
void knn_distances_no_loops(const Mat *X_train, const Mat *X_test, Mat *dists)
{
    LAB_TODO();
}

/*
 * knn_distances_l1: L1 (Manhattan) distances.
 *   dists[i][j] = sum_p |X_test[i][p] - X_train[j][p]|
 * Two loops (there is no matrix-product shortcut for absolute values).
 * The lecture's 4x4 example gives 456.
 */
void knn_distances_l1(const Mat *X_train, const Mat *X_test, Mat *dists)
{
    LAB_TODO();
}

/* ---- prediction --------------------------------------------------------------- */

/*
 * knn_predict_labels: the k-nearest-neighbour vote.
 *   dists (M, N) as above; y_train (N) labels >= 0; y_pred (M) is written.
 * For each test row i:
 *   1. find the k training rows j with the smallest dists[i][j]. When two
 *      distances are equal, the lower index j counts as nearer.
 *   2. y_pred[i] = the label that occurs most often among those k rows; when
 *      several labels tie for the most votes, the smallest label wins.
 * 1 <= k <= N. Do not sort all N distances of a row (N is 60,000 on the full
 * data): keep a small array of the k best (distance, index) pairs seen so far,
 * sorted by distance, and insert into it only when a row is strictly nearer
 * than the current k-th best. Count votes in an array with one slot per label
 * (the largest label in y_train, plus one). dists and y_train must not change.
 */
void knn_predict_labels(const Mat *dists, const int *y_train, int k, int *y_pred)
{
    LAB_TODO();
}

/* ---- cross-validation ------------------------------------------------------------ */

/*
 * knn_cross_validate: F-fold cross-validation of k.
 *   X (N, D), y (N); k_choices (num_k); accuracies (num_k, num_folds) is written.
 * Fold f (0 <= f < F, F = num_folds) is rows [f*N/F, (f+1)*N/F) with integer
 * division, so folds differ in size by at most one row when F does not divide N
 * (compute f*N in `long long`: it can pass 2^31). For each fold f:
 *   - the training set is all the other rows, in their order (copy them into
 *     a new matrix and label array);
 *   - the validation set is fold f (mat_rows_view borrows it without a copy);
 *   - compute the validation-vs-training L2 distances ONCE with your
 *     knn_distances_no_loops, then for each k_choices[c] call your
 *     knn_predict_labels and store the fraction of fold f predicted correctly
 *     in accuracies[c][f].
 * Free everything you allocate. X and y must not change.
 */
void knn_cross_validate(const Mat *X, const int *y, int num_folds, const int *k_choices, int num_k,
                        Mat *accuracies)
{
    LAB_TODO();
}
