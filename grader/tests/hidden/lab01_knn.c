/*
 * lab01_knn.c - hidden tests for lab 01 (k-nearest neighbours), 8 points.
 *
 * These compare with the reference solution (ref_01.h) on what the public tests
 * leave out: odd and non-square shapes, duplicate rows, large values, ties
 * everywhere, labels beyond 0..9, k = 1 and k = num_train, cross-validation
 * with uneven folds and leave-one-out.
 */
#include "gt.h"
#include "knn.h"
#include "ref_01.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LAB01H_UNWRITTEN (-777.0)

typedef void (*Lab01hDistFn)(const Mat *, const Mat *, Mat *);

/* A hint chosen from what a wrong distance matrix looks like. */
static void lab01h_hint(const Mat *expected, const Mat *got, int l2)
{
    int squared = 0, big = 0;
    for (int i = 0; i < got->rows; i++)
        for (int j = 0; j < got->cols; j++) {
            double e = MAT_AT(expected, i, j), g = MAT_AT(got, i, j);
            if (g == LAB01H_UNWRITTEN) {
                gt_hint("dists[%d][%d] was never written: fill all num_test x num_train entries", i, j);
                return;
            }
            if (isnan(g)) {
                gt_hint("a NaN distance: for (nearly) identical rows |a|^2 + |b|^2 - 2<a,b> can round to a tiny "
                        "negative number; clamp at 0 before sqrt");
                return;
            }
            if (e > 1.5) {
                big++;
                if (fabs(g - e * e) <= 1e-6 * e * e) squared++;
            }
        }
    if (l2 && big > 0 && squared == big)
        gt_hint("these look like squared distances: take the square root");
    else if (!l2)
        gt_hint("L1: dists[i][j] = sum_p |X_test[i][p] - X_train[j][p]|; dists is (num_test x num_train)");
    else
        gt_hint("dists is (num_test x num_train) and dists[i][j] compares test row i with training row j; "
                "check the indexing when num_test != num_train and the row length D differs from both");
}

/* Every entry finite, >= 0, and within rel * (the largest expected distance) of
 * the expected one. The bound is relative to the scale of the whole matrix
 * because the |a|^2 + |b|^2 - 2<a,b> expansion loses absolute, not relative,
 * accuracy: a distance near 0 carries an error of the size of the rounding in
 * |a|^2, however exact the method. */
static void lab01h_expect_dists(const Mat *expected, const Mat *got, double rel)
{
    gt_expect_shape("dists", got, expected->rows, expected->cols);
    double scale = 0.0;
    for (size_t i = 0; i < (size_t)expected->rows * expected->cols; i++)
        if (fabs(expected->data[i]) > scale) scale = fabs(expected->data[i]);
    if (scale == 0.0) scale = 1.0;
    for (int i = 0; i < got->rows; i++)
        for (int j = 0; j < got->cols; j++) {
            double e = MAT_AT(expected, i, j), g = MAT_AT(got, i, j);
            GT_CHECK(isfinite(g) && g >= 0.0 && fabs(g - e) <= rel * scale,
                     "dists[%d][%d]: expected %.10g, got %.10g (allowed error %.3g = %g x the largest distance "
                     "%.6g; distances are finite and >= 0)", i, j, e, g, rel * scale, rel, scale);
        }
}

/* Calls fn on copies of X_train, X_test and compares with ref_fn's result. */
static void lab01h_compare(const char *name, Lab01hDistFn fn, Lab01hDistFn ref_fn, const Mat *X_train,
                           const Mat *X_test, double rel, int l2, const char *what)
{
    Mat *expected = mat_new(X_test->rows, X_train->rows);
    ref_fn(X_train, X_test, expected);
    Mat *tr = mat_copy(X_train), *te = mat_copy(X_test), *d = mat_new(X_test->rows, X_train->rows);
    mat_fill(d, LAB01H_UNWRITTEN);
    gt_context("%s(X_train %s, X_test %s, dists %s): %s", name, gt_shape(X_train), gt_shape(X_test),
               gt_shape(d), what);
    fn(tr, te, d);
    lab01h_hint(expected, d, l2);
    lab01h_expect_dists(expected, d, rel);
    gt_hint(NULL);
    gt_expect_unchanged("X_train", X_train, tr);
    gt_expect_unchanged("X_test", X_test, te);
    mat_free(expected);
    mat_free(tr);
    mat_free(te);
    mat_free(d);
}

