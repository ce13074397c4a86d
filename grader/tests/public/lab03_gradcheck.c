/*
 * lab03_gradcheck.c - public tests for lab 03 (numerical gradients and
 * gradient checking), 12 points.
 *
 * No lab's loss is used: every ScalarFn is the test's own, with a known exact
 * gradient (a weighted quadratic, a cubic, a product of three entries, a sum of
 * sines, and a table that replays the slides' worked example). Where the
 * expected value is not a calculus fact (a forward difference's exact value,
 * what grad_check_sparse returns), it is what the reference answers
 * (ora_numerical_gradient_forward, ora_grad_check_sparse: recorded answers in
 * the student release, see grader/oracle.h). Each f is wrapped in a probe that counts calls and
 * records how x looked at every call: how many entries differed from the x the
 * test passed in and by how much. That is how the tests tell a forward
 * difference from a centered one, see whether x is restored between entries,
 * and see that grad_check_sparse evaluates only the entries it samples.
 */
#include "gt.h"
#include "gradcheck.h"
#include "oracles.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the test's own functions and their exact gradients ----------------------- */

typedef double (*Lab03Math)(const Mat *x);
typedef void (*Lab03Exact)(const Mat *x, Mat *grad);

static size_t lab03_n(const Mat *m) { return (size_t)m->rows * (size_t)m->cols; }

/* f = sum_i a_i x_i^2 with a_i = 1 + i/2, so every entry has its own slope. */
static double lab03_quad(const Mat *x)
{
    double s = 0.0;
    for (size_t i = 0; i < lab03_n(x); i++) s += (1.0 + 0.5 * (double)i) * x->data[i] * x->data[i];
    return s;
}
static void lab03_quad_grad(const Mat *x, Mat *g)
{
    for (size_t i = 0; i < lab03_n(x); i++) g->data[i] = 2.0 * (1.0 + 0.5 * (double)i) * x->data[i];
}

/* f = sum_i x_i^3. Centered differences give exactly 3x^2 + h^2 on it; forward
 * differences give 3x^2 + 3xh + h^2. */
static double lab03_cubic(const Mat *x)
{
    double s = 0.0;
    for (size_t i = 0; i < lab03_n(x); i++) s += x->data[i] * x->data[i] * x->data[i];
    return s;
}
static void lab03_cubic_grad(const Mat *x, Mat *g)
{
    for (size_t i = 0; i < lab03_n(x); i++) g->data[i] = 3.0 * x->data[i] * x->data[i];
}

/* f = x0 * x1 * x2 on a (1, 3) x: each partial derivative is the other two. */
static double lab03_prod(const Mat *x) { return x->data[0] * x->data[1] * x->data[2]; }
static void lab03_prod_grad(const Mat *x, Mat *g)
{
    g->data[0] = x->data[1] * x->data[2];
    g->data[1] = x->data[0] * x->data[2];
    g->data[2] = x->data[0] * x->data[1];
}

/* f = sum_i sin(x_i). */
static double lab03_sin(const Mat *x)
{
    double s = 0.0;
    for (size_t i = 0; i < lab03_n(x); i++) s += sin(x->data[i]);
    return s;
}
static void lab03_sin_grad(const Mat *x, Mat *g)
{
    for (size_t i = 0; i < lab03_n(x); i++) g->data[i] = cos(x->data[i]);
}

/* ---- the probe: f as the student's code sees it --------------------------------- */

typedef struct {
    Lab03Math g;          /* the math */
    const Mat *orig;      /* x as the test passed it in */
    double h;             /* the step the test passed */
    int calls;            /* calls to f */
    int base_calls;       /* calls with x exactly as passed in */
    int multi_calls;      /* calls with two or more entries changed */
    int odd_steps;        /* calls with one entry changed by something other than +h or -h */
    int *plus, *minus;    /* per entry: calls with x_i = orig_i + h, orig_i - h */
} Lab03Probe;

static void lab03_probe_init(Lab03Probe *p, Lab03Math g, const Mat *orig, double h)
{
    memset(p, 0, sizeof *p);
    p->g = g;
    p->orig = orig;
    p->h = h;
    p->plus = calloc(lab03_n(orig) + 1, sizeof *p->plus);
    p->minus = calloc(lab03_n(orig) + 1, sizeof *p->minus);
}

static void lab03_probe_free(Lab03Probe *p)
{
    free(p->plus);
    free(p->minus);
}

/* The ScalarFn handed to the student's code. The step test allows a few ulps
 * either way, so that x_i - h computed as (x_i + h) - 2h still counts as -h. */
