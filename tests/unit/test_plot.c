/*
 * test_plot.c - plot: the .dat and .gp files, gnuplot producing the PNG, awkward
 * paths and strings, and what happens without gnuplot or when it fails.
 *
 * Tests run in forked children (main.c forces CK_FORK), so changing PATH or the
 * working directory inside one cannot affect another. Each works in its own
 * scratch directory (testutil.h).
 */
#include <check.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "mat.h"
#include "plot.h"
#include "suites.h"
#include "testutil.h"

/* ------------------------------------------------------------------ helpers */

/* Checks that p is a PNG of the given size by reading its IHDR directly. */
static void expect_png(const char *p, int w, int h)
{
    FILE *fp = fopen(p, "rb");
    ck_assert_msg(fp != NULL, "%s was not written", p);
    unsigned char b[24];
    size_t n = fread(b, 1, sizeof b, fp);
    fclose(fp);
    ck_assert_msg(n == sizeof b && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0, "%s is not a PNG", p);
    int pw = b[16] << 24 | b[17] << 16 | b[18] << 8 | b[19];
    int ph = b[20] << 24 | b[21] << 16 | b[22] << 8 | b[23];
    ck_assert_msg(pw == w && ph == h, "%s is %dx%d, expected %dx%d", p, pw, ph, w, h);
}

static void expect_contains(const char *text, const char *what, const char *file)
{
    ck_assert_msg(strstr(text, what) != NULL, "%s should contain \"%s\"", file, what);
}

static void require_gnuplot(void)
{
    ck_assert_msg(plot_have_gnuplot(), "gnuplot is not installed (make deps installs it)");
}

/* Writes an executable shell script <test dir>/bin/gnuplot standing in for gnuplot. */
static void fake_gnuplot(const char *body)
{
    mkdir(tu_path("bin"), 0755);
    const char *p = tu_path("bin/gnuplot");
    FILE *fp = fopen(p, "w");
    ck_assert(fp != NULL);
    fprintf(fp, "#!/bin/sh\n%s\n", body);
    fclose(fp);
    chmod(p, 0755);
    setenv("PATH", tu_path("bin"), 1);
}

/* ------------------------------------------------------------------ core */

START_TEST(test_lines_files_and_png)
{
    require_gnuplot();
    double x[4] = {10, 20, 30, 40}, y[4] = {1.5, 2.25, NAN, 4}, e[4] = {0.5, 0.25, 0, 1};
    double y2[3] = {3, INFINITY, 1};
    PlotSeries s[2] = {
        {.label = "train", .x = x, .y = y, .yerr = e, .n = 4, .points = true},
        {.label = "val", .y = y2, .n = 3},
    };
    PlotOpts o = {.title = "Loss", .xlabel = "epoch", .ylabel = "loss", .width = 640, .height = 480};
    const char *png = tu_path("loss.png");
    int rc = plot_lines(png, &o, s, 2);
    ck_assert_msg(rc == 0, "plot_lines returned %d: %s", rc, err_last());
    expect_png(png, 640, 480);

    char *dat = tu_slurp(tu_path("loss.dat"), NULL);
    expect_contains(dat, "10 1.5 0.5\n", "loss.dat");
    expect_contains(dat, "20 2.25 0.25\n", "loss.dat");
    expect_contains(dat, "40 4 1\n", "loss.dat");
    expect_contains(dat, "0 3\n", "loss.dat");   /* x defaults to 0, 1, 2 */
    expect_contains(dat, "2 1\n", "loss.dat");
    ck_assert_msg(!strstr(dat, "\n30 "), "the NaN point at x = 30 must be left out:\n%s", dat);
    ck_assert_msg(!strstr(dat, "\n1 inf"), "the Inf point must be left out:\n%s", dat);
    free(dat);

    char *gp = tu_slurp(tu_path("loss.gp"), NULL);
    expect_contains(gp, "set title 'Loss'", "loss.gp");
    expect_contains(gp, "set xlabel 'epoch'", "loss.gp");
    expect_contains(gp, "title 'train' with yerrorlines", "loss.gp");
    expect_contains(gp, "title 'val' with lines", "loss.gp");
    expect_contains(gp, "size 640,480", "loss.gp");
    free(gp);
    ck_assert_msg(!tu_file_exists(tu_path("loss.log")), "an empty gnuplot log should be removed");
}
END_TEST

