/*
 * lab01_knn.c - public tests for lab 01 (k-nearest neighbours), 12 points.
 *
 * The expected values come from the lecture's worked example, small cases
 * computed by hand (3-4-5 triangles, a cross-validation on eight points of a
 * line), invariants, and, on random inputs, what the reference answers
 * (ora_knn_distances_two_loops, ora_knn_predict_labels: recorded answers in
 * the student release, see grader/oracle.h). "No loops" is checked by how the
 * function used mat_gemm (gt_last_gemm), never by a timing.
 */
#include "gt.h"
#include "knn.h"
#include "oracles.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- what the reference answers -------------------------------------------------- */

/* The L2 distances the reference computes for these inputs (oracle.h). */
static Mat *lab01_l2_expected(const Mat *X_train, const Mat *X_test)
{
    Mat *d = mat_new(X_test->rows, X_train->rows);
    ora_knn_distances_two_loops(X_train, X_test, d);
    return d;
}

/* What dists holds before the call: an entry still equal to it was never written. */
#define LAB01_UNWRITTEN (-777.0)

/* The hint for a wrong L2 matrix, picked from what the mistake looks like. */
static void lab01_l2_hint(const Mat *expected, const Mat *got)
{
    int squared = 0, transposed = expected->rows != expected->cols, nonzero = 0;
    for (int i = 0; i < got->rows; i++)
        for (int j = 0; j < got->cols; j++) {
            double e = MAT_AT(expected, i, j), g = MAT_AT(got, i, j);
            if (g == LAB01_UNWRITTEN) {
                gt_hint("dists[%d][%d] was never written (it still holds %g, its value before the call): fill "
                        "all num_test x num_train entries, row i for test row i", i, j, LAB01_UNWRITTEN);
                return;
            }
            if (isnan(g)) {
                gt_hint("a NaN distance: sqrt of a negative number. With |a|^2 + |b|^2 - 2<a,b>, rounding can "
                        "make a squared distance slightly negative: clamp it at 0 before the square root");
                return;
            }
            if (e > 1.5) {
                nonzero++;
                if (fabs(g - e * e) <= 1e-6 * e * e) squared++;
            }
        }
    if (nonzero > 0 && squared == nonzero) {
        gt_hint("these look like squared distances: the L2 distance takes the square root of the sum of squares");
        return;
    }
    if (transposed)
        gt_hint("dists is (num_test x num_train): dists[i][j] compares test row i (X_test) with training row j "
                "(X_train). Check that you did not swap i and j, or X_train and X_test");
    else
        gt_hint("dists[i][j] = sqrt(sum_p (X_test[i][p] - X_train[j][p])^2)");
}

typedef void (*Lab01DistFn)(const Mat *, const Mat *, Mat *);

/* Runs fn on copies of the inputs, then checks the result and that the inputs
 * did not change. dists starts as LAB01_UNWRITTEN so that an entry left unwritten shows. */
static void lab01_check_l2(const char *name, Lab01DistFn fn, const Mat *X_train, const Mat *X_test,
                           const Mat *expected, double tol)
{
    Mat *tr = mat_copy(X_train), *te = mat_copy(X_test);
    Mat *d = mat_new(X_test->rows, X_train->rows);
    mat_fill(d, LAB01_UNWRITTEN);
    gt_context("%s(X_train %s, X_test %s, dists %s)", name, gt_shape(X_train), gt_shape(X_test), gt_shape(d));
    fn(tr, te, d);
    lab01_l2_hint(expected, d);
    gt_expect_mat("dists", expected, d, tol);
    gt_hint(NULL);
    gt_expect_unchanged("X_train", X_train, tr);
    gt_expect_unchanged("X_test", X_test, te);
    mat_free(tr);
    mat_free(te);
    mat_free(d);
}

/* ---- L1: the lecture's example ----------------------------------------------- */

static const double lab01_lecture_test[16] = { 56, 32, 10, 18, 90, 23, 128, 133,
                                               24, 26, 178, 200, 2, 0, 255, 220 };
