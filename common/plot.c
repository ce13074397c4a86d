/*
 * plot.c - figures through gnuplot, run as a separate program.
 *
 * For "dir/name.png" we write dir/name.dat (the numbers, with comments saying
 * what each column is) and dir/name.gp (a script that reads the .dat and writes
 * the .png), then run `gnuplot dir/name.gp` with its output going to
 * dir/name.log (removed again when gnuplot had nothing to say). Both files stay,
 * so a figure can be restyled by editing the script and re-running gnuplot from
 * the same directory the program ran in (paths in the script are as given).
 *
 * The script picks pngcairo itself when this gnuplot has it (antialiased,
 * nicer fonts) and falls back to the plain png terminal otherwise, so a copied
 * script keeps working on another machine.
 *
 * Strings from callers (titles, labels, paths) go into the script as gnuplot
 * single-quoted strings, which have no escapes other than '' for a quote, and
 * every terminal is set noenhanced so "_" and "^" in a label print as typed.
 */
#include "plot.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"

#define PLOT_DEFAULT_W 900
#define PLOT_DEFAULT_H 600

/* ------------------------------------------------------------------ small helpers */

/* A figure's companion files: its PNG path with ".png" swapped for .dat, .gp, .log. */
typedef struct {
    char *dat, *gp, *log;
} PlotFiles;

static void plot_files_free(PlotFiles *f)
{
    free(f->dat);
    free(f->gp);
    free(f->log);
}

static char *plot_concat(const char *a, size_t na, const char *b)
{
    size_t nb = strlen(b);
    char *s = malloc(na + nb + 1);
    if (!s) return NULL;
    memcpy(s, a, na);
    memcpy(s + na, b, nb + 1);
    return s;
}

static int plot_files(const char *path, PlotFiles *f)
{
    size_t n = strlen(path);
    if (n > 4 && strcmp(path + n - 4, ".png") == 0) n -= 4;
    f->dat = plot_concat(path, n, ".dat");
    f->gp = plot_concat(path, n, ".gp");
    f->log = plot_concat(path, n, ".log");
    if (f->dat && f->gp && f->log) return 0;
    plot_files_free(f);
    err_set("%s: out of memory", path);
    return -1;
}

/* Writes s as a gnuplot single-quoted string. Control characters (a newline
 * would end the command) become spaces. */
static void plot_quote(FILE *fp, const char *s)
{
    fputc('\'', fp);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '\'')
            fputs("''", fp);
        else if (*p < 32 || *p == 127)
            fputc(' ', fp);
        else
            fputc(*p, fp);
    }
    fputc('\'', fp);
}

/* Closes fp and turns any write error into err_set; 0 on success. */
static int plot_close(FILE *fp, const char *name)
{
    int bad = ferror(fp);
    if (fclose(fp) != 0 || bad) {
        err_set("%s: write failed: %s", name, errno ? strerror(errno) : "I/O error");
        return -1;
    }
    return 0;
}

static FILE *plot_open(const char *name)
{
    FILE *fp = fopen(name, "w");
    if (!fp) err_set("%s: cannot create: %s", name, strerror(errno));
    return fp;
}

/* The last non-blank line of gnuplot's log (its error message), or "". */
static void plot_log_tail(const char *log, char *out, size_t size)
{
    out[0] = '\0';
    FILE *fp = fopen(log, "r");
    if (!fp) return;
    char line[512];
    while (fgets(line, sizeof line, fp)) {
        size_t n = strcspn(line, "\r\n");
        line[n] = '\0';
        while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t')) line[--n] = '\0';
        const char *s = line + strspn(line, " \t^");   /* skip gnuplot's caret line */
        if (*s) snprintf(out, size, "%s", s);
    }
    fclose(fp);
}

/* ------------------------------------------------------------------ running gnuplot */

bool plot_have_gnuplot(void)
{
    /* The same search posix_spawnp does, so the answer matches what running it would do. */
    const char *path = getenv("PATH");
    if (!path) path = "/bin:/usr/bin";
    while (1) {
        size_t n = strcspn(path, ":");
        char full[4096];
        int len = n ? snprintf(full, sizeof full, "%.*s/gnuplot", (int)n, path)
                    : snprintf(full, sizeof full, "./gnuplot");
        struct stat st;
        if (len > 0 && (size_t)len < sizeof full && stat(full, &st) == 0 && S_ISREG(st.st_mode)
            && access(full, X_OK) == 0)
            return true;
        if (!path[n]) return false;
        path += n + 1;
    }
}

