/*
 * experiment.c - lab 03's experiment: gradient checking, and what the step h does.
 *
 *   make run LAB=03                 on your gradcheck.c (and your lab 02 losses)
 *   make run LAB=03 ARGS=--quick    the same (it takes well under a second either way)
 *   make run LAB=03 SOLUTIONS=1     on the reference solutions
 *
 * Three parts:
 *   1. your four lab 02 losses checked with your own tools: grad_check_sparse on a
 *      few entries and a full numerical_gradient + rel_error, on a small random
 *      problem chosen away from the hinge's kinks (skipped while lab 02 is a TODO);
 *   2. a failed check on purpose: an SVM margin 2e-6 from its kink, checked with
 *      h = 1e-5 (crosses the kink) and h = 1e-7 (does not);
 *   3. forward and centered differences for h = 1e-1 ... 1e-12 on a smooth function
 *      with a known gradient: the error-vs-h table and figure (gradcheck_error_vs_h.png).
 */
#include "expt.h"
#include "gradcheck.h"
#include "lab.h"
#include "loss.h"
#include "plot.h"
#include "rng.h"
#include "timer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const char *exp_about =
    "lab 03: gradient checking (your lab 02 gradients checked with your tools, a failed check at a kink, "
    "the error of forward and centered differences against h)";

/* --data is accepted so that make run DATA=... works for every lab; lab 03 draws its own problems. */
static const ExptOpt exp_opts[] = {
    { EXPT_OPT_DATA, "none: small generated problems", "ignored: this lab uses no data set" },
    { 0 },
};

typedef double (*ExpLossFn)(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW);

/* A lab 02 loss as a function of W alone, for the ScalarFn of gradcheck.h. */
typedef struct {
    ExpLossFn fn;
    const Mat *X;
    const int *y;
    double reg;
} ExpLossCtx;

static double exp_loss_of_W(const Mat *W, void *ctx)
{
    const ExpLossCtx *c = ctx;
    return c->fn(W, c->X, c->y, c->reg, NULL);
}

/* ---- 1. lab 02's gradients ---------------------------------------------------------- */

enum { EXP_N = 40, EXP_D = 16, EXP_C = 10 };   /* examples, features incl. bias, classes */

typedef struct {
    Mat *W, *X, *dW, *num;   /* (D, C), (N, D), (D, C), (D, C) */
    int y[EXP_N];
    uint64_t seed;
} ExpCheckJob;

/* The smallest |s_j - s_{y_i} + 1| over j != y_i: how close the SVM is to a kink. */
static double exp_closest_kink(const Mat *W, const Mat *X, const int *y)
{
    Mat *S = mat_new(X->rows, W->cols);
    mat_gemm(X, false, W, false, 1.0, 0.0, S);
    double closest = INFINITY;
    for (int i = 0; i < X->rows; i++)
        for (int j = 0; j < W->cols; j++)
            if (j != y[i]) closest = fmin(closest, fabs(MAT_AT(S, i, j) - MAT_AT(S, i, y[i]) + 1.0));
    mat_free(S);
    return closest;
}

/* The entry where a and b differ most, relative to max(1e-8, |a| + |b|). */
static size_t exp_worst_entry(const Mat *a, const Mat *b)
{
    size_t worst = 0;
    double worst_err = -1.0;
    for (size_t k = 0; k < (size_t)a->rows * (size_t)a->cols; k++) {
        double e = fabs(a->data[k] - b->data[k]) / fmax(1e-8, fabs(a->data[k]) + fabs(b->data[k]));
        if (!(e <= worst_err)) { worst = k; worst_err = e; }
    }
    return worst;
}

