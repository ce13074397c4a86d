/*
 * plot.h - line plots, heat maps, confusion matrices and bar charts through gnuplot, run as
 * a separate program.
 *
 * For a figure "out/name.png" the functions always write out/name.dat (the
 * numbers) and out/name.gp (a gnuplot script that reads the .dat), then run
 * gnuplot on it (pngcairo if gnuplot has it, png otherwise).
 * Return: 0 PNG written; 1 gnuplot is not installed (the .dat and .gp are
 * there: `apt-get install gnuplot-nox`, then `gnuplot out/name.gp`);
 * -1 error with a reason in err_last(). Nothing here prints or exits.
 *
 * Every option struct is meant to be zero-initialised with designated
 * initialisers; a zero field always means "the plain default", so
 *     PlotOpts o = {.title = "loss", .xlabel = "step", .ylabel = "loss"};
 * draws what the first version of this module drew, plus readable ticks.
 *
 * Tick labels: numbers are written short and in one style per axis: whole
 * numbers as such (25000), others with 3 significant digits, exponents without
 * padding ("1e-7", "2.5e-4", not "1e-07"). Log axes get one label per decade
 * (or per 2, 3, ... decades, so there are at most about 9), written "1e-4".
 */
#ifndef GRADLAB_PLOT_H
#define GRADLAB_PLOT_H

#include <stdbool.h>
#include "mat.h"

/* Line styles for PlotSeries.dash. */
enum { PLOT_SOLID = 0, PLOT_DASHED = 1, PLOT_DOTTED = 2, PLOT_DASHDOT = 3 };

typedef struct {
    const char *label;   /* legend entry; NULL: none */
    const double *x;     /* n values; NULL means 0, 1, ..., n-1 */
    const double *y;     /* n values; NaN or Inf entries are left out */
    const double *yerr;  /* n error-bar half-heights, or NULL */
    int n;
    bool points;         /* draw markers as well as lines */
    int color;           /* 0: by position in the series list; 1..8: blue, vermillion, green,
                          * pink, orange, sky blue, black, grey (colour-blind safe) */
    /* ---- added in round 2; zero keeps the old look ---- */
    int dash;            /* PLOT_SOLID (0), PLOT_DASHED, PLOT_DOTTED, PLOT_DASHDOT */
    bool no_line;        /* markers only, no line (e.g. one point per fold); implies points */
    bool faint;          /* thin and 65% transparent: raw noisy data under a smoothed series */
    double line_width;   /* 0: 2 (faint: 1) */
} PlotSeries;

/* A marker with an optional label, e.g. the chosen k or the best learning rate:
 *     PlotMark m = {.x = 10, .y = 0.853, .label = "chosen k = 10"};
 * In plot_lines x, y are data coordinates. In heat maps they are cell indices
 * (x = column j, y = row i, fractions allowed): the centre of a 31 x 31 grid
 * is {.x = 15, .y = 15}. */
typedef struct {
    double x, y;
    const char *label;   /* drawn beside the marker; NULL: marker only */
    int color;           /* 0: black (white in heat maps); 1..8 as PlotSeries.color */
} PlotMark;

/* A straight reference line in data coordinates (heat maps: cell indices),
 * dashed unless solid is set, with an optional label just above the middle of
 * the segment (vertical lines: at the top; horizontal ones: at the left).
 * On log axes the segment is straight on screen.
 * x0 = x1 with y0, y1 both NaN: a vertical line over the whole height;
 * y0 = y1 with x0, x1 both NaN: a horizontal line over the whole width.
 * plot_slope_line() makes the "slope p" guides of a log-log plot. */
typedef struct {
    double x0, y0, x1, y1;
    const char *label;   /* NULL: none */
    int color;           /* 0: grey; 1..8 as PlotSeries.color */
    bool solid;          /* false: dashed */
} PlotLine;

