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
        {"train", x, y, e, 4, true, 0},
        {"val", NULL, y2, NULL, 3, false, 0},
    };
    PlotOpts o = {"Loss", "epoch", "loss", false, false, 640, 480};
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
    PlotSeries s = {NULL, NULL, y, NULL, 5, true, 0};
    PlotOpts o = {NULL, NULL, NULL, false, true, 0, 0};
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
}
END_TEST

START_TEST(test_heatmap)
{
    require_gnuplot();
    double lr[3] = {1e-7, 1e-6, 1e-5}, reg[2] = {0.25, 2.5e4};
    double v[6] = {0.1, 0.2, 0.3, 0.4, NAN, 0.6};
    Mat *z = mat_from(2, 3, v);
    PlotOpts o = {"val accuracy", "learning rate", "regularization", false, false, 0, 0};
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
    expect_contains(gp, "'1e-07' 0, '1e-06' 1, '1e-05' 2", "grid.gp");   /* %g tick labels */
    expect_contains(gp, "'0.25' 0, '25000' 1", "grid.gp");
    expect_contains(gp, "set cblabel 'accuracy'", "grid.gp");
    expect_contains(gp, "with labels", "grid.gp");
    free(gp);
    /* Without annotation there are no labels. */
    ck_assert_msg(plot_heatmap(png, NULL, z, lr, reg, NULL, false) == 0, "%s", err_last());
    gp = tu_slurp(tu_path("grid.gp"), NULL);
    ck_assert(!strstr(gp, "with labels"));
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
    PlotSeries s = {"it's", NULL, y, NULL, 3, false, 0};
    PlotOpts o = {"a \"title\"", NULL, NULL, false, false, 300, 200};
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
    PlotSeries s = {"a", NULL, y, NULL, 2, false, 0};
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
    PlotSeries s = {"a", NULL, y, NULL, 2, false, 0};
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
    PlotSeries s = {"a", NULL, y, NULL, 2, false, 0};
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
    PlotSeries s = {"a", NULL, NULL, NULL, 2, false, 0};   /* n = 2 but no y */
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
        {title, NULL, nan3, NULL, 3, true, 0},   /* nothing finite */
        {"empty", NULL, NULL, NULL, 0, true, 0},
        {"single point", NULL, one, NULL, 1, true, 0},
    };
    PlotOpts o = {title, title, title, true, true, 0, 0};
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
    suite_add_tcase(s, core);
    TCase *limits = tcase_create("limits");
    tu_scratch_fixtures(limits);
    tcase_set_timeout(limits, 60);
    tcase_add_test(limits, test_no_gnuplot);
    tcase_add_test(limits, test_gnuplot_fails);
    tcase_add_test(limits, test_unwritable_dir);
    tcase_add_test(limits, test_bad_arguments);
    tcase_add_test(limits, test_awkward_values_and_strings);
    suite_add_tcase(s, limits);
    return s;
}