/* Starts `gnuplot script` with stdin from /dev/null and stdout and stderr into
 * log, and waits for it. Returns 0 with its wait status, or an errno value. */
static int plot_spawn(const char *script, const char *log, int *status)
{
    /* A script path starting with '-' would be read as an option. */
    char *arg = script[0] == '-' ? plot_concat("./", 2, script) : strdup(script);
    if (!arg) return ENOMEM;
    posix_spawn_file_actions_t fa;
    int e = posix_spawn_file_actions_init(&fa);
    if (e) {
        free(arg);
        return e;
    }
    if (!(e = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0))
        && !(e = posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644))
        && !(e = posix_spawn_file_actions_adddup2(&fa, 1, 2))) {
        char *argv[] = {"gnuplot", arg, NULL};
        pid_t pid;
        e = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
        while (e == 0 && waitpid(pid, status, 0) < 0)
            if (errno != EINTR) e = errno;
    }
    posix_spawn_file_actions_destroy(&fa);
    free(arg);
    return e;
}

/* Runs gnuplot on the script; 0 when the PNG is there afterwards, 1 when there
 * is no gnuplot, -1 (with err_set) when gnuplot failed. */
static int plot_run(const char *png, const PlotFiles *f)
{
    if (!plot_have_gnuplot()) {
        err_set("%s: gnuplot is not installed; %s and %s are written (apt-get install gnuplot-nox, "
                "then gnuplot %s)", png, f->dat, f->gp, f->gp);
        return 1;
    }
    /* A stale figure from an earlier run must not pass for this one. */
    remove(png);
    int status = 0;
    int e = plot_spawn(f->gp, f->log, &status);
    if (e == ENOENT) {   /* vanished between the check and the start */
        err_set("%s: gnuplot is not installed", png);
        return 1;
    }
    if (e) {
        err_set("%s: cannot run gnuplot: %s", png, strerror(e));
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char tail[300];
        plot_log_tail(f->log, tail, sizeof tail);
        if (WIFEXITED(status))
            err_set("%s: gnuplot %s failed (exit %d): %s (full output in %s)", png, f->gp,
                    WEXITSTATUS(status), *tail ? tail : "no message", f->log);
        else
            err_set("%s: gnuplot %s was killed by signal %d", png, f->gp, WTERMSIG(status));
        return -1;
    }
    struct stat st;
    if (stat(png, &st) != 0 || st.st_size == 0) {
        err_set("%s: gnuplot ran but wrote no PNG (see %s)", png, f->log);
        return -1;
    }
    /* Keep the log only when gnuplot had something to say (warnings). */
    if (stat(f->log, &st) == 0 && st.st_size == 0) remove(f->log);
    return 0;
}

/* ------------------------------------------------------------------ the script's preamble */

/* Terminal, output file, title and axis labels: shared by both kinds of figure. */
static void plot_preamble(FILE *gp, const char *png, const char *script, const char *what,
                          const PlotOpts *o)
{
    int w = o && o->width > 0 ? o->width : PLOT_DEFAULT_W;
    int h = o && o->height > 0 ? o->height : PLOT_DEFAULT_H;
    fprintf(gp, "# %s written by gradlab. To redraw, from the directory it ran in: gnuplot ", what);
    plot_quote(gp, script);   /* quoted, a newline in the path cannot end the comment */
    fputc('\n', gp);
    fprintf(gp, "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
                "    set terminal pngcairo size %d,%d noenhanced font 'Sans,12'\n"
                "} else {\n"
                "    set terminal png size %d,%d noenhanced\n"
                "}\n", w, h, w, h);
    fputs("set output ", gp);
    plot_quote(gp, png);
    fputc('\n', gp);
    if (o && o->title) {
        fputs("set title ", gp);
        plot_quote(gp, o->title);
        fputs(" font ',14'\n", gp);
    }
    if (o && o->xlabel) {
        fputs("set xlabel ", gp);
        plot_quote(gp, o->xlabel);
        fputc('\n', gp);
    }
    if (o && o->ylabel) {
        fputs("set ylabel ", gp);
        plot_quote(gp, o->ylabel);
        fputc('\n', gp);
    }
}