static double lab03_probe_fn(const Mat *x, void *ctx)
{
    Lab03Probe *p = ctx;
    p->calls++;
    int changed = 0;
    size_t at = 0;
    for (size_t i = 0; i < lab03_n(x); i++)
        if (memcmp(&x->data[i], &p->orig->data[i], sizeof(double)) != 0) {
            changed++;
            at = i;
        }
    if (changed == 0) {
        p->base_calls++;
    } else if (changed > 1) {
        p->multi_calls++;
    } else {
        double d = x->data[at] - p->orig->data[at];
        double slack = 1e-9 * fabs(p->h) + 8.0 * 2.3e-16 * fabs(p->orig->data[at]);
        if (fabs(d - p->h) <= slack) p->plus[at]++;
        else if (fabs(d + p->h) <= slack) p->minus[at]++;
        else p->odd_steps++;
    }
    return p->g(x);
}

/* A Lab03Math as a plain ScalarFn (ctx points to it), for what the reference answers. */
static double lab03_math_fn(const Mat *x, void *ctx)
{
    return (*(const Lab03Math *)ctx)(x);
}

enum { LAB03_FORWARD, LAB03_CENTERED, LAB03_SPARSE };

/* Sets a hint from what the probe saw and returns 1, or returns 0 when nothing
 * looked wrong. mode says what the function is meant to compute: a forward or
 * centered difference at every entry, or centered ones at a few (LAB03_SPARSE). */
static int lab03_probe_hint(const Lab03Probe *p, int mode)
{
    size_t n = lab03_n(p->orig);
    int no_minus = 1, no_plus = 0, centered = mode != LAB03_FORWARD;
    for (size_t i = 0; i < n; i++) {
        if (p->minus[i]) no_minus = 0;
        if (!p->plus[i] && mode != LAB03_SPARSE) no_plus = 1;
    }
    if (p->multi_calls) {
        gt_hint("in %d of the %d calls to f, two or more entries of x differed from the x passed in: an entry "
                "you already finished was not put back exactly. Save x_i before the nudge and write the saved "
                "value back (x_i + h - h is not always x_i in floating point)", p->multi_calls, p->calls);
        return 1;
    }
    if (p->odd_steps) {
        gt_hint("in %d calls to f, the changed entry differed from the original by something other than +h or "
                "-h: nudge x_i by exactly h (x_i + h, x_i - h), not a relative step", p->odd_steps);
        return 1;
    }
    if (no_plus) {
        gt_hint("f was never evaluated at x + h e_i for some entry i: every entry of x needs its own nudge "
                "(all rows * cols of them)");
        return 1;
    }
    if (centered && no_minus && p->calls > 0) {
        gt_hint("f was never evaluated at x - h e_i: that is a forward difference. The centered difference is "
                "(f(x + h e_i) - f(x - h e_i)) / (2h)");
        return 1;
    }
    if (!centered && !no_minus) {
        gt_hint("f was evaluated at x - h e_i: that is the centered difference. Forward is (f(x + h e_i) - f(x)) / h");
        return 1;
    }
    return 0;
}

/* 1 when every nonzero entry of got is about h^2 times want's: the difference
 * divided by 2 and then multiplied by h, "/ 2 * h". */
static int lab03_looks_times_h2(const Mat *want, const Mat *got, double h)
{
    int seen = 0;
    for (size_t i = 0; i < lab03_n(want); i++) {
        if (fabs(want->data[i]) < 1e-6) continue;
        double ratio = got->data[i] / want->data[i];
        if (!(fabs(ratio - h * h) <= 1e-3 * h * h)) return 0;
        seen = 1;
    }
    return seen;
}

/* What grad holds before the call: an entry still equal to it was never written. */
#define LAB03_UNWRITTEN (-777.0)

/* ---- numerical_gradient: exact gradients ----------------------------------------- */

/* Runs numerical_gradient on f at a copy of x and compares with the exact
 * gradient (relative tol); then checks that x came back bit for bit. */