/* Copies test rows into some training rows, so that distances of exactly 0 occur. */
static void lab01h_plant_duplicates(Mat *X_train, const Mat *X_test)
{
    for (int i = 0; i < X_test->rows && 3 * i < X_train->rows; i++)
        memcpy(&MAT_AT(X_train, 3 * i, 0), &MAT_AT(X_test, i, 0), (size_t)X_test->cols * sizeof(double));
}

static const int lab01h_shapes[][3] = {   /* M, N, D */
    { 1, 1, 1 }, { 1, 9, 4 }, { 8, 1, 3 }, { 5, 17, 2 }, { 13, 6, 31 }, { 4, 4, 4 },
};
#define LAB01H_NSHAPES ((int)(sizeof lab01h_shapes / sizeof lab01h_shapes[0]))

/* ---- distances ---------------------------------------------------------------- */

static void test_two_loops_shapes(void)
{
    for (int s = 0; s < LAB01H_NSHAPES; s++) {
        Mat *X_test = gt_randn(lab01h_shapes[s][0], lab01h_shapes[s][2], 1.5);
        Mat *X_train = gt_randn(lab01h_shapes[s][1], lab01h_shapes[s][2], 1.5);
        lab01h_plant_duplicates(X_train, X_test);
        lab01h_compare("knn_distances_two_loops", knn_distances_two_loops, ref_knn_distances_two_loops, X_train,
                       X_test, 1e-12, 1, "random rows, some training rows copies of test rows");
        mat_free(X_test);
        mat_free(X_train);
    }
}

static void test_one_loop_shapes(void)
{
    for (int s = 0; s < LAB01H_NSHAPES; s++) {
        /* pixel-like values: 0..255 around 128, and every shape has duplicates */
        Mat *X_test = gt_randn(lab01h_shapes[s][0], lab01h_shapes[s][2], 60.0);
        Mat *X_train = gt_randn(lab01h_shapes[s][1], lab01h_shapes[s][2], 60.0);
        for (size_t i = 0; i < (size_t)X_test->rows * X_test->cols; i++) X_test->data[i] += 128.0;
        for (size_t i = 0; i < (size_t)X_train->rows * X_train->cols; i++) X_train->data[i] += 128.0;
        lab01h_plant_duplicates(X_train, X_test);
        lab01h_compare("knn_distances_one_loop", knn_distances_one_loop, ref_knn_distances_two_loops, X_train,
                       X_test, 1e-6, 1, "pixel-like values around 128, some rows duplicated");
        mat_free(X_test);
        mat_free(X_train);
    }
}

static void test_no_loops_large(void)
{
    /* Values of about 1e4 on a spread of 1e4, 40 test x 70 training rows with
     * duplicates, compared with the exact pair-by-pair distances; plus the small
     * odd shapes. */
    Mat *X_test = gt_randn(40, 60, 1e4), *X_train = gt_randn(70, 60, 1e4);
    for (size_t i = 0; i < (size_t)X_test->rows * X_test->cols; i++) X_test->data[i] += 1e4;
    for (size_t i = 0; i < (size_t)X_train->rows * X_train->cols; i++) X_train->data[i] += 1e4;
    lab01h_plant_duplicates(X_train, X_test);
    lab01h_compare("knn_distances_no_loops", knn_distances_no_loops, ref_knn_distances_two_loops, X_train, X_test,
                   1e-6, 1, "values around 1e4, training rows 0, 3, 6, ... copy test rows 0, 1, 2, ...");
    mat_free(X_test);
    mat_free(X_train);
    for (int s = 0; s < LAB01H_NSHAPES; s++) {
        Mat *te = gt_randn(lab01h_shapes[s][0], lab01h_shapes[s][2], 3.0);
        Mat *tr = gt_randn(lab01h_shapes[s][1], lab01h_shapes[s][2], 3.0);
        lab01h_plant_duplicates(tr, te);
        lab01h_compare("knn_distances_no_loops", knn_distances_no_loops, ref_knn_distances_two_loops, tr, te,
                       1e-6, 1, "random rows, some duplicated");
        mat_free(te);
        mat_free(tr);
    }
}

