/*
 * plot.h - line plots and heat maps through gnuplot, run as a separate program.
 *
 * For a figure "out/name.png" the functions always write out/name.dat (the
 * numbers) and out/name.gp (a gnuplot script that reads the .dat), then run
 * gnuplot on it (pngcairo if gnuplot has it, png otherwise).
 * Return: 0 PNG written; 1 gnuplot is not installed (the .dat and .gp are
 * there: `apt-get install gnuplot-nox`, then `gnuplot out/name.gp`);
 * -1 error with a reason in err_last(). Nothing here prints or exits.
 */
#ifndef GRADLAB_PLOT_H
#define GRADLAB_PLOT_H

#include <stdbool.h>
#include "mat.h"

typedef struct {
    const char *label;   /* legend entry */
    const double *x;     /* n values; NULL means 0, 1, ..., n-1 */
    const double *y;     /* n values; NaN or Inf entries are left out */
    const double *yerr;  /* n error-bar half-heights, or NULL */
    int n;
    bool points;         /* draw markers as well as lines */
    int color;           /* 0: by position in the series list; 1..8: blue, vermillion, green,
                          * pink, orange, sky blue, black, grey (colour-blind safe) */
} PlotSeries;

typedef struct {
    const char *title, *xlabel, *ylabel;
    bool logx, logy;
    int width, height;   /* pixels; 0 = 900 x 600 */
} PlotOpts;

/* One or more series on shared axes. */
int plot_lines(const char *png_path, const PlotOpts *opts, const PlotSeries *series, int nseries);
/* A heat map of z (ny, nx) over x (nx values) and y (ny values), with a colour
 * bar labelled zlabel; each cell's value is printed in it when annotate is set. */
int plot_heatmap(const char *png_path, const PlotOpts *opts, const Mat *z,
                 const double *x, const double *y, const char *zlabel, bool annotate);
/* True when a gnuplot program can be run. */
bool plot_have_gnuplot(void);

#endif