START_TEST(test_lines_chosen_colors)
{
    /* Series take the palette by position unless they name a colour (1-based). */
    require_gnuplot();
    double y[3] = {1, 2, 3};
    PlotSeries s[2] = {
        {.label = "by position", .y = y, .n = 3},
        {.label = "sky blue", .y = y, .n = 3, .color = 6},
    };
    PlotOpts o = {.title = "colours"};
    ck_assert_msg(plot_lines(tu_path("c.png"), &o, s, 2) == 0, "%s", err_last());
    char *gp = tu_slurp(tu_path("c.gp"), NULL);
    expect_contains(gp, "title 'by position' with lines linetype 1", "c.gp");
    expect_contains(gp, "title 'sky blue' with lines linetype 6", "c.gp");
    free(gp);
}
END_TEST

START_TEST(test_lines_defaults_and_logscale)
{
    require_gnuplot();
    double y[5] = {1, 0.3, 0.1, 0.03, 0.01};
    PlotSeries s = {.y = y, .n = 5, .points = true};
    PlotOpts o = {.logy = true};
    const char *png = tu_path("log.png");
    ck_assert_msg(plot_lines(png, &o, &s, 1) == 0, "%s", err_last());
    expect_png(png, 900, 600);
    char *gp = tu_slurp(tu_path("log.gp"), NULL);
    expect_contains(gp, "set logscale y", "log.gp");
    expect_contains(gp, "notitle", "log.gp");
    free(gp);
    /* NULL options mean all defaults. */
    ck_assert_msg(plot_lines(png, NULL, &s, 1) == 0, "%s", err_last());
    expect_png(png, 900, 600);
    /* A loss from 2.3 down to 0.2 holds one power of ten: labelled at 1, 2, 5 of each decade. */
    double loss[4] = {2.3, 1.1, 0.5, 0.21};
    PlotSeries l = {.y = loss, .n = 4};
    ck_assert_msg(plot_lines(png, &o, &l, 1) == 0, "%s", err_last());
    gp = tu_slurp(tu_path("log.gp"), NULL);
    expect_contains(gp, "set ytics ('0.2' 0.2, '' 0.3 1, '' 0.4 1, '0.5' 0.5,", "log.gp");
    expect_contains(gp, "'1' 1, '2' 2)", "log.gp");
    free(gp);
}
END_TEST