static void test_l1_shapes(void)
{
    for (int s = 0; s < LAB01H_NSHAPES; s++) {
        Mat *X_test = gt_randn(lab01h_shapes[s][0], lab01h_shapes[s][2], 2.0);
        Mat *X_train = gt_randn(lab01h_shapes[s][1], lab01h_shapes[s][2], 2.0);
        lab01h_plant_duplicates(X_train, X_test);
        lab01h_compare("knn_distances_l1", knn_distances_l1, ref_knn_distances_l1, X_train, X_test, 1e-12, 0,
                       "random rows, some training rows copies of test rows");
        mat_free(X_test);
        mat_free(X_train);
    }
}

/* ---- prediction ----------------------------------------------------------------- */

/* Calls knn_predict_labels on copies and compares with the reference. */
static void lab01h_predict(const Mat *dists, const int *y_train, int k, const char *what, const char *hint)
{
    int M = dists->rows, N = dists->cols;
    int *want = malloc((size_t)M * sizeof *want), *got = malloc((size_t)M * sizeof *got);
    int *y_copy = malloc((size_t)N * sizeof *y_copy);
    ref_knn_predict_labels(dists, y_train, k, want);
    memcpy(y_copy, y_train, (size_t)N * sizeof *y_copy);
    for (int i = 0; i < M; i++) got[i] = -12345;
    Mat *d = mat_copy(dists);
    gt_context("knn_predict_labels(dists %s, y_train, k = %d, y_pred): %s", gt_shape(dists), k, what);
    knn_predict_labels(d, y_copy, k, got);
    gt_hint("%s", hint ? hint
                       : "take the k smallest distances of row i (equal distances: the lower training index is "
                         "nearer), then the most common label among them (a tie in the vote: the smaller label)");
    gt_expect_ints("y_pred", want, got, M);
    gt_hint(NULL);
    gt_expect_unchanged("dists", dists, d);
    gt_expect_ints("y_train (must not change)", y_train, y_copy, N);
    mat_free(d);
    free(want);
    free(got);
    free(y_copy);
}

static void test_predict_vs_ref(void)
{
    /* Whole-number distances (ties everywhere), two rows where every distance is
     * equal (the k lowest indices win), and k from 1 to num_train. */
    enum { M = 17, N = 41 };
    Mat *d = gt_randn(M, N, 2.5);
    for (size_t i = 0; i < (size_t)M * N; i++) d->data[i] = round(fabs(d->data[i]));
    for (int j = 0; j < N; j++) MAT_AT(d, 3, j) = MAT_AT(d, 11, j) = 4.0;
    int *y = gt_labels(N, 10);
    static const int ks[] = { 1, 2, 3, 4, 6, 9, 20, 40, 41 };
    for (size_t t = 0; t < sizeof ks / sizeof ks[0]; t++)
        lab01h_predict(d, y, ks[t], "whole-number distances; rows 3 and 11 all equal", NULL);
    mat_free(d);
}

static void test_predict_sparse_labels(void)
{
    /* Labels 0, 5, 17 and 42 only (the vote needs a slot for every value up to
     * the largest label), and a data set where only one label occurs. */
    enum { M = 9, N = 25 };
    static const int values[4] = { 0, 5, 17, 42 };
    Mat *d = gt_randn(M, N, 1.0);
    for (size_t i = 0; i < (size_t)M * N; i++) d->data[i] = fabs(d->data[i]);
    int *y = gt_labels(N, 4);
    for (int j = 0; j < N; j++) y[j] = values[y[j]];
    static const int ks[] = { 1, 3, 8, 25 };
    const char *hint = "labels can be any values >= 0: size the vote counts by the largest label in y_train + 1";
    for (size_t t = 0; t < sizeof ks / sizeof ks[0]; t++)
        lab01h_predict(d, y, ks[t], "labels from {0, 5, 17, 42}", hint);
    int one[N];
    for (int j = 0; j < N; j++) one[j] = 7;
    lab01h_predict(d, one, 5, "every training label is 7", hint);
    mat_free(d);
}