static void lab03_check_centered(const char *fname, Lab03Math g, Lab03Exact exact, const Mat *x0, double h,
                                 double tol)
{
    Mat *x = mat_copy(x0), *grad = mat_new(x0->rows, x0->cols), *want = mat_new(x0->rows, x0->cols);
    mat_fill(grad, LAB03_UNWRITTEN);
    exact(x0, want);
    Lab03Probe p;
    lab03_probe_init(&p, g, x0, h);
    gt_context("numerical_gradient(f = %s, x %s, h = %g, grad %s)", fname, gt_shape(x), h, gt_shape(grad));
    numerical_gradient(lab03_probe_fn, &p, x, h, grad);
    for (size_t i = 0; i < lab03_n(grad); i++)
        if (grad->data[i] == LAB03_UNWRITTEN) {
            gt_hint("grad[%zu] (row-major) was never written: fill every entry of grad", i);
            break;
        }
    if (lab03_looks_times_h2(want, grad, h))
        gt_hint("every entry is h^2 = %g times the right one: C reads '/ 2 * h' as (... / 2) * h. Write "
                "/ (2 * h)", h * h);
    else if (!lab03_probe_hint(&p, LAB03_CENTERED))
        gt_hint("grad_i = (f(x + h e_i) - f(x - h e_i)) / (2h), where x + h e_i is x with only entry i "
                "increased by h");
    gt_expect_mat("grad (compared with the exact gradient)", want, grad, tol);
    GT_CHECK(!lab03_probe_hint(&p, LAB03_CENTERED), "the values are close, but f was not evaluated the way the "
             "centered difference does it: at x + h e_i and x - h e_i for every entry i, one entry at a time");
    gt_hint("save x_i, write x_i + h, call f, write x_i - h, call f, then write the SAVED value back");
    gt_expect_unchanged("x", x0, x);
    lab03_probe_free(&p);
    mat_free(x);
    mat_free(grad);
    mat_free(want);
}

static void test_centered_quadratic(void)
{
    Mat *x = gt_randn(3, 4, 1.0);
    lab03_check_centered("sum_i a_i x_i^2, a_i = 1 + i/2", lab03_quad, lab03_quad_grad, x, 1e-5, 1e-7);
    mat_free(x);
}

static void test_centered_cubic_prod_sin(void)
{
    Mat *x = gt_randn(2, 5, 1.0);
    lab03_check_centered("sum_i x_i^3", lab03_cubic, lab03_cubic_grad, x, 1e-5, 1e-7);
    mat_free(x);
    const double v[3] = { 1.5, -2.0, 0.25 };
    x = gt_mat(1, 3, v);
    lab03_check_centered("x0 * x1 * x2", lab03_prod, lab03_prod_grad, x, 1e-5, 1e-7);
    mat_free(x);
    x = gt_randn(4, 3, 2.0);
    lab03_check_centered("sum_i sin(x_i)", lab03_sin, lab03_sin_grad, x, 1e-5, 1e-7);
    mat_free(x);
}

/* ---- numerical_gradient: the error is O(h^2) -------------------------------------- */

/* Largest |grad_i - 3 x_i^2| / 3 x_i^2 of the centered estimate on the cubic at step h. */
static double lab03_cubic_error(const Mat *x0, double h, Lab03Probe *p)
{
    Mat *x = mat_copy(x0), *grad = mat_new(x0->rows, x0->cols);
    mat_fill(grad, LAB03_UNWRITTEN);
    lab03_probe_init(p, lab03_cubic, x0, h);
    gt_context("numerical_gradient(f = sum_i x_i^3, x %s with entries in [0.5, 2], h = %g)", gt_shape(x), h);
    numerical_gradient(lab03_probe_fn, p, x, h, grad);
    double worst = 0.0;
    for (size_t i = 0; i < lab03_n(x); i++) {
        double exact = 3.0 * x0->data[i] * x0->data[i];
        double e = fabs(grad->data[i] - exact) / exact;
        if (!(e <= worst)) worst = e;   /* NaN sticks */
    }
    mat_free(x);
    mat_free(grad);
    return worst;
}

static void test_centered_order(void)
{
    /* On sum x^3 the centered estimate is exactly 3x^2 + h^2 (the h^3 terms of
     * (x+h)^3 - (x-h)^3 are all that survive), so at h = 1e-3 its relative
     * error is at most 1e-6 / 0.75 ~ 1.3e-6. A forward difference is off by
     * 3xh ~ 1e-3 relative. The threshold 1e-5 lies far from both. */
    Mat *x = mat_new(2, 3);
    for (size_t i = 0; i < lab03_n(x); i++) x->data[i] = 0.5 + 1.5 * rng_uniform(gt_rng());
    Lab03Probe p1, p2;
    double e1 = lab03_cubic_error(x, 1e-3, &p1);
    if (fabs(e1 - (1.0 - 1e-6)) < 1e-7)
        gt_hint("every estimate is h^2 = 1e-6 times the right one: C reads '/ 2 * h' as (... / 2) * h. Write "
                "/ (2 * h)");
    else if (!lab03_probe_hint(&p1, LAB03_CENTERED))
        gt_hint("an error this large at h = 1e-3 is what a forward difference (f(x+h) - f(x)) / h gives: O(h). "
                "The centered difference (f(x+h) - f(x-h)) / (2h) is O(h^2)");
    GT_CHECK(e1 <= 1e-5, "largest relative error vs the exact gradient 3x^2 at h = 1e-3: %.3g; a centered "
             "difference stays below 1e-5 here (its error is h^2 = 1e-6)", e1);
    gt_hint(NULL);
    double e2 = lab03_cubic_error(x, 1e-2, &p2);
    double ratio = e2 / e1;
    gt_hint("the error of a centered difference is O(h^2): 10x larger h, ~100x larger error. A ratio near 10 "
            "means an O(h) method (a forward difference)");
    GT_CHECK(ratio >= 50.0 && ratio <= 200.0, "relative error %.3g at h = 1e-2 and %.3g at h = 1e-3: ratio %.3g, "
             "expected about 100", e2, e1, ratio);
    lab03_probe_free(&p1);
    lab03_probe_free(&p2);
    mat_free(x);
}

