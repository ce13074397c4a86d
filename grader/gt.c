/*
 * gt.c - the checks grader tests call, and the grader's own finite differences.
 *
 * Everything here runs inside a test's child process. A failed check builds
 * one message (context, the failure, the hint) and hands it to Check, which
 * ends the child; the parent turns it into the report.
 */
#include "gt.h"
#include "grader.h"
#include "gt_child.h"
#include "proxy.h"

#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* What the test is calling and its hint. After gt_share_notes() they live in
 * memory shared with the runner, so a test that crashes or hangs inside the
 * student's code can still be reported with what it was calling. */
enum { GT_NOTE = 512 };
static char gt_local_notes[2][GT_NOTE];
static char *gt_context_buf = gt_local_notes[0];
static char *gt_hint_buf = gt_local_notes[1];
static char gt_note_buf[GT_NOTE];   /* the test's own: a crash report does not need it */
static Rng gt_rng_state;
static uint64_t gt_run_seed;

/* FNV-1a: a stable hash of the test's name, so each test has its own stream. */
static uint64_t gt_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

void gt_share_notes(void)
{
    void *p = mmap(NULL, 2 * GT_NOTE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return;   /* reports then lack the context of a crash, nothing worse */
    gt_context_buf = p;
    gt_hint_buf = (char *)p + GT_NOTE;
    gt_clear_notes();
}

/* Copies a note the child wrote; it may be unterminated or half-written. */
static const char *gt_note_copy(const char *note, char *buf, size_t n)
{
    snprintf(buf, n, "%.*s", GT_NOTE - 1, note);
    return buf;
}

void gt_clear_notes(void)
{
    gt_context_buf[0] = gt_hint_buf[0] = gt_note_buf[0] = '\0';
}

const char *gt_last_context(char *buf, size_t n) { return gt_note_copy(gt_context_buf, buf, n); }
const char *gt_last_hint(char *buf, size_t n) { return gt_note_copy(gt_hint_buf, buf, n); }

void gt_child_begin(const char *test_name, uint64_t seed)
{
    gt_clear_notes();
    gt_run_seed = seed;
    rng_seed(&gt_rng_state, seed ^ gt_hash(test_name));
}

void gt_context(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(gt_context_buf, GT_NOTE, fmt, ap);
    va_end(ap);
}

void gt_note(const char *fmt, ...)
{
    gt_note_buf[0] = '\0';
    if (!fmt) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(gt_note_buf, GT_NOTE, fmt, ap);
    va_end(ap);
}

void gt_hint(const char *fmt, ...)
{
    if (!fmt) {
        gt_hint_buf[0] = '\0';
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(gt_hint_buf, GT_NOTE, fmt, ap);
    va_end(ap);
}

const char *gt_shape(const Mat *m)
{
    static char bufs[8][32];
    static int next;
    char *b = bufs[next++ % 8];
    if (!m) snprintf(b, sizeof bufs[0], "(NULL)");
    else snprintf(b, sizeof bufs[0], "(%dx%d)", m->rows, m->cols);
    return b;
}

void gt_fail(const char *fmt, ...)
{
    char detail[2048], msg[3600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    int n = 0;
    if (gt_context_buf[0])
        n += snprintf(msg + n, sizeof msg - n, "called %s\n", gt_context_buf);
    n += snprintf(msg + n, sizeof msg - (size_t)n, "%s", detail);
    if (gt_hint_buf[0] && (size_t)n < sizeof msg)
        n += snprintf(msg + n, sizeof msg - (size_t)n, "\nHINT: %s", gt_hint_buf);
    if (gt_note_buf[0] && (size_t)n < sizeof msg)
        snprintf(msg + n, sizeof msg - (size_t)n, "\nNOTE: %s", gt_note_buf);
    gt_child_fail(msg);
}

int gt_close(double expected, double got, double tol)
{
    double scale = fabs(expected) > 1.0 ? fabs(expected) : 1.0;
    return fabs(got - expected) <= tol * scale;   /* false for NaN and Inf */
}

/* "NaN" and "Inf" spelled out: a student should see at once that a value is not a number. */
static const char *gt_num(char *buf, size_t n, double v)
{
    if (isnan(v)) snprintf(buf, n, "NaN");
    else if (isinf(v)) snprintf(buf, n, v > 0 ? "+Inf" : "-Inf");
    else snprintf(buf, n, "%.10g", v);
    return buf;
}

/* Both sides NaN: the value compared with came from the student's code too
 * (a loss with and without dW, naive and vectorized). */
static void gt_fail_both_nan(const char *what, double expected, double got)
{
    if (isnan(expected) && isnan(got))
        gt_fail("%s is NaN, and so is the value it is compared with (which your code computed too): look for "
                "0/0, Inf - Inf, or the log or square root of a negative number", what);
}

void gt_expect_near(const char *what, double expected, double got, double tol)
{
    if (gt_close(expected, got, tol)) return;
    gt_fail_both_nan(what, expected, got);
    char e[40], g[40];
    gt_fail("%s: expected %s, got %s (tolerance %g relative)", what, gt_num(e, sizeof e, expected),
            gt_num(g, sizeof g, got), tol);
}

void gt_expect_shape(const char *what, const Mat *got, int rows, int cols)
{
    if (!got) gt_fail("%s is NULL, expected a (%dx%d) matrix", what, rows, cols);
    if (got->rows != rows || got->cols != cols)
        gt_fail("%s has shape (%dx%d), expected (%dx%d)", what, got->rows, got->cols, rows, cols);
}

void gt_expect_mat(const char *what, const Mat *expected, const Mat *got, double tol)
{
    gt_expect_shape(what, got, expected->rows, expected->cols);
    for (int i = 0; i < got->rows; i++)
        for (int j = 0; j < got->cols; j++) {
            double e = MAT_AT(expected, i, j), g = MAT_AT(got, i, j);
            if (gt_close(e, g, tol)) continue;
            gt_fail_both_nan(what, e, g);
            char eb[40], gb[40];
            gt_fail("%s[%d][%d]: expected %s, got %s (first mismatch of a %s matrix; tolerance %g relative)",
                    what, i, j, gt_num(eb, sizeof eb, e), gt_num(gb, sizeof gb, g), gt_shape(got), tol);
        }
}

void gt_expect_ints(const char *what, const int *expected, const int *got, int n)
{
    for (int i = 0; i < n; i++)
        if (expected[i] != got[i])
            gt_fail(n == 1 ? "%s[%d]: expected %d, got %d" : "%s[%d]: expected %d, got %d (first mismatch of %d values)",
                    what, i, expected[i], got[i], n);
}

void gt_expect_unchanged(const char *what, const Mat *before, const Mat *now)
{
    if (now->rows != before->rows || now->cols != before->cols)
        gt_fail("%s changed shape from %s to %s: inputs must not be modified", what, gt_shape(before),
                gt_shape(now));
    for (int i = 0; i < now->rows; i++)
        for (int j = 0; j < now->cols; j++) {
            double b = MAT_AT(before, i, j), a = MAT_AT(now, i, j);
            if (memcmp(&a, &b, sizeof a) == 0) continue;
            char bb[40], ab[40];
            gt_num(bb, sizeof bb, b);
            gt_num(ab, sizeof ab, a);
            if (!strcmp(bb, ab)) {   /* differs beyond 10 digits: show all 17 (or the sign of a zero) */
                snprintf(bb, sizeof bb, "%.17g", b);
                snprintf(ab, sizeof ab, "%.17g", a);
            }
            gt_fail("%s[%d][%d] was %s before the call and is %s after: inputs must not be modified", what, i,
                    j, bb, ab);
        }
}

void gt_expect_finite(const char *what, const Mat *m)
{
    for (int i = 0; i < m->rows; i++)
        for (int j = 0; j < m->cols; j++)
            if (!isfinite(MAT_AT(m, i, j))) {
                char b[40];
                gt_fail("%s[%d][%d] is %s: every entry must be a finite number", what, i, j,
                        gt_num(b, sizeof b, MAT_AT(m, i, j)));
            }
}

Rng *gt_rng(void)
{
    return &gt_rng_state;
}

uint64_t gt_seed(void)
{
    return gt_run_seed;
}

Mat *gt_randn(int rows, int cols, double scale)
{
    Mat *m = mat_new(rows, cols);
    mat_fill_randn(m, scale, &gt_rng_state);
    return m;
}

Mat *gt_mat(int rows, int cols, const double *values)
{
    return mat_from(rows, cols, values);
}

int *gt_labels(int n, int classes)
{
    int *y = malloc((size_t)(n > 0 ? n : 1) * sizeof *y);
    if (!y) gt_fail("gt_labels: out of memory");
    for (int i = 0; i < n; i++) y[i] = rng_int(&gt_rng_state, classes);
    return y;
}

/* The five-point stencil: error O(h^4), two more calls per entry than the
 * centered difference lab 03 asks for (a different method from the lab's). */
void gt_numeric_grad(GtScalarFn f, void *ctx, Mat *x, double h, Mat *grad)
{
    gt_expect_shape("gt_numeric_grad: grad", grad, x->rows, x->cols);
    static const double step[4] = { 2.0, 1.0, -1.0, -2.0 }, weight[4] = { -1.0, 8.0, -8.0, 1.0 };
    size_t n = (size_t)x->rows * x->cols;
    for (size_t i = 0; i < n; i++) {
        double saved = x->data[i], sum = 0.0;
        for (int t = 0; t < 4; t++) {
            x->data[i] = saved + step[t] * h;
            sum += weight[t] * f(x, ctx);
        }
        x->data[i] = saved;
        grad->data[i] = sum / (12.0 * h);
    }
}

void gt_expect_grad(const char *what, const Mat *analytic, const Mat *numeric, double tol,
                    GtGradHint hint, void *hint_ctx)
{
    gt_expect_shape(what, analytic, numeric->rows, numeric->cols);
    double max_num = 0.0, max_ana = 0.0;
    size_t n = (size_t)numeric->rows * numeric->cols;
    for (size_t i = 0; i < n; i++) {
        if (fabs(numeric->data[i]) > max_num) max_num = fabs(numeric->data[i]);
        if (!(fabs(analytic->data[i]) <= max_ana)) max_ana = fabs(analytic->data[i]);  /* NaN sticks */
    }
    /* Differences below this are rounding in the finite differences themselves
     * (about 1e-16 |f| / h), not a wrong gradient. */
    const double noise = 1e-9;
    if (max_ana == 0.0 && max_num > noise)
        gt_fail("%s is all zeros, but the numeric gradient is not (largest entry %.4g): the gradient was "
                "never written", what, max_num);
    double floor = 1e-3 * max_num + 1e-12;
    double worst = -1.0;
    size_t worst_i = 0;
    for (size_t i = 0; i < n; i++) {
        double a = analytic->data[i], num = numeric->data[i];
        double denom = fabs(num);
        double rel = fabs(a - num) <= noise ? 0.0 : fabs(a - num) / (denom > floor ? denom : floor);
        if (!(rel <= worst)) {   /* NaN counts as the worst */
            worst = rel;
            worst_i = i;
            if (isnan(rel)) break;
        }
    }
    if (worst <= tol) return;
    int i = (int)(worst_i / numeric->cols), j = (int)(worst_i % numeric->cols);
    const char *h = hint ? hint(i, j, hint_ctx) : NULL;
    if (h) gt_hint("%s", h);
    char ab[40], nb[40];
    gt_fail("%s[%d][%d]: analytic %s vs numeric %s (relative error %.3g, allowed %.0e); worst entry of a %s "
            "gradient", what, i, j, gt_num(ab, sizeof ab, analytic->data[worst_i]),
            gt_num(nb, sizeof nb, numeric->data[worst_i]), worst, tol, gt_shape(numeric));
}

MatGemmStats gt_last_gemm(void)
{
    if (debug_on()) {   /* the lab runs in this process: its products since the last look */
        MatGemmStats s = mat_gemm_stats();
        mat_gemm_stats_reset();
        return s;
    }
    return px_last_gemm();
}