/* Runs inside lab_attempt(): a LAB_TODO() in lab 02 or lab 03 jumps out of it. */
static void exp_check_losses(void *arg)
{
    ExpCheckJob *job = arg;
    static const struct { const char *name; ExpLossFn fn; } losses[4] = {
        { "svm_loss_naive", svm_loss_naive },
        { "svm_loss_vectorized", svm_loss_vectorized },
        { "softmax_loss_naive", softmax_loss_naive },
        { "softmax_loss_vectorized", softmax_loss_vectorized },
    };
    const double regs[2] = { 0.0, 0.1 };
    const int num_checks = 20;
    const double h = 1e-5;
    printf("  X (%d x %d) ~ N(0, 1) with a bias column, W (%d x %d) ~ 0.1 N(0, 1), %d classes; every SVM margin\n"
           "  is at least %.1e away from its kink; h = %g\n", EXP_N, EXP_D, EXP_D, EXP_C, EXP_C,
           exp_closest_kink(job->W, job->X, job->y), h);
    printf("    %-24s %4s %12s %11s   %s\n", "function", "reg", "sparse (20)", "full", "worst entry: analytic vs numeric");
    int suspicious = 0, roundoff = 0;
    for (int l = 0; l < 4; l++)
        for (int r = 0; r < 2; r++) {
            ExpLossCtx ctx = { losses[l].fn, job->X, job->y, regs[r] };
            losses[l].fn(job->W, job->X, job->y, regs[r], job->dW);
            Rng rng;
            rng_seed(&rng, job->seed);
            double sparse = grad_check_sparse(exp_loss_of_W, &ctx, job->W, job->dW, num_checks, h, &rng);
            numerical_gradient(exp_loss_of_W, &ctx, job->W, h, job->num);
            double full = rel_error(job->dW, job->num);
            size_t k = exp_worst_entry(job->dW, job->num);
            double an = job->dW->data[k], nu = job->num->data[k];
            /* Round-off in a centered difference is about 1e-16 * |f| / h, ~1e-10 here:
             * an entry whose true value is ~0 can show a large relative error although
             * both numbers are noise-level. Only a larger absolute gap means a bug. */
            const char *verdict = "ok";
            if (!(sparse < 1e-7 && full < 1e-7)) {
                if (fabs(an - nu) < 1e-8 && sparse < 1e-7) {
                    verdict = "ok: a tiny entry, the gap is round-off";
                    roundoff = 1;
                } else {
                    verdict = "<- look at this gradient";
                    suspicious = 1;
                }
            }
            printf("    %-24s %4g %12.2e %11.2e   dW[%zu][%zu] %+.3e vs %+.3e  %s\n", losses[l].name,
                   regs[r], sparse, full, k / (size_t)job->dW->cols, k % (size_t)job->dW->cols, an, nu, verdict);
        }
    if (roundoff)
        printf("  rel_error divides by max(1e-8, |a| + |b|): where the true gradient is 0 (a class no margin\n"
               "  touches, say), a round-off gap of 1e-10 reads as a relative error near 1e-2. Look at the\n"
               "  absolute gap of the worst entry before you call a gradient wrong.\n");
    if (suspicious)
        printf("  a relative error well above 1e-7 away from kinks means the analytic gradient is wrong.\n");
}

/* ---- 2. a kink ---------------------------------------------------------------------- */