typedef struct {
    const char *title, *xlabel, *ylabel;
    bool logx, logy;
    int width, height;   /* pixels; 0 = 900 x 600 */
    /* ---- added in round 2; zero keeps the old behaviour ---- */
    double ymin, ymax;   /* y range: used unless both are 0; a NaN end stays automatic, e.g.
                          * {.ymin = NAN, .ymax = 5} clips one spike at 5 so the rest shows
                          * (lines leaving the range are cut at the frame) */
    double xmin, xmax;   /* x range, the same way */
    const char *xformat, *yformat;   /* gnuplot tick formats overriding the default, e.g. "%.0f%%" */
    const PlotMark *marks;   /* nmarks markers drawn on top */
    int nmarks;
    const PlotLine *lines;   /* nlines reference lines drawn under the data */
    int nlines;
    const char *key_pos;     /* legend position in gnuplot words ("top left", "bottom right",
                              * "outside right"); NULL: picked from the data; "off": no legend */
} PlotOpts;

/* One or more series on shared axes.
 * Example, cross-validation (one faint point per fold, the means with error bars,
 * the chosen k marked):
 *     PlotSeries s[2] = {
 *         {.label = "fold", .x = kk, .y = fold_acc, .n = nk * nfolds, .no_line = true, .faint = true},
 *         {.label = "mean +- std", .x = ks, .y = mean, .yerr = sd, .n = nk, .points = true},
 *     };
 *     PlotMark best = {.x = 10, .y = mean_at_10, .label = "chosen k = 10"};
 *     PlotOpts o = {.title = "5-fold CV", .xlabel = "k", .ylabel = "accuracy",
 *                   .marks = &best, .nmarks = 1};
 *     plot_lines("out/cv.png", &o, s, 2);
 * Raw loss with its moving average: draw the raw series with .faint = true and
 * plot_moving_average() of it as a second, normal series. */
int plot_lines(const char *png_path, const PlotOpts *opts, const PlotSeries *series, int nseries);

/* A reference segment of slope p on log-log axes through (x0, y0), from x = xa to
 * x = xb: y = y0 * (x / x0)^p. On linear axes (loglog false): y = y0 + p (x - x0).
 * Example, the h^2 guide of a centred difference:
 *     PlotLine g = plot_slope_line(1e-4, 1e-9, 2.0, 1e-6, 1e-2, true, "slope 2 (h^2)");
 */
PlotLine plot_slope_line(double x0, double y0, double p, double xa, double xb, bool loglog,
                         const char *label);

/* Moving average of y (n values) over a centred window of `window` points (odd
 * or even; 1 copies), skipping NaN/Inf; out gets n values (out may be y).
 * For a raw minibatch loss under its smoothed curve. */
void plot_moving_average(const double *y, int n, int window, double *out);

/* A heat map of z (ny, nx) over x (nx values) and y (ny values), with a colour
 * bar labelled zlabel; each cell's value is printed in it when annotate is set.
 * Cells are drawn evenly spaced (the values are usually log-spaced) and labelled
 * with x[j], y[i]; see plot_heatmap_ex for more. */
int plot_heatmap(const char *png_path, const PlotOpts *opts, const Mat *z,
                 const double *x, const double *y, const char *zlabel, bool annotate);

/* Heat-map options; zero-initialised means what plot_heatmap draws. */
typedef struct {
    const char *zlabel;      /* colour bar label, e.g. "validation accuracy (%)" */
    bool annotate;           /* print each cell's value in it */
    const char *cell_format; /* printf format for those values; NULL: "%.3f". E.g. "%.1f" */
    double zmin, zmax;       /* fixed colour range when zmax > zmin, so that two maps of the same
                              * quantity share one scale; otherwise the data's range */
    int mark_best;           /* 1: outline the largest cell, -1: the smallest, 0: none */
    const char *best_label;  /* text next to that cell; NULL: "best" */
    int max_ticks;           /* most labelled ticks per axis (0: 10); with more cells every
                              * s-th cell is labelled, s dividing n-1 where it can, so a centre
                              * cell keeps its label */
    int contours;            /* > 0: this many contour lines (evenly spaced levels) over the map,
                              * for loss surfaces whose creases should show */
    bool diverging;          /* blue-white-red palette symmetric around 0 (else viridis) */
} PlotHeatOpts;

