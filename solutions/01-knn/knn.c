/*
 * knn.c - lab 01: k-nearest neighbours (reference solution).
 *
 * Shapes (knn.h): X_train (N, D) and X_test (M, D), one image per row;
 * dists (M, N) with dists[i][j] = distance(test row i, train row j).
 *
 * The three L2 versions compute the same numbers in three ways: pair by pair,
 * one test row at a time through a matrix product, and all pairs at once
 * through a single matrix product. Only the last one is fast enough for the
 * full data set (10,000 x 60,000 pairs).
 */
#include "knn.h"
#include "lab.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- helpers ---------------------------------------------------------------- */

/* Scratch memory for this file. Running out is not something a lab function can
 * report through its signature, so it stops the program like mat_new() does. */
static void *knn_alloc(size_t count, size_t size, const char *fn)
{
    void *p = calloc(count > 0 ? count : 1, size);
    if (!p) {
        fprintf(stderr, "%s: out of memory (%zu x %zu bytes)\n", fn, count, size);
        abort();
    }
    return p;
}

/* The checks every distance function starts with: same D, dists is (M, N). */
static void knn_check_shapes(const char *fn, const Mat *X_train, const Mat *X_test, const Mat *dists)
{
    mat_expect_nonnull(fn, "X_train", X_train);
    mat_expect_nonnull(fn, "X_test", X_test);
    mat_expect_nonnull(fn, "dists", dists);
    mat_expect_shape(fn, "X_test", X_test, -1, X_train->cols);
    mat_expect_shape(fn, "dists", dists, X_test->rows, X_train->rows);
}

/* norms[i] = |row i of X|^2, a (1, rows) matrix. Each sum is one chain of
 * additions, and each addition waits for the one before it; four rows at a
 * time keep four chains going at once, which makes this about four times
 * faster (it runs for all 60,000 training rows in every call) and adds every
 * row's terms in the same order, so the sums are the same to the last bit. */
static Mat *knn_row_sq_norms(const Mat *X)
{
    Mat *norms = mat_new(1, X->rows);
    int i = 0, D = X->cols;
    for (; i + 4 <= X->rows; i += 4) {
        const double *a = &MAT_AT(X, i, 0), *b = a + D, *c = b + D, *e = c + D;
        double sa = 0.0, sb = 0.0, sc = 0.0, se = 0.0;
        for (int d = 0; d < D; d++) {
            sa += a[d] * a[d];
            sb += b[d] * b[d];
            sc += c[d] * c[d];
            se += e[d] * e[d];
        }
        norms->data[i] = sa;
        norms->data[i + 1] = sb;
        norms->data[i + 2] = sc;
        norms->data[i + 3] = se;
    }
    for (; i < X->rows; i++) {
        double s = 0.0;
        for (int d = 0; d < D; d++) s += MAT_AT(X, i, d) * MAT_AT(X, i, d);
        norms->data[i] = s;
    }
    return norms;
}

/* Turns row i of dists, which holds -2 <test_i, train_j>, into the distances:
 * add |test_i|^2 + |train_j|^2, clamp at 0, take the square root. The clamp
 * matters: for (nearly) identical rows the expansion subtracts two large,
 * almost equal numbers and rounding can leave a tiny negative value, whose
 * square root would be NaN. */
static void knn_finish_row(Mat *dists, int i, double test_sq, const Mat *train_sq)
{
    for (int j = 0; j < dists->cols; j++) {
        double sq = MAT_AT(dists, i, j) + test_sq + train_sq->data[j];
        MAT_AT(dists, i, j) = sqrt(sq > 0.0 ? sq : 0.0);
    }
}

/* ---- distances ---------------------------------------------------------------- */

void knn_distances_two_loops(const Mat *X_train, const Mat *X_test, Mat *dists)
{
    knn_check_shapes("knn_distances_two_loops", X_train, X_test, dists);
    int M = X_test->rows, N = X_train->rows, D = X_train->cols;
    for (int i = 0; i < M; i++) {
        const double *a = &MAT_AT(X_test, i, 0);
        for (int j = 0; j < N; j++) {
            const double *b = &MAT_AT(X_train, j, 0);
            /* d2(a, b) = sqrt(sum_p (a_p - b_p)^2): exact, no cancellation */
            double s = 0.0;
            for (int p = 0; p < D; p++) {
                double diff = a[p] - b[p];
                s += diff * diff;
            }
            MAT_AT(dists, i, j) = sqrt(s);
        }
    }
}