START_TEST(test_heatmap)
{
    require_gnuplot();
    double lr[3] = {1e-7, 1e-6, 1e-5}, reg[2] = {0.25, 2.5e4};
    double v[6] = {0.1, 0.2, 0.3, 0.4, NAN, 0.6};
    Mat *z = mat_from(2, 3, v);
    PlotOpts o = {.title = "val accuracy", .xlabel = "learning rate", .ylabel = "regularization"};
    const char *png = tu_path("grid.png");
    int rc = plot_heatmap(png, &o, z, lr, reg, "accuracy", true);
    ck_assert_msg(rc == 0, "plot_heatmap returned %d: %s", rc, err_last());
    expect_png(png, 900, 600);
    char *dat = tu_slurp(tu_path("grid.dat"), NULL);
    expect_contains(dat, "2 0 0.3 0.300", "grid.dat");   /* ix iy z label */
    expect_contains(dat, "0 1 0.4 0.400", "grid.dat");
    expect_contains(dat, "1 1 NaN", "grid.dat");
    free(dat);
    char *gp = tu_slurp(tu_path("grid.gp"), NULL);
    expect_contains(gp, "'1e-7' 0, '1e-6' 1, '1e-5' 2", "grid.gp");   /* short exponents */
    expect_contains(gp, "'0.25' 0, '25000' 1", "grid.gp");
    expect_contains(gp, "set cblabel 'accuracy'", "grid.gp");
    expect_contains(gp, "with labels", "grid.gp");
    free(gp);
    /* Without annotation there are no labels. */
    ck_assert_msg(plot_heatmap(png, NULL, z, lr, reg, NULL, false) == 0, "%s", err_last());
    gp = tu_slurp(tu_path("grid.gp"), NULL);
    ck_assert(!strstr(gp, "with labels"));
    free(gp);
    /* One style per axis: 1e-5 among the labels puts 0.0001 and 0.01 in exponents too. */
    double regs[2] = {1e-5, 0.01}, three[3] = {0, 1e-5, 2.5e-3};
    ck_assert_msg(plot_heatmap(png, NULL, z, three, regs, NULL, false) == 0, "%s", err_last());
    gp = tu_slurp(tu_path("grid.gp"), NULL);
    expect_contains(gp, "'0' 0, '1e-5' 1, '2.5e-3' 2", "grid.gp");
    expect_contains(gp, "'1e-5' 0, '1e-2' 1", "grid.gp");
    free(gp);
    mat_free(z);
}
END_TEST

START_TEST(test_relative_path_with_spaces)
{
    /* Paths as experiments give them: relative, and here with spaces and a quote. */
    require_gnuplot();
    ck_assert(chdir(tu_dir()) == 0);
    ck_assert(mkdir("my figs", 0755) == 0);
    double y[3] = {1, 2, 3};
    PlotSeries s = {.label = "it's", .y = y, .n = 3};
    PlotOpts o = {.title = "a \"title\"", .width = 300, .height = 200};
    const char *png = "my figs/Bob's plot.png";
    ck_assert_msg(plot_lines(png, &o, &s, 1) == 0, "%s", err_last());
    expect_png(png, 300, 200);
    ck_assert(tu_file_exists("my figs/Bob's plot.dat"));
    ck_assert(tu_file_exists("my figs/Bob's plot.gp"));
    Mat *z = mat_new(2, 2);
    ck_assert_msg(plot_heatmap("my figs/heat map.png", NULL, z, NULL, NULL, "z", true) == 0, "%s",
                  err_last());
    expect_png("my figs/heat map.png", 900, 600);
    mat_free(z);
}
END_TEST

/* ------------------------------------------------------------------ limits */

START_TEST(test_no_gnuplot)
{
    /* gnuplot cannot be found: rc 1, but the data and script are there to run later. */
    mkdir(tu_path("empty"), 0755);
    setenv("PATH", tu_path("empty"), 1);
    ck_assert(!plot_have_gnuplot());
    double y[2] = {1, 2};
    PlotSeries s = {.label = "a", .y = y, .n = 2};
    ck_assert_int_eq(plot_lines(tu_path("p.png"), NULL, &s, 1), 1);
    ck_assert(tu_file_exists(tu_path("p.dat")));
    ck_assert(tu_file_exists(tu_path("p.gp")));
    ck_assert(!tu_file_exists(tu_path("p.png")));
    Mat *z = mat_new(1, 2);
    ck_assert_int_eq(plot_heatmap(tu_path("h.png"), NULL, z, NULL, NULL, NULL, true), 1);
    ck_assert(tu_file_exists(tu_path("h.dat")));
    ck_assert(tu_file_exists(tu_path("h.gp")));
    mat_free(z);
}
END_TEST