/* The heat map with options (h may be NULL). opts->marks / opts->lines are in cell
 * indices. Example: two lr x reg grids on one scale, in percent, best marked:
 *     Mat *pct = ...;   // validation accuracy * 100, (nreg, nlr)
 *     PlotOpts o = {.title = "softmax: validation accuracy", .xlabel = "learning rate",
 *                   .ylabel = "regularization strength"};
 *     PlotHeatOpts h = {.zlabel = "validation accuracy (%)", .annotate = true,
 *                       .cell_format = "%.1f", .zmin = 0, .zmax = 100, .mark_best = 1};
 *     plot_heatmap_ex("out/grid_softmax.png", &o, pct, lrs, regs, &h);
 * A loss over a plane with contour lines and its centre marked:
 *     PlotMark c = {.x = (G - 1) / 2.0, .y = (G - 1) / 2.0, .label = "W"};
 *     PlotOpts o = {.title = "loss over a plane", .xlabel = "a", .ylabel = "b",
 *                   .marks = &c, .nmarks = 1, .width = 900, .height = 800};
 *     PlotHeatOpts h = {.zlabel = "loss", .contours = 12};
 *     plot_heatmap_ex("out/loss_2d.png", &o, z, ab, ab, &h); */
int plot_heatmap_ex(const char *png_path, const PlotOpts *opts, const Mat *z,
                    const double *x, const double *y, const PlotHeatOpts *h);

/* The confusion matrix of n predictions over K classes as a new (K, K) matrix of
 * counts: rows are true classes, columns predicted ones. NULL with a reason when
 * a label is outside 0..K-1, K < 1, n < 0 or an array is NULL (n = 0: all zeros).
 * Free with mat_free(). */
Mat *plot_confusion_matrix(const int *y_true, const int *y_pred, int n, int K);

/* A confusion-matrix figure from counts (K, K) (rows true, columns predicted):
 * cells coloured by row share (so rare and common classes read alike) and
 * labelled with the count, or with the row percentage when percent is set;
 * class names on both axes (x names rotated when long), each class's accuracy
 * (recall) on the right, and the overall accuracy appended to the title:
 * "<title> - accuracy 84.9% (8490 / 10000)". class_names: K strings or NULL
 * (then 0..K-1). Example:
 *     Mat *cm = plot_confusion_matrix(y_test, pred, n_test, 10);
 *     plot_confusion("out/confusion.png", "k-NN (k = 10), test set", cm, names, false);
 *     mat_free(cm); */
int plot_confusion(const char *png_path, const char *title, const Mat *counts,
                   const char *const *class_names, bool percent);

/* Bar-chart options; zero-initialised means plain bars coloured by series. */
typedef struct {
    const char *const *group_names;   /* ngroups labels under the groups ('\n' for a second line), or NULL */
    const char *const *series_names;  /* nseries legend entries, or NULL for no legend */
    const int *colors;                /* nseries colours 1..8 as PlotSeries.color, or NULL: by position */
    const bool *outline;              /* (ngroups * nseries) bars to draw with a thick black border, or NULL */
    const char *outline_label;        /* the legend entry of the outline, e.g. "correct class"; NULL: none */
    const char *value_format;         /* printf format of the value printed at each bar's end;
                                       * NULL: "%.2f"; "": none */
    const char *gap_label;            /* text printed on the 0 line where a value is NaN, e.g.
                                       * "correct"; NULL: none */
} PlotBarOpts;

/* A grouped bar chart: ngroups groups along x, each of nseries bars side by side,
 * values (ngroups * nseries) group-major: values[g * nseries + s]; a NaN leaves a
 * gap. Bars start at 0 (a line marks 0 when values are negative). The y range
 * fits the bars and their printed values unless opts->ymin / ymax fix it. opts
 * gives title, labels, size, key_pos (default: one row across the top), yformat,
 * and marks and lines in data coordinates, the lines drawn over the bars with
 * their labels centred above them: group g is centred at x = g, bar s of it at
 * x = g + (s - (nseries - 1) / 2.0) * 0.8 / nseries. Example, the scores of the
 * lecture's three images for three classes, the correct class outlined:
 *     const char *img[3] = {"cat image", "car image", "frog image"}, *cls[3] = {"cat", "car", "frog"};
 *     bool correct[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
 *     PlotBarOpts b = {.group_names = img, .series_names = cls, .outline = correct,
 *                      .outline_label = "correct class"};
 *     PlotOpts o = {.title = "class scores", .ylabel = "score"};
 *     plot_bars("out/scores.png", &o, scores, 3, 3, &b); */
int plot_bars(const char *png_path, const PlotOpts *opts, const double *values, int ngroups, int nseries,
              const PlotBarOpts *b);

/* True when a gnuplot program can be run. */
bool plot_have_gnuplot(void);

#endif