static const double lab01_lecture_train[16] = { 10, 20, 24, 17, 8, 10, 89, 100,
                                                12, 16, 178, 170, 4, 32, 233, 112 };

static void test_l1_lecture(void)
{
    /* Test rows: the lecture's test image, then its training image. Training rows:
     * the training image, the test image, a black image. The pixel sums are
     * 1395 (test) and 1035 (train). */
    Mat *X_test = mat_new(2, 16), *X_train = mat_new(3, 16);
    memcpy(&MAT_AT(X_test, 0, 0), lab01_lecture_test, sizeof lab01_lecture_test);
    memcpy(&MAT_AT(X_test, 1, 0), lab01_lecture_train, sizeof lab01_lecture_train);
    memcpy(&MAT_AT(X_train, 0, 0), lab01_lecture_train, sizeof lab01_lecture_train);
    memcpy(&MAT_AT(X_train, 1, 0), lab01_lecture_test, sizeof lab01_lecture_test);
    const double want[6] = { 456, 0, 1395, 0, 456, 1035 };
    Mat *expected = gt_mat(2, 3, want);
    Mat *tr = mat_copy(X_train), *te = mat_copy(X_test), *d = mat_new(2, 3);
    mat_fill(d, LAB01_UNWRITTEN);
    gt_context("knn_distances_l1(X_train (3x16): [lecture train image, lecture test image, zeros], "
               "X_test (2x16): [lecture test image, lecture train image])");
    knn_distances_l1(tr, te, d);
    gt_hint("L1: dists[i][j] = sum_p |X_test[i][p] - X_train[j][p]| (no square, no square root); "
            "dists is (num_test x num_train). The lecture's pair gives 456");
    gt_expect_mat("dists", expected, d, 1e-12);
    gt_hint(NULL);
    gt_expect_unchanged("X_train", X_train, tr);
    gt_expect_unchanged("X_test", X_test, te);
}

/* ---- L2 by hand: 3-4-5 triangles ----------------------------------------------- */

/* Points in the plane with a third coordinate 7 everywhere (it cancels in every
 * difference, but not in the norms the faster versions use):
 *   train (0,0) (3,4) (6,8);  test (0,0) (6,0)
 * distances: from (0,0): 0, 5, 10;  from (6,0): 6, 5 (3-4-5), 8. */
static void lab01_345(Lab01DistFn fn, const char *name)
{
    const double tr[9] = { 0, 0, 7, 3, 4, 7, 6, 8, 7 };
    const double te[6] = { 0, 0, 7, 6, 0, 7 };
    const double want[6] = { 0, 5, 10, 6, 5, 8 };
    Mat *X_train = gt_mat(3, 3, tr), *X_test = gt_mat(2, 3, te), *expected = gt_mat(2, 3, want);
    lab01_check_l2(name, fn, X_train, X_test, expected, 1e-9);
}

static void test_two_loops_345(void) { lab01_345(knn_distances_two_loops, "knn_distances_two_loops"); }
static void test_one_loop_345(void) { lab01_345(knn_distances_one_loop, "knn_distances_one_loop"); }
static void test_no_loops_345(void) { lab01_345(knn_distances_no_loops, "knn_distances_no_loops"); }

/* ---- L2 on random non-square inputs ------------------------------------------------ */

static void lab01_random(Lab01DistFn fn, const char *name)
{
    static const int shapes[][3] = { { 7, 11, 5 }, { 1, 4, 3 }, { 9, 2, 13 }, { 3, 1, 1 } };   /* M, N, D */
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        Mat *X_test = gt_randn(shapes[s][0], shapes[s][2], 2.0);
        Mat *X_train = gt_randn(shapes[s][1], shapes[s][2], 2.0);
        Mat *expected = lab01_l2_expected(X_train, X_test);
        lab01_check_l2(name, fn, X_train, X_test, expected, 1e-8);
        mat_free(X_test);
        mat_free(X_train);
        mat_free(expected);
    }
}

static void test_two_loops_random(void) { lab01_random(knn_distances_two_loops, "knn_distances_two_loops"); }
static void test_one_loop_random(void) { lab01_random(knn_distances_one_loop, "knn_distances_one_loop"); }
static void test_no_loops_random(void) { lab01_random(knn_distances_no_loops, "knn_distances_no_loops"); }

