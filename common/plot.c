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

/* A tick label: quoted, and with % doubled, since gnuplot reads tick labels in
 * an explicit list as formats. */
static void plot_quote_tic(FILE *fp, const char *s)
{
    char buf[256];
    size_t n = 0;
    for (const char *p = s ? s : ""; *p && n + 2 < sizeof buf; p++) {
        if (*p == '%') buf[n++] = '%';
        buf[n++] = *p;
    }
    buf[n] = '\0';
    plot_quote(fp, buf);
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

/* The data file is written: closes it and opens the script. NULL (the file names
 * freed, the reason in err_last()) when either fails. */
static FILE *plot_switch(FILE *dat, PlotFiles *f)
{
    FILE *gp = plot_close(dat, f->dat) == 0 ? plot_open(f->gp) : NULL;
    if (!gp) plot_files_free(f);
    return gp;
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

/* Ends a figure's script, closes it, runs gnuplot on it and frees the file names:
 * what every plot_* function returns. */
static int plot_finish(FILE *gp, PlotFiles *f, const char *path)
{
    fputs("\nunset output\n", gp);
    if (plot_close(gp, f->gp) != 0) {
        plot_files_free(f);
        return -1;
    }
    int rc = plot_run(path, f);
    plot_files_free(f);
    return rc;
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

/* ------------------------------------------------------------------ numbers and ticks */

/* Colour-blind-safe line colours (the Okabe-Ito set, yellow left out: it
 * vanishes on white). */
static const char *const plot_colors[] = {
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999999",
};
#define PLOT_NCOLORS (int)(sizeof plot_colors / sizeof plot_colors[0])

/* A number as a short tick label: whole numbers below 1e6 written out (25000),
 * others with 3 significant digits and an unpadded exponent ("1e-7", "2.5e-4"). */
static void plot_fmt_num(double v, char *out, size_t size)
{
    if (!isfinite(v)) {
        snprintf(out, size, "%g", v);
        return;
    }
    if (v == floor(v) && fabs(v) < 1e6) {
        snprintf(out, size, "%.0f", v);
        return;
    }
    char buf[48];
    snprintf(buf, sizeof buf, "%.3g", v);
    char *e = strchr(buf, 'e');
    if (!e) {
        snprintf(out, size, "%s", buf);
        return;
    }
    /* "2.5e-07" -> "2.5e-7", "1e+04" -> "1e4" */
    char sign = e[1] == '-' ? '-' : 0;
    const char *d = e + 2;
    while (*d == '0' && d[1]) d++;
    *e = '\0';
    snprintf(out, size, "%se%s%s", buf, sign ? "-" : "", d);
}

/* Position of a value on an axis as the reader sees it (log axes in decades). */
static double plot_axis_pos(double v, bool logscale)
{
    if (!logscale) return v;
    return v > 0 ? log10(v) : NAN;
}

/* One label per decade (or per s decades, so at most about 9 labels) on a log
 * axis spanning [a, b], written 1e-4; faint minor ticks at 2..9 when every
 * decade is labelled. An axis holding fewer than three powers of ten (a loss
 * from 2.3 down to 0.2) would get one label or none that way: it is labelled
 * at 1, 2 and 5 times each power of ten (every digit when it spans under half a
 * decade), the other digits as minor ticks. */
static void plot_log_ticks(FILE *gp, const char *axis, double a, double b)
{
    double la = log10(a), lb = log10(b);
    int d0 = (int)ceil(la - 1e-9), d1 = (int)floor(lb + 1e-9);
    if (!(a > 0) || !(b > a) || !isfinite(la) || !isfinite(lb)) {
        fprintf(gp, "set format %s '%%g'\n", axis);
        return;
    }
    bool every = lb - la < 0.5;
    int labelled = 0;
    for (int d = (int)floor(la) - 1; d <= d1; d++)
        for (int m = 1; m <= 9; m++) {
            double v = m * pow(10.0, d);
            labelled += v >= a * (1 - 1e-9) && v <= b * (1 + 1e-9) && (every || m == 1 || m == 2 || m == 5);
        }
    if (d1 - d0 < 2 && labelled < 2) {   /* a sliver of a decade: gnuplot's own ticks */
        fprintf(gp, "set format %s '%%g'\n", axis);
        return;
    }
    if (d1 - d0 < 2) {
        int first = 1;
        fprintf(gp, "set %stics (", axis);
        for (int d = (int)floor(la) - 1; d <= d1; d++)
            for (int m = 1; m <= 9; m++) {
                double v = m * pow(10.0, d);
                if (v < a * (1 - 1e-9) || v > b * (1 + 1e-9)) continue;
                char s[32] = "";
                bool major = every || m == 1 || m == 2 || m == 5;
                if (major) plot_fmt_num(v, s, sizeof s);
                fprintf(gp, "%s'%s' %.10g%s", first ? "" : ", ", s, v, major ? "" : " 1");
                first = 0;
            }
        fputs(")\n", gp);
        return;
    }
    int step = (d1 - d0 + 8) / 9;   /* ceil((decades + 1) / 9) */
    fprintf(gp, "set %stics (", axis);
    int first = 1;
    for (int d = d0 - (d0 % step + step) % step; d <= d1; d += step) {
        if (d < d0) continue;
        char s[32];
        snprintf(s, sizeof s, d == 0 ? "1" : "1e%d", d);
        fprintf(gp, "%s'%s' 1e%d", first ? "" : ", ", s, d);
        first = 0;
    }
    if (step == 1)
        for (int d = d0 - 1; d <= d1; d++)
            for (int m = 2; m <= 9; m++) {
                double v = m * pow(10.0, d);
                if (v > a && v < b) fprintf(gp, ", '' %.10g 1", v);
            }
    fputs(")\n", gp);
}

/* An axis's tick labels: the caller's format when it gives one, else one label per
 * decade on a log axis over [a, b] (when that range is known), else gnuplot's own. */
static void plot_axis_format(FILE *gp, const char *axis, const char *format, bool log, double a, double b)
{
    if (format) {
        fprintf(gp, "set format %s ", axis);
        plot_quote(gp, format);
        fputc('\n', gp);
    } else if (log && isfinite(a)) {
        plot_log_ticks(gp, axis, a, b);
    }
}

/* A gnuplot colour for PlotSeries/PlotMark/PlotLine colour numbers (1..8), or fallback. */
static const char *plot_color_of(int color, const char *fallback)
{
    return color >= 1 ? plot_colors[(color - 1) % PLOT_NCOLORS] : fallback;
}

/* Reference lines (under the data) and markers (on top), in axis coordinates. */
static void plot_marks_and_lines(FILE *gp, const PlotOpts *o, const char *mark_ink)
{
    if (!o) return;
    for (int i = 0; i < o->nlines && o->lines; i++) {
        const PlotLine *L = &o->lines[i];
        const char *c = plot_color_of(L->color, "#444444");
        const char *dt = L->solid ? "1" : "(6,4)";
        if (isnan(L->y0) && isnan(L->y1) && isfinite(L->x0))
            fprintf(gp, "set arrow from %.10g, graph 0 to %.10g, graph 1 nohead back lw 1.5 lc rgb '%s' dt %s\n",
                    L->x0, L->x0, c, dt);
        else if (isnan(L->x0) && isnan(L->x1) && isfinite(L->y0))
            fprintf(gp, "set arrow from graph 0, first %.10g to graph 1, first %.10g nohead back lw 1.5 lc rgb '%s' "
                        "dt %s\n", L->y0, L->y0, c, dt);
        else if (isfinite(L->x0) && isfinite(L->y0) && isfinite(L->x1) && isfinite(L->y1))
            fprintf(gp, "set arrow from %.10g, %.10g to %.10g, %.10g nohead back lw 1.5 lc rgb '%s' dt %s\n",
                    L->x0, L->y0, L->x1, L->y1, c, dt);
        else
            continue;
        if (L->label && *L->label) {
            double lx = isnan(L->x1) ? L->x0 : L->x1, ly = isnan(L->y1) ? L->y0 : L->y1;
            fputs("set label ", gp);
            plot_quote(gp, L->label);
            if (isnan(L->y0) && isnan(L->y1))
                fprintf(gp, " at %.10g, graph 0.97 left offset 0.5,0 front tc rgb '%s' boxed\n", lx, c);
            else if (isnan(L->x0) && isnan(L->x1))
                fprintf(gp, " at graph 0.02, first %.10g left offset 0,0.7 front tc rgb '%s' boxed\n", ly, c);
            else {
                /* At the middle of the segment (on screen, so geometric on log axes), just above it. */
                bool lgx = o->logx && L->x0 > 0 && L->x1 > 0, lgy = o->logy && L->y0 > 0 && L->y1 > 0;
                lx = lgx ? sqrt(L->x0 * L->x1) : (L->x0 + L->x1) / 2;
                ly = lgy ? sqrt(L->y0 * L->y1) : (L->y0 + L->y1) / 2;
                fprintf(gp, " at %.10g, %.10g right offset -0.3,0.9 front tc rgb '%s' boxed\n", lx, ly, c);
            }
        }
    }
    for (int i = 0; i < o->nmarks && o->marks; i++) {
        const PlotMark *M = &o->marks[i];
        if (!isfinite(M->x) || !isfinite(M->y)) continue;
        const char *c = plot_color_of(M->color, mark_ink);
        /* An open ring around the point plus a filled dot: visible on lines and on cells. */
        fprintf(gp, "set label '' at %.10g, %.10g point pt 6 ps 2.6 lw 2.5 lc rgb '%s' front\n", M->x, M->y, c);
        fprintf(gp, "set label '' at %.10g, %.10g point pt 7 ps 0.9 lc rgb '%s' front\n", M->x, M->y, c);
        if (M->label && *M->label) {
            fputs("set label ", gp);
            plot_quote(gp, M->label);
            /* Dark text on the label's white box, even when the marker is white. */
            fprintf(gp, " at %.10g, %.10g left offset 1.6,1.1 front tc rgb '%s' boxed\n", M->x, M->y,
                    strcmp(c, "#ffffff") == 0 ? "#000000" : c);
        }
    }
}

PlotLine plot_slope_line(double x0, double y0, double p, double xa, double xb, bool loglog, const char *label)
{
    PlotLine L = {.x0 = xa, .x1 = xb, .label = label};
    if (loglog) {
        L.y0 = y0 * pow(xa / x0, p);
        L.y1 = y0 * pow(xb / x0, p);
    } else {
        L.y0 = y0 + p * (xa - x0);
        L.y1 = y0 + p * (xb - x0);
    }
    return L;
}

void plot_moving_average(const double *y, int n, int window, double *out)
{
    if (!y || !out || n <= 0) return;
    if (window < 1) window = 1;
    int before = (window - 1) / 2, after = window - 1 - before;
    double *tmp = malloc(sizeof *tmp * (size_t)n);
    if (!tmp) {   /* out may alias y: copying is the honest fallback */
        if (out != y) memcpy(out, y, sizeof *out * (size_t)n);
        return;
    }
    for (int i = 0; i < n; i++) {
        double s = 0;
        int m = 0;
        for (int j = i - before; j <= i + after; j++)
            if (j >= 0 && j < n && isfinite(y[j])) s += y[j], m++;
        tmp[i] = m ? s / m : NAN;
    }
    memcpy(out, tmp, sizeof *out * (size_t)n);
    free(tmp);
}

/* Checks opts' marks/lines counts; 0 or -1 with err_set. */
static int plot_check_opts(const char *path, const PlotOpts *o)
{
    if (o && ((o->nmarks > 0 && !o->marks) || (o->nlines > 0 && !o->lines) || o->nmarks < 0 || o->nlines < 0)) {
        err_set("%s: nmarks %d / nlines %d do not match the marks / lines given", path, o->nmarks, o->nlines);
        return -1;
    }
    if (o && o->key_pos)
        for (const char *c = o->key_pos; *c; c++)
            if (!((*c >= 'a' && *c <= 'z') || *c == ' ')) {
                err_set("%s: key_pos \"%s\" must be gnuplot words such as \"top left\"", path, o->key_pos);
                return -1;
            }
    return 0;
}

/* Whether fmt holds exactly one double conversion (%f %e %g, flags, width and
 * precision allowed) and otherwise only %%: it is given to snprintf. */
static bool plot_one_double_format(const char *fmt)
{
    int conv = 0;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') continue;
        if (p[1] == '%') {
            p++;
            continue;
        }
        p++;
        while (*p && strchr("-+ #0", *p)) p++;
        while (*p >= '0' && *p <= '9') p++;
        if (*p == '.') {
            p++;
            while (*p >= '0' && *p <= '9') p++;
        }
        if (!*p || !strchr("feEgG", *p)) return false;
        conv++;
    }
    return conv == 1;
}

/* ------------------------------------------------------------------ line plots */

/* A point gnuplot can place: finite, and positive on a log axis (gnuplot would
 * drop the others with a warning, and fail when nothing is left). */
static bool plot_drawable(double x, double y, const PlotOpts *o)
{
    return isfinite(plot_axis_pos(x, o && o->logx)) && isfinite(plot_axis_pos(y, o && o->logy));
}

/* Whether the caller fixed an end of a range ({0, 0} means automatic). */
static bool plot_range_set(double lo, double hi)
{
    return !(lo == 0 && hi == 0);
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
    if (o && plot_range_set(o->ymin, o->ymax)) {   /* judge what is shown */
        if (isfinite(o->ymin)) y0 = fmax(y0, plot_axis_pos(o->ymin, ly));
        if (isfinite(o->ymax)) y1 = fmin(y1, plot_axis_pos(o->ymax, ly));
    }
    if (!(x1 > x0 && y1 > y0)) return "top right";
    int top = 0, bottom = 0;
    for (int s = 0; s < nseries; s++) {
        double px = NAN, py = NAN;   /* the previous drawn point */
        for (int i = 0; i < series[s].n; i++) {
            double x = plot_axis_pos(series[s].x ? series[s].x[i] : (double)i, lx);
            double y = plot_axis_pos(series[s].y[i], ly);
            if (!isfinite(x) || !isfinite(y)) continue;
            int steps = isfinite(px) && !series[s].no_line ? 8 : 1;
            for (int t = 1; t <= steps; t++) {
                double a = (double)t / steps;
                double xn = ((steps > 1 ? px + a * (x - px) : x) - x0) / (x1 - x0);
                double yn = ((steps > 1 ? py + a * (y - py) : y) - y0) / (y1 - y0);
                if (xn > 0.45 && yn > 0.7 && yn <= 1.0) top++;
                if (xn > 0.45 && yn < 0.3 && yn >= 0.0) bottom++;
            }
            px = x, py = y;
        }
    }
    return top > bottom ? "bottom right" : "top right";
}

/* Explicit axis ranges: the drawn points and their error bars, plus a margin so
 * nothing sits on the frame, plus room for the legend on the side it goes to.
 * gnuplot's own autoscale rounds out to the next major tic, which on a log axis
 * can add whole empty decades and on a linear one a stretch of negative epochs.
 * The caller's xmin/xmax/ymin/ymax replace the ends they set. The ranges chosen
 * are returned in r[4] = {xa, xb, ya, yb} (NaN when there is nothing drawn). */
static void plot_ranges(FILE *gp, const PlotOpts *o, const PlotSeries *series, int nseries,
                        const char *key_corner, double r[4])
{
    bool lx = o && o->logx, ly = o && o->logy;
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    int labels = 0;
    r[0] = r[1] = r[2] = r[3] = NAN;
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
    /* The caller's ends replace the data's before margins are added. */
    bool fx0 = false, fx1 = false, fy0 = false, fy1 = false;
    if (o && plot_range_set(o->xmin, o->xmax)) {
        double a = plot_axis_pos(o->xmin, lx), b = plot_axis_pos(o->xmax, lx);
        if (isfinite(a)) x0 = a, fx0 = true;
        if (isfinite(b)) x1 = b, fx1 = true;
    }
    if (o && plot_range_set(o->ymin, o->ymax)) {
        double a = plot_axis_pos(o->ymin, ly), b = plot_axis_pos(o->ymax, ly);
        if (isfinite(a)) y0 = a, fy0 = true;
        if (isfinite(b)) y1 = b, fy1 = true;
    }
    /* A single value gets a range around it (one unit, or a decade on a log axis). */
    if (!(x1 > x0)) x0 -= 0.5, x1 += 0.5, fx0 = fx1 = false;
    if (!(y1 > y0)) y0 -= 0.5, y1 += 0.5, fy0 = fy1 = false;
    double dx = x1 - x0, dy = y1 - y0;
    double key = 0.06 * labels + 0.04;   /* the legend's height, as a share of the data's */
    bool key_top = strncmp(key_corner, "top", 3) == 0, key_in = strncmp(key_corner, "outside", 7) != 0
                   && strcmp(key_corner, "off") != 0 && strstr(key_corner, "left") == NULL;
    if (!key_in) key = 0;
    double xa = fx0 ? x0 : x0 - 0.03 * dx, xb = fx1 ? x1 : x1 + 0.03 * dx;
    double ya = fy0 ? y0 : y0 - (key_top ? 0.05 : 0.05 + key) * dy;
    double yb = fy1 ? y1 : y1 + (key_top ? 0.05 + key : 0.05) * dy;
    if (lx) xa = pow(10.0, xa), xb = pow(10.0, xb);
    if (ly) ya = pow(10.0, ya), yb = pow(10.0, yb);
    fprintf(gp, "set xrange [%.10g:%.10g]\nset yrange [%.10g:%.10g]\n", xa, xb, ya, yb);
    r[0] = xa, r[1] = xb, r[2] = ya, r[3] = yb;
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
    if (plot_check_opts(path, opts) != 0) return -1;
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
    FILE *gp = plot_switch(dat, &f);
    if (!gp) {
        free(block);
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
          "set errorbars small\n"
          "set clip two\n"
          "set style textbox opaque noborder margins 2,2\n", gp);
    fprintf(gp, "set grid back xtics ytics%s%s linestyle 100, linestyle 101\n",
            opts && opts->logx ? " mxtics" : "", opts && opts->logy ? " mytics" : "");
    const char *key_corner = opts && opts->key_pos && *opts->key_pos ? opts->key_pos
                                                                     : plot_key_corner(opts, series, nseries);
    if (strcmp(key_corner, "off") == 0)
        fputs("unset key\n", gp);
    else {
        fputs("set key ", gp);
        fputs(key_corner, gp);   /* gnuplot words, not a string: checked to be letters and spaces */
        fputs(" box opaque samplen 3 spacing 1.2\n", gp);
    }
    if (opts && opts->logx) fputs("set logscale x 10\n", gp);
    if (opts && opts->logy) fputs("set logscale y 10\n", gp);
    double r[4] = {NAN, NAN, NAN, NAN};
    if (nblocks == 0) {
        /* gnuplot refuses an empty plot; draw empty axes with a note instead. */
        fputs("set label 'no finite values to plot' at graph 0.5, 0.5 center\n"
              "unset logscale\nset xrange [0:1]\nset yrange [0:1]\n", gp);
    }
    else plot_ranges(gp, opts, series, nseries, key_corner, r);
    if (nblocks > 0) {
        if (opts) {
            plot_axis_format(gp, "x", opts->xformat, opts->logx, r[0], r[1]);
            plot_axis_format(gp, "y", opts->yformat, opts->logy, r[2], r[3]);
        }
        /* A clipped range says what it hides, so a cut spike is not mistaken for none. */
        if (opts && plot_range_set(opts->ymin, opts->ymax) && isfinite(r[2])) {
            int above = 0, below = 0;
            for (int s = 0; s < nseries; s++)
                for (int i = 0; i < series[s].n; i++) {
                    double y = series[s].y[i];
                    if (!plot_drawable(series[s].x ? series[s].x[i] : (double)i, y, opts)) continue;
                    if (y > r[3]) above++;
                    if (y < r[2]) below++;
                }
            if (above || below) {
                char note[160];
                char hi[32], lo[32];
                plot_fmt_num(r[3], hi, sizeof hi);
                plot_fmt_num(r[2], lo, sizeof lo);
                if (above && below)
                    snprintf(note, sizeof note, "%d values above %s and %d below %s are off the chart", above, hi,
                             below, lo);
                else if (above)
                    snprintf(note, sizeof note, "%d value%s above %s off the chart", above, above > 1 ? "s" : "", hi);
                else
                    snprintf(note, sizeof note, "%d value%s below %s off the chart", below, below > 1 ? "s" : "", lo);
                fputs("set label ", gp);
                plot_quote(gp, note);
                fputs(" at graph 0.01, graph 1.0 left offset 0,0.6 tc rgb '#666666' font ',10'\n", gp);
            }
        }
        plot_marks_and_lines(gp, opts, "#000000");
    }
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
        else if (S->no_line)
            fprintf(gp, " with points linetype %d pointsize %s", lt, S->faint ? "0.7" : "0.9");
        else if (S->points)
            fprintf(gp, " with linespoints linetype %d pointsize 0.8", lt);
        else
            fprintf(gp, " with lines linetype %d", lt);
        /* The extras only when asked, so old scripts stay as they were. */
        if (S->faint)   /* gnuplot's #AARRGGBB: AA = 0xA6 is 65% transparent */
            fprintf(gp, " linecolor rgb '#A6%s'", plot_colors[lt - 1] + 1);
        if (S->line_width > 0 || S->faint)
            fprintf(gp, " linewidth %.3g", S->line_width > 0 ? S->line_width : 1.0);
        if (S->dash == PLOT_DASHED) fputs(" dashtype (8,5)", gp);
        else if (S->dash == PLOT_DOTTED) fputs(" dashtype (2,4)", gp);
        else if (S->dash == PLOT_DASHDOT) fputs(" dashtype (8,4,2,4)", gp);
    }
    free(block);
    return plot_finish(gp, &f, path);
}

/* ------------------------------------------------------------------ heat maps */

/* Viridis: perceptually even, readable in gray, colour-blind safe. */
static const char *const plot_viridis[] = {
    "#440154", "#482878", "#3e4989", "#31688e", "#26828e",
    "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725",
};
/* Blue - white - red (ColorBrewer RdBu), for values around 0. */
static const char *const plot_rdbu[] = {
    "#2166ac", "#4393c3", "#92c5de", "#d1e5f0", "#f7f7f7", "#fddbc7", "#f4a582", "#d6604d", "#b2182b",
};

/* Which of n cells get a tick label: every step-th, step chosen so at most
 * max_ticks are labelled and, where possible, step divides n-1 (so the last
 * and the centre cell are labelled too). */
static int plot_tick_step(int n, int max_ticks)
{
    if (max_ticks <= 0) max_ticks = 10;
    if (n <= max_ticks) return 1;
    int base = (n + max_ticks - 1) / max_ticks;
    for (int s = base; s <= 2 * base; s++)
        if ((n - 1) % s == 0 && (n - 1) / s + 1 <= max_ticks) return s;
    return base;
}

/* Tick marks at cell indices labelled with the values (short numbers, see
 * plot_fmt_num): the grids are usually log-spaced (learning rates,
 * regularization strengths), so cells are drawn evenly and the labels carry
 * the numbers. Returns the widest label's length in characters. */
static int plot_ticks(FILE *gp, char axis, const double *v, const char *const *names, int n, int step)
{
    int widest = 0;
    /* One style per axis: when one label needs an exponent (1e-5), every
     * non-zero label gets one (1e-4, not 0.0001, beside it). */
    bool exp_style = false;
    for (int i = 0; v && !names && i < n; i++) {
        char s[64];
        plot_fmt_num(v[i], s, sizeof s);
        if (strchr(s, 'e')) exp_style = true;
    }
    fprintf(gp, "set %ctics (", axis);
    int first = 1;
    for (int i = 0; i < n; i++) {
        char s[64];
        if (names)
            snprintf(s, sizeof s, "%s", names[i] ? names[i] : "");
        else if (v && exp_style && v[i] != 0 && isfinite(v[i])) {
            /* "1.00e-04" -> "1e-4", "2.50e-04" -> "2.5e-4" */
            char m[48];
            snprintf(m, sizeof m, "%.2e", v[i]);
            char *e = strchr(m, 'e');
            int ex = atoi(e + 1);
            *e = '\0';
            for (char *z = e - 1; z > m && (*z == '0' || *z == '.'); z--) {
                bool dot = *z == '.';
                *z = '\0';
                if (dot) break;
            }
            snprintf(s, sizeof s, "%se%d", m, ex);
        } else if (v)
            plot_fmt_num(v[i], s, sizeof s);
        else
            snprintf(s, sizeof s, "%d", i);
        fputs(first ? "" : ", ", gp);
        first = 0;
        if (i % step == 0) {
            plot_quote_tic(gp, s);
            fprintf(gp, " %d", i);
            if ((int)strlen(s) > widest) widest = (int)strlen(s);
        } else {
            fprintf(gp, "'' %d 1", i);   /* a minor tick, unlabelled */
        }
    }
    fputs(")\n", gp);
    return widest;
}

/* Whether x tick labels of `widest` characters, `count` of them, need rotating to fit in w pixels. */
static bool plot_rotate_x(int widest, int count, int w)
{
    return (double)widest * 7.5 * count > 0.72 * w;
}

int plot_heatmap(const char *path, const PlotOpts *opts, const Mat *z, const double *x,
                 const double *y, const char *zlabel, bool annotate)
{
    PlotHeatOpts h = {.zlabel = zlabel, .annotate = annotate};
    return plot_heatmap_ex(path, opts, z, x, y, &h);
}

int plot_heatmap_ex(const char *path, const PlotOpts *opts, const Mat *z, const double *x,
                    const double *y, const PlotHeatOpts *h)
{
    mat_expect_nonnull("plot_heatmap", "z", z);
    if (!path || !*path) {
        err_set("plot_heatmap: no path given");
        return -1;
    }
    static const PlotHeatOpts none;
    if (!h) h = &none;
    int ny = z->rows, nx = z->cols;
    if (nx < 1 || ny < 1) {
        err_set("%s: z is (%dx%d): nothing to draw", path, ny, nx);
        return -1;
    }
    if (plot_check_opts(path, opts) != 0) return -1;
    if (h->contours < 0 || h->contours > 100) {
        err_set("%s: contours = %d (want 0..100)", path, h->contours);
        return -1;
    }
    if (h->cell_format && !plot_one_double_format(h->cell_format)) {
        err_set("%s: cell_format \"%s\" must hold exactly one %%f/%%e/%%g conversion", path, h->cell_format);
        return -1;
    }
    PlotFiles f;
    if (plot_files(path, &f) != 0) return -1;

    double lo = INFINITY, hi = -INFINITY;
    int bi = -1, bj = -1;   /* the best cell */
    for (int i = 0; i < ny; i++)
        for (int j = 0; j < nx; j++) {
            double v = MAT_AT(z, i, j);
            if (!isfinite(v)) continue;
            if (v < lo) lo = v;
            if (v > hi) hi = v;
            if (h->mark_best && (bi < 0 || (h->mark_best > 0 ? v > MAT_AT(z, bi, bj) : v < MAT_AT(z, bi, bj))))
                bi = i, bj = j;
        }
    if (!(lo <= hi)) lo = 0, hi = 1;   /* nothing finite */
    if (h->zmax > h->zmin) lo = h->zmin, hi = h->zmax;
    else if (h->diverging) {
        double m = fmax(fabs(lo), fabs(hi));
        lo = -m, hi = m;
    }
    if (lo == hi) {   /* the colour bar needs a range */
        double d = fabs(lo) > 0 ? fabs(lo) * 0.05 : 0.5;
        lo -= d;
        hi += d;
    }

    /* .dat: one row per cell, "ix iy z label textcolour"; the label and its
     * colour (white on dark cells, black on light ones) are worked out here so
     * the script stays simple. */
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
            double t = (v - lo) / (hi - lo);
            int white = isfinite(v) && (h->diverging ? fabs(t - 0.5) > 0.33 : t < 0.55);
            if (isnan(v)) {
                fprintf(dat, "%d %d NaN NaN 0x000000\n", j, i);
            } else {
                char s[64];
                snprintf(s, sizeof s, h->cell_format ? h->cell_format : "%.3f", v);
                for (char *c = s; *c; c++)
                    if (*c == ' ') *c = '_';   /* one token per column */
                fprintf(dat, "%d %d %.10g %s 0x%06x\n", j, i, v, s, white ? 0xffffff : 0);
            }
        }
        fputc('\n', dat);   /* gnuplot's grid layout: a blank line after each row */
    }
    FILE *gp = plot_switch(dat, &f);
    if (!gp) return -1;
    int w = opts && opts->width > 0 ? opts->width : PLOT_DEFAULT_W;
    int ht = opts && opts->height > 0 ? opts->height : PLOT_DEFAULT_H;
    plot_preamble(gp, path, f.gp, "Heat map", opts);
    fputs("set palette defined (", gp);
    if (h->diverging)
        for (int c = 0; c < 9; c++) fprintf(gp, "%s%d '%s'", c ? ", " : "", c, plot_rdbu[c]);
    else
        for (int c = 0; c < 10; c++) fprintf(gp, "%s%d '%s'", c ? ", " : "", c, plot_viridis[c]);
    fputs(")\n", gp);
    fprintf(gp, "set xrange [-0.5:%g]\nset yrange [-0.5:%g]\n", nx - 0.5, ny - 0.5);
    fprintf(gp, "set cbrange [%.10g:%.10g]\n", lo, hi);
    if (h->zlabel) {
        fputs("set cblabel ", gp);
        plot_quote(gp, h->zlabel);
        fputc('\n', gp);
    }
    fputs("set tics scale 0,0.5 out\nset border lw 1\nunset key\n"
          "set style textbox opaque noborder margins 2,2\n", gp);
    int sx = plot_tick_step(nx, h->max_ticks), sy = plot_tick_step(ny, h->max_ticks);
    int widest = plot_ticks(gp, 'x', x, NULL, nx, sx);
    plot_ticks(gp, 'y', y, NULL, ny, sy);
    if (plot_rotate_x(widest, (nx + sx - 1) / sx, w)) fputs("set xtics rotate by 45 right\n", gp);
    if (h->mark_best && bi >= 0) {
        fprintf(gp, "set object 1 rect from %g,%g to %g,%g front fillstyle empty border lc rgb '#ff2a2a' lw 3.5\n",
                bj - 0.5, bi - 0.5, bj + 0.5, bi + 0.5);
        fputs("set label 1 ", gp);
        plot_quote(gp, h->best_label ? h->best_label : "best");
        /* Above the cell, or below it on the top row. */
        fprintf(gp, " at %g,%g center front tc rgb '#c00000' boxed offset 0,%s\n", (double)bj,
                bi == ny - 1 ? bi - 0.5 : bi + 0.5, bi == ny - 1 ? "-0.8" : "0.8");
    }
    plot_marks_and_lines(gp, opts, "#ffffff");
    if (h->contours > 0) {
        /* Contour lines through gnuplot's own contouring, saved into a datablock
         * and drawn over the image. */
        fputs("set contour base\nunset surface\nset view map\nset cntrparam linear\nset cntrparam levels discrete ", gp);
        for (int c = 1; c <= h->contours; c++)
            fprintf(gp, "%s%.10g", c > 1 ? "," : "", lo + (hi - lo) * c / (h->contours + 1.0));
        fputs("\nset table $contours\nsplot ", gp);
        plot_quote(gp, f.dat);
        fputs(" using 1:2:3 with lines\nunset table\nunset contour\n", gp);
    }
    fputs("plot ", gp);
    plot_quote(gp, f.dat);
    fputs(" using 1:2:3 with image", gp);
    if (h->contours > 0)
        fputs(", \\\n     $contours using 1:2 with lines lc rgb '#ffffff' lw 1.2", gp);
    if (h->annotate) {
        /* Text size from the cell size: about 6 characters must fit across. */
        double cw = 0.7 * w / nx, ch = 0.7 * ht / ny;
        double pt = fmin(cw / 4.0, ch / 2.2);
        pt = fmax(5.0, fmin(12.0, pt));
        fputs(", \\\n     ", gp);
        plot_quote(gp, f.dat);
        fprintf(gp, " using 1:2:4:5 with labels textcolor rgb variable font ',%.0f'", pt);
    }
    return plot_finish(gp, &f, path);
}