/* ---- cross-validation ------------------------------------------------------------- */

static void lab01h_cv(int N, int D, int F, const int *ks, int num_k, int classes, const char *what)
{
    Mat *X = gt_randn(N, D, 1.0);
    int *y = gt_labels(N, classes);
    /* make the classes a little separable, so the accuracies vary with k */
    for (int i = 0; i < N; i++) MAT_AT(X, i, 0) += 1.5 * y[i];
    Mat *want = mat_new(num_k, F), *got = mat_new(num_k, F), *X_copy = mat_copy(X);
    ref_knn_cross_validate(X, y, F, ks, num_k, want);
    int *y_copy = malloc((size_t)N * sizeof *y_copy), *k_copy = malloc((size_t)num_k * sizeof *k_copy);
    memcpy(y_copy, y, (size_t)N * sizeof *y_copy);
    memcpy(k_copy, ks, (size_t)num_k * sizeof *k_copy);
    mat_fill(got, LAB01H_UNWRITTEN);
    gt_context("knn_cross_validate(X %s, y, num_folds = %d, k_choices (%d values), accuracies %s): %s",
               gt_shape(X), F, num_k, gt_shape(got), what);
    knn_cross_validate(X_copy, y_copy, F, k_copy, num_k, got);
    gt_hint("fold f is rows [f*N/F, (f+1)*N/F) (integer division, folds differ by one row when F does not "
            "divide N); accuracies[c][f] = fraction of fold f right with k_choices[c], trained on all the "
            "other rows; -777 means never written");
    gt_expect_mat("accuracies", want, got, 1e-12);
    gt_hint(NULL);
    gt_expect_unchanged("X", X, X_copy);
    gt_expect_ints("y (must not change)", y, y_copy, N);
    gt_expect_ints("k_choices (must not change)", ks, k_copy, num_k);
    mat_free(X);
    mat_free(X_copy);
    mat_free(want);
    mat_free(got);
    free(y);
    free(y_copy);
    free(k_copy);
}

static void test_cv_vs_ref(void)
{
    static const int ks[] = { 1, 2, 3, 5, 8, 13 };
    lab01h_cv(23, 6, 4, ks, 6, 3, "N = 23 in 4 folds of 5, 6, 6, 6 rows");
    lab01h_cv(31, 3, 5, ks, 6, 4, "N = 31 in 5 folds of 6, 6, 6, 6, 7 rows");
}

static void test_cv_leave_one_out(void)
{
    static const int ks[] = { 1, 3, 10 };
    lab01h_cv(11, 4, 11, ks, 3, 2, "leave-one-out: num_folds = N = 11, k up to the 10 training rows");
}

GT_SUITE(gt_suite_01_hidden, "01", GT_HIDDEN,
    { "01 knn_distances_two_loops: odd shapes and duplicate rows vs the reference", 0.5, 5, test_two_loops_shapes },
    { "01 knn_distances_one_loop: pixel-like values and duplicate rows vs exact distances", 1.0, 5,
      test_one_loop_shapes },
    { "01 knn_distances_no_loops: values around 1e4 and duplicates, within 1e-6 of the scale", 1.5, 5,
      test_no_loops_large },
    { "01 knn_distances_l1: odd shapes and duplicate rows vs the reference", 1.0, 5, test_l1_shapes },
    { "01 knn_predict_labels: ties everywhere, k from 1 to num_train, vs the reference", 1.5, 5,
      test_predict_vs_ref },
    { "01 knn_predict_labels: labels beyond 0..9 and a single label", 0.5, 5, test_predict_sparse_labels },
    { "01 knn_cross_validate: uneven folds vs the reference", 1.5, 5, test_cv_vs_ref },
    { "01 knn_cross_validate: leave-one-out (num_folds = N)", 0.5, 5, test_cv_leave_one_out });
