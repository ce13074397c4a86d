/*
 * lab03_gradcheck.c - hidden tests for lab 03 (numerical gradients and
 * gradient checking), 8 points.
 *
 * These compare with the reference solution (ref_03.h) where the public tests
 * do not look: shapes with a single row, a single column or a single entry,
 * tiny (1e-8) and huge (1e6) x, values such as -0.0, a subnormal and 1e300
 * that must come back bit for bit, rel_error on random matrices full of zeros
 * and tiny entries, and grad_check_sparse with more checks than entries (and
 * none at all). The ScalarFn is always the test's own smooth function.
 */
#include "gt.h"
#include "gradcheck.h"
#include "ref_03.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- the test's function ------------------------------------------------------------ */

/* f(x) = sum_i c_i sin(x_i + d_i) + (sum_i w_i x_i)^2 / 2n: every entry has its
 * own slope and the last term couples them all, so a gradient written to the
 * wrong entry (say, transposed) shows. Finite for every finite x. */
typedef struct {
    int calls;
    double scale;   /* the quadratic term's weight (0 for the huge values) */
} Lab03hCtx;

static double lab03h_f(const Mat *x, void *ctx)
{
    Lab03hCtx *c = ctx;
    c->calls++;
    size_t n = (size_t)x->rows * (size_t)x->cols;
    double s = 0.0, lin = 0.0;
    for (size_t i = 0; i < n; i++) {
        s += (1.0 + 0.3 * (double)(i % 5)) * sin(x->data[i] + 0.1 * (double)i);
        lin += (1.0 - 0.07 * (double)i) * x->data[i];
    }
    return s + c->scale * lin * lin / (2.0 * (double)n);
}

static size_t lab03h_n(const Mat *m) { return (size_t)m->rows * (size_t)m->cols; }

/* A (rows, cols) matrix of scale * N(0, 1). */
static Mat *lab03h_x(int rows, int cols, double scale) { return gt_randn(rows, cols, scale); }

typedef void (*Lab03hGradFn)(ScalarFn, void *, Mat *, double, Mat *);

/* fn and ref_fn on copies of x0 with step h: the same gradient (relative tol),
 * x restored bit for bit, and the same number of calls to f (forward: n + 1
 * or 2n). */
static void lab03h_compare(const char *name, Lab03hGradFn fn, Lab03hGradFn ref_fn, const Mat *x0, double h,
                           double scale, double tol, const char *what)
{
    Lab03hCtx rc = { 0, scale }, sc = { 0, scale };
    Mat *xr = mat_copy(x0), *want = mat_new(x0->rows, x0->cols);
    ref_fn(lab03h_f, &rc, xr, h, want);
    Mat *x = mat_copy(x0), *grad = mat_new(x0->rows, x0->cols);
    mat_fill(grad, -777.0);
    gt_context("%s(f, x %s: %s, h = %g, grad %s)", name, gt_shape(x), what, h, gt_shape(grad));
    fn(lab03h_f, &sc, x, h, grad);
    gt_hint("nudge each entry by exactly +h (and -h for the centered difference), one entry at a time, and "
            "write grad[i] for entry i of x: all rows * cols entries, whatever the shape");
    gt_expect_mat("grad (compared with the reference)", want, grad, tol);
    gt_hint("save x_i before the nudge and write the saved value back: x_i + h - h is not always x_i, and "
            "never for -0.0");
    gt_expect_unchanged("x", x0, x);
    int n = (int)lab03h_n(x0);
    if (fn == numerical_gradient) {
        gt_hint("the centered difference costs exactly 2 calls to f per entry");
        GT_CHECK(sc.calls == 2 * n, "f was called %d times for %d entries; expected %d", sc.calls, n, 2 * n);
    } else {
        gt_hint("the forward difference costs one call per entry plus f(x) once (2 per entry tolerated)");
        GT_CHECK(sc.calls == n + 1 || sc.calls == 2 * n, "f was called %d times for %d entries; expected %d "
                 "(or at most %d)", sc.calls, n, n + 1, 2 * n);
    }
    gt_hint(NULL);
    mat_free(xr);
    mat_free(want);
    mat_free(x);
    mat_free(grad);
}

/* Shapes with one row, one column, one entry, and an ordinary one. */
static const int lab03h_shapes[][2] = { { 1, 1 }, { 1, 9 }, { 7, 1 }, { 3, 7 } };
#define LAB03H_NSHAPES ((int)(sizeof lab03h_shapes / sizeof lab03h_shapes[0]))

static void lab03h_shapes_vs_ref(const char *name, Lab03hGradFn fn, Lab03hGradFn ref_fn)
{
    for (int s = 0; s < LAB03H_NSHAPES; s++) {
        Mat *x = lab03h_x(lab03h_shapes[s][0], lab03h_shapes[s][1], 1.0);
        lab03h_compare(name, fn, ref_fn, x, 1e-5, 1.0, 1e-8, "random N(0, 1) values");
        mat_free(x);
    }
}