/* ------------------------------------------------------------------ line plots */

/* Colour-blind-safe line colours (the Okabe-Ito set, yellow left out: it
 * vanishes on white). */
static const char *const plot_colors[] = {
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999999",
};
#define PLOT_NCOLORS (int)(sizeof plot_colors / sizeof plot_colors[0])

/* Position of a value on an axis as the reader sees it (log axes in decades). */
static double plot_axis_pos(double v, bool logscale)
{
    if (!logscale) return v;
    return v > 0 ? log10(v) : NAN;
}

/* A point gnuplot can place: finite, and positive on a log axis (gnuplot would
 * drop the others with a warning, and fail when nothing is left). */
static bool plot_drawable(double x, double y, const PlotOpts *o)
{
    return isfinite(plot_axis_pos(x, o && o->logx)) && isfinite(plot_axis_pos(y, o && o->logy));
}

/* Where the legend hides the least: "top right" unless the curves crowd the
 * upper right corner more than the lower right one (accuracy curves climb,
 * loss curves fall). Judged on points sampled along each drawn line. */
static const char *plot_key_corner(const PlotOpts *o, const PlotSeries *series, int nseries)
{
    bool lx = o && o->logx, ly = o && o->logy;
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (int s = 0; s < nseries; s++)
        for (int i = 0; i < series[s].n; i++) {
            double x = plot_axis_pos(series[s].x ? series[s].x[i] : (double)i, lx);
            double y = plot_axis_pos(series[s].y[i], ly);
            if (!isfinite(x) || !isfinite(y)) continue;
            x0 = fmin(x0, x), x1 = fmax(x1, x), y0 = fmin(y0, y), y1 = fmax(y1, y);
        }
    if (!(x1 > x0 && y1 > y0)) return "top right";
    int top = 0, bottom = 0;
    for (int s = 0; s < nseries; s++) {
        double px = NAN, py = NAN;   /* the previous drawn point */
        for (int i = 0; i < series[s].n; i++) {
            double x = plot_axis_pos(series[s].x ? series[s].x[i] : (double)i, lx);
            double y = plot_axis_pos(series[s].y[i], ly);
            if (!isfinite(x) || !isfinite(y)) continue;
            int steps = isfinite(px) ? 8 : 1;
            for (int t = 1; t <= steps; t++) {
                double a = (double)t / steps;
                double xn = ((isfinite(px) ? px + a * (x - px) : x) - x0) / (x1 - x0);
                double yn = ((isfinite(py) ? py + a * (y - py) : y) - y0) / (y1 - y0);
                if (xn > 0.45 && yn > 0.7) top++;
                if (xn > 0.45 && yn < 0.3) bottom++;
            }
            px = x, py = y;
        }
    }
    return top > bottom ? "bottom right" : "top right";
}

/* Explicit axis ranges: the drawn points and their error bars, plus a margin so
 * nothing sits on the frame, plus room for the legend on the side it goes to.
 * gnuplot's own autoscale rounds out to the next major tic, which on a log axis
 * can add whole empty decades and on a linear one a stretch of negative epochs. */
