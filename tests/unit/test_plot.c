/*
 * test_plot.c - plot: the .dat and .gp files, gnuplot producing the PNG, awkward
 * paths and strings, and what happens without gnuplot or when it fails.
 *
 * Tests run in forked children (main.c forces CK_FORK), so changing PATH or the
 * working directory inside one cannot affect another.
 */
#include <check.h>
#include <ftw.h>
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

/* ------------------------------------------------------------------ helpers */

/* Every test case gets a root directory, made and removed in the parent
 * process (unchecked fixture), so it goes away even when a forked test fails
 * part-way; each test works in its own directory inside it. */
static char root[64], tdir[128];

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

static void make_root(void)
{
    strcpy(root, "/tmp/gradlab-plot-XXXXXX");
    if (!mkdtemp(root)) root[0] = '\0';
}

static void remove_root(void)
{
    if (root[0]) nftw(root, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static void make_tmpdir(void)
{
    ck_assert_msg(root[0], "could not create a directory under /tmp");
    snprintf(tdir, sizeof tdir, "%s/test-XXXXXX", root);
    ck_assert_msg(mkdtemp(tdir) != NULL, "mkdtemp failed");
}

static void remove_tmpdir(void)
{
    if (tdir[0]) nftw(tdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    tdir[0] = '\0';
}

/* tdir/name in one of two static buffers (two can be in use at once). */
static const char *tpath(const char *name)
{
    static char buf[2][256];
    static int next;
    char *b = buf[next++ % 2];
    snprintf(b, 256, "%s/%s", tdir, name);
    return b;
}

/* A whole text file in new memory ("" when missing), for strstr checks. */
static char *slurp(const char *p)
{
    FILE *fp = fopen(p, "rb");
    char *s = calloc(1, 1 << 16);
    if (fp) {
        size_t n = fread(s, 1, (1 << 16) - 1, fp);
        s[n] = '\0';
        fclose(fp);
    }
    return s;
}

static bool file_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

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

/* Writes an executable shell script tdir/bin/gnuplot standing in for gnuplot. */
static void fake_gnuplot(const char *body)
{
    mkdir(tpath("bin"), 0755);
    const char *p = tpath("bin/gnuplot");
    FILE *fp = fopen(p, "w");
    ck_assert(fp != NULL);
    fprintf(fp, "#!/bin/sh\n%s\n", body);
    fclose(fp);
    chmod(p, 0755);
    setenv("PATH", tpath("bin"), 1);
}

/* ------------------------------------------------------------------ core */

START_TEST(test_lines_files_and_png)
{
    require_gnuplot();
    make_tmpdir();
    double x[4] = {10, 20, 30, 40}, y[4] = {1.5, 2.25, NAN, 4}, e[4] = {0.5, 0.25, 0, 1};
    double y2[3] = {3, INFINITY, 1};
    PlotSeries s[2] = {
        {"train", x, y, e, 4, true},
        {"val", NULL, y2, NULL, 3, false},
    };
    PlotOpts o = {"Loss", "epoch", "loss", false, false, 640, 480};
    const char *png = tpath("loss.png");
    int rc = plot_lines(png, &o, s, 2);
    ck_assert_msg(rc == 0, "plot_lines returned %d: %s", rc, err_last());
    expect_png(png, 640, 480);

    char *dat = slurp(tpath("loss.dat"));
    expect_contains(dat, "10 1.5 0.5\n", "loss.dat");
    expect_contains(dat, "20 2.25 0.25\n", "loss.dat");
    expect_contains(dat, "40 4 1\n", "loss.dat");
    expect_contains(dat, "0 3\n", "loss.dat");   /* x defaults to 0, 1, 2 */
    expect_contains(dat, "2 1\n", "loss.dat");
    ck_assert_msg(!strstr(dat, "\n30 "), "the NaN point at x = 30 must be left out:\n%s", dat);
    ck_assert_msg(!strstr(dat, "\n1 inf"), "the Inf point must be left out:\n%s", dat);
    free(dat);

    char *gp = slurp(tpath("loss.gp"));
    expect_contains(gp, "set title 'Loss'", "loss.gp");
    expect_contains(gp, "set xlabel 'epoch'", "loss.gp");
    expect_contains(gp, "title 'train' with yerrorlines", "loss.gp");
    expect_contains(gp, "title 'val' with lines", "loss.gp");
    expect_contains(gp, "size 640,480", "loss.gp");
    free(gp);
    ck_assert_msg(!file_exists(tpath("loss.log")), "an empty gnuplot log should be removed");
    remove_tmpdir();
}
END_TEST

START_TEST(test_lines_defaults_and_logscale)
{
    require_gnuplot();
    make_tmpdir();
    double y[5] = {1, 0.3, 0.1, 0.03, 0.01};
    PlotSeries s = {NULL, NULL, y, NULL, 5, true};
    PlotOpts o = {NULL, NULL, NULL, false, true, 0, 0};
    const char *png = tpath("log.png");
    ck_assert_msg(plot_lines(png, &o, &s, 1) == 0, "%s", err_last());
    expect_png(png, 900, 600);
    char *gp = slurp(tpath("log.gp"));
    expect_contains(gp, "set logscale y", "log.gp");
    expect_contains(gp, "notitle", "log.gp");
    free(gp);
    /* NULL options mean all defaults. */
    ck_assert_msg(plot_lines(png, NULL, &s, 1) == 0, "%s", err_last());
    expect_png(png, 900, 600);
    remove_tmpdir();
}
END_TEST

START_TEST(test_heatmap)
{
    require_gnuplot();
    make_tmpdir();
    double lr[3] = {1e-7, 1e-6, 1e-5}, reg[2] = {0.25, 2.5e4};
    double v[6] = {0.1, 0.2, 0.3, 0.4, NAN, 0.6};
    Mat *z = mat_from(2, 3, v);
    PlotOpts o = {"val accuracy", "learning rate", "regularization", false, false, 0, 0};
    const char *png = tpath("grid.png");
    int rc = plot_heatmap(png, &o, z, lr, reg, "accuracy", true);
    ck_assert_msg(rc == 0, "plot_heatmap returned %d: %s", rc, err_last());
    expect_png(png, 900, 600);
    char *dat = slurp(tpath("grid.dat"));
    expect_contains(dat, "2 0 0.3 0.300", "grid.dat");   /* ix iy z label */
    expect_contains(dat, "0 1 0.4 0.400", "grid.dat");
    expect_contains(dat, "1 1 NaN", "grid.dat");
    free(dat);
    char *gp = slurp(tpath("grid.gp"));
    expect_contains(gp, "'1e-07' 0, '1e-06' 1, '1e-05' 2", "grid.gp");   /* %g tick labels */
    expect_contains(gp, "'0.25' 0, '25000' 1", "grid.gp");
    expect_contains(gp, "set cblabel 'accuracy'", "grid.gp");
    expect_contains(gp, "with labels", "grid.gp");
    free(gp);
    /* Without annotation there are no labels. */
    ck_assert_msg(plot_heatmap(png, NULL, z, lr, reg, NULL, false) == 0, "%s", err_last());
    gp = slurp(tpath("grid.gp"));
    ck_assert(!strstr(gp, "with labels"));
    free(gp);
    mat_free(z);
    remove_tmpdir();
}
END_TEST

START_TEST(test_relative_path_with_spaces)
{
    /* Paths as experiments give them: relative, and here with spaces and a quote. */
    require_gnuplot();
    make_tmpdir();
    ck_assert(chdir(tdir) == 0);
    ck_assert(mkdir("my figs", 0755) == 0);
    double y[3] = {1, 2, 3};
    PlotSeries s = {"it's", NULL, y, NULL, 3, false};
    PlotOpts o = {"a \"title\"", NULL, NULL, false, false, 300, 200};
    const char *png = "my figs/Bob's plot.png";
    ck_assert_msg(plot_lines(png, &o, &s, 1) == 0, "%s", err_last());
    expect_png(png, 300, 200);
    ck_assert(file_exists("my figs/Bob's plot.dat"));
    ck_assert(file_exists("my figs/Bob's plot.gp"));
    Mat *z = mat_new(2, 2);
    ck_assert_msg(plot_heatmap("my figs/heat map.png", NULL, z, NULL, NULL, "z", true) == 0, "%s",
                  err_last());
    expect_png("my figs/heat map.png", 900, 600);
    mat_free(z);
    remove_tmpdir();
}
END_TEST

/* ------------------------------------------------------------------ limits */

START_TEST(test_no_gnuplot)
{
    /* gnuplot cannot be found: rc 1, but the data and script are there to run later. */
    make_tmpdir();
    mkdir(tpath("empty"), 0755);
    setenv("PATH", tpath("empty"), 1);
    ck_assert(!plot_have_gnuplot());
    double y[2] = {1, 2};
    PlotSeries s = {"a", NULL, y, NULL, 2, false};
    ck_assert_int_eq(plot_lines(tpath("p.png"), NULL, &s, 1), 1);
    ck_assert(file_exists(tpath("p.dat")));
    ck_assert(file_exists(tpath("p.gp")));
    ck_assert(!file_exists(tpath("p.png")));
    Mat *z = mat_new(1, 2);
    ck_assert_int_eq(plot_heatmap(tpath("h.png"), NULL, z, NULL, NULL, NULL, true), 1);
    ck_assert(file_exists(tpath("h.dat")));
    ck_assert(file_exists(tpath("h.gp")));
    mat_free(z);
    remove_tmpdir();
}
END_TEST

START_TEST(test_gnuplot_fails)
{
    /* A gnuplot that fails: -1, and the reason quotes its last line of output. */
    make_tmpdir();
    fake_gnuplot("echo 'line 3: something went wrong' >&2; exit 3");
    double y[2] = {1, 2};
    PlotSeries s = {"a", NULL, y, NULL, 2, false};
    ck_assert_int_eq(plot_lines(tpath("f.png"), NULL, &s, 1), -1);
    expect_contains(err_last(), "something went wrong", "err_last()");
    expect_contains(err_last(), "f.png", "err_last()");
    /* A gnuplot that succeeds but writes nothing: also -1. */
    fake_gnuplot("exit 0");
    ck_assert_int_eq(plot_lines(tpath("g.png"), NULL, &s, 1), -1);
    expect_contains(err_last(), "g.png", "err_last()");
    remove_tmpdir();
}
END_TEST

START_TEST(test_unwritable_dir)
{
    double y[2] = {1, 2};
    PlotSeries s = {"a", NULL, y, NULL, 2, false};
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
    PlotSeries s = {"a", NULL, NULL, NULL, 2, false};   /* n = 2 but no y */
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
    make_tmpdir();
    /* Titles that would break a naive script: quotes, backslashes, a newline,
     * gnuplot's macro and datablock sigils, enhanced-text markup. */
    const char *title = "it's \"x\" \\ back\\slash\nnew line @macro $data x_1^2 {a}";
    double nan3[3] = {NAN, INFINITY, -INFINITY}, one[1] = {5};
    PlotSeries s[3] = {
        {title, NULL, nan3, NULL, 3, true},   /* nothing finite */
        {"empty", NULL, NULL, NULL, 0, true},
        {"single point", NULL, one, NULL, 1, true},
    };
    PlotOpts o = {title, title, title, true, true, 0, 0};
    ck_assert_msg(plot_lines(tpath("a.png"), &o, s, 3) == 0, "%s", err_last());
    char *gp = slurp(tpath("a.gp"));
    expect_contains(gp, "'it''s \"x\" \\ back\\slash new line @macro $data x_1^2 {a}'", "a.gp");
    free(gp);
    /* No finite value in any series: empty axes, still a PNG. */
    ck_assert_msg(plot_lines(tpath("b.png"), &o, s, 2) == 0, "%s", err_last());
    expect_png(tpath("b.png"), 900, 600);
    /* A constant 1x1 heat map (the colour bar needs a range) and an all-NaN one. */
    Mat *z = mat_new(1, 1);
    MAT_AT(z, 0, 0) = 0.5;
    ck_assert_msg(plot_heatmap(tpath("c.png"), &o, z, one, one, title, true) == 0, "%s", err_last());
    MAT_AT(z, 0, 0) = NAN;
    ck_assert_msg(plot_heatmap(tpath("d.png"), &o, z, NULL, NULL, NULL, true) == 0, "%s", err_last());
    mat_free(z);
    remove_tmpdir();
}
END_TEST

Suite *plot_suite(void)
{
    Suite *s = suite_create("plot");
    /* gnuplot start-up takes a fraction of a second, more on a busy machine. */
    TCase *core = tcase_create("core");
    tcase_add_unchecked_fixture(core, make_root, remove_root);
    tcase_set_timeout(core, 60);
    tcase_add_test(core, test_lines_files_and_png);
    tcase_add_test(core, test_lines_defaults_and_logscale);
    tcase_add_test(core, test_heatmap);
    tcase_add_test(core, test_relative_path_with_spaces);
    suite_add_tcase(s, core);
    TCase *limits = tcase_create("limits");
    tcase_add_unchecked_fixture(limits, make_root, remove_root);
    tcase_set_timeout(limits, 60);
    tcase_add_test(limits, test_no_gnuplot);
    tcase_add_test(limits, test_gnuplot_fails);
    tcase_add_test(limits, test_unwritable_dir);
    tcase_add_test(limits, test_bad_arguments);
    tcase_add_test(limits, test_awkward_values_and_strings);
    suite_add_tcase(s, limits);
    return s;
}