/* Runs inside lab_attempt(). */
static void exp_kink(void *arg)
{
    (void)arg;
    /* One example, 3 features + bias, 3 classes, label 0. W is fixed, then the
     * bias weight of class 1 is set so that margin 1 is s_1 - s_0 + 1 = 2e-6:
     * violated, but barely. A step of h on W[d][1] moves s_1 by h * x_d. */
    const double xv[4] = { 0.5, -1.2, 0.8, 1.0 };
    const double wv[12] = { 0.3, -0.2, 0.5,
                            -0.4, 0.1, 0.2,
                            0.6, 0.3, -0.7,
                            0.0, 0.0, -2.0 };
    const int y[1] = { 0 };
    Mat *X = mat_from(1, 4, xv), *W = mat_from(4, 3, wv);
    Mat *S = mat_new(1, 3);
    mat_gemm(X, false, W, false, 1.0, 0.0, S);
    MAT_AT(W, 3, 1) += (MAT_AT(S, 0, 0) - 1.0 + 2e-6) - MAT_AT(S, 0, 1);   /* margin 1 = 2e-6 */
    mat_gemm(X, false, W, false, 1.0, 0.0, S);
    printf("  one example, label 0: scores %.6f %.6f %.6f; margin of class 1 = %.1e, of class 2 = %.2f\n",
           MAT_AT(S, 0, 0), MAT_AT(S, 0, 1), MAT_AT(S, 0, 2), MAT_AT(S, 0, 1) - MAT_AT(S, 0, 0) + 1.0,
           MAT_AT(S, 0, 2) - MAT_AT(S, 0, 0) + 1.0);

    Mat *dW = mat_new(4, 3), *num = mat_new(4, 3);
    ExpLossCtx ctx = { svm_loss_vectorized, X, y, 0.0 };
    svm_loss_vectorized(W, X, y, 0.0, dW);
    printf("    %-8s %-28s %16s\n", "h", "largest step in s_1 (h*|x|)", "full: rel_error");
    const double hs[2] = { 1e-5, 1e-7 };
    for (int k = 0; k < 2; k++) {
        numerical_gradient(exp_loss_of_W, &ctx, W, hs[k], num);
        double err = rel_error(dW, num);
        printf("    %-8g %-28.1e %16.2e  %s\n", hs[k], hs[k] * 1.2, err,
               hs[k] * 1.2 > 2e-6 ? "the steps cross the kink: a false alarm" : "the steps stay on one side");
        if (k == 0)
            printf("             column 1 (the class at the kink): analytic %+.4f %+.4f %+.4f %+.4f\n"
                   "                                               numeric  %+.4f %+.4f %+.4f %+.4f\n",
                   MAT_AT(dW, 0, 1), MAT_AT(dW, 1, 1), MAT_AT(dW, 2, 1), MAT_AT(dW, 3, 1), MAT_AT(num, 0, 1),
                   MAT_AT(num, 1, 1), MAT_AT(num, 2, 1), MAT_AT(num, 3, 1));
    }
    mat_free(X);
    mat_free(W);
    mat_free(S);
    mat_free(dW);
    mat_free(num);
}

/* ---- 3. the error against h ------------------------------------------------------------- */

/* f(x) = sum_k ln(1 + e^{x_k}), the softplus: a smooth cousin of the hinge
 * max(0, x), with the known gradient df/dx_k = 1 / (1 + e^{-x_k}). */
static double exp_softplus_sum(const Mat *x, void *ctx)
{
    (void)ctx;
    double s = 0.0;
    for (size_t k = 0; k < (size_t)x->rows * (size_t)x->cols; k++) s += log1p(exp(x->data[k]));
    return s;
}