/* ------------------------------------------------------------------ confusion matrix */

Mat *plot_confusion_matrix(const int *y_true, const int *y_pred, int n, int K)
{
    if (K < 1 || n < 0 || (n > 0 && (!y_true || !y_pred))) {
        err_set("plot_confusion_matrix: n = %d, K = %d%s (want K >= 1, n >= 0 and both label arrays)", n, K,
                n > 0 && (!y_true || !y_pred) ? ", a label array is NULL" : "");
        return NULL;
    }
    for (int i = 0; i < n; i++)
        if (y_true[i] < 0 || y_true[i] >= K || y_pred[i] < 0 || y_pred[i] >= K) {
            err_set("plot_confusion_matrix: example %d has true label %d and prediction %d (want 0..%d)", i,
                    y_true[i], y_pred[i], K - 1);
            return NULL;
        }
    Mat *cm = mat_new(K, K);
    for (int i = 0; i < n; i++) MAT_AT(cm, y_true[i], y_pred[i]) += 1;
    return cm;
}

/* ColorBrewer Blues: white for empty cells, dark blue for a whole row. */
static const char *const plot_blues[] = {
    "#ffffff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b",
};

int plot_confusion(const char *path, const char *title, const Mat *counts, const char *const *class_names,
                   bool percent)
{
    mat_expect_nonnull("plot_confusion", "counts", counts);
    if (!path || !*path) {
        err_set("plot_confusion: no path given");
        return -1;
    }
    int K = counts->rows;
    if (K < 1 || counts->cols != K) {
        err_set("%s: counts is (%dx%d): want a square (K, K) matrix, K >= 1", path, counts->rows, counts->cols);
        return -1;
    }
    for (int i = 0; i < K * K; i++)
        if (!(counts->data[i] >= 0) || !isfinite(counts->data[i])) {
            err_set("%s: counts[%d][%d] = %g: counts must be finite and >= 0", path, i / K, i % K, counts->data[i]);
            return -1;
        }
    PlotFiles f;
    if (plot_files(path, &f) != 0) return -1;
    double total = 0, right = 0;
    for (int i = 0; i < K; i++)
        for (int j = 0; j < K; j++) {
            total += MAT_AT(counts, i, j);
            if (i == j) right += MAT_AT(counts, i, j);
        }

    FILE *dat = plot_open(f.dat);
    if (!dat) {
        plot_files_free(&f);
        return -1;
    }
    fputs("# confusion matrix: row = true class (iy), column = predicted class (ix)\n"
          "# columns: ix iy count row_share label textcolour\n", dat);
    for (int i = 0; i < K; i++) {
        double row = 0;
        for (int j = 0; j < K; j++) row += MAT_AT(counts, i, j);
        for (int j = 0; j < K; j++) {
            double c = MAT_AT(counts, i, j), share = row > 0 ? c / row : 0;
            char s[32];
            /* Empty cells print a white 0 on white: blank, so the eye finds the mistakes. */
            if (c == 0)
                snprintf(s, sizeof s, "0");
            else if (percent)
                snprintf(s, sizeof s, share * 100 >= 9.95 ? "%.0f" : "%.1f", share * 100);
            else
                snprintf(s, sizeof s, "%.0f", c);
            fprintf(dat, "%d %d %.10g %.6f %s 0x%06x\n", j, i, c, share, s, c == 0 || share > 0.5 ? 0xffffff : 0x202020);
        }
        fputc('\n', dat);
    }
    FILE *gp = plot_switch(dat, &f);
    if (!gp) return -1;
    char full[600];
    if (total > 0)
        snprintf(full, sizeof full, "%s%saccuracy %.1f%% (%.0f / %.0f)", title && *title ? title : "",
                 title && *title ? " - " : "", 100.0 * right / total, right, total);
    else
        snprintf(full, sizeof full, "%s%sno examples", title && *title ? title : "", title && *title ? " - " : "");
    /* Size from K: about 62 pixels a cell, plus room for names. */
    int longest = 1;
    for (int k = 0; k < K && class_names; k++)
        if (class_names[k] && (int)strlen(class_names[k]) > longest) longest = (int)strlen(class_names[k]);
    int cell = K <= 12 ? 62 : K <= 30 ? 30 : 16;
    int w = K * cell + longest * 9 + 260, h = K * cell + longest * 7 + 190;
    if (w < 600) w = 600;
    if (h < 500) h = 500;
    PlotOpts o = {.title = full,
                  .xlabel = percent ? "predicted class (cells: % of the true class's images)" : "predicted class",
                  .ylabel = "true class", .width = w, .height = h};
    plot_preamble(gp, path, f.gp, "Confusion matrix", &o);
    fputs("set palette defined (", gp);
    for (int c = 0; c < 9; c++) fprintf(gp, "%s%d '%s'", c ? ", " : "", c, plot_blues[c]);
    fputs(")\nset cbrange [0:1]\nunset colorbox\nunset key\n", gp);
    /* Row 0 at the top, as the matrix is printed. */
    fprintf(gp, "set xrange [-0.5:%g]\nset yrange [%g:-0.5]\nset y2range [%g:-0.5]\n", K - 0.5, K - 0.5, K - 0.5);
    fputs("set tics scale 0\nset border lw 1\nset size ratio -1\n", gp);
    int step = plot_tick_step(K, 40);
    int widest = plot_ticks(gp, 'x', NULL, class_names, K, step);
    plot_ticks(gp, 'y', NULL, class_names, K, step);
    if (plot_rotate_x(widest, K, K * cell)) fputs("set xtics rotate by 45 right\n", gp);
    /* Each class's accuracy (recall) on the right. */
    fputs("set y2tics (", gp);
    for (int i = 0; i < K; i++) {
        double row = 0;
        for (int j = 0; j < K; j++) row += MAT_AT(counts, i, j);
        char s[32];
        if (row > 0)
            snprintf(s, sizeof s, "%.1f%%", 100.0 * MAT_AT(counts, i, i) / row);
        else
            snprintf(s, sizeof s, "-");
        fputs(i ? ", " : "", gp);
        plot_quote_tic(gp, s);
        fprintf(gp, " %d", i);
    }
    fputs(")\nset y2label 'accuracy of the class (share of its row on the diagonal)'\n", gp);
    double pt = cell >= 60 ? 11 : cell >= 30 ? 8 : 6;
    fputs("plot ", gp);
    plot_quote(gp, f.dat);
    fputs(" using 1:2:4 with image, \\\n     ", gp);
    plot_quote(gp, f.dat);
    fprintf(gp, " using 1:2:5:6 with labels textcolor rgb variable font ',%.0f'", pt);
    return plot_finish(gp, &f, path);
}