START_TEST(test_gnuplot_fails)
{
    /* A gnuplot that fails: -1, and the reason quotes its last line of output. */
    fake_gnuplot("echo 'line 3: something went wrong' >&2; exit 3");
    double y[2] = {1, 2};
    PlotSeries s = {.label = "a", .y = y, .n = 2};
    ck_assert_int_eq(plot_lines(tu_path("f.png"), NULL, &s, 1), -1);
    expect_contains(err_last(), "something went wrong", "err_last()");
    expect_contains(err_last(), "f.png", "err_last()");
    /* A gnuplot that succeeds but writes nothing: also -1. */
    fake_gnuplot("exit 0");
    ck_assert_int_eq(plot_lines(tu_path("g.png"), NULL, &s, 1), -1);
    expect_contains(err_last(), "g.png", "err_last()");
}
END_TEST

START_TEST(test_unwritable_dir)
{
    double y[2] = {1, 2};
    PlotSeries s = {.label = "a", .y = y, .n = 2};
    const char *p = "/nonexistent-gradlab-dir/p.png";
    ck_assert_int_eq(plot_lines(p, NULL, &s, 1), -1);
    expect_contains(err_last(), "/nonexistent-gradlab-dir/p.dat", "err_last()");
    Mat *z = mat_new(2, 2);
    ck_assert_int_eq(plot_heatmap(p, NULL, z, NULL, NULL, NULL, false), -1);
    mat_free(z);
}
END_TEST

START_TEST(test_bad_arguments)
{
    double y[2] = {1, 2};
    PlotSeries s = {.label = "a", .n = 2};   /* n = 2 but no y */
    ck_assert_int_eq(plot_lines("/tmp/x.png", NULL, &s, 1), -1);
    s.y = y;
    ck_assert_int_eq(plot_lines("/tmp/x.png", NULL, &s, 0), -1);
    ck_assert_int_eq(plot_lines("/tmp/x.png", NULL, NULL, 1), -1);
    Mat *z = mat_new(0, 3);
    ck_assert_int_eq(plot_heatmap("/tmp/x.png", NULL, z, NULL, NULL, NULL, false), -1);
    mat_free(z);
}
END_TEST

START_TEST(test_awkward_values_and_strings)
{
    require_gnuplot();
    /* Titles that would break a naive script: quotes, backslashes, a newline,
     * gnuplot's macro and datablock sigils, enhanced-text markup. */
    const char *title = "it's \"x\" \\ back\\slash\nnew line @macro $data x_1^2 {a}";
    double nan3[3] = {NAN, INFINITY, -INFINITY}, one[1] = {5};
    PlotSeries s[3] = {
        {.label = title, .y = nan3, .n = 3, .points = true},   /* nothing finite */
        {.label = "empty", .n = 0, .points = true},
        {.label = "single point", .y = one, .n = 1, .points = true},
    };
    PlotOpts o = {.title = title, .xlabel = title, .ylabel = title, .logx = true, .logy = true};
    ck_assert_msg(plot_lines(tu_path("a.png"), &o, s, 3) == 0, "%s", err_last());
    char *gp = tu_slurp(tu_path("a.gp"), NULL);
    expect_contains(gp, "'it''s \"x\" \\ back\\slash new line @macro $data x_1^2 {a}'", "a.gp");
    free(gp);
    /* No finite value in any series: empty axes, still a PNG. */
    ck_assert_msg(plot_lines(tu_path("b.png"), &o, s, 2) == 0, "%s", err_last());
    expect_png(tu_path("b.png"), 900, 600);
    /* A constant 1x1 heat map (the colour bar needs a range) and an all-NaN one. */
    Mat *z = mat_new(1, 1);
    MAT_AT(z, 0, 0) = 0.5;
    ck_assert_msg(plot_heatmap(tu_path("c.png"), &o, z, one, one, title, true) == 0, "%s", err_last());
    MAT_AT(z, 0, 0) = NAN;
    ck_assert_msg(plot_heatmap(tu_path("d.png"), &o, z, NULL, NULL, NULL, true) == 0, "%s", err_last());
    mat_free(z);
}
END_TEST

/* ------------------------------------------------------------------ round 2: options */