static void plot_ranges(FILE *gp, const PlotOpts *o, const PlotSeries *series, int nseries,
                        const char *key_corner)
{
    bool lx = o && o->logx, ly = o && o->logy;
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    int labels = 0;
    for (int s = 0; s < nseries; s++) {
        const PlotSeries *S = &series[s];
        if (S->label && *S->label) labels++;
        for (int i = 0; i < S->n; i++) {
            double xv = S->x ? S->x[i] : (double)i;
            if (!plot_drawable(xv, S->y[i], o)) continue;
            double x = plot_axis_pos(xv, lx);
            double e = S->yerr && isfinite(S->yerr[i]) ? fabs(S->yerr[i]) : 0.0;
            double lo = plot_axis_pos(S->y[i] - e, ly), hi = plot_axis_pos(S->y[i] + e, ly);
            if (!isfinite(lo)) lo = plot_axis_pos(S->y[i], ly);   /* a bar below 0 on a log axis */
            x0 = fmin(x0, x), x1 = fmax(x1, x);
            y0 = fmin(y0, lo), y1 = fmax(y1, hi);
        }
    }
    if (!isfinite(x0) || !isfinite(y0)) return;
    /* A single value gets a range around it (one unit, or a decade on a log axis). */
    if (!(x1 > x0)) x0 -= 0.5, x1 += 0.5;
    if (!(y1 > y0)) y0 -= 0.5, y1 += 0.5;
    double dx = x1 - x0, dy = y1 - y0;
    double key = 0.06 * labels + 0.04;   /* the legend's height, as a share of the data's */
    bool key_top = strncmp(key_corner, "top", 3) == 0;
    double xa = x0 - 0.03 * dx, xb = x1 + 0.03 * dx;
    double ya = y0 - (key_top ? 0.05 : 0.05 + key) * dy, yb = y1 + (key_top ? 0.05 + key : 0.05) * dy;
    if (lx) xa = pow(10.0, xa), xb = pow(10.0, xb);
    if (ly) ya = pow(10.0, ya), yb = pow(10.0, yb);
    fprintf(gp, "set xrange [%.10g:%.10g]\nset yrange [%.10g:%.10g]\n", xa, xb, ya, yb);
}

int plot_lines(const char *path, const PlotOpts *opts, const PlotSeries *series, int nseries)
{
    if (!path || !*path) {
        err_set("plot_lines: no path given");
        return -1;
    }
    if (!series || nseries < 1) {
        err_set("%s: no series to plot", path);
        return -1;
    }
    for (int s = 0; s < nseries; s++)
        if (series[s].n < 0 || (series[s].n > 0 && !series[s].y)) {
            err_set("%s: series %d has n = %d and %s", path, s, series[s].n,
                    series[s].y ? "y values" : "no y values");
            return -1;
        }
    PlotFiles f;
    if (plot_files(path, &f) != 0) return -1;

    /* The .dat: one block per series that has finite points, blocks separated
     * by two blank lines (gnuplot's "index"). block[s] is that index or -1. */
    int *block = malloc(sizeof *block * (size_t)nseries);
    FILE *dat = block ? plot_open(f.dat) : NULL;
    if (!dat) {
        if (!block) err_set("%s: out of memory", path);
        free(block);
        plot_files_free(&f);
        return -1;
    }
    int nblocks = 0;
    for (int s = 0; s < nseries; s++) {
        const PlotSeries *S = &series[s];
        int any = 0;
        for (int i = 0; i < S->n && !any; i++)
            any = plot_drawable(S->x ? S->x[i] : (double)i, S->y[i], opts);
        if (any && nblocks > 0) fputs("\n\n", dat);
        fprintf(dat, "# series %d: ", s);
        plot_quote(dat, S->label ? S->label : "(no label)");
        fprintf(dat, "\n# columns: x y%s\n", S->yerr ? " yerr" : "");
        int kept = 0;
        for (int i = 0; i < S->n; i++) {
            double x = S->x ? S->x[i] : (double)i, y = S->y[i];
            if (!plot_drawable(x, y, opts)) {
                /* Left out so lines join across it; the comment keeps the .dat honest. */
                fprintf(dat, "# left out: x = %.10g, y = %.10g\n", x, y);
                continue;
            }
            fprintf(dat, "%.10g %.10g", x, y);
            if (S->yerr) fprintf(dat, " %.10g", isfinite(S->yerr[i]) ? fabs(S->yerr[i]) : 0.0);
            fputc('\n', dat);
            kept++;
        }
        block[s] = kept ? nblocks++ : -1;
    }
    if (plot_close(dat, f.dat) != 0) {
        free(block);
        plot_files_free(&f);
        return -1;
    }

    FILE *gp = plot_open(f.gp);
    if (!gp) {
        free(block);
        plot_files_free(&f);
        return -1;
    }
    plot_preamble(gp, path, f.gp, "Line plot", opts);
    for (int c = 0; c < PLOT_NCOLORS; c++)
        fprintf(gp, "set linetype %d linecolor rgb '%s' linewidth 2 pointtype 7 pointsize 1\n", c + 1,
                plot_colors[c]);
    fprintf(gp, "set linetype cycle %d\n", PLOT_NCOLORS);
    /* Light solid grid lines; log axes also get faint minor lines (2, 3, ... 9). */
    fputs("set style line 100 linecolor rgb '#e0e0e0' linewidth 1 dashtype solid\n"
          "set style line 101 linecolor rgb '#f2f2f2' linewidth 1 dashtype solid\n"
          "set border lw 1.2\n"
          "set errorbars small\n", gp);
    fprintf(gp, "set grid back xtics ytics%s%s linestyle 100, linestyle 101\n",
            opts && opts->logx ? " mxtics" : "", opts && opts->logy ? " mytics" : "");
    const char *key_corner = plot_key_corner(opts, series, nseries);
    fprintf(gp, "set key %s box opaque samplen 3 spacing 1.2\n", key_corner);
    if (opts && opts->logx) fputs("set logscale x 10\n", gp);
    if (opts && opts->logy) fputs("set logscale y 10\n", gp);
    if (nblocks == 0) {
        /* gnuplot refuses an empty plot; draw empty axes with a note instead. */
        fputs("set label 'no finite values to plot' at graph 0.5, 0.5 center\n"
              "unset logscale\nset xrange [0:1]\nset yrange [0:1]\n", gp);
    }
    else plot_ranges(gp, opts, series, nseries, key_corner);
    fputs("plot", gp);
    for (int s = 0; s < nseries; s++) {
        const PlotSeries *S = &series[s];
        fputs(s ? ", \\\n     " : " ", gp);
        if (block[s] < 0)   /* keeps its legend entry although it has nothing to draw */
            fputs("NaN", gp);
        else {
            plot_quote(gp, f.dat);
            fprintf(gp, " index %d using 1:2%s", block[s], S->yerr ? ":3" : "");
        }
        if (S->label) {
            fputs(" title ", gp);
            plot_quote(gp, S->label);
        } else {
            fputs(" notitle", gp);
        }
        int lt = (S->color > 0 ? S->color - 1 : s) % PLOT_NCOLORS + 1;
        if (S->yerr)
            fprintf(gp, " with yerrorlines linetype %d pointsize %s", lt, S->points ? "0.8" : "0.4");
        else if (S->points)
            fprintf(gp, " with linespoints linetype %d pointsize 0.8", lt);
        else
            fprintf(gp, " with lines linetype %d", lt);
    }
    fputs("\nunset output\n", gp);
    free(block);
    if (plot_close(gp, f.gp) != 0) {
        plot_files_free(&f);
        return -1;
    }
    int rc = plot_run(path, &f);
    plot_files_free(&f);
    return rc;
}