void knn_distances_one_loop(const Mat *X_train, const Mat *X_test, Mat *dists)
{
    knn_check_shapes("knn_distances_one_loop", X_train, X_test, dists);
    /* |a - b|^2 = |a|^2 + |b|^2 - 2 <a, b>. The training norms are the same for
     * every test row, so they are computed once. */
    Mat *train_sq = knn_row_sq_norms(X_train);
    for (int i = 0; i < X_test->rows; i++) {
        /* One test row against all training rows at once: the (1, D) row times
         * X_train^T (D, N) is the (1, N) row of dot products, written straight
         * into row i of dists (scaled by -2). */
        Mat a = mat_row_view(X_test, i);
        Mat out = mat_row_view(dists, i);
        mat_gemm(&a, false, X_train, true, -2.0, 0.0, &out);
        double test_sq = 0.0;
        for (int p = 0; p < a.cols; p++) test_sq += a.data[p] * a.data[p];
        knn_finish_row(dists, i, test_sq, train_sq);
    }
    mat_free(train_sq);
}

void knn_distances_no_loops(const Mat *X_train, const Mat *X_test, Mat *dists)
{
    knn_check_shapes("knn_distances_no_loops", X_train, X_test, dists);
    /* All pairs at once: dists = -2 X_test X_train^T (M, N) in one matrix
     * product, then |test_i|^2 (a column) and |train_j|^2 (a row) are added
     * to every entry. The loops that remain are O(M N) bookkeeping; the
     * O(M N D) work is in mat_gemm. */
    mat_gemm(X_test, false, X_train, true, -2.0, 0.0, dists);
    Mat *test_sq = knn_row_sq_norms(X_test);
    Mat *train_sq = knn_row_sq_norms(X_train);
    for (int i = 0; i < X_test->rows; i++) knn_finish_row(dists, i, test_sq->data[i], train_sq);
    mat_free(test_sq);
    mat_free(train_sq);
}

void knn_distances_l1(const Mat *X_train, const Mat *X_test, Mat *dists)
{
    knn_check_shapes("knn_distances_l1", X_train, X_test, dists);
    int M = X_test->rows, N = X_train->rows, D = X_train->cols;
    /* d1(a, b) = sum_p |a_p - b_p|: no product hides in it, so there is no
     * matrix-product shortcut and every pair is visited. */
    for (int i = 0; i < M; i++) {
        const double *a = &MAT_AT(X_test, i, 0);
        for (int j = 0; j < N; j++) {
            const double *b = &MAT_AT(X_train, j, 0);
            double s = 0.0;
            for (int p = 0; p < D; p++) s += fabs(a[p] - b[p]);
            MAT_AT(dists, i, j) = s;
        }
    }
}

/* ---- prediction --------------------------------------------------------------- */

typedef struct {
    double dist;
    int index;
} KnnNeighbour;