START_TEST(test_lines_options_in_script)
{
    require_gnuplot();
    double x[5] = {1e-8, 1e-6, 1e-4, 1e-2, 1}, y[5] = {1e-2, 1e-5, 1e-8, 1e-6, 1e-2};
    double spike[5] = {1e-3, 1e-3, 1e9, 1e-3, 1e-3};
    PlotSeries s[3] = {
        {.label = "raw", .x = x, .y = y, .n = 5, .faint = true},
        {.label = "dashed", .x = x, .y = y, .n = 5, .dash = PLOT_DASHED, .line_width = 3},
        {.label = "folds", .x = x, .y = spike, .n = 5, .no_line = true},
    };
    PlotLine g[2] = {plot_slope_line(1e-4, 1e-8, 2, 1e-6, 1e-2, true, "slope 2"),
                     {.x0 = 1e-4, .x1 = 1e-4, .y0 = NAN, .y1 = NAN, .label = "chosen h"}};
    PlotMark m = {.x = 1e-4, .y = 1e-8, .label = "minimum", .color = 2};
    PlotOpts o = {.title = "options", .logx = true, .logy = true, .ymin = NAN, .ymax = 10,
                  .lines = g, .nlines = 2, .marks = &m, .nmarks = 1, .key_pos = "top left"};
    const char *png = tu_path("opt.png");
    ck_assert_msg(plot_lines(png, &o, s, 3) == 0, "%s", err_last());
    expect_png(png, 900, 600);
    char *gp = tu_slurp(tu_path("opt.gp"), NULL);
    expect_contains(gp, "title 'raw' with lines linetype 1 linecolor rgb '#A60072B2' linewidth 1", "opt.gp");
    expect_contains(gp, "title 'dashed' with lines linetype 2 linewidth 3 dashtype (8,5)", "opt.gp");
    expect_contains(gp, "title 'folds' with points linetype 3", "opt.gp");
    expect_contains(gp, ":10]\n", "opt.gp");                       /* the y range ends at ymax */
    expect_contains(gp, "1 value above 10 off the chart", "opt.gp");
    expect_contains(gp, "'1e-4' 1e-4", "opt.gp");                  /* one tick format on log axes */
    expect_contains(gp, "set arrow from 1e-06, 1e-12 to 0.01, 0.0001 nohead", "opt.gp");   /* y = 1e-8 (x/1e-4)^2 */
    expect_contains(gp, "set arrow from 0.0001, graph 0 to 0.0001, graph 1", "opt.gp");
    expect_contains(gp, "set label 'minimum' at 0.0001, 1e-08", "opt.gp");
    expect_contains(gp, "set key top left", "opt.gp");
    free(gp);
}
END_TEST

START_TEST(test_slope_and_moving_average)
{
    PlotLine L = plot_slope_line(1e-2, 1e-4, -1, 1e-4, 1, true, "h^-1");
    ck_assert_msg(fabs(L.y0 - 1e-2) < 1e-15 && fabs(L.y1 - 1e-6) < 1e-18, "log-log slope -1: %g %g", L.y0, L.y1);
    L = plot_slope_line(1, 2, 3, 0, 2, false, NULL);
    ck_assert_msg(L.y0 == -1 && L.y1 == 5, "linear slope 3 through (1, 2): y(0) = %g, y(2) = %g", L.y0, L.y1);
    double y[5] = {1, 2, NAN, 4, 5}, out[5];
    plot_moving_average(y, 5, 3, out);
    double want[5] = {1.5, 1.5, 3, 4.5, 4.5};   /* NaN skipped, edges averaged over what exists */
    for (int i = 0; i < 5; i++) ck_assert_msg(fabs(out[i] - want[i]) < 1e-12, "out[%d] = %g, want %g", i, out[i], want[i]);
    plot_moving_average(y, 5, 1, y);   /* in place, window 1: unchanged */
    ck_assert(y[0] == 1 && isnan(y[2]) && y[4] == 5);
}
END_TEST