/* ------------------------------------------------------------------ heat maps */

/* Viridis: perceptually even, readable in gray, colour-blind safe. */
static const char *const plot_viridis[] = {
    "#440154", "#482878", "#3e4989", "#31688e", "#26828e",
    "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725",
};

/* Tick marks at cell indices labelled with the values: the grids are usually
 * log-spaced (learning rates, regularization strengths), so cells are drawn
 * evenly and the labels carry the numbers. */
static void plot_ticks(FILE *gp, char axis, const double *v, int n)
{
    fprintf(gp, "set %ctics (", axis);
    for (int i = 0; i < n; i++) {
        char s[40];
        /* Short labels: 2.512e-07 rather than 2.51189e-07, and whole numbers
         * such as 25000 written out rather than as 2.5e+04. */
        if (v && v[i] == floor(v[i]) && fabs(v[i]) < 1e6)
            snprintf(s, sizeof s, "%.0f", v[i]);
        else if (v)
            snprintf(s, sizeof s, "%.4g", v[i]);
        else
            snprintf(s, sizeof s, "%d", i);
        fputs(i ? ", " : "", gp);
        plot_quote(gp, s);
        fprintf(gp, " %d", i);
    }
    fputs(")\n", gp);
}

int plot_heatmap(const char *path, const PlotOpts *opts, const Mat *z, const double *x,
                 const double *y, const char *zlabel, bool annotate)
{
    mat_expect_nonnull("plot_heatmap", "z", z);
    if (!path || !*path) {
        err_set("plot_heatmap: no path given");
        return -1;
    }
    int ny = z->rows, nx = z->cols;
    if (nx < 1 || ny < 1) {
        err_set("%s: z is (%dx%d): nothing to draw", path, ny, nx);
        return -1;
    }
    PlotFiles f;
    if (plot_files(path, &f) != 0) return -1;

    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < ny; i++)
        for (int j = 0; j < nx; j++) {
            double v = MAT_AT(z, i, j);
            if (!isfinite(v)) continue;
            if (v < lo) lo = v;
            if (v > hi) hi = v;
        }
    if (!(lo <= hi)) lo = 0, hi = 1;   /* nothing finite */
    if (lo == hi) {   /* the colour bar needs a range */
        double d = fabs(lo) > 0 ? fabs(lo) * 0.05 : 0.5;
        lo -= d;
        hi += d;
    }

    /* .dat: one row per cell, "ix iy z label textcolour"; the label and its
     * colour (white on the dark end of viridis, black on the light end) are
     * worked out here so the script stays simple. */
    FILE *dat = plot_open(f.dat);
    if (!dat) {
        plot_files_free(&f);
        return -1;
    }
    fputs("# heat map: column ix indexes x, iy indexes y\n# x values:", dat);
    for (int j = 0; j < nx; j++) fprintf(dat, " %.10g", x ? x[j] : (double)j);
    fputs("\n# y values:", dat);
    for (int i = 0; i < ny; i++) fprintf(dat, " %.10g", y ? y[i] : (double)i);
    fputs("\n# columns: ix iy z label textcolour\n", dat);
    for (int i = 0; i < ny; i++) {
        for (int j = 0; j < nx; j++) {
            double v = MAT_AT(z, i, j);
            int white = isfinite(v) && (v - lo) / (hi - lo) < 0.55;
            if (isnan(v))
                fprintf(dat, "%d %d NaN NaN 0x000000\n", j, i);
            else
                fprintf(dat, "%d %d %.10g %.3f 0x%06x\n", j, i, v, v, white ? 0xffffff : 0);
        }
        fputc('\n', dat);   /* gnuplot's grid layout: a blank line after each row */
    }
    if (plot_close(dat, f.dat) != 0) {
        plot_files_free(&f);
        return -1;
    }

    FILE *gp = plot_open(f.gp);
    if (!gp) {
        plot_files_free(&f);
        return -1;
    }
    plot_preamble(gp, path, f.gp, "Heat map", opts);
    fputs("set palette defined (", gp);
    for (int c = 0; c < 10; c++) fprintf(gp, "%s%d '%s'", c ? ", " : "", c, plot_viridis[c]);
    fputs(")\n", gp);
    fprintf(gp, "set xrange [-0.5:%g]\nset yrange [-0.5:%g]\n", nx - 0.5, ny - 0.5);
    fprintf(gp, "set cbrange [%.10g:%.10g]\n", lo, hi);
    if (zlabel) {
        fputs("set cblabel ", gp);
        plot_quote(gp, zlabel);
        fputc('\n', gp);
    }
    fputs("set tics scale 0\nset border lw 1\nunset key\n", gp);
    plot_ticks(gp, 'x', x, nx);
    plot_ticks(gp, 'y', y, ny);
    if (nx > 8) fputs("set xtics rotate by 45 right\n", gp);
    fputs("plot ", gp);
    plot_quote(gp, f.dat);
    fputs(" using 1:2:3 with image", gp);
    if (annotate) {
        /* Text size from the cell size: about 6 characters must fit across. */
        int w = opts && opts->width > 0 ? opts->width : PLOT_DEFAULT_W;
        int h = opts && opts->height > 0 ? opts->height : PLOT_DEFAULT_H;
        double cw = 0.7 * w / nx, ch = 0.7 * h / ny;
        double pt = fmin(cw / 4.0, ch / 2.2);
        pt = fmax(5.0, fmin(12.0, pt));
        fputs(", \\\n     ", gp);
        plot_quote(gp, f.dat);
        fprintf(gp, " using 1:2:4:5 with labels textcolor rgb variable font ',%.0f'", pt);
    }
    fputs("\nunset output\n", gp);
    if (plot_close(gp, f.gp) != 0) {
        plot_files_free(&f);
        return -1;
    }
    int rc = plot_run(path, &f);
    plot_files_free(&f);
    return rc;
}