/* ---- numerical_gradient: calls and restoring x ------------------------------------- */

static void test_centered_calls(void)
{
    Mat *x0 = gt_randn(3, 5, 1.0), *x = mat_copy(x0), *grad = mat_new(3, 5);
    Lab03Probe p;
    lab03_probe_init(&p, lab03_quad, x0, 1e-4);
    gt_context("numerical_gradient(f = sum_i a_i x_i^2 that counts its calls, x %s, h = 1e-4)", gt_shape(x));
    numerical_gradient(lab03_probe_fn, &p, x, 1e-4, grad);
    lab03_probe_hint(&p, LAB03_CENTERED);
    GT_CHECK(p.multi_calls == 0 && p.odd_steps == 0, "f saw x with more than one entry changed, or one changed "
             "by something other than +-h (%d + %d of %d calls)", p.multi_calls, p.odd_steps, p.calls);
    for (size_t i = 0; i < lab03_n(x); i++)
        GT_CHECK(p.plus[i] == 1 && p.minus[i] == 1, "entry %zu (row-major) was evaluated %d times at x_i + h and "
                 "%d times at x_i - h; expected once each", i, p.plus[i], p.minus[i]);
    gt_hint("the centered difference needs f(x + h e_i) and f(x - h e_i) for each entry and nothing else: "
            "f(x) itself is not used");
    GT_CHECK(p.calls == 2 * (int)lab03_n(x), "f was called %d times for %zu entries; expected exactly %d (2 per "
             "entry)", p.calls, lab03_n(x), 2 * (int)lab03_n(x));
    lab03_probe_free(&p);
}

/* The values the issue names (0.1, 1/3, 1e10) and more, at h = 1e-5: for 1e-7,
 * x + h - h is not x; for 0.1, 0.7, -1.3 and 2/3, ((x + h) - 2h) + h is not x.
 * Then random ones (a good share of those fail one way or the other too). */
static Mat *lab03_awkward_x(void)
{
    static const double v[8] = { 0.1, 1.0 / 3.0, 1e10, 1e-7, -1.3, 0.7, 123.456, 2.0 / 3.0 };
    Mat *x = gt_randn(4, 5, 1.0);
    memcpy(x->data, v, sizeof v);
    return x;
}

/* f at these values: gentle enough for 1e10 (a weighted sum of sines and a
 * small quadratic). */
static double lab03_awkward_f(const Mat *x)
{
    double s = 0.0;
    for (size_t i = 0; i < lab03_n(x); i++) s += sin(x->data[i]) * (1.0 + 0.1 * (double)i) + 1e-3 * x->data[i];
    return s;
}

typedef void (*Lab03GradFn)(ScalarFn, void *, Mat *, double, Mat *);

static void lab03_check_restored(const char *name, Lab03GradFn fn, int centered)
{
    Mat *x0 = lab03_awkward_x(), *x = mat_copy(x0), *grad = mat_new(x0->rows, x0->cols);
    Lab03Probe p;
    lab03_probe_init(&p, lab03_awkward_f, x0, 1e-5);
    gt_context("%s(f, x %s holding 0.1, 1/3, 1e10, 1e-7, -1.3, 0.7, 123.456, 2/3 and random values, h = 1e-5)",
               name, gt_shape(x));
    fn(lab03_probe_fn, &p, x, 1e-5, grad);
    if (!lab03_probe_hint(&p, centered ? LAB03_CENTERED : LAB03_FORWARD))
        gt_hint("save x_i before the nudge and write the saved value back afterwards: x_i + h - h (or "
                "x_i + h - 2h + h) is not always x_i in floating point, e.g. 1e-7 + h - h or 0.1 + h - 2h + h");
    gt_expect_unchanged("x", x0, x);
    GT_CHECK(p.multi_calls == 0, "in %d of %d calls f saw more than one changed entry: an earlier entry was not "
             "restored exactly", p.multi_calls, p.calls);
    GT_CHECK(!lab03_probe_hint(&p, centered ? LAB03_CENTERED : LAB03_FORWARD), "x came back, but f was not "
             "evaluated the way the %s difference does it, one entry at a time", centered ? "centered" : "forward");
    lab03_probe_free(&p);
}