START_TEST(test_heatmap_ex_options)
{
    require_gnuplot();
    int G = 31;
    Mat *z = mat_new(G, G);
    double ab[31];
    for (int i = 0; i < G; i++) ab[i] = -1.5 + 0.1 * i;
    for (int i = 0; i < G; i++)
        for (int j = 0; j < G; j++) MAT_AT(z, i, j) = fabs(ab[i]) + fabs(ab[j] - 0.3);
    PlotMark c = {.x = 15, .y = 15, .label = "W"};
    PlotOpts o = {.title = "plane", .marks = &c, .nmarks = 1};
    PlotHeatOpts h = {.zlabel = "loss", .contours = 8, .mark_best = -1, .zmin = 0, .zmax = 4};
    ck_assert_msg(plot_heatmap_ex(tu_path("p.png"), &o, z, ab, ab, &h) == 0, "%s", err_last());
    expect_png(tu_path("p.png"), 900, 600);
    char *gp = tu_slurp(tu_path("p.gp"), NULL);
    expect_contains(gp, "set cbrange [0:4]", "p.gp");
    expect_contains(gp, "set table $contours", "p.gp");
    expect_contains(gp, "$contours using 1:2 with lines", "p.gp");
    expect_contains(gp, "set object 1 rect from 17.5,14.5 to 18.5,15.5", "p.gp");   /* min at a = 0.3, b = 0 */
    expect_contains(gp, "set label 'W' at 15, 15", "p.gp");
    expect_contains(gp, "'0' 15", "p.gp");   /* the centre keeps its tick label */
    /* At most 10 labelled ticks on an axis of 31 cells: every 5th (0, 5, ..., 30). */
    const char *xt = strstr(gp, "set xtics (");
    ck_assert(xt != NULL);
    int labelled = 0;
    for (const char *p = xt; *p && *p != '\n'; p++)
        if (p[0] == '\'' && p[1] != '\'' && (p == xt || p[-1] == '(' || p[-1] == ' ')) labelled++;
    ck_assert_msg(labelled == 7, "%d labelled x ticks, expected 7 (every 5th of 31)", labelled);
    ck_assert_msg(!strstr(gp, "rotate"), "7 short tick labels need no rotation");
    free(gp);
    /* Percent cells with a fixed scale and the best cell marked. */
    Mat *acc = mat_new(2, 3);
    double v[6] = {50, 61.25, 70, 80, 85.5, 60};
    memcpy(acc->data, v, sizeof v);
    double lr[3] = {1e-7, 1e-6, 1e-5}, reg[2] = {1e3, 2.5e4};
    PlotHeatOpts hp = {.zlabel = "accuracy (%)", .annotate = true, .cell_format = "%.1f", .zmin = 0, .zmax = 100,
                       .mark_best = 1, .best_label = "best"};
    ck_assert_msg(plot_heatmap_ex(tu_path("a.png"), NULL, acc, lr, reg, &hp) == 0, "%s", err_last());
    char *dat = tu_slurp(tu_path("a.dat"), NULL);
    expect_contains(dat, "1 1 85.5 85.5 ", "a.dat");
    free(dat);
    gp = tu_slurp(tu_path("a.gp"), NULL);
    expect_contains(gp, "set cbrange [0:100]", "a.gp");
    expect_contains(gp, "set object 1 rect from 0.5,0.5 to 1.5,1.5", "a.gp");
    expect_contains(gp, "set label 1 'best'", "a.gp");
    expect_contains(gp, "'1000' 0, '25000' 1", "a.gp");
    free(gp);
    mat_free(acc);
    mat_free(z);
}
END_TEST