/* ---- L2 without loops: identical rows ------------------------------------------------ */

static void test_no_loops_identical(void)
{
    /* Pixel-like values far from 0: |a|^2 and 2<a, a> are large and almost equal,
     * which is where rounding can push the squared distance below 0. Every test
     * row appears (twice) among the training rows. */
    enum { M = 6, N = 14, D = 50 };
    Mat *X_test = gt_randn(M, D, 40.0);
    for (size_t i = 0; i < (size_t)M * D; i++) X_test->data[i] += 128.0;
    Mat *X_train = gt_randn(N, D, 40.0);
    for (int i = 0; i < M; i++)
        for (int p = 0; p < D; p++) MAT_AT(X_train, 2 * i, p) = MAT_AT(X_train, 2 * i + 1, p) = MAT_AT(X_test, i, p);
    Mat *expected = lab01_l2_expected(X_train, X_test);
    Mat *d = mat_new(M, N);
    mat_fill(d, LAB01_UNWRITTEN);
    gt_context("knn_distances_no_loops(X_train %s, X_test %s) where test row i equals training rows 2i and 2i+1, "
               "values around 128", gt_shape(X_train), gt_shape(X_test));
    knn_distances_no_loops(X_train, X_test, d);
    gt_hint("with |a|^2 + |b|^2 - 2<a,b>, rounding can leave a tiny negative number for identical rows: clamp "
            "at 0 before the square root");
    gt_expect_finite("dists", d);
    double scale = 0.0;
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            if (MAT_AT(d, i, j) == LAB01_UNWRITTEN)
                gt_hint("fill all num_test x num_train entries of dists");
            GT_CHECK(MAT_AT(d, i, j) != LAB01_UNWRITTEN, "dists[%d][%d] was never written (it still holds %g, its "
                     "value before the call)", i, j, LAB01_UNWRITTEN);
            GT_CHECK(MAT_AT(d, i, j) >= 0.0, "dists[%d][%d] = %g: a distance is never negative", i, j,
                     MAT_AT(d, i, j));
            if (MAT_AT(d, i, j) > scale) scale = MAT_AT(d, i, j);
        }
    gt_hint("test row i and training rows 2i, 2i+1 are identical: their distance must be 0 up to rounding");
    for (int i = 0; i < M; i++)
        for (int j = 2 * i; j <= 2 * i + 1; j++)
            GT_CHECK(MAT_AT(d, i, j) <= 1e-6 * scale,
                     "dists[%d][%d] = %g for identical rows, expected 0 (within 1e-6 of the largest distance %g)",
                     i, j, MAT_AT(d, i, j), scale);
    /* The other entries: the property earns its points only with the right distances. */
    gt_hint("dists[i][j] = sqrt(|X_test[i]|^2 + |X_train[j]|^2 - 2 <X_test[i], X_train[j]>)");
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++)
            if (j / 2 != i)
                GT_CHECK(gt_close(MAT_AT(expected, i, j), MAT_AT(d, i, j), 1e-8),
                         "dists[%d][%d]: expected %.10g, got %.10g (rows that are not identical)", i, j,
                         MAT_AT(expected, i, j), MAT_AT(d, i, j));
}

/* ---- L2 without loops: one product does the O(M N D) work ------------------------------- */