/* ------------------------------------------------------------------ bar charts */

/* A tick label that may hold '\n': written as gnuplot string pieces joined by
 * "\n" (single-quoted strings have no escapes), with % doubled as in plot_quote_tic. */
static void plot_quote_lines(FILE *fp, const char *s)
{
    const char *p = s ? s : "";
    for (;;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char buf[256];
        snprintf(buf, sizeof buf, "%.*s", (int)(n < sizeof buf ? n : sizeof buf - 1), p);
        plot_quote_tic(fp, buf);
        if (!nl) break;
        fputs(".\"\\n\".", fp);
        p = nl + 1;
    }
}

int plot_bars(const char *path, const PlotOpts *opts, const double *values, int ngroups, int nseries,
              const PlotBarOpts *b)
{
    if (!path || !*path) {
        err_set("plot_bars: no path given");
        return -1;
    }
    if (!values || ngroups < 1 || nseries < 1 || ngroups > 1000 || nseries > 100) {
        err_set("%s: %d groups of %d bars%s (want 1..1000 groups, 1..100 bars each, and values)", path, ngroups,
                nseries, values ? "" : ", values is NULL");
        return -1;
    }
    static const PlotBarOpts none;
    if (!b) b = &none;
    const char *fmt = b->value_format ? b->value_format : "%.2f";
    if (*fmt && !plot_one_double_format(fmt)) {
        err_set("%s: value_format \"%s\" must hold exactly one %%f/%%e/%%g conversion", path, fmt);
        return -1;
    }
    if (plot_check_opts(path, opts) != 0) return -1;

    /* The y range: the bars and 0, room above (and below) for the printed
     * values, and for the legend at the top. The caller's ends win. */
    double lo = 0, hi = 0;
    int nvals = ngroups * nseries;
    for (int i = 0; i < nvals; i++)
        if (isfinite(values[i])) lo = fmin(lo, values[i]), hi = fmax(hi, values[i]);
    if (!(hi > lo)) hi = lo + 1;
    double span = hi - lo;
    /* The legend: one row across the top unless the caller places it. */
    const char *key_pos = opts && opts->key_pos && *opts->key_pos ? opts->key_pos : "top center horizontal";
    bool key = strcmp(key_pos, "off") != 0 && b->series_names;
    double key_room = 0;
    if (key && strstr(key_pos, "top") && !strstr(key_pos, "outside"))
        key_room = strstr(key_pos, "horizontal") ? 0.1 : 0.07 * (nseries + (b->outline_label != NULL));
    double ya = lo < 0 ? lo - 0.1 * span : 0, yb = hi + (0.1 + key_room) * span;
    if (opts && plot_range_set(opts->ymin, opts->ymax)) {
        if (isfinite(opts->ymin)) ya = opts->ymin;
        if (isfinite(opts->ymax)) yb = opts->ymax;
    }
    double slot = 0.8 / nseries;   /* the width one bar's place takes in a group */

    PlotFiles f;
    if (plot_files(path, &f) != 0) return -1;
    FILE *dat = plot_open(f.dat);
    if (!dat) {
        plot_files_free(&f);
        return -1;
    }
    /* One block per series with bars to draw, then one of the outlined bars:
     * "x value label_y label". has[s] is the series' block, or -1. */
    int has[101], nblocks = 0, outlined = 0;
    for (int s = 0; s <= nseries; s++) {
        bool outline_block = s == nseries;
        int rows = 0;
        for (int g = 0; g < ngroups; g++) {
            for (int t = 0; t < nseries; t++) {
                if (!outline_block && t != s) continue;
                if (outline_block && !(b->outline && b->outline[g * nseries + t])) continue;
                double v = values[g * nseries + t];
                if (!isfinite(v)) {
                    /* A gap: its text (b->gap_label) sits on the 0 line. */
                    if (outline_block || !b->gap_label || !*b->gap_label) continue;
                    if (rows++ == 0) {
                        if (nblocks > 0) fputs("\n\n", dat);
                        fputs("# series\n# columns: x value label_y label\n", dat);
                    }
                    fprintf(dat, "%.10g NaN %.10g \"", g + (t - (nseries - 1) / 2.0) * slot, 0.035 * span);
                    for (const char *c = b->gap_label; *c; c++) fputc(*c == '"' || *c < 32 ? '\'' : *c, dat);
                    fputs("\"\n", dat);
                    continue;
                }
                if (rows++ == 0) {
                    if (nblocks > 0) fputs("\n\n", dat);
                    fprintf(dat, "# %s\n# columns: x value label_y label\n",
                            outline_block ? "outlined bars" : "series");
                }
                double x = g + (t - (nseries - 1) / 2.0) * slot;
                double ly = v >= 0 ? v + 0.035 * span : v - 0.035 * span;
                char s_val[64] = "";
                if (*fmt) snprintf(s_val, sizeof s_val, fmt, v);
                fprintf(dat, "%.10g %.10g %.10g \"%s\"\n", x, v, ly, s_val);
            }
        }
        if (outline_block) outlined = rows ? nblocks : -1;
        else has[s] = rows ? nblocks : -1;
        if (rows) nblocks++;
    }
    FILE *gp = plot_switch(dat, &f);
    if (!gp) return -1;
    plot_preamble(gp, path, f.gp, "Bar chart", opts);
    fputs("set style line 100 linecolor rgb '#e0e0e0' linewidth 1 dashtype solid\n"
          "set grid back ytics linestyle 100\nset border lw 1.2\nset tics out nomirror\n"
          "set style textbox opaque noborder margins 2,2\n", gp);
    fprintf(gp, "set xrange [-0.5:%g]\nset yrange [%.10g:%.10g]\n", ngroups - 0.5, ya, yb);
    if (ya < 0 && yb > 0) fputs("set xzeroaxis linecolor rgb '#333333' linewidth 1.2 dashtype solid\n", gp);
    if (opts) plot_axis_format(gp, "y", opts->yformat, false, 0, 0);
    int name_lines = 1;   /* room under the axis for group names of several lines */
    for (int g = 0; b->group_names && g < ngroups; g++) {
        int n = 1;
        for (const char *c = b->group_names[g] ? b->group_names[g] : ""; *c; c++) n += *c == '\n';
        if (n > name_lines) name_lines = n;
    }
    if (name_lines > 1) fprintf(gp, "set bmargin %d\n", name_lines + 2 + (opts && opts->xlabel ? 1 : 0));
    fputs("set xtics scale 0 (", gp);
    for (int g = 0; g < ngroups; g++) {
        fputs(g ? ", " : "", gp);
        if (b->group_names && b->group_names[g]) plot_quote_lines(gp, b->group_names[g]);
        else fprintf(gp, "'%d'", g);
        fprintf(gp, " %d", g);
    }
    fputs(")\n", gp);
    if (!key) fputs("unset key\n", gp);
    else {
        fputs("set key ", gp);
        fputs(key_pos, gp);   /* gnuplot words: checked to be letters and spaces */
        fputs(" box opaque samplen 2 spacing 1.2 width 1\n", gp);
    }
    fprintf(gp, "set boxwidth %.6g absolute\nset style fill solid 0.85 border lc rgb '#333333'\n", 0.9 * slot);
    /* Reference lines go over the bars here (a threshold must show across them),
     * labelled above their middle. */
    for (int i = 0; opts && opts->lines && i < opts->nlines; i++) {
        const PlotLine *L = &opts->lines[i];
        if (!(isfinite(L->x0) && isfinite(L->y0) && isfinite(L->x1) && isfinite(L->y1))) continue;
        const char *c = plot_color_of(L->color, "#444444");
        fprintf(gp, "set arrow from %.10g, %.10g to %.10g, %.10g nohead front lw 2 lc rgb '%s' dt %s\n", L->x0, L->y0,
                L->x1, L->y1, c, L->solid ? "1" : "(6,4)");
        if (L->label && *L->label) {
            fputs("set label ", gp);
            plot_quote(gp, L->label);
            fprintf(gp, " at %.10g, %.10g center offset 0,0.8 front tc rgb '%s' boxed\n", (L->x0 + L->x1) / 2,
                    (L->y0 + L->y1) / 2, c);
        }
    }
    if (opts && opts->marks) {
        PlotOpts marks_only = *opts;
        marks_only.nlines = 0;
        plot_marks_and_lines(gp, &marks_only, "#000000");
    }
    fputs("plot", gp);
    int first = 1;
    for (int s = 0; s < nseries; s++) {
        int c = b->colors && b->colors[s] >= 1 ? b->colors[s] : s + 1;
        const char *col = plot_colors[(c - 1) % PLOT_NCOLORS];
        fputs(first ? " " : ", \\\n     ", gp);
        first = 0;
        if (has[s] < 0)
            fputs("NaN", gp);
        else {
            plot_quote(gp, f.dat);
            fprintf(gp, " index %d using 1:2", has[s]);
        }
        fprintf(gp, " with boxes linecolor rgb '%s'", col);
        if (b->series_names && b->series_names[s]) {
            fputs(" title ", gp);
            plot_quote(gp, b->series_names[s]);
        } else
            fputs(" notitle", gp);
    }
    if (outlined >= 0) {
        fputs(", \\\n     ", gp);
        plot_quote(gp, f.dat);
        fprintf(gp, " index %d using 1:2 with boxes linecolor rgb '#000000' linewidth 3.5 fillstyle empty", outlined);
        if (b->outline_label) {
            fputs(" title ", gp);
            plot_quote(gp, b->outline_label);
        } else
            fputs(" notitle", gp);
    }
    if (*fmt) {
        double pt = nvals > 24 ? 9 : 11;
        for (int s = 0; s < nseries; s++) {
            if (has[s] < 0) continue;
            fputs(", \\\n     ", gp);
            plot_quote(gp, f.dat);
            fprintf(gp, " index %d using 1:3:4 with labels font ',%.0f' notitle", has[s], pt);
        }
    }
    return plot_finish(gp, &f, path);
}