/* Values that must come back bit for bit: -0.0 + h - h is +0.0, and the rest
 * lose their low bits when h is added and taken away. */
static Mat *lab03h_odd_values(void)
{
    static const double v[10] = { -0.0, 4.9e-324, 1e-300, 1e300, -1e300, 0.1, -1.0 / 3.0, 1e-7, 3.3, -2.9 };
    return gt_mat(2, 5, v);
}

/* Tiny and huge x (against the reference), then the odd values (restored
 * bit for bit; the gradient there is not compared, only x and the calls). */
static void lab03h_scales(const char *name, Lab03hGradFn fn, Lab03hGradFn ref_fn)
{
    Mat *tiny = lab03h_x(3, 4, 1e-8);
    lab03h_compare(name, fn, ref_fn, tiny, 1e-10, 1.0, 1e-8, "tiny values, N(0, 1) * 1e-8");
    Mat *huge = lab03h_x(4, 3, 1e6);
    lab03h_compare(name, fn, ref_fn, huge, 1e-2, 1.0, 1e-8, "huge values, N(0, 1) * 1e6");
    Mat *odd = lab03h_odd_values(), *x = mat_copy(odd), *grad = mat_new(2, 5);
    Lab03hCtx c = { 0, 0.0 };
    gt_context("%s(f, x (2x5) = [-0.0, 4.9e-324, 1e-300, 1e300, -1e300, 0.1, -1/3, 1e-7, 3.3, -2.9], h = 1e-5)",
               name);
    fn(lab03h_f, &c, x, 1e-5, grad);
    gt_hint("save x_i before the nudge and write the saved value back: -0.0 + h - h is +0.0 and 1e-300 + h - h "
            "is 0, so arithmetic cannot undo the nudge");
    gt_expect_unchanged("x", odd, x);
    mat_free(tiny);
    mat_free(huge);
    mat_free(odd);
    mat_free(x);
    mat_free(grad);
}

static void test_centered_shapes(void) { lab03h_shapes_vs_ref("numerical_gradient", numerical_gradient, ref_numerical_gradient); }
static void test_centered_scales(void) { lab03h_scales("numerical_gradient", numerical_gradient, ref_numerical_gradient); }

static void test_forward_shapes_scales(void)
{
    lab03h_shapes_vs_ref("numerical_gradient_forward", numerical_gradient_forward, ref_numerical_gradient_forward);
    lab03h_scales("numerical_gradient_forward", numerical_gradient_forward, ref_numerical_gradient_forward);
}

/* ---- rel_error ------------------------------------------------------------------------ */

/* Random values where about a third are 0 in both, some are tiny (1e-10, under
 * the floor), and signs vary. */
static void lab03h_fill_mixed(Mat *a, Mat *b)
{
    Rng *r = gt_rng();
    for (size_t i = 0; i < lab03h_n(a); i++) {
        double u = rng_uniform(r);
        if (u < 0.3) {
            a->data[i] = b->data[i] = 0.0;
        } else if (u < 0.5) {
            a->data[i] = 1e-10 * rng_normal(r);
            b->data[i] = 1e-10 * rng_normal(r);
        } else {
            a->data[i] = rng_normal(r);
            b->data[i] = a->data[i] * (1.0 + 0.01 * rng_normal(r));
        }
    }
}

static void test_rel_error_vs_ref(void)
{
    static const int shapes[][2] = { { 1, 1 }, { 1, 12 }, { 9, 1 }, { 5, 6 }, { 1, 1 } };
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        Mat *a = mat_new(shapes[s][0], shapes[s][1]), *b = mat_new(shapes[s][0], shapes[s][1]);
        if (s + 1 < sizeof shapes / sizeof shapes[0]) lab03h_fill_mixed(a, b);   /* the last: both 0 (1x1) */
        double want = ref_rel_error(a, b);
        Mat *ac = mat_copy(a), *bc = mat_copy(b);
        gt_context("rel_error(a %s, b %s): random values, about a third 0 in both, a fifth tiny (~1e-10)",
                   gt_shape(a), gt_shape(b));
        double got = rel_error(ac, bc);
        gt_hint("max over entries of |a_i - b_i| / max(1e-8, |a_i| + |b_i|); both 0 gives 0; entries are "
                "compared position by position, whatever the shape");
        gt_expect_near("rel_error", want, got, 1e-12);
        gt_hint(NULL);
        gt_expect_unchanged("a", a, ac);
        gt_expect_unchanged("b", b, bc);
        mat_free(a);
        mat_free(b);
        mat_free(ac);
        mat_free(bc);
    }
}

/* ---- grad_check_sparse ------------------------------------------------------------------- */

/* grad_check_sparse and its reference from the same rng state: the same value,
 * the same rng state after, 2 * num_checks calls, x restored bit for bit. */