static void test_no_loops_one_product(void)
{
    /* Right values first (an empty function must not pass on structure alone), then
     * how mat_gemm was used: the no-loop version computes every <test row, train row>
     * in one product X_test X_train^T, an (M x D)(D x N) product: m * n * k = M N D.
     * A loop over test rows makes M products of 1 x N x D instead. */
    enum { M = 9, N = 13, D = 6 };
    Mat *X_test = gt_randn(M, D, 2.0), *X_train = gt_randn(N, D, 2.0);
    Mat *expected = lab01_l2_expected(X_train, X_test);
    lab01_check_l2("knn_distances_no_loops", knn_distances_no_loops, X_train, X_test, expected, 1e-8);
    MatGemmStats g = gt_last_gemm();
    gt_hint("compute all the dot products at once: mat_gemm(X_test, false, X_train, true, ...) gives the (M x N) "
            "matrix of <X_test[i], X_train[j]>; the squared norms need only a loop over one row or column each");
    GT_CHECK(g.calls > 0, "knn_distances_no_loops made no call to mat_gemm: without loops over pairs, the "
             "dot products come from one matrix product");
    GT_CHECK(g.largest >= (double)M * N * D,
             "knn_distances_no_loops made %ld calls to mat_gemm, the largest %g multiply-adds; one product "
             "X_test X_train^T covers all %d x %d x %d = %d: is there still a loop over the rows?", g.calls,
             g.largest, M, N, D, M * N * D);
}

/* ---- prediction ------------------------------------------------------------------------- */

static void lab01_check_predict(const char *what, const double *dvals, int M, int N, const int *y_train, int k,
                                const int *want)
{
    Mat *dists = gt_mat(M, N, dvals), *before = mat_copy(dists);
    int *y_copy = malloc((size_t)N * sizeof *y_copy), *pred = malloc((size_t)M * sizeof *pred);
    memcpy(y_copy, y_train, (size_t)N * sizeof *y_copy);
    for (int i = 0; i < M; i++) pred[i] = -12345;
    gt_context("knn_predict_labels(dists %s, y_train, k = %d, y_pred): %s", gt_shape(dists), k, what);
    knn_predict_labels(dists, y_copy, k, pred);
    gt_expect_ints("y_pred", want, pred, M);
    gt_hint(NULL);
    gt_expect_unchanged("dists", before, dists);
    gt_expect_ints("y_train (must not change)", y_train, y_copy, N);
    mat_free(dists);
    mat_free(before);
    free(y_copy);
    free(pred);
}

static void test_predict_k1(void)
{
    /* Row i's smallest distance is at column 4, 0, 2: the labels there are 9, 3, 6. */
    const double d[15] = { 5.0, 4.0, 3.0, 2.5, 0.5,
                           0.1, 4.0, 3.0, 2.5, 7.0,
                           8.0, 8.5, 1.5, 2.0, 1.6 };
    const int y[5] = { 3, 1, 6, 4, 9 };
    const int want[3] = { 9, 3, 6 };
    gt_hint("k = 1: y_pred[i] is the label of the training row j with the smallest dists[i][j] (row i of dists "
            "belongs to test row i)");
    lab01_check_predict("three rows, k = 1", d, 3, 5, y, 1, want);
}

static void test_predict_distance_ties(void)
{
    /* Row 0, k = 1: columns 1 and 2 tie at 1.0, the lower index 1 wins -> label 5.
     * Row 1, k = 3: column 4 (0.0), column 0 (1.0), then columns 1, 2, 3 tie at 2.0
     * and column 1 is the third neighbour: labels 3, 7, 7 -> 7. Taking column 2
     * or 3 instead gives labels 3, 7, 3 -> 3. */
    const double d1[4] = { 2.0, 1.0, 1.0, 3.0 };
    const int y1[4] = { 0, 5, 3, 1 };
    const int w1[1] = { 5 };
    gt_hint("equal distances: the training row with the lower index counts as nearer");
    lab01_check_predict("a tie in distance, k = 1", d1, 1, 4, y1, 1, w1);
    const double d2[5] = { 1.0, 2.0, 2.0, 2.0, 0.0 };
    const int y2[5] = { 7, 7, 3, 3, 3 };
    const int w2[1] = { 7 };
    gt_hint("equal distances: the training row with the lower index counts as nearer, also for the k-th "
            "neighbour");
    lab01_check_predict("a tie in distance at the k-th neighbour, k = 3", d2, 1, 5, y2, 3, w2);
}

