/*
 * gt.h - what a grader test file uses: test tables and checks that teach.
 *
 * A test file (grader/tests/public/labNN_*.c or grader/tests/hidden/labNN_*.c)
 * defines static test functions and one suite with GT_SUITE, named
 * gt_suite_NN_public or gt_suite_NN_hidden. Each test runs in its own process
 * (Check's fork mode) under limits; it passes only if it reaches its end.
 *
 * Test names start with the lab number and the function graded:
 *   "01 knn_predict_labels: ties in distance go to the lower index"
 * The runner uses that function name to spot a function missing from the lab.
 *
 * Checks stop the test at the first failure with a message that says what was
 * called (gt_context), on what shapes, expected vs got, and a hint (gt_hint).
 * Comparisons are written so that NaN and Inf always fail.
 */
#ifndef GRADLAB_GT_H
#define GRADLAB_GT_H

#include <stdint.h>
#include "mat.h"
#include "rng.h"

typedef enum { GT_PUBLIC = 0, GT_HIDDEN = 1 } GtVisibility;

typedef struct {
    const char *name;    /* "NN function_name: what is checked" */
    double points;       /* > 0 */
    double timeout;      /* seconds of wall time; 0 means the default (10 s) */
    void (*fn)(void);
} GtTest;

typedef struct {
    const char *lab;     /* "01" */
    GtVisibility vis;
    const GtTest *tests;
    int count;
} GtSuite;

/* Defines `const GtSuite sym` holding the tests listed after vis. */
#define GT_SUITE(sym, lab, vis, ...)                                            \
    static const GtTest sym##_tests_[] = { __VA_ARGS__ };                       \
    const GtSuite sym = { lab, vis, sym##_tests_,                               \
                          (int)(sizeof sym##_tests_ / sizeof sym##_tests_[0]) }

/* ---- context for messages ------------------------------------------------ */

/* What the test is about to call, e.g. "knn_distances_two_loops(X_train (5x4), X_test (3x4))".
 * Shown at the top of any failure message; each call replaces the previous one. */
void gt_context(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A hint shown under a failure from here on ("" or NULL clears it). */
void gt_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A note added under every failure of this test from here on, after the hint
 * ("" or NULL clears it): for what the test learned about the lab beforehand,
 * e.g. "your affine_forward is wrong: fix its tests first". */
void gt_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A short "(RxC)" string for m, in a small rotating buffer: use it in messages. */
const char *gt_shape(const Mat *m);

/* ---- failing and checking ------------------------------------------------ */

/* Ends the test as failed with this message (plus context and hint). */
_Noreturn void gt_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Fails with the message unless cond holds. */
#define GT_CHECK(cond, ...) do { if (!(cond)) gt_fail(__VA_ARGS__); } while (0)

/* True when |got - expected| <= tol * max(1, |expected|), false for NaN/Inf. */
int gt_close(double expected, double got, double tol);
/* Fails unless gt_close(expected, got, tol): "what: expected E, got G". */
void gt_expect_near(const char *what, double expected, double got, double tol);
/* Fails unless got has expected's shape and every entry is gt_close; the message
 * names the first bad entry: "what[2][3]: expected 1.5, got 2.0". */
void gt_expect_mat(const char *what, const Mat *expected, const Mat *got, double tol);
/* Fails unless got has shape (rows, cols): "what has shape (RxC), expected (rows x cols)". */
void gt_expect_shape(const char *what, const Mat *got, int rows, int cols);
/* Fails at the first i with got[i] != expected[i]. */
void gt_expect_ints(const char *what, const int *expected, const int *got, int n);
/* Fails unless now is bit for bit equal to before (inputs must not be modified). */
void gt_expect_unchanged(const char *what, const Mat *before, const Mat *now);
/* Fails unless every entry of m is finite, naming the first NaN or Inf. */
void gt_expect_finite(const char *what, const Mat *m);

/* How the last lab call used mat_gemm: its number of products and the largest
 * one's m * n * k. The student's process counts them, so a check on it can be
 * fooled by extra products; it is for telling a loop from a single product
 * ("no loops", "vectorized"), never for credit on its own. */
MatGemmStats gt_last_gemm(void);

/* ---- inputs -------------------------------------------------------------- */

/* The test's own generator: seeded from the run's --seed and the test's name,
 * so every test draws the same inputs for the same seed. */
Rng *gt_rng(void);
/* The run's seed (printed by the runner). */
uint64_t gt_seed(void);
/* A new (rows, cols) matrix of scale * N(0, 1) from gt_rng(). */
Mat *gt_randn(int rows, int cols, double scale);
/* A new (rows, cols) matrix from row-major values (mat_from). */
Mat *gt_mat(int rows, int cols, const double *values);
/* n labels uniform in [0, classes) from gt_rng(); malloc'ed (free it or not: the test process ends). */
int *gt_labels(int n, int classes);

/* ---- the grader's own finite differences --------------------------------- */

typedef double (*GtScalarFn)(const Mat *x, void *ctx);

/* Finite differences of f at x into grad (x's shape), by the five-point stencil
 * (f(x-2h) - 8 f(x-h) + 8 f(x+h) - f(x+2h)) / 12h, error O(h^4); x is restored
 * exactly. The grader's trusted code: it never calls a student's lab 03. */
void gt_numeric_grad(GtScalarFn f, void *ctx, Mat *x, double h, Mat *grad);

/* Optional: a hint for a bad gradient entry (i, j), or NULL for none. */
typedef const char *(*GtGradHint)(int i, int j, void *ctx);

/* Compares an analytic gradient with a numeric one entry by entry:
 * rel = |a - n| / max(|n|, 1e-3 * max|n| + 1e-12) must be <= tol (entries
 * within 1e-9 of each other pass: finite differences do not resolve less).
 * Fails at the worst entry with "what[i][j]: analytic A vs numeric N (rel R)"
 * and the hint for that entry. Fails too when the numeric gradient is not all
 * zero (above 1e-9) but the analytic one is (an all-zero gradient never passes). */
void gt_expect_grad(const char *what, const Mat *analytic, const Mat *numeric, double tol,
                    GtGradHint hint, void *hint_ctx);

/* ---- the grader's own loss (gt_losses.c) --------------------------------- */

/* Squared error against one-hot targets, with lab 02's signature, written loop
 * by loop and independent of any student code (it is no lab's loss), so that
 * tests of training (lab 04) never depend on lab 02. W (D, C), X (N, D), y in
 * [0, C); returns (1/N) sum_i sum_c (s_ic - [c == y_i])^2 + reg * sum W^2 and,
 * when dW is not NULL, overwrites dW with the gradient. */
double gt_square_loss(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW);

#endif