static void exp_h_sweep(const ExptArgs *a, Rng *rng)
{
    enum { NH = 12 };
    Mat *x = mat_new(4, 5), *exact = mat_new(4, 5), *fwd = mat_new(4, 5), *cen = mat_new(4, 5);
    for (size_t k = 0; k < 20; k++) {
        x->data[k] = rng_normal(rng);
        exact->data[k] = 1.0 / (1.0 + exp(-x->data[k]));
    }
    printf("  f(x) = sum_k ln(1 + e^x_k) on a (4 x 5) x ~ N(0, 1), f(x) = %.4f; exact gradient 1 / (1 + e^-x_k)\n",
           exp_softplus_sum(x, NULL));
    printf("  relative error of the whole numeric gradient (your rel_error against the exact one):\n");
    printf("    %8s %14s %14s\n", "h", "forward", "centered");
    double hs[NH], ef[NH], ec[NH];
    int best_f = 0, best_c = 0;
    for (int k = 0; k < NH; k++) {
        hs[k] = pow(10.0, -(k + 1));
        numerical_gradient_forward(exp_softplus_sum, NULL, x, hs[k], fwd);
        numerical_gradient(exp_softplus_sum, NULL, x, hs[k], cen);
        ef[k] = rel_error(fwd, exact);
        ec[k] = rel_error(cen, exact);
        if (ef[k] < ef[best_f]) best_f = k;
        if (ec[k] < ec[best_c]) best_c = k;
        printf("    %8.0e %14.2e %14.2e\n", hs[k], ef[k], ec[k]);
    }
    printf("  smallest error: forward %.1e at h = %.0e, centered %.1e at h = %.0e\n", ef[best_f], hs[best_f],
           ec[best_c], hs[best_c]);
    printf("  right of the minimum the truncation error shrinks like h (forward) or h^2 (centered);\n"
           "  left of it the round-off in f, about 1e-16 * |f| / h, grows as h shrinks.\n");

    /* Where the bottoms should be. An error model per entry: truncation
     * (h/2) |f''| (forward) or (h^2/6) |f'''| (centered), plus round-off eps |f| / h;
     * the sum is smallest at h = sqrt(2 eps |f| / |f''|) and (3 eps |f| / |f'''|)^(1/3).
     * With |f| and its derivatives of order 1 these are the rules of thumb sqrt(eps)
     * and eps^(1/3); this f is a sum of 20 terms (|f| ~ 14) while f'' <= 1/4 and
     * |f'''| < 0.1, which moves both bottoms to the right. The largest |f''| and
     * |f'''| over the entries stand for "the size of the derivatives". */
    const double eps = 2.220446049250313e-16;
    double fx = exp_softplus_sum(x, NULL), d2 = 0.0, d3 = 0.0;
    for (size_t k = 0; k < 20; k++) {
        double sg = exact->data[k];
        d2 = fmax(d2, sg * (1.0 - sg));
        d3 = fmax(d3, fabs(sg * (1.0 - sg) * (1.0 - 2.0 * sg)));
    }
    double hf = sqrt(2.0 * eps * fabs(fx) / d2), hc = cbrt(3.0 * eps * fabs(fx) / d3);
    printf("  predicted bottoms (truncation = round-off, with |f| = %.1f, max |f''| = %.3f, max |f'''| = %.3f):\n"
           "    forward  h = sqrt(2 eps |f| / |f''|)    = %.1e   (sqrt(eps) = %.1e when all are of order 1)\n"
           "    centered h = (3 eps |f| / |f'''|)^(1/3) = %.1e   (eps^(1/3) = %.1e when all are of order 1)\n",
           fx, d2, d3, hf, sqrt(eps), hc, cbrt(eps));

    /* Reference slopes, drawn a little off the measured lines so both stay visible
     * (slope 1 and 2 under the right arms, slope -1 above the left arm), and the
     * predicted bottoms as vertical lines; all named in the legend, where their
     * labels cannot cover the data. */
    PlotLine g1 = plot_slope_line(hs[1], ef[1] / 5, 1.0, 1e-6, 1e-1, true, NULL);
    PlotLine g2 = plot_slope_line(hs[1], ec[1] / 5, 2.0, 1e-4, 1e-1, true, NULL);
    PlotLine g3 = plot_slope_line(hs[9], fmax(ef[9], ec[9]) * 6, -1.0, 1e-12, 1e-8, true, NULL);
    const double ylo = 1e-12, yhi = 1.0;
    double gx[5][2] = { { g1.x0, g1.x1 }, { g2.x0, g2.x1 }, { g3.x0, g3.x1 }, { hf, hf }, { hc, hc } };
    double gy[5][2] = { { g1.y0, g1.y1 }, { g2.y0, g2.y1 }, { g3.y0, g3.y1 }, { ylo, yhi }, { ylo, yhi } };
    char lab_f[96], lab_c[96];
    snprintf(lab_f, sizeof lab_f, "predicted bottom, forward: h = %.1e", hf);
    snprintf(lab_c, sizeof lab_c, "predicted bottom, centered: h = %.1e", hc);
    enum { EXP_BLUE = 1, EXP_VERMILLION = 2, EXP_GREY = 8 };
    PlotSeries s[7] = {
        { .label = "forward  (f(x+h) - f(x)) / h", .x = hs, .y = ef, .n = NH, .points = true, .color = EXP_BLUE },
        { .label = "centered (f(x+h) - f(x-h)) / (2h)", .x = hs, .y = ec, .n = NH, .points = true,
          .color = EXP_VERMILLION },
        { .label = "slope 1: forward truncation ~ h", .x = gx[0], .y = gy[0], .n = 2, .color = EXP_BLUE,
          .dash = PLOT_DASHED, .line_width = 1.5 },
        { .label = "slope 2: centered truncation ~ h^2", .x = gx[1], .y = gy[1], .n = 2, .color = EXP_VERMILLION,
          .dash = PLOT_DASHED, .line_width = 1.5 },
        { .label = "slope -1: round-off ~ eps |f| / h", .x = gx[2], .y = gy[2], .n = 2, .color = EXP_GREY,
          .dash = PLOT_DASHED, .line_width = 1.5 },
        { .label = lab_f, .x = gx[3], .y = gy[3], .n = 2, .color = EXP_BLUE, .dash = PLOT_DOTTED, .line_width = 2 },
        { .label = lab_c, .x = gx[4], .y = gy[4], .n = 2, .color = EXP_VERMILLION, .dash = PLOT_DOTTED,
          .line_width = 2 },
    };
    PlotOpts opts = { .title = "Finite differences on f(x) = sum ln(1 + e^x): error against the step h",
                      .xlabel = "step h (log scale)",
                      .ylabel = "relative error vs the exact gradient (log scale)",
                      .logx = true, .logy = true, .width = 1000, .height = 700,
                      .ymin = ylo, .ymax = yhi, .key_pos = "bottom left" };
    const char *png = expt_path(a, "gradcheck_error_vs_h.png");
    expt_figure(plot_lines(png, &opts, s, 7), png,
                "error of forward and centered differences against h (log-log): the V, with slopes 1, 2, -1 "
                "and the predicted bottoms");
    mat_free(x);
    mat_free(exact);
    mat_free(fwd);
    mat_free(cen);
}