static void test_predict_vote_ties(void)
{
    /* k = 4: row 0 takes columns 0-3, labels 6, 2, 6, 2: a 2-2 tie -> 2;
     * row 1 takes columns 3, 2, 1, 0, the same labels -> 2; row 2 takes
     * columns 4, 3, 2, 1, labels 9, 2, 6, 2 -> 2 by majority. */
    const double d[15] = { 1.0, 2.0, 3.0, 4.0, 9.0,
                           4.0, 3.0, 2.0, 1.0, 9.0,
                           9.0, 8.0, 3.0, 2.0, 1.0 };
    const int y[5] = { 6, 2, 6, 2, 9 };
    const int want_k4[3] = { 2, 2, 2 };
    gt_hint("when labels tie for the most votes, the smallest label wins");
    lab01_check_predict("ties in the vote, k = 4", d, 3, 5, y, 4, want_k4);
    const int want_k3[3] = { 6, 2, 2 };
    /* k = 3: row 0 labels 6, 2, 6 -> 6 (a majority beats a smaller label);
     * row 1 columns 3, 2, 1 -> 2, 6, 2 -> 2; row 2 columns 4, 3, 2 -> 9, 2, 6,
     * a three-way tie -> 2. */
    gt_hint("the label with the most votes wins; only a tie goes to the smallest label");
    lab01_check_predict("a majority and ties in the vote, k = 3", d, 3, 5, y, 3, want_k3);
}

static void test_predict_k_all(void)
{
    /* k = N: every training row votes, so every test row gets the most common
     * label. Labels: 4 x label 1, 5 x label 8, 3 x label 0 -> 8. */
    enum { M = 5, N = 12 };
    Mat *r = gt_randn(M, N, 1.0);
    for (size_t i = 0; i < (size_t)M * N; i++) r->data[i] = fabs(r->data[i]);
    const int y[N] = { 8, 1, 0, 8, 1, 8, 0, 1, 8, 0, 1, 8 };
    const int want[M] = { 8, 8, 8, 8, 8 };
    gt_hint("k = num_train: all training rows vote; the most common label is 8");
    lab01_check_predict("k = num_train on random distances", r->data, M, N, y, N, want);
    mat_free(r);
}

static void test_predict_random(void)
{
    /* Distances rounded to whole numbers so that ties are everywhere. */
    enum { M = 20, N = 30 };
    static const int ks[] = { 1, 2, 5, 11, 30 };
    Mat *r = gt_randn(M, N, 3.0);
    for (size_t i = 0; i < (size_t)M * N; i++) r->data[i] = round(fabs(r->data[i]));
    int *y = gt_labels(N, 6);
    for (int j = 0; j < N; j++) y[j] = 10 + 7 * y[j];   /* labels 10, 17, ..., 45: not 0..9 */
    int want[M];
    for (size_t t = 0; t < sizeof ks / sizeof ks[0]; t++) {
        memset(want, 0, sizeof want);
        ora_knn_predict_labels(r, y, ks[t], want);
        gt_hint("the k smallest distances (lower index first on ties), then the majority label (smaller label "
                "first on ties). The labels here are 10, 17, ..., 45: the vote needs a slot for every label up to "
                "the largest, not 10 slots");
        lab01_check_predict("random whole-number distances with many ties", r->data, M, N, y, ks[t], want);
    }
    mat_free(r);
}

/* ---- cross-validation by hand -------------------------------------------------------------- */