START_TEST(test_confusion_counts)
{
    int yt[6] = {0, 0, 1, 2, 2, 2}, yp[6] = {0, 1, 1, 2, 0, 2};
    Mat *cm = plot_confusion_matrix(yt, yp, 6, 3);
    ck_assert_msg(cm != NULL, "%s", err_last());
    double want[9] = {1, 1, 0, 0, 1, 0, 1, 0, 2};
    for (int i = 0; i < 9; i++)
        ck_assert_msg(cm->data[i] == want[i], "cm[%d][%d] = %g, want %g", i / 3, i % 3, cm->data[i], want[i]);
    mat_free(cm);
    cm = plot_confusion_matrix(yt, yp, 0, 3);   /* no examples: zeros */
    ck_assert(cm && mat_sum_sq(cm) == 0);
    mat_free(cm);
    yp[4] = 3;
    ck_assert(plot_confusion_matrix(yt, yp, 6, 3) == NULL);
    expect_contains(err_last(), "example 4", "err_last()");
    ck_assert(plot_confusion_matrix(NULL, yp, 6, 3) == NULL);
    ck_assert(plot_confusion_matrix(yt, yp, 6, 0) == NULL);
}
END_TEST

START_TEST(test_confusion_figure)
{
    require_gnuplot();
    int yt[8] = {0, 0, 0, 0, 1, 1, 2, 2}, yp[8] = {0, 0, 0, 1, 1, 1, 0, 2};
    Mat *cm = plot_confusion_matrix(yt, yp, 8, 3);
    const char *names[3] = {"T-shirt/top", "Trouser", "100%"};
    ck_assert_msg(plot_confusion(tu_path("cm.png"), "test", cm, names, false) == 0, "%s", err_last());
    char *gp = tu_slurp(tu_path("cm.gp"), NULL);
    expect_contains(gp, "set title 'test - accuracy 75.0% (6 / 8)'", "cm.gp");
    expect_contains(gp, "set y2tics ('75.0%%' 0, '100.0%%' 1, '50.0%%' 2)", "cm.gp");
    expect_contains(gp, "'T-shirt/top' 0", "cm.gp");
    expect_contains(gp, "'100%%' 2", "cm.gp");   /* % in names doubled: gnuplot reads tick labels as formats */
    free(gp);
    char *dat = tu_slurp(tu_path("cm.dat"), NULL);
    expect_contains(dat, "0 0 3 0.750000 3 0xffffff", "cm.dat");
    free(dat);
    ck_assert_msg(plot_confusion(tu_path("cmp.png"), NULL, cm, NULL, true) == 0, "%s", err_last());
    dat = tu_slurp(tu_path("cmp.dat"), NULL);
    expect_contains(dat, "1 0 1 0.250000 25 ", "cmp.dat");   /* percent of the row */
    free(dat);
    mat_free(cm);
    Mat *rect = mat_new(2, 3);
    ck_assert_int_eq(plot_confusion(tu_path("bad.png"), NULL, rect, NULL, false), -1);
    expect_contains(err_last(), "square", "err_last()");
    mat_free(rect);
}
END_TEST