void knn_predict_labels(const Mat *dists, const int *y_train, int k, int *y_pred)
{
    mat_expect_nonnull("knn_predict_labels", "dists", dists);
    mat_expect_nonnull("knn_predict_labels", "y_train", y_train);
    mat_expect_nonnull("knn_predict_labels", "y_pred", y_pred);
    int M = dists->rows, N = dists->cols;
    if (k < 1 || k > N) {
        fprintf(stderr, "knn_predict_labels: k = %d, expected 1 <= k <= num_train = %d\n", k, N);
        abort();
    }

    /* The vote counts one slot per label, 0 .. the largest label. */
    int num_labels = 0;
    for (int j = 0; j < N; j++) {
        if (y_train[j] < 0) {
            fprintf(stderr, "knn_predict_labels: y_train[%d] = %d, labels must be >= 0\n", j, y_train[j]);
            abort();
        }
        if (y_train[j] + 1 > num_labels) num_labels = y_train[j] + 1;
    }
    int *counts = knn_alloc((size_t)num_labels, sizeof *counts, "knn_predict_labels");
    KnnNeighbour *best = knn_alloc((size_t)k, sizeof *best, "knn_predict_labels");

    for (int i = 0; i < M; i++) {
        const double *row = &MAT_AT(dists, i, 0);
        /* best[0 .. filled) holds the nearest rows seen so far, sorted by
         * distance. Scanning j upwards and moving an entry only past strictly
         * larger distances keeps equal distances in index order, so ties go to
         * the lower index. A row that is not strictly nearer than the current
         * k-th best is skipped at the cost of one comparison: O(N k) at worst,
         * about O(N) in practice, instead of sorting all N distances. */
        int filled = 0;
        for (int j = 0; j < N; j++) {
            double d = row[j];
            if (filled == k && !(d < best[k - 1].dist)) continue;
            int pos = filled < k ? filled++ : k - 1;
            while (pos > 0 && best[pos - 1].dist > d) {
                best[pos] = best[pos - 1];
                pos--;
            }
            best[pos].dist = d;
            best[pos].index = j;
        }

        /* Majority vote; scanning labels upwards and replacing only on a
         * strictly larger count gives ties to the smaller label. */
        for (int c = 0; c < num_labels; c++) counts[c] = 0;
        for (int t = 0; t < k; t++) counts[y_train[best[t].index]]++;
        int winner = 0;
        for (int c = 1; c < num_labels; c++)
            if (counts[c] > counts[winner]) winner = c;
        y_pred[i] = winner;
    }
    free(best);
    free(counts);
}

/* ---- cross-validation ------------------------------------------------------------ */

void knn_cross_validate(const Mat *X, const int *y, int num_folds, const int *k_choices, int num_k,
                        Mat *accuracies)
{
    const char *fn = "knn_cross_validate";
    mat_expect_nonnull(fn, "X", X);
    mat_expect_nonnull(fn, "y", y);
    mat_expect_nonnull(fn, "k_choices", k_choices);
    mat_expect_nonnull(fn, "accuracies", accuracies);
    mat_expect_shape(fn, "accuracies", accuracies, num_k, num_folds);
    int N = X->rows, D = X->cols;
    if (num_folds < 2 || num_folds > N) {
        fprintf(stderr, "%s: num_folds = %d, expected 2 <= num_folds <= N = %d\n", fn, num_folds, N);
        abort();
    }

    for (int f = 0; f < num_folds; f++) {
        /* Fold f is rows [lo, hi); 64-bit products because f * N can pass 2^31. */
        int lo = (int)((long long)f * N / num_folds);
        int hi = (int)((long long)(f + 1) * N / num_folds);
        int n_val = hi - lo, n_tr = N - n_val;

        /* The training set is every other row, in order: [0, lo) then [hi, N). */
        Mat *X_tr = mat_new(n_tr, D);
        int *y_tr = knn_alloc((size_t)n_tr, sizeof *y_tr, fn);
        for (int r = 0, t = 0; r < N; r++) {
            if (r >= lo && r < hi) continue;
            for (int d = 0; d < D; d++) MAT_AT(X_tr, t, d) = MAT_AT(X, r, d);
            y_tr[t++] = y[r];
        }
        Mat X_val = mat_rows_view(X, lo, n_val);

        /* The distances do not depend on k: compute them once per fold and
         * reuse them for every k. */
        Mat *dists = mat_new(n_val, n_tr);
        knn_distances_no_loops(X_tr, &X_val, dists);
        int *pred = knn_alloc((size_t)n_val, sizeof *pred, fn);
        for (int c = 0; c < num_k; c++) {
            knn_predict_labels(dists, y_tr, k_choices[c], pred);
            int correct = 0;
            for (int r = 0; r < n_val; r++) correct += pred[r] == y[lo + r];
            MAT_AT(accuracies, c, f) = (double)correct / n_val;
        }
        free(pred);
        mat_free(dists);
        free(y_tr);
        mat_free(X_tr);
    }
}