static void test_centered_restores_x(void) { lab03_check_restored("numerical_gradient", numerical_gradient, 1); }

/* ---- numerical_gradient_forward ---------------------------------------------------- */

static void test_forward_formula(void)
{
    /* The reference's forward difference on the cubic; the student's must agree
     * to 1e-12 relative. Centered would be off by 3x h. */
    const double h = 1e-3;
    Mat *x0 = gt_randn(3, 4, 1.0), *x = mat_copy(x0), *grad = mat_new(3, 4), *want = mat_new(3, 4);
    Mat *xr = mat_copy(x0);
    Lab03Math cubic = lab03_cubic;
    ora_numerical_gradient_forward(lab03_math_fn, &cubic, xr, h, want);
    mat_free(xr);
    mat_fill(grad, LAB03_UNWRITTEN);
    Lab03Probe p;
    lab03_probe_init(&p, lab03_cubic, x0, h);
    gt_context("numerical_gradient_forward(f = sum_i x_i^3, x %s, h = %g)", gt_shape(x), h);
    numerical_gradient_forward(lab03_probe_fn, &p, x, h, grad);
    if (!lab03_probe_hint(&p, LAB03_FORWARD))
        gt_hint("grad_i = (f(x + h e_i) - f(x)) / h exactly, with f(x) at the unchanged x (on sum x^3 that is "
                "3x^2 + 3xh + h^2, not the exact 3x^2)");
    gt_expect_mat("grad (compared with (f(x + h e_i) - f(x)) / h)", want, grad, 1e-12);
    gt_hint(NULL);
    gt_expect_unchanged("x", x0, x);
    lab03_probe_free(&p);
}

/* The slides' worked example as a table: the loss is 1.25347 at W, 1.25322
 * when only W[0] grew by 0.0001, 1.25353 when only W[1] did, and unchanged
 * when only W[2] did. */
static const Mat *lab03_slides_W;
static double lab03_slides_f(const Mat *x)
{
    if (x->data[0] != lab03_slides_W->data[0]) return 1.25322;
    if (x->data[1] != lab03_slides_W->data[1]) return 1.25353;
    return 1.25347;
}

static void test_forward_slides(void)
{
    const double w[3] = { 0.34, -1.11, 0.78 };
    Mat *W0 = gt_mat(1, 3, w), *W = mat_copy(W0), *dW = mat_new(1, 3);
    const double want[3] = { -2.5, 0.6, 0.0 };
    Mat *expected = gt_mat(1, 3, want);
    lab03_slides_W = W0;
    Lab03Probe p;
    lab03_probe_init(&p, lab03_slides_f, W0, 1e-4);
    gt_context("numerical_gradient_forward(the slides' loss: 1.25347 at W, 1.25322 after W[0] += h, 1.25353 "
               "after W[1] += h, unchanged after W[2] += h; W (1x3), h = 0.0001)");
    numerical_gradient_forward(lab03_probe_fn, &p, W, 1e-4, dW);
    if (!lab03_probe_hint(&p, LAB03_FORWARD))
        gt_hint("dW[0] = (1.25322 - 1.25347) / 0.0001 = -2.5: forward difference (f(W + h e_i) - f(W)) / h");
    gt_expect_mat("dW", expected, dW, 1e-9);
    gt_hint(NULL);
    gt_expect_unchanged("W", W0, W);
    lab03_probe_free(&p);
}