int main(int argc, char **argv)
{
    ExptArgs a;
    expt_args(argc, argv, exp_about, exp_opts, &a);
    if (a.data)
        printf("data: lab 03 checks gradients on small generated problems; --data %s is not used\n", a.data);
    Rng rng;
    rng_seed(&rng, a.seed);
    double t = timer_now();

    expt_section("1. your lab 02 gradients, checked with your lab 03 tools");
    ExpCheckJob job = { mat_new(EXP_D, EXP_C), mat_new(EXP_N, EXP_D), mat_new(EXP_D, EXP_C),
                        mat_new(EXP_D, EXP_C), { 0 }, a.seed + 1 };
    for (int i = 0; i < EXP_N; i++) {
        for (int d = 0; d < EXP_D - 1; d++) MAT_AT(job.X, i, d) = rng_normal(&rng);
        MAT_AT(job.X, i, EXP_D - 1) = 1.0;   /* the bias trick */
        job.y[i] = rng_int(&rng, EXP_C);
    }
    /* Away from kinks: a margin within 1e-3 of 0 could be crossed by a step of h
     * and fail a correct gradient (part 2 shows it), so draw W again. */
    do {
        mat_fill_randn(job.W, 0.1, &rng);
    } while (exp_closest_kink(job.W, job.X, job.y) < 1e-3);
    if (!lab_attempt(exp_check_losses, &job)) printf("  skipping: %s is not written yet\n", lab_todo_name());

    expt_section("2. a check that fails at a kink of the hinge (svm_loss_vectorized)");
    if (!lab_attempt(exp_kink, NULL)) printf("  skipping: %s is not written yet\n", lab_todo_name());

    expt_section("3. forward and centered differences against the step h");
    exp_h_sweep(&a, &rng);

    printf("\ndone in %.1f s\n", timer_now() - t);
    mat_free(job.W);
    mat_free(job.X);
    mat_free(job.dW);
    mat_free(job.num);
    return 0;
}