static void test_cv_by_hand(void)
{
    /* Eight points on a line, N = 8 and F = 3: the folds are rows [0, 2), [2, 5)
     * and [5, 8) (0*8/3 = 0, 1*8/3 = 2, 2*8/3 = 5, 3*8/3 = 8).
     *   row    0  1  2   3   4   5   6  7
     *   x      5  1  0  13  17  12  18  4
     *   label  1  0  0   0   1   1   1  0
     * Fold 0 (x = 5, 1), trained on the other six rows:
     *   x = 5: nearest 4 (0), then 0 (0), 12 (1): wrong for k = 1 and k = 3;
     *   x = 1: nearest 0 (0), 4 (0), 12 (1): right for both     -> 1/2, 1/2.
     * Fold 1 (x = 0, 13, 17): 0 right; 13 -> 12, 18, 5 all label 1: wrong;
     *   17 right                                                 -> 2/3, 2/3.
     * Fold 2 (x = 12, 18, 4): 12 -> 13 (0), 17 (1), 5 (1): wrong for k = 1, right
     *   for k = 3; 18 right; 4 -> 5 (1), 1 (0), 0 (0): wrong, then right -> 1/3, 3/3. */
    const double x[8] = { 5, 1, 0, 13, 17, 12, 18, 4 };
    const int y[8] = { 1, 0, 0, 0, 1, 1, 1, 0 };
    const int ks[2] = { 1, 3 };
    const double want[6] = { 1.0 / 2, 2.0 / 3, 1.0 / 3,
                             1.0 / 2, 2.0 / 3, 3.0 / 3 };
    Mat *X = gt_mat(8, 1, x), *X_before = mat_copy(X), *expected = gt_mat(2, 3, want);
    Mat *acc = mat_new(2, 3);
    mat_fill(acc, LAB01_UNWRITTEN);
    int y_copy[8], k_copy[2];
    memcpy(y_copy, y, sizeof y);
    memcpy(k_copy, ks, sizeof ks);
    gt_context("knn_cross_validate(X (8x1) = points 5 1 0 13 17 12 18 4, y = 1 0 0 0 1 1 1 0, num_folds = 3, "
               "k_choices = {1, 3}, accuracies (2x3))");
    knn_cross_validate(X, y_copy, 3, k_copy, 2, acc);
    int unwritten = 0;
    for (int i = 0; i < 6; i++) unwritten |= acc->data[i] == LAB01_UNWRITTEN;
    gt_hint("fold f is rows [f*N/F, (f+1)*N/F): here [0,2), [2,5), [5,8). accuracies[c][f] is the fraction "
            "of fold f predicted right with k = k_choices[c], training on the other rows. The comment above "
            "this test in grader/tests/public/lab01_knn.c works every fold out by hand.%s",
            unwritten ? " An entry of -777 was never written: fill all num_k x num_folds entries" : "");
    gt_expect_mat("accuracies", expected, acc, 1e-12);
    gt_hint(NULL);
    gt_expect_unchanged("X", X_before, X);
    gt_expect_ints("y (must not change)", y, y_copy, 8);
    gt_expect_ints("k_choices (must not change)", ks, k_copy, 2);
}

GT_SUITE(gt_suite_01_public, "01", GT_PUBLIC,
    { "01 knn_distances_l1: the lecture's 4x4 example gives 456", 1.0, 5, test_l1_lecture },
    { "01 knn_distances_two_loops: 3-4-5 triangles by hand", 1.0, 5, test_two_loops_345 },
    { "01 knn_distances_one_loop: 3-4-5 triangles by hand", 1.0, 5, test_one_loop_345 },
    { "01 knn_distances_no_loops: 3-4-5 triangles by hand", 1.0, 5, test_no_loops_345 },
    { "01 knn_distances_two_loops: random non-square shapes", 0.5, 5, test_two_loops_random },
    { "01 knn_distances_one_loop: random non-square shapes, same as pair by pair", 0.5, 5, test_one_loop_random },
    { "01 knn_distances_no_loops: random non-square shapes, same as pair by pair", 0.5, 5, test_no_loops_random },
    { "01 knn_distances_no_loops: identical rows give 0, never negative or NaN", 0.5, 5, test_no_loops_identical },
    { "01 knn_distances_no_loops: one mat_gemm product covers every pair (no loop over rows)", 0.5, 5,
      test_no_loops_one_product },
    { "01 knn_predict_labels: k = 1 picks the nearest training row", 1.0, 5, test_predict_k1 },
    { "01 knn_predict_labels: ties in distance go to the lower index", 1.0, 5, test_predict_distance_ties },
    { "01 knn_predict_labels: ties in the vote go to the smaller label", 1.0, 5, test_predict_vote_ties },
    { "01 knn_predict_labels: k = num_train is the majority of all labels", 0.5, 5, test_predict_k_all },
    { "01 knn_predict_labels: random distances with many ties, labels 10 to 45", 0.5, 5, test_predict_random },
    { "01 knn_cross_validate: eight points in 3 folds, by hand", 1.5, 5, test_cv_by_hand });