static void test_forward_calls_restores(void)
{
    Mat *x0 = gt_randn(3, 5, 1.0), *x = mat_copy(x0), *grad = mat_new(3, 5);
    int n = (int)lab03_n(x0);
    Lab03Probe p;
    lab03_probe_init(&p, lab03_quad, x0, 1e-4);
    gt_context("numerical_gradient_forward(f = sum_i a_i x_i^2 that counts its calls, x %s, h = 1e-4)",
               gt_shape(x));
    numerical_gradient_forward(lab03_probe_fn, &p, x, 1e-4, grad);
    lab03_probe_hint(&p, LAB03_FORWARD);
    GT_CHECK(p.multi_calls == 0 && p.odd_steps == 0, "f saw x with more than one entry changed, or one changed "
             "by something other than +h (%d + %d of %d calls)", p.multi_calls, p.odd_steps, p.calls);
    for (int i = 0; i < n; i++)
        GT_CHECK(p.plus[i] == 1, "entry %d (row-major) was evaluated %d times at x_i + h; expected once", i,
                 p.plus[i]);
    gt_hint("f(x) does not depend on the entry: evaluate it once before the loop (n + 1 calls; 2n is "
            "tolerated), and never at x - h");
    GT_CHECK((p.calls == n + 1 && p.base_calls == 1) || (p.calls == 2 * n && p.base_calls == n),
             "f was called %d times (%d at the unchanged x) for %d entries; expected %d (f(x) once) or at most "
             "%d (f(x) once per entry)", p.calls, p.base_calls, n, n + 1, 2 * n);
    lab03_probe_free(&p);
    lab03_check_restored("numerical_gradient_forward", numerical_gradient_forward, 0);
}

/* ---- rel_error ------------------------------------------------------------------- */

/* Calls rel_error on copies and checks the value and that a, b did not change. */
static void lab03_check_rel(const char *what, const Mat *a, const Mat *b, double want, const char *hint)
{
    Mat *ac = mat_copy(a), *bc = mat_copy(b);
    gt_context("rel_error(a %s, b %s): %s", gt_shape(a), gt_shape(b), what);
    double got = rel_error(ac, bc);
    gt_hint("%s", hint);
    gt_expect_near("rel_error", want, got, 1e-12);
    gt_hint(NULL);
    gt_expect_unchanged("a", a, ac);
    gt_expect_unchanged("b", b, bc);
    mat_free(ac);
    mat_free(bc);
}

static void test_rel_error_max(void)
{
    /* Entries: |1-2|/3 = 1/3; |3-3.5|/6.5 = 1/13; 0; |-1-1|/2 = 1. Sum 2.41,
     * mean 0.60; the maximum is 1 (opposite signs). */
    const double av[4] = { 1, 3, 5, -1 }, bv[4] = { 2, 3.5, 5, 1 };
    Mat *a = gt_mat(2, 2, av), *b = gt_mat(2, 2, bv);
    lab03_check_rel("a = [[1, 3], [5, -1]], b = [[2, 3.5], [5, 1]]", a, b, 1.0,
                    "per entry |a_i - b_i| / max(1e-8, |a_i| + |b_i|): here 1/3, 1/13, 0 and 1 (opposite signs); "
                    "the result is the MAXIMUM, not the sum or the mean");
    /* Without the sign flip: 1/3 is the max (sum 0.41, mean 0.14). */
    const double a2[3] = { 1, 3, 5 }, b2[3] = { 2, 3.5, 5 };
    Mat *a3 = gt_mat(3, 1, a2), *b3 = gt_mat(3, 1, b2);
    lab03_check_rel("a = [1, 3, 5]^T, b = [2, 3.5, 5]^T", a3, b3, 1.0 / 3.0,
                    "per entry 1/3, 1/13 and 0: the result is the largest, 1/3 (not the sum 0.41 or the mean 0.14); "
                    "the denominator is |a_i| + |b_i|");
}

static void test_rel_error_floor(void)
{
    const double z[6] = { 0, 0, 0, 0, 0, 0 };
    Mat *a = gt_mat(2, 3, z), *b = gt_mat(2, 3, z);
    lab03_check_rel("both all zeros", a, b, 0.0,
                    "an entry where a_i = b_i = 0 contributes 0: the denominator is max(1e-8, |a_i| + |b_i|), never "
                    "0, so there is no 0/0 = NaN");
    /* 1e-9 vs 0: |diff| / max(1e-8, 1e-9) = 0.1 (without the floor it would be
     * 1); 4 vs 4.5 gives 0.5 / 8.5 = 0.059, below it. */
    const double av[3] = { 1e-9, 4, 0 }, bv[3] = { 0, 4.5, 0 };
    Mat *a2 = gt_mat(1, 3, av), *b2 = gt_mat(1, 3, bv);
    lab03_check_rel("a = [1e-9, 4, 0], b = [0, 4.5, 0]", a2, b2, 0.1,
                    "entry 0: |1e-9 - 0| / max(1e-8, 1e-9 + 0) = 0.1 (the 1e-8 floor; without it, 1); entry 1: "
                    "0.5 / 8.5; entry 2: both 0, contributes 0. The result is the maximum, 0.1");
    const double a3[2] = { 3e-9, -2e-9 }, b3[2] = { 1e-9, 2e-9 };
    Mat *a4 = gt_mat(2, 1, a3), *b4 = gt_mat(2, 1, b3);
    lab03_check_rel("a = [3e-9, -2e-9]^T, b = [1e-9, 2e-9]^T", a4, b4, 0.4,
                    "|3e-9 - 1e-9| / max(1e-8, 4e-9) = 0.2 and |-2e-9 - 2e-9| / max(1e-8, 4e-9) = 0.4: the "
                    "floor is 1e-8 on |a_i| + |b_i|, and the result is the larger one");
}