START_TEST(test_bars)
{
    require_gnuplot();
    /* The lecture's scores: 3 images (groups) x 3 classes (bars), correct class outlined. */
    double v[9] = {3.2, 5.1, -1.7, 1.3, 4.9, 2.0, 2.2, 2.5, NAN};
    const char *groups[3] = {"cat image\nL = 2.9", "car", "50%"}, *cls[3] = {"cat", "car", "frog"};
    bool outline[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    PlotLine thr = {.x0 = -0.4, .x1 = 0.4, .y0 = 2.2, .y1 = 2.2, .label = "s_y - 1"};
    PlotBarOpts b = {.group_names = groups, .series_names = cls, .outline = outline,
                     .outline_label = "correct class", .value_format = "%.1f", .gap_label = "none"};
    PlotOpts o = {.title = "scores", .ylabel = "score", .lines = &thr, .nlines = 1, .width = 640, .height = 480};
    ck_assert_msg(plot_bars(tu_path("bars.png"), &o, v, 3, 3, &b) == 0, "%s", err_last());
    expect_png(tu_path("bars.png"), 640, 480);
    char *gp = tu_slurp(tu_path("bars.gp"), NULL);
    expect_contains(gp, "set xtics scale 0 ('cat image'.\"\\n\".'L = 2.9' 0, 'car' 1, '50%%' 2)", "bars.gp");
    expect_contains(gp, "set xzeroaxis", "bars.gp");              /* negative values: a 0 line */
    expect_contains(gp, "nohead front", "bars.gp");               /* the threshold over the bars */
    expect_contains(gp, "title 'correct class'", "bars.gp");
    free(gp);
    char *dat = tu_slurp(tu_path("bars.dat"), NULL);
    expect_contains(dat, "-0.2666666667 3.2 ", "bars.dat");      /* bar 0 of group 0, left of centre */
    expect_contains(dat, "\"-1.7\"", "bars.dat");
    expect_contains(dat, "2.266666667 NaN ", "bars.dat");        /* the gap gets its text */
    expect_contains(dat, "\"none\"", "bars.dat");
    free(dat);
    ck_assert_int_eq(plot_bars(tu_path("b.png"), NULL, v, 0, 3, NULL), -1);
    PlotBarOpts bad = {.value_format = "%d"};
    ck_assert_int_eq(plot_bars(tu_path("b.png"), NULL, v, 3, 3, &bad), -1);
    expect_contains(err_last(), "value_format", "err_last()");
}
END_TEST

START_TEST(test_options_bad)
{
    double y[2] = {1, 2};
    PlotSeries s = {.label = "a", .y = y, .n = 2};
    PlotOpts o = {.nmarks = 2};   /* marks missing */
    ck_assert_int_eq(plot_lines(tu_path("x.png"), &o, &s, 1), -1);
    expect_contains(err_last(), "nmarks", "err_last()");
    PlotOpts k = {.key_pos = "top'; system('rm')"};
    ck_assert_int_eq(plot_lines(tu_path("x.png"), &k, &s, 1), -1);
    expect_contains(err_last(), "key_pos", "err_last()");
    Mat *z = mat_new(2, 2);
    PlotHeatOpts h = {.cell_format = "%s"};
    ck_assert_int_eq(plot_heatmap_ex(tu_path("h.png"), NULL, z, NULL, NULL, &h), -1);
    expect_contains(err_last(), "cell_format", "err_last()");
    PlotHeatOpts h2 = {.contours = -1};
    ck_assert_int_eq(plot_heatmap_ex(tu_path("h.png"), NULL, z, NULL, NULL, &h2), -1);
    mat_free(z);
}
END_TEST

Suite *plot_suite(void)
{
    Suite *s = suite_create("plot");
    /* gnuplot start-up takes a fraction of a second, more on a busy machine. */
    TCase *core = tcase_create("core");
    tu_scratch_fixtures(core);
    tcase_set_timeout(core, 60);
    tcase_add_test(core, test_lines_files_and_png);
    tcase_add_test(core, test_lines_defaults_and_logscale);
    tcase_add_test(core, test_lines_chosen_colors);
    tcase_add_test(core, test_heatmap);
    tcase_add_test(core, test_relative_path_with_spaces);
    tcase_add_test(core, test_lines_options_in_script);
    tcase_add_test(core, test_slope_and_moving_average);
    tcase_add_test(core, test_heatmap_ex_options);
    tcase_add_test(core, test_confusion_counts);
    tcase_add_test(core, test_confusion_figure);
    tcase_add_test(core, test_bars);
    suite_add_tcase(s, core);
    TCase *limits = tcase_create("limits");
    tu_scratch_fixtures(limits);
    tcase_set_timeout(limits, 60);
    tcase_add_test(limits, test_no_gnuplot);
    tcase_add_test(limits, test_gnuplot_fails);
    tcase_add_test(limits, test_unwritable_dir);
    tcase_add_test(limits, test_bad_arguments);
    tcase_add_test(limits, test_awkward_values_and_strings);
    tcase_add_test(limits, test_options_bad);
    suite_add_tcase(s, limits);
    return s;
}