static void lab03h_sparse(const Mat *x0, const Mat *analytic, int k, double h, double scale, const char *what,
                          int compare_value)
{
    Rng start;
    rng_seed(&start, rng_u64(gt_rng()));
    Rng rr = start, rs = start;
    Lab03hCtx rc = { 0, scale }, sc = { 0, scale };
    Mat *xr = mat_copy(x0);
    double want = ref_grad_check_sparse(lab03h_f, &rc, xr, analytic, k, h, &rr);
    Mat *x = mat_copy(x0), *an = mat_copy(analytic);
    gt_context("grad_check_sparse(f, x %s: %s, analytic, num_checks = %d, h = %g, rng)", gt_shape(x), what, k, h);
    double got = grad_check_sparse(lab03h_f, &sc, x, an, k, h, &rs);
    if (memcmp(rs.s, rr.s, sizeof rs.s) != 0)
        gt_hint("draw exactly one entry per check with rng_int(rng, rows * cols), num_checks times, even when "
                "num_checks is larger than the number of entries (entries may repeat)");
    else
        gt_hint("for each drawn entry i: the centered estimate, then |analytic_i - num| / max(1e-8, |analytic_i| "
                "+ |num|); return the largest (0 when num_checks is 0)");
    if (compare_value) gt_expect_near("the largest relative error (vs the reference)", want, got, 1e-7);
    GT_CHECK(memcmp(rs.s, rr.s, sizeof rs.s) == 0, "the rng's state after the call differs from the reference's");
    gt_hint("2 calls to f per check, never the full numerical gradient");
    GT_CHECK(sc.calls == 2 * k, "f was called %d times with num_checks = %d; expected %d", sc.calls, k, 2 * k);
    gt_hint("save x_i before the nudge and write the saved value back");
    gt_expect_unchanged("x", x0, x);
    gt_hint(NULL);
    gt_expect_unchanged("analytic", analytic, an);
    mat_free(xr);
    mat_free(x);
    mat_free(an);
}

/* The reference's own centered gradient, with every fourth entry made wrong. */
static Mat *lab03h_analytic(const Mat *x0, double h, double scale)
{
    Lab03hCtx c = { 0, scale };
    Mat *x = mat_copy(x0), *g = mat_new(x0->rows, x0->cols);
    ref_numerical_gradient(lab03h_f, &c, x, h, g);
    for (size_t i = 0; i < lab03h_n(g); i += 4) g->data[i] = g->data[i] * 1.5 + 0.25;
    mat_free(x);
    return g;
}

static void test_sparse_shapes(void)
{
    /* 1x1 with 5 checks (the one entry, five times), 1x9 with 20 (more checks
     * than entries), 7x1 with 3, 3x7 with 0 (nothing to check: 0, no calls). */
    static const int k[LAB03H_NSHAPES] = { 5, 20, 3, 0 };
    for (int s = 0; s < LAB03H_NSHAPES; s++) {
        Mat *x = lab03h_x(lab03h_shapes[s][0], lab03h_shapes[s][1], 1.0);
        Mat *an = lab03h_analytic(x, 1e-5, 1.0);
        lab03h_sparse(x, an, k[s], 1e-5, 1.0, "random N(0, 1) values, every fourth analytic entry wrong", 1);
        mat_free(x);
        mat_free(an);
    }
}

static void test_sparse_scales(void)
{
    Mat *tiny = lab03h_x(3, 4, 1e-8), *an = lab03h_analytic(tiny, 1e-10, 1.0);
    lab03h_sparse(tiny, an, 8, 1e-10, 1.0, "tiny values, N(0, 1) * 1e-8", 1);
    Mat *huge = lab03h_x(4, 3, 1e6), *an2 = lab03h_analytic(huge, 1e-2, 1.0);
    lab03h_sparse(huge, an2, 8, 1e-2, 1.0, "huge values, N(0, 1) * 1e6", 1);
    Mat *odd = lab03h_odd_values(), *an3 = mat_new(2, 5);
    lab03h_sparse(odd, an3, 25, 1e-5, 0.0, "-0.0, 4.9e-324, 1e-300, +-1e300, 0.1, -1/3, 1e-7, 3.3, -2.9", 0);
    mat_free(tiny);
    mat_free(an);
    mat_free(huge);
    mat_free(an2);
    mat_free(odd);
    mat_free(an3);
}

GT_SUITE(gt_suite_03_hidden, "03", GT_HIDDEN,
    { "03 numerical_gradient: 1x1, 1xN, Nx1 and 3x7 shapes vs the reference", 1.5, 5, test_centered_shapes },
    { "03 numerical_gradient: tiny and huge x vs the reference; -0.0, subnormal, 1e300 restored", 1.0, 5,
      test_centered_scales },
    { "03 numerical_gradient_forward: odd shapes, tiny and huge x vs the reference, x restored", 1.5, 5,
      test_forward_shapes_scales },
    { "03 rel_error: random shapes with zeros and tiny entries vs the reference", 1.0, 5, test_rel_error_vs_ref },
    { "03 grad_check_sparse: 1x1, 1xN, Nx1; more checks than entries, and none, vs the reference", 1.5, 5,
      test_sparse_shapes },
    { "03 grad_check_sparse: tiny and huge x vs the reference; odd values restored", 1.5, 5, test_sparse_scales });