/* ---- grad_check_sparse ------------------------------------------------------------- */

/* The k entries grad_check_sparse samples: k draws of rng_int(rng, rows * cols)
 * from a copy of the rng it is given (gradcheck.h). */
static void lab03_sampled(Rng rng, int n, int k, int *idx)
{
    for (int c = 0; c < k; c++) idx[c] = rng_int(&rng, n);
}

static int lab03_in(const int *idx, int k, int i)
{
    for (int c = 0; c < k; c++)
        if (idx[c] == i) return 1;
    return 0;
}

/* One call of grad_check_sparse on f = quad at x0 with this analytic gradient;
 * checks the value, the calls, the rng and x. `what` describes analytic. */
static double lab03_run_sparse(const Mat *x0, const Mat *analytic, int k, double h, Rng start, const char *what)
{
    int n = (int)lab03_n(x0);
    Mat *xr = mat_copy(x0);
    Rng rr = start;
    Lab03Math quad = lab03_quad;
    double want = ora_grad_check_sparse(lab03_math_fn, &quad, xr, analytic, k, h, &rr);
    mat_free(xr);
    Rng after = start;
    for (int c = 0; c < k; c++) rng_int(&after, n);
    Mat *x = mat_copy(x0), *an = mat_copy(analytic);
    Rng rng = start;
    Lab03Probe p;
    lab03_probe_init(&p, lab03_quad, x0, h);
    gt_context("grad_check_sparse(f = sum_i a_i x_i^2, x %s, analytic: %s, num_checks = %d, h = %g, rng)",
               gt_shape(x), what, k, h);
    double got = grad_check_sparse(lab03_probe_fn, &p, x, an, k, h, &rng);
    if (!lab03_probe_hint(&p, LAB03_SPARSE) && p.calls != 2 * k)
        gt_hint("f was called %d times: a sparse check costs exactly 2 calls per check (f(x + h e_i) and "
                "f(x - h e_i)), never the full numerical gradient", p.calls);
    else if (memcmp(rng.s, after.s, sizeof rng.s) != 0)
        gt_hint("the rng did not advance by exactly %d draws of rng_int(rng, rows * cols): draw one entry per "
                "check with the rng you were given", k);
    else
        gt_hint("for each of the num_checks entries i = rng_int(rng, rows * cols): the centered estimate at i, "
                "then |analytic_i - num| / max(1e-8, |analytic_i| + |num|); return the largest");
    gt_expect_near("the largest relative error", want, got, 1e-6);
    gt_hint("a sparse check costs 2 calls to f per check");
    GT_CHECK(p.calls == 2 * k, "f was called %d times with num_checks = %d; expected %d", p.calls, k, 2 * k);
    gt_hint("draw each entry with rng_int(rng, rows * cols), once per check, from the rng you were given");
    GT_CHECK(memcmp(rng.s, after.s, sizeof rng.s) == 0,
             "the rng's state after the call differs from %d draws of rng_int(rng, %d)", k, n);
    gt_hint("save x_i and write the saved value back after its two evaluations");
    gt_expect_unchanged("x", x0, x);
    gt_hint(NULL);
    gt_expect_unchanged("analytic", analytic, an);
    lab03_probe_free(&p);
    mat_free(x);
    mat_free(an);
    return got;
}

/* A (rows, cols) x with entries of either sign and 0.5 <= |x_i| <= 2: every
 * gradient entry of the quadratic is then >= 1 in size, so rounding in f
 * cannot make a relative error look large. */
static Mat *lab03_away_from_zero(int rows, int cols)
{
    Mat *x = mat_new(rows, cols);
    for (size_t i = 0; i < lab03_n(x); i++) {
        double v = 0.5 + 1.5 * rng_uniform(gt_rng());
        x->data[i] = rng_uniform(gt_rng()) < 0.5 ? -v : v;
    }
    return x;
}

static void test_sparse_planted(void)
{
    /* 40 entries, 6 checks. The test replays the draws on a copy of the rng,
     * plants a wrong value at the sampled entry with the largest index (not
     * one of the first 6, whatever the seed, in practice) and, separately, at
     * the first entry that is not sampled. */
    enum { R = 5, C = 8, K = 6 };
    const double h = 1e-3;   /* centered differences are exact on a quadratic, up to rounding */
    Mat *x = lab03_away_from_zero(R, C), *an = mat_new(R, C);
    lab03_quad_grad(x, an);
    Rng start;
    rng_seed(&start, rng_u64(gt_rng()));
    int idx[K];
    lab03_sampled(start, R * C, K, idx);
    int in = idx[0], out = -1;
    for (int c = 1; c < K; c++)
        if (idx[c] > in) in = idx[c];
    for (int i = 0; i < R * C && out < 0; i++)
        if (!lab03_in(idx, K, i)) out = i;

    Mat *bad = mat_copy(an);
    bad->data[in] += 1.0 + fabs(bad->data[in]);
    char what[160];
    snprintf(what, sizeof what, "exact except entry %d, which the rng samples, is wrong", in);
    double got = lab03_run_sparse(x, bad, K, h, start, what);
    GT_CHECK(got > 0.1, "a wrong analytic value at a sampled entry must give a large error; got %.3g", got);

    mat_copy_into(bad, an);
    bad->data[out] += 1.0 + fabs(bad->data[out]);
    snprintf(what, sizeof what, "exact except entry %d, which the rng does NOT sample, is wrong", out);
    got = lab03_run_sparse(x, bad, K, h, start, what);
    GT_CHECK(got < 1e-6, "the only wrong entry is not sampled, so the error must be small; got %.3g", got);
    mat_free(bad);
    mat_free(x);
    mat_free(an);
}

static void test_sparse_correct_same_seed(void)
{
    enum { R = 6, C = 7, K = 10 };
    const double h = 1e-3;   /* centered differences are exact on a quadratic, up to rounding */
    Mat *x = lab03_away_from_zero(R, C), *an = mat_new(R, C);
    lab03_quad_grad(x, an);
    Rng start;
    rng_seed(&start, rng_u64(gt_rng()));
    double g1 = lab03_run_sparse(x, an, K, h, start, "the exact gradient");
    GT_CHECK(g1 < 1e-7, "with the exact gradient of a smooth function the relative error must be tiny; got %.3g",
             g1);
    double g2 = lab03_run_sparse(x, an, K, h, start, "the exact gradient, same rng state again");
    gt_hint("the same rng state must check the same entries and give the same result");
    GT_CHECK(g1 == g2, "two calls from the same rng state returned %.17g and %.17g", g1, g2);
    mat_free(x);
    mat_free(an);
}

GT_SUITE(gt_suite_03_public, "03", GT_PUBLIC,
    { "03 numerical_gradient: sum a_i x_i^2 matches the exact gradient 2 a_i x_i", 1.0, 5,
      test_centered_quadratic },
    { "03 numerical_gradient: a cubic, x0*x1*x2 and sum sin match their exact gradients", 1.0, 5,
      test_centered_cubic_prod_sin },
    { "03 numerical_gradient: the error is O(h^2) (a forward difference fails)", 1.5, 5, test_centered_order },
    { "03 numerical_gradient: f(x + h e_i) and f(x - h e_i) once each, 2n calls", 0.5, 5, test_centered_calls },
    { "03 numerical_gradient: x restored bit for bit (0.1, 1/3, 1e10, ...)", 1.0, 5, test_centered_restores_x },
    { "03 numerical_gradient_forward: exactly (f(x + h e_i) - f(x)) / h", 1.0, 5, test_forward_formula },
    { "03 numerical_gradient_forward: the slides' example gives -2.5, 0.6, 0", 0.5, 5, test_forward_slides },
    { "03 numerical_gradient_forward: n + 1 calls, x restored bit for bit", 1.0, 5, test_forward_calls_restores },
    { "03 rel_error: the maximum over entries, by hand", 1.0, 5, test_rel_error_max },
    { "03 rel_error: both-zero entries give 0, the 1e-8 floor", 1.0, 5, test_rel_error_floor },
    { "03 grad_check_sparse: a wrong entry shows only when the rng samples it", 1.5, 5, test_sparse_planted },
    { "03 grad_check_sparse: ~0 for an exact gradient, same rng state gives the same result", 1.0, 5,
      test_sparse_correct_same_seed });
